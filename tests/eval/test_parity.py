"""JATS ingest counts and PDF-vs-XML item keys."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from extractor.eval.parity import compare, item_keys, jats_counts, jats_table, summarize_parity
from extractor.record import ArticleRecord
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures"


def test_jats_counts(tmp_path: Path) -> None:
    folder = tmp_path / "xml_files"  # beside manifest.tsv, as in the shared evidence_inference layout
    folder.mkdir()
    for name in ("PMC1810515.nxml", "PMC4735920.fulltext.xml"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "broken.xml").write_text("<article><front><article-meta>", encoding="utf-8")
    (tmp_path / "manifest.tsv").write_text(
        "pmcid\ttitle\tjournal\nPMC1810515\tPharmacokinetic profile of a 24-hour controlled-release OROS&#x000ae; "
        "formulation of hydromorphone in the presence and absence of food\tBMC Clinical Pharmacology\n",
        encoding="utf-8",
    )
    summary = jats_counts(folder)
    assert (summary["files"], summary["parsed"]) == (3, 2)
    assert [f["file"] for f in summary["failures"]] == ["broken.xml"]
    assert summary["failures"][0]["error_type"] == "MarkupError"
    assert summary["sections"]["recall"] == 1.0
    assert summary["tables"]["recovered"] == summary["tables"]["xml_table_wrap"] == 4
    assert summary["metadata_agrees_with_manifest"] == {"title": "1/1", "journal": "1/1"}
    assert "parsed 2, failed 1" in jats_table(summary)


def _record(**items: Any) -> ArticleRecord:
    span = {"text": "x", "start": 0, "end": 1}
    base: dict[str, Any] = {"doc_id": "d", "source": {"path": "p", "format": "pdf", "sha256": "0", "chars": 1}}
    for name, values in items.items():
        base[name] = [{**value, "span": span} if name != "drugs" else {**value, "mentions": [span]} for value in values]
    return ArticleRecord.model_validate(base)


def test_items_compare_by_normalized_key() -> None:
    xml = _record(
        drugs=[{"name": "levofloxacin"}, {"name": "ciprofloxacin"}],
        lab_values=[{"analyte": "body temperature", "value": 38.3, "unit": "°C"}],
        doses=[{"drug": "Levofloxacin", "amount": 500.0, "unit": "mg"}],
    )
    pdf = _record(
        drugs=[{"name": "levofloxacin"}, {"name": "heparin"}],
        doses=[{"drug": "levofloxacin", "amount": 500, "unit": "mg"}],
    )
    assert item_keys(xml)["doses"] == {("levofloxacin", "500", "mg")}
    result = compare(xml, pdf)
    assert (result["drugs"]["xml"], result["drugs"]["found_in_pdf"], result["drugs"]["pdf_only"]) == (2, 1, 1)
    assert result["doses"]["found_in_pdf"] == 1
    assert result["lab_values"]["missed"] == ["body temperature | 38.3 | °c"]
    summary = summarize_parity([{"id": "a", "categories": result}])
    assert summary["categories"]["drugs"]["parity"] == 0.5
    assert summary["all_items"] == {"xml_items": 4, "found_in_pdf": 2, "parity": 0.5}
