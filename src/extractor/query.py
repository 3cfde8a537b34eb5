"""The meta-analyst's question: for an outcome, an intervention and a comparator, each arm's numbers.

`query(record, outcome=..., intervention=..., comparator=...)` matches the free-text strings loosely to the
record's arms (names, drugs) and outcome endpoints, and returns an `Answer`: the outcome type and, per arm,
events and group size (binary) or mean, SD and group size (continuous), each with the evidence span it was
read from, or None where the record does not say. Group sizes come from the outcome item, else from the arm.
Derived numbers are derived the way a reviewer derives them (events from a printed percent and the group
size; an SD from an SE and the group size) and say so in `derived`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from extractor.nlp.prose import sentence_bounds
from extractor.nlp.text.arms import Arm as TextArm
from extractor.nlp.text.arms import ArmRegistry, arm_patterns
from extractor.nlp.text.results import Statement, arm_spans, read_statements, result_patterns
from extractor.query_time import BASELINE, prefer_time, time_in_days, time_key
from extractor.query_words import MIN_ENDPOINT_SIMILARITY, similarity, synonyms, text_abbreviations, words
from extractor.record import AdverseEvent, Arm, ArticleRecord, Characteristic, LabValue, Outcome, Span

AnswerType = Literal["binary", "continuous"]

_BINARY_WORDS = re.compile(
    r"\b(?:incidence|rate|rates|proportion|number of|events?|mortality|death|deaths|died|survival|"
    r"recurrence|relapse|remission|response|responders?|success|failure|cure|cured|infection|infections|"
    r"occurrence|adverse|complications?|vomiting|nausea|headache|bleeding|pregnancy|need for|use of|requiring|"
    r"admission|readmission|hospitali[sz]ation|discontinuation|withdrawal|abstinence|positive|negative)\b",
    re.I,
)


@dataclass(frozen=True)
class ArmNumbers:
    arm: str | None
    events: int | None = None
    group_size: int | None = None
    mean: float | None = None
    sd: float | None = None
    evidence: list[Span] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)  # fields computed, not printed ('events from 35% of 40')


@dataclass(frozen=True)
class Answer:
    outcome_type: AnswerType | None
    intervention: ArmNumbers
    comparator: ArmNumbers
    endpoint: str | None = None  # the record's endpoint the question was matched to
    timepoint: str | None = None

    def fields(self) -> dict[str, Any]:
        """The Yun et al. (2024) answer fields; None for unknown."""
        i, c = self.intervention, self.comparator
        return {
            "outcome_type": self.outcome_type,
            "intervention_events": i.events,
            "intervention_group_size": i.group_size,
            "comparator_events": c.events,
            "comparator_group_size": c.group_size,
            "intervention_mean": i.mean,
            "intervention_standard_deviation": i.sd,
            "comparator_mean": c.mean,
            "comparator_standard_deviation": c.sd,
        }


def query(record: ArticleRecord, outcome: str, intervention: str, comparator: str) -> Answer:
    """Both arms' numbers for one outcome (see the module docstring). An intervention naming two or more of the
    record's arms ('metformin or pioglitazone') asks for them pooled (`_pooled`)."""
    arm_i, arm_c = match_arms(record.arms, intervention, comparator)
    pooled = pooled_arms(record.arms, intervention, arm_c)
    if pooled:
        return _pooled([_answer(record, outcome, arm, arm_c) for arm in pooled])
    return _answer(record, outcome, arm_i, arm_c)


