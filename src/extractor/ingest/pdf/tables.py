"""Tables on a PDF page, from where their text and rules sit: a 'Table N' caption, the text under it, rows of cells.

Published tables are mostly unruled between cells: at best a rule above and below the header and one under the
body (booktabs style), so cells come from the positions of the text, not from drawn lines:

1. extent: a caption that crosses the column gutter opens a table as wide as the text; one inside a column, a
   table as wide as that column. Horizontal rules under the caption widen or confirm it;
2. zone: below the caption, runs inside the extent and rules, down to white space higher than `_END_GAP` line
   heights, a wide line in a larger font than the table's (body prose resumes), or anything crossing the extent's edge.
   With rules, the lines between the caption and the first rule are the rest of the caption and the lines under
   the last rule are footnotes;
3. rows: runs at one height form a row; rows whose boxes overlap vertically are one row (a cell wrapped over two
   lines beside a vertically centred value), and a row label continued in lower case on the next line joins the
   row above when either of the two holds nothing but the label;
4. columns: a run that lies over two separate runs of another row spans columns (a group header); the others'
   x-ranges, merged where they overlap, are the columns, unless only one row has text there (a group header
   centred over a gap). Each run goes to the column holding its left edge, or the nearest one.

The runs are duck-typed (x0, x1, top, bottom, text, height), as `extractor.ingest.pdf.runs.Run` holds them.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from extractor.ingest.sections import caption_kind

_END_GAP = 1.5  # white space this high (in line heights) ends a table's zone; twice that right under the caption
_ROW_SHIFT = 0.45  # runs whose vertical centres differ by less than this (in heights) share a row
_ROW_OVERLAP = 0.2  # rows whose boxes overlap by more than this (in heights) are one row with wrapped cells
_LARGER = 1.08  # a line this much taller than the table's median line is body text again
_LINE_BREAK_MARKS = ("\ufffe", "\x02")  # pdfium's line-end hyphen, and a font's hyphen read as U+0002


class Box(Protocol):
    @property
    def x0(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...
    @property
    def text(self) -> str: ...
    @property
    def height(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal line drawn on the page: x-range and height from the top, in points."""

    x0: float
    x1: float
    y: float


@dataclass
class PdfTable:
    """A table found on a page: caption text, rows of cell texts ("" for an empty cell), footnotes, its box."""

    caption: str
    rows: list[list[str]]
    footnotes: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    members: set[int] = field(default_factory=set)  # id() of every run the table took from the page


_CONTINUED = re.compile(r"(?i)^\s*\(?[a-z]\)\s*continued\b")  # "(b) Continued.": a table's part going on


def is_table_caption(text: str) -> bool:
    kind = caption_kind(text)
    return (kind is not None and kind[0] == "table") or bool(_CONTINUED.match(text))


def find_tables(runs: Sequence[Box], gutter: float | None, rules: Sequence[Rule] = ()) -> list[PdfTable]:
    """Every table opened by a 'Table N' caption on the page, with the runs it takes."""
    if not runs:
        return []
    left = min(run.x0 for run in runs)
    right = max(run.x1 for run in runs)
    tables: list[PdfTable] = []
    taken: set[int] = set()
    for caption in sorted((r for r in runs if is_table_caption(r.text)), key=lambda r: r.top):
        if id(caption) in taken:
            continue
        if gutter is None or caption.x0 < gutter < caption.x1:
            lo, hi = left, right
        elif caption.x1 <= gutter:
            lo, hi = left, gutter
        else:
            lo, hi = gutter, right
        table = _table_at(caption, [r for r in runs if id(r) not in taken], rules, lo, hi)
        if table is not None:
            tables.append(table)
            taken |= table.members
    return tables


