"""PDF articles: text in geometric reading order, running heads and feet removed, laid out like plain text.

Content-stream order is not reading order (publishers write columns, floats and running heads in any order),
so every page is rebuilt from where its text sits:

1. runs: words that follow each other on one baseline without a wide gap (pypdfium2 words measured at their
   first and last characters, or pdfplumber words with ``x_tolerance=1.5``); a superscript stays in its line;
2. running heads and feet: runs in the top or bottom strip of the text area whose text (digits masked)
   recurs in that strip on another page, and lone page numbers on the first or last row, are dropped;
3. columns: the gutter is the emptiest stretch of the widest x-range in the middle of the page that the fewest
   runs cross. Runs that cross it are full-width (title, abstract, spanning figures and tables), and so is the
   short last line of a full-width paragraph; they cut the page into bands; within a band the left column is
   read top to bottom, then the right one. A page without a gutter is one column;
4. floats: on pages with a caption, the page's drawn objects are read once. Text drawn in and around a captioned
   figure (axis ticks, legends) is left out; each 'Table N' caption opens a table (`pdf_tables`: extent from the
   gutter and the rules, rows and columns from the text's positions), written where it sits as its caption line,
   one line per row with the non-empty cells joined by " | " (as the JATS ingest writes them) and its
   footnotes, and kept in `Document.tables` as rows of cells with caption, label and page;
5. rows: runs at one height within a column (or next to a full-width run) become one line; a blank line marks
   white space above a line, an indented line after a sentence end, or a move to another block (the next column,
   page or band) after a sentence end
   (lay_out is called with blank_breaks=True: these blank lines end paragraphs and captions);
6. an abstract printed without a heading is marked by layout: on the first page, the prose paragraphs closing the
   full-width block just above the columns, front matter (copyright, dates, editor) left out;
7. the lines go through `clean.lay_out`, which joins hard wraps, resolves line-end hyphens (pdfium marks them
   U+FFFE), expands ligatures and labels headings (numbered subsections too) and captions.

Offsets: `SourceLine.start`, and so the Document's `OffsetMap`, index the raw text as extracted here: for each
page in order, each of its lines in reading order followed by "\\n" (a blank line is just "\\n"; a page without
text is one blank line; a table adds a blank line before and after its lines), pages concatenated without a
separator. Dropped running heads and figure text are not part of it.
"""

from __future__ import annotations

import bisect
import ctypes
import hashlib
import io
import itertools
import math
import re
import statistics
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import PdfError, Warn
from extractor.ingest.clean import LineRole, SourceLine, lay_out, normalize
from extractor.ingest.document import Document, SourceInfo, Table
from extractor.ingest.pdf.front import read_front
from extractor.ingest.pdf.tables import PdfTable, Rule, find_tables, is_table_caption
from extractor.ingest.sections import caption_kind
from extractor.record import SourceFormat

Backend = Literal["pdfium", "pdfplumber"]

# Geometry thresholds, in multiples of a run's height (about 1.2 x the font size).
_WORD_GAP = 1.0  # a wider gap on one baseline ends a run: a gutter or a table cell boundary
_SPACE_GAP = 0.15  # runs joined on a row get a space between them when further apart than this
_ROW_SHIFT = 0.45  # runs whose vertical centres differ by less than this share a row
_PARAGRAPH_GAP = 0.7  # more white space than this between two lines of a block: a new paragraph
_TABLE_END_GAP = 1.5  # white space this high across the page ends a full-width table (twice that after the caption)
_INDENT = 0.8  # a line starting this much right of the one before it, after a sentence end: a new paragraph
_MARGIN = 0.07  # share of the page height at the top and bottom of the text area where running heads sit
_GUTTER_RANGE = (0.25, 0.75)  # where a column gutter may lie, as shares of the text area's width
_COLUMN_SHARE = 0.05  # least share of a page's characters on each side of a gutter

_PAGE_NUMBER = re.compile(r"(?i)(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?")
_SENTENCE_END = (".", "!", "?", ":")
_NON_SPACE = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")  # pdfium's line-end hyphen mark ends a word and a line
_UNUSUAL = re.compile("[\ud800-\udfff\U0001d400-\U0001d7ff]")
_PLAIN = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in range(0x1D400, 0x1D800)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
}


