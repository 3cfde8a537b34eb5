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
Offsets point into the Markdown text.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from extractor.errors import EmptyInput, Warn
from extractor.ingest.cell_values import is_value
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.markup import SOFT_SPACE, Cell, MarkupWriter, Piece, words
from extractor.ingest.sections import classify_heading
from extractor.ingest.text import decode, read_text
from extractor.ingest.text_tables import layout_header_rows, pipe_cells
from extractor.record import SectionName, SourceFormat

# --- inline markup ---------------------------------------------------------------------------------------------

_INLINE = re.compile(
    r"(?P<image>!\[[^\]]{0,300}\]\([^)\s]{0,2000}\))"
    r"|\[(?P<link>[^\]]{0,300})\]\([^)\s]{0,2000}\)"
    r"|\*\*(?P<strong>[^*\s](?:(?:[^*]|\*(?!\*)){0,300}?[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]{0,300}?[^*\s])?)\*"
    r"|\^(?P<sup>[^\^\s](?:[^\^\n]{0,100}?[^\^\s])?)\^"
    r"|~(?P<sub>[^~\s]{1,100})~"
    r"|\\(?P<escaped>[^\w\n])"
    r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]{0,500})?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});)"
    r"|(?P<dash>(?<!-)-{2,3}(?!-))"
)
_DASHES = {2: "\u2013", 3: "\u2014"}
_MAX_DEPTH = 8  # nested emphasis deeper than this is kept as it stands


def inline_pieces(text: str, start: int, depth: int = 0) -> list[Piece]:
    """A run of Markdown as pieces of plain text with their offsets (`start`: the offset of `text`)."""
    out: list[Piece] = []
    pos = 0
    for m in _INLINE.finditer(text) if depth < _MAX_DEPTH else ():
        out.append((text[pos : m.start()], start + pos))
        kind = m.lastgroup
        if kind in ("link", "strong", "em", "sup", "sub"):
            out += inline_pieces(m.group(kind), start + m.start(kind), depth + 1)
        elif kind == "escaped":
            out.append((" " if m.group(kind) == " " else m.group(kind), start + m.start(kind)))
        elif kind == "tag":
            out.append(SOFT_SPACE)
        elif kind == "entity":
            out.append((html.unescape(m.group()), start + m.start()))
        elif kind == "dash":
            out.append((_DASHES[len(m.group())], start + m.start()))
        pos = m.end()
    out.append((text[pos:], start + pos))
    return [piece for piece in out if piece[0]]


# --- headings --------------------------------------------------------------------------------------------------

_HEADING_MARK = re.compile(r"(?:^|(?<=\s))(#{1,6})(?=\s)")
_FIGURE = re.compile(r"<figure\b[^>]*>(?P<body>.*?)</figure>", re.S | re.I)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>", re.S | re.I)
# A fenced div's opener names its class and ends the line; a closer is the colons alone.
_FENCE = re.compile(r":{3,}(?:[ \t]*(?P<cls>\{[^}\n]*\}|[A-Za-z][\w-]*)(?=[ \t]*$))?")
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


@dataclass
class _Block:
    kind: Literal["heading", "paragraph", "table", "figure"]
    pieces: list[Piece]  # heading or paragraph text; a table's or figure's caption
    level: int = 0
    cells: list[list[Cell]] = field(default_factory=list)
    header_rows: int | None = None
    notes: list[list[Piece]] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    start: int


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
    return _write(blocks).document(source, {}, warnings)


def _logical_lines(raw: str) -> list[_Line]:
    """The text's lines, with every fence (`:::`, `::::table-wrap`) on a line of its own even where it was run
    into a line ("... 67.5:::: <figure>", "... (p > 0.05). ::::table-wrap")."""
    lines: list[_Line] = []
    pos = 0
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        at = 0
        for m in _FENCE.finditer(body):
            if body[at : m.start()].strip():
                lines.append(_Line(body[at : m.start()], pos + at))
            lines.append(_Line(m.group(), pos + m.start()))
            at = m.end()
        if at == 0 or body[at:].strip():
            lines.append(_Line(body[at:], pos + at))
        pos += len(chunk)
    return lines


