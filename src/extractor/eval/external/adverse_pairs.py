"""Drug -> adverse event pairs against two public data sets (see each data folder's README).

- PHEE (MIT): case-report sentences whose Adverse_event events name drugs and effects. A predicted pair is the
  drug of an adverse-event item (its `drug`, or the drugs of its `arm` for an event the patient had on a
  treatment) with the event term's span; it matches a gold pair when the drug is the gold drug (the DRUG entity
  the pipeline finds on the gold span, else its lowercase text) and the term overlaps the gold effect span.
- BC5CDR (public domain): document-level chemical-induced-disease relations of test abstracts, by MeSH id. A
  predicted (drug, event) pair is mapped onto MeSH ids through the abstract's own annotated mentions: the
  chemical mentions lying on the drug's DRUG entities (or spelled as the drug), the disease mentions the event
  term overlaps (or spelled as the term). Unmapped predictions count as wrong. This measures the relation, not
  the recognition or normalization of the mentions.

    python -m extractor.eval.external.adverse_pairs phee /work/shared/data/phee/phee_dev_test.subset.jsonl
    python -m extractor.eval.external.adverse_pairs bc5cdr /work/shared/data/bc5cdr/bc5cdr_test.subset.jsonl
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from extractor.api import Extractor
from extractor.eval.external import read_jsonl
from extractor.nlp.text.adverse_event_terms import TermMatcher, default_terms

Offsets = tuple[int, int]


@dataclass
class PairScore:
    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def to_dict(self) -> dict[str, Any]:
        precision = self.predicted_right / self.predicted if self.predicted else 0.0
        recall = self.gold_found / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }


def _overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def predicted_pairs(doc: Doc, matcher: TermMatcher) -> list[tuple[str, str, Offsets]]:
    """(drug, event, term offsets) for each adverse-event item naming a drug or a treatment arm."""
    pairs = []
    for span in doc.spans.get("adverse_events", []):
        item = span._.item or {}
        named = item.get("drug") or item.get("arm")
        if not named:
            continue
        term = _term_offsets(span, item["event"], matcher)
        for drug in named.split(" + "):
            pairs.append((drug, item["event"], term))
    return pairs


def _term_offsets(span: Span, event: str, matcher: TermMatcher) -> Offsets:
    """Where the event term lies inside the item's span (the span itself when the term is not found)."""
    for term in matcher.find(span.text):
        if term.event == event:
            return span.start_char + term.start, span.start_char + term.end
    return span.start_char, span.end_char


def _drug_name(doc: Doc, start: int, end: int) -> str:
    """The DRUG entity on a gold drug span, else the span's lowercase text."""
    for ent in doc.ents:
        if ent.label_ == "DRUG" and _overlaps((ent.start_char, ent.end_char), (start, end)):
            return str(ent.kb_id_)
    return doc.text[start:end].lower()


def evaluate_phee_ae(path: str | Path, extractor: Extractor) -> dict[str, Any]:
    """Precision and recall of (drug, adverse effect) pairs on PHEE sentences (converted JSONL)."""
    matcher = TermMatcher(default_terms())
    score = PairScore()
    sentences = 0
    for record in read_jsonl(path):
        sentences += 1
        doc = extractor.nlp(record["text"])
        gold: list[tuple[str, Offsets]] = []
        for event in record.get("events", []):
            if event.get("event_type") != "Adverse_event":
                continue
            for drug in event.get("drugs", []):
                name = _drug_name(doc, drug["start"], drug["end"])
                gold.extend((name, (e["start"], e["end"])) for e in event.get("effect", []))
        gold = list(dict.fromkeys(gold))
        predicted = list(dict.fromkeys((drug, offsets) for drug, _, offsets in predicted_pairs(doc, matcher)))
        score.gold += len(gold)
        score.predicted += len(predicted)
        score.gold_found += sum(any(d == g and _overlaps(o, go) for d, o in predicted) for g, go in gold)
        score.predicted_right += sum(any(d == g and _overlaps(o, go) for g, go in gold) for d, o in predicted)
    return {"data": str(path), "sentences": sentences, "pairs": score.to_dict()}


def _mesh_ids(entities: list[dict[str, Any]]) -> set[str]:
    return {m for e in entities for m in str(e["mesh"]).split("|") if m and m != "-1"}


def evaluate_bc5cdr_cid(path: str | Path, extractor: Extractor) -> dict[str, Any]:
    """Precision and recall of chemical-induced-disease relations (MeSH pairs, per abstract)."""
    matcher = TermMatcher(default_terms())
    score = PairScore()
    unmapped = 0
    documents = 0
    for record in read_jsonl(path):
        documents += 1
        doc = extractor.nlp(record["text"])
        chemicals = [e for e in record["entities"] if e["type"] == "Chemical"]
        diseases = [e for e in record["entities"] if e["type"] == "Disease"]
        gold = {(r["chemical_mesh"], r["disease_mesh"]) for r in record["cid_relations"]}
        predicted: set[tuple[str, str]] = set()
        for drug, event, term in predicted_pairs(doc, matcher):
            drug_spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DRUG" and e.kb_id_ == drug]
            chem = _mesh_ids(
                [c for c in chemicals if any(_overlaps((c["start"], c["end"]), s) for s in drug_spans)]
                or [c for c in chemicals if c["text"].lower() == drug]
            )
            dis = _mesh_ids(
                [d for d in diseases if _overlaps((d["start"], d["end"]), term)]
                or [d for d in diseases if any(t.event == event for t in matcher.find(d["text"]))]
            )
            if not chem or not dis:
                unmapped += 1
                predicted.add((f"?{drug}", f"?{event}"))
                continue
            predicted.update((c, d) for c in chem for d in dis)
        score.gold += len(gold)
        score.predicted += len(predicted)
        score.gold_found += len(gold & predicted)
        score.predicted_right += len(gold & predicted)
    return {"data": str(path), "documents": documents, "relations": score.to_dict(), "unmapped_predictions": unmapped}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=("phee", "bc5cdr"))
    parser.add_argument("path")
    args = parser.parse_args(argv)
    evaluate = evaluate_phee_ae if args.dataset == "phee" else evaluate_bc5cdr_cid
    print(json.dumps(evaluate(args.path, Extractor()), indent=2))


if __name__ == "__main__":
    main()
