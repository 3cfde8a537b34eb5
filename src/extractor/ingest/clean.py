"""From source lines to clean article text: hard wraps joined, line-end hyphens resolved, spaces
normalized, headings, captions and flattened tables kept on lines of their own.

Every ingestor that ends with lines of text (plain text, PDF) goes through `lay_out`, which also
returns the offset map back to the source and the sections it saw. Nothing is edited in place.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from extractor._typing import CharOffset, PageNo
from extractor.ingest.document import OffsetMap, Page, Section
from extractor.ingest.sections import (
    caption_kind,
    classify_heading,
    export_heading,
    export_section,
    inline_heading,
    numbered_heading,
)
from extractor.record import SectionName

# Same-length substitutions: odd spaces to a space, typographic variants to what the rules read.
_SAME_LENGTH = str.maketrans(
    {
        "\u00a0": " ",
        "\u2000": " ",
        "\u2001": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2004": " ",
        "\u2005": " ",
        "\u2006": " ",
        "\u2007": " ",
        "\u2008": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u205f": " ",
        "\u3000": " ",
        "\t": " ",
        "\f": " ",
        "\v": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u02da": "\u00b0",
        "\u00ba": "\u00b0",  # ring / ordinal printed for the degree sign
        "\u2218": "\u00b0",  # ring operator: the degree sign of math fonts in LaTeX-made PDFs ("38.3∘C")
        "\u00b5": "\u03bc",  # micro sign -> Greek mu, one spelling for unit rules
        "\ufffe": "-",  # pdfium's marker for a line-end hyphen
    }
)
# Multi-character expansions (ligatures) and characters to drop.
_EXPAND = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\r"}
_SPECIAL = re.compile("[" + "".join(_EXPAND) + "".join(_DROP) + "]")
_WORD = re.compile(r"\S+")
# ",1" printed for "<1" by some PDF fonts: a lone comma before a small number, alone between spaces.
_COMMA_FOR_LT = re.compile(r"(?<![^\s(])(,)(?=\d(?:\.\d+)?(?:\s|$|\)))")

_TERMINAL = (".", "!", "?", ":")
_FOOTNOTE_OPENERS = re.compile(r"^(abbreviations?|notes?|note|source|footnotes?|[*†‡§¶#])\b[:.]?", re.I)


LineRole = Literal["abstract", "front", "table_caption", "table", "table_cell"]


@dataclass(frozen=True)
class SourceLine:
    """One line of source text: its characters and where they start in the source.

    `role` is what the source's layout already told about the line: "abstract" starts the abstract (printed
    without a heading), "front" starts front matter after it; "table_caption" starts a table whose rows and
    footnotes follow as "table" lines, each kept on a line of its own, up to the first line without that role; a
    "table_cell" line continues the row of the line before it, after " | " (a row whose cells the source wrote
    apart, one per line: `text_tables`).
    """

    text: str
    start: CharOffset
    page: PageNo | None = None
    role: LineRole | None = None


@dataclass
class Layout:
    text: str
    offset_map: OffsetMap
    sections: list[Section]
    pages: list[Page]
    table_regions: list[tuple[CharOffset, CharOffset, str]] = field(default_factory=list)
    # where the lines of marked tables (roles "table_caption", "table", "table_cell") were written, by line index
    placed: dict[int, tuple[CharOffset, CharOffset]] = field(default_factory=dict)


class TextBuilder:
    """Accumulates normalized text and its offset map; spaces collapse, nothing is lost silently."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.map = OffsetMap()

    def emit(self, text: str, src: CharOffset, aligned: bool = True) -> None:
        if not text:
            return
        self.map.add(self.length, src, aligned)
        self.parts.append(text)
        self.length += len(text)

    def emit_word(self, word: str, src: CharOffset) -> None:
        """A source word: same-length normalization keeps alignment; ligatures and drops split it."""
        word = word.translate(_SAME_LENGTH)
        if not _SPECIAL.search(word):
            self.emit(word, src)
            return
        pos = 0
        for m in _SPECIAL.finditer(word):
            self.emit(word[pos : m.start()], src + pos)
            ch = m.group()
            if ch in _EXPAND:
                self.emit(_EXPAND[ch], src + m.start(), aligned=False)
            pos = m.end()
        self.emit(word[pos:], src + pos)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def text(self) -> str:
        return "".join(self.parts)


