"""A table read as a table: which columns are study groups, which rows are measures, what each cell prints.

Input is a `Table` of the Document (cells by row and column, header rows, caption, footnotes, cell offsets);
output is a `ReadTable`: its kind (baseline characteristics, adverse events, results), its columns (a study
group with its n, a total, a p-value or an effect column; a sub-column that only holds the SD or the n of the
column before it), its rows (a label, the section row above it) and one `Entry` per value cell, read with the
statistic the labels name (`stats.interpret`). Nothing here knows the document's arms or lexicons: the
components map group labels to arms and row labels to endpoints, analytes and events. Patterns are data
(`lexicons/table_rules.json`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal

from extractor.ingest.document import CellSpan, Table
from extractor.nlp.rules import table_rules
from extractor.nlp.text.arms import arm_patterns, label_size
from extractor.nlp.text.numbers import as_count, parse_number
from extractor.nlp.text.stats import Reading, Stat, StatHint, interpret, read_stat
from extractor.nlp.text.table_grids import FOOTNOTE

TableKind = Literal["baseline", "adverse_events", "labs", "results"]
ColumnRole = Literal["group", "total", "p", "effect"]
ColumnPart = Literal["spread", "count", "percent"]
TWO_STUB_COLUMNS = 4  # a second stub column leaves two columns of values at least; narrower tables have one stub


@dataclass(frozen=True)
class Patterns:
    kind_baseline: re.Pattern[str]
    kind_baseline_rows: re.Pattern[str]
    kind_adverse: re.Pattern[str]
    kind_labs: re.Pattern[str]
    qualifier_row: re.Pattern[str]
    label_noise: re.Pattern[str]
    p_column: re.Pattern[str]
    effect_column: re.Pattern[str]
    total_column: re.Pattern[str]
    stat_label: re.Pattern[str]
    spread_only: re.Pattern[str]
    count_only: re.Pattern[str]
    timepoint: re.Pattern[str]
    baseline_time: re.Pattern[str]
    change: re.Pattern[str]
    difference: re.Pattern[str]
    n_row: re.Pattern[str]
    topic_not_endpoint: re.Pattern[str]
    footnote_abbreviation: re.Pattern[str]
    subgroup_row: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    data = table_rules().model_dump(exclude={"meta"})
    return Patterns(**{k: re.compile(v, re.I) for k, v in data.items()})


@dataclass(frozen=True)
class Column:
    index: int
    labels: tuple[str, ...]  # the header cells above the column, top down, without repeats
    role: ColumnRole
    group: str  # the label naming the study group ('' when the header names none)
    group_span: CellSpan | None
    n: int | None
    hint: StatHint
    part: ColumnPart | None = None  # holds only the spread / the count / the % of the value column before it
    timepoint: str | None = None
    baseline: bool = False
    measure: str | None = None  # 'mean change' or 'difference' when the header says so
    topic: str | None = None  # a header label above the group's ('Trough FEV1 response (L)'): maybe what is measured


@dataclass(frozen=True)
class Row:
    index: int
    label: str  # the row's own label
    parent: str | None  # the section row above it ('Office blood pressure (mmHg)')
    span: CellSpan | None
    hint: StatHint
    restated: tuple[Column, ...] = ()  # the columns as a body row above labelled them again (`_restated_columns`)

    def column(self, column: Column) -> Column:
        return next((c for c in self.restated if c.index == column.index), column)


@dataclass(frozen=True)
class Entry:
    row: Row
    column: Column
    reading: Reading
    text: str
    span: CellSpan | None
    p_value: str | float | None = None


@dataclass
class ReadTable:
    table: Table
    kind: TableKind
    columns: list[Column]
    rows: list[Row]
    entries: list[Entry] = field(default_factory=list)  # group and total columns
    effects: list[Entry] = field(default_factory=list)  # effect columns (differences, ratios)
    hint: StatHint = field(default_factory=StatHint)  # what the caption and footnotes say every cell prints

    @property
    def groups(self) -> list[Column]:
        """The study-group columns, one per group (value columns only)."""
        seen: dict[str, Column] = {}
        for column in self.columns:
            if column.role == "group" and column.part is None and column.group and column.group not in seen:
                seen[column.group] = column
        return list(seen.values())


def read_table(table: Table, text: str) -> ReadTable | None:
    """`table` read as a table, or None when it has no header and value rows to read."""
    grid = _grid(table, text)
    if len(grid) < 2 or max((len(r) for r in grid), default=0) < 2:
        return None
    width = max(len(r) for r in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    spans = _spans(table, text, grid)
    head = _more_header_rows(grid, table.header_rows) if table.header_rows else _header_rows(grid)
    if head <= 0 or head >= len(grid):
        return None
    stub = _stub_width(grid, head)
    p = patterns()
    caption = " ".join(x for x in (table.label, table.caption) if x)
    notes = " ".join(table.footnotes)
    table_hint = StatHint.of(caption).over(StatHint.of(notes))
    columns = _columns(grid, spans, head, stub)
    rows, n_rows = _rows(grid, spans, head, stub, columns)
    columns = _with_row_counts(columns, n_rows)
    header_text = " ".join(lab for c in columns for lab in c.labels)
    kind: TableKind = "results"
    if p.kind_adverse.search(caption) or (not caption and p.kind_adverse.search(header_text)):
        kind = "adverse_events"
    elif p.kind_baseline.search(caption) or (
        not caption and (p.kind_baseline.search(header_text) or (rows and p.kind_baseline_rows.search(rows[0].label)))
    ):
        kind = "baseline"
    elif p.kind_labs.search(caption):
        kind = "labs"
    read = ReadTable(table, kind, columns, rows, hint=table_hint)
    _read_cells(read, grid, spans)
    return read


def footnote_abbreviations(footnotes: Iterable[str]) -> dict[str, str]:
    """The abbreviations a table's footnotes define ('VAS: Visual analog scale; SPADI: ...', 'Abbreviations: EVE,
    everolimus; NR, not reported'): short -> long."""
    found: dict[str, str] = {}
    for note in footnotes:
        for m in patterns().footnote_abbreviation.finditer(FOOTNOTE.sub("", note.strip(), count=1)):
            short, long_form = m.group("short"), m.group("long").strip()
            if re.search(r"[a-z]{3}", long_form) and not re.search(r"\d", long_form):
                found.setdefault(short, long_form)
    return found


