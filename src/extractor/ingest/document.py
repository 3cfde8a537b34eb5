"""`Document`: what every ingestor returns, whatever the input format.

Normalized text plus the structure read from the source: pages and sections with character offsets,
tables as rows of cells, and an `OffsetMap` from normalized offsets back to the source's own text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from extractor._typing import CharOffset, PageNo
from extractor.record import SectionName, SourceFormat


class OffsetMap:
    """Maps offsets in the normalized text back to offsets in the source text.

    Stored as runs, not per character: run `i` starts at normalized offset `norm[i]` and source offset
    `src[i]`; `aligned[i]` says whether it advances through the source one-to-one (copied text) or stays
    on one source character (a space standing for a line break, a ligature expanded to two letters).
    """

    __slots__ = ("_aligned", "_norm", "_src")

    def __init__(self) -> None:
        self._norm: list[int] = []
        self._src: list[int] = []
        self._aligned: list[bool] = []

    def add(self, norm_start: CharOffset, src_start: CharOffset, aligned: bool) -> None:
        if self._norm and self._norm[-1] == norm_start:
            self._src[-1], self._aligned[-1] = src_start, aligned
            return
        self._norm.append(norm_start)
        self._src.append(src_start)
        self._aligned.append(aligned)

    def to_source(self, offset: CharOffset) -> CharOffset:
        """Source offset of the normalized character at `offset`."""
        if not self._norm:
            return offset
        i = max(bisect.bisect_right(self._norm, offset) - 1, 0)
        return self._src[i] + (offset - self._norm[i] if self._aligned[i] else 0)

    def to_dict(self) -> dict[str, list[Any]]:
        return {"norm": list(self._norm), "src": list(self._src), "aligned": list(self._aligned)}

    def __len__(self) -> int:
        return len(self._norm)


@dataclass(frozen=True)
class SourceInfo:
    path: str
    format: SourceFormat
    sha256: str
    pages: int | None = None


@dataclass(frozen=True)
class Page:
    number: PageNo
    start: CharOffset
    end: CharOffset


@dataclass(frozen=True)
class Section:
    name: SectionName
    start: CharOffset
    end: CharOffset
    heading: str | None = None


CellSpan = tuple[CharOffset, CharOffset]


@dataclass(frozen=True)
class Table:
    """A table as a grid of cells, with where its text lies in the Document (start/end) and its caption.

    `rows` has one entry per grid position: the cell's text, "" where the cell is empty or a row/column span
    of another cell covers the position. `spans` (when the reader knows them) gives each position the offsets
    of its cell's text in `Document.text`; a covered position holds the offsets of the cell covering it, so a
    header spanning two columns labels both (`filled`). `header_rows` leading rows are column headers (0: the
    reader could not tell); `footnotes` are the notes printed under the table, as they stand in the text.
    """

    rows: list[list[str]]
    caption: str | None
    start: CharOffset
    end: CharOffset
    page: PageNo | None = None
    label: str | None = None
    header_rows: int = 0
    footnotes: list[str] = field(default_factory=list)
    spans: list[list[CellSpan | None]] | None = None

    def filled(self, text: str) -> list[list[str]]:
        """The grid with covered positions holding the covering cell's text (`text`: the Document's text)."""
        if self.spans is None:
            return [list(row) for row in self.rows]
        return [
            [cell or (text[span[0] : span[1]] if span else "") for cell, span in zip(row, spans, strict=False)]
            + row[len(spans) :]
            for row, spans in zip(self.rows, self.spans, strict=False)
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, str, int): what a spaCy Doc can carry and serialize."""
        return {
            "rows": self.rows,
            "caption": self.caption,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "label": self.label,
            "header_rows": self.header_rows,
            "footnotes": self.footnotes,
            "spans": [[list(s) if s else None for s in row] for row in self.spans] if self.spans is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Table:
        spans = data.get("spans")
        return cls(
            rows=[list(row) for row in data["rows"]],
            caption=data.get("caption"),
            start=data["start"],
            end=data["end"],
            page=data.get("page"),
            label=data.get("label"),
            header_rows=data.get("header_rows", 0),
            footnotes=list(data.get("footnotes") or []),
            spans=[[(s[0], s[1]) if s else None for s in row] for row in spans] if spans is not None else None,
        )


def _start(part: Page | Section) -> int:
    return part.start


@dataclass
class Document:
    text: str
    source: SourceInfo
    pages: list[Page] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    offset_map: OffsetMap = field(default_factory=OffsetMap)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        """Stable id from the content hash: same bytes, same id."""
        return self.source.sha256[:16]

    def page_at(self, offset: CharOffset) -> PageNo | None:
        if not self.pages:
            return None
        i = bisect.bisect_right(self.pages, offset, key=_start) - 1  # no list of starts per call: one per item
        return self.pages[max(i, 0)].number

    def section_at(self, offset: CharOffset) -> SectionName | None:
        i = bisect.bisect_right(self.sections, offset, key=_start) - 1
        if i < 0:
            return None
        section = self.sections[i]
        return section.name if offset < section.end else None