def _table_at(caption: Box, runs: Sequence[Box], rules: Sequence[Rule], lo: float, hi: float) -> PdfTable | None:
    slack = caption.height
    centre = (caption.x0 + caption.x1) / 2
    under = [r for r in rules if r.x0 <= centre <= r.x1 and 0 < r.y - caption.bottom < 4 * caption.height]
    if under:  # the rule under the caption gives the table's width (a gutter may have been found inside it)
        first = min(under, key=lambda rule: rule.y)
        lo, hi = min(lo, first.x0), max(hi, first.x1)
    near = [
        rule
        for rule in rules
        if rule.y > caption.top and rule.x0 >= lo - slack and rule.x1 <= hi + slack and rule.x1 - rule.x0 > 20
    ]
    near.sort(key=lambda rule: rule.y)
    below = sorted(
        (r for r in runs if r.top >= caption.top - 0.5 * caption.height and r is not caption),
        key=lambda r: r.top,
    )
    items: list[tuple[float, float, Box | Rule]] = [(r.top, r.bottom, r) for r in below]
    items += [(rule.y, rule.y, rule) for rule in near]
    items.sort(key=lambda item: item[0])
    zone: list[Box] = []
    zone_rules: list[Rule] = []
    reach = caption.bottom
    for top, bottom, item in items:
        if isinstance(item, Rule):
            if top - reach > 2 * _END_GAP * caption.height:
                break
            zone_rules.append(item)
            reach = max(reach, bottom)
            continue
        if item.x1 <= lo + 1 or item.x0 >= hi - 1:
            continue  # the other column
        if item.x0 < lo - 1 or item.x1 > hi + 1 or is_table_caption(item.text) or caption_kind(item.text):
            break  # crosses the table's edge (full-width text below a column table), or the next float
        limit = (_END_GAP if zone else 2 * _END_GAP) * item.height
        if top - reach > limit:
            break
        wide = item.x1 - item.x0 > 0.6 * (hi - lo)
        if wide and len(zone) >= 3 and item.height > _LARGER * statistics.median(r.height for r in zone):
            break  # a line of prose in the body's larger type (a taller cell holds a superscript)
        zone.append(item)
        reach = max(reach, bottom)
    # the caption's own row (a caption cut by a wide space) and its wrapped lines above the first rule
    caption_runs: list[Box] = [caption]
    first_rule = zone_rules[0].y if len(zone_rules) >= 2 else None  # one rule alone: under the header, or not
    last_rule = zone_rules[-1].y if len(zone_rules) >= 2 else None
    body: list[Box] = []
    notes: list[Box] = []
    for run in zone:
        middle = (run.top + run.bottom) / 2
        if middle < caption.bottom or (first_rule is not None and middle < first_rule):
            caption_runs.append(run)
        elif last_rule is not None and middle > last_rule:
            notes.append(run)
        else:
            body.append(run)
    if last_rule is None and body:  # no rules: footnotes are the lines that read as notes, at the bottom
        rows = _cluster_rows(body)
        while rows and len(rows[-1]) == 1 and _NOTE.match(rows[-1][0].text):
            notes[:0] = rows.pop()
        body = [run for row in rows for run in row]
    grid = build_grid(body)
    if len(grid) < 2 or max(len(row) for row in grid) < 2:
        return None
    members = {id(run) for run in (*caption_runs, *body, *notes)}
    boxes = [*caption_runs, *body, *notes]
    return PdfTable(
        caption=_lines_text(caption_runs),
        rows=grid,
        footnotes=[_lines_text(notes)] if notes else [],
        x0=min(min(r.x0 for r in boxes), lo),
        x1=max(max(r.x1 for r in boxes), hi) if body else max(r.x1 for r in boxes),
        top=min(r.top for r in boxes),
        bottom=max([r.bottom for r in boxes] + [rule.y for rule in zone_rules]),
        members=members,
    )


_NOTE = re.compile(r"^\s*(?:[*†‡§¶#]|[a-z]\s?[A-Z]|(?:abbreviations?|notes?|source|footnotes?)\b)", re.I)


def build_grid(runs: Sequence[Box]) -> list[list[str]]:
    """Runs of a table body as rows of cell texts, every row as wide as the widest ("" where nothing is)."""
    if not runs:
        return []
    rows = _merge_wrapped_rows(_cluster_rows(runs))
    columns = _columns(rows)
    grid: list[list[list[Box]]] = []
    for row in rows:
        cells: list[list[Box]] = [[] for _ in columns]
        for run in row:
            cells[_column_of(run, columns)].append(run)
        grid.append(cells)
    texts = [[_lines_text(cell) for cell in row] for row in grid]
    merged: list[list[str]] = []
    stubs: list[float] = []
    for cell_texts, boxes in zip(texts, grid, strict=True):
        stub = cell_texts[0]
        continues = bool(merged) and stub[:1].islower() and boxes[0][0].x0 >= stubs[-1] - 1
        if continues and not any(cell_texts[1:]):
            merged[-1][0] = _join_lines(merged[-1][0], stub)  # the row label wrapped onto a line of its own
            continue
        if continues and merged[-1][0] and not any(merged[-1][1:]):
            merged[-1] = [_join_lines(merged[-1][0], stub), *cell_texts[1:]]  # a label's first lines above its row
            continue
        merged.append(cell_texts)
        stubs.append(boxes[0][0].x0 if boxes[0] else float("inf"))
    return [row for row in merged if any(row)]