@dataclass(frozen=True, slots=True)
class _Run:
    """A piece of one text line: page coordinates from the top-left corner, in points."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    table: PdfTable | None = None  # a whole table standing in for the runs it took

    @property
    def height(self) -> float:
        if self.table is not None:
            return 1.0  # a table's box is not a line height
        return max(self.bottom - self.top, 1.0)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


class _Area(NamedTuple):
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class _Page:
    number: int
    height: float
    runs: list[_Run]
    rules: tuple[Rule, ...] = ()  # horizontal lines, read only on pages with a table or figure caption
    figures: tuple[_Area, ...] = ()  # drawn figures (images, charts) next to a figure caption
    sideways: bool = False  # read in the frame of text turned to run upwards: no running heads there


def read_pdf(path: Path, data: bytes, *, max_pages: int | None = None, backend: Backend = "pdfium") -> Document:
    """Text of a PDF with pages and sections, in reading order; pages without a text layer are reported (W001)."""
    if b"%PDF-" not in data[:1024]:
        raise PdfError(f"{path}: not a PDF (no %PDF header)")
    extract = _pdfium_pages if backend == "pdfium" else _pdfplumber_pages
    pages, total = extract(path, data, max_pages)
    warnings: list[str] = []
    if len(pages) < total:
        warnings.append(Warn.W006.format(pages=len(pages), total=total))
    empty = [page.number for page in pages if not page.runs]
    if empty:
        warnings.append(Warn.W001.format(pages=_page_ranges(empty)))
    found: list[tuple[PdfTable, int]] = []
    layout = lay_out(_source_lines(_drop_running_heads(pages), found), blank_breaks=True)
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


# --- backends: PDF bytes -> runs per page ---


def _pdfium_pages(path: Path, data: bytes, max_pages: int | None) -> tuple[list[_Page], int]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfError(f"{path}: the PDF is encrypted and needs a password") from None
        raise PdfError(f"{path}: not a readable PDF ({err})") from None
    pages: list[_Page] = []
    try:
        total = len(pdf)
        for index in range(min(total, max_pages) if max_pages is not None else total):
            page = pdf[index]
            textpage = page.get_textpage()
            height = page.get_height()
            upright: list[_Word] = []
            turned: list[_Word] = []
            for word in _pdfium_words(textpage, height, turned):
                upright.append(word)
            sideways = len(turned) > len(upright)  # a page set on its side: a landscape table or figure
            runs = _runs_from_words(turned if sideways else upright)
            rules: tuple[Rule, ...] = ()
            figures: tuple[_Area, ...] = ()
            captions = {kind for kind, _ in filter(None, (caption_kind(run.text) for run in runs))}
            if captions or any(is_table_caption(run.text) for run in runs):
                rules, figures = _pdfium_graphics(page, height, "figure_caption" in captions and not sideways, sideways)
            span = page.get_width() if sideways else height
            pages.append(_Page(index + 1, span, runs, rules, figures, sideways))
            textpage.close()
            page.close()
        return pages, total
    except pdfium.PdfiumError as err:  # a page pdfium cannot load: a documented error, not an internal one
        raise PdfError(f"{path}: page {len(pages) + 1} is not readable ({err})") from None
    finally:
        pdf.close()


def _pdfium_graphics(
    page: pdfium.PdfPage, page_height: float, figures: bool, sideways: bool = False
) -> tuple[tuple[Rule, ...], tuple[_Area, ...]]:
    """Horizontal rules (paths no higher than 2 pt) and, when asked, drawn figures: images, and clusters of
    paths holding a shape that is not a line (a bar, a curve), at least `_FIGURE_SIZE` points each way.
    Top-down coordinates; on a page read sideways, the rules are the vertical lines, in the turned frame."""
    rules: list[Rule] = []
    shapes: list[tuple[_Area, bool]] = []  # box, and whether it is more than a line
    kinds = [pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE] if figures else [pdfium_c.FPDF_PAGEOBJ_PATH]
    for item in page.get_objects(filter=kinds, max_depth=2):
        left, low, right, high = item.get_bounds()
        if sideways:
            if right - left <= 2.0 and high - low >= 10.0:
                rules.append(Rule(low, high, (left + right) / 2))
            continue
        if high - low <= 2.0 and right - left >= 10.0:
            rules.append(Rule(left, right, page_height - (high + low) / 2))
        if figures:
            solid = item.type == pdfium_c.FPDF_PAGEOBJ_IMAGE or (high - low > 2.0 and right - left > 2.0)
            shapes.append((_Area(left, page_height - high, right, page_height - low), solid))
    return tuple(sorted(rules, key=lambda rule: rule.y)), _figure_areas(shapes)


_FIGURE_SIZE = 40.0  # a drawn figure is at least this many points wide and high
_FIGURE_REACH = 6.0  # shapes closer than this belong to one figure


def _figure_areas(shapes: list[tuple[_Area, bool]]) -> tuple[_Area, ...]:
    """Shapes merged into areas where they touch (within `_FIGURE_REACH`); areas with a solid shape and big enough."""
    areas: list[tuple[_Area, bool]] = []
    for box, solid in sorted(shapes, key=lambda item: item[0].top):
        merged = True
        while merged:
            merged = False
            for k, (area, full) in enumerate(areas):
                if (
                    box.x0 <= area.x1 + _FIGURE_REACH
                    and area.x0 <= box.x1 + _FIGURE_REACH
                    and box.top <= area.bottom + _FIGURE_REACH
                    and area.top <= box.bottom + _FIGURE_REACH
                ):
                    box = _Area(
                        min(box.x0, area.x0), min(box.top, area.top), max(box.x1, area.x1), max(box.bottom, area.bottom)
                    )
                    solid = solid or full
                    del areas[k]
                    merged = True
                    break
        areas.append((box, solid))
    return tuple(
        area
        for area, solid in areas
        if solid and area.x1 - area.x0 >= _FIGURE_SIZE and area.bottom - area.top >= _FIGURE_SIZE
    )


class _Word(NamedTuple):
    """A word as pdfium measures it: box in top-down page coordinates, and what run-building needs."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    middle: float  # vertical centre of the first character, so a superscript does not lift the word
    last_left: float  # left edge of the last character: a word starting left of it begins a new line
    space_before: bool


