"""Markdown articles (pandoc's markdown, as data sets ship articles converted from JATS): headings, paragraphs,
figures and tables read from the markup, written out as the JATS and HTML readers write theirs (`MarkupWriter`).

What is read:
- headings `#`..`######`, at a line start or run into a line ("# Abstract ## Background Etoricoxib is ...", how
  pandoc writes a section that was one paragraph); where a run-in heading ends is read from its words
  (`heading_length`). The shallowest level names sections with `classify_heading` (else "other"); deeper
  headings keep their section's name, as nested JATS sections do;
- paragraphs (lines up to a blank line), with the inline markup dropped from the text but kept out of its
  offsets: emphasis (`*SD*`, `**bold**`), super- and subscripts (`^a^`, `~1c~`), links (`[2](#)` -> "2"), images,
  backslash escapes, inline HTML tags; pandoc's `--` is the en dash it stands for;
- fenced divs (`::::table-wrap` with `::: caption`, run into a line or not) and `<figure>` HTML with its
  `<figcaption>`;
- tables: pandoc simple tables (columns under a rule of dash groups; a line continuing the cells of the line
  above is part of that row), multiline tables (rows between blank lines, inside full-width rules), grid tables
  (`+---+`) and pipe tables; the text after a table inside its div is its footnotes.

Tables and figures are written after the body, as the markup readers do, so body sections stay contiguous.
Offsets point into the Markdown text. The inline markup is read in `inline`, the text's lines in `lines`, the
tables' rows and cells in `tables`; here the blocks, headings, table-wrap divs and their writing.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from extractor.errors import EmptyInput, Warn
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.markdown.inline import inline_pieces
from extractor.ingest.markdown.lines import FENCE, Line, logical_lines
from extractor.ingest.markdown.tables import is_header_line, is_table_line, table_at
from extractor.ingest.markup import SOFT_SPACE, Block, Cell, Piece, words, write_blocks
from extractor.ingest.sections import classify_heading
from extractor.ingest.text import decode, read_text
from extractor.record import SourceFormat

# --- headings --------------------------------------------------------------------------------------------------

_HEADING_MARK = re.compile(r"(?:^|(?<=\s))(#{1,6})(?=\s)")
_FIGURE = re.compile(r"<figure\b[^>]*>(?P<body>.*?)</figure>", re.S | re.I)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>", re.S | re.I)
_JOINING = frozenset(
    {"and", "or", "of", "in", "for", "with", "to", "a", "an", "the", "by", "on", "at", "vs", "vs.", "versus", "from"}
)
_MAX_HEADING_WORDS = 16
# Words that open a sentence and stay lower case inside a title-case heading.
_OPENERS = _JOINING | {"we", "this", "these", "there", "all", "after", "during", "our", "as", "since", "when"}


def heading_length(words_after: list[str], rest_is_heading: bool) -> int:
    """How many of the words after a heading mark are the heading, when the text runs on after it.

    `rest_is_heading`: the words end where the line ends and read as a title (short, no sentence end), so all
    are the heading. Else, in order: a known heading ("Methods", "Materials and methods") followed by the start
    of a sentence; words up to one ending in a colon ("Objective:"); a title in sentence case up to the first
    capitalized word after a lower-case one ("Study patients at baseline From ..."); a title in title case up to
    the first capitalized word followed by a lower-case word that is not a joining word ("Adverse Events The
    most ..."). One word when none of these fits."""
    n = len(words_after)
    if rest_is_heading:
        return n
    limit = min(n - 1, _MAX_HEADING_WORDS)
    for k in range(min(limit, 6), 0, -1):
        if classify_heading(" ".join(words_after[:k])) and _starts_sentence(words_after[k], words_after[k - 1]):
            return k
    for k in range(min(limit, 12)):
        if words_after[k].endswith(":"):
            return k + 1
    title_case = False
    for k in range(1, limit + 1):
        word, previous = words_after[k], words_after[k - 1]
        if not _starts_sentence(word, previous):
            if word[:1].islower() and word.lower() not in _JOINING and not title_case and k > 1:
                continue  # sentence case goes on: "Baseline characteristics of enrolled patients"
            if word[:1].islower() and word.lower() not in _JOINING and title_case:
                return k - 1  # "Adverse Events The most common": the sentence started at the word before
            continue
        if previous[:1].islower() and previous.lower() not in _JOINING:
            return k  # "Study patients at baseline From March 2014 ..."
        if word.lower() in _OPENERS and k > 0:
            return k  # "Outcome In the ...": title case keeps these lower case inside a title
        title_case = True
    return 1 if n > 1 else n


def _starts_sentence(word: str, previous: str) -> bool:
    """A word that can open a sentence after a heading: capitalized or a number, not after a joining word."""
    if previous.lower().rstrip(",") in _JOINING or previous.endswith((",", "(", "-")):
        return False
    word = word.lstrip("[*_")
    return word[:1].isupper() or word[:1].isdigit()


# --- blocks ----------------------------------------------------------------------------------------------------


# What shows a text is Markdown: a heading mark at a line start, a fenced div, a table rule, a link.
_MARKDOWN = re.compile(
    r"(?m)^#{1,6}[ \t]+\S|:{3,}|^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\||^[ \t]*-{3,}[ \t]+-{3,}|\]\([^)\s]{0,200}\)"
)


def looks_like_markdown(text: str) -> bool:
    return bool(_MARKDOWN.search(text[:200_000]))


def read_markdown(path: Path, data: bytes, max_chars: int | None = None) -> Document:
    """A .md file: read as Markdown when it has Markdown's marks, else as plain text (`read_text`)."""
    if not data.strip():
        raise EmptyInput(f"{path}: empty file")
    raw, warnings = decode(data, str(path))
    if not looks_like_markdown(raw):
        return read_text(path, data, max_chars=max_chars)
    if max_chars is not None and len(raw) > max_chars:
        cut = raw.rfind("\n", 0, max_chars)
        raw = raw[: cut if cut > max_chars // 2 else max_chars]
        warnings.append(Warn.W003.format(chars=len(raw)))
    blocks = _Reader(raw).blocks()
    source = SourceInfo(path=str(path), format=SourceFormat.text, sha256=hashlib.sha256(data).hexdigest())
    return write_blocks(blocks).document(source, {}, warnings)


class _Reader:
    """Lines to blocks: prose (with run-in headings and figures), and the tables of fenced table divs."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lines = logical_lines(raw)
        self.out: list[Block] = []
        self.paragraph: list[Piece] = []

    def blocks(self) -> list[Block]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            fence = FENCE.fullmatch(line.text.strip())
            if fence and fence.group("cls"):
                i = self._div(i, fence.group("cls"))
                continue
            if fence:  # a closer with no opener
                i += 1
                continue
            if not line.text.strip():
                self._flush()
            elif (is_table_line(line.text) or is_header_line(self.lines, i)) and (
                table := table_at(self.lines, i)
            ) is not None:
                self._flush()
                end, cells, header = table
                self.out.append(Block("table", [], cells=cells, header_rows=header))
                i = end
                continue
            else:
                self._prose(line)
            i += 1
        self._flush()
        return self.out

    def _div(self, i: int, cls: str) -> int:
        """A fenced div from its opener at line i: a table-wrap becomes a table, others are read as prose.
        Returns the index after its closer."""
        depth = 1
        end = i + 1
        while end < len(self.lines) and depth:
            fence = FENCE.fullmatch(self.lines[end].text.strip())
            if fence:
                depth += 1 if fence.group("cls") else -1
            end += 1
        inner = self.lines[i + 1 : end - 1 if depth == 0 else end]
        if cls.strip("{}.").lower() not in ("table-wrap", "table"):
            for line in inner:
                if not FENCE.fullmatch(line.text.strip()):
                    self._prose(line) if line.text.strip() else self._flush()
            self._flush()
            return end
        self._flush()
        self.out.append(_table_wrap(inner))
        return end

    def _prose(self, line: Line) -> None:
        """A line of prose: run-in headings and <figure> elements split it; the rest continues the paragraph."""
        text = line.text
        marks = sorted(
            [(m.start(), m.end(), "figure", m) for m in _FIGURE.finditer(text)]
            + [(m.start(), m.end(), "heading", m) for m in _HEADING_MARK.finditer(text)],
            key=lambda x: x[0],
        )
        pos = 0
        for start, end, kind, m in marks:
            if start < pos:
                continue  # a mark inside a figure
            self._text(text[pos:start], line.start + pos)
            self._flush()
            if kind == "figure":
                caption = _FIGCAPTION.search(m.group("body"))
                pieces = (
                    inline_pieces(caption.group("caption"), line.start + m.start("body") + caption.start("caption"))
                    if caption
                    else []
                )
                self.out.append(Block("figure", pieces))
                pos = end
                continue
            pos = self._heading(text, end, line.start, level=end - start)
        self._text(text[pos:], line.start + pos)

    def _heading(self, text: str, after: int, base: int, level: int) -> int:
        """The heading after a mark ending at `after`; returns where the text after the heading starts."""
        following = _HEADING_MARK.search(text, after)
        figure = _FIGURE.search(text, after)
        stop = min(m.start() for m in (following, figure) if m) if (following or figure) else len(text)
        found = list(re.finditer(r"\S*\[[^\]]*\]\([^)\s]*\)\S*|\S+", text[after:stop]))
        rest = text[after:stop].strip()
        rest_is_heading = len(found) <= _MAX_HEADING_WORDS and not rest.endswith((".", "?", "!"))
        k = heading_length([m.group() for m in found], rest_is_heading) if found else 0
        end = after + found[k - 1].end() if k else after
        self.out.append(Block("heading", inline_pieces(text[after:end], base + after), level=level))
        return end

    def _text(self, text: str, start: int) -> None:
        if text.strip():
            self.paragraph.append((text, start))

    def _flush(self) -> None:
        """The paragraph's lines as one run where they follow each other in the text (inline markup can span a
        line break: "[Table\\n1](#)"), else line by line."""
        runs: list[Piece] = []
        for text, start in self.paragraph:
            if runs and self.raw[runs[-1][1] + len(runs[-1][0]) : start].strip("\r\n") == "":
                runs[-1] = (self.raw[runs[-1][1] : start + len(text)], runs[-1][1])
            else:
                runs.append((text, start))
        pieces: list[Piece] = []
        for text, start in runs:
            pieces += ([SOFT_SPACE] if pieces else []) + inline_pieces(text, start)
        if words(pieces):
            self.out.append(Block("paragraph", pieces))
        self.paragraph = []


# --- table-wrap divs -------------------------------------------------------------------------------------------

_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


def _table_wrap(lines: list[Line]) -> Block:
    """A table-wrap div: its caption div, the table (wherever it stands in the div: an identifier line or an
    image may come first), then its notes (the paragraphs after the table, or after the caption when the table
    is an image)."""
    caption: list[Piece] = []
    after_caption = 0
    for i, line in enumerate(lines):
        fence = FENCE.fullmatch(line.text.strip())
        if fence and (fence.group("cls") or "").strip("{}.").lower() == "caption":
            k = i + 1
            while k < len(lines) and not FENCE.fullmatch(lines[k].text.strip()):
                mark = re.match(r"\s*#{1,6}\s+", lines[k].text)  # a caption set as a heading
                text = lines[k].text[mark.end() if mark else 0 :]
                if text.strip() and not _IMAGE.match(text):
                    caption += ([SOFT_SPACE] if caption else []) + inline_pieces(
                        text, lines[k].start + len(lines[k].text) - len(text)
                    )
                k += 1
            after_caption = k + 1
            break
    cells: list[list[Cell]] = []
    header: int | None = None
    notes_from = after_caption
    for j in range(after_caption, len(lines)):
        text = lines[j].text
        if (is_table_line(text) or is_header_line(lines, j)) and (found := table_at(lines, j)) is not None:
            notes_from, cells, header = found
            break
    notes: list[list[Piece]] = []
    note: list[Piece] = []
    for line in lines[notes_from:]:
        if not line.text.strip() or FENCE.fullmatch(line.text.strip()):
            if words(note):
                notes.append(note)
            note = []
        elif not _IMAGE.match(line.text):
            note += ([SOFT_SPACE] if note else []) + inline_pieces(line.text, line.start)
    if words(note):
        notes.append(note)
    return Block("table", caption, cells=cells, header_rows=header, notes=notes)


# --- writing ---------------------------------------------------------------------------------------------------
