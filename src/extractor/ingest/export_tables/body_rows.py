"""The body of an export table read as rows, for each column count: which lines are cells of which row.

A row is a label (or a label and a sub-label) and a cell per column holding a value or nothing; a group label's
row, a rule, a row under a label spanning rows and a row short of cells under a spanning cell are read too
(`_rows`, by dynamic programming over where rows start). `Body` is what the rows tell the header readers.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from extractor.ingest.cell_values import is_value
from extractor.ingest.clean import SourceLine

_MAX_COLUMNS = 15
_MAX_HEADER_LINES = 60
_MIN_ROWS = 2
_MIN_PURITY = 0.8
_EMPTY_COLUMN = 0.05  # per row, for a column no body row fills (left out of the grid: a line break in cells)
_PROSE_WORDS = 25
_SMALL_INTEGER = re.compile(r"^\s*\d{1,3}\s*$")


@dataclass
class Fit:
    columns: int
    body: int  # index (into the cells) where the body starts
    rows: list[Row]
    score: float
    stub: int = 1  # columns of row labels: 2 when a second one holds sub-labels ("Age" | "Median" | values)
    # columns no body row fills: no columns (an empty line the export wrote for a line break in a cell)
    dropped: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return self.columns - len(self.dropped)

    def kept(self, row: list[SourceLine | None]) -> list[SourceLine | None]:
        return [cell for c, cell in enumerate(row) if c not in self.dropped]


class Row(NamedTuple):
    """A body row: its first cell's index, how many cells it has, and the column of its first cell (1: a row
    whose label is the one above it, spanning both; the export writes a spanning cell once)."""

    start: int
    width: int
    column: int = 0

    @property
    def end(self) -> int:
        return self.start + self.width


def line_kind(text: str) -> str:
    """E: empty; V: a value; P: prose (a long sentence, never a cell); I: a small integer; T: other text."""
    if not text.strip():
        return "E"
    if len(text.split()) >= _PROSE_WORDS and text.rstrip().endswith("."):
        return "P"
    if _SMALL_INTEGER.match(text):
        return "I"
    return "V" if is_value(text) else "T"


def fits_by_score(kinds: str) -> list[Fit]:
    """The body read with each column count (and one or two columns of row labels), best first."""
    fits = [
        fit
        for columns in range(2, _MAX_COLUMNS + 1)
        for stub in (1, 2)
        if (stub == 1 or columns >= 4) and (fit := _rows(kinds, columns, stub)) is not None
    ]
    return sorted(fits, key=lambda f: (-f.score, f.columns, f.stub))


def _rows(kinds: str, columns: int, stub: int = 1) -> Fit | None:
    """The body read as rows of `columns` cells, by dynamic programming over where rows start: the body starts
    within the first lines (those before it are the header) and ends where the rows score best. A row is full
    (label and values, or a group label and empty cells), shorter (a cell spanning the last columns: label and
    values only), a label alone (spanning the table: "HAMD17 Total Score"), or one empty cell (a rule). With two
    columns of row labels (`stub` 2: "Age" | "Median" | values), a row may start at the second (its label is the
    one above, spanning both rows: the export writes a spanning cell once)."""
    n = len(kinds)
    starts = 0
    while starts < min(_MAX_HEADER_LINES, n) and kinds[starts] != "P":
        starts += 1
    best: list[float | None] = [None] * (n + 1)
    back: list[Row | None] = [None] * (n + 1)  # the row ending here
    for i in range(starts + 1):
        best[i] = 0.0
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        moves: list[tuple[Row, float]] = []
        if i + columns <= n and _fits(kinds[i : i + columns], stub):
            moves.append((Row(i, columns), _row_score(kinds[i : i + columns], stub)))
        covered = "E" + kinds[i : i + columns - 1]
        spanned = stub == 2 and kinds[i] == "T" and _sub_labelled(back[i], kinds, columns)
        if spanned and i + columns - 1 <= n and _fits(covered, 2):  # under a label spanning rows: worth less
            moves.append((Row(i, columns - 1, 1), _row_score(covered, 2) - 0.6))
        for m in range(2, (columns - (stub == 2)) if kinds[i] == "T" else 2):  # a label, then values only
            if i + m <= n and _fits(kinds[i : i + m], 1, partial=True):
                moves.append((Row(i, m), _row_score(kinds[i : i + m], 1) - 0.5))
        if kinds[i] == "T":
            moves.append((Row(i, 1), -0.25))
        elif kinds[i] == "E":
            moves.append((Row(i, 1), -0.05))  # a rule across the table: one empty cell
        for row, score in moves:
            if best[row.end] is None or here + score > best[row.end]:  # type: ignore[operator]
                best[row.end], back[row.end] = here + score, row
    end = max(range(n + 1), key=lambda k: (best[k] if best[k] is not None else float("-inf"), k))
    rows: list[Row] = []
    k = end
    while (last := back[k]) is not None:
        rows.append(last)
        k = last.start
    rows.reverse()
    while rows and (
        rows[0].width == 1 or rows[0].column or all(kinds[k] == "E" for k in range(rows[0].start, rows[0].end))
    ):
        rows.pop(0)  # a label alone first is a header line
    rows = [row for row in rows if not all(kinds[k] == "E" for k in range(row.start, row.end))] or rows
    with_values = sum(1 for row in rows if any(k in "VI" for k in kinds[row.start + 1 - row.column : row.end]))
    if with_values < _MIN_ROWS or _purity(kinds, rows, columns, stub) < _MIN_PURITY:
        return None
    if stub == 2:  # sub-labels: words in the second column, nearly always
        second = [kinds[k] for k in _column(rows, 1) if kinds[k] != "E"]
        if not second or sum(1 for k in second if k == "T") < _MIN_PURITY * len(second):
            return None
    empty = tuple(c for c in range(stub, columns) if all(kinds[k] == "E" for k in _column(rows, c)))
    score = float(best[end] or 0.0) - _EMPTY_COLUMN * len(empty) * len(rows)
    return Fit(columns, rows[0].start, rows, score, stub, empty if columns - len(empty) >= 2 else ())


def _sub_labelled(row: Row | None, kinds: str, columns: int) -> bool:
    """The row has a label and a sub-label (or goes on under a label above): a label spanning rows may go on."""
    if row is None:
        return False
    return row.column == 1 or (row.width == columns and kinds[row.start] == "T" and kinds[row.start + 1] == "T")


def _column(rows: list[Row], c: int) -> list[int]:
    """The cells (indexes) of column `c` in these rows."""
    return [row.start + c - row.column for row in rows if row.column <= c < row.column + row.width]


def _purity(kinds: str, rows: list[Row], columns: int, stub: int) -> float:
    """How consistently each column right of the labels holds one kind of cell (values, or text) across the rows:
    a wrong column count puts labels and values in the same column."""
    shares: list[float] = []
    for c in range(stub, columns):
        column = [kinds[k] for k in _column(rows, c) if kinds[k] != "E"]
        if column:
            values = sum(1 for k in column if k in "VI")
            shares.append(max(values, len(column) - values) / len(column))
    return min(shares, default=0.0)


@functools.lru_cache(maxsize=65536)
def _fits(row: str, stub: int, partial: bool = False) -> bool:
    """A body row: a label (or nothing, or a number) first (and a sub-label, or nothing, with two label columns),
    then values or empty cells, at least one value (a group label row has none); no prose, and text in at most
    two thirds of the value cells."""
    label, rest = row[0], row[stub:]
    if "P" in row or (label == "V" and partial):
        return False
    values = sum(1 for k in rest if k in "VI")
    texts = sum(1 for k in rest if k == "T")
    if partial:
        return label == "T" and values == len(rest)
    if values == 0:
        return all(k in "TE" for k in row[:stub]) and all(k == "E" for k in rest)  # a group label's, a rule's
    return texts * 3 <= 2 * len(rest)


@functools.lru_cache(maxsize=65536)
def _row_score(row: str, stub: int) -> float:
    if all(k == "E" for k in row[stub:]):
        return 0.2 if "T" in row[:stub] else 0.0  # a group label's row (worth little alone), a row of rules
    score = sum({"V": 0.3, "I": 0.3, "E": 0.0}.get(k, -0.3) for k in row[stub:])
    if stub == 2:  # a sub-label under a label, or under the label above (a row span): less than a label alone
        score += {"T": 0.3, "E": 0.0}.get(row[1], -0.3)
        if row[0] == "E" and row[1] == "T":
            return score + 0.6
    return score + {"T": 1.0, "E": 0.0, "I": 0.5, "V": -0.5}[row[0]]  # a number as a label: '<65', '0.5' (hours)


@dataclass(frozen=True)
class Body:
    """What the body rows tell the header: how many leading columns hold row labels, which columns hold values,
    which hold only p-values."""

    stub: int
    valued: list[bool]
    p_values: list[bool]


_P_VALUE = re.compile(r"(?i)^\s*(?:p\s*)?(?:[<>=≤≥]\s*)?(?:0?\.\d+|1(?:\.0+)?)\s*[*†‡§a-e]{0,3}\s*$|^\s*n\.?s\.?\s*$")
_NO_VALUE = re.compile(r"^\s*(?:[-−–—]+|NA|NR|N/A|ND|NE)\s*$")


def read_body(texts: list[str], kinds: str, fit: Fit) -> Body:
    valued = [False] * fit.columns
    p_counts = [[0, 0] for _ in range(fit.columns)]  # p-values, other cells
    for row in fit.rows:
        for k in range(row.start, row.end):
            c = k - row.start + row.column
            if c == 0 or kinds[k] == "E":
                continue
            valued[c] |= kinds[k] in "VI"
            if not _NO_VALUE.match(texts[k]):
                p_counts[c][0 if _P_VALUE.match(texts[k]) else 1] += 1
    p_values = [bool(p) and not other for p, other in p_counts]
    kept = [c for c in range(fit.columns) if c not in fit.dropped]
    return Body(fit.stub, [valued[c] for c in kept], [p_values[c] for c in kept])
