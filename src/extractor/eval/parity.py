"""Structured sources measured: what the JATS reader recovers from a folder of PMC XML, and PDF-vs-XML item parity.

`jats_counts(folder)`: every .nxml/.xml file under `folder` is read with `load_document`; a file that raises is a
failure with its error type and message. For the files that parse, the XML's own structure is counted next to
what the Document holds:

- sections: `<sec>` elements with a non-empty `<title>` in `<abstract>`, `<body>` and `<back>` (the reference),
  found by their normalized title among the headings of the Document's sections outside figure captions, tables
  and references (recovered; a multiset match), and the count of those headed sections (with `<ack>`, `<app>`...);
- tables: `<table-wrap>` elements (reference), those holding a `<table>` (the rest are images), against
  `Document.tables` and the tables among them with at least one row of cells.

`item_parity(data, extractor)`: for every article of the ground truth (`pdf_fidelity.ground_truth`), the full
pipeline runs on the PDF and on its JATS XML; each item becomes a normalized key (below) and the share of the XML's
distinct keys also found from the PDF is reported per category, summed over articles (micro), with the PDF-only
keys.

| category | key |
| --- | --- |
| drugs | name |
| doses | drug, amount, unit |
| outcomes | endpoint, measure, value |
| adverse_events | event, grade |
| lab_values | analyte, value, unit |
| trials | NCT id, else name |
"""

from __future__ import annotations

import html
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.errors import ExtractorError
from extractor.eval.pdf_fidelity import ground_truth
from extractor.ingest import load_document
from extractor.record import CATEGORIES, ArticleRecord

if TYPE_CHECKING:
    from extractor.api import Extractor

_NON_PROSE = {"figure_caption", "table", "references"}


def _heading_key(text: str) -> str:
    """Lowercase words of a heading without its numbering ('2.1. Patients' == 'Patients', the XML's <label>)."""
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"^\s*(?:\d+(?:\.\d+)*|[IVX]+)\.?\s+", "", text).lower()))


def _xml_structure(path: Path) -> dict[str, Any]:
    from defusedxml.ElementTree import fromstring

    raw = re.sub(rb"<!DOCTYPE[^>]*>", b"", path.read_bytes(), count=1)
    root = fromstring(raw)
    article = root if root.tag == "article" else root.find(".//article")
    if article is None:
        return {"sections": 0, "titles": Counter(), "tables": 0, "tables_with_cells": 0}
    parts = [el for tag in ("abstract", "body", "back") for el in article.iter(tag)]
    titles: Counter[str] = Counter()
    for part in parts:
        for sec in part.iter("sec"):
            title = sec.find("title")
            key = _heading_key("".join(title.itertext())) if title is not None else ""
            if key:
                titles[key] += 1
    wraps = list(article.iter("table-wrap"))
    return {
        "sections": sum(titles.values()),
        "titles": titles,
        "tables": len(wraps),
        "tables_with_cells": sum(1 for wrap in wraps if wrap.find(".//table") is not None),
    }


def _manifest_front(folder: Path) -> dict[str, dict[str, str]]:
    """Title and journal per PMCID from a `manifest.tsv` beside the folder (the shared data sets' layout; its
    strings keep the XML's character references, `&#x02013;`, which the comparison unescapes)."""
    import csv

    manifest = folder.parent / "manifest.tsv"
    if not manifest.is_file():
        return {}
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    key = next((k for k in ("pmcid", "id") if rows and k in rows[0]), None)
    return {row[key]: row for row in rows} if key else {}


