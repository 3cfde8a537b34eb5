"""Results in prose, any endpoint: the numbers a sentence reports per arm, and the effect estimates it gives.

A sentence reports a result when it prints statistics ('21.4 ± 10.8', 'six patients (28.5%)', '14 of 40
(35%)', '58 (51–60)', '0.42 (95% CI 0.2 to 0.6)') and names whose they are: an arm right after a value ('in
the TAP group'), before it ('lemon verbena group: 102 ± 5%'), in a list closed by 'respectively', or the two
arms the clause compares ('between the EMS and the control group ... (21.4 ± 10.8 versus 14.8 ± 10.7 kg)').
Effect estimates ('mean difference −0.42 (95% CI −0.62 to −0.23; p<0.001)', 'HR 0.93 (95% CI 0.71-1.21)',
'odds ratio (OR), 4.342, 95% CI 1.764–10.687') need no arm. The endpoint is what the clause reports on: its
subject before the values ('the total FIQ scores ... decreased'), else what the patients had after them ('had
moderate to severe pain on coughing'). Statistical words (SD, SE, CI, IQR) never name an endpoint.

Pure functions over the text; arms are passed in as `ArmSpan`s (where the text names each arm: `arm_spans`).
Patterns are data (`lexicons/result_rules.json`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractor.nlp.rules import result_rules
from extractor.nlp.text.alternation import longest_first
from extractor.nlp.text.arms import PLACEBO, ArmRegistry, arm_patterns
from extractor.nlp.text.numbers import MINUS, NUM, WORD_NUM, as_count, parse_number
from extractor.nlp.text.stats import Reading, Stat, StatHint, interpret

_SIGNED = rf"[{MINUS}+]?\s?{NUM}"
# Character windows before and after a value, each as wide as the words it reads:
HINT_BEFORE = 40  # the statistic named before 'mean ± SD' ('mean (SD)', 'median')
UNIT_AFTER = 20  # a unit printed after an interval: '102 (90–117) hours'
CI_HINT_BEFORE = 60  # ... and before an interval, wider: 'median (interquartile range)' and the like
NOT_RESULT_BEFORE = 30  # a threshold or comparison before a percentage (result_rules not_result)
P_AFTER = 60  # a p-value right after a value, within its parenthetical
ENDPOINT_WORDS = 10  # an endpoint is a noun phrase; more words are a clause read past its end
LABEL_CHARS = 60  # 'HIV-1 RNA < 50 copies/mL:' printed right before the values it labels
LABEL_BEFORE = re.compile(
    r"(?:^|[(\[;,.]|\s[-–—]\s)\s*(?P<label>(?![^:]*\b(?:vs|versus)\b)[A-Za-z][^:;()\[\]=]{1,58}?)\s*:\s*$"
)  # not 'control vs doxycycline 10 μg/ml:', which names the arms compared


@dataclass(frozen=True)
class ResultPatterns:
    unit: re.Pattern[str]
    effect: dict[str, re.Pattern[str]]
    p_value: re.Pattern[str]
    respectively: re.Pattern[str]
    comparison: re.Pattern[str]
    versus: re.Pattern[str]
    arm_after: re.Pattern[str]
    arm_before: re.Pattern[str]
    subject_stop: re.Pattern[str]
    subject_lead: re.Pattern[str]
    subject_trail: re.Pattern[str]
    not_endpoint: re.Pattern[str]
    object_verbs: re.Pattern[str]
    clause_break: re.Pattern[str]
    not_result: re.Pattern[str]
    cited: re.Pattern[str]
    endpoint_in: re.Pattern[str]
    weak_subject: re.Pattern[str]
    timepoint: re.Pattern[str]
    stat_paren: re.Pattern[str]
    hypothetical: re.Pattern[str]
    arm_adjacent: re.Pattern[str]
    none_occurred: re.Pattern[str]
    when_subject: re.Pattern[str]
    change_subject: re.Pattern[str]
    change_before_in: re.Pattern[str]
    change_by: re.Pattern[str]
    change_verb: re.Pattern[str]
    participant_flow: re.Pattern[str]
    allocated: re.Pattern[str]


@lru_cache(maxsize=1)
def result_patterns() -> ResultPatterns:
    data = result_rules()
    compiled = {
        k: re.compile(v.replace("{NUM}", NUM).replace("{WORD_NUM}", WORD_NUM), re.I)
        for k, v in data.model_dump(exclude={"meta", "effect"}).items()
    }
    effect = {k: re.compile(v.replace("{NUM}", NUM)) for k, v in data.effect.items()}
    return ResultPatterns(effect=effect, **compiled)


@dataclass(frozen=True)
class ArmSpan:
    """Where the text names an arm: 'the TAP group', 'placebo', 'group L'."""

    start: int
    end: int
    arm: str


def arm_spans(text: str, registry: ArmRegistry) -> list[ArmSpan]:
    """Every place the text names one of the arms: its names and aliases, 'the X group', a drug only it has."""
    surfaces: dict[str, str] = {}
    drug_arms: dict[str, set[str]] = {}
    for arm in registry.arms:
        for drug in arm.drugs:
            drug_arms.setdefault(drug, set()).add(arm.name)
    for arm in registry.arms:
        names = {arm.name, *arm.aliases}
        names |= {d for d in arm.drugs if len(drug_arms.get(d, ())) == 1}
        if PLACEBO in arm.drugs:
            names.add(PLACEBO)
        for name in names:
            name = name.strip()
            if len(name) >= 2 and not re.fullmatch(r"[\d\s.]+", name):
                surfaces.setdefault(name.lower(), arm.name)
    if not surfaces:
        return []
    alternation = longest_first(surfaces, re.I)  # a trie: one scan however many arms a long text names
    group = r"(?:\s+(?:group|arm|groups|arms)\b)?"
    pattern = re.compile(rf"(?<![\w-])(?:the\s+)?(?P<name>{alternation})(?![\w-]){group}", re.I)
    found = [ArmSpan(m.start(), m.end(), surfaces[m.group("name").lower()]) for m in pattern.finditer(text)]
    found += [
        ArmSpan(m.start(), m.end(), name)
        for m in arm_patterns().group_name.finditer(text)
        for name in [next((a.name for a in registry.arms if m.group().lower() in a.aliases), "")]
        if name
    ]
    return sorted(found, key=lambda a: a.start)


@dataclass(frozen=True)
class StatMention:
    """A printed statistic in prose, read."""

    start: int
    end: int
    reading: Reading
    unit: str | None
    p_value: str | float | None = None
    effect: str | None = None  # HR | OR | RR | difference, for an effect estimate


@dataclass(frozen=True)
class Statement:
    """One result: its endpoint, the statistic, and the arm it belongs to (None: the comparison's effect)."""

    endpoint: str
    mention: StatMention
    arm: str | None
    comparator: str | None
    start: int  # evidence: the clause from its subject to the value
    end: int
    timepoint: str | None = None
    cited: bool = False


# --- statistics in prose --------------------------------------------------------------------------------------

_PM = re.compile(
    rf"(?<![\w.])(?P<v>{_SIGNED})\s*(?P<u1>%|[A-Za-zµμ°/][\w/µμ°^.·-]{{0,14}})?\s*(?:±|\+/-|\+/−|\+\s*/\s*-)\s*"
    rf"(?P<sd>{NUM})\s*(?P<u2>%|[A-Za-zµμ°/][\w/µμ°^.·-]{{0,14}})?"
)
_COUNT = re.compile(
    rf"(?<![\w.])(?P<n>\d[\d,]*|{WORD_NUM})\s+(?:(?:of|out\s+of)\s+(?:the\s+)?(?P<of>\d[\d,]*)\s+)?"
    rf"(?:[a-z-]+\s+){{0,2}}?\(\s*(?P<p>{NUM})\s*%\s*(?:\)|[,;][^()]{{0,40}}\))"
    rf"|(?<![\w.])(?P<n2>\d[\d,]*)\s*/\s*(?P<of2>\d[\d,]*)\s*\(\s*(?P<p2>{NUM})\s*%\s*\)"
    rf"|(?<![\w.])(?P<p3>{NUM})\s*%\s*\(\s*(?P<n3>\d[\d,]*)\s*(?:/\s*(?P<of3>\d[\d,]*)|of\s+(?P<of4>\d[\d,]*))?\s*\)",
    re.I,
)
_INTERVAL = re.compile(
    rf"(?<![\w.])(?P<v>{_SIGNED})\s*(?P<u>%|[A-Za-zµμ°/][\w/µμ°^.·-]{{0,14}})?\s*[(\[]\s*(?:(?P<lvl>\d{{2}}(?:\.\d)?)\s*%\s*"
    rf"(?:CI|confidence\s+interval)\s*[:,=]?\s*)?(?P<lo>{_SIGNED})\s*(?P=u)?\s*(?:[–—]|-{{1,2}}|to|,|;)\s*(?P<hi>{_SIGNED})\s*(?P=u)?\s*[)\]]",
    re.I,
)
_UNIT_AFTER = re.compile(r"\s*([A-Za-zµμ°/][\w/µμ°^.·-]{0,14})")
# a minus right before a percentage, after a space or a bracket but not after a number, is its sign ('by -0.67%')
_PERCENT = re.compile(rf"(?<![\w.])(?P<v>(?:(?<![\d%]\s)(?<=[\s(])[-{MINUS}])?{NUM})\s*%(?!\s*(?:CI|confidence))")
_PEOPLE = re.compile(
    rf"(?<![\w.,])(?P<n>\d[\d,]*|(?i:{WORD_NUM}))\s+(?:(?:of\s+the\s+)?(?:patients|subjects|participants|women|men|"
    r"children|infants|cases|households|samples|persons|individuals|mothers|babies|neonates|eyes|teeth)\b)",
    re.I,
)
_BARE_COUNT = re.compile(
    r"(?:\b(?:was|were)|:)\s+(?P<n>\d[\d,]*)(?![\d.,]|\s*(?:%|mg|g\b|kg|ml|mm|cm|min|h\b|hr|hours?|days?|weeks?|months?|"
    r"years?|µ|μ|times|points?)\b)"
)


def find_stats(text: str, start: int, end: int) -> list[StatMention]:
    """Statistics printed in text[start:end], in order; a looser pattern never reads what a stricter one read."""
    p = result_patterns()
    found: list[StatMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(lo < b and a < hi for lo, hi in taken)

    def add(mention: StatMention) -> None:
        found.append(mention)
        taken.append((mention.start, mention.end))

    window = text[start:end]
    for name, pattern in p.effect.items():
        for m in pattern.finditer(window):
            a, b = start + m.start(), start + m.end()
            value = parse_number(m.group("v"))
            if value is None or not free(a, b):
                continue
            lo = parse_number(m.group("lo")) if m.groupdict().get("lo") else None
            hi = parse_number(m.group("hi")) if m.groupdict().get("hi") else None
            reading = Reading("value", value, low=lo, high=hi, interval="ci" if lo is not None else None)
            add(StatMention(a, b, reading, None, _p_after(text, b, end), name))
    for m in _COUNT.finditer(window):
        a, b = start + m.start(), start + m.end()
        if not free(a, b):
            continue
        n = as_count(parse_number(m.group("n") or m.group("n2") or m.group("n3") or ""))
        pct = parse_number(m.group("p") or m.group("p2") or m.group("p3") or "")
        of = as_count(parse_number(m.group("of") or m.group("of2") or m.group("of3") or m.group("of4") or ""))
        if n is None or pct is None or pct > 100:
            continue
        add(StatMention(a, b, Reading("rate", pct, events=n, percent=pct, n=of), "%", _p_after(text, b, end)))
    for m in _PM.finditer(window):
        a, b = start + m.start(), start + m.end()
        value, sd = parse_number(m.group("v")), parse_number(m.group("sd"))
        if value is None or sd is None or not free(a, b):
            continue
        unit = _unit(m.group("u1")) or _unit(m.group("u2"))
        if unit is None and m.group("u2") and not _unit(m.group("u2")):
            b = start + m.end("sd")
        hint = StatHint.of(text[max(start, a - HINT_BEFORE) : a])
        reading = interpret(Stat(value, second=sd, pm=True), hint)
        add(StatMention(a, b, reading, unit, _p_after(text, b, end)))
    listed = StatHint()  # 'median (95% CI) time was 102 (90–117) hours for A and 72 (62–80) hours for B'
    for m in _INTERVAL.finditer(window):
        a, b = start + m.start(), start + m.end()
        value, lo, hi = parse_number(m.group("v")), parse_number(m.group("lo")), parse_number(m.group("hi"))
        if value is None or lo is None or hi is None or not free(a, b) or not lo <= value <= hi:
            continue
        before = text[max(start, a - CI_HINT_BEFORE) : a] + " " + ((m.group("lvl") and "95% CI") or "")
        hint = listed = StatHint.of(before).over(listed)
        # '73.9% (67.0% – 80.3 %)': a percentage with its interval is a rate, unless a mean is said
        percent = m.group("u") == "%" and hint.center not in ("mean", "median")
        reading = interpret(Stat(value, low=lo, high=hi, value_is_percent=percent), hint)
        after = _UNIT_AFTER.match(text, b, min(end, b + UNIT_AFTER))  # '102 (90–117) hours'
        unit = _unit(m.group("u")) or (_unit(after.group(1)) if after else None)
        add(StatMention(a, b, reading, unit, _p_after(text, b, end)))
    counting = re.search(r"\bnumbers?\s+of\b", window, re.I) is not None
    for pattern in (_PEOPLE, _BARE_COUNT) if counting else (_PEOPLE,):
        for m in pattern.finditer(window):
            a, b = start + m.start("n"), start + m.end()
            n = as_count(parse_number(m.group("n")))
            if n is None or not free(a, b):
                continue
            add(StatMention(a, b, Reading("count", float(n), events=n), None, _p_after(text, b, end)))
    for m in _PERCENT.finditer(window):
        a, b = start + m.start(), start + m.end()
        value = parse_number(m.group("v"))
        if value is None or value > 100 or not free(a, b):
            continue
        if p.not_result.search(text[max(start, a - NOT_RESULT_BEFORE) : a]):
            continue
        add(StatMention(a, b, Reading("rate", value, percent=value), "%", _p_after(text, b, end)))
    return sorted(found, key=lambda s: s.start)


def _unit(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip().rstrip(".,;")
    return raw if raw and result_patterns().unit.fullmatch(raw) else None


def _p_after(text: str, at: int, limit: int) -> str | float | None:
    m = result_patterns().p_value.match(text, at, min(limit, at + P_AFTER))
    if not m:
        return None
    number = m.group("num")
    op = m.group("op")
    if op in ("=", None):
        return parse_number(number)
    return f"{'<' if op in ('<', '≤') else '>'}{number}"


# --- statements -------------------------------------------------------------------------------------------------


def read_statements(
    text: str, start: int, end: int, arms: list[ArmSpan], study_arms: list[str] | None = None
) -> list[Statement]:
    """The results of one sentence text[start:end]; `study_arms` names the study's arms (a pair of values with
    one arm named is the two arms' when there are two)."""
    study_arms = study_arms or []
    p = result_patterns()
    if p.hypothetical.search(text, start, end):
        return []  # sample-size assumptions, definitions and criteria are not results
    stats = find_stats(text, start, end)
    if not stats:
        return []
    here = [a for a in arms if start <= a.start and a.end <= end]
    cited = bool(p.cited.search(text[start:end]))
    statements: list[Statement] = []
    for clause_start, clause_end in _clauses(text, start, end):
        inside = [s for s in stats if clause_start <= s.start < clause_end]
        if p.participant_flow.search(text, clause_start, clause_end):
            # who was evaluated or allocated is no result: its counts, and shares allocated ('1808 (50%)
            # randomized to zofenopril, 951 (26%) to placebo')
            inside = [
                s
                for s in inside
                if s.reading.measure != "count"
                and not (s.reading.events and p.allocated.match(text, s.end, clause_end))
            ]
        if not inside:
            continue
        clause_arms = [a for a in here if clause_start <= a.start < clause_end]
        owners = _owners(text, inside, clause_arms, clause_start, clause_end, study_arms)
        endpoint = endpoint_of(text, clause_start, clause_end, inside, clause_arms)
        if endpoint is None:
            continue
        changed = False
        for mention, owner in zip(inside, owners, strict=True):
            if mention.effect is None and owner is None:
                continue
            said, mention = _changed_by(text, clause_start, mention, changed)
            changed = changed or said  # 'fell by 0.8% in the 300 mg group ... versus 0.1% with placebo'
            reported = f"{endpoint} change" if said and not endpoint.endswith(" change") else endpoint
            comparator = None
            if mention.effect is not None:
                named = list(dict.fromkeys(a.arm for a in clause_arms))
                owner, comparator = _compared(text, mention, clause_arms) or (
                    named[0] if named else None,
                    named[1] if len(named) > 1 else None,
                )
            when = p.timepoint.search(text, clause_start, clause_end)
            statements.append(
                Statement(
                    reported,
                    mention,
                    owner,
                    comparator,
                    clause_start,
                    mention.end,
                    timepoint=when.group().strip().lower() if when else None,
                    cited=cited,
                )
            )
    return _oriented(text, statements)


CHANGE_BY_REACH = 40  # 'by' and its qualifier right before a value ('by a mean of 0.8%')


def _changed_by(text: str, clause_start: int, mention: StatMention, changed: bool) -> tuple[bool, StatMention]:
    """'reduced by 7%', 'fell by 0.8% ... and by 0.6%': the value is a change of the clause's endpoint, and so is
    every value after one (`changed`: 'versus 0.1% with placebo'); after a verb of decrease, an unsigned value is
    negative."""
    p = result_patterns()
    if mention.effect is not None:
        return False, mention
    if not changed and not p.change_by.search(text, max(clause_start, mention.start - CHANGE_BY_REACH), mention.start):
        return False, mention
    verbs = list(p.change_verb.finditer(text, clause_start, mention.start))
    if not verbs:
        return False, mention
    value = mention.reading.value
    if verbs[-1].group("down") and value > 0 and text[mention.start].isdigit():
        mention = replace(mention, reading=replace(mention.reading, value=-value))
    return True, mention


_TIME_UNIT = re.compile(r"(?:min(?:utes?)?|h|hrs?|hours?|days?|weeks?|months?|years?)", re.I)
_VERSUS = re.compile(r"\b(?:vs\.?|versus)(?!\w)", re.I)
EXPLICIT_ORDER_BEFORE = 60  # chars before a ratio searched for 'A vs B', which states its direction


def _compared(text: str, mention: StatMention, arms: list[ArmSpan]) -> tuple[str, str] | None:
    """'metformin vs placebo – OR (95% CI), 5.2': the two arms an effect estimate's 'A vs B' names just before it."""
    before = [a for a in arms if mention.start - EXPLICIT_ORDER_BEFORE <= a.start and a.end <= mention.start]
    for first, second in reversed(list(itertools.pairwise(before))):  # the pair nearest the estimate first
        if first.arm != second.arm and _VERSUS.fullmatch(text[first.end : second.start].strip()):
            return first.arm, second.arm
    return None


def _oriented(text: str, statements: list[Statement]) -> list[Statement]:
    """An odds or risk ratio printed with both arms' rates, or a hazard ratio with both arms' median times, in
    one sentence names first the arm its direction points at: 'failed in 30 of 167 (18%) of the cefixime group
    and 2 of 190 (1%) of the gatifloxacin group, OR 0.049' is gatifloxacin's against cefixime's (a ratio below 1
    puts the lower rate, or the longer time, first), whatever order the sentence names them in. An HR beside rates
    is left as read: a survival rate runs against the hazard of the event, and so is a ratio after 'A vs B'."""
    rates: dict[str, float] = {}
    times: dict[str, float] = {}
    for s in statements:
        reading = s.mention.reading
        if s.mention.effect is not None or s.arm is None or reading.value is None:
            continue
        if reading.measure == "rate":
            rates.setdefault(s.arm, reading.value)
        elif reading.measure in ("median", "mean") and s.mention.unit and _TIME_UNIT.fullmatch(s.mention.unit):
            times.setdefault(s.arm, reading.value)
    oriented = []
    for s in statements:
        ratio = s.mention.reading.value
        a, b = s.arm, s.comparator
        if (
            s.mention.effect in ("OR", "RR", "HR")
            and a
            and b
            and ratio not in (None, 1.0)
            and not _VERSUS.search(text, max(s.start, s.mention.start - EXPLICIT_ORDER_BEFORE), s.mention.start)
        ):
            values, lower_first = (rates, True) if s.mention.effect != "HR" else (times, False)
            known = a in values and b in values and values[a] != values[b]
            if known and (ratio < 1) != ((values[a] < values[b]) == lower_first):
                s = replace(s, arm=b, comparator=a)
        oriented.append(s)
    return oriented


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence cut at semicolons and 'whereas/while' outside brackets."""
    cuts = [start]
    depth = 0
    for k in range(start, end):
        ch = text[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and result_patterns().clause_break.match(text, k, end):
            cuts.append(k + 1)
    cuts.append(end)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _owners(
    text: str, stats: list[StatMention], arms: list[ArmSpan], start: int, end: int, study_arms: list[str]
) -> list[str | None]:
    """The arm each statistic belongs to."""
    p = result_patterns()
    owners: list[str | None] = [None] * len(stats)
    per_arm = [i for i, s in enumerate(stats) if s.effect is None]
    if not per_arm or (not arms and len(study_arms) != 2):
        return owners
    last = stats[per_arm[-1]]
    # 'V1, V2 and V3 in A, B and C, respectively' / 'V1 and V2 in the A and B groups, respectively'
    tail = text[last.end : end]
    if p.respectively.search(tail):
        following = [a for a in arms if a.start >= last.end]
        names = list(dict.fromkeys(a.arm for a in following))
        if len(names) >= len(per_arm) >= 2:
            for k, i in enumerate(per_arm):
                owners[i] = names[k]
            return owners
        before = list(dict.fromkeys(a.arm for a in arms if a.end <= stats[per_arm[0]].start))
        if len(before) >= len(per_arm) >= 2:
            for k, i in enumerate(per_arm):
                owners[i] = before[k]
            return owners
    for i in per_arm:
        s = stats[i]
        nxt = stats[i + 1].start if i + 1 < len(stats) else end
        after = next(
            (
                a
                for a in arms
                if s.end <= a.start < nxt
                and (p.arm_after.fullmatch(text[s.end : a.start]) or p.arm_adjacent.fullmatch(text[s.end : a.start]))
            ),
            None,
        )
        if after is not None:
            owners[i] = after.arm
            continue
        prev = stats[i - 1].end if i > 0 else start
        preceding = [
            a for a in arms if prev <= a.start and a.end <= s.start and p.arm_before.fullmatch(text[a.end : s.start])
        ]
        if preceding:
            owners[i] = preceding[-1].arm
    # a pair of one arm's value and an unowned value, in a two-arm study: the other arm's (unless 'respectively'
    # lists what else the two differ by: 'achieved 83.5% and 87.7% in the ITT and PP analyses, respectively')
    pair = len(per_arm) == 2 and len({owners[i] for i in per_arm} - {None}) == 1 and len(study_arms) == 2
    if pair and not p.respectively.search(tail):
        known = next(owners[i] for i in per_arm if owners[i] is not None)
        other = next((a for a in study_arms if a != known), None)
        for i in per_arm:
            if owners[i] is None:
                owners[i] = other
        return owners
    # '(V1 versus V2)' after a clause comparing two arms: in the order the clause names them; in a two-arm
    # study whose clause names no arm ('mean daytime SBP (13.5 ± 0.8 vs 10.0 ± 1.1 mmHg)', 'HIV-1 RNA < 50
    # copies/mL: 75% (40/53) vs 83% (44/53)'), in the order the article names its arms (the title's first)
    unowned = [i for i in per_arm if owners[i] is None]
    if len(unowned) == 2 and all(owners[i] is None for i in per_arm):
        a, b = stats[unowned[0]], stats[unowned[1]]
        if p.comparison.fullmatch(text[a.end : b.start]):
            named = list(dict.fromkeys(x.arm for x in arms if x.end <= a.start))
            if len(named) >= 2:
                owners[unowned[0]], owners[unowned[1]] = named[-2], named[-1]
            elif not arms and len(study_arms) == 2 and p.versus.fullmatch(text[a.end : b.start]):
                owners[unowned[0]], owners[unowned[1]] = study_arms
    return owners


# an arm named in an object after one of these words ends the object ('in the cefixime recipients')
_ARM_LEAD = re.compile(r"\b(?:in|among|for|with|after|on|receiving|between)(?:\s+(?:the|both|each|either))?\s*$", re.I)
_OBJECT_TAIL = re.compile(r"(?:\s+(?:in|of|among|for|with|on|the|a|an|as|both|each|either))+$", re.I)


def endpoint_of(text: str, start: int, end: int, stats: list[StatMention], arms: list[ArmSpan]) -> str | None:
    """What the clause reports on: its subject before the first value or arm, else what follows 'had'."""
    p = result_patterns()
    label = LABEL_BEFORE.search(text[max(start, stats[0].start - LABEL_CHARS) : stats[0].start])
    if label and not p.not_endpoint.fullmatch(label.group("label").strip()):
        # 'HIV-1 RNA < 50 copies/mL: 75% (40/53) vs 83% (44/53)': a label and a colon right before the values
        return " ".join(label.group("label").split()[-ENDPOINT_WORDS:])
    first = min([stats[0].start, *(a.start for a in arms if a.start < stats[0].start)])
    before = text[start:first]
    before = re.sub(r"\[[^\]]*\]|\((?:[^()]*\d[^()]*)\)", " ", before)  # citations and bracketed numbers
    before = p.stat_paren.sub(" ", before)
    stop = p.subject_stop.search(before)
    subject = before[: stop.start()] if stop else before
    # an opening phrase set off by a comma is no part of the subject ('At the point that the DSMC asked ...,
    # the median fever clearance time was'; 'In a predefined subgroup of patients ..., mortality was'): the
    # words after the last comma outside brackets
    head, _, tail = subject.rpartition(",")
    if head and head.count("(") == head.count(")"):
        # ('In the PP group, 19 out of 70 (27%) ... had acute clinical failure': no subject before the values)
        subject = tail if re.search(r"[A-Za-z]{3}", tail) else ""

    subject = p.subject_lead.sub("", subject.strip())
    change = p.change_subject.fullmatch(subject.strip(" ,:;-("))
    subject = p.subject_trail.sub("", subject).strip(" ,:;-(")
    if change:
        # 'adjusted mean change from baseline in FPG' ('in FPG' is no unit here): 'FPG change'
        what = p.subject_trail.sub("", change.group("what")).strip(" ,:;-(") or change.group("what")
        subject = f"{what} change"
    words = subject.split()
    if len(words) == 1 and len(subject) <= 4 and subject.lower() in {"the", "a", "an", "this", "that", "its"}:
        words, subject = [], ""
    if words and p.when_subject.fullmatch(subject):
        words, subject = [], ""  # 'One year after surgery, 45 patients ... had died': the endpoint follows
    if p.weak_subject.fullmatch(subject) or not words:
        m = None  # 'no difference ... between the EMS and the control group in handgrip strength (21.4 ± ...)'
        for m in p.endpoint_in.finditer(text, start, stats[0].start):
            if not any(m.start("np") <= a.start < m.end("np") for a in arms):
                break
        if m:
            candidate = p.subject_trail.sub("", m.group("np").rstrip(f" {MINUS}")).strip(" ,:;-")  # 'by -0.67%'
            if (
                candidate
                and not p.not_endpoint.fullmatch(candidate)
                and not any(a.start >= m.start("np") and a.end <= m.end("np") for a in arms)
            ):
                named = " ".join(candidate.split()[:ENDPOINT_WORDS])
                # 'a dose-related mean reduction in HbA1c by -0.67%': 'HbA1c change'
                return f"{named} change" if p.change_before_in.search(text, start, m.start()) else named
    elif (not p.not_endpoint.fullmatch(subject) and re.search(r"[A-Za-z]{2}", subject) and len(words) > 1) or (
        words and re.search(r"[A-Za-z]{2}", subject) and not p.not_endpoint.fullmatch(subject) and len(subject) > 2
    ):
        return " ".join(words[-ENDPOINT_WORDS:])
    m = p.object_verbs.search(text, stats[0].start, end) or p.object_verbs.search(text, start, stats[0].start)
    if m:
        # the object ends where an arm is named ('had acute clinical failure in the cefixime recipients as
        # compared to ...'); a count is no object ('we had 50 out of 187 (27%) in the Cefixime group')
        leads = (a.start for a in arms if a.start >= m.end() and _ARM_LEAD.search(text, m.end(), a.start))
        object_end = min([end, *leads])
        values = [st for st in stats if m.end() <= st.start < object_end]
        if values and not text[m.end() : values[0].start].strip():
            # 'achieved 83.5% (71/85) and 87.7% (71/81) eradication rates': the object follows its values
            at = values[-1].end
            object_end = min([object_end, *(a.start for a in arms if a.start >= at)])
            obj = re.split(r"[,;(]|\b(?:than|compared|versus|vs|in|at|with|among)\b", text[at:object_end])[0]
        else:
            obj = re.split(r"[,;(]|\b(?:than|compared|versus|vs)\b", text[m.end() : object_end])[0]
        obj = _OBJECT_TAIL.sub("", p.subject_trail.sub("", obj.strip())).strip(" ,.")
        if obj and re.search(r"[A-Za-z]{3}", obj) and len(obj.split()) <= ENDPOINT_WORDS and not obj[0].isdigit():
            return obj
    return None
