"""Adverse events: the event (a lowercase preferred term), grade, percent and n, arm, study and causing drug.

Four readings. Table cells: a table whose row labels are adverse-event terms gives one item per cell, its
column header naming the study and arm (`text.adverse_event_tables`). Frequencies in prose: 'stomatitis (56% versus
11%)', 'fatigue (n = 14, 20.0%)', 'grade 3–4 stomatitis occurring in approximately 8% of patients', with the
grade read from the nearest grade cue. Attributions: 'everolimus-induced pneumonitis', 'osteonecrosis of the
jaw induced by denosumab', 'numbness, an adverse effect of docetaxel', 'bevacizumab ... results in skin
necrosis'. Case events: 'developed osteomyelitis during the treatment with everolimus plus exemestane'.
Terms come from `lexicons/ae_terms.tsv` and, with `diseases_key` set (the default pipeline), from the disease
spans of the packaged NER model that the lexicon does not cover (not neoplasms or the treated condition: cue
`not_event_disease`); cue patterns from `lexicons/ae_cues.json`; negated mentions ('no
grade 4 events', 'pneumonitis was not observed') are dropped with the scopes of `extractor_negation`'s rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.extensions import set_extensions
from extractor.nlp.negation_scopes import NegationScopes
from extractor.nlp.positions import Cover, between, match_at
from extractor.nlp.result_doc import DocFacts, Draft, arm_registry, write_spans
from extractor.nlp.result_values import Value, group_values
from extractor.nlp.rules import AeCues, ae_cues, endpoint_rules, load_rules, read_rule_file
from extractor.nlp.study_context import PLACEBO, ArmMention, Regimen, assign_arms
from extractor.nlp.text.adverse_event_tables import AdverseEventTableReader
from extractor.nlp.text.adverse_event_terms import Term, TermMatcher, default_terms, read_grade
from extractor.nlp.text.arms import Arm, ArmRegistry
from extractor.nlp.text.endpoints import EndpointLexicon, EndpointMention
from extractor.nlp.text.numbers import WORD_NUM, parse_number

SPANS_KEY = "adverse_events"
MAX_TERM_TO_VALUE = 150  # a term owns a value printed within about a clause after it
COUNT_BEFORE = 25  # a count right before a summary term ('12 serious adverse events', 'twenty-one treatment-related')
GRADE_BEFORE = 20  # 'grade' just before that count makes it a grade ('grade 3 adverse events'), not a count
PATIENT_EVENT_BEFORE = 60  # 'the patient developed' and up to five words before an event term (ae_cues patient_event)
NONE_BEFORE = 40  # 'there were no reports of clinically significant' before the term the negation holds
COMPARED_ARM = re.compile(
    r"\)?\s*(?:,\s*)?(?:compared\s+(?:with|to)|versus|vs\.?|than\s+(?:in|with))\s+[^().;\s][^().;]{0,49}\(\s*"
)
RANGE_WINDOW = 12  # '1.8–' before a percentage: the range's lower end
RANGE_BEFORE = re.compile(r"\d\s*(?:%\s*)?(?:–|-|to)\s*$")
RANGE_AFTER = re.compile(r"\s*(?:%\s*)?(?:–|-|to)\s*\d")
RANGE_BETWEEN = re.compile(r"\s*(?:%\s*)?(?:–|-|to)\s*")
SUMMARY_ON = re.compile(r"\s+on\b")  # 'adverse events on treatment': a summary term naming a period, not an event


@Language.factory(
    "extractor_adverse_events",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc.spans"],
    default_config={
        "spans_key": SPANS_KEY,
        "terms": "default",
        "cues": "default",
        "negation_rules": "default",
        "diseases_key": None,
        "arms_key": "arms",
    },
)
class AdverseEventExtractor:
    """Sets doc.spans[spans_key]: one span per adverse event, `span._.item` the AdverseEvent fields."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        spans_key: str,
        terms: str | None,
        cues: str | None,
        negation_rules: str | None,
        diseases_key: str | None,
        arms_key: str,
    ) -> None:
        set_extensions()
        self.name, self.spans_key, self.diseases_key, self.arms_key = name, spans_key, diseases_key, arms_key
        self.rows = list(default_terms()) if terms in ("default", None) else [tuple(r) for r in srsly.read_json(terms)]
        self.cue_data = ae_cues() if cues in ("default", None) else read_rule_file(AeCues, cues)
        self.negation = NegationScopes(nlp.vocab, nlp.tokenizer, load_rules(negation_rules))
        self.endpoints = EndpointLexicon(endpoint_rules())
        self._build()

    def _build(self) -> None:
        self.matcher = TermMatcher(self.rows)
        self.cues = {k: re.compile(v, re.I) for k, v in self.cue_data.model_dump().items() if isinstance(v, str)}
        self.tables = AdverseEventTableReader(self.matcher, self.cues["grade"])
        self.grade_free = set(self.cue_data.grade_free)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    # --- reading ---------------------------------------------------------------------------------------------

    def match(self, doc: Doc) -> list[Draft]:
        facts = DocFacts.of(doc)
        text = facts.view.text
        endpoints = self.endpoints.find(text)
        drugs = Cover((a.start, a.end) for a in facts.arms if a.names)
        named_endpoints = Cover((e.start, e.end) for e in endpoints)
        terms = [
            t
            for t in self._terms(doc, facts)
            if not drugs.overlaps(t.start, t.end) and not named_endpoints.contains(t.start, t.end)
        ]
        negated = self._negated(doc, facts, terms)
        registry = arm_registry(doc, self.arms_key)
        absent = sorted((t for t in negated if self._absent(text, t)), key=lambda t: t.start)
        terms = [
            t
            for t in terms
            if (t not in negated or match_at(self.cues["frequency_after"], text, t.end))
            and not match_at(self.cues["not_adverse_after"], text, t.end)
            and not (t.kind == "summary" and match_at(SUMMARY_ON, text, t.end))
            and not re.search(r"\w-$", text[max(0, t.start - 2) : t.start])
        ]
        drafts: list[Draft] = []
        grids: list[tuple[int, int]] = []
        document_tables = Cover(facts.tables)
        for lo, hi in facts.context.regions:
            if document_tables.overlaps(lo, hi):
                grids.append((lo, hi))  # a table of the Document: `extractor_tables` reads its cells
                continue
            table = self._read_table(facts, lo, hi)
            if table:
                drafts.extend(table)
                grids.append((lo, hi))
        values = [v for v in facts.values(self.endpoints.cues) if v.kind == "percent"]
        previous = 0
        read_grids = Cover(grids)
        for start, end in facts.sentences:
            if start >= facts.references_at:
                break
            if read_grids.contains(start, start + 1) or facts.in_table(start):
                continue
            previous, before = start, previous
            drafts.extend(self._none_occurred(facts, registry, start, end, list(between(absent, start, end))))
            here = list(between(terms, start, end))
            if not here:
                continue
            inside = list(between(values, start, end))
            if self._frequency_context(text, before, start, end):
                drafts.extend(self._frequencies(facts, start, end, here, inside, endpoints))
            drafts.extend(self._counts(facts, start, end, here))
            drafts.extend(self._attributions(facts, start, end, here))
            drafts.extend(self._case_events(facts, start, end, here))
        return _deduplicate(drafts)

    def _terms(self, doc: Doc, facts: DocFacts) -> list[Term]:
        """Lexicon terms, plus the NER model's disease spans the lexicon does not cover (when `diseases_key` is
        set): the same readers then decide whether a disease is an adverse event (a cue, a table row)."""
        text = facts.view.text
        found = self.matcher.find(text[: facts.references_at])
        if not self.diseases_key or self.diseases_key not in doc.spans:
            return found
        to_view, extra = facts.view.to_view, []
        lexicon_terms = Cover((t.start, t.end) for t in found)
        for span in doc.spans[self.diseases_key]:
            start, end = to_view[span.start_char], to_view[span.end_char]
            event = " ".join(text[start:end].lower().split())
            if end > facts.references_at or self.cues["not_event_disease"].match(event):
                continue
            if not lexicon_terms.overlaps(start, end):
                extra.append(Term(start, end, event, "event"))
        return sorted([*found, *extra], key=lambda t: (t.start, t.end))

    def _frequency_context(self, text: str, previous: int, start: int, end: int) -> bool:
        """Percentages next to event terms are adverse-event frequencies where the sentence (or the one before)
        speaks of adverse events, toxicity, grades or reporting, and not of comorbidities at baseline."""
        here = text[start:end]
        if self.cues["baseline_context"].search(here):
            return False
        return bool(
            self.cues["frequency_context"].search(here) or self.cues["frequency_context"].search(text[previous:start])
        )

    def _negated(self, doc: Doc, facts: DocFacts, terms: list[Term]) -> set[Term]:
        """Terms inside a negation scope of the ConText rules (the scopes `extractor_negation` reads)."""
        scopes = Cover(self.negation(doc))
        negated: set[Term] = set()
        for term in terms:
            span = doc.char_span(*facts.view.doc_offsets(term.start, term.end), alignment_mode="expand")
            if span is not None and scopes.contains(span.start, span.end):
                negated.add(term)
        return negated

    def _grade(self, text: str, sentence_start: int, term: Term, value_start: int) -> str | None:
        """The grade printed between the term and its value ('(grade 3, 4% versus 2%'), else the last grade cue
        of the sentence before the term ('The most common grade 3 or 4 adverse events were ...')."""
        inner = list(self.cues["grade"].finditer(text[term.end : value_start]))
        if inner:
            return read_grade(inner[-1].group(0), self.cues["grade"])
        outside = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text[sentence_start : term.end])
        before = list(self.cues["grade"].finditer(outside))
        if before:
            return read_grade(before[-1].group(0), self.cues["grade"])
        return None

    def _event(self, text: str, floor: int, term: Term) -> str:
        """'discontinued ... because of adverse events' counts discontinuations, not any adverse event."""
        summary = term.kind == "summary" and term.event == self.cue_data.summary_any
        if summary and self.cues["discontinuation"].search(text[floor : term.start]):
            return self.cue_data.discontinuation_event
        return term.event

    def _fields(
        self,
        event: str,
        grade: str | None,
        percent: float | None,
        n: int | None,
        arm: Regimen | None,
        study: str | None,
        drug: str | None = None,
    ) -> dict[str, Any]:
        if grade is None and percent is not None and event not in self.grade_free:
            grade = "all"
        return {
            "event": event,
            "grade": grade,
            "percent": percent,
            "n": n,
            "arm": arm.label if arm else None,
            "study": study,
            "drug": drug,
        }

    def _frequencies(
        self,
        facts: DocFacts,
        start: int,
        end: int,
        terms: list[Term],
        values: list[Value],
        endpoints: list[EndpointMention],
    ) -> list[Draft]:
        """'stomatitis (56% versus 11%)': each percentage (or pair) belongs to the nearest term before it;
        'Edema, pneumonitis, and hematologic toxicity were each reported in one patient (1.4%)' to all of them."""
        text = facts.view.text
        drafts: list[Draft] = []
        previous_end = start
        cited = bool(self.endpoints.cues["citation"].search(text[start:end]))
        chosen: list[Term] = []
        for group in group_values(values):
            first = group[0]
            if _a_range(text, group):
                continue  # 'reported in 11.7% to 14.6% of patients', 'to be 11–54%': a span of studies or arms
            floor = max(previous_end, _clause_start(text, start, first.start))
            window = [
                t
                for t in terms
                if floor <= t.start and t.end <= first.start and first.start - t.end <= MAX_TERM_TO_VALUE
            ]
            gap = text[previous_end : first.start]
            # 'hyperglycemia (grade 3, 4% versus 2%; ...' and '(5.5%) compared with placebo (1.5%)': the same term
            continued = chosen and not window and (")" not in gap or bool(COMPARED_ARM.fullmatch(gap)))
            previous_end = group[-1].extent
            if continued:  # 'hyperglycemia (grade 3, 4% versus 2%; grade 4, 2% versus 1%)'
                window = chosen
            elif not window or between(endpoints, window[-1].end, first.start):
                chosen = []
                continue
            chosen = window if self.cues["each"].search(text[window[-1].end : first.start]) else window[-1:]
            if len(window) >= 2 and self._most_common(text, window[-2], window[-1]):
                chosen = window[-2:-1]  # 'Dry mouth was the most frequently reported adverse event (5.5% vs 1.5%)'
            anchor = facts.context.anchor_at(first.start)
            others = [v for v in values if v not in group]
            arms = assign_arms(
                facts.context,
                text,
                facts.arms,
                group,
                ["rate"] * len(group),
                anchor,
                (floor, end),
                floor,
                cited,
                others,
            )
            for term in chosen:
                event = self._event(text, start, term)
                grade = self._grade(text, start, term, first.start)
                for value, (arm, _) in zip(group, arms, strict=True):
                    n = value.n if value.n is not None else _count_before(text, value, floor)
                    fields = self._fields(event, grade, value.value, n, arm, anchor.study if anchor else None)
                    drafts.append(Draft(fields, term.start, value.extent, qualifier=value.qualifier))
        return drafts

    def _most_common(self, text: str, event: Term, summary: Term) -> bool:
        """'<event> was the most common adverse event': the frequency after the summary term is the event's."""
        return (
            event.kind == "event"
            and summary.kind == "summary"
            and match_at(self.cues["most_common"], text[: summary.start], event.end)
        )

    def _counts(self, facts: DocFacts, start: int, end: int, terms: list[Term]) -> list[Draft]:
        """'Seven deaths were attributed to treatment in the everolimus arm': a count printed before a term."""
        text = facts.view.text
        drafts = []
        for term in terms:
            if term.kind != "summary":
                continue
            m = re.search(
                rf"(?:^|\s)(?P<n>\d+|{WORD_NUM})\s+$", text[max(start, term.start - COUNT_BEFORE) : term.start], re.I
            )
            count = parse_number(m.group("n")) if m else None
            if count is None or re.search(r"grade", text[max(start, term.start - GRADE_BEFORE) : term.start], re.I):
                continue
            anchor = facts.context.anchor_at(term.start)
            arm_phrase = next((a for a in between(facts.arms, term.end, end) if a.armlike), None)
            arm = facts.context.resolve(arm_phrase, anchor) if arm_phrase else None
            fields = self._fields(term.event, None, None, int(count), arm, anchor.study if anchor else None)
            drafts.append(Draft(fields, max(start, term.start - len(m.group(0)) if m else term.start), term.end))
        return drafts

    def _absent(self, text: str, term: Term) -> bool:
        """'no adverse events', 'there were no serious adverse events', 'no events of pyelonephritis': the term
        right after the negation, and not 'no adverse effect on mortality' (an effect on an endpoint)."""
        return bool(
            self.cues["none_before"].search(text[max(0, term.start - NONE_BEFORE) : term.start])
            and not match_at(self.cues["none_not_after"], text, term.end)
        )

    def _none_occurred(
        self, facts: DocFacts, registry: ArmRegistry, start: int, end: int, absent: list[Term]
    ) -> list[Draft]:
        """A statement that an event did not occur ('no adverse events were reported'): a count of zero, for
        each arm the sentence names ('both telmisartan and losartan' names two), every arm when it speaks of
        all ('no side effects of the drugs were observed', 'in either group'), else the study (no arm)."""
        text = facts.view.text
        if (
            not absent
            or not self.cues["none_reported"].search(text, start, end)
            or self.cues["none_counted"].search(text, start, end)
        ):
            return []
        named: list[Arm] = []
        for mention in between(facts.arms, start, end):
            names = set(mention.names)
            named.extend(a for a in registry.arms if a.drugs and set(a.drugs) <= names and a not in named)
        every = self.cues["none_every_arm"].search(text, start, end)
        if not named and every:
            drugs_only = every.group("drugs") is not None
            named = [a for a in registry.arms if not drugs_only or (a.drugs and PLACEBO not in a.drugs)]
        anchor = facts.context.anchor_at(start)
        study = anchor.study if anchor else None
        drafts = []
        for term in absent:
            event = self._event(text, start, term)
            arms: list[Arm | None] = [*named] or [None]
            for arm in arms:
                regimen = Regimen(arm.drugs or (arm.name,)) if arm else None
                drafts.append(Draft(self._fields(event, None, None, 0, regimen, study), term.start, term.end))
        return drafts

    def _agents(self, facts: DocFacts, start: int, end: int) -> list[ArmMention]:
        """Drug groups plus radiotherapy; 'chemotherapy' stands for the drugs of its sentence when there are any."""
        text = facts.view.text
        found = [a for a in between(facts.arms, start, end) if a.names]
        drugs_here = [a for a in found if PLACEBO not in a.names]
        for m in self.cues["agents"].finditer(text, start, end):
            found.append(ArmMention(m.start(), m.end(), (m.group(0).lower(),)))
        for m in self.cues["class_agents"].finditer(text, start, end):
            if drugs_here:
                names = tuple(dict.fromkeys(n for a in drugs_here for n in a.names))
                found.append(ArmMention(m.start(), m.end(), names))
        return sorted(found, key=lambda a: a.start)

    def _attributions(self, facts: DocFacts, start: int, end: int, terms: list[Term]) -> list[Draft]:
        """'X-induced Y', 'Y induced by X', 'Y, an adverse effect of X', 'X (can) cause(s) / results in Y',
        'X delays wound healing', 'side effects of X include Y and Z': the event attributed to drug X (n and
        percent unknown). A term printed with its frequency is a trial result, not an attribution."""
        text = facts.view.text
        agents = self._agents(facts, start, end)
        drafts: list[Draft] = []
        verbs = [v for v in self.cues["cause_verb"].finditer(text, start, end)]
        listed = self._listed(text, end, terms, agents)
        for term in terms:
            if term.kind == "summary" or match_at(self.cues["frequency_follows"], text, term.end):
                continue
            agent = self._attributed(text, start, end, term, agents, verbs) or listed.get(term)
            if agent is None:
                continue
            label = Regimen(agent.names).label
            fields = self._fields(term.event, None, None, None, Regimen(agent.names), None, label)
            drafts.append(Draft(fields, min(agent.start, term.start), max(agent.end, term.end)))
        return drafts

    def _attributed(
        self, text: str, start: int, end: int, term: Term, agents: list[ArmMention], verbs: list[re.Match[str]]
    ) -> ArmMention | None:
        before = [a for a in agents if a.end <= term.start]
        after = [a for a in agents if a.start >= term.end]
        if before and self.cues["induced_before"].match(text[before[-1].end : term.start]):
            return before[-1]
        cues = ("induced_after", "effect_of", "patient_given")
        if after and any(self.cues[cue].match(text[term.end : after[0].start]) for cue in cues):
            return after[0]
        if self.cues["event_occurred"].match(text[term.end : end]):
            # 'pancytopenia occurred after 56 days therapy'; 'renal failure developed after she received X'
            following = [a for a in after if self.cues["treatment_after"].match(text[term.end : a.start])]
            return following[0] if following else (before[-1] if before else None)
        if term.kind == "verbal":
            return before[-1] if before else None
        verb = next((v for v in reversed(verbs) if v.end() <= term.start), None)
        if verb is None or self.cues["list_end"].search(text[verb.end() : term.start]):
            return None
        if re.search(r"[.;]\s", text[verb.end() : term.start]):
            return None
        subject = [a for a in agents if start <= a.end <= verb.start()]
        if subject:
            return subject[-1]
        such = [a for a in after if self.cues["such_as"].match(text[term.end : a.start]) or a.start - term.end < 3]
        return such[0] if such else None

    def _listed(self, text: str, end: int, terms: list[Term], agents: list[ArmMention]) -> dict[Term, ArmMention]:
        """'The most common side effects associated with amifostine are nausea, vomiting and hypotension';
        'naproxen, whose side effects include tinnitus': the listed events belong to the drug."""
        found: dict[Term, ArmMention] = {}
        for summary in (t for t in terms if t.kind == "summary"):
            owner = next(
                (
                    a
                    for a in agents
                    if a.start >= summary.end and self.cues["listed_owner"].match(text[summary.end : a.start])
                ),
                None,
            )
            if owner is None:
                before = [
                    a for a in agents if a.end <= summary.start and not re.search(r"[.;]", text[a.end : summary.start])
                ]
                owner = before[-1] if before else None
            following = [t for t in terms if t.start >= summary.end and t.kind != "summary"]
            if owner is None or not following or not self.cues["listing"].match(text[summary.end : following[0].start]):
                continue
            for term in following:
                if self.cues["list_end"].search(text[summary.end : term.start]) or term.start >= end:
                    break
                found[term] = owner
        return found

    def _case_events(self, facts: DocFacts, start: int, end: int, terms: list[Term]) -> list[Draft]:
        """'A 54-year-old man, treated with amiodarone, developed thyrotoxicosis'; 'developed osteomyelitis during
        the treatment with everolimus plus exemestane': an event the patient had on a named treatment (n=1)."""
        text = facts.view.text
        drafts: list[Draft] = []
        agents = [a for a in between(facts.arms, start, end) if a.names]
        if not agents:
            return drafts
        for term in terms:
            if term.kind != "event" or not self.cues["patient_event"].search(
                text[max(start, term.start - PATIENT_EVENT_BEFORE) : term.start]
            ):
                continue
            after = [
                a
                for a in agents
                if a.start >= term.end and self.cues["treatment_after"].match(text[term.end : a.start])
            ]
            before = [a for a in agents if a.end <= term.start]
            agent = after[0] if after else (before[-1] if before else None)
            if agent is None:
                continue
            subject = text[start : term.start]
            plural = re.search(rf"\b(?P<n>\d+|{WORD_NUM})\s+(?:patients|cases|subjects)\b", subject, re.I)
            if plural:
                count = parse_number(plural.group("n"))
                n = int(count) if count is not None else None
            elif self.cues["singular_subject"].search(subject) or not re.search(r"\bpatients\b", subject, re.I):
                n = 1
            else:
                continue
            fields = self._fields(term.event, None, None, n, Regimen(agent.names), None)
            drafts.append(Draft(fields, term.start, max(term.end, agent.end)))
        return drafts

    # --- tables ----------------------------------------------------------------------------------------------

    def _read_table(self, facts: DocFacts, lo: int, hi: int) -> list[Draft]:
        """Every cell of a table whose row labels are adverse-event terms (`AdverseEventTableReader`)."""
        drafts: list[Draft] = []
        for cell in self.tables.read(facts.view.text, lo, hi, facts.context, facts.arms, facts.agents):
            fields = self._fields(cell.event, cell.grade, cell.percent, cell.n, cell.arm, cell.study)
            fields["evidence"] = cell.row
            drafts.append(Draft(fields, cell.start, cell.end, qualifier=cell.qualifier))
        return drafts

    # --- output ----------------------------------------------------------------------------------------------

    def set_annotations(self, doc: Doc, drafts: list[Draft]) -> None:
        write_spans(doc, DocFacts.of(doc).view, drafts, self.spans_key)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        serializers = {
            "terms.json": lambda p: srsly.write_json(p, [list(r) for r in self.rows]),
            "cues.json": lambda p: srsly.write_json(p, self.cue_data.model_dump(by_alias=True)),
        }
        to_disk(ensure_path(path), serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> AdverseEventExtractor:
        def read_terms(p: Path) -> None:
            self.rows = [tuple(r) for r in srsly.read_json(p)]

        def read_cues(p: Path) -> None:
            self.cue_data = read_rule_file(AeCues, p)

        from_disk(ensure_path(path), {"terms.json": read_terms, "cues.json": read_cues}, exclude)
        self._build()
        return self


def _a_range(text: str, group: list[Value]) -> bool:
    """Percentages printed as the ends of a range: no frequency of one group."""
    first, last = group[0], group[-1]
    if RANGE_BEFORE.search(text[max(0, first.start - RANGE_WINDOW) : first.start]):
        return True
    if RANGE_AFTER.match(text[last.end : last.end + RANGE_WINDOW]):
        return True
    return len(group) == 2 and bool(RANGE_BETWEEN.fullmatch(text[first.end : last.start]))


def _clause_start(text: str, sentence_start: int, pos: int) -> int:
    """After the last semicolon before `pos` that is outside parentheses."""
    floor = sentence_start
    for m in re.finditer(";", text[sentence_start:pos]):
        at = sentence_start + m.start()
        if text[sentence_start:at].count("(") <= text[sentence_start:at].count(")"):
            floor = at + 1
    return floor


def _count_before(text: str, value: Value, floor: int) -> int | None:
    """'reported in one patient (1.4%)' -> 1."""
    m = re.search(rf"\b(?P<n>\d+|{WORD_NUM})\s+(?:patients?|cases?)\s*\(\s*$", text[floor : value.start], re.I)
    count = parse_number(m.group("n")) if m else None
    return int(count) if count is not None else None


def _deduplicate(drafts: list[Draft]) -> list[Draft]:
    """One item per (event, grade, percent, arm, study): table values come first, so prose repeating a table
    value adds nothing; an event without a frequency is kept once per drug (the patient's regimen covers a
    background sentence naming one of its drugs). Looked up by key, not against every kept item: a long text
    repeats its events thousands of times."""
    kept: list[Draft] = []
    keys: set[tuple[Any, ...]] = set()
    arms_without_percent: dict[str, set[str]] = {}  # event -> arms of kept items without a frequency
    for draft in drafts:
        f = draft.fields
        key = (f["event"], f["grade"], f["percent"], draft.qualifier, f["arm"], (f["study"] or "").lower())
        if key in keys or (
            f["percent"] is None and any(_overlap(arm, f["arm"]) for arm in arms_without_percent.get(f["event"], ()))
        ):
            continue
        kept.append(draft)
        keys.add(key)
        if f["percent"] is None and f["arm"]:
            arms_without_percent.setdefault(f["event"], set()).add(f["arm"])
    return kept


def _overlap(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    left, right = set(a.split(" + ")), set(b.split(" + "))
    return left <= right or right <= left