def _pdfium_runs(textpage: pdfium.PdfTextPage, page_height: float) -> list[_Run]:
    """A page's upright words as runs (`_runs_from_words`)."""
    return _runs_from_words(_pdfium_words(textpage, page_height))


def _runs_from_words(words: Iterable[_Word]) -> list[_Run]:
    """Words to runs in content order: a word continues the run when it sits on the run's line, after it, and
    no wider apart than `_WORD_GAP`. pdfium's own line breaks are ignored (it breaks at superscripts)."""
    runs: list[_Run] = []
    texts: list[str] = []
    x0 = x1 = top = bottom = previous_left = 0.0
    for word in words:
        height = bottom - top
        if texts and top <= word.middle <= bottom and previous_left - 0.5 <= word.left <= x1 + _WORD_GAP * height:
            if word.space_before or word.left - x1 > _SPACE_GAP * height:  # no space across a pdfium line break
                texts.append(" ")
            texts.append(word.text)
            x1, top, bottom = max(x1, word.right), min(top, word.top), max(bottom, word.bottom)
        else:
            if texts:
                runs.append(_Run(x0, x1, top, bottom, _run_text(texts)))
            texts = [word.text]
            x0, x1, top, bottom = word.left, word.right, word.top, word.bottom
        previous_left = word.last_left
    if texts:
        runs.append(_Run(x0, x1, top, bottom, _run_text(texts)))
    return runs