def _cluster_rows(runs: Sequence[Box]) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for run in sorted(runs, key=lambda r: (r.top + r.bottom) / 2):
        middle = (run.top + run.bottom) / 2
        if rows:
            first = rows[-1][0]
            if abs(middle - (first.top + first.bottom) / 2) < _ROW_SHIFT * min(run.height, first.height):
                rows[-1].append(run)
                continue
        rows.append([run])
    for row in rows:
        row.sort(key=lambda r: r.x0)
    return rows


def _merge_wrapped_rows(rows: list[list[Box]]) -> list[list[Box]]:
    """Rows whose boxes overlap vertically belong together: a label over two lines beside a centred value."""
    merged: list[list[Box]] = []
    for row in rows:
        if merged:
            above = merged[-1]
            bottom = max(r.bottom for r in above)
            top = min(r.top for r in row)
            height = min(statistics.median(r.height for r in row), statistics.median(r.height for r in above))
            if bottom - top > _ROW_OVERLAP * height:
                above.extend(row)
                continue
        merged.append(list(row))
    return merged


def _columns(rows: list[list[Box]]) -> list[tuple[float, float]]:
    """Column x-ranges: the merged x-ranges of runs that do not lie over two runs of one other row."""
    spanning: set[int] = set()
    for i, row in enumerate(rows):
        for run in row:
            for j, other in enumerate(rows):
                if i != j and _over_two(run, other):
                    spanning.add(id(run))
                    break
    ranges = sorted((r.x0, r.x1) for row in rows for r in row if id(r) not in spanning)
    if not ranges:
        ranges = sorted((r.x0, r.x1) for row in rows for r in row)
    columns: list[list[float]] = []
    for x0, x1 in ranges:
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    if len(rows) >= 3:  # a range held by one run only is a header between columns ("Case 1" over two), not one
        held = [sum(any(x0 <= r.x0 and r.x1 <= x1 for r in row) for row in rows) for x0, x1 in columns]
        kept = [column for column, n in zip(columns, held, strict=True) if n >= 2]
        columns = kept if len(kept) >= 2 else columns
    return [(a, b) for a, b in columns]


def _over_two(run: Box, row: list[Box]) -> bool:
    """Whether the run lies over two runs of the row that stand side by side (not one above the other)."""
    under = sorted((o for o in row if o.x0 < run.x1 and run.x0 < o.x1), key=lambda o: o.x0)
    reach = under[0].x1 if under else 0.0
    for o in under[1:]:
        if o.x0 >= reach:
            return True
        reach = max(reach, o.x1)
    return False


def _column_of(run: Box, columns: list[tuple[float, float]]) -> int:
    """The column holding the run's left edge; left of every column: the first; in a gap: the one to its right,
    unless the run overlaps the one to its left more."""
    for k, (x0, x1) in enumerate(columns):
        if run.x0 < x1:
            if k and run.x0 < x0 and min(run.x1, x0) - run.x0 < columns[k - 1][1] - run.x0:
                return k - 1
            return k
    return len(columns) - 1


def _lines_text(runs: Sequence[Box]) -> str:
    """Runs top to bottom, left to right, as one string: lines joined with a space, line-end hyphens resolved."""
    text = ""
    for row in _cluster_rows(runs):
        line = " ".join(run.text.strip() for run in row)
        text = _join_lines(text, line) if text else line
    return text


def _join_lines(text: str, line: str) -> str:
    if text.endswith(_LINE_BREAK_MARKS):
        if line[:1].islower():
            return text[:-1] + line
        return text[:-1] + "-" + line
    if text.endswith("-") and line[:1].islower():
        return text + line
    return f"{text} {line}"
