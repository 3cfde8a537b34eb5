"""How well article metadata is read from PDFs, measured against the publishers' own XML.

`evaluate_metadata(data_dir)` reads the shared `pdfs_clinical` layout (`manifest.tsv` and the reference XML
named in it): for every PDF, the metadata `read_metadata` finds in the PDF's Document is compared per field
with the reference front matter:

- title: normalized exact match (Unicode NFKC, lowercase, only letters and digits kept, so "Type 2" ==
  "type-2" but a missing or extra word is a miss);
- doi: case-insensitive exact match;
- year: equality with any publication year the XML states for the article (`<pub-date>` electronic or print:
  an article published online in December 2015 in the 2016 volume is right as 2015 or 2016); "year (epub)" is the
  stricter count against the year `jats._year` picks (electronic first);
- journal: normalized exact match ("&" read as "and");
- article type: the JATS `article-type` attribute mapped onto the contract's coarse types: case-report ->
  case_report, review-article/systematic-review -> review; research-article (and any other) is a primary study
  or other article, where rct, cohort and other all count as right and case_report/review as wrong.

Reference values missing from an XML file (the grobid-quantities PDFs have no XML, a CERMINE file no year) are
taken from `manifest.tsv` where it states them; a field with no reference is left out of that field's count.
Accuracy is correct / documents with a reference; coverage is how many of those had any value predicted.

Article type on the bundled seeds (`corpus/gold/*.json` "article_type" against the metadata read from
`corpus/seeds`, with the equivalences of `extractor eval`) is measured by `evaluate_seed_types`.
"""

from __future__ import annotations

import csv
import json
import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError
from extractor.ingest import load_document
from extractor.ingest.front_matter import read_metadata
from extractor.record import Metadata

FIELDS = ("title", "doi", "year", "journal")
ROWS = ("title", "doi", "year", "year_epub", "journal", "article_type")
_JATS_TYPES = {"case-report": "case_report", "review-article": "review", "systematic-review": "review"}
_PRIMARY = {"rct", "cohort", "other"}