def _answer(record: ArticleRecord, outcome: str, arm_i: Arm | None, arm_c: Arm | None) -> Answer:
    measured = [
        *record.outcomes,
        *map(_as_outcome, record.characteristics),
        *map(_lab_outcome, record.lab_values),
    ]
    defined = text_abbreviations(record.text) if record.text else None
    candidates = _candidates(measured, outcome, defined)
    best, score = _best_pair(candidates, arm_i, arm_c, record.arms, outcome) or (None, 0.0)
    if best is None or None in best:
        # an adverse-event table counts each arm; an event named there answers what no result gave for both arms
        events = [
            (score, o)
            for score, o in _candidates(_event_outcomes(record.adverse_events, record.arms), outcome, defined)
            if _names_event(outcome, o.endpoint)
        ]
        counted = _best_pair(events, arm_i, arm_c, record.arms, outcome)
        if counted is not None and None not in counted[0]:
            best, score = counted
    if (best is None or None in best or score < STRONG_ENDPOINT_SIMILARITY) and record.text:
        # the items name the outcome weakly or for one arm: a sentence naming every word of it may say more
        read = _read_for(record, outcome, arm_i, arm_c)
        if read is not None:
            share, pair, said = read
            complete = pair[0] is not None and pair[1] is not None
            if best is None or (complete and (None in best or (share == 1.0 and said))):
                best = pair
    if best is None:
        return Answer(guess_type(outcome), _arm_only(arm_i), _arm_only(arm_c))
    out_i, out_c = best
    kind: AnswerType = "binary" if _is_binary(out_i) or _is_binary(out_c) else "continuous"
    first = out_i or out_c
    assert first is not None
    return Answer(
        kind,
        _numbers(out_i, arm_i, kind),
        _numbers(out_c, arm_c, kind),
        endpoint=first.endpoint,
        timepoint=first.timepoint,
    )


def _pooled(answers: list[Answer]) -> Answer:
    """Arms asked for together: their events and group sizes summed, as a reviewer pools them, when every arm
    has them for one endpoint. A pooled mean or SD is left unknown: the article prints none for the pooled group
    (a meta-analyst computes one with the Cochrane Handbook's formula, 6.5.2.10, from the per-arm numbers)."""
    parts = [a.intervention for a in answers]
    same = len({(a.endpoint, a.timepoint) for a in answers}) == 1

    def total(values: list[int | None]) -> int | None:
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)

    pooled = ArmNumbers(
        " + ".join(p.arm or "?" for p in parts),
        events=total([p.events for p in parts]) if same else None,
        group_size=total([p.group_size for p in parts]),
        evidence=[span for p in parts for span in p.evidence],
        derived=[f"pooled: {' + '.join(p.arm or '?' for p in parts)}"],
    )
    first = answers[0]
    comparator = first.comparator if same else ArmNumbers(first.comparator.arm, group_size=first.comparator.group_size)
    if not same:
        return Answer(first.outcome_type, pooled, comparator)
    return Answer(first.outcome_type, pooled, comparator, endpoint=first.endpoint, timepoint=first.timepoint)


# --- arms ---------------------------------------------------------------------------------------------------

# not 'and' ('A and B' names one arm given both), nor a number's comma ('1,000 mg')
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;](?!\d)|\bor\b)\s*", re.I)
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
MIN_PART_SCORE = 0.5  # a piece of a listed intervention names an arm as surely as a question names an endpoint


def pooled_arms(arms: list[Arm], intervention: str, comparator: Arm | None) -> list[Arm]:
    """The arms an intervention lists one by one ('metformin 1,000 mg daily, sitagliptin 100 mg daily' against
    placebo, 'Mild-cooling or deep-cooling'): each piece outside brackets names one arm, and best; two or more,
    else none."""
    pieces = [piece for piece in _LIST_SEPARATOR.split(_BRACKETED.sub(" ", intervention)) if words(piece)]
    named: list[Arm] = []
    for piece in pieces if len(pieces) > 1 else ():
        scored = sorted(((_arm_score(a, piece), k) for k, a in enumerate(arms) if a is not comparator), reverse=True)
        if scored and scored[0][0] >= MIN_PART_SCORE and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            arm = arms[scored[0][1]]
            if arm not in named:
                named.append(arm)
    return named if len(named) > 1 else []


def match_arms(arms: list[Arm], intervention: str, comparator: str) -> tuple[Arm | None, Arm | None]:
    """The record's arms the two phrases name; with two arms, naming one names the other."""
    if not arms:
        return None, None
    scores_i = [_arm_score(a, intervention) for a in arms]
    scores_c = [_arm_score(a, comparator) for a in arms]
    best: tuple[float, Arm | None, Arm | None] = (0.0, None, None)
    for i, a in enumerate(arms):
        for j, b in enumerate(arms):
            if i != j and scores_i[i] + scores_c[j] > best[0]:
                best = (scores_i[i] + scores_c[j], a, b)
    total, arm_i, arm_c = best
    if total <= 0:
        return _by_role(arms)
    if len(arms) > 2:
        arm_i = arm_i if arm_i is not None and scores_i[arms.index(arm_i)] > 0 else None
        arm_c = arm_c if arm_c is not None and scores_c[arms.index(arm_c)] > 0 else None
    return arm_i, arm_c