# --- the grid -------------------------------------------------------------------------------------------------


def _grid(table: Table, text: str) -> list[list[str]]:
    """Cells with covered positions filled: from the cell offsets, else header cells carried right and stub
    cells carried down (what a spanning cell would cover)."""
    if table.spans is not None:
        return [[c.strip() for c in row] for row in table.filled(text)]
    grid = [[c.strip() for c in row] for row in table.rows]
    head = table.header_rows or _header_rows(grid)
    for r in range(min(head, len(grid))):
        for c in range(2, len(grid[r])):
            if not grid[r][c] and grid[r][c - 1] and not _is_value(grid[r][c - 1]):
                below = [grid[k][c] for k in range(r + 1, min(head, len(grid)))]
                if any(below) or r == head - 1:
                    grid[r][c] = grid[r][c - 1]
    return grid


def _spans(table: Table, text: str, grid: list[list[str]]) -> list[list[CellSpan | None]]:
    """Each cell's offsets in the text: the table's own, else found in order within the table's text."""
    if table.spans is not None:
        return [list(row) + [None] * (len(grid[0]) - len(row)) for row in table.spans] + [
            [None] * len(grid[0]) for _ in range(len(grid) - len(table.spans))
        ]
    found: list[list[CellSpan | None]] = []
    at = table.start
    for r, row in enumerate(table.rows):
        line: list[CellSpan | None] = []
        for c in range(len(grid[r])):
            cell = row[c].strip() if c < len(row) else ""
            if not cell:
                line.append(None)
                continue
            k = text.find(cell, at, table.end)
            if k < 0:
                line.append(None)
                continue
            line.append((k, k + len(cell)))
            at = k + len(cell)
        found.append(line)
    return found


def _is_value(cell: str) -> bool:
    return read_stat(cell) is not None