def _pdfium_words(
    textpage: pdfium.PdfTextPage, page_height: float, turned: list[_Word] | None = None
) -> Iterator[_Word]:
    """pdfium's text split at white space (and after its line-end hyphen mark), each word measured.

    Only a word's first and last characters are measured, a third of the calls of measuring all: gaps and
    baselines show at word edges. A word in more than one pdfium text rectangle (a font change: "tularensis"
    in italics, "titer" not) may hide a missing space, so it is measured letter by letter. Rotated words
    (axis labels, margin stamps) are left out: read a letter at a time they are noise.
    """
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    text: str = textpage.get_text_range()
    if len(text) != count:  # pdfium indexes a character outside the BMP (𝜇) as two UTF-16 halves
        text = "".join(map(chr, array("H", text.encode("utf-16-le"))))
    if len(text) != count:
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    char_box = pdfium_c.FPDFText_GetLooseCharBox
    count_rects = pdfium_c.FPDFText_CountRects
    end = 0
    for match in _NON_SPACE.finditer(text):
        first, last = match.span()
        space = bool(text[end:first].strip("\r\n"))  # white space other than a line break before the word
        end = last
        char_box(handle, first, box_ref)
        if box.right - box.left > 0.8 * (box.top - box.bottom):  # a rotated glyph's box is wider than tall
            angle = pdfium_c.FPDFText_GetCharAngle(handle, first)
            if abs(angle) > 0.01:
                if turned is not None and abs(angle - _UPWARDS) < 0.05:
                    word = _upward_word(match.group(), first, last, space, handle, box)
                    if word is not None:
                        turned.append(word)
                continue
        if last - first > 1 and count_rects(handle, first, last - first) > 1:
            yield from _split_at_gaps(text, range(first, last), space, handle, page_height)
            continue
        left, right, high, low = box.left, box.right, box.top, box.bottom
        middle, last_left = page_height - (high + low) / 2, left
        if last - first > 1:
            char_box(handle, last - 1, box_ref)
            if box.left - right > (last - first) * (high - low):  # letters far apart, in one pdfium rectangle
                yield from _split_at_gaps(text, range(first, last), space, handle, page_height)
                continue
            last_left, right = box.left, max(right, box.right)
            high, low = max(high, box.top), min(low, box.bottom)
        if right > left or high > low:  # boxless characters are not drawn
            yield _Word(match.group(), left, right, page_height - high, page_height - low, middle, last_left, space)


_UPWARDS = 3 * math.pi / 2  # pdfium's angle for text running up the page (a landscape table on a portrait page)


def _upward_word(text: str, first: int, last: int, space: bool, handle: object, box: pdfium_c.FS_RECTF) -> _Word | None:
    """A word of text running up the page, in the frame turned so that it reads left to right: x is the height
    above the page's bottom edge, and lines follow each other from the left edge of the page rightwards."""
    left, right, low, high = box.left, box.right, box.bottom, box.top
    middle, last_low = (left + right) / 2, low
    if last - first > 1:
        pdfium_c.FPDFText_GetLooseCharBox(handle, last - 1, ctypes.byref(box))
        last_low, high = box.bottom, max(high, box.top)
        left, right = min(left, box.left), max(right, box.right)
    if high <= low:
        return None
    return _Word(text, low, high, left, right, middle, last_low, space)


def _split_at_gaps(text: str, indices: range, space: bool, handle: object, page_height: float) -> Iterator[_Word]:
    """One pdfium word measured letter by letter, cut where its letters stand apart (a space pdfium missed)."""
    box = pdfium_c.FS_RECTF()
    piece: list[str] = []
    left = right = high = low = middle = last_left = 0.0
    for i in indices:
        pdfium_c.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(box))
        if box.right <= box.left and box.top <= box.bottom:
            continue
        if piece and box.left - right > _SPACE_GAP * (high - low):
            yield _Word("".join(piece), left, right, page_height - high, page_height - low, middle, last_left, space)
            piece, space = [], True
        if not piece:
            left, right, high, low = box.left, box.right, box.top, box.bottom
            middle = page_height - (high + low) / 2
        piece.append(text[i])
        last_left, right = box.left, max(right, box.right)
        high, low = max(high, box.top), min(low, box.bottom)
    if piece:
        yield _Word("".join(piece), left, right, page_height - high, page_height - low, middle, last_left, space)


def _run_text(texts: list[str]) -> str:
    """Surrogate halves joined, math-alphabet letters (𝜇L) as plain ones."""
    text = "".join(texts)
    if _UNUSUAL.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").translate(_PLAIN)
    return text