def _by_role(arms: list[Arm]) -> tuple[Arm | None, Arm | None]:
    """A question naming neither arm's words, in a two-arm trial with one control arm ('intervention' vs
    'control'): the intervention is the other arm."""
    if len(arms) != 2:
        return None, None
    control = [a for a in arms if _is_control(a)]
    if len(control) != 1:
        return None, None
    other = arms[1] if control[0] is arms[0] else arms[0]
    return other, control[0]


def _is_control(arm: Arm) -> bool:
    return "placebo" in arm.name or any(arm_patterns().control_words.search(x) for x in (arm.name, *arm.aliases))


ARM_CUE_BONUS = 0.5  # a drug or a control word shared by phrase and arm outweighs half the words shared


def _arm_score(arm: Arm, phrase: str) -> float:
    score = max([similarity(phrase, arm.name), *(similarity(phrase, alias) for alias in arm.aliases)])
    if any(d in phrase.lower() for d in arm.drugs):
        score += ARM_CUE_BONUS
    if arm_patterns().control_words.search(phrase) and arm_patterns().control_words.search(arm.name):
        score += ARM_CUE_BONUS
    return score


def _arm_only(arm: Arm | None) -> ArmNumbers:
    return ArmNumbers(arm.name if arm else None, group_size=arm.n if arm else None)


# --- outcomes -------------------------------------------------------------------------------------------------

STRONG_ENDPOINT_SIMILARITY = 0.7  # below it, a sentence naming every word of the question is read too
PER_ARM_MEASURES = {"mean", "mean change", "median", "rate", "count", None}


def _as_outcome(c: Characteristic) -> Outcome:
    """A baseline characteristic asked as an outcome ('Baseline hypertension')."""
    return Outcome(
        endpoint=c.name,
        outcome_type="binary" if c.events is not None or c.measure == "rate" else "continuous",
        measure=c.measure,
        value=c.value,
        unit=c.unit,
        sd=c.sd,
        se=c.se,
        events=c.events,
        n=c.n,
        arm=c.arm,
        timepoint="baseline",
        span=c.span,
    )


def _lab_outcome(lab: LabValue) -> Outcome:
    """A group's lab value asked as an outcome ('HbA1c at week 24')."""
    return Outcome(
        endpoint=lab.analyte,
        outcome_type="continuous",
        measure=lab.measure or "mean",
        value=lab.value,
        unit=lab.unit,
        sd=lab.sd,
        se=lab.se,
        n=lab.n,
        arm=lab.arm,
        timepoint=lab.timepoint,
        span=lab.span,
    )


ANY_GRADE = frozenset(["all", "any", "total", "overall"])


def _event_outcomes(events: list[AdverseEvent], arms: list[Arm]) -> list[Outcome]:
    """Each arm's count of an adverse event asked as a binary outcome ('Nausea', 'adverse event of
    constipation'): the participants with it are the events, the group the table counts them in (else the
    arm's size) the group size. Only events
    whose arm is one of the record's arms (by name or alias) answer: a drug named in a table's header that
    is no arm's name ('etoricoxib + naproxen') says nothing of one arm. A grade other than any grade stays
    in the name, so 'Nausea' prefers all grades to 'grade 3-4'."""
    by_name = {a.name.lower(): a for a in arms}
    for arm in arms:
        for alias in arm.aliases:
            by_name.setdefault(alias.lower(), arm)
    found = []
    for ae in events:
        if ae.study is not None:
            continue
        if ae.arm is None and ae.n == 0:
            owners = arms  # 'there were no cases of diabetic ketoacidosis': none in any arm
        else:
            owner = by_name.get((ae.arm or "").lower())
            owners = [owner] if owner is not None else []
        if ae.n is not None:
            measure, value = "count", float(ae.n)
        elif ae.percent is not None:
            measure, value = "rate", ae.percent
        else:
            continue
        grade = (ae.grade or "").strip()
        endpoint = ae.event if not grade or grade.lower() in ANY_GRADE else f"{ae.event} (grade {grade})"
        for owner in owners:
            found.append(
                Outcome(
                    endpoint=endpoint,
                    outcome_type="binary",
                    measure=measure,
                    value=value,
                    events=ae.n,
                    n=ae.group_size,
                    arm=owner.name,
                    span=ae.span,
                )
            )
    return found


