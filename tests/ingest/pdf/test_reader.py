"""PDF ingest: reading order against the publisher's JATS XML, running heads, synthetic layouts, bad input."""

from __future__ import annotations

import difflib
import io
import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from defusedxml import ElementTree
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from extractor.errors import PdfError
from extractor.ingest import load_document
from extractor.ingest.document import Document
from extractor.ingest.pdf import Backend, read_pdf
from tests.conftest import CORPUS

PDFS = CORPUS / "pdfs"
BUNDLED = sorted(PDFS.glob("PMC*.pdf"))
TOKEN = re.compile(r"[a-z0-9]+")
BACKENDS: list[Backend] = ["pdfium", "pdfplumber"]


def xml_body(path: Path) -> tuple[str, str]:
    """Abstract and body paragraphs of a JATS file (not inside tables and figures, nor twice), and the journal title."""
    root = ElementTree.parse(path).getroot()
    paragraphs = [p for abstract in root.iter("abstract") for p in abstract.iter("p")]
    body = root.find("body")
    assert body is not None
    floats = {id(p) for tag in ("table-wrap", "fig") for wrap in body.iter(tag) for p in wrap.iter("p")}
    nested = {id(inner) for p in body.iter("p") for inner in p.iter("p") if inner is not p}  # list items in a <p>
    paragraphs += [p for p in body.iter("p") if id(p) not in floats | nested]
    return "\n".join("".join(p.itertext()) for p in paragraphs), root.findtext(".//journal-title") or ""


