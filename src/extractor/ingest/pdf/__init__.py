"""PDF articles: text in geometric reading order, running heads and feet removed, laid out like plain text.

Content-stream order is not reading order (publishers write columns, floats and running heads in any order),
so every page is rebuilt from where its text sits (the module doing each step in brackets):

1. runs (`backends`, `runs`): words that follow each other on one baseline without a wide gap (pypdfium2 words
   measured at their first and last characters, or pdfplumber words with ``x_tolerance=1.5``); a superscript
   stays in its line;
2. running heads and feet (`furniture`): runs in the top or bottom strip of the text area whose text (digits masked)
   recurs in that strip on another page, and lone page numbers on the first or last row, are dropped;
3. columns (`layout`): the gutter is the emptiest stretch of the widest x-range in the middle of the page that
   the fewest runs cross. Runs that cross it are full-width (title, abstract, spanning figures and tables), and
   so is the short last line of a full-width paragraph; they cut the page into bands; within a band the left
   column is read top to bottom, then the right one. A page without a gutter is one column;
4. floats (`figures`, `tables`): on pages with a caption, the page's drawn objects are read once. Text drawn
   in and around a captioned figure (axis ticks, legends) is left out; each 'Table N' caption opens a table
   (extent from the gutter and the rules, rows and columns from the text's positions), written where it sits as
   its caption line, one line per row with the non-empty cells joined by " | " (as the JATS ingest writes them)
   and its footnotes, and kept in `Document.tables` as rows of cells with caption, label and page;
5. rows (`layout`): runs at one height within a column (or next to a full-width run) become one line; a blank
   line marks white space above a line, an indented line after a sentence end, or a move to another block (the
   next column, page or band) after a sentence end
   (lay_out is called with blank_breaks=True: these blank lines end paragraphs and captions);
6. an abstract printed without a heading is marked by layout (`front`): on the first page, the prose paragraphs
   closing the full-width block just above the columns, front matter (copyright, dates, editor) left out;
7. the lines go through `clean.lay_out`, which joins hard wraps, resolves line-end hyphens (pdfium marks them
   U+FFFE), expands ligatures and labels headings (numbered subsections too) and captions.

Offsets: `SourceLine.start`, and so the Document's `OffsetMap`, index the raw text as extracted here: for each
page in order, each of its lines in reading order followed by "\\n" (a blank line is just "\\n"; a page without
text is one blank line; a table adds a blank line before and after its lines), pages concatenated without a
separator. Dropped running heads and figure text are not part of it.

`front.read_front` also reads page 1 again on its own, for the metadata its type sizes and running heads state
(`Document.metadata["pdf_front"]`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import PdfError, Warn
from extractor.ingest.clean import lay_out, normalize
from extractor.ingest.document import Document, SourceInfo, Table
from extractor.ingest.pdf.backends import Backend, read_pages
from extractor.ingest.pdf.front import read_front
from extractor.ingest.pdf.furniture import drop_running_heads
from extractor.ingest.pdf.layout import source_lines
from extractor.ingest.pdf.tables import PdfTable
from extractor.ingest.sections import caption_kind
from extractor.record import SourceFormat

__all__ = ["Backend", "read_pdf"]


def read_pdf(path: Path, data: bytes, *, max_pages: int | None = None, backend: Backend = "pdfium") -> Document:
    """Text of a PDF with pages and sections, in reading order; pages without a text layer are reported (W001)."""
    if b"%PDF-" not in data[:1024]:
        raise PdfError(f"{path}: not a PDF (no %PDF header)")
    pages, total = read_pages(path, data, max_pages, backend)
    warnings: list[str] = []
    if len(pages) < total:
        warnings.append(Warn.W006.format(pages=len(pages), total=total))
    empty = [page.number for page in pages if not page.runs]
    if empty:
        warnings.append(Warn.W001.format(pages=_page_ranges(empty)))
    found: list[tuple[PdfTable, int]] = []
    layout = lay_out(source_lines(drop_running_heads(pages), found), blank_breaks=True)
    if layout.text and len(layout.text) < 200:
        warnings.append(Warn.W004.format(chars=len(layout.text)))
    return Document(
        text=layout.text,
        source=SourceInfo(
            path=str(path), format=SourceFormat.pdf, sha256=hashlib.sha256(data).hexdigest(), pages=total
        ),
        pages=layout.pages,
        sections=layout.sections,
        tables=_document_tables(found, layout.table_regions),
        offset_map=layout.offset_map,
        warnings=warnings,
        metadata={"table_regions": layout.table_regions, "pdf_front": read_front(data)},
    )


def _document_tables(found: list[tuple[PdfTable, int]], regions: list[tuple[int, int, str]]) -> list[Table]:
    """Tables found on the pages, in text order, with where `lay_out` put each (its caption starts a region)."""
    tables: list[Table] = []
    at = 0
    for table, page in found:
        caption = normalize(table.caption)
        label = (caption_kind(caption) or ("table", ""))[1]
        k = next((i for i in range(at, len(regions)) if regions[i][2] == caption), None)
        if k is None:
            continue
        at = k + 1
        rows = [[normalize(cell) for cell in row] for row in table.rows]
        text = caption[len(label) :].lstrip(" .:")
        tables.append(Table(rows, text or None, regions[k][0], regions[k][1], page=page, label=label or None))
    return tables


def _page_ranges(numbers: list[int]) -> str:
    """'1-3, 7' rather than a list of every page of a scanned book."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