def jats_counts(folder: Path) -> dict[str, Any]:
    """Parse counts, sections and tables against the XML's own, and title/journal against a manifest beside it."""
    from extractor.eval.metadata import normalize

    stated = _manifest_front(folder)
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".nxml", ".xml") and p.is_file())
    rows: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    for path in files:
        try:
            document = load_document(path)
        except ExtractorError as err:
            failures.append({"file": path.name, "error_type": type(err).__name__, "message": str(err)})
            continue
        reference = _xml_structure(path)
        headed = [s for s in document.sections if s.heading and s.name not in _NON_PROSE]
        printed = Counter(_heading_key(s.heading or "") for s in headed)
        rows.append(
            {
                "file": path.name,
                "chars": len(document.text),
                "xml_sections": reference["sections"],
                "sections": len(headed),
                "xml_sections_found": sum((reference["titles"] & printed).values()),
                "section_names": dict(Counter(s.name for s in headed)),
                "xml_tables": reference["tables"],
                "xml_tables_with_cells": reference["tables_with_cells"],
                "tables": len(document.tables),
                "tables_with_rows": sum(1 for t in document.tables if t.rows),
                "table_rows": sum(len(t.rows) for t in document.tables),
                "has_abstract": any(s.name == "abstract" for s in document.sections),
                "has_references": any(s.name == "references" for s in document.sections),
                "metadata": {k: v for k, v in document.metadata.items() if k in ("title", "doi", "journal", "year")},
            }
        )
        reference = stated.get(path.stem, {})
        rows[-1]["metadata_agrees"] = {
            key: normalize(document.metadata.get(key)) == normalize(html.unescape(reference[key]))
            for key in ("title", "journal")
            if reference.get(key)
        }
    return summarize_jats(rows, failures, len(files))


def summarize_jats(rows: list[dict[str, Any]], failures: list[dict[str, str]], files: int) -> dict[str, Any]:
    def total(key: str) -> int:
        return sum(int(r[key]) for r in rows)

    names: Counter[str] = Counter()
    for r in rows:
        names.update(r["section_names"])
    per_file = [r["sections"] for r in rows]
    return {
        "files": files,
        "parsed": len(rows),
        "failures": failures,
        "sections": {
            "xml_titled_sec": total("xml_sections"),
            "xml_titles_found": total("xml_sections_found"),
            "recall": round(total("xml_sections_found") / max(1, total("xml_sections")), 4),
            "document_sections": total("sections"),
            "per_file_mean": round(statistics.fmean(per_file), 2) if rows else None,
            "per_file_min": min(per_file) if rows else None,
            "files_without_sections": sum(1 for n in per_file if n == 0),
            "by_name": dict(names.most_common()),
        },
        "tables": {
            "xml_table_wrap": total("xml_tables"),
            "xml_with_cells": total("xml_tables_with_cells"),
            "recovered": total("tables"),
            "with_rows": total("tables_with_rows"),
            "rows": total("table_rows"),
            "per_file_mean": round(statistics.fmean(r["tables"] for r in rows), 2) if rows else None,
        },
        "with_abstract": sum(1 for r in rows if r["has_abstract"]),
        "with_references": sum(1 for r in rows if r["has_references"]),
        "metadata_present": {
            key: sum(1 for r in rows if r["metadata"].get(key)) for key in ("title", "doi", "journal", "year")
        },
        "metadata_agrees_with_manifest": {
            key: f"{sum(1 for r in rows if r['metadata_agrees'].get(key))}/"
            f"{sum(1 for r in rows if key in r['metadata_agrees'])}"
            for key in ("title", "journal")
        },
        "per_file": rows,
    }


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def item_keys(record: ArticleRecord) -> dict[str, set[tuple[str, ...]]]:
    """Each category's items as normalized keys (see the module docstring)."""
    return {
        "drugs": {(_norm(d.name),) for d in record.drugs},
        "doses": {(_norm(d.drug), _num(d.amount), _norm(d.unit)) for d in record.doses},
        "outcomes": {(_norm(o.endpoint), _norm(o.measure), _num(o.value)) for o in record.outcomes},
        "adverse_events": {(_norm(a.event), _norm(a.grade)) for a in record.adverse_events},
        "lab_values": {(_norm(lab.analyte), _num(lab.value), _norm(lab.unit)) for lab in record.lab_values},
        "trials": {(_norm(t.nct_id or t.name),) for t in record.trials},
        "arms": {(_norm(a.name), _num(a.n)) for a in record.arms},
        "characteristics": {(_norm(c.name), _norm(c.arm), _num(c.value)) for c in record.characteristics},
    }


