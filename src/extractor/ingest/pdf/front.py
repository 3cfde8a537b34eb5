"""A PDF's first page as front matter: the title block by font size, every line with its size, the info dictionary;
and the abstract printed without a heading, found by layout (`unlabelled_abstract`).

The body reader (`ingest.pdf`) keeps text in reading order and drops running heads; the metadata a first page states
lives partly in what it drops (the journal line above "Volume 2016, Article ID ...") and in what plain text loses
(the title is the largest type on the page). This module reads page 1 again, on its own, and returns plain data:

- ``lines``: page-1 text lines top to bottom (pdfium's line breaks, also cut where the baseline jumps), each with
  its type size: the median height of its characters' boxes, in points;
- ``title``: the topmost block of consecutive lines set in the page's largest type (within 8 %), bigger than the
  body text, in the upper 60 % of the page, with article-category banners ("Research Article", "Case Report",
  "R E V I E W Open Access") removed; None when no block qualifies;
- ``banner``: the words of the first category banner in the upper page ("case report"), or None;
- ``info_title`` / ``info_subject``: the PDF document-information entries, as written by the producer (often
  a file name such as "7245947.dvi"; the metadata rules check them before use).

Nothing here raises: a page that cannot be read gives empty front matter.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.ingest.clean import LineRole
from extractor.ingest.pdf.runs import SENTENCE_END, Run, paragraph_starts
from extractor.ingest.sections import caption_kind

_SIZE_TOLERANCE = 0.92  # lines at least this share of the largest size belong to the title type
_BODY_MARGIN = 1.15  # the title type is at least this much larger than the page's median type
_TITLE_ZONE = 0.6  # the title block starts in this upper share of the page
_LINE_GAP = 1.0  # lines of one block are at most this many type sizes apart (white space between them)
_BANNER_WORDS = (
    "research|original|clinical|review|systematic|case|cases|report|reports|study|studies|article|articles|paper"
    "|brief|short|rapid|communication|communications|letter|letters|editorial|commentary|perspective|perspectives"
    "|opinion|correspondence|note|notes|series|protocol|methodology|methods|technical|special|issue|invited"
    "|mini|meta-analysis|hypothesis|open|access|free|full|text|highlights"
)
_BANNER = re.compile(rf"(?:{_BANNER_WORDS})+", re.I)


@dataclass(frozen=True, slots=True)
class FrontLine:
    text: str
    size: float
    top: float
    bottom: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "size": round(self.size, 2), "top": round(self.top, 1)}


def banner_words(line: str) -> str | None:
    """The category words of a banner line, lowercased and spaced ('R E V I E W Open Access' -> 'review open
    access'); None when the line is not a banner."""
    if not is_banner(line):
        return None
    squeezed = re.sub(r"[\s:|•·/-]+", "", line).lower()
    return " ".join(re.findall(_BANNER_WORDS, squeezed))


def is_banner(line: str) -> bool:
    """An article-category label set above a title: 'Research Article', 'Clinical Study', 'R E V I E W Open
    Access' (letter-spaced), 'Case Report' — category words only, spaces ignored."""
    squeezed = re.sub(r"[\s:|•·/-]+", "", line)
    return bool(squeezed) and len(line.split()) <= 12 and _BANNER.fullmatch(squeezed) is not None


def read_front(data: bytes) -> dict[str, Any]:
    """Front matter of page 1 (see the module docstring); {} when the PDF or its first page cannot be read."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {}
    try:
        info = pdf.get_metadata_dict()
        if len(pdf) == 0:
            return {}
        page = pdf[0]
        try:
            height = page.get_height()
            textpage = page.get_textpage()
            lines = page_lines(textpage, height)
            textpage.close()
        finally:
            page.close()
    except Exception:  # a malformed page must never cost the document its body text
        return {}
    finally:
        pdf.close()
    block = title_lines(lines, height)
    limit = block[-1].top if block else _TITLE_ZONE * height  # a banner sits above the title or in its block
    banners = [words for line in lines if line.top <= limit and (words := banner_words(line.text))]
    return {
        "title": _join([line.text for line in block if not is_banner(line.text)]) if block else None,
        "banner": banners[0] if banners else None,
        "lines": [line.to_dict() for line in lines],
        "info_title": (info.get("Title") or "").strip() or None,
        "info_subject": (info.get("Subject") or "").strip() or None,
    }


def page_lines(textpage: pdfium.PdfTextPage, page_height: float) -> list[FrontLine]:
    """The page's text lines, top to bottom, each with the median height of its characters."""
    handle = textpage.raw
    count = pdfium_c.FPDFText_CountChars(handle)
    box = pdfium_c.FS_RECTF()
    lines: list[FrontLine] = []
    chars: list[str] = []
    heights: list[float] = []
    tops: list[float] = []
    bottoms: list[float] = []

    def flush() -> None:
        text = " ".join("".join(chars).split())
        if text and heights:
            lines.append(FrontLine(text, statistics.median(heights), min(tops), max(bottoms)))
        chars.clear()
        heights.clear()
        tops.clear()
        bottoms.clear()

    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        if code in (10, 13):
            flush()
            continue
        char = chr(code) if code else " "
        if 0xD800 <= code <= 0xDFFF:  # a half of a character outside the BMP: not needed for front matter
            continue
        if char.isspace() or code in (2, 0xFFFE):
            chars.append("-" if code == 2 else "\ufffe" if code == 0xFFFE else " ")
            continue
        pdfium_c.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(box))
        if box.top <= box.bottom:
            continue
        top, bottom = page_height - box.top, page_height - box.bottom
        if heights and abs((top + bottom) / 2 - (tops[-1] + bottoms[-1]) / 2) > 0.8 * max(heights[-1], 1.0):
            flush()  # the baseline jumped: a new line pdfium did not break
        chars.append(char)
        heights.append(box.top - box.bottom)
        tops.append(top)
        bottoms.append(bottom)
    flush()
    lines.sort(key=lambda line: line.top)
    return lines