def normalize(text: str | None) -> str:
    """Lowercase letters and digits only: the form titles and journal names are compared in."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).replace("&", " and ").lower()
    return "".join(ch for ch in text if ch.isalnum())


def same(field_name: str, predicted: Any, reference: Any) -> bool:
    if predicted is None or reference is None:
        return False
    if field_name == "year":
        return int(predicted) in ({int(y) for y in reference} if isinstance(reference, list) else {int(reference)})
    if field_name == "doi":
        return str(predicted).strip().lower() == str(reference).strip().lower()
    return normalize(str(predicted)) == normalize(str(reference))


def type_right(predicted: str | None, reference_attr: str | None) -> bool | None:
    """Whether a predicted contract type agrees with a JATS article-type attribute (None: no reference)."""
    if not reference_attr:
        return None
    expected = _JATS_TYPES.get(reference_attr)
    if expected is not None:
        return predicted == expected
    return predicted in _PRIMARY


def reference_metadata(xml_path: Path) -> dict[str, Any]:
    """Front-matter fields of a JATS/NLM file, plus its raw `article-type` attribute."""
    from defusedxml.ElementTree import fromstring

    document = load_document(xml_path)
    found = {k: document.metadata.get(k) for k in FIELDS}
    raw = xml_path.read_bytes()
    root = fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", raw, count=1))
    article = root if root.tag == "article" else root.find(".//article")
    found["article_type_attr"] = article.get("article-type") if article is not None else None
    if article is not None:
        years = {
            m.group() for date in article.iter("pub-date") if (m := re.search(r"\d{4}", date.findtext("year") or ""))
        }
        found["years"] = sorted(int(y) for y in years)
    return found


@dataclass
class MetadataScore:
    id: str
    collection: str
    predicted: dict[str, Any]
    reference: dict[str, Any]
    right: dict[str, bool | None] = field(default_factory=dict)
    seconds: float = 0.0


def score(doc_id: str, collection: str, predicted: Metadata, reference: dict[str, Any]) -> MetadataScore:
    pred = predicted.model_dump(mode="json")
    right: dict[str, bool | None] = {
        f: (same(f, pred.get(f), reference.get(f)) if reference.get(f) is not None else None) for f in FIELDS
    }
    right["year_epub"] = right["year"]
    if reference.get("years"):
        right["year"] = same("year", pred.get("year"), reference["years"])
    right["article_type"] = type_right(pred.get("article_type"), reference.get("article_type_attr"))
    return MetadataScore(doc_id, collection, {k: pred.get(k) for k in (*FIELDS, "article_type")}, reference, right)


def _manifest(data_dir: Path) -> list[dict[str, str]]:
    with (data_dir / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _reference(data_dir: Path, row: dict[str, str]) -> dict[str, Any]:
    xml_name = row["ground_truth"].split()[0]
    xml_path = data_dir / xml_name
    reference: dict[str, Any] = {}
    if xml_name.endswith(".xml") and xml_path.is_file():
        try:
            reference = reference_metadata(xml_path)
        except ExtractorError:  # not a JATS article (grobid-quantities' TEI annotations): the manifest only
            reference = {}
    for key in ("title", "doi", "journal"):
        if reference.get(key) is None and row.get(key):
            reference[key] = row[key]
    if reference.get("article_type_attr") is None and row.get("article_type"):
        reference["article_type_attr"] = row["article_type"]
    return reference


def evaluate_metadata(data_dir: Path) -> dict[str, Any]:
    """Scores every PDF listed in `data_dir/manifest.tsv`."""
    scores: list[MetadataScore] = []
    for row in _manifest(data_dir):
        started = time.perf_counter()
        document = load_document(data_dir / row["pdf"])
        predicted = read_metadata(document)
        result = score(row["id"], row["collection"], predicted, _reference(data_dir, row))
        result.seconds = time.perf_counter() - started
        scores.append(result)
    return summarize(scores)


def summarize(scores: list[MetadataScore]) -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {}
    for name in ROWS:
        judged = [s for s in scores if s.right.get(name) is not None]
        correct = sum(1 for s in judged if s.right[name])
        covered = sum(1 for s in judged if s.predicted.get(name.removesuffix("_epub")) is not None)
        fields[name] = {
            "n": len(judged),
            "predicted": covered,
            "correct": correct,
            "accuracy": round(correct / len(judged), 4) if judged else None,
        }
    both = [s for s in scores if s.right.get("title") is not None and s.right.get("doi") is not None]
    return {
        "documents": len(scores),
        "fields": fields,
        "title_and_doi_both_right": round(sum(1 for s in both if s.right["title"] and s.right["doi"]) / len(both), 4)
        if both
        else None,
        "per_document": [asdict(s) for s in scores],
    }


def evaluate_seed_types(gold_dir: Path, seeds_dir: Path) -> dict[str, Any]:
    """Article-type accuracy of the bundled seeds against their gold, with `extractor eval`'s equivalences
    (gold "abstract_page", a PubMed page of a case report, accepts case_report or other)."""
    from extractor.eval.gold import ARTICLE_TYPE_EQUIVALENTS

    rows = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        source = seeds_dir / gold["doc"]
        if not source.is_file() or "article_type" not in gold:
            continue
        expected = gold["article_type"]
        predicted = read_metadata(load_document(source)).article_type
        got = predicted.value if predicted else None
        right = got == expected or got in ARTICLE_TYPE_EQUIVALENTS.get(expected, set())
        rows.append({"doc": gold["doc"], "expected": expected, "predicted": got, "right": right})
    correct = sum(1 for r in rows if r["right"])
    return {
        "n": len(rows),
        "correct": correct,
        "accuracy": round(correct / len(rows), 4) if rows else None,
        "rows": rows,
    }


def table(summary: dict[str, Any], *, misses: bool = False) -> str:
    lines = [f"{'field':<14}{'n':>4}{'predicted':>11}{'correct':>9}{'accuracy':>10}"]
    for name, f in summary["fields"].items():
        accuracy = f"{f['accuracy']:.3f}" if f["accuracy"] is not None else "-"
        lines.append(f"{name:<14}{f['n']:>4}{f['predicted']:>11}{f['correct']:>9}{accuracy:>10}")
    lines.append(f"title and DOI both right: {summary['title_and_doi_both_right']}")
    if "seeds" in summary:
        seeds = summary["seeds"]
        lines.append(f"article type on the seeds: {seeds['correct']}/{seeds['n']} ({seeds['accuracy']})")
    if misses:
        for s in summary["per_document"]:
            for name, ok in s["right"].items():
                if ok is False:
                    key = {"article_type": "article_type_attr", "year": "years", "year_epub": "year"}.get(name, name)
                    got = s["predicted"].get(name.removesuffix("_epub"))
                    lines.append(f"miss {s['id']} {name}: got {got!r}, want {s['reference'].get(key)!r}")
    return "\n".join(lines)