def _header_rows(grid: list[list[str]]) -> int:
    """Rows before the first row holding a value outside the first column, or before the first row that only
    has a label (a section row opening the body)."""
    for r, row in enumerate(grid):
        if any(_is_value(c) for c in row[1:]):
            return r
        if r and row[0] and not any(row[1:]):
            return r
    return 0


def _more_header_rows(grid: list[list[str]], head: int) -> int:
    """The marked header and the rows right under it that still label columns: an empty stub cell over labels
    and no value ('| GHSH (n=114) | Control (n=114)' under '| Mean (SD) or n (%)'), as a file's header often
    holds only the upper row."""
    while head < len(grid) - 1:
        row = grid[head]
        if row[0] or not any(row[1:]) or any(_is_value(c) for c in row[1:]):
            break
        head += 1
    return head


def _stub_width(grid: list[list[str]], head: int) -> int:
    """One stub column, or two when the second never holds a value ('Magnesium (mg/dL) | Preoperative | ...')."""
    if len(grid[0]) < TWO_STUB_COLUMNS:
        return 1
    body = [row[1] for row in grid[head:]]
    if not any(body) or any(grid[r][1] for r in range(head)):
        return 1
    if not any(_is_value(c) for c in body):
        return 2
    # 'Magnesium (mg/dL) | Preoperative', then '| 0*', '| 1*' (postoperative days): a column no header labels,
    # before columns every one of which has a label, holding labels too, is a second stub column
    labelled = all(any(grid[r][c] for r in range(head)) for c in range(2, len(grid[0])))
    if labelled and any(c and not _is_value(c) for c in body):
        return 2
    return 1


# --- columns and rows ------------------------------------------------------------------------------------------


def _columns(grid: list[list[str]], spans: list[list[CellSpan | None]], head: int, stub: int) -> list[Column]:
    p = patterns()
    columns: list[Column] = []
    for c in range(stub, len(grid[0])):
        labels: list[str] = []
        label_spans: list[CellSpan | None] = []
        for r in range(head):
            cell = grid[r][c]
            if cell and (not labels or labels[-1] != cell):
                labels.append(cell)
                label_spans.append(spans[r][c])
        joined = " ".join(labels)
        role: ColumnRole = "group"
        effect = any(p.effect_column.search(lab) and label_size(lab) is None for lab in labels)
        if any(p.p_column.search(lab) for lab in labels) and not effect:
            role = "p"
        elif effect:
            role = "effect"  # 'RR [95% CI] or p-value': the effects, a p-value where there is none
        elif any(p.total_column.search(lab) for lab in labels):
            role = "total"
        group, group_span, topic = "", None, None
        for lab, span in zip(labels, label_spans, strict=True):
            if _names_group(lab):
                if group:
                    topic = group if topic is None else f"{topic} {group}"
                group, group_span = lab, span
        n = next((size for size in map(label_size, reversed(labels)) if size is not None), None)
        part: ColumnPart | None = None
        last = labels[-1] if labels else ""
        if columns and role == "group" and columns[-1].group == group and columns[-1].role == "group":
            if p.spread_only.match(last):
                part = "percent" if "%" in last and not re.search(r"CI|SD|SE", last, re.I) else "spread"
            elif p.count_only.match(last):
                part = "count"
        timepoint = next((lab for lab in labels if p.timepoint.search(lab) and not _names_group(lab)), None)
        if timepoint:
            when, colon, printed = timepoint.partition(":")
            if colon and not p.timepoint.search(printed) and not StatHint.of(printed).empty:
                timepoint = when.strip()  # 'Pre: Mean (SE)': what follows the colon is what the cells print
        measure = None
        if p.difference.search(joined):
            measure = "difference"
        elif p.change.search(joined):
            measure = "mean change"
        columns.append(
            Column(
                index=c,
                labels=tuple(labels),
                role=role,
                group=group if role == "group" else ("total" if role == "total" else ""),
                group_span=group_span,
                n=n,
                hint=StatHint.of(joined),
                part=part,
                timepoint=timepoint,
                baseline=bool(timepoint and p.baseline_time.search(timepoint)),
                measure=measure,
                topic=topic if role == "group" or role == "effect" else None,
            )
        )
    return _leading_counts(columns)