def normalize(text: str) -> str:
    """A string as `lay_out` writes it: odd spaces and dashes normalized, ligatures expanded, spaces collapsed."""
    text = _SPECIAL.sub(lambda m: _EXPAND.get(m.group(), ""), text.translate(_SAME_LENGTH))
    return " ".join(text.split())


def split_lines(raw: str, page: PageNo | None = None, base: CharOffset = 0) -> list[SourceLine]:
    lines: list[SourceLine] = []
    pos = 0
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n\u2028\u2029\x85")
        lines.append(SourceLine(body, base + pos, page))
        pos += len(chunk)
    return lines


def _words(line: SourceLine) -> list[tuple[str, CharOffset]]:
    text = line.text.translate(_SAME_LENGTH)
    text = _COMMA_FOR_LT.sub("<", text)
    return [(m.group(), line.start + m.start()) for m in _WORD.finditer(text)]


def _clean(line: str) -> str:
    return " ".join(line.translate(_SAME_LENGTH).split())


def _joins_without_hyphen(left: str, right: str, compounds: set[str], joined_words: set[str]) -> bool:
    """Decide whether 'left-' at a line end + 'right' is one word broken for layout.

    A real hyphen stays when the hyphenated form occurs elsewhere in the text, when the left part ends in
    a digit or capital ('CA15-', 'BOLERO-'), or when the right part does not start in lowercase.
    """
    stem = left.rstrip("-")
    tail = re.match(r"[\w\u03b1-\u03c9]+", right)
    if not stem or not tail or not right[:1].islower():
        return False
    last_piece = re.split(r"[-/(]", stem)[-1]
    if not last_piece or not last_piece[-1].isalpha() or last_piece[-1].isupper():
        return False
    first_tail = tail.group().lower()
    if f"{last_piece.lower()}-{first_tail}" in compounds:
        return False
    if (last_piece + first_tail).lower() in joined_words:
        return True
    # Both halves are words of their own in this text ("everolimus-" + "induced"): a compound.
    if last_piece.lower() in joined_words and first_tail in joined_words and len(last_piece) > 3:
        return False
    # The right part is a word of its own in this text ("intra-" + "abdominal", "two-" + "thirds", "pre-" +
    # "treatment"): a compound. A broken word's tail rarely stands alone ("pre-" + "dictable", "treat-" + "ment").
    if len(first_tail) >= 4:
        return first_tail not in joined_words
    # Short right parts: after "non-", "anti-", "pre-" and the like, a compound.
    return last_piece.lower() not in {
        "non",
        "anti",
        "pre",
        "post",
        "self",
        "well",
        "long",
        "short",
        "multi",
        "co",
        "re",
        "semi",
        "sub",
        "first",
        "second",
        "third",
        "high",
        "low",
        "dose",
        "time",
        "placebo",
        "drug",
        "hormone",
        "receptor",
        "treatment",
        "age",
        "single",
        "double",
        "open",
        "event",
        "progression",
        "cell",
        "tumor",
        "tumour",
    }


def _vocabulary(lines: list[SourceLine]) -> tuple[set[str], set[str]]:
    """Hyphenated compounds and plain words printed in this text, not counting the pieces of words broken at a
    line end: a token ending a line in a hyphen (or pdfium's line-end hyphen mark, U+FFFE), and the next line's
    first token, most often the tail of a broken word ("ment", "ination"), not a word of its own.
    """
    compounds: set[str] = set()
    words: set[str] = set()
    after_hyphen = False
    for line in lines:
        tokens = line.text.split()
        broken = bool(tokens) and tokens[-1].endswith(("\ufffe", "-"))
        inner = tokens[1 if after_hyphen else 0 : -1 if broken else None]
        after_hyphen = broken
        for tok in inner:
            tok = tok.strip(".,;:()[]").lower()
            if "-" in tok:
                for a, b in zip(tok.split("-"), tok.split("-")[1:], strict=False):
                    compounds.add(f"{a}-{b}")
            elif tok.isalpha():
                words.add(tok)
    return compounds, words


