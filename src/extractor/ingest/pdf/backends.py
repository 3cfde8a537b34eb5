"""PDF bytes -> runs per page, by one of two backends: pypdfium2 (the default; words measured at their first and
last characters) or pdfplumber (words with ``x_tolerance=1.5``). Either gives `Page`s of `Run`s in content order
and, on pages with a caption, the page's horizontal rules and drawn figures."""

from __future__ import annotations

import ctypes
import io
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import PdfError
from extractor.ingest.pdf.figures import figure_areas
from extractor.ingest.pdf.runs import SPACE_GAP, WORD_GAP, Area, Page, Run, cluster_rows, join_row
from extractor.ingest.pdf.tables import Rule, is_table_caption
from extractor.ingest.sections import caption_kind

Backend = Literal["pdfium", "pdfplumber"]


def read_pages(path: Path, data: bytes, max_pages: int | None, backend: Backend = "pdfium") -> tuple[list[Page], int]:
    """The first `max_pages` pages (all when None) as runs, and the document's page count."""
    extract = _pdfium_pages if backend == "pdfium" else _pdfplumber_pages
    return extract(path, data, max_pages)


_NON_SPACE = re.compile(r"[^\s\ufffe]+\ufffe?|\ufffe")  # pdfium's line-end hyphen mark ends a word and a line
_UNUSUAL = re.compile("[\ud800-\udfff\U0001d400-\U0001d7ff]")
_PLAIN = {
    code: unicodedata.normalize("NFKC", chr(code))
    for code in range(0x1D400, 0x1D800)
    if len(unicodedata.normalize("NFKC", chr(code))) == 1
}


def _pdfium_pages(path: Path, data: bytes, max_pages: int | None) -> tuple[list[Page], int]:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if err.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfError(f"{path}: the PDF is encrypted and needs a password") from None
        raise PdfError(f"{path}: not a readable PDF ({err})") from None
    pages: list[Page] = []
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
            figures: tuple[Area, ...] = ()
            captions = {kind for kind, _ in filter(None, (caption_kind(run.text) for run in runs))}
            if captions or any(is_table_caption(run.text) for run in runs):
                rules, figures = _pdfium_graphics(page, height, "figure_caption" in captions and not sideways, sideways)
            span = page.get_width() if sideways else height
            pages.append(Page(index + 1, span, runs, rules, figures, sideways))
            textpage.close()
            page.close()
        return pages, total
    except pdfium.PdfiumError as err:  # a page pdfium cannot load: a documented error, not an internal one
        raise PdfError(f"{path}: page {len(pages) + 1} is not readable ({err})") from None
    finally:
        pdf.close()


def _pdfium_graphics(
    page: pdfium.PdfPage, page_height: float, figures: bool, sideways: bool = False
) -> tuple[tuple[Rule, ...], tuple[Area, ...]]:
    """Horizontal rules (paths no higher than 2 pt) and, when asked, drawn figures: images, and clusters of
    paths holding a shape that is not a line (a bar, a curve), at least `_FIGURE_SIZE` points each way.
    Top-down coordinates; on a page read sideways, the rules are the vertical lines, in the turned frame."""
    rules: list[Rule] = []
    shapes: list[tuple[Area, bool]] = []  # box, and whether it is more than a line
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
            shapes.append((Area(left, page_height - high, right, page_height - low), solid))
    return tuple(sorted(rules, key=lambda rule: rule.y)), figure_areas(shapes)


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


def _runs_from_words(words: Iterable[_Word]) -> list[Run]:
    """Words to runs in content order: a word continues the run when it sits on the run's line, after it, and
    no wider apart than `WORD_GAP`. pdfium's own line breaks are ignored (it breaks at superscripts)."""
    runs: list[Run] = []
    texts: list[str] = []
    x0 = x1 = top = bottom = previous_left = 0.0
    for word in words:
        height = bottom - top
        if texts and top <= word.middle <= bottom and previous_left - 0.5 <= word.left <= x1 + WORD_GAP * height:
            if word.space_before or word.left - x1 > SPACE_GAP * height:  # no space across a pdfium line break
                texts.append(" ")
            texts.append(word.text)
            x1, top, bottom = max(x1, word.right), min(top, word.top), max(bottom, word.bottom)
        else:
            if texts:
                runs.append(Run(x0, x1, top, bottom, _run_text(texts)))
            texts = [word.text]
            x0, x1, top, bottom = word.left, word.right, word.top, word.bottom
        previous_left = word.last_left
    if texts:
        runs.append(Run(x0, x1, top, bottom, _run_text(texts)))
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
        if piece and box.left - right > SPACE_GAP * (high - low):
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


def _pdfplumber_pages(path: Path, data: bytes, max_pages: int | None) -> tuple[list[Page], int]:
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
        pages: list[Page] = []
        for page in pdf.pages[:max_pages]:
            words = page.extract_words(x_tolerance=1.5, use_text_flow=True)
            runs = _words_to_runs([Run(w["x0"], w["x1"], w["top"], w["bottom"], w["text"]) for w in words])
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
            pages.append(Page(page.page_number, float(page.height), runs, rules))
            page.close()
        return pages, total


def _words_to_runs(words: list[Run]) -> list[Run]:
    """Words on one row, no wider apart than a gutter or table cell boundary, as one run (what pdfium yields)."""
    runs: list[Run] = []
    for row in cluster_rows(words):
        piece = [row[0]]
        for word in row[1:]:
            if word.x0 - piece[-1].x1 > WORD_GAP * word.height:
                runs.append(join_row(piece))
                piece = []
            piece.append(word)
        runs.append(join_row(piece))
    return runs