def _leading_counts(columns: list[Column]) -> list[Column]:
    """A group's 'N' column right before its value column ('Control Group: N | Mean'): the n of each of that
    column's cells, as a count column after it is."""
    p = patterns()
    out = list(columns)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if (
            a.role == b.role == "group"
            and a.group
            and a.group == b.group
            and a.part is None
            and b.part is None
            and a.labels
            and b.labels
            and p.count_only.match(a.labels[-1])
            and not p.count_only.match(b.labels[-1])
        ):
            out[k] = Column(**{**a.__dict__, "part": "count"})
    return out


def _names_group(label: str) -> bool:
    """A header label that names a study group, not a statistic, a time or a p-value."""
    p = patterns()
    if not re.search(r"[^\W\d_]", arm_patterns().group_size.sub("", label)):
        return False  # 'n = 29' under the group's name
    if p.stat_label.match(label) or p.p_column.search(label):
        return False
    return not (p.timepoint.search(label) and not re.search(r"group|arm|placebo|control", label, re.I))


def _rows(
    grid: list[list[str]], spans: list[list[CellSpan | None]], head: int, stub: int, columns: list[Column]
) -> tuple[list[Row], dict[int, int]]:
    """Value rows with their section label; the group sizes an 'n' row gives per column index."""
    p = patterns()
    rows: list[Row] = []
    n_rows: dict[int, int] = {}
    parent: str | None = None
    carried = ""  # a stub label carried down over rows that leave it empty (a row span)
    restated: tuple[Column, ...] = ()
    for r in range(head, len(grid)):
        row = grid[r]
        again = _restated_columns(row, columns)
        if again is not None:
            restated = again
            if row[0]:
                parent = row[0]  # '**Asthma Knowledge** | Baseline N(%) | 6-Month N (%)': a section too
            continue
        first = row[0]
        if stub == 2:
            if first:
                carried = first
            label = row[1] or first
            own_parent = carried if row[1] else None
        else:
            label, own_parent = first, None
        values = [row[c.index] for c in columns if c.index < len(row)]
        spanning = bool(label) and all(v == label for v in values)  # one cell across the row: a section heading
        if not any(values) or spanning:
            if label:
                parent = label
            continue
        if p.p_column.match(label):
            continue  # a row of within-group p-values
        if p.n_row.match(label) and all(as_count(parse_number(v)) is not None for v in values if v):
            for c in columns:
                count = as_count(parse_number(row[c.index])) if row[c.index] else None
                if count is not None:
                    n_rows[c.index] = count
            continue
        span = spans[r][1] if stub == 2 and row[1] else spans[r][0]
        hint = StatHint.of(label).over(StatHint.of(parent))
        rows.append(Row(r, label, own_parent or parent, span, hint, restated))
    return rows, n_rows


MIN_RESTATED_CELLS = 2


def _restated_columns(row: list[str], columns: list[Column]) -> tuple[Column, ...] | None:
    """A body row that labels the columns again, for the rows below it: 'Baseline N(%) | 6-Month N (%) |
    p-value' under a header of 'Mean at baseline | Mean change at 6 months | P-value' (tables mixing means and
    counts of people, or visits, in one grid). None unless no cell holds a value and at least two group
    columns get a statistic's or a time's label; a p or effect column keeps its own."""
    p = patterns()
    cells = [(c, row[c.index].strip()) for c in columns if c.index < len(row) and row[c.index].strip()]
    if len(cells) < MIN_RESTATED_CELLS or any(_is_value(text) for _, text in cells):
        return None
    restated = []
    for column, text in cells:
        if column.role not in ("group", "total") or column.part is not None or p.p_column.search(text):
            continue
        if StatHint.of(text).empty and not p.timepoint.search(text):
            continue
        labels = (*(lab for lab in column.labels if _names_group(lab)), text)
        joined = " ".join(labels)
        timepoint = text if p.timepoint.search(text) else column.timepoint
        measure = "difference" if p.difference.search(joined) else "mean change" if p.change.search(joined) else None
        restated.append(
            replace(
                column,
                labels=labels,
                hint=StatHint.of(joined),
                timepoint=timepoint,
                baseline=bool(timepoint and p.baseline_time.search(timepoint)),
                measure=measure,
            )
        )
    return tuple(restated) if len(restated) >= MIN_RESTATED_CELLS else None


