"""Efficacy outcomes: endpoint, measure, value, CI, p-value, arm, study, subgroup, from results prose and tables.

A value (6.6 months, 57.1%, HR 0.43, 5 of 22; `result_values`) takes the nearest endpoint of its clause whose
kind fits it: a duration endpoint takes months, a % only with a rate cue ('events', 'alive'). Endpoints are a
lexicon (`lexicons/endpoints.json`) plus the abbreviations the text defines; one the text defines as something
else ('progesterone receptor (PR)') is dropped. Paired values ('7.8 versus 3.2 months', '(9 and 8.9 months)',
'from 59.1% to 68.1%') give one outcome per arm, in the order the text names the arms; ratios and differences
belong to the experimental arm against the comparator (`study_context`). Hypothetical statements (hypotheses,
sample-size assumptions) and landmark times ('at 36 months') are not results; a fact stated twice is one item.
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

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import abbreviations, set_extensions
from extractor.nlp.positions import between, match_at, match_end
from extractor.nlp.result_doc import DocFacts, Draft, write_spans
from extractor.nlp.result_values import (
    NUM,
    Value,
    group_values,
    unit_name,
)
from extractor.nlp.rules import EndpointRules, endpoint_rules, read_rule_file
from extractor.nlp.study_context import Anchor, Regimen, assign_arms
from extractor.nlp.text.endpoints import EndpointLexicon, EndpointMention
from extractor.nlp.text.numbers import WORD_NUM, parse_number

SPANS_KEY = "outcomes"
SHARE_OF = re.compile(r"\s*of\s+(?:the\s+)?")
MAX_ENDPOINT_BEFORE = 220  # an endpoint printed before its value, within two clauses (a definition between)
MAX_ENDPOINT_AFTER = 150  # an endpoint printed after its value, within a clause
LONG_FORM_SLACK = 6  # a defined long form names the endpoint its term covers to within an article or plural
PRIMARY_AFTER = 40  # 'primary endpoint' names the endpoint right after it ('of median progression-free survival')
ANALYSIS_BEFORE = 40  # 'analysis of the median' before an endpoint (cue analysis_before): no result of its own
WEAK_AFTER_STRONG = 60  # a weak word ('died') this close after a named endpoint speaks of that endpoint
MEASURE_BEFORE = 30  # a 'difference' cue before the first of several values measures them all
CASE_START_AFTER = 80  # 'ten months' then 'after the start of treatment' (cue case_start) in a case report
CASE_DRUG_BEFORE = 400  # a case's drug named in the text before the sentence of its duration: about a paragraph
ADJUVANT_BEFORE = 250  # 'adjuvant' in the lines before a case's duration makes it disease-free survival
CASE_DRUG_AFTER = 120  # ... or the drug named in that sentence, close after the duration
ABBREVIATION_CHARS = 4  # a term this short is an abbreviation itself ('PFS', 'ORR'), not the endpoint spelled out


def defined_abbreviations(doc: Doc, lexicon: EndpointLexicon) -> tuple[dict[str, str], set[str]]:
    """Abbreviations the text defines: 'clinical benefit rate (CBR)' adds CBR; 'progesterone receptor (PR)'
    removes the lexicon's PR (partial response) from this document."""
    added: dict[str, str] = {}
    removed: set[str] = set()
    surfaces = {s for s, _ in lexicon.terms}
    # An ambiguous abbreviation names the lexicon's endpoint only in a text that spells the endpoint out
    # somewhere: 'SD' in a trial that never says 'stable disease' is a standard deviation.
    text = doc_text(doc).lower()
    read: dict[str, list[EndpointMention]] = {}  # long form -> its endpoint terms (a long text repeats them)
    for surface, term in lexicon.terms:
        if surface in lexicon.ambiguous:
            spelled = [
                s
                for s, t in lexicon.terms
                if t.name == term.name and s not in lexicon.ambiguous and len(s) > ABBREVIATION_CHARS
            ]
            if spelled and not any(s.lower() in text for s in spelled):
                removed.add(surface)
    for short, long_form in abbreviations(doc):
        found = read.get(long_form.text)
        if found is None:
            found = read[long_form.text] = lexicon.find(long_form.text)
        if found and found[0].end - found[0].start >= len(long_form.text) - LONG_FORM_SLACK:
            if short.text.isupper():
                added[short.text] = found[0].name
        elif short.text in surfaces:
            removed.add(short.text)
    return added, removed