def _pdfplumber_pages(path: Path, data: bytes, max_pages: int | None) -> tuple[list[_Page], int]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:  # pdfminer raises many unrelated types for broken files; pdfplumber wraps them
        if any(isinstance(arg, PDFPasswordIncorrect) for arg in (err, *err.args)):
            raise PdfError(f"{path}: the PDF is encrypted and needs a password") from None
        raise PdfError(f"{path}: not a readable PDF ({type(err).__name__}: {err})") from None
    with pdf:
        total = len(pdf.pages)
        pages: list[_Page] = []
        for page in pdf.pages[:max_pages]:
            words = page.extract_words(x_tolerance=1.5, use_text_flow=True)
            runs = _words_to_runs([_Run(w["x0"], w["x1"], w["top"], w["bottom"], w["text"]) for w in words])
            rules: tuple[Rule, ...] = ()
            if any(is_table_caption(run.text) for run in runs):
                edges = [*page.lines, *page.rects]
                rules = tuple(
                    sorted(
                        (
                            Rule(e["x0"], e["x1"], (e["top"] + e["bottom"]) / 2)
                            for e in edges
                            if e["bottom"] - e["top"] <= 2.0 and e["x1"] - e["x0"] >= 10.0
                        ),
                        key=lambda rule: rule.y,
                    )
                )
            pages.append(_Page(page.page_number, float(page.height), runs, rules))
            page.close()
        return pages, total


def _words_to_runs(words: list[_Run]) -> list[_Run]:
    """Words on one row, no wider apart than a gutter or table cell boundary, as one run (what pdfium yields)."""
    runs: list[_Run] = []
    for row in _cluster_rows(words):
        piece = [row[0]]
        for word in row[1:]:
            if word.x0 - piece[-1].x1 > _WORD_GAP * word.height:
                runs.append(_join(piece))
                piece = []
            piece.append(word)
        runs.append(_join(piece))
    return runs


# --- running heads and feet ---


def _drop_running_heads(pages: list[_Page]) -> list[_Page]:
    """Remove runs in the top/bottom strip repeated on another page's strip (digits masked), and page numbers."""
    strips = [_margin_runs(page) for page in pages]
    seen: Counter[str] = Counter()
    for strip in strips:
        seen.update({_mask(run.text) for run in strip})
    kept: list[_Page] = []
    for page, strip in zip(pages, strips, strict=True):
        if not page.runs:
            kept.append(page)
            continue
        first = min(run.top for run in page.runs)
        last = max(run.bottom for run in page.runs)
        drop = {
            id(run)
            for run in strip
            if seen[_mask(run.text)] >= 2
            or (_PAGE_NUMBER.fullmatch(run.text.strip()) and (run.top <= first + 1 or run.bottom >= last - 1))
        }
        runs = [run for run in page.runs if id(run) not in drop]
        kept.append(_Page(page.number, page.height, runs, page.rules, page.figures, page.sideways))
    return kept


def _margin_runs(page: _Page) -> list[_Run]:
    if not page.runs or page.sideways:
        return []
    first = min(run.top for run in page.runs)
    last = max(run.bottom for run in page.runs)
    margin = _MARGIN * page.height
    return [run for run in page.runs if run.bottom <= first + margin or run.top >= last - margin]


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


# --- reading order ---


def _source_lines(pages: list[_Page], tables: list[tuple[PdfTable, int]] | None = None) -> list[SourceLine]:
    """Pages to `SourceLine`s in reading order, offsets into the raw text described in the module docstring.

    A table found on a page is written where it sits: its caption line, one line per row (non-empty cells joined
    by " | ", as the JATS ingest writes them) and its footnotes, marked with roles so `lay_out` keeps them as
    a table; each is appended to `tables` with its page. On the first page with text, the abstract printed
    without a heading is marked too (`_unlabelled_abstract`).
    """
    lines: list[SourceLine] = []
    offset = 0
    previous: _Run | None = None
    first_page = True
    for page in pages:
        blocks = _blocks(page.runs, page.rules, page.figures)
        if not blocks:
            lines.append(SourceLine("", offset, page.number))
            offset += 1
            continue
        roles = _unlabelled_abstract(blocks) if first_page else {}
        first_page = False
        for block, _ in blocks:
            for i, line in enumerate(block):
                if line.table is not None:
                    if tables is not None:
                        tables.append((line.table, page.number))
                    texts: list[tuple[str, LineRole | None]] = [(line.table.caption, "table_caption")]
                    texts += [(_CELLS.join(cell for cell in row if cell), "table") for row in line.table.rows]
                    texts += [(note, "table") for note in line.table.footnotes]
                    for text, role in [("", None), *texts, ("", None)]:
                        lines.append(SourceLine(text, offset, page.number, role))
                        offset += len(text) + 1
                    previous = None
                    continue
                if previous is not None and _paragraph_starts(previous, line, same_block=i > 0):
                    lines.append(SourceLine("", offset, page.number))
                    offset += 1
                lines.append(SourceLine(line.text, offset, page.number, roles.get(id(line))))
                offset += len(line.text) + 1
                previous = line
    return lines


