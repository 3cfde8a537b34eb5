"""How faithfully the PDF ingest reads published PDFs, measured against the same articles' JATS XML.

Per document and overall:
- order: token-order recall — the share of the XML body's word tokens (abstract + section paragraphs, lowercased
  alphanumeric runs) that the PDF text holds in the same order, i.e. the size of a longest common subsequence
  (difflib matching blocks, no autojunk) divided by the XML token count; and token-order precision, the same
  matched count divided by the PDF body's token count (figure captions, tables and references are left out of
  both sides, since the XML keeps them apart);
- leakage: running heads and feet left in the text — lines among the first or last three of a page's raw
  pdfium text (where publishers write heads and feet) that recur, digits masked, on two or more pages and survive
  as a line of the Document; and, apart, `repeated_lines`: any short line repeated on two pages and kept
  (mostly text inside figures: axis ticks, panel letters, legends);
- abstract: the share of the XML abstract's tokens found, in order, in the Document's abstract section (some
  publishers print the abstract without a heading: the ingest must find it by layout);
- headings: XML section titles found as Document section headings, and of those whose name is known, how many
  carry the contract name implied by the title or, for a subsection, by its nearest titled ancestor
  (Introduction -> introduction, Case Report -> results, 2.1. Patients under 2. Methods -> methods);
- hyphenation and ligatures: PDF words that are not XML words but become XML words when a hyphen is removed
  or inserted ("treat-ment", "casereport"), and ligature characters left in the text;
- tables: cell-level precision/recall/F1 of Document.tables against the XML tables (multisets of normalized
  cell texts).
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from extractor.ingest.document import Document
from extractor.ingest.sections import classify_heading, heading_key
from extractor.record import SectionName

# One JSON line per article, converted from its JATS XML: {"id", "pdf", "xml", "abstract": [paragraphs],
# "sections": [{"heading", "level", "paragraphs"}], "tables": [{"label", "caption", "rows", "footnotes"}], ...};
# the shared pdfs_clinical folder has one such file per collection (hindawi_epmc_groundtruth.jsonl).
GROUND_TRUTH = "*_groundtruth.jsonl"
TOKEN = re.compile(r"[a-z0-9]+")
NON_BODY = {"figure_caption", "table", "references", "other"}


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def order_match(reference: list[str], candidate: list[str]) -> int:
    """Tokens of `reference` found in `candidate` in the same order (LCS via matching blocks)."""
    matcher = difflib.SequenceMatcher(None, reference, candidate, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def body_text(document: Document) -> str:
    parts = [document.text[s.start : s.end] for s in document.sections if s.name not in NON_BODY]
    return "\n".join(parts) if parts else document.text


def _mask(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _cells(rows: list[list[str]]) -> Counter[str]:
    return Counter(" ".join(tokens(cell)) for row in rows for cell in row if tokens(cell))


@dataclass
class PdfScore:
    id: str
    pages: int
    order_recall: float
    order_precision: float
    leaked_lines: int
    repeated_lines: int
    abstract_recall: float
    headings_found: int
    headings_total: int
    heading_names_right: int
    heading_names_checked: int
    hyphenation_errors: int
    ligatures: int
    table_cells_tp: int
    table_cells_pred: int
    table_cells_gold: int
    seconds: float


def score_document(truth: dict[str, Any], document: Document, seconds: float, raw_pages: list[str]) -> PdfScore:
    reference_text = "\n".join(truth["abstract"] + [p for s in truth["sections"] for p in s["paragraphs"]])
    reference = tokens(reference_text)
    candidate = tokens(body_text(document))
    matched = order_match(reference, candidate)
    vocabulary = set(reference) | set(tokens(" ".join(s["heading"] for s in truth["sections"])))

    found = right = checked = 0
    printed = {heading_key(s.heading or ""): s.name for s in document.sections if s.heading}
    ancestors: list[tuple[int, SectionName | None]] = []  # (level, implied name) of the enclosing XML sections
    for section in truth["sections"]:
        level = int(section.get("level") or 1)
        while ancestors and ancestors[-1][0] >= level:
            ancestors.pop()
        implied = classify_heading(section["heading"]) or next((n for _, n in reversed(ancestors) if n), None)
        ancestors.append((level, implied))
        key = heading_key(section["heading"])
        if key in printed:
            found += 1
            if implied is not None:
                checked += 1
                right += implied == printed[key]
    abstract_reference = tokens("\n".join(truth["abstract"]))
    abstract_text = "\n".join(document.text[s.start : s.end] for s in document.sections if s.name == "abstract")
    abstract_matched = order_match(abstract_reference, tokens(abstract_text)) if abstract_reference else 0

    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", document.text)
    hyphenation = 0
    for word in words:
        low = word.lower()
        if "-" in low and low.replace("-", "") in vocabulary and not all(p in vocabulary for p in low.split("-")):
            hyphenation += 1
        elif "-" not in low and len(low) > 7 and low not in vocabulary:
            hyphenation += any(low[:i] in vocabulary and low[i:] in vocabulary for i in range(3, len(low) - 2))

    repeated = Counter(line.strip() for page in raw_pages for line in set(page.splitlines()) if line.strip())
    running = {line for line, n in repeated.items() if n >= 2 and len(tokens(line)) <= 12}
    kept_lines = {line.strip() for line in document.text.splitlines()}
    floats = re.compile(r"(?i)(table|figure) \d+.*")
    kept_repeated = sum(1 for line in running if line in kept_lines and not floats.fullmatch(line))
    edges: Counter[str] = Counter()
    for page in raw_pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        edges.update({_mask(line) for line in lines[:3] + lines[-3:]})
    heads = {line for line, n in edges.items() if n >= 2 and len(tokens(line)) <= 12}
    kept_masked = {_mask(line) for line in kept_lines}
    leaked = sum(1 for line in heads if line in kept_masked and not floats.fullmatch(line))

    gold_cells = sum((_cells(t["rows"]) for t in truth["tables"]), Counter())
    pred_cells = sum((_cells(t.rows) for t in document.tables), Counter())
    return PdfScore(
        id=truth["id"],
        pages=document.source.pages or 0,
        order_recall=matched / len(reference) if reference else 0.0,
        order_precision=matched / len(candidate) if candidate else 0.0,
        leaked_lines=leaked,
        repeated_lines=kept_repeated,
        abstract_recall=abstract_matched / len(abstract_reference) if abstract_reference else 1.0,
        headings_found=found,
        headings_total=len(truth["sections"]),
        heading_names_right=right,
        heading_names_checked=checked,
        hyphenation_errors=hyphenation,
        ligatures=sum(document.text.count(ch) for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04"),
        table_cells_tp=sum((gold_cells & pred_cells).values()),
        table_cells_pred=sum(pred_cells.values()),
        table_cells_gold=sum(gold_cells.values()),
        seconds=seconds,
    )


def _raw_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def ground_truth(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """(folder, truth line) of every article of `path`: one ground-truth file, or every file named
    `GROUND_TRUTH` in a folder (one per collection). A truth line names its PDF and XML relative to `folder`."""
    files = [path] if path.is_file() else sorted(path.glob(GROUND_TRUTH))
    return [
        (file.parent, json.loads(line))
        for file in files
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def evaluate_pdfs(data: Path, backend: str = "pdfium") -> dict[str, Any]:
    """Scores every PDF of the ground truth in `data` (`ground_truth`)."""
    from extractor.ingest.pdf import read_pdf

    scores: list[PdfScore] = []
    for folder, truth in ground_truth(data):
        path = folder / truth["pdf"]
        started = time.perf_counter()
        document = read_pdf(path, path.read_bytes(), backend=backend)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        scores.append(score_document(truth, document, seconds, _raw_pages(path)))
    return summarize(scores)


def summarize(scores: list[PdfScore]) -> dict[str, Any]:
    pages = sum(s.pages for s in scores)
    tp = sum(s.table_cells_tp for s in scores)
    pred = sum(s.table_cells_pred for s in scores)
    gold = sum(s.table_cells_gold for s in scores)
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    found = sum(s.headings_found for s in scores)
    return {
        "documents": len(scores),
        "pages": pages,
        "order_recall_mean": round(statistics.fmean(s.order_recall for s in scores), 4) if scores else None,
        "order_recall_min": round(min(s.order_recall for s in scores), 4) if scores else None,
        "order_precision_mean": round(statistics.fmean(s.order_precision for s in scores), 4) if scores else None,
        "leaked_lines": sum(s.leaked_lines for s in scores),
        "repeated_lines": sum(s.repeated_lines for s in scores),
        "heading_recall": round(found / max(1, sum(s.headings_total for s in scores)), 4),
        "abstract_recall_mean": round(statistics.fmean(s.abstract_recall for s in scores), 4) if scores else None,
        "heading_name_accuracy": round(
            sum(s.heading_names_right for s in scores) / max(1, sum(s.heading_names_checked for s in scores)), 4
        ),
        "hyphenation_errors": sum(s.hyphenation_errors for s in scores),
        "ligatures": sum(s.ligatures for s in scores),
        "table_cells": {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        },
        "pages_per_second": round(pages / max(1e-9, sum(s.seconds for s in scores)), 1),
        "per_document": [asdict(s) for s in scores],
    }


def table(summary: dict[str, Any]) -> str:
    head = (
        f"{'id':<12}{'pages':>6}{'order R':>9}{'order P':>9}{'leak':>6}{'abstr':>7}"
        f"{'heads':>8}{'names':>8}{'hyph':>6}{'cells P':>9}{'cells R':>9}{'cells F1':>9}"
    )
    lines = [head]
    for s in summary["per_document"]:
        tp, pred, gold = s["table_cells_tp"], s["table_cells_pred"], s["table_cells_gold"]
        p = f"{tp / pred:.2f}" if pred else "-"
        r = f"{tp / gold:.2f}" if gold else "-"
        f1 = f"{2 * tp / (pred + gold):.2f}" if gold else "-"
        heads = f"{s['headings_found']}/{s['headings_total']}"
        names = f"{s['heading_names_right']}/{s['heading_names_checked']}"
        lines.append(
            f"{s['id']:<12}{s['pages']:>6}{s['order_recall']:>9.3f}{s['order_precision']:>9.3f}{s['leaked_lines']:>6}"
            f"{s['abstract_recall']:>7.2f}{heads:>8}{names:>8}{s['hyphenation_errors']:>6}{p:>9}{r:>9}{f1:>9}"
        )
    overall = {k: v for k, v in summary.items() if k != "per_document"}
    lines.append(json.dumps(overall))
    return "\n".join(lines)
