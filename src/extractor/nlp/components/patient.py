"""The index patient of a case report: age and sex from the sentence that introduces them.

Only texts that read like a case report ("Case report", "we report the case of", "a 56-year-old woman" near
the start) have a patient; a trial's "median age 61 years" is not one. The statements are data
(`lexicons/patient_rules.json`); the first statement in the text wins ("A 56-year-old woman" in the abstract
before "at the age of 45" in the history), and "in her seventies" gives the sex without an age.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.prose import item_spans, references_start
from extractor.nlp.rules import PatientRules, patient_rules, read_rule_file

SPANS_KEY = "patient"


@dataclass(frozen=True)
class Fact:
    """One field of the patient, and where it was read."""

    field: str
    value: int | str
    start: int
    end: int


def is_case_report(text: str, rules: PatientRules) -> bool:
    return re.search(rules.case_report, text[: rules.case_report_window], re.IGNORECASE) is not None


def patient_facts(text: str, rules: PatientRules | None = None) -> list[Fact]:
    """The first age and the first sex stated for the patient of a case report; nothing for other texts."""
    rules = rules or patient_rules()
    if not is_case_report(text, rules):
        return []
    body = text[: references_start(text)]
    facts: dict[str, Fact] = {}
    matches = [m for pattern in rules.statements for m in re.finditer(pattern, body, re.IGNORECASE)]
    for match in sorted(matches, key=lambda m: m.start()):
        for fact in _facts(match, rules):
            if fact.field not in facts:
                facts[fact.field] = fact
    return sorted(facts.values(), key=lambda f: f.start)


def _facts(match: re.Match[str], rules: PatientRules) -> list[Fact]:
    groups = match.groupdict()
    facts = []
    low, high = rules.age_bounds
    if groups.get("age") and low <= int(groups["age"]) <= high:
        facts.append(Fact("age", int(groups["age"]), match.start(), match.end()))
    sex = rules.sex_words.get((groups.get("sex") or "").lower())
    if sex:
        facts.append(Fact("sex", sex, match.start(), match.end()))
    return facts


@Language.factory(
    "extractor_patient",
    assigns=["doc.spans"],
    default_config={"rules": "default", "spans_key": SPANS_KEY},
)
class PatientExtractor:
    """Writes `doc.spans[spans_key]`: a span per statement, its `._.item` {"age": int} and/or {"sex": ...}."""

    def __init__(self, nlp: Language, name: str, *, rules: str, spans_key: str) -> None:
        set_extensions()
        self.name = name
        self.spans_key = spans_key
        self.rules = patient_rules() if rules == "default" else read_rule_file(PatientRules, rules)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, patient_facts(doc_text(doc), self.rules))
        return doc

    def set_annotations(self, doc: Doc, facts: list[Fact]) -> None:
        """Facts read from one statement ('A 56-year-old woman') share one item."""
        items: dict[tuple[int, int], dict[str, Any]] = {}
        for fact in facts:
            items.setdefault((fact.start, fact.end), {})[fact.field] = fact.value
        doc.spans[self.spans_key] = item_spans(doc, [(i, offsets) for offsets, i in items.items()], label="PATIENT")

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        to_disk(ensure_path(path), {"rules.json": lambda p: srsly.write_json(p, self.rules.model_dump())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PatientExtractor:
        def read(p: Path) -> None:
            self.rules = read_rule_file(PatientRules, p)

        from_disk(ensure_path(path), {"rules.json": read}, exclude)
        return self
