"""Doses on PHEE: case-report sentences with drug, dosage, route and frequency spans (MIT; see the data README).

Each sentence goes through the extractor's pipeline. Scored, with character-span overlap as the match:
- dosage: the amounts of the extracted doses (the '10 mg' of a dose item) against the gold Dosage spans; recall is
  also given on the numeric gold spans only ('a single 200 mg', not 'high dose' or 'overdose', which the
  extractor does not read as doses by design);
- route and frequency: the dose component's route and schedule cues found in the sentence against the gold Route
  and Freq spans;
- (drug, dosage) pairs: an extracted dose matches a gold dosage when its amount overlaps it and its drug is a drug
  of the same event (PHEE does not link a dosage to one of an event's drugs, so with several drugs any of them
  counts); gold drug spans are named by the DRUG entity the pipeline finds on them, else by their lowercase text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.api import Extractor
from extractor.eval.external import read_jsonl
from extractor.nlp.components.doses import (
    CompiledRules,
    DoseExtractor,
    DoseReader,
    drug_mentions,
    find_cues,
    packaged_rules,
)

CONVERTED = "phee_dev_test.subset.jsonl"
Offsets = tuple[int, int]
GoldPair = tuple[frozenset[str], Offsets]


@dataclass
class SpanScore:
    """Overlap-matched spans: tp counted on each side, since one long gold span may hold two predictions."""

    gold: int = 0
    predicted: int = 0
    gold_found: int = 0
    predicted_right: int = 0

    def add(self, gold: list[Offsets], predicted: list[Offsets]) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        self.gold_found += sum(any(_overlap(g, p) for p in predicted) for g in gold)
        self.predicted_right += sum(any(_overlap(g, p) for g in gold) for p in predicted)

    def to_dict(self) -> dict[str, Any]:
        precision = self.predicted_right / self.predicted if self.predicted else None
        recall = self.gold_found / self.gold if self.gold else None
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": _round(precision),
            "recall": _round(recall),
            "f1": _round(f1),
        }


@dataclass
class PheeScores:
    dosage: SpanScore = field(default_factory=SpanScore)
    dosage_numeric: SpanScore = field(default_factory=SpanScore)
    route: SpanScore = field(default_factory=SpanScore)
    frequency: SpanScore = field(default_factory=SpanScore)
    pairs: SpanScore = field(default_factory=SpanScore)


def _overlap(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _sentences(path: Path) -> Iterator[dict[str, Any]]:
    return read_jsonl(path / CONVERTED if path.is_dir() else path)


def _spans(events: Iterable[dict[str, Any]], key: str) -> list[Offsets]:
    return sorted({(s["start"], s["end"]) for event in events for s in event.get(key, [])})


def _gold_pairs(events: Iterable[dict[str, Any]], text: str, names: dict[Offsets, str]) -> list[GoldPair]:
    """(names of the event's drugs, dosage span) per gold dosage of an event with drugs."""
    pairs = []
    for event in events:
        drugs = frozenset(_drug_name(text, (d["start"], d["end"]), names) for d in event.get("drugs", []))
        pairs += [(drugs, (d["start"], d["end"])) for d in event.get("dosage", []) if drugs]
    return pairs


def evaluate_phee(path: Path, extractor: Extractor) -> dict[str, Any]:
    """P/R/F1 of dosage, route and frequency spans and of (drug, dosage) pairs on PHEE (dev + test)."""
    scores = PheeScores()
    rules = _rules(extractor)
    sentences = 0
    for sentence in _sentences(path):
        sentences += 1
        text, events = sentence["text"], sentence["events"]
        doc = extractor.nlp(text)
        doses = DoseReader(text, drug_mentions(doc), rules).doses()
        amounts = [(d.amount.start, d.amount.end) for d in doses]
        gold_dosage = _spans(events, "dosage")
        scores.dosage.add(gold_dosage, amounts)
        scores.dosage_numeric.add([g for g in gold_dosage if re.search(r"\d", text[g[0] : g[1]])], amounts)
        scores.route.add(_spans(events, "route"), [(c.start, c.end) for c in find_cues(text, rules.routes, rules)])
        frequencies = [(c.start, c.end) for c in find_cues(text, rules.frequencies, rules)]
        scores.frequency.add(_spans(events, "freq"), frequencies)
        names = {(e.start_char, e.end_char): e.kb_id_ for e in doc.ents if e.label_ == "DRUG"}
        gold_pairs = _gold_pairs(events, text, names)
        predicted = [(d.drug, (d.amount.start, d.amount.end)) for d in doses]
        _add_pairs(scores.pairs, gold_pairs, predicted)
    return {
        "sentences": sentences,
        "dosage": scores.dosage.to_dict(),
        "dosage_numeric_gold": scores.dosage_numeric.to_dict(),
        "route": scores.route.to_dict(),
        "frequency": scores.frequency.to_dict(),
        "drug_dosage_pairs": scores.pairs.to_dict(),
    }


def _drug_name(text: str, span: Offsets, names: dict[Offsets, str]) -> str:
    """The generic name the pipeline gives a gold drug span ('Niaspan' -> 'niacin'), else its lowercase text."""
    inside = [name for offsets, name in names.items() if _overlap(offsets, span)]
    return inside[0] if inside else text[span[0] : span[1]].lower()


def _add_pairs(score: SpanScore, gold: list[GoldPair], predicted: list[tuple[str, Offsets]]) -> None:
    def same(g: GoldPair, p: tuple[str, Offsets]) -> bool:
        return p[0] in g[0] and _overlap(g[1], p[1])

    score.gold += len(gold)
    score.predicted += len(predicted)
    score.gold_found += sum(any(same(g, p) for p in predicted) for g in gold)
    score.predicted_right += sum(any(same(g, p) for g in gold) for p in predicted)


def _rules(extractor: Extractor) -> CompiledRules:
    """The dose rules the extractor's pipeline runs with (the packaged ones without a dose component)."""
    pipe = extractor.nlp.get_pipe("extractor_doses") if "extractor_doses" in extractor.nlp.pipe_names else None
    return pipe.rules if isinstance(pipe, DoseExtractor) else packaged_rules()