@Language.factory(
    "extractor_outcomes",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc.spans"],
    default_config={"spans_key": SPANS_KEY, "lexicon": "default"},
)
class OutcomeExtractor:
    """Sets doc.spans[spans_key]: one span per outcome, `span._.item` the Outcome fields."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str, lexicon: str | None) -> None:
        set_extensions()
        self.name, self.spans_key = name, spans_key
        data = endpoint_rules() if lexicon in ("default", None) else read_rule_file(EndpointRules, lexicon)
        self.lexicon = EndpointLexicon(data)

    @property
    def cues(self) -> dict[str, re.Pattern[str]]:
        return self.lexicon.cues

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Draft]:
        facts = DocFacts.of(doc)
        text = facts.view.text
        endpoints = self.endpoints(doc, text)
        primary = self._primary_endpoints(facts, endpoints)
        values = facts.values(self.cues)
        longest = max((e.end - e.start for e in endpoints), default=0)
        drafts: list[Draft] = []
        for start, end in facts.sentences:
            if start >= facts.references_at:
                break
            if self.cues["hypothetical"].search(text[start:end]) or facts.in_table(start):
                continue
            inside = list(between(values, start, end))
            if inside:
                drafts.extend(self._read_sentence(facts, start, end, inside, endpoints, longest, primary, len(drafts)))
            drafts.extend(self._case_durations(facts, start, end))
        return _deduplicate(drafts)

    def endpoints(self, doc: Doc, text: str) -> list[EndpointMention]:
        """Endpoint mentions: lexicon terms, abbreviations the text defines, and 'RR' printed before a %."""
        found = self.lexicon.find(text, *defined_abbreviations(doc, self.lexicon))
        rate = re.compile(rf"(?<![\w-]){re.escape(self.lexicon.response_rate)}(?=\s*{NUM}\s*%)")
        found += [EndpointMention(m.start(), m.end(), "ORR", "response") for m in rate.finditer(text)]
        return sorted(found, key=lambda e: e.start)

    def _primary_endpoints(self, facts: DocFacts, endpoints: list[EndpointMention]) -> dict[str, str]:
        """'met its primary endpoint of median progression-free survival': per study key."""
        found: dict[str, str] = {}
        for m in self.cues["primary"].finditer(facts.view.text):
            after = [e for e in between(endpoints, m.end(), m.end() + PRIMARY_AFTER + 1) if e.strong]
            anchor = facts.context.anchor_at(m.start())
            if after and anchor is not None:
                found.setdefault(anchor.key, after[0].name)
        return found

    def _clause(self, facts: DocFacts, start: int, end: int, first: int, last: int) -> tuple[int, int]:
        """The clause around text[first:last] within its sentence: bounded by semicolons outside parentheses,
        'while'/'whereas', and named study anchors (trials, cited authors)."""
        text = facts.view.text
        floor, ceiling = start, end
        for m in re.finditer(r";|,\s*(?:while|whereas)\b", text[start:end]):
            at = start + m.start()
            if text[start:at].count("(") > text[start:at].count(")"):
                continue
            if at < first:
                floor = start + m.end()
            elif at >= last:
                ceiling = min(ceiling, at)
        # the anchors are in text order: the floor rises to the last one before the value, the ceiling drops to
        # the first one after it
        anchors = facts.context.anchors
        floor = next((a.start for a in reversed(between(anchors, floor, first)) if not a.own), floor)
        ceiling = next((a.start for a in between(anchors, last + 1, ceiling) if not a.own), ceiling)
        return floor, ceiling

    def _endpoint_for(
        self,
        facts: DocFacts,
        group: list[Value],
        others: list[Value],
        endpoints: list[EndpointMention],
        clause: tuple[int, int],
    ) -> EndpointMention | None:
        """The endpoint a value group measures: the nearest fitting one before it in its clause (a strong name
        over a nearby weak word), else the first after it. A ratio after another ratio of the clause ('(RR 0.9),
        and ... toxicity (RR 1.93)') does not reach back past it."""
        floor, ceiling = clause
        text, value, last = facts.view.text, group[0], group[-1].extent
        share = match_end(SHARE_OF, text, last)
        if share is not None and between(endpoints, share, share + 1):
            return None  # '70% of relapses' is a share of the endpoint's events, not its rate
        rate_cue = bool(self.cues["rate"].search(text[floor:ceiling]))
        appositives = [
            (floor + m.start(), floor + m.end()) for m in self.cues["appositive"].finditer(text[floor:ceiling])
        ]
        ratios = [v.start for v in others if v.kind == "ratio"] if value.kind == "ratio" else []

        def fits(e: EndpointMention) -> bool:
            if any(lo <= e.start < hi for lo, hi in appositives):
                return False
            if value.kind == "time":
                return e.kind == "time" and (e.strong or e.name == "OS")
            if value.kind in ("percent", "count"):
                return e.kind != "time" or (rate_cue and value.kind == "percent")
            return True

        before = [
            e
            for e in between(endpoints, floor, value.start + 1)
            if e.end <= value.start
            and value.start - e.end <= MAX_ENDPOINT_BEFORE
            and fits(e)
            and not match_at(self.cues["analysis_after"], text, e.end)
            and not self.cues["analysis_before"].search(text[max(0, e.start - ANALYSIS_BEFORE) : e.start])
            and not any(e.end <= r < value.start for r in ratios)
        ]
        strong_before = [e for e in before if e.strong]
        if strong_before and not before[-1].strong and before[-1].start - strong_before[-1].end < WEAK_AFTER_STRONG:
            return strong_before[-1]
        if before:
            return before[-1]
        after = [e for e in between(endpoints, last, ceiling) if e.start - last <= MAX_ENDPOINT_AFTER and fits(e)]
        strong_after = [e for e in after if e.strong]
        return next(iter(strong_after or after), None)

    def _read_sentence(
        self,
        facts: DocFacts,
        start: int,
        end: int,
        values: list[Value],
        endpoints: list[EndpointMention],
        longest: int,
        primary: dict[str, str],
        pair_base: int,
    ) -> list[Draft]:
        """The outcomes of one sentence's values; `longest` is the longest endpoint mention's length."""
        text = facts.view.text
        drafts: list[Draft] = []
        previous_end = start
        cited = bool(self.cues["citation"].search(text[start:end]))
        for number, group in enumerate(group_values(values)):
            first = group[0]
            clause = self._clause(facts, start, end, first.start, group[-1].extent)
            others = [v for v in values if v not in group]
            endpoint = self._endpoint_for(facts, group, others, endpoints, clause)
            anchor = facts.context.anchor_at(first.start)
            if endpoint is None and first.kind == "ratio":
                endpoint = self._fallback_endpoint(facts, anchor, endpoints, first, primary, clause)
            if endpoint is None or self._survival_without(facts, endpoint, group):
                previous_end = group[-1].extent
                continue
            names = self._endpoints_respectively(facts, group, endpoints, clause, endpoint)
            measures = [
                self._measure(facts, v, group, endpoints, longest, clause, previous_end, start, end) for v in group
            ]
            arms = assign_arms(
                facts.context, text, facts.arms, group, measures, anchor, clause, previous_end, cited, others
            )
            for i, value in enumerate(group):
                arm, comparator = arms[i]
                fields = {
                    "endpoint": names[i],
                    "measure": measures[i],
                    "value": value.value,
                    "unit": value.unit,
                    "ci_low": value.ci[1] if value.ci else None,
                    "ci_high": value.ci[2] if value.ci else None,
                    "ci_level": value.ci[0] if value.ci else None,
                    "p_value": value.p_value,
                    "arm": arm.label if arm else None,
                    "comparator": comparator.label if comparator else None,
                    "study": anchor.study if anchor else None,
                    "subgroup": _subgroup(text, value, clause),
                    "n": value.n,
                }
                lo = max(min(endpoint.start, value.start), clause[0])
                pair = pair_base + number if len(group) > 1 else -1
                drafts.append(Draft(fields, lo, value.extent, pair, not endpoint.strong))
            previous_end = group[-1].extent
        return drafts

    def _survival_without(self, facts: DocFacts, endpoint: EndpointMention, group: list[Value]) -> bool:
        """'survived fifteen months without transfusion' is a transfusion-free interval, not survival."""
        return (
            not endpoint.strong
            and endpoint.name == "OS"
            and bool(match_at(self.cues["free_interval_after"], facts.view.text, group[-1].extent))
        )

    def _endpoints_respectively(
        self,
        facts: DocFacts,
        group: list[Value],
        endpoints: list[EndpointMention],
        clause: tuple[int, int],
        endpoint: EndpointMention,
    ) -> list[str]:
        """'the partial response rate and the stable disease rate were 27% and 28%, respectively'."""
        text = facts.view.text
        if (
            len(group) == 2
            and group[0].order != "both"
            and self.cues["respectively"].search(text[group[-1].end : clause[1]])
        ):
            named = [e for e in between(endpoints, clause[0], group[0].start + 1) if e.end <= group[0].start]
            distinct = list(dict.fromkeys(e.name for e in named))
            if len(distinct) >= 2:
                return distinct[-2:]
        return [endpoint.name] * len(group)

    def _fallback_endpoint(
        self,
        facts: DocFacts,
        anchor: Anchor | None,
        endpoints: list[EndpointMention],
        value: Value,
        primary: dict[str, str],
        clause: tuple[int, int],
    ) -> EndpointMention | None:
        """A ratio with no endpoint in its clause ('a more pronounced benefit ... (HR 0.65)') measures the
        study's primary endpoint, else the last endpoint named earlier in the same paragraph."""
        if between(endpoints, clause[0], value.start):
            return None
        if anchor is not None and anchor.key in primary:
            return EndpointMention(value.start, value.start, primary[anchor.key], "time")
        line_start = facts.view.text.rfind("\n", 0, value.start) + 1
        earlier = [e for e in between(endpoints, line_start, value.start) if e.strong]
        return earlier[-1] if earlier else None

    def _measure(
        self,
        facts: DocFacts,
        value: Value,
        group: list[Value],
        endpoints: list[EndpointMention],
        longest: int,
        clause: tuple[int, int],
        previous_end: int,
        sentence_start: int,
        sentence_end: int,
    ) -> str:
        text = facts.view.text
        if value.measure:
            return value.measure
        first = group[0]
        offset = (
            max(clause[0], previous_end, first.start - MEASURE_BEFORE)
            if len(group) > 1
            else max(clause[0], previous_end)
        )
        window = list(text[offset : first.start])
        # 'clinical benefit rate' names an endpoint, it is no 'benefit' cue (those reaching into the window)
        for e in between(endpoints, offset - longest, first.start):
            for i in range(max(e.start - offset, 0), min(e.end - offset, len(window))):
                window[i] = " "
        if self.cues["difference"].search("".join(window)) and not re.search(r"\b(?:from|to)\s+$", "".join(window)):
            return "difference"
        if value.kind == "percent":
            return "rate"
        if value.kind == "time":
            if self.cues["median"].search(text[clause[0] : value.start]):
                return "median"
            return "duration" if self.cues["patient"].search(text[sentence_start:sentence_end]) else "median"
        return "count"

    def _case_durations(self, facts: DocFacts, start: int, end: int) -> list[Draft]:
        """Case reports: 'Ten months after the treatment started, bone metastases worsened' -> TTP 10 months (DFS
        when the line before speaks of adjuvant treatment), on the drug named before it."""
        text = facts.view.text
        sentence = text[start:end]
        if not self.cues["case_progression"].search(sentence):
            return []
        pattern = re.compile(rf"(?P<num>{NUM}|{WORD_NUM})\s+(?P<unit>months?|years?|weeks?)\s+", re.I)
        for m in pattern.finditer(sentence):
            if not self.cues["case_start"].search(sentence[m.end() - 1 : m.end() + CASE_START_AFTER]):
                continue
            number = parse_number(m.group("num"))
            if number is None:
                continue
            at = start + m.start()
            previous = text[max(0, start - CASE_DRUG_BEFORE) : start]
            endpoint = "DFS" if self.cues["adjuvant"].search(previous[-ADJUVANT_BEFORE:]) else "TTP"
            drugs_here = [
                a for a in facts.arms if start <= a.start < end and a.names and a.start < at + CASE_DRUG_AFTER
            ]
            earlier = [a for a in facts.arms if a.names and a.end <= start and start - a.end < CASE_DRUG_BEFORE]
            arm = drugs_here[0] if drugs_here else (earlier[-1] if earlier else None)
            unit = unit_name(m.group("unit"))
            fields = {
                "endpoint": endpoint,
                "measure": "duration",
                "value": number,
                "unit": unit,
                "ci_low": None,
                "ci_high": None,
                "ci_level": None,
                "p_value": None,
                "arm": Regimen(arm.names).label if arm else None,
                "comparator": None,
                "study": None,
                "subgroup": None,
                "n": None,
            }
            return [Draft(fields, at, end)]
        return []

    def set_annotations(self, doc: Doc, drafts: list[Draft]) -> None:
        write_spans(doc, DocFacts.of(doc).view, drafts, self.spans_key)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        lexicon = self.lexicon.data.model_dump(by_alias=True)
        to_disk(ensure_path(path), {"lexicon.json": lambda p: srsly.write_json(p, lexicon)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> OutcomeExtractor:
        def read(p: Path) -> None:
            self.lexicon = EndpointLexicon(read_rule_file(EndpointRules, p))

        from_disk(ensure_path(path), {"lexicon.json": read}, exclude)
        return self


SUBGROUP = re.compile(
    r"^\s*(?:in|for|among)\s+(?P<sub>(?:the\s+)?(?:patients|those|women|men|wild-type|subgroup)[^,;.()\[]{0,80})",
    re.I,
)


SUBGROUP_BEFORE = re.compile(
    r"\bin\s+(?P<sub>(?:patients|those|women|men)\s+(?:who|with|without|having)\b[^()]{0,100}?)[\s,]*\(\s*$", re.I
)


def _subgroup(text: str, value: Value, clause: tuple[int, int]) -> str | None:
    """'3.8 months in patients with ESR1 mutations' -> 'patients with ESR1 mutations'; for a ratio also the
    subgroup it follows: 'in those without visceral involvement (HR 0.48)'."""
    m = SUBGROUP.match(text[value.extent : clause[1]])
    if not m and value.kind == "ratio":
        before = SUBGROUP_BEFORE.search(text[clause[0] : value.start])
        return before.group("sub").strip() if before else None
    if not m:
        return None
    sub = re.split(r"\s+(?:and|versus|vs\.?|compared)\s+", m.group("sub"))[0].strip()
    qualifies = re.search(r"\b(?:with|without|who|having|aged|younger|older|wild-type|positive|negative)\b", sub)
    return sub if qualifies else None


def _deduplicate(drafts: list[Draft]) -> list[Draft]:
    """A fact stated twice (abstract and results, table and prose) is one outcome: same endpoint, measure, value,
    unit and study, and the same arm (or no arm on one side). A pair repeating an earlier pair's two values for
    the same study and unit is dropped whole, whichever endpoint word the second statement used."""
    kept: list[Draft] = []
    pairs: dict[int, list[Draft]] = {}
    for draft in drafts:
        if draft.pair >= 0:
            pairs.setdefault(draft.pair, []).append(draft)
    seen_pairs: set[tuple[Any, ...]] = set()
    seen_keys: set[tuple[Any, ...]] = set()
    dropped: set[int] = set()
    for pair, members in pairs.items():
        f = members[0].fields
        key = (tuple(sorted(m.fields["value"] for m in members)), f["unit"], (f["study"] or "").lower())
        if (*key, f["endpoint"]) in seen_pairs or (*key, "") in seen_pairs or (members[0].weak and key in seen_keys):
            dropped.add(pair)
        seen_pairs.add((*key, f["endpoint"]))
        seen_keys.add(key)
        if members[0].weak:
            seen_pairs.add((*key, ""))
    arms: dict[tuple[Any, ...], set[str | None]] = {}  # the arms kept per fact: looked up, not scanned
    for draft in drafts:
        if draft.pair in dropped:
            continue
        f = draft.fields
        fact = (f["endpoint"].lower(), f["measure"], f["value"], f["unit"], (f["study"] or "").lower(), f["subgroup"])
        same = arms.get(fact)
        if same and (f["arm"] in same or not f["arm"] or any(not arm for arm in same)):
            continue
        kept.append(draft)
        arms.setdefault(fact, set()).add(f["arm"])
    return kept