_CELLS = " | "
_FRONT_MATTER = re.compile(
    r"(?i)^\W*(copyright|©|\(c\)\s*\d|correspondence|\*?\s*corresponding author|received|accepted|published|"
    r"academic editor|edited by|editor:|key\s*words|citation|this is an open access|open access|licen[cs]e|doi\b|"
    r"https?:|e-?mail)"
)
_ABSTRACT_WORDS = 40  # at least this many words make a block of page 1 an abstract


def _unlabelled_abstract(blocks: list[tuple[list[_Run], bool]]) -> dict[int, LineRole]:
    """An abstract printed without a heading, by layout: on the first page, the last paragraphs of the
    full-width block just above where the columns start (the first column block of 3 lines or more), when they
    read as prose (sentences, enough words) and not as front matter (copyright, correspondence, dates, editor).
    Returns roles by line id: "abstract" on its first line, "front" on a front-matter paragraph after it (so the
    abstract ends there)."""
    body = next((k for k, (b, full) in enumerate(blocks) if k and not full and blocks[k - 1][1] and len(b) >= 3), None)
    if body is None:
        return {}
    block = blocks[body - 1][0]
    if any(caption_kind(line.text) or line.table is not None for line in block):
        return {}
    paragraphs: list[list[_Run]] = []
    for i, line in enumerate(block):
        if not paragraphs or _paragraph_starts(block[i - 1], line, same_block=True):
            paragraphs.append([])
        paragraphs[-1].append(line)
    roles: dict[int, LineRole] = {}
    abstract: list[list[_Run]] = []
    for paragraph in reversed(paragraphs):
        text = " ".join(line.text for line in paragraph)
        if _FRONT_MATTER.match(text):
            if abstract:
                break
            roles = {id(paragraph[0]): "front"}
            continue
        words = text.split()
        prose = (
            len(words) >= 12
            and text.rstrip().endswith(_SENTENCE_END)
            and sum(w.islower() for w in words) > 0.4 * len(words)
        )
        if not prose:
            break
        abstract.insert(0, paragraph)
    if sum(len(" ".join(line.text for line in p).split()) for p in abstract) < _ABSTRACT_WORDS:
        return {}
    roles[id(abstract[0][0])] = "abstract"
    return roles


def _paragraph_starts(previous: _Run, line: _Run, *, same_block: bool) -> bool:
    """Whether a blank line belongs between two lines: lay_out reads it as a paragraph (or caption) end."""
    if line.top - previous.bottom > _PARAGRAPH_GAP * previous.height:  # white space above (never after a column)
        return True
    ends_sentence = previous.text.rstrip().endswith(_SENTENCE_END)
    if not same_block:  # a caption or paragraph may end here; a sentence broken across columns goes on
        return ends_sentence
    return ends_sentence and line.x0 - previous.x0 > _INDENT * previous.height


def _blocks(
    runs: list[_Run], rules: tuple[Rule, ...] = (), figures: tuple[_Area, ...] = ()
) -> list[tuple[list[_Run], bool]]:
    """A page's runs as blocks of lines in reading order: per band, left column, right column, full-width rows.
    Each block comes with whether it is full-width (or the page has one column). A table becomes one run
    (`_Run.table`) where it sits: full-width when it crosses the gutter, else in its column."""
    if not runs:
        return []
    gutter = _gutter(runs)
    runs = _without_figure_text(runs, figures, gutter)
    runs = _with_tables(runs, gutter, rules)
    if gutter is None:
        return [(_rows(runs), True)]
    spanning = _paragraph_ends(runs, gutter, [run for run in runs if run.x0 < gutter < run.x1])
    span_rows = _cluster_rows(spanning)
    ends = {id(run) for run in spanning if not run.x0 < gutter < run.x1}
    bottoms = [max(run.bottom for run in row) for row in span_rows]
    bands: list[tuple[list[_Run], list[_Run]]] = [([], []) for _ in range(len(span_rows) + 1)]
    for run in runs:
        if run.x0 < gutter < run.x1 or id(run) in ends:
            continue
        k = bisect.bisect_left(bottoms, run.middle)  # the first full-width row not above the run
        if k < len(span_rows) and span_rows[k][0].table is None and min(r.top for r in span_rows[k]) <= run.middle:
            span_rows[k].append(run)  # a cell or label beside a full-width run: same row
        else:
            bands[k][0 if run.x1 <= gutter else 1].append(run)
    blocks: list[tuple[list[_Run], bool]] = []
    for k, (left, right) in enumerate(bands):
        blocks.extend((_rows(side), False) for side in (left, right) if side)
        if k < len(span_rows):
            row = _rows(span_rows[k])
            if k and not any(bands[k]) and blocks and blocks[-1][1]:
                blocks[-1][0].extend(row)  # consecutive full-width rows form one block
            else:
                blocks.append((row, True))
    return blocks


