"""What a PDF page's layout is built from: runs of text in page coordinates, and the row and paragraph tests
that every later step (running heads, figures, tables, columns, the unlabelled abstract) shares.

Geometry thresholds are in multiples of a run's height (about 1.2 x the font size).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from extractor.ingest.pdf.tables import PdfTable, Rule

WORD_GAP = 1.0  # a wider gap on one baseline ends a run: a gutter or a table cell boundary
SPACE_GAP = 0.15  # runs joined on a row get a space between them when further apart than this
ROW_SHIFT = 0.45  # runs whose vertical centres differ by less than this share a row
PARAGRAPH_GAP = 0.7  # more white space than this between two lines of a block: a new paragraph
_INDENT = 0.8  # a line starting this much right of the one before it, after a sentence end: a new paragraph
SENTENCE_END = (".", "!", "?", ":")


@dataclass(frozen=True, slots=True)
class Run:
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


class Area(NamedTuple):
    """A box on the page (a drawn figure, the zone of its text), top-down coordinates in points."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Page:
    """One page as the backends read it; `height` is the page's extent down the reading frame."""

    number: int
    height: float
    runs: list[Run]
    rules: tuple[Rule, ...] = ()  # horizontal lines, read only on pages with a table or figure caption
    figures: tuple[Area, ...] = ()  # drawn figures (images, charts) next to a figure caption
    sideways: bool = False  # read in the frame of text turned to run upwards: no running heads there


def cluster_rows(runs: Iterable[Run]) -> list[list[Run]]:
    """Runs grouped by height on the page, top to bottom, each row left to right; a table is a row of its own."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: r.top if r.table is not None else r.middle):
        if (
            rows
            and run.table is None
            and rows[-1][0].table is None
            and abs(run.middle - rows[-1][0].middle) < ROW_SHIFT * min(run.height, rows[-1][0].height)
        ):
            rows[-1].append(run)
        else:
            rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r.x0)
    return rows


def row_lines(runs: list[Run]) -> list[Run]:
    """Each row of runs as one line, top to bottom."""
    return [join_row(row) for row in cluster_rows(runs)]


def join_row(row: list[Run]) -> Run:
    """Runs of one row as one line; a space where they are apart.

    Some fonts map the hyphen to U+0002: at the line end it becomes pdfium's line-end hyphen mark, elsewhere '-'.
    """
    if row[0].table is not None:
        return row[0]
    text = row[0].text
    for before, run in itertools.pairwise(row):
        apart = run.x0 - before.x1 > SPACE_GAP * run.height
        text += (" " if apart and not text.endswith(" ") else "") + run.text
    text = text.strip()
    if "\x02" in text:
        text = (text[:-1] + "\ufffe" if text.endswith("\x02") else text).replace("\x02", "-")
    return Run(row[0].x0, max(r.x1 for r in row), min(r.top for r in row), max(r.bottom for r in row), text)


def paragraph_starts(previous: Run, line: Run, *, same_block: bool) -> bool:
    """Whether a blank line belongs between two lines: lay_out reads it as a paragraph (or caption) end."""
    if line.top - previous.bottom > PARAGRAPH_GAP * previous.height:  # white space above (never after a column)
        return True
    ends_sentence = previous.text.rstrip().endswith(SENTENCE_END)
    if not same_block:  # a caption or paragraph may end here; a sentence broken across columns goes on
        return ends_sentence
    return ends_sentence and line.x0 - previous.x0 > _INDENT * previous.height