def order_similarity(reference: str, candidate: str) -> float:
    """Share of the reference's word tokens found in the candidate in the same order (longest common subsequence)."""
    ref, cand = TOKEN.findall(reference.lower()), TOKEN.findall(candidate.lower())
    matcher = difflib.SequenceMatcher(None, ref, cand, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(ref)


@pytest.fixture(scope="module")
def bundled() -> dict[str, Document]:
    return {path.stem: read_pdf(path, path.read_bytes()) for path in BUNDLED}


def test_three_bundled_pdfs_with_their_xml() -> None:
    assert len(BUNDLED) == 3
    assert all(path.with_suffix(".xml").is_file() for path in BUNDLED)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_reading_order_matches_the_jats_xml(bundled: dict[str, Document], path: Path) -> None:
    reference, _ = xml_body(path.with_suffix(".xml"))
    assert order_similarity(reference, bundled[path.stem].text) >= 0.95


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_running_heads_and_page_numbers_are_removed(bundled: dict[str, Document], path: Path) -> None:
    document = bundled[path.stem]
    _, journal = xml_body(path.with_suffix(".xml"))
    assert journal
    # Hindawi prints the journal name at the top of every page after the first.
    assert document.text.count(journal) <= 1
    paragraphs = [p.strip() for p in document.text.split("\n")]
    assert journal not in paragraphs
    assert not [p for p in paragraphs if p.isdigit()]


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_pages_cover_the_text_in_order(bundled: dict[str, Document], path: Path) -> None:
    document = bundled[path.stem]
    assert document.source.pages == len(document.pages) >= 2
    assert [p.number for p in document.pages] == list(range(1, len(document.pages) + 1))
    assert document.pages[0].start == 0 and document.pages[-1].end == len(document.text)
    assert all(a.end == b.start for a, b in itertools.pairwise(document.pages))
    assert "\ufb01" not in document.text and "\ufffe" not in document.text and "\x02" not in document.text


# --- synthetic PDFs (reportlab) ---

TITLE = "Synthetic Two Column Report Of A Patient Treated With Metformin"
LEFT = [f"Left column line {n:02d} says the patient was stable." for n in range(1, 16)]
RIGHT = [f"Right column line {n:02d} says the dose was unchanged." for n in range(1, 16)]
COLUMN_X = (72, 320)  # a 248 pt left column with a gutter of about 30 pt before the right one


def make_pdf(*pages: Callable[[Canvas], None], encrypt: StandardEncryption | None = None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, encrypt=encrypt)
    for draw in pages:
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def title(canvas: Canvas) -> None:
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(72, 720, TITLE)
    canvas.setFont("Helvetica", 10)


def right_column_first(canvas: Canvas) -> None:
    title(canvas)
    for x, lines in ((COLUMN_X[1], RIGHT), (COLUMN_X[0], LEFT)):
        for i, line in enumerate(lines):
            canvas.drawString(x, 680 - 12 * i, line)


def line_by_line_across_columns(canvas: Canvas) -> None:
    title(canvas)
    for i, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        canvas.drawString(COLUMN_X[0], 680 - 12 * i, left)
        canvas.drawString(COLUMN_X[1], 680 - 12 * i, right)


def only_a_rectangle(canvas: Canvas) -> None:
    canvas.rect(100, 100, 300, 300, fill=1)


def assert_columns_in_order(text: str) -> None:
    positions = [text.find(line.rstrip(".")) for line in [TITLE, *LEFT, *RIGHT]]
    assert -1 not in positions, text
    assert positions == sorted(positions), text


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("draw", [right_column_first, line_by_line_across_columns])
def test_two_columns_read_left_then_right(tmp_path: Path, draw: Callable[[Canvas], None], backend: Backend) -> None:
    data = make_pdf(draw)
    document = read_pdf(tmp_path / "columns.pdf", data, backend=backend)
    assert_columns_in_order(document.text)
    assert document.pages == [document.pages[0]] and document.pages[0].number == 1
    assert not document.warnings


def test_running_heads_feet_and_page_numbers_dropped(tmp_path: Path) -> None:
    def page(n: int) -> Callable[[Canvas], None]:
        def draw(canvas: Canvas) -> None:
            canvas.setFont("Helvetica", 9)
            canvas.drawString(72, 750, "Journal of Synthetic Medicine")
            canvas.drawString(300, 40, str(n))
            canvas.setFont("Helvetica", 10)
            for i in range(20):
                canvas.drawString(72, 700 - 14 * i, f"Page {n} sentence {i} describes the course of the disease.")

        return draw

    document = read_pdf(tmp_path / "heads.pdf", make_pdf(page(1), page(2), page(3)))
    assert "Journal of Synthetic Medicine" not in document.text
    assert not re.search(r"(?m)^\d+$", document.text)
    assert [p.number for p in document.pages] == [1, 2, 3]
    for number, page_range in enumerate(document.pages, start=1):
        assert f"Page {number} sentence 0 " in document.text[page_range.start : page_range.end]


def test_offsets_map_back_to_the_extracted_lines(tmp_path: Path) -> None:
    document = read_pdf(tmp_path / "columns.pdf", make_pdf(right_column_first))
    # raw text: the title line, a blank line for the white space below it, then the left column's first line
    start = document.text.index(LEFT[0])
    assert document.offset_map.to_source(start) == len(TITLE + "\n\n")
    assert document.offset_map.to_source(start + len(LEFT[0]) + 1) == len(TITLE + "\n\n" + LEFT[0] + "\n")


def test_not_a_pdf_raises(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="not a PDF"):
        read_pdf(tmp_path / "note.pdf", b"Dear colleague, the patient was seen today.")
    with pytest.raises(PdfError, match=r"broken\.pdf"):
        read_pdf(tmp_path / "broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100)
    path = tmp_path / "note.pdf"
    path.write_bytes(b"<html><body>Access denied</body></html>")
    with pytest.raises(PdfError):
        load_document(path)


@pytest.mark.parametrize("backend", BACKENDS)
def test_password_protected_pdf_raises(tmp_path: Path, backend: Backend) -> None:
    data = make_pdf(right_column_first, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(PdfError, match=r"locked\.pdf.*password"):
        read_pdf(tmp_path / "locked.pdf", data, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_pages_without_text_are_reported(tmp_path: Path, backend: Backend) -> None:
    scanned = read_pdf(tmp_path / "scan.pdf", make_pdf(only_a_rectangle), backend=backend)
    assert scanned.text == ""
    assert any(w.startswith("W001") and "1" in w for w in scanned.warnings)
    mixed = read_pdf(tmp_path / "mixed.pdf", make_pdf(right_column_first, only_a_rectangle), backend=backend)
    assert [w for w in mixed.warnings if w.startswith("W001")] == ["W001: no text layer on pages 2; OCR is not enabled"]
    assert [p.number for p in mixed.pages] == [1, 2]
    assert mixed.pages[1].start == mixed.pages[1].end == len(mixed.text)


def test_page_limit(tmp_path: Path) -> None:
    document = read_pdf(tmp_path / "long.pdf", make_pdf(*[right_column_first] * 3), max_pages=2)
    assert document.source.pages == 3
    assert [p.number for p in document.pages] == [1, 2]
    assert "W006: PDF processed up to page 2 of 3" in document.warnings