def _paragraph_ends(runs: list[_Run], gutter: float, spanning: list[_Run]) -> list[_Run]:
    """Full-width runs plus the short last lines of full-width paragraphs: a run on one side of the gutter right
    under a full-width line (closer than a paragraph gap), starting where it starts, with nothing beside it."""
    if not spanning:
        return spanning
    added: list[_Run] = []
    for run in runs:
        if run.x0 < gutter < run.x1 or run.table is not None:
            continue
        above = [
            s
            for s in spanning
            if s.table is None and 0 <= run.top - s.bottom < _PARAGRAPH_GAP * s.height and abs(run.x0 - s.x0) < s.height
        ]
        if above and not any(
            o is not run
            and abs(o.middle - run.middle) < _ROW_SHIFT * run.height
            and (o.x0 >= gutter) != (run.x0 >= gutter)
            for o in runs
        ):
            added.append(run)
    return spanning + added


def _without_figure_text(runs: list[_Run], figures: tuple[_Area, ...], gutter: float | None) -> list[_Run]:
    """The page's runs without the text drawn in and around a figure (axis ticks and titles, legends, panel
    letters). A drawn figure counts when a figure caption lies just above it or below it (within
    `_CAPTION_REACH`); its zone reaches out by a few line heights on each side, down to the caption below it,
    and stays on its side of the gutter unless it crosses it. Captions and lines of prose (wider than
    `_PROSE_SHARE` of the column, six words or more) always stay."""
    if not figures or not runs:
        return runs
    captions = [run for run in runs if (caption_kind(run.text) or ("",))[0] == "figure_caption"]
    if not captions:
        return runs
    height = statistics.median(run.height for run in runs)
    left, right = min(run.x0 for run in runs), max(run.x1 for run in runs)
    zones: list[_Area] = []
    for area in figures:
        x0, x1 = area.x0 - 3 * height, area.x1 + 3 * height
        if gutter is not None and area.x1 <= gutter:
            x0, x1 = max(x0, left - 1), min(x1, gutter)
        elif gutter is not None and area.x0 >= gutter:
            x0, x1 = max(x0, gutter), min(x1, right + 1)
        for c in captions:
            if not (c.x0 < area.x1 and area.x0 < c.x1):
                continue
            if -2 <= c.top - area.bottom <= _CAPTION_REACH:
                zones.append(_Area(x0, area.top - 2 * height, x1, c.top - 0.1))
                break
            if -2 <= area.top - c.bottom <= _CAPTION_REACH / 3:
                zones.append(_Area(x0, c.bottom + 0.1, x1, area.bottom + 3 * height))
                break
    if not zones:
        return runs
    kept: list[_Run] = []
    for run in runs:
        inside = any(z.x0 <= run.x0 and run.x1 <= z.x1 and z.top <= run.top and run.bottom <= z.bottom for z in zones)
        prose = (
            run.x1 - run.x0 > _PROSE_SHARE * (right - left) / (1 if gutter is None else 2)
            and len(run.text.split()) >= 6
        )
        if not inside or prose or caption_kind(run.text):
            kept.append(run)
    return kept


_CAPTION_REACH = 150.0  # a figure caption at most this far (points) below its figure, a third of it above
_PROSE_SHARE = 0.8