def _join(texts: list[str]) -> str:
    """Title lines as one string: a line-end hyphen mark joins the word halves, a hard hyphen is kept."""
    out = ""
    for text in texts:
        text = text.strip()
        if out.endswith("\ufffe"):
            out = out[:-1] + text
        elif out.endswith("-"):
            out += text
        else:
            out = f"{out} {text}" if out else text
    return out.replace("\ufffe", "").strip()


def title_block(lines: list[FrontLine], page_height: float) -> str | None:
    """The text of the topmost block of lines set in the page's largest type that is bigger than the body."""
    block = title_lines(lines, page_height)
    return _join([line.text for line in block if not is_banner(line.text)]) if block else None


def title_lines(lines: list[FrontLine], page_height: float) -> list[FrontLine]:
    """The title block's lines, banners included; [] when no block qualifies."""
    worded = [line for line in lines if sum(ch.isalpha() for ch in line.text) >= 2]
    if not worded:
        return []
    weights = [size for line in worded for size in [line.size] * len(line.text)]
    body = statistics.median(weights)
    candidates = [line for line in worded if line.top < _TITLE_ZONE * page_height and line.size > _BODY_MARGIN * body]
    tried: set[float] = set()
    for line in sorted(candidates, key=lambda line: -line.size):
        level = line.size
        if any(abs(level - seen) <= (1 - _SIZE_TOLERANCE) * seen for seen in tried):
            continue
        tried.add(level)
        for block in _blocks([c for c in candidates if c.size >= _SIZE_TOLERANCE * level]):
            title = _join([c.text for c in block if not is_banner(c.text)])
            if len(title.split()) >= 2 and sum(ch.isalpha() for ch in title) >= 10:
                return block
    return []


def _blocks(lines: list[FrontLine]) -> list[list[FrontLine]]:
    """Lines (top to bottom) cut where the white space between two of them exceeds `_LINE_GAP` type sizes."""
    blocks: list[list[FrontLine]] = []
    for line in sorted(lines, key=lambda line: line.top):
        if blocks and line.top - blocks[-1][-1].bottom <= _LINE_GAP * line.size:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


_FRONT_MATTER = re.compile(
    r"(?i)^\W*(copyright|©|\(c\)\s*\d|correspondence|\*?\s*corresponding author|received|accepted|published|"
    r"academic editor|edited by|editor:|key\s*words|citation|this is an open access|open access|licen[cs]e|doi\b|"
    r"https?:|e-?mail)"
)
_ABSTRACT_WORDS = 40  # at least this many words make a block of page 1 an abstract


def unlabelled_abstract(blocks: list[tuple[list[Run], bool]]) -> dict[int, LineRole]:
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
    paragraphs: list[list[Run]] = []
    for i, line in enumerate(block):
        if not paragraphs or paragraph_starts(block[i - 1], line, same_block=True):
            paragraphs.append([])
        paragraphs[-1].append(line)
    roles: dict[int, LineRole] = {}
    abstract: list[list[Run]] = []
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
            and text.rstrip().endswith(SENTENCE_END)
            and sum(w.islower() for w in words) > 0.4 * len(words)
        )
        if not prose:
            break
        abstract.insert(0, paragraph)
    if sum(len(" ".join(line.text for line in p).split()) for p in abstract) < _ABSTRACT_WORDS:
        return {}
    roles[id(abstract[0][0])] = "abstract"
    return roles