def _with_row_counts(columns: list[Column], n_rows: dict[int, int]) -> list[Column]:
    if not n_rows:
        return columns
    out = []
    for c in columns:
        if c.n is None and c.index in n_rows:
            c = Column(**{**c.__dict__, "n": n_rows[c.index]})
        out.append(c)
    return out


# --- cells -----------------------------------------------------------------------------------------------------


def _read_cells(read: ReadTable, grid: list[list[str]], spans: list[list[CellSpan | None]]) -> None:
    p_columns = [c for c in read.columns if c.role == "p"]
    for row in read.rows:
        cells = grid[row.index]
        for k, header_column in enumerate(read.columns):
            column = row.column(header_column)
            if column.role in ("p",) or column.part is not None:
                continue
            text = cells[column.index]
            stat = read_stat(text)
            if stat is None:
                continue
            stat = _with_parts(stat, read.columns[k + 1 :], cells, column)
            hint = row.hint.over(column.hint).over(read.hint)
            n = _leading_n(read.columns[:k], column, cells)
            reading = interpret(stat, hint, column.n if n is None else n)
            if n is not None and reading.n is None:
                reading = replace(reading, n=n)  # the group's 'N' cell of this row: the n of this value
            # the p column of the cell's block: the first one right of it, else the last one before it
            nearest = [c for c in p_columns if c.index > column.index] or p_columns[::-1]
            p_value = _row_p(cells, nearest)
            entry = Entry(row, column, reading, text, spans[row.index][column.index], p_value)
            (read.effects if column.role == "effect" else read.entries).append(entry)


def _leading_n(before: list[Column], column: Column, cells: list[str]) -> int | None:
    """The count in the group's 'N' column right before a value column (see `_leading_counts`)."""
    if not before or before[-1].part != "count" or before[-1].group != column.group:
        return None
    stat = read_stat(cells[before[-1].index])
    return as_count(stat.value) if stat is not None and stat.second is None and stat.total is None else None


def _with_parts(stat: Stat, following: list[Column], cells: list[str], column: Column) -> Stat:
    """A value column followed by sub-columns of the same group holding its SD, its n or its %."""
    for sub in following:
        if sub.part is None or sub.group != column.group:
            break
        extra = read_stat(cells[sub.index])
        if extra is None:
            continue
        if sub.part == "spread" and stat.second is None:
            if extra.low is not None:
                stat = Stat(**{**stat.__dict__, "low": extra.low, "high": extra.high})
            else:
                stat = Stat(**{**stat.__dict__, "second": extra.value, "pm": True})
        elif sub.part == "percent" and stat.percent is None:
            stat = Stat(**{**stat.__dict__, "percent": extra.value})
        elif sub.part == "count" and stat.total is None:
            count = as_count(extra.value)
            if count is not None:
                stat = Stat(**{**stat.__dict__, "total": count})
    return stat


def _row_p(cells: list[str], p_columns: list[Column]) -> str | float | None:
    """The row's p-value: the first p column that prints one ('<0.001' kept as text, '0.03' as a float)."""
    for column in p_columns:
        text = re.sub(r"[*†‡§¶]+$", "", cells[column.index].strip())
        text = re.sub(r"^[Pp]\s*(?=[=<>≤≥])", "", text).strip()
        m = re.fullmatch(r"(?P<op>[<>≤≥=])?\s*(?P<num>\d*\.\d+|[01](?:\.0+)?)", text)
        if not m:
            continue
        op = {"≤": "<", "≥": ">"}.get(m.group("op") or "", m.group("op") or "")
        if op in ("", "="):
            value = parse_number(m.group("num"))
            return value
        return f"{op}{m.group('num')}"
    return None