class _Reader:
    """Lines to blocks: prose (with run-in headings and figures), and the tables of fenced table divs."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.lines = _logical_lines(raw)
        self.out: list[_Block] = []
        self.paragraph: list[Piece] = []

    def blocks(self) -> list[_Block]:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            fence = _FENCE.fullmatch(line.text.strip())
            if fence and fence.group("cls"):
                i = self._div(i, fence.group("cls"))
                continue
            if fence:  # a closer with no opener
                i += 1
                continue
            if not line.text.strip():
                self._flush()
            elif (_is_table_line(line.text) or _is_header_line(self.lines, i)) and (
                table := _table_at(self.lines, i)
            ) is not None:
                self._flush()
                end, cells, header = table
                self.out.append(_Block("table", [], cells=cells, header_rows=header))
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
            fence = _FENCE.fullmatch(self.lines[end].text.strip())
            if fence:
                depth += 1 if fence.group("cls") else -1
            end += 1
        inner = self.lines[i + 1 : end - 1 if depth == 0 else end]
        if cls.strip("{}.").lower() not in ("table-wrap", "table"):
            for line in inner:
                if not _FENCE.fullmatch(line.text.strip()):
                    self._prose(line) if line.text.strip() else self._flush()
            self._flush()
            return end
        self._flush()
        self.out.append(_table_wrap(inner))
        return end

    def _prose(self, line: _Line) -> None:
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
                self.out.append(_Block("figure", pieces))
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
        self.out.append(_Block("heading", inline_pieces(text[after:end], base + after), level=level))
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
            self.out.append(_Block("paragraph", pieces))
        self.paragraph = []


# --- tables ----------------------------------------------------------------------------------------------------

_SIMPLE_RULE = re.compile(r"^\s*-{2,}(?:[ \t]+-{2,})*\s*$")
_FULL_RULE = re.compile(r"^\s*-{6,}\s*$")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


def _is_table_line(text: str) -> bool:
    return bool(_SIMPLE_RULE.match(text) or _GRID_RULE.match(text) or text.lstrip().startswith("|"))


def _table_wrap(lines: list[_Line]) -> _Block:
    """A table-wrap div: its caption div, the table (wherever it stands in the div: an identifier line or an
    image may come first), then its notes (the paragraphs after the table, or after the caption when the table
    is an image)."""
    caption: list[Piece] = []
    after_caption = 0
    for i, line in enumerate(lines):
        fence = _FENCE.fullmatch(line.text.strip())
        if fence and (fence.group("cls") or "").strip("{}.").lower() == "caption":
            k = i + 1
            while k < len(lines) and not _FENCE.fullmatch(lines[k].text.strip()):
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
        if (_is_table_line(text) or _is_header_line(lines, j)) and (found := _table_at(lines, j)) is not None:
            notes_from, cells, header = found
            break
    notes: list[list[Piece]] = []
    note: list[Piece] = []
    for line in lines[notes_from:]:
        if not line.text.strip() or _FENCE.fullmatch(line.text.strip()):
            if words(note):
                notes.append(note)
            note = []
        elif not _IMAGE.match(line.text):
            note += ([SOFT_SPACE] if note else []) + inline_pieces(line.text, line.start)
    if words(note):
        notes.append(note)
    return _Block("table", caption, cells=cells, header_rows=header, notes=notes)


def _is_header_line(lines: list[_Line], j: int) -> bool:
    """A line above a simple table's rule (its header), or the full rule opening a multiline table."""
    k = j
    while k < len(lines) and lines[k].text.strip() and not _SIMPLE_RULE.match(lines[k].text):
        k += 1
    return (k < len(lines) and len(_columns_of(lines[k].text)) >= 2 and k - j <= 4) or bool(
        _FULL_RULE.match(lines[j].text)
    )