def _is_prose(line: str, width: float) -> bool:
    words = line.split()
    return len(line) >= 0.6 * width and len(words) >= 7 and sum(w.islower() for w in words) >= 4


def lay_out(lines: list[SourceLine], keep_lines: bool = False, blank_breaks: bool = False) -> Layout:
    """Join source lines into paragraphs and record headings, captions, tables and pages.

    keep_lines: the source's line breaks are paragraph breaks (HTML, JATS), never hard wraps.
    blank_breaks: a blank line always ends a paragraph or caption (PDF, where blank lines come from white space on
    the page); in plain text a blank line after an unfinished sentence is often a page break inside a paragraph.
    """
    contents = [len(_clean(ln.text)) for ln in lines if ln.text.strip() and ln.role not in ("table", "table_caption")]
    width = float(statistics.median(contents)) if contents else 80.0
    widest = float(max(contents)) if contents else 80.0
    width = max(width, min(widest * 0.5, 200.0))
    compounds, joined_words = _vocabulary(lines)

    out = TextBuilder()
    sections: list[tuple[SectionName, CharOffset, str | None]] = []
    tables: list[tuple[CharOffset, CharOffset, str]] = []
    placed: dict[int, tuple[CharOffset, CharOffset]] = {}
    page_starts: list[tuple[PageNo, CharOffset]] = []

    prev_text = ""  # cleaned text of the last content line emitted
    after_heading = False
    prev_src_end = 0
    blank_since_prev = False
    in_table: tuple[CharOffset, str] | None = None
    marked_table = False  # the open table came with roles (its lines marked by the source's layout)
    body_section: SectionName | None = None  # where the flow returns after a caption
    in_caption = False
    exported_layout = False  # the text is the Evidence Inference export ("TITLE:", "ABSTRACT.METHODS:" ...)
    exported_title = False  # in the export's title: the next paragraph, when no heading opens it, is the abstract

    def close_table(at: CharOffset) -> None:
        nonlocal in_table
        if in_table is not None:
            tables.append((in_table[0], at, in_table[1]))
            in_table = None

    def start_section(name: SectionName, heading: str | None) -> None:
        if sections and sections[-1][1] == out.length:
            sections[-1] = (name, out.length, heading)
        else:
            sections.append((name, out.length, heading))

    def paragraph_break(src: CharOffset) -> None:
        if out.length and out.parts[-1] != "\n\n":
            # after a heading's own line break ('Methods\nResults'), one more makes the blank line
            out.emit("\n" if out.parts[-1] == "\n" else "\n\n", src, aligned=False)

    for index, line in enumerate(lines):
        if line.page is not None and (not page_starts or page_starts[-1][0] != line.page):
            page_starts.append((line.page, out.length))
        cleaned = _clean(line.text)
        if not cleaned:
            blank_since_prev = True
            continue
        if line.role in ("table", "table_cell") and in_table is not None and marked_table:
            if line.role == "table_cell" and out.parts[-1] != "\n":
                out.emit(" | ", prev_src_end, aligned=False)
            else:
                out.emit("\n", prev_src_end, aligned=False)
            at = out.length
            _emit_line(out, line, cleaned)
            placed[index] = (at, out.length)
            prev_text, prev_src_end = cleaned, line.start + len(line.text)
            continue
        if marked_table and in_table is not None:  # the first line after a marked table: the flow resumes
            close_table(out.length)
            marked_table = False
            paragraph_break(line.start)
            if body_section is not None:
                start_section(body_section, None)
            prev_text, blank_since_prev, after_heading = "", False, True
        if line.role == "table_caption" or (line.role in ("table", "table_cell") and not marked_table):
            # a table's caption, or the first row of a table without one, opens a marked table
            close_table(out.length)
            paragraph_break(line.start)
            if sections and sections[-1][0] not in ("figure_caption", "table"):
                body_section = sections[-1][0]
            start_section("table", (caption_kind(cleaned) or ("table", None))[1])
            in_table, marked_table, in_caption = (out.length, cleaned), True, False
            at = out.length
            _emit_line(out, line, cleaned)
            placed[index] = (at, out.length)
            prev_text, prev_src_end = cleaned, line.start + len(line.text)
            blank_since_prev = after_heading = False
            continue
        if line.role in ("abstract", "front"):
            paragraph_break(line.start)
            start_section("abstract" if line.role == "abstract" else "other", None)
            body_section = "abstract" if line.role == "abstract" else "other"
            in_caption, after_heading, blank_since_prev = False, True, False
        heading = classify_heading(cleaned)
        exported = export_heading(cleaned) if heading is None else None
        if exported is not None:
            heading = export_section(*exported, current=body_section)
            exported_layout = True  # the export writes a paragraph per line: a blank line always ends one
        exported_title = (exported is not None and exported[0] == "TITLE") or (exported_title and heading is None)
        caption = caption_kind(cleaned)
        inline = inline_heading(cleaned) if heading is None else None
        if (
            heading in ("results", "methods")
            and exported is None
            and out.length < 300
            and not any(name in ("abstract", "introduction") for name, _, _ in sections)
        ):
            heading = "other"  # an article-type banner above the title ("CASE REPORT"), not a section
        numbered: int | None = None  # a numbered subsection heading: it keeps the name of the section it is in
        wrapped_heading = ""
        parent = body_section if sections and sections[-1][0] in ("figure_caption", "table") else None
        parent = parent or (sections[-1][0] if sections else None)
        if (
            heading is None
            and caption is None
            and inline is None
            and in_table is None
            and parent not in (None, "references")
            and (after_heading or blank_since_prev or (not blank_breaks and prev_text.endswith(_TERMINAL)))
        ):
            numbered = numbered_heading(cleaned)
            following = _clean(lines[index + 1].text) if index + 1 < len(lines) else ""
            wrapped = numbered_heading(f"{cleaned} {following}") if numbered is not None and following else None
            if wrapped is not None and len(cleaned) < wrapped < len(cleaned) + 1 + len(following):
                numbered = wrapped  # a run-in heading wrapped onto the next line: its text starts this paragraph
                wrapped_heading = f"{cleaned} {following}"[:wrapped]
            elif numbered is not None and numbered >= len(cleaned):
                heading, numbered = parent, None  # a heading line of its own

        if in_table is not None and (
            heading is not None
            or (caption is not None)
            or (_is_prose(cleaned, width) and not _FOOTNOTE_OPENERS.match(cleaned) and not prev_text.endswith(","))
        ):
            close_table(out.length)
            paragraph_break(line.start)
            if body_section is not None and heading is None and caption is None:
                start_section(body_section, None)
            prev_text, blank_since_prev = "", False
            if heading is None and caption is None:
                # prose resumes after the table: emit as a fresh paragraph
                _emit_line(out, line, cleaned)
                prev_text, prev_src_end = cleaned, line.start + len(line.text)
                continue

        if heading is not None:
            paragraph_break(line.start)
            start_section(heading, cleaned)
            body_section = heading
            in_caption = False
            after_heading = True
            _emit_line(out, line, cleaned)
            out.emit("\n", line.start + len(line.text), aligned=False)
            prev_text, blank_since_prev, after_heading = "", False, True
            prev_src_end = line.start + len(line.text)
            continue

        if caption is not None:
            close_table(out.length)
            paragraph_break(line.start)
            kind, label = caption
            if sections and sections[-1][0] not in ("figure_caption", "table"):
                body_section = sections[-1][0]
            start_section(kind, label)
            if kind == "table":
                in_table = (out.length, cleaned)
            in_caption = kind == "figure_caption"
        elif inline is not None:
            paragraph_break(line.start)
            start_section(inline[0], cleaned[: inline[1]].strip())
            body_section = inline[0]
            in_caption = False
        elif numbered is not None and parent is not None:
            paragraph_break(line.start)
            start_section(parent, wrapped_heading if numbered > len(cleaned) else cleaned[:numbered].strip())
            body_section = parent
            in_caption = False
        elif out.length and not after_heading:
            # A content line after another: join, hyphen-join, or break the paragraph.
            first_word = cleaned.split(" ", 1)[0]
            if in_table is not None or keep_lines:
                out.emit("\n", prev_src_end, aligned=False)
            elif (
                prev_text.endswith("-")
                and not blank_since_prev
                and _joins_without_hyphen(prev_text.split()[-1], first_word, compounds, joined_words)
            ):
                # drop the hyphen already emitted: rebuild the last part without it
                last = out.parts[-1]
                out.parts[-1] = last[:-1]
                out.length -= 1
                if not out.parts[-1]:
                    out.parts.pop()
            elif prev_text.endswith("-") and not blank_since_prev:
                pass  # real hyphen at a line end: glue without a space
            elif in_caption and (
                exported_layout or (blank_since_prev and (blank_breaks or prev_text.endswith(_TERMINAL)))
            ):
                # (the export writes a caption on one line: the next line is the body's)
                # a caption ends at a blank line; the body flow resumes
                paragraph_break(line.start)
                if body_section is not None:
                    start_section(body_section, None)
                in_caption = False
            elif ((blank_breaks or exported_layout) and blank_since_prev) or (
                prev_text.endswith(_TERMINAL)
                and (len(prev_text) < 0.7 * width or (blank_since_prev and first_word[:1].isupper()))
            ):
                paragraph_break(line.start)
                if exported_title and blank_since_prev:  # the export's abstract printed without a heading
                    start_section("abstract", None)
                    body_section = "abstract"
                exported_title = False
            else:
                out.emit(" ", prev_src_end, aligned=False)

        _emit_line(out, line, cleaned)
        prev_text = cleaned
        prev_src_end = line.start + len(line.text)
        blank_since_prev = after_heading = False

    close_table(out.length)
    text = out.text()
    # Sections as contiguous ranges: each runs to the start of the next.
    named: list[Section] = []
    for i, (name, start, printed) in enumerate(sections):
        end = sections[i + 1][1] if i + 1 < len(sections) else len(text)
        if end > start:
            named.append(Section(name, start, end, printed))
    if named and named[0].start > 0:
        named.insert(0, Section("other", 0, named[0].start, None))
    elif not named and text:
        named.append(Section("other", 0, len(text), None))
    pages = [
        Page(number, start, page_starts[i + 1][1] if i + 1 < len(page_starts) else len(text))
        for i, (number, start) in enumerate(page_starts)
    ]
    return Layout(text, out.map, named, pages, tables, placed)


def _emit_line(out: TextBuilder, line: SourceLine, cleaned: str) -> None:
    """A source line's words, one space between them. A line already clean (single spaces, no ligature, mark or
    comma-for-'<') is copied in one piece, aligned with the source; others word by word."""
    if cleaned == line.text and not _SPECIAL.search(cleaned) and not _COMMA_FOR_LT.search(cleaned):
        out.emit(cleaned, line.start)
        return
    for n, (word, src) in enumerate(_words(line)):
        if n:
            out.emit(" ", src - 1, aligned=False)
        out.emit_word(word, src)


def common_lines(pages: list[list[str]], min_share: float = 0.5) -> set[str]:
    """Lines repeated on many pages (running heads and feet), digits masked so page numbers match."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", ln.strip().lower()) for ln in lines if ln.strip()})
    return {key for key, n in counts.items() if n >= max(2, min_share * len(pages))}