def _with_tables(runs: list[_Run], gutter: float | None, rules: tuple[Rule, ...]) -> list[_Run]:
    """The page's runs with each table found (`pdf_tables.find_tables`) standing as one run for all it took."""
    if not any(is_table_caption(run.text) for run in runs):
        return runs
    tables = find_tables(runs, gutter, rules)
    if not tables:
        return runs
    taken = set().union(*(table.members for table in tables))
    kept = [run for run in runs if id(run) not in taken]
    return kept + [_Run(t.x0, t.x1, t.top, t.bottom, t.caption, table=t) for t in tables]


def _gutter(runs: list[_Run]) -> float | None:
    """The x of the column gutter, or None for a one-column page.

    The gutter is the widest x-range in the middle of the page crossed by (nearly) as few runs as any: only
    full-width runs cross it, and an affiliation line poking into it must not hide it. Both sides must hold
    a fair share of the text.
    """
    left = min(run.x0 for run in runs)
    right = max(run.x1 for run in runs)
    width = int(right - left) + 1
    if width < 50:
        return None
    crossings = [0] * (width + 1)
    for run in runs:
        a, b = int(run.x0 - left) + 1, int(run.x1 - left)
        if a < b:
            crossings[a] += 1
            crossings[b] -= 1
    depth = 0
    for x in range(width + 1):
        depth += crossings[x]
        crossings[x] = depth
    lo, hi = int(_GUTTER_RANGE[0] * width), int(_GUTTER_RANGE[1] * width)
    middle = crossings[lo:hi]
    fewest = min(middle)
    ceiling = fewest + max(1.0, 0.25 * (statistics.median(middle) - fewest))
    best_start, best_length, start = lo, 0, None
    for x in range(lo, hi + 1):
        if x < hi and crossings[x] <= ceiling:
            start = x if start is None else start
        elif start is not None:
            if x - start > best_length:
                best_start, best_length = start, x - start
            start = None
    if best_length < 0.5 * statistics.median(run.height for run in runs):
        return None
    # inside that range, the middle of its emptiest stretch: a hanging indent (reference lists) beside the true
    # gap must not pull the gutter onto the first letters of the column's lines
    region = crossings[best_start : best_start + best_length]
    least = min(region)
    best_start, best_length = _longest_run([v <= 1.1 * least for v in region], best_start)
    gutter = left + best_start + best_length / 2
    chars = sum(len(run.text) for run in runs)
    for side in ([r for r in runs if r.x1 <= gutter], [r for r in runs if r.x0 >= gutter]):
        if len(side) < 2 or sum(len(run.text) for run in side) < _COLUMN_SHARE * chars:
            return None
    return gutter


def _longest_run(flags: list[bool], offset: int) -> tuple[int, int]:
    """Start (plus `offset`) and length of the longest stretch of true `flags`."""
    best = (offset, 0)
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag:
            start = i if start is None else start
        elif start is not None:
            if i - start > best[1]:
                best = (offset + start, i - start)
            start = None
    return best


def _cluster_rows(runs: Iterable[_Run]) -> list[list[_Run]]:
    """Runs grouped by height on the page, top to bottom, each row left to right; a table is a row of its own."""
    rows: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: r.top if r.table is not None else r.middle):
        if (
            rows
            and run.table is None
            and rows[-1][0].table is None
            and abs(run.middle - rows[-1][0].middle) < _ROW_SHIFT * min(run.height, rows[-1][0].height)
        ):
            rows[-1].append(run)
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r.x0)
    return rows


def _rows(runs: list[_Run]) -> list[_Run]:
    """Each row of runs as one line, top to bottom."""
    return [_join(row) for row in _cluster_rows(runs)]


def _join(row: list[_Run]) -> _Run:
    """Runs of one row as one line; a space where they are apart.

    Some fonts map the hyphen to U+0002: at the line end it becomes pdfium's line-end hyphen mark, elsewhere '-'.
    """
    if row[0].table is not None:
        return row[0]
    text = row[0].text
    for before, run in itertools.pairwise(row):
        apart = run.x0 - before.x1 > _SPACE_GAP * run.height
        text += (" " if apart and not text.endswith(" ") else "") + run.text
    text = text.strip()
    if "\x02" in text:
        text = (text[:-1] + "\ufffe" if text.endswith("\x02") else text).replace("\x02", "-")
    return _Run(row[0].x0, max(r.x1 for r in row), min(r.top for r in row), max(r.bottom for r in row), text)
