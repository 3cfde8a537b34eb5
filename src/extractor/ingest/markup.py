"""What the markup readers (JATS, HTML) share: decoding, words with source offsets, table span grids, and
`MarkupWriter`, which lays blocks, headings, captions and tables out as text with sections and an offset map.

Flattened form: a heading is a line of its own; paragraphs are separated by a blank line; a figure is a
"figure_caption" section holding the line "label caption"; a table is a "table" section: the line
"label caption", one line per row with its non-empty cells joined by " | ", then its footnotes one per line.
`Table.rows` is the grid with row and column spans expanded ("" where a span covers).
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from extractor._typing import CharOffset
from extractor.errors import EmptyInput, Warn
from extractor.ingest.clean import TextBuilder
from extractor.ingest.document import CellSpan, Document, Section, SourceInfo, Table
from extractor.ingest.sections import caption_kind, classify_heading
from extractor.ingest.text import decode
from extractor.ingest.text_tables import layout_header_rows
from extractor.record import SectionName

Piece = tuple[str, CharOffset]
"""A run of source text and the source offset of its first character."""
SOFT_SPACE: Piece = (" ", -1)
"""A space a reader puts where two elements meet; dropped before closing punctuation ("Smith J, 2001")."""
Span = tuple[CharOffset, CharOffset]
Cell = tuple[Sequence[Piece], int, int]
"""A table cell: its text, rowspan, colspan."""

T = TypeVar("T")
MAX_SPAN = 50  # larger row/col spans are clamped, and spans stop at MAX_COLUMNS: a hostile table must not
MAX_COLUMNS = 200  # allocate millions of cells (real tables have a few dozen columns at most)
_WORD = re.compile(r"\S+")
_CLOSING = tuple(",.;:)]}")


def decode_markup(data: bytes, name: str, declared: re.Pattern[bytes]) -> tuple[str, list[str]]:
    """Bytes to str: a BOM or valid UTF-8 first, then the encoding the markup declares, then a guess."""
    match = declared.search(data[:4096])
    if match:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = match.group(1).decode("ascii")
            with contextlib.suppress(LookupError, UnicodeDecodeError):
                return data.decode(encoding), [Warn.W002.format(encoding=encoding)]
    return decode(data, name)


def words(pieces: Sequence[Piece]) -> list[Piece]:
    """The whitespace-separated words of the pieces, each with the source offset of its first character."""
    kept: list[Piece] = []
    following = ""  # the next non-empty piece's text, scanning backwards
    for text, src in reversed(pieces):
        if text and not (src < 0 and following.startswith(_CLOSING)):
            kept.append((text, src))
        following = text or following
    kept.reverse()
    starts: list[int] = []
    length = 0
    for text, _ in kept:
        starts.append(length)
        length += len(text)
    found: list[Piece] = []
    for m in _WORD.finditer("".join(text for text, _ in kept)):
        k = bisect.bisect_right(starts, m.start()) - 1
        found.append((m.group(), kept[k][1] + m.start() - starts[k]))
    return found


def span_grid(rows: Sequence[Sequence[tuple[T, int, int]]]) -> list[list[T | None]]:
    """Rows of (cell, rowspan, colspan) placed on a grid: each cell at its top-left, None where a span covers."""
    return [[value if origin else None for value, origin in row] for row in covered_grid(rows)]


def covered_grid(rows: Sequence[Sequence[tuple[T, int, int]]]) -> list[list[tuple[T, bool]]]:
    """Rows of (cell, rowspan, colspan) placed on a grid: every position holds (the cell covering it, whether it
    is that cell's top-left position).

    A rowspan is a per-column countdown; spans end at MAX_COLUMNS, so the grid stays linear in the input.
    """
    below: dict[int, tuple[int, T]] = {}  # column -> (rows still covered there, the cell from a row above)
    grid: list[list[tuple[T, bool]]] = []
    for row in rows:
        line: list[tuple[T, bool]] = []
        started: dict[int, tuple[int, T]] = {}
        for k in range(len(row) + 1):
            while len(line) in below and len(line) < MAX_COLUMNS:
                line.append((below[len(line)][1], False))
            if k == len(row):
                break
            value, rowspan, colspan = row[k]
            colspan = max(1, min(colspan, MAX_COLUMNS - len(line)))
            started.update((c, (rowspan - 1, value)) for c in range(len(line), len(line) + colspan) if rowspan > 1)
            line.append((value, True))
            line.extend([(value, False)] * (colspan - 1))
        below = {c: (n - 1, v) for c, (n, v) in below.items() if n > 1} | started
        grid.append(line)
    return grid


def span_attr(value: str | None) -> int:
    """A rowspan/colspan attribute as a count in 1..MAX_SPAN (missing, zero or junk: 1)."""
    digits = (value or "").strip()
    return min(max(int(digits), 1), MAX_SPAN) if digits.isdigit() else 1


@dataclass
class _TableSpans:
    label: Span | None
    caption: Span | None
    cells: list[list[tuple[Span | None, int, int]]]
    start: CharOffset
    end: CharOffset
    header_rows: int | None  # rows of the source's header part (<thead>); None: the source has none
    notes: list[Span]


class MarkupWriter:
    """Writes sections, paragraphs, figures and tables of a structured source into normalized text.

    Records the sections (a section opens where its first block starts), the tables and the offset map; words
    go through `TextBuilder.emit_word`, so characters are normalized exactly as for text and PDF sources.
    """

    def __init__(self) -> None:
        self.out = TextBuilder()
        self._sections: list[tuple[SectionName, CharOffset, Span | None]] = []
        self._tables: list[_TableSpans] = []
        self._pending: SectionName | None = None
        self._after_heading = False

    def section(self, name: SectionName, heading: Sequence[Piece] = ()) -> None:
        """Opens a section, with its heading line when the heading has words."""
        self._pending = name
        span = self._block(heading, "\n\n")
        if span is not None:
            self._set_heading(span)
            self.out.emit("\n", self.out.map.to_source(span[1] - 1), aligned=False)
            self._after_heading = True

    def paragraph(self, pieces: Sequence[Piece]) -> Span | None:
        return self._block(pieces, "\n\n")

    def line(self, pieces: Sequence[Piece]) -> Span | None:
        return self._block(pieces, "\n")

    def figure(self, label: Sequence[Piece], caption: Sequence[Piece]) -> None:
        self._caption("figure_caption", label, caption)

    def table(
        self,
        label: Sequence[Piece],
        caption: Sequence[Piece],
        rows: Sequence[Sequence[Cell]],
        notes: Sequence[Sequence[Piece]] = (),
        header_rows: int | None = None,
    ) -> None:
        """A table: caption line, one line per row (non-empty cells joined by " | "), one line per footnote.

        header_rows: how many leading rows the source marks as the header (<thead>); None when it marks none,
        and the header is then read from the layout (`layout_header_rows`)."""
        label_span, caption_span = self._caption("table", label, caption)
        cells = self._rows(rows)
        note_spans = [span for note in notes if (span := self.line(note)) is not None]
        written = [s for s in (label_span, caption_span) if s] + [c for row in cells for c, _, _ in row if c]
        if written:
            self._tables.append(
                _TableSpans(label_span, caption_span, cells, written[0][0], self.out.length, header_rows, note_spans)
            )

    def document(self, source: SourceInfo, metadata: dict[str, Any], warnings: list[str]) -> Document:
        text = self.out.text()
        if not text.strip():
            raise EmptyInput(f"{source.path}: no article text in the markup")
        if len(text) < 200:
            warnings.append(Warn.W004.format(chars=len(text)))
        return Document(
            text=text,
            source=source,
            sections=self._finished_sections(text),
            tables=[_table(t, text) for t in self._tables],
            offset_map=self.out.map,
            metadata=metadata,
            warnings=warnings,
        )

    def _rows(self, rows: Sequence[Sequence[Cell]]) -> list[list[tuple[Span | None, int, int]]]:
        written: list[list[tuple[Span | None, int, int]]] = []
        for row in rows:
            spans: list[tuple[Span | None, int, int]] = []
            sep = "\n"
            for pieces, rowspan, colspan in row:
                span = self._block(pieces, sep)
                if span is not None:
                    sep = " | "
                spans.append((span, rowspan, colspan))
            written.append(spans)
        return written

    def _caption(
        self, name: SectionName, label: Sequence[Piece], caption: Sequence[Piece]
    ) -> tuple[Span | None, Span | None]:
        """The line "label caption" opening a section; without a label, it is read from the caption's start."""
        self._pending = name
        label_span = self._block(label, "\n\n")
        parts_before = len(self.out.parts)
        caption_span = self._block(caption, " " if label_span else "\n\n")
        if label_span is None and caption_span is not None:
            kind = caption_kind("".join(self.out.parts[parts_before:]).lstrip())
            label_span = (caption_span[0], caption_span[0] + len(kind[1])) if kind else None
        if label_span is not None:
            self._set_heading(label_span)
        return label_span, caption_span

    def _block(self, pieces: Sequence[Piece], sep: str) -> Span | None:
        found = words(pieces)
        if not found:
            return None
        if self.out.length and not self._after_heading:
            self.out.emit("\n\n" if self._pending else sep, found[0][1], aligned=False)
        if self._pending is not None:
            self._open(self._pending)
            self._pending = None
        start = self.out.length
        for i, (word, src) in enumerate(found):
            if i:
                self.out.emit(" ", max(src - 1, 0), aligned=False)
            self.out.emit_word(word, src)
        self._after_heading = False
        return start, self.out.length

    def _open(self, name: SectionName) -> None:
        if self._sections and self._sections[-1][1] == self.out.length:
            self._sections.pop()
        self._sections.append((name, self.out.length, None))

    def _set_heading(self, span: Span) -> None:
        name, start, _ = self._sections[-1]
        if start == span[0]:
            self._sections[-1] = (name, start, span)

    def _finished_sections(self, text: str) -> list[Section]:
        """Contiguous sections: each runs to the start of the next."""
        ends = [start for _, start, _ in self._sections[1:]] + [len(text)]
        sections = [
            Section(name, start, end, text[h[0] : h[1]] if h else None)
            for (name, start, h), end in zip(self._sections, ends, strict=True)
            if end > start
        ]
        if sections and sections[0].start > 0:
            sections.insert(0, Section("other", 0, sections[0].start, None))
        return sections


def _table(spans: _TableSpans, text: str) -> Table:
    """The grid with rule-only rows (<hr/>) left out, as they are from the text, and short rows padded with empty
    cells; covered positions hold the covering cell's span. The header is the source's (its <thead> rows that are
    kept), else read from the layout."""

    def cut(span: Span | None) -> str | None:
        return text[span[0] : span[1]] if span else None

    covered = covered_grid(spans.cells)
    kept = [i for i, row in enumerate(covered) if any(span for span, origin in row if origin)]
    width = max((len(covered[i]) for i in kept), default=0)  # short rows are padded: the grid is rectangular
    pad: list[tuple[Span | None, bool]] = [(None, True)]
    rows = [
        [(cut(span) or "") if origin else "" for span, origin in covered[i] + pad * (width - len(covered[i]))]
        for i in kept
    ]
    cell_spans: list[list[CellSpan | None]] = [
        [span for span, _ in covered[i]] + [None] * (width - len(covered[i])) for i in kept
    ]
    if spans.header_rows is not None:
        header = sum(1 for i in kept if i < spans.header_rows)
    else:
        header = layout_header_rows(rows)
    return Table(
        rows=rows,
        caption=cut(spans.caption),
        start=spans.start,
        end=spans.end,
        label=cut(spans.label),
        header_rows=header,
        footnotes=[text[a:b] for a, b in spans.notes],
        spans=cell_spans,
    )


@dataclass
class Block:
    """One block of a markup document (HTML, Markdown), in reading order, before it is written."""

    kind: Literal["heading", "paragraph", "table", "figure"]
    pieces: list[Piece]  # heading or paragraph text; a table's or figure's caption
    level: int = 0  # heading level
    cells: list[list[Cell]] = field(default_factory=list)  # table rows
    header_rows: int | None = None  # leading rows the markup marks as the table's header
    notes: list[list[Piece]] = field(default_factory=list)  # a table's notes


def write_blocks(blocks: list[Block], title: Block | None = None, default_top: int = 1) -> MarkupWriter:
    """Blocks into a writer: the title as a paragraph, sections named by the shallowest headings (other than the
    title's), floats just before the references (or at the end)."""
    writer = MarkupWriter()
    writer.section("other")
    top = min((b.level for b in blocks if b.kind == "heading" and b is not title), default=default_top)
    floats: list[Block] = []
    name: SectionName = "other"
    for block in blocks:
        if block is title:
            writer.paragraph(block.pieces)
        elif block.kind == "heading":
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


def _write_floats(writer: MarkupWriter, floats: list[Block]) -> None:
    for block in floats:
        if block.kind == "figure":
            writer.figure((), block.pieces)
        else:
            writer.table((), block.pieces, block.cells, block.notes, header_rows=block.header_rows)
    floats.clear()