def _table_at(lines: list[_Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """The table whose first line (a rule, a pipe row, or a header line above a rule) is at or just before line
    i: (index after its last line, rows of cells, header rows), or None when the lines are no table."""
    text = lines[i].text
    if _GRID_RULE.match(text):
        return _grid_table(lines, i)
    if text.lstrip().startswith("|"):
        return _pipe_table(lines, i)
    return _simple_table(lines, i)


def _columns(rule: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]


def _columns_of(text: str) -> list[tuple[int, int]]:
    """The columns of a simple table's rule (dash groups set apart by spaces), or [] for any other line."""
    return _columns(text) if _SIMPLE_RULE.match(text) else []


def _chunks(line: _Line, columns: list[tuple[int, int]]) -> list[list[_Line]]:
    """A table line cut into its columns: runs of text set apart by two or more spaces, each given to the column
    it overlaps most (a run longer than its column still starts in it)."""
    out: list[list[_Line]] = [[] for _ in columns]
    for m in re.finditer(r"\S+(?:[^\S\t\n]\S+)*", line.text):
        a, b = m.span()
        overlap = [max(0, min(b, e) - max(a, s)) for s, e in columns]
        best = max(range(len(columns)), key=lambda c: (overlap[c], -abs(columns[c][0] - a)))
        if overlap[best] == 0:
            best = min(range(len(columns)), key=lambda c: abs(columns[c][0] - a))
        out[best].append(_Line(m.group(), line.start + a))
    return out


def _cell(parts: list[_Line]) -> Cell:
    pieces: list[Piece] = []
    for part in parts:
        pieces += ([SOFT_SPACE] if pieces else []) + inline_pieces(part.text, part.start)
    return pieces, 1, 1


def _simple_table(lines: list[_Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """A pandoc simple or multiline table around the column rule at or after line i."""
    multiline = bool(_FULL_RULE.match(lines[i].text))
    start = i + 1 if multiline else i
    rule = next(
        (k for k in range(start, min(start + 6, len(lines))) if len(_columns_of(lines[k].text)) >= 2),
        None,
    )
    if rule is None or any(not ln.text.strip() for ln in lines[start:rule]):
        return None
    columns = _columns(lines[rule].text)
    if len(columns) < 2:
        return None
    header_lines = [ln for ln in lines[start:rule] if ln.text.strip()]
    rows: list[list[list[_Line]]] = []
    if header_lines:
        rows.append(
            [
                [p for part in parts for p in part]
                for parts in zip(*(_chunks(ln, columns) for ln in header_lines), strict=True)
            ]
        )
    header = len(rows)
    end = rule + 1
    row: list[list[_Line]] | None = None
    while end < len(lines):
        line = lines[end]
        if _FENCE.fullmatch(line.text.strip()):
            break
        if _SIMPLE_RULE.match(line.text) or _FULL_RULE.match(line.text):
            end += 1
            break
        if not line.text.strip():
            following = lines[end + 1].text if end + 1 < len(lines) else ""
            if not multiline and (not line.text or not following.strip() or _FENCE.fullmatch(following.strip())):
                break  # a blank line ends a simple table; a line of spaces inside one is an empty row
            row = None
            end += 1
            continue
        parts = _chunks(line, columns)
        if row is not None and (multiline or _continues(row, parts)):
            for c, cell in enumerate(parts):
                row[c] += cell
        else:
            row = parts
            rows.append(row)
        end += 1
    if len(rows) - header < 1:
        return None
    cells = [[_cell(parts) for parts in r] for r in rows]
    texts = [[" ".join(p.text for p in parts) for parts in r] for r in rows]
    more = layout_header_rows(texts)
    return end, _spread_group_headers(cells, texts, max(header, more)), max(header, more) or None


def _header_above(lines: list[_Line], rule: int) -> bool:
    return rule > 0 and bool(lines[rule - 1].text.strip())


def _continues(row: list[list[_Line]], parts: list[list[_Line]]) -> bool:
    """A line that continues the cells of the row above (a simple table's cell wrapped onto the next line): the
    row label column is empty, and every cell it adds goes on a cell of the row above that is left open (an
    unclosed bracket, a trailing comma or dash) or that has no value where the line has none."""
    if parts[0] or not any(parts):
        return False
    for above, below in zip(row, parts, strict=True):
        if not below:
            continue
        last = above[-1].text if above else ""
        if not last:
            return False
        open_cell = last.count("(") > last.count(")") or last.count("[") > last.count("]") or last.endswith((",", "-"))
        if not open_cell and (is_value(last) or is_value(below[0].text)):
            return False
    return True


def _spread_group_headers(cells: list[list[Cell]], texts: list[list[str]], header: int) -> list[list[Cell]]:
    """Group headers that pandoc wrote one per column although each spanned several ("6-month follow-up" over
    "TM | Cemented"): when the last header row labels g times as many columns as a header row above it and that
    row's labels stand side by side from the first column after the row labels, each spans g columns."""
    if header < 2:
        return cells
    last = [c for c in range(1, len(texts[header - 1])) if texts[header - 1][c]]
    out = [list(row) for row in cells]
    for r in range(header - 1):
        labelled = [c for c in range(1, len(texts[r])) if texts[r][c]]
        if not labelled or len(last) % len(labelled) or len(last) // len(labelled) < 2:
            continue
        if labelled != list(range(1, 1 + len(labelled))):
            continue
        group = len(last) // len(labelled)
        row: list[Cell] = [cells[r][0]] + [(cells[r][c][0], 1, group) for c in labelled]
        out[r] = row + [([], 1, 1)] * (len(cells[r]) - 1 - group * len(labelled))
    return out


def _pipe_table(lines: list[_Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """A pipe table: `| a | b |` rows, a `|---|---|` rule under the header row."""
    end = i
    while end < len(lines) and lines[end].text.lstrip().startswith("|"):
        end += 1
    block = lines[i:end]
    if len(block) < 2:
        return None
    rule = next((k for k, ln in enumerate(block) if _PIPE_RULE.match(ln.text)), None)
    rows: list[list[Cell]] = [
        [(inline_pieces(text, ln.start + at), 1, 1) for text, at in pipe_cells(ln.text)]
        for k, ln in enumerate(block)
        if k != rule
    ]
    return end, rows, (rule if rule is not None and rule > 0 else None)


def _grid_table(lines: list[_Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """A grid table: rows between `+---+` rules (`+===+` under the header), cells between `|`s."""
    columns = [(m.start() + 1, m.end()) for m in re.finditer(r"(?<=\+)[-=:]+(?=\+)", lines[i].text)]
    if not columns:
        return None
    rows: list[list[list[_Line]]] = []
    header: int | None = None
    current: list[list[_Line]] = [[] for _ in columns]
    end = i + 1
    while end < len(lines) and lines[end].text.lstrip()[:1] in ("|", "+"):
        text = lines[end].text
        if _GRID_RULE.match(text):
            if any(current):
                rows.append(current)
            current = [[] for _ in columns]
            if "=" in text:
                header = len(rows)
        else:
            for c, (s, e) in enumerate(columns):
                piece = text[s:e]
                stripped = piece.strip()
                if stripped and stripped != "|":
                    at = s + piece.index(stripped)
                    current[c].append(_Line(stripped, lines[end].start + at))
        end += 1
    if not rows:
        return None
    return end, [[_cell(parts) for parts in r] for r in rows], header


# --- writing ---------------------------------------------------------------------------------------------------


def _write(blocks: list[_Block]) -> MarkupWriter:
    """Blocks into the writer: sections by heading (the shallowest level names them), floats after the body."""
    writer = MarkupWriter()
    writer.section("other")
    top = min((b.level for b in blocks if b.kind == "heading"), default=1)
    floats: list[_Block] = []
    name: SectionName = "other"
    for block in blocks:
        if block.kind == "heading":
            if block.level <= top:
                name = classify_heading(" ".join(w for w, _ in words(block.pieces))) or "other"
            if name == "references":
                _write_floats(writer, floats)
            writer.section(name, block.pieces)
        elif block.kind == "paragraph":
            writer.paragraph(block.pieces)
        else:
            floats.append(block)
    _write_floats(writer, floats)
    return writer


def _write_floats(writer: MarkupWriter, floats: list[_Block]) -> None:
    for block in floats:
        if block.kind == "figure":
            writer.figure((), block.pieces)
        else:
            writer.table((), block.pieces, block.cells, block.notes, header_rows=block.header_rows)
    floats.clear()
