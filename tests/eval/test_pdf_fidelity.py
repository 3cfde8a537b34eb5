"""PDF fidelity finds its ground truth by file name pattern, for any collection, and scores a bundled PDF.

The truth line is built from the bundled JATS XML of the same article (corpus/pdfs, CC-BY), as the shared
pdfs_clinical conversion does: abstract paragraphs, sections with headings, tables as rows of cells.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from extractor.eval.pdf_fidelity import evaluate_pdfs, ground_truth, summarize
from extractor.ingest import load_document
from extractor.ingest.document import Document
from tests.conftest import CORPUS

ARTICLE = "PMC4738698"


def _truth(xml: Document, stem: str) -> dict[str, Any]:
    def text(name: str) -> list[str]:
        return [xml.text[s.start : s.end] for s in xml.sections if s.name == name]

    body = [s for s in xml.sections if s.name not in ("abstract", "references", "table", "figure_caption")]
    return {
        "id": stem,
        "pdf": f"{stem}/fulltext.pdf",
        "xml": f"{stem}/fulltext.xml",
        "abstract": text("abstract"),
        "sections": [{"heading": s.heading or "", "level": 1, "paragraphs": [xml.text[s.start : s.end]]} for s in body],
        "tables": [{"rows": table.rows} for table in xml.tables],
    }


def _collection(folder: Path, name: str) -> None:
    """A collection laid out as the shared pdfs_clinical one: NAME_groundtruth.jsonl beside NAME's folders."""
    article = folder / ARTICLE
    article.mkdir(parents=True)
    shutil.copy(CORPUS / "pdfs" / f"{ARTICLE}.pdf", article / "fulltext.pdf")
    shutil.copy(CORPUS / "pdfs" / f"{ARTICLE}.xml", article / "fulltext.xml")
    truth = _truth(load_document(article / "fulltext.xml"), ARTICLE)
    (folder / f"{name}_groundtruth.jsonl").write_text(json.dumps(truth) + "\n", encoding="utf-8")


def test_every_ground_truth_file_of_a_folder_is_read(tmp_path: Path) -> None:
    _collection(tmp_path, "first_publisher")
    (tmp_path / "notes.jsonl").write_text('{"id": "not truth"}\n', encoding="utf-8")
    found = ground_truth(tmp_path)
    assert [(folder, truth["id"]) for folder, truth in found] == [(tmp_path, ARTICLE)]
    assert ground_truth(tmp_path / "first_publisher_groundtruth.jsonl") == found  # one file works too
    assert ground_truth(tmp_path / ARTICLE) == []


def test_a_bundled_pdf_is_scored_against_its_own_xml(tmp_path: Path) -> None:
    _collection(tmp_path, "any_name")
    summary = evaluate_pdfs(tmp_path)
    assert summary["documents"] == 1
    (score,) = summary["per_document"]
    assert score["id"] == ARTICLE and score["pages"] > 1
    assert score["order_recall"] > 0.8  # the PDF reads in the XML's order; a broken path or layout scores near 0
    assert set(summary) == set(summarize([]))