_EVENT_WORDS = frozenset(
    ["adverse", "event", "effect", "side", "incidence", "occurrence", "any", "reported", "related", "emergent"]
)
MIN_EVENT_COVER = 0.5  # the share of the question's own words (not 'adverse event of') an event's name must hold


def _names_event(question: str, event: str) -> bool:
    """The question asks about the event itself, not about something the event's name is only part of:
    'adverse event of constipation' names 'constipation', 'Discontinuation due to lack of efficacy' does not
    name 'discontinuations' (a table's row of discontinuations for adverse events)."""
    table = synonyms()
    asked = {table.get(w, w) for w in words(question)} - _EVENT_WORDS
    named = {table.get(w, w) for w in words(event)}
    return not asked or len(asked & named) / len(asked) >= MIN_EVENT_COVER


def _candidates(
    outcomes: Iterable[Outcome], phrase: str, defined: dict[str, str] | None = None
) -> list[tuple[float, Outcome]]:
    found = []
    for o in outcomes:
        if o.cited or o.measure not in PER_ARM_MEASURES or o.arm is None:
            continue
        score = similarity(phrase, o.endpoint, defined)
        if score >= MIN_ENDPOINT_SIMILARITY:
            found.append((score, o))
    return found


def _best_pair(
    candidates: list[tuple[float, Outcome]], arm_i: Arm | None, arm_c: Arm | None, arms: list[Arm], phrase: str
) -> tuple[tuple[Outcome | None, Outcome | None], float] | None:
    """The best-named endpoint (and time point) reported for both arms; one arm's alone if none has both."""
    if not candidates or (arm_i is None and arm_c is None):
        return None
    groups: dict[tuple[str, str | None, str | None], dict[str, Outcome]] = {}
    scores: dict[tuple[str, str | None, str | None], float] = {}
    for score, o in candidates:
        key: tuple[str, str | None, str | None] = (o.endpoint.lower(), time_key(o.timepoint), _family(o.measure))
        groups.setdefault(key, {}).setdefault(o.arm or "", o)
        scores[key] = max(scores.get(key, 0.0), score)
    names = {a.name for a in (arm_i, arm_c) if a is not None}
    wants_baseline = bool(BASELINE.search(phrase))
    asked_days = time_in_days(phrase)
    ranked = sorted(
        groups,
        key=lambda k: (
            sum(n in groups[k] for n in names),
            round(scores[k], 2),
            prefer_time(k[1], wants_baseline, asked_days),
        ),
        reverse=True,
    )
    for key in ranked:
        by_arm = groups[key]
        out_i = by_arm.get(arm_i.name) if arm_i else None
        out_c = by_arm.get(arm_c.name) if arm_c else None
        if out_i is not None or out_c is not None:
            return (out_i, out_c), scores[key]
    return None


MIN_SENTENCE_SIMILARITY = 0.6  # the share of the question's outcome words a sentence must hold
MAX_SENTENCES_READ = 5  # the best-matching sentences read for a value when no record item answers


def _read_for(
    record: ArticleRecord, outcome: str, arm_i: Arm | None, arm_c: Arm | None
) -> tuple[float, tuple[Outcome | None, Outcome | None], bool] | None:
    """The question read from the text itself: the sentences that name the outcome best, read with the prose
    result reader (`nlp.text.results`), for a result of both arms the record's items did not name this way.
    Returns the share of the question's words the sentence holds, the pair, and whether the sentence said both
    arms' numbers (False for 'there were no cases of X', read as none in either arm)."""
    if arm_i is None or arm_c is None or not record.text:
        return None
    text = record.text
    table = synonyms()
    wanted = {table.get(w, w) for w in words(outcome)}
    if not wanted:
        return None
    scored = []
    for start, end in sentence_bounds(text):
        if record_section(record, start) == "references":
            continue
        have = {table.get(w, w) for w in words(text[start:end])}
        share = len(wanted & have) / len(wanted)
        if share >= MIN_SENTENCE_SIMILARITY:
            scored.append((share, start, end))
    spans = arm_spans(text, _registry(record.arms))
    names = [a.name for a in record.arms]
    said: list[tuple[float, float, tuple[Outcome | None, Outcome | None]]] = []
    for share, start, end in sorted(scored, key=lambda x: -x[0])[:MAX_SENTENCES_READ]:
        by_arm: dict[str, Outcome] = {}
        for statement in read_statements(text, start, end, spans, names):
            if statement.arm is None or statement.mention.effect is not None or statement.arm in by_arm:
                continue
            by_arm[statement.arm] = _statement_outcome(record, statement)
        if arm_i.name in by_arm and arm_c.name in by_arm:
            pair = (by_arm[arm_i.name], by_arm[arm_c.name])
            said.append((share, similarity(outcome, pair[0].endpoint), pair))
    if said:
        # of sentences naming the outcome as fully, the one whose result names it best
        best_share, _, best = max(said, key=lambda x: (x[0], x[1]))
        return best_share, best, True
    binary = guess_type(outcome) == "binary"
    for share, start, end in scored:
        # 'There were no cases of diabetic ketoacidosis': none in either arm
        if share == 1.0 and binary and result_patterns().none_occurred.search(text, start, end):
            return share, (_none_in(record, start, end, arm_i), _none_in(record, start, end, arm_c)), False
    return None


