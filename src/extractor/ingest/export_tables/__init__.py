"""Tables of the Evidence Inference text export, read back into rows and columns.

The export (the text files of jayded/evidence-inference) writes a table as its label and caption run together
("Table 2Baseline demographics ..."), then every cell of the XML table in document order: a body cell (<td>) as a
line of its own, empty cells as empty lines, header cells (<th>) run together with no break at all, up to and
into the first body cell ("CharacteristicsInfusion group(n = 120)Bolus group(n = 120)P-valueAge (years)"); then
each footnote on a line. Row ends and column spans are not written.

Rows are read back from what a results table looks like: a row label (or a label and a sub-label, "Age" |
"Median"), then one cell per column holding a value ("12.3 ± 4.5", "14 (35%)", "-") or nothing. For each column
count the body is read as rows of that many cells (`_rows`): a group label's row has only empty cells after its
label, a rule is one empty cell or a row of them, a row under a label spanning rows starts at the sub-label, a
row a cell short sits under a value spanning rows, a shorter row has values spanning columns. A column no row
fills is no column (an empty line written for a line break in a cell).

Lines before the body are the header. Cells written one per line (<td>): the lowest header row has a cell per
column, the row above it fewer where its cells span columns; they are spread over the columns they group, the
run of labels repeated under each (`_spreads`). Cells run together (<th>, empty ones not written at all) are cut
where cells meet ("group(n = 120)Bolus") and stacked over the columns in one row or two (`_stackings`). The
column count whose rows and header read best together wins; the body's first rows without values may be header
lines, the header's last label a section row. A span is kept as the spanning cell's line at every position it
covers (`Table.spans`: covered positions hold the covering cell's offsets).

When two readings of the header are about as good and put different labels over a column, only what they agree
on is kept (the lower row, or no header row): the rest stays in the text, out of the grid, and so do values whose
columns cannot be told. A misplaced header puts values under the wrong study group, which is worse than none.
After the last row, lines that read as table notes (a note marker, an abbreviation list, "Data are ...", or a
short line that is not a sentence) are the footnotes.

Nothing is read where this is not clear: too few rows, rows that do not fit, or prose among the cells leave the
lines as they are.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from extractor.ingest.cell_values import is_value
from extractor.ingest.clean import SourceLine
from extractor.ingest.sections import export_heading
from extractor.ingest.table_lines import TextTable

# "Table 2Baseline ...", "Table 1.Demographics", "Table\xa03 ..." (the label and the caption run together)
CAPTION = re.compile(r"^\s*(?P<label>Table[\s\u00a0]*(?:\d{1,3}|[IVX]{1,5})[A-Za-z]?\.?)(?=\S|\s+\S)")
_FIGURE = re.compile(r"^\s*(?:Figure|Fig\.?)[\s\u00a0]*\d{1,3}")
_MAX_COLUMNS = 15
_MAX_HEADER_LINES = 60
_MAX_BLOCK = 3000  # lines from a caption to where a table must have ended
_MIN_ROWS = 2
_MIN_PURITY = 0.8
_MAX_LEADING_SECTIONS = 8
# Column counts are weighed with their header: the best few by their rows, within a margin of the best, and a
# header's score weighs this much against the rows' (a header that reads well tells the columns).
_COLUMN_CANDIDATES = 4
_COLUMN_DOUBT = 8.0
_HEADER_WEIGHT = 2.0
_UNREAD_EVIDENCE = -1.0  # a header that cannot be read at all: weak evidence against the column count
_EMPTY_COLUMN = 0.05  # per row, for a column no body row fills (left out of the grid: a line break in cells)
_PROSE_WORDS = 25
# A footnote: a marker first ("*", "†", "a.", "aBased on", "1No"), or a note's opening words, or an abbreviation
# list ("CI, confidence interval; HR, ...", "HOMA-IR homeostasis model ...").
_NOTE_MARKER = re.compile(r"^\s*(?:[*†‡§¶#^∗]|\(?[a-z]\)|[a-z][.)]\s|[a-z](?=[A-Z])|\d[.)]?(?=[A-Z]))")
_NOTE_OPENER = re.compile(
    r"(?i)^\s*(?:abbreviations?|definitions?|notes?\b|data (?:are|were|is|represent)|values (?:are|were)|"
    r"results (?:are|were)|all (?:values|data)|numbers (?:are|in)|n\s*=|p\s*[<=>]|ns\b|source\b|-\s)"
)
_ABBREVIATION = re.compile(r"^\s*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*,?\s+[a-z]")
_DEFINITIONS = re.compile(r"\b[A-Z]{2,}[A-Za-z0-9-]*\s*[:=,]\s")
# Where header cells run together: a lower-case letter, a closing bracket, a percent sign or a note mark, then a
# capital; a no-break space before a capital (an empty cell, written as one).
_HEADER_JOIN = re.compile(r"(?<=[a-z)\]%†‡§¶])(?=[A-Z])|(?<=\))(?=[a-z])|(?<=\S)(?=\xa0[A-Z])")
# Where cells may meet, tried when the first kind of cut gives too few cells: a number (a group size, a footnote
# number) then a capital, a p-value column's header run onto the cell before it ("groupp value"), a p-value
# column headed "P" run into the first row label ("PMale"), capitals then a word ("95% CIBaseline"), a closing
# bracket then an opening one or a number ("(N = 39)(N = 39)", "(n = 11)2 g/day"), a word then a percentage or
# a time ("Change95% CI", "Baseline12 weeks").
_HEADER_JOIN_WEAK = re.compile(
    r"(?<=\d)(?=[A-Z])|(?<=[a-z\d)])(?=[pP][- ]?values?(?![a-z]))|(?:(?<=^[Pp])|(?<=\)[Pp]))(?=[A-Z][a-z])"
    r"|(?<=[A-Z])(?=[A-Z][a-z]{2,})|(?<=\))(?=[(\d])"
    r"|(?<=[a-z])(?=\d+\s*(?:%|weeks?|wk|months?|mo|days?|years?|hours?|h)(?![a-z]))"
)
_MARKER_PIECE = re.compile(r"^[a-z*†‡§¶#]{1,2}$")  # a footnote marker cut off its header cell ("(n = 20)" "a")
_WORD_HEAD = re.compile(r"^\s*[A-Z][a-z]{1,2}$")  # "Hb" of "HbA1c": a piece too short to be a cell
_SMALL_INTEGER = re.compile(r"^\s*\d{1,3}\s*$")


def is_export(lines: list[SourceLine]) -> bool:
    """The text is the Evidence Inference export: it opens with "TITLE:" or has its section headings."""
    head = [line.text for line in lines[:400] if line.text.strip()]
    return bool(head) and (head[0].strip() == "TITLE:" or sum(export_heading(t) is not None for t in head) >= 2)


@dataclass
class _Fit:
    columns: int
    body: int  # index (into the cells) where the body starts
    rows: list[_Row]
    score: float
    stub: int = 1  # columns of row labels: 2 when a second one holds sub-labels ("Age" | "Median" | values)
    # columns no body row fills: no columns (an empty line the export wrote for a line break in a cell)
    dropped: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return self.columns - len(self.dropped)

    def kept(self, row: list[SourceLine | None]) -> list[SourceLine | None]:
        return [cell for c, cell in enumerate(row) if c not in self.dropped]


class _Row(NamedTuple):
    """A body row: its first cell's index, how many cells it has, and the column of its first cell (1: a row
    whose label is the one above it, spanning both; the export writes a spanning cell once)."""

    start: int
    width: int
    column: int = 0

    @property
    def end(self) -> int:
        return self.start + self.width


def read_export_table(lines: list[SourceLine], at: int) -> tuple[list[SourceLine], TextTable, int] | None:
    """The table whose caption line is lines[at]: (the lines it took, with table roles and one line per cell; the
    table, indexing those lines; how many source lines it took), or None when its cells cannot be read."""
    caption = lines[at]
    if not CAPTION.match(caption.text):
        return None
    end = at + 1
    while end < len(lines) and end - at < _MAX_BLOCK:
        text = lines[end].text
        if export_heading(text) is not None or CAPTION.match(text) or _FIGURE.match(text):
            break
        end += 1
    cells = lines[at + 1 : end]
    kinds = "".join(_kind(line.text) for line in cells)  # one letter per line (`_kind`)
    texts = [line.text for line in cells]
    fits = _fits_by_score(kinds)
    if not fits:
        return None
    chosen: tuple[float, _Fit, _Header] | None = None
    for fit in fits[:_COLUMN_CANDIDATES]:  # the column counts whose rows read best, weighed with their header
        if fit.score < fits[0].score - _COLUMN_DOUBT:
            break
        fit, header = _with_header(cells, kinds, fit, _body(texts, kinds, fit))
        total = fit.score + _HEADER_WEIGHT * (header.score if header.rows else _UNREAD_EVIDENCE)
        if chosen is None or total > chosen[0] + 1e-9:
            chosen = (total, fit, header)
    assert chosen is not None
    _, fit, header = chosen
    first_label, left_out = header.label, header.left_out
    out: list[SourceLine] = [SourceLine(caption.text, caption.start, caption.page, "table_caption")]
    for line in left_out:  # header cells that could not be placed over their columns: in the text, not the grid
        out.append(SourceLine(line.text, line.start, line.page, "table"))
    grid: list[list[int | None]] = []
    placed: dict[int, int] = {}  # id of a cell's line -> its index in `out` (a spanning cell is one line)

    def add_row(row: list[SourceLine | None]) -> bool:
        indexes: list[int | None] = []
        opened = False
        for line in row:
            if line is None or not line.text.strip():
                indexes.append(None)
            elif id(line) in placed:
                indexes.append(placed[id(line)])
            else:
                out.append(SourceLine(line.text, line.start, line.page, "table_cell" if opened else "table"))
                opened = True
                placed[id(line)] = len(out) - 1
                indexes.append(len(out) - 1)
        if opened:
            grid.append(indexes + [None] * (fit.width - len(indexes)))
        return opened

    header_rows = sum(add_row(head) for head in header.rows)
    if first_label is not None and fit.body > 0:  # a section row's label the header ran into
        add_row([first_label])
    groups = _groups(header.rows, fit.stub)
    label_above: SourceLine | None = None
    last_above: SourceLine | None = None  # the last cell of the row above, when it has one
    for k, body_row in enumerate(fit.rows):
        row: list[SourceLine | None] = list(cells[body_row.start : body_row.end])
        if k == 0 and first_label is not None and fit.body == 0:
            row[0] = first_label
        if body_row.column:
            row = [label_above, *row]  # a row label spanning this row too
        elif row[0] is not None and row[0].text.strip():
            label_above = row[0]
        if body_row.column == 0 and body_row.width == fit.columns - 1 and last_above is not None:
            row = fit.kept([*row, last_above])  # the last cell of the row above spans this row too (a p-value)
        elif header.rows and body_row.column == 0 and 1 < body_row.width < fit.columns:  # spanning: which columns?
            if len(groups) != body_row.width - 1:
                out.extend(
                    SourceLine(line.text, line.start, line.page, "table_cell" if i else "table")
                    for i, line in enumerate(line for line in row if line is not None and line.text.strip())
                )  # no telling: in the text, out of the grid
                continue
            spread: list[SourceLine | None] = [row[0], *[None] * (fit.width - 1)]
            for (a, b), value in zip(groups, row[1:], strict=True):
                spread[a:b] = [value] * (b - a)
            row = spread
        else:
            row = fit.kept(row)
        if body_row.width + body_row.column == fit.columns:
            last_above = row[-1] if row[-1] is not None and row[-1].text.strip() else None
        add_row(row)
    last = fit.rows[-1].end
    notes: list[int] = []
    for line in cells[last:]:
        if not _is_note(line.text):
            break
        out.append(SourceLine(line.text, line.start, line.page, "table"))
        notes.append(len(out) - 1)
        last += 1
    return out, TextTable(caption=0, cells=grid, header_rows=header_rows, notes=notes), 1 + last


def _groups(header: list[list[SourceLine | None]], stub: int) -> list[tuple[int, int]]:
    """The columns [a, b) each cell of the top header row spans right of the row labels, when that row groups
    columns (a cell over two or more): a row of fewer values than columns gives one value to each group."""
    if len(header) < 2:
        return []
    top, runs, c = header[0], [], stub
    while c < len(top):
        d = c + 1
        while d < len(top) and top[d] is not None and top[d] is top[c]:
            d += 1
        runs.append((c, d))
        c = d
    return runs if any(b - a > 1 for a, b in runs) else []


def _kind(text: str) -> str:
    """E: empty; V: a value; P: prose (a long sentence, never a cell); I: a small integer; T: other text."""
    if not text.strip():
        return "E"
    if len(text.split()) >= _PROSE_WORDS and text.rstrip().endswith("."):
        return "P"
    if _SMALL_INTEGER.match(text):
        return "I"
    return "V" if is_value(text) else "T"


def _fits_by_score(kinds: str) -> list[_Fit]:
    """The body read with each column count (and one or two columns of row labels), best first."""
    fits = [
        fit
        for columns in range(2, _MAX_COLUMNS + 1)
        for stub in (1, 2)
        if (stub == 1 or columns >= 4) and (fit := _rows(kinds, columns, stub)) is not None
    ]
    return sorted(fits, key=lambda f: (-f.score, f.columns, f.stub))


def _with_header(cells: list[SourceLine], kinds: str, fit: _Fit, body: _Body) -> tuple[_Fit, _Header]:
    """The header read from the lines before the body. Where the body starts is weighed with how the header then
    reads: rows without values opening the body may be header lines (a group label's row holds no values either),
    and the header's last line, a label (with the empty cells after it), may be a section row opening the body."""
    header = _header(cells, fit, body)
    for skip in range(1, _MAX_LEADING_SECTIONS + 1):
        if skip >= len(fit.rows) or any(k in "VI" for k in kinds[fit.rows[skip - 1].start : fit.rows[skip - 1].end]):
            break
        later = replace(fit, body=fit.rows[skip].start, rows=fit.rows[skip:])
        other = _header(cells, later, body)
        if other.score > header.score + 1e-9:
            fit, header = later, other
    if fit.body == fit.columns - 1 and _joined(cells[0].text):  # header cells run into a row's label, its cells
        opened = replace(fit, body=0, rows=[_Row(0, fit.columns), *fit.rows])
        other = _header(cells, opened, body)
        if other.score > header.score + 1e-9:
            fit, header = opened, other
    label = fit.body
    while label > 0 and kinds[label - 1] == "E":
        label -= 1
    label -= 1
    if label >= 2 and kinds[label] == "T" and fit.body - label - 1 in (0, fit.width - 1):  # alone, or its row
        earlier = replace(fit, body=label, rows=[_Row(label, fit.body - label), *fit.rows])
        other = _header(cells, earlier, body)
        if other.score > header.score + 1e-9:
            fit, header = earlier, other
    return fit, header


def _rows(kinds: str, columns: int, stub: int = 1) -> _Fit | None:
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
    back: list[_Row | None] = [None] * (n + 1)  # the row ending here
    for i in range(starts + 1):
        best[i] = 0.0
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        moves: list[tuple[_Row, float]] = []
        if i + columns <= n and _fits(kinds[i : i + columns], stub):
            moves.append((_Row(i, columns), _row_score(kinds[i : i + columns], stub)))
        covered = "E" + kinds[i : i + columns - 1]
        spanned = stub == 2 and kinds[i] == "T" and _sub_labelled(back[i], kinds, columns)
        if spanned and i + columns - 1 <= n and _fits(covered, 2):  # under a label spanning rows: worth less
            moves.append((_Row(i, columns - 1, 1), _row_score(covered, 2) - 0.6))
        for m in range(2, (columns - (stub == 2)) if kinds[i] == "T" else 2):  # a label, then values only
            if i + m <= n and _fits(kinds[i : i + m], 1, partial=True):
                moves.append((_Row(i, m), _row_score(kinds[i : i + m], 1) - 0.5))
        if kinds[i] == "T":
            moves.append((_Row(i, 1), -0.25))
        elif kinds[i] == "E":
            moves.append((_Row(i, 1), -0.05))  # a rule across the table: one empty cell
        for row, score in moves:
            if best[row.end] is None or here + score > best[row.end]:  # type: ignore[operator]
                best[row.end], back[row.end] = here + score, row
    end = max(range(n + 1), key=lambda k: (best[k] if best[k] is not None else float("-inf"), k))
    rows: list[_Row] = []
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
    return _Fit(columns, rows[0].start, rows, score, stub, empty if columns - len(empty) >= 2 else ())


def _sub_labelled(row: _Row | None, kinds: str, columns: int) -> bool:
    """The row has a label and a sub-label (or goes on under a label above): a label spanning rows may go on."""
    if row is None:
        return False
    return row.column == 1 or (row.width == columns and kinds[row.start] == "T" and kinds[row.start + 1] == "T")


def _column(rows: list[_Row], c: int) -> list[int]:
    """The cells (indexes) of column `c` in these rows."""
    return [row.start + c - row.column for row in rows if row.column <= c < row.column + row.width]


def _purity(kinds: str, rows: list[_Row], columns: int, stub: int) -> float:
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


# Header rows (a cell spanning columns: the same line at each position it covers), the first body row's label
# where the header ran into it (or a section row's label, when the body starts after the header's line), and
# header lines left out of the grid (their columns could not be told).
class _Header(NamedTuple):
    rows: list[list[SourceLine | None]]
    label: SourceLine | None
    left_out: list[SourceLine]
    score: float  # how well the header reads (0: as headers usually do; lower: doubts, left-out lines)


_UNREAD = -3.0  # the score of a header whose lines could not be placed
_NO_HEADER = -2.0  # the score of no header lines at all (a table without column headers is rare)


@dataclass(frozen=True)
class _Body:
    """What the body rows tell the header: how many leading columns hold row labels, which columns hold values,
    which hold only p-values."""

    stub: int
    valued: list[bool]
    p_values: list[bool]


_P_VALUE = re.compile(r"(?i)^\s*(?:p\s*)?(?:[<>=≤≥]\s*)?(?:0?\.\d+|1(?:\.0+)?)\s*[*†‡§a-e]{0,3}\s*$|^\s*n\.?s\.?\s*$")


_NO_VALUE = re.compile(r"^\s*(?:[-−–—]+|NA|NR|N/A|ND|NE)\s*$")


def _body(texts: list[str], kinds: str, fit: _Fit) -> _Body:
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
    return _Body(fit.stub, [valued[c] for c in kept], [p_values[c] for c in kept])


def _header(cells: list[SourceLine], fit: _Fit, body: _Body) -> _Header:
    """The header rows, from the lines before the body. Header cells written one per line (<td> in the source's
    <thead>): the lowest header row has a cell per column; the row above it has fewer cells where a cell spans
    columns, and is spread over the columns its labels group (`_spreads`); rows of empty cells (rules) are
    skipped. When two readings are about as good and put different labels over a column, only what they agree on
    is kept (the lower row, or no header row), the rest of the header stays in the text, out of the grid."""
    columns = fit.width
    if fit.body == 0:
        return _joined_header(cells[0], columns, body, with_label=True)
    if fit.body == 1 and columns > 2 and cells[0].text.strip():  # header cells run together, then a section row?
        return _joined_header(cells[0], columns, body, with_label=None)
    lines = cells[: fit.body]
    texts = [line.text.strip() for line in lines]
    trailing = 0
    while trailing < len(texts) and not texts[len(texts) - 1 - trailing]:
        trailing += 1
    # (score, lower row's end, upper row cells with their widths, lines left out)
    readings: list[tuple[float, int, list[tuple[SourceLine | None, int]], list[SourceLine]]] = []
    for skip in range(trailing + 1):  # empty lines at the end: a rule row, or the lower row's last cells
        end = len(lines) - skip
        if end < columns or not any(texts[end - columns + body.stub : end]):
            continue  # a lower row labels columns of values (a row with a label alone is a section's)
        lower = texts[end - columns : end]
        if any(map(_joined, lower)):
            continue  # header cells run together are no cell of a row
        core = lines[: end - columns]
        while core and not core[-1].text.strip():
            core.pop()
        while core and not core[0].text.strip() and len(core) > columns:
            core.pop(0)  # a rule row above the header
        extra = end - columns - len(core)  # empty lines after the upper row: its last cells, or a rule row
        if not any(line.text.strip() for line in core):
            readings.append((_unlabelled(lower, [""] * columns, body) - 0.01 * skip, end, [], []))
            continue
        if len(core) > columns:  # more than one row above the lower one: only the lower row is read
            left_out = [line for line in core if line.text.strip()]
            readings.append((_unlabelled(lower, [""] * columns, body) - 1 - 0.01 * skip, end, [], left_out))
            continue
        left_out = [line for line in core if line.text.strip()]
        readings.append((_unlabelled(lower, [""] * columns, body) - 1 - 0.01 * skip, end, [], left_out))
        upper = [line.text.strip() for line in core]
        if any(map(_joined, upper)):
            continue
        for score, widths in _spreads(upper, columns - len(core), min(extra, columns - len(core)), lower, body):
            row: list[tuple[SourceLine | None, int]] = [
                (line if line.text.strip() else None, width) for line, width in zip(core, widths, strict=False)
            ]
            row += [(None, 1)] * (len(widths) - len(core))
            readings.append((score - 0.01 * skip, end, row, []))
    if not readings:  # fewer header lines than columns: their columns cannot be told
        return _Header([], None, [line for line in lines if line.text.strip()], _UNREAD if lines else _NO_HEADER)
    readings.sort(key=lambda r: -r[0])
    best = readings[0]
    close = [r for r in readings if best[0] - r[0] < _SPREAD_MARGIN]
    shown = {_shown(lines, r[1], columns, r[2]) for r in close}
    lower_row: list[SourceLine | None] = [
        line if line.text.strip() else None for line in lines[best[1] - columns : best[1]]
    ]
    if len(shown) == 1:
        upper_row = [line for line, width in best[2] for _ in range(width)]
        return _Header(([upper_row] if upper_row else []) + [lower_row], None, best[3], best[0])
    above = [line for line in lines[: best[1] - columns] if line.text.strip()]
    if len({r[1] for r in close}) == 1:
        return _Header([lower_row], None, above, best[0] - 1)
    return _Header([], None, [line for line in lines if line.text.strip()], _UNREAD)


def _shown(
    lines: list[SourceLine], end: int, columns: int, upper: list[tuple[SourceLine | None, int]]
) -> tuple[tuple[str, ...], ...]:
    """What a reading puts over each column: its header labels top to bottom."""
    tops = [line.text.strip() if line else "" for line, width in upper for _ in range(width)] or [""] * columns
    return tuple((top, line.text.strip()) for top, line in zip(tops, lines[end - columns : end], strict=True))


# A lower header label that is no study group: a p-value, a total, an effect or difference between groups.
_STAT_HEADER = re.compile(
    r"(?i)^\s*(?:p\b|p[- ]?values?|sig(?:nificance|\.)?\b)|\b(?:p[- ]?values?|total|overall|difference|diff\.|"
    r"ratio|effect|versus|vs\.?|95\s*%|CI)\b"
)
_STUB_SIZED = 2.0  # a group size ("n = 40") over the row labels: a group's header put in the wrong column
_P_HEADER = re.compile(r"(?i)^\s*(?:p|p[- ]?values?|sig(?:nificance|\.)?)\b")
_SPREAD_MARGIN = 0.5


def _spreads(upper: list[str], spare: int, extra: int, lower: list[str], body: _Body) -> list[tuple[float, list[int]]]:
    """The ways an upper header row's cells (`upper`, "" for an empty one) may span the columns of the lower
    row, each with its score: `spare` columns more than cells, of which up to `extra` may be empty cells after
    the last (the export writes a row's trailing empty cells and rule rows alike). Empty cells span one column;
    the labels share the rest.

    A label spans the columns it groups: labelled columns (a column without a label of its own takes its label
    from the row above), the same run of labels repeated under each of its neighbours ("Losartan | Telmisartan"
    under "Baseline" and again under "End of treatment"), rarely a p-value or total column among group columns;
    a stub header spans only the row-label columns; a label followed by an empty cell over a labelled column
    would rather span it; every column holding values should end up with a label."""
    out: list[tuple[float, list[int]]] = []
    labels = [k for k, t in enumerate(upper) if t]
    for trailing in range(extra + 1):
        share = spare - trailing
        for split in _compositions(share, len(labels)):
            widths = [1] * len(upper) + [1] * trailing
            for k, more in zip(labels, split, strict=True):
                widths[k] += more
            out.append((_spread_score([*upper, *[""] * trailing], widths, lower, body), widths))
    return out


def _compositions(total: int, parts: int) -> list[list[int]]:
    """Every way to share `total` among `parts` (each part 0 or more)."""
    if parts == 0:
        return [[]] if total == 0 else []
    if parts == 1:
        return [[total]]
    return [[first, *rest] for first in range(total + 1) for rest in _compositions(total - first, parts - 1)]


def _spread_score(upper: list[str], widths: list[int], lower: list[str], body: _Body) -> float:
    keys = [_label_key(t) for t in lower]
    stat = [bool(t) and bool(_STAT_HEADER.search(t)) for t in lower]
    spans = list(itertools.pairwise(list(itertools.accumulate([0, *widths]))))
    score = 0.0
    for k, (a, b) in enumerate(spans):
        label = upper[k]
        if not label:
            left = upper[k - 1] if k else ""
            if left and a >= body.stub and lower[a] and lower[a - 1] and (stat[a - 1] or not stat[a]):
                score -= 1  # the label to its left would rather span this column (unless groups end here)
            continue
        if a < body.stub:
            score -= 3 if b > body.stub else 0  # a stub header spans only the row-label columns
            continue
        if b - a == 1:
            continue
        score -= 3 * sum(1 for c in range(a, b) if not lower[c])
        if not all(stat[a:b]):
            score -= sum(stat[a:b])
        if _P_HEADER.match(label):
            score -= 2 * (b - a - 1)
        if all(_SIZE_ONLY.match(t) for t in lower[a:b]):
            score -= b - a - 1  # a group's size under each group: a label over several sizes groups groups
        if any(
            upper[j] and _label_key(upper[j]) != _label_key(label) and (d - c) == (b - a) and keys[c:d] == keys[a:b]
            for j, (c, d) in enumerate(spans)
        ):
            score += 1
    return score + _unlabelled(lower, [upper[k] for k, (a, b) in enumerate(spans) for _ in range(a, b)], body)


def _unlabelled(lower: list[str], upper: list[str], body: _Body) -> float:
    """Penalties for how the labels sit on the body: a column holding values that no header label reaches, a
    group size over the row labels; a p-value's header over p-values or not (`_p_fit`)."""
    score = -float(sum(1 for c, v in enumerate(body.valued) if v and not lower[c] and not upper[c]))
    score -= _STUB_SIZED * sum(1 for c in range(body.stub) if _GROUP_SIZE.search(lower[c] + " " + upper[c]))
    for row in (lower, upper):  # over the row labels: one header at most (a group's label belongs right of them)
        score -= _STUB_SIZED * max(0, len({t for t in row[: body.stub] if t}) - 1)
    return score + sum(_p_fit(lower[c], body, c) for c in range(body.stub, len(lower)) if lower[c])


@functools.lru_cache(maxsize=4096)
def _is_stat(label: str) -> bool:
    return bool(label) and bool(_STAT_HEADER.search(label))


@functools.lru_cache(maxsize=4096)
def _is_p(label: str) -> bool:
    return bool(_P_HEADER.match(label))


@functools.lru_cache(maxsize=4096)
def _sized(label: str) -> bool:
    return bool(_GROUP_SIZE.search(label))


def _p_fit(label: str, body: _Body, column: int) -> float:
    """A p-value's header over a column of p-values reads well; over other values, or other labels over
    p-values, less so."""
    p_label = _is_p(label)
    return 0.5 if p_label and body.p_values[column] else -0.5 if p_label != body.p_values[column] else 0.0


@functools.lru_cache(maxsize=4096)
def _label_key(text: str) -> str:
    """A header label without its numbers (group sizes, footnote numbers): what repeats under each group."""
    return re.sub(r"[\W\d_]+", " ", re.sub(r"\(\s*[nN]\s*=\s*[\d,]+\s*\)", "", text)).strip().lower()


def _joined_header(line: SourceLine, columns: int, body: _Body, with_label: bool | None) -> _Header:
    """Header cells run together (<th> cells, written without breaks), with the first row's label at the end when
    `with_label` (None: perhaps, a section row's label): cut where cells meet (the surer cuts, then the weaker
    ones too) and stacked over the columns (`_stackings`). Kept when one reading is clearly best, else left as
    one piece of text."""
    text = line.text
    strong = [m.start() for m in _HEADER_JOIN.finditer(text)]
    weak = sorted(set(strong) | {m.start() for m in _HEADER_JOIN_WEAK.finditer(text)})
    readings: list[tuple[float, list[list[SourceLine | None]], SourceLine | None]] = []
    labelled = (True, False) if with_label is None else (with_label,)
    for cuts in (strong, weak) if weak != strong else (strong,):
        doubt = _WEAK_CUT * (len(cuts) - len(strong))
        for take in labelled:
            pieces = _pieces(line, cuts, whole_words=cuts is strong)
            label = pieces.pop() if take and len(pieces) > 1 else None
            if not pieces or len(pieces) > 2 * columns or (take and label is None) or any(map(_glued, pieces)):
                continue
            for score, rows in _stackings(pieces, columns, body):
                readings.append((score - doubt, rows, label))
    if not readings:  # the first row's label still ends the line
        pieces = _pieces(line, weak, whole_words=False)
        label = pieces[-1] if with_label and len(pieces) > 1 else None
        return _Header([], label, _before(line, label), _UNREAD)
    readings.sort(key=lambda r: (-r[0], len(r[1])))
    best = readings[0]
    close = {(_paths(r[1]), r[2] is None) for r in readings if best[0] - r[0] < _SPREAD_MARGIN}
    if len(close) > 1:
        return _Header([], best[2], _before(line, best[2]), _UNREAD)
    return _Header(best[1], best[2], [], best[0])


_GROUP_SIZE = re.compile(r"\b[nN]\s*=\s*\d")


def _joined(text: str) -> bool:
    """Header cells run together (a <th> row written without breaks): where one cell meets another, twice."""
    return len(_HEADER_JOIN.findall(text)) >= 2


_SIZE_ONLY = re.compile(r"^\s*[(\[]?\s*[nN]\s*=\s*[\d,]+\s*[)\]]?\s*$")


def _glued(piece: SourceLine) -> bool:
    """A piece that still holds several cells: two group sizes, or one text written twice or more."""
    text = piece.text.strip()
    return len(_GROUP_SIZE.findall(text)) > 1 or bool(re.fullmatch(r"(.{2,}?)\1+", text))


def _before(line: SourceLine, label: SourceLine | None) -> list[SourceLine]:
    """The header text of a line that runs into the first row label."""
    if label is None:
        return [line]
    return [SourceLine(line.text[: label.start - line.start], line.start, line.page)]


def _paths(rows: list[list[SourceLine | None]]) -> tuple[tuple[str, ...], ...]:
    """Each column's header labels top to bottom, a label spanning rows once."""
    paths = []
    for c in range(len(rows[0]) if rows else 0):
        path: list[str] = []
        for row in rows:
            cell = row[c].text.strip() if row[c] is not None else ""  # type: ignore[union-attr]
            if cell and (not path or path[-1] != cell):
                path.append(cell)
        paths.append(tuple(path))
    return tuple(paths)


_MAX_STACKINGS = 20000
_MAX_BLANK_COLUMNS = 2  # columns right of the row labels without a header cell in a reading
_WEAK_CUT = 0.25  # what a reading pays for each of the less sure cuts it needed


def _stackings(
    pieces: list[SourceLine], columns: int, body: _Body
) -> list[tuple[float, list[list[SourceLine | None]]]]:
    """The ways header cells written one after another (empty ones not written) stand over `columns` columns, in
    one row or two, each with its score. Two rows: the upper row's cells each group a run of the lower row's
    labels (`_spread_score`'s reasons) or stand alone over a column of their own (a cell spanning both rows, as
    "Characteristic" or "P value" often do); a column may have no label in either row."""
    found: list[tuple[float, tuple[tuple[str, int, int], ...], int]] = []
    budget = [_MAX_STACKINGS]
    for split in range(len(pieces)):
        upper, lower = pieces[:split], pieces[split:]
        if len(lower) <= columns and len(upper) <= columns:
            stack = _Stack(upper, lower, columns, body, [], budget)
            _walk(stack, [], 0, 0)
            found += [(score, placed, split) for score, placed in stack.out]
    if budget[0] <= 0:
        return []  # too many ways to stand: none is clearly the one
    return [(score, _stacked(pieces[:split], pieces[split:], placed)) for score, placed, split in found]


@dataclass
class _Stack:
    upper: list[SourceLine]
    lower: list[SourceLine]
    columns: int
    body: _Body
    out: list[tuple[float, tuple[tuple[str, int, int], ...]]]
    budget: list[int]


def _walk(stack: _Stack, placed: list[tuple[str, int, int]], i: int, j: int) -> None:
    """Every placement of the header cells from upper[i] and lower[j] on over the columns from len(placed) on.
    Per column: ("", -1, -1) nothing; ("L", -1, j) a lower label; ("U", i, -1) an upper cell over both rows;
    ("G", i, j) an upper cell grouping lower label j (a group spans its consecutive columns)."""
    if stack.budget[0] <= 0:
        return
    stack.budget[0] -= 1
    c = len(placed)
    left = stack.columns - c
    if len(stack.lower) - j > left or len(stack.upper) - i > left:
        return
    if c == stack.columns:
        if i == len(stack.upper) and j == len(stack.lower) and (not stack.upper or any(k == "G" for k, _, _ in placed)):
            stack.out.append((_stacking(stack.upper, stack.lower, placed, stack.body), tuple(placed)))
        return
    body = stack.body
    if c < body.stub or (
        (body.p_values[c] or not body.valued[c])
        and sum(1 for k, _, _ in placed[body.stub :] if not k) < _MAX_BLANK_COLUMNS
    ):  # no header cell: over the row labels, p-values, a column without values
        _walk(stack, [*placed, ("", -1, -1)], i, j)
    if j < len(stack.lower):
        _walk(stack, [*placed, ("L", -1, j)], i, j + 1)
    if i < len(stack.upper):
        _walk(stack, [*placed, ("U", i, -1)], i + 1, j)
        for width in range(1, min(left, len(stack.lower) - j) + 1):
            _walk(stack, placed + [("G", i, j + k) for k in range(width)], i + 1, j + width)


def _stacked(
    upper: list[SourceLine], lower: list[SourceLine], placed: tuple[tuple[str, int, int], ...]
) -> list[list[SourceLine | None]]:
    """A placement of header cells as header rows (one, or two when an upper cell stands in it)."""
    top: list[SourceLine | None] = []
    bottom: list[SourceLine | None] = []
    for kind, i, j in placed:
        top.append(upper[i] if kind in ("U", "G") else None)
        bottom.append(lower[j] if kind in ("L", "G") else (upper[i] if kind == "U" else None))
    return [top, bottom] if any(top) else [bottom]


def _stacking(
    upper: list[SourceLine], lower: list[SourceLine], placed: list[tuple[str, int, int]], body: _Body
) -> float:
    """How well a placement of header cells over the columns reads."""
    columns = len(placed)
    labels = [
        lower[j].text.strip() if kind in ("L", "G") else upper[i].text.strip() if kind == "U" else ""
        for kind, i, j in placed
    ]
    groups = [upper[i].text.strip() if kind == "G" else "" for kind, i, _ in placed]
    score = 0.0
    for c, (kind, i, _) in enumerate(placed):
        if kind == "":
            if c >= body.stub:
                score -= 0.25 if body.p_values[c] else 1.0
        elif kind == "U" and c and (c < body.stub or not _is_stat(upper[i].text.strip())):
            score -= 0.5  # a cell over both rows: mostly the stub's header, a p-value's, a total's
    # groups: runs of columns under one upper cell
    runs: list[tuple[int, int, str]] = []
    c = 0
    while c < columns:
        kind, i, _ = placed[c]
        if kind != "G":
            c += 1
            continue
        d = c
        while d < columns and placed[d][0] == "G" and placed[d][1] == i:
            d += 1
        runs.append((c, d, groups[c]))
        c = d
    score += _group_score(runs, labels, body)
    for a, b, _ in runs:  # a label next to a group, repeated next to another: the groups should have taken it
        for c, d, _ in runs:
            if (c, d) != (a, b) and d - c == b - a:
                for x, y in ((a - 1, c - 1), (b, d)):
                    if 0 <= x < columns and 0 <= y < columns and placed[x][0] == placed[y][0] == "L":
                        score -= 2 if _label_key(labels[x]) == _label_key(labels[y]) else 0
    grouped = {_label_key(labels[c]) for c, (kind, _, _) in enumerate(placed) if kind == "G"}
    for c, (kind, _, _) in enumerate(placed):
        if kind == "L" and c >= body.stub and _label_key(labels[c]) in grouped:
            score -= 1  # a label repeated under each group stands under a group here too
        if labels[c] and c >= body.stub:
            score += _p_fit(labels[c], body, c)
        elif c < body.stub and (_sized(labels[c]) or _sized(groups[c])):
            score -= _STUB_SIZED
    if any(kind in ("U", "G") for kind, _, _ in placed):
        score -= 0.5  # two header rows where one would do need a reason: labels grouped, cells left over
    return score


def _group_score(runs: list[tuple[int, int, str]], lower: list[str], body: _Body) -> float:
    """Upper labels over runs of lower labels [a, b): the reasons of `_spread_score`."""
    keys = [_label_key(t) for t in lower]
    stat = [_is_stat(t) for t in lower]
    score = 0.0
    for a, b, label in runs:
        if a < body.stub:
            score -= 3 if b > body.stub else 1  # over the row labels' header: rather a cell of its own
            continue
        if b - a == 1:
            continue
        score -= 3 * sum(1 for c in range(a, b) if not lower[c])
        if _P_HEADER.match(label):
            score -= 2 * (b - a - 1)
        if all(_SIZE_ONLY.match(t) for t in lower[a:b]):
            score -= b - a - 1
        if any(
            _label_key(other) != _label_key(label) and (d - c) == (b - a) and keys[c:d] == keys[a:b]
            for c, d, other in runs
        ):
            score += 1  # (a p-value column repeated in each group belongs to it)
        elif not all(stat[a:b]):
            score -= sum(stat[a:b])
    return score


def _pieces(line: SourceLine, cuts: list[int], whole_words: bool = True) -> list[SourceLine]:
    """The line cut at `cuts`; a footnote marker cut off its cell stays with it, and with `whole_words` so does a
    capital and one or two letters cut off the rest of its word ("HbA1c", "VigRX", "EoT")."""
    text = line.text
    pieces: list[SourceLine] = []
    glue = False  # the last piece is a word's head
    for a, b in itertools.pairwise([0, *cuts, len(text)]):
        if not text[a:b].strip():
            continue
        if pieces and (glue or _MARKER_PIECE.match(text[a:b].strip())):
            last = pieces[-1]
            pieces[-1] = SourceLine(text[last.start - line.start : b], last.start, line.page)
        else:
            pieces.append(SourceLine(text[a:b], line.start + a, line.page))
        glue = whole_words and bool(_WORD_HEAD.match(text[a:b]))
    return pieces


def _is_note(text: str) -> bool:
    if not text.strip() or export_heading(text) is not None:
        return False
    if _NOTE_MARKER.match(text) or _NOTE_OPENER.match(text) or _ABBREVIATION.match(text):
        return True
    if len(_DEFINITIONS.findall(text)) >= 2:
        return True
    sentence = len(text.split()) >= 6 and text.rstrip().endswith(".")
    return len(text) < 150 and not sentence