def compare(xml_record: ArticleRecord, pdf_record: ArticleRecord) -> dict[str, dict[str, Any]]:
    xml_keys, pdf_keys = item_keys(xml_record), item_keys(pdf_record)
    out: dict[str, dict[str, Any]] = {}
    for name in CATEGORIES:
        both = xml_keys[name] & pdf_keys[name]
        out[name] = {
            "xml": len(xml_keys[name]),
            "found_in_pdf": len(both),
            "pdf_only": len(pdf_keys[name] - xml_keys[name]),
            "missed": sorted(" | ".join(k) for k in xml_keys[name] - pdf_keys[name]),
        }
    return out


def item_parity(data: Path, extractor: Extractor) -> dict[str, Any]:
    per_document: list[dict[str, Any]] = []
    for folder, truth in ground_truth(data):
        xml_record = extractor.extract_file(folder / truth["xml"])
        pdf_record = extractor.extract_file(folder / truth["pdf"])
        per_document.append({"id": truth["id"], "categories": compare(xml_record, pdf_record)})
    return summarize_parity(per_document)


def summarize_parity(per_document: list[dict[str, Any]]) -> dict[str, Any]:
    categories: dict[str, dict[str, Any]] = {}
    for name in CATEGORIES:
        xml = sum(d["categories"][name]["xml"] for d in per_document)
        found = sum(d["categories"][name]["found_in_pdf"] for d in per_document)
        categories[name] = {
            "xml_items": xml,
            "found_in_pdf": found,
            "parity": round(found / xml, 4) if xml else None,
            "pdf_only": sum(d["categories"][name]["pdf_only"] for d in per_document),
        }
    xml_all = sum(c["xml_items"] for c in categories.values())
    found_all = sum(c["found_in_pdf"] for c in categories.values())
    return {
        "documents": len(per_document),
        "categories": categories,
        "all_items": {"xml_items": xml_all, "found_in_pdf": found_all, "parity": round(found_all / xml_all, 4)}
        if xml_all
        else None,
        "per_document": per_document,
    }


def jats_table(summary: dict[str, Any]) -> str:
    s, t = summary["sections"], summary["tables"]
    lines = [
        f"JATS files: {summary['files']}, parsed {summary['parsed']}, failed {len(summary['failures'])}",
        f"sections: {s['xml_titles_found']} of {s['xml_titled_sec']} titled <sec> (abstract, body, back) recovered "
        f"as headed sections (recall {s['recall']}); {s['document_sections']} headed sections in all, "
        f"{s['per_file_mean']} per file (min {s['per_file_min']}), {s['files_without_sections']} files without",
        f"tables: {t['recovered']} recovered / {t['xml_table_wrap']} <table-wrap> ({t['xml_with_cells']} with a "
        f"<table>); {t['with_rows']} with rows, {t['rows']} rows in all; {t['per_file_mean']} per file",
        f"abstract found in {summary['with_abstract']}, references in {summary['with_references']}; "
        f"metadata present: {summary['metadata_present']}; "
        f"agreeing with the manifest: {summary['metadata_agrees_with_manifest']}",
    ]
    lines.extend(f"failure {f['file']}: {f['error_type']}: {f['message']}" for f in summary["failures"])
    return "\n".join(lines)


def parity_table(summary: dict[str, Any]) -> str:
    lines = [f"{'category':<16}{'XML items':>10}{'in PDF':>8}{'parity':>8}{'PDF only':>10}"]
    for name, c in summary["categories"].items():
        parity = f"{c['parity']:.3f}" if c["parity"] is not None else "-"
        lines.append(f"{name:<16}{c['xml_items']:>10}{c['found_in_pdf']:>8}{parity:>8}{c['pdf_only']:>10}")
    if summary["all_items"]:
        a = summary["all_items"]
        lines.append(f"{'all':<16}{a['xml_items']:>10}{a['found_in_pdf']:>8}{a['parity']:>8.3f}")
    return "\n".join(lines)