def _none_in(record: ArticleRecord, start: int, end: int, arm: Arm) -> Outcome:
    text = record.text or ""
    return Outcome(
        endpoint=text[start:end].strip(),
        outcome_type="binary",
        measure="count",
        value=0.0,
        events=0,
        arm=arm.name,
        span=Span(text=text[start:end], start=start, end=end),
    )


def _registry(arms: list[Arm]) -> ArmRegistry:
    registry = ArmRegistry()
    for arm in arms:
        drugs = tuple(arm.drugs) + (("placebo",) if "placebo" in arm.name else ())
        registry.arms.append(TextArm(arm.name, drugs, arm.n, arm.span.start, arm.span.end, set(arm.aliases)))
    return registry


def _statement_outcome(record: ArticleRecord, statement: Statement) -> Outcome:
    reading = statement.mention.reading
    measure = {"value": None}.get(reading.measure, reading.measure)
    start, end = statement.start, statement.end
    return Outcome(
        endpoint=statement.endpoint,
        outcome_type="binary" if reading.binary else "continuous",
        measure=measure,
        value=reading.value,
        unit=statement.mention.unit,
        sd=reading.sd,
        events=reading.events,
        n=reading.n,
        arm=statement.arm,
        timepoint=statement.timepoint,
        span=Span(text=record.text[start:end] if record.text else "", start=start, end=end),
    )


def record_section(record: ArticleRecord, offset: int) -> str | None:
    return next((s.name for s in record.sections if s.start <= offset < s.end), None)


def _family(measure: str | None) -> str:
    return "binary" if measure in ("rate", "count") else "continuous"


def _is_binary(o: Outcome | None) -> bool:
    return o is not None and (o.outcome_type == "binary" or o.events is not None or o.measure in ("rate", "count"))


def _numbers(o: Outcome | None, arm: Arm | None, kind: AnswerType) -> ArmNumbers:
    if o is None:
        return _arm_only(arm)
    n = o.n if o.n is not None else (arm.n if arm else None)
    derived: list[str] = []
    if kind == "binary":
        events = o.events
        if events is None and o.measure == "rate" and o.value is not None and n:
            events = round(o.value * n / 100.0)
            derived.append(f"events = {o.value}% of {n}")
        elif events is None and o.measure == "count" and o.value is not None:
            events = int(o.value)
        return ArmNumbers(o.arm, events=events, group_size=n, evidence=[o.span], derived=derived)
    if o.measure not in ("mean", "mean change"):
        # a median (or a rate) is no mean: a meta-analyst does not pool it as one
        return ArmNumbers(o.arm, group_size=n, evidence=[o.span], derived=derived)
    sd = o.sd
    if sd is None and o.se is not None and n:
        sd = round(o.se * math.sqrt(n), 4)
        derived.append(f"sd = se {o.se} x sqrt({n})")
    return ArmNumbers(o.arm, group_size=n, mean=o.value, sd=sd, evidence=[o.span], derived=derived)


def guess_type(outcome: str) -> AnswerType:
    """The outcome type a question names when the record has no numbers for it."""
    return "binary" if _BINARY_WORDS.search(outcome) else "continuous"
