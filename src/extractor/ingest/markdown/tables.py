"""Pandoc's tables read into rows of cells: simple tables (columns under a rule of dash groups; a line
continuing the cells of the line above is part of that row), multiline tables (rows between blank lines, inside
full-width rules), grid tables (`+---+`) and pipe tables. Header rows are those the markup marks (the rule under
a pipe table's header row, a grid table's `+===+`, the lines above a simple table's rule), in a simple table more
where its values start later (`layout_header_rows`)."""

from __future__ import annotations

import re

from extractor.ingest.cell_values import is_value
from extractor.ingest.markdown.inline import inline_pieces
from extractor.ingest.markdown.lines import FENCE, Line
from extractor.ingest.markup import SOFT_SPACE, Cell, Piece
from extractor.ingest.text_tables import PIPE_RULE, layout_header_rows, pipe_cells

_SIMPLE_RULE = re.compile(r"^\s*-{2,}(?:[ \t]+-{2,})*\s*$")
_FULL_RULE = re.compile(r"^\s*-{6,}\s*$")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")


def is_table_line(text: str) -> bool:
    return bool(_SIMPLE_RULE.match(text) or _GRID_RULE.match(text) or text.lstrip().startswith("|"))


def is_header_line(lines: list[Line], j: int) -> bool:
    """A line above a simple table's rule (its header), or the full rule opening a multiline table."""
    k = j
    while k < len(lines) and lines[k].text.strip() and not _SIMPLE_RULE.match(lines[k].text):
        k += 1
    return (k < len(lines) and len(_columns_of(lines[k].text)) >= 2 and k - j <= 4) or bool(
        _FULL_RULE.match(lines[j].text)
    )


def table_at(lines: list[Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
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


def _chunks(line: Line, columns: list[tuple[int, int]]) -> list[list[Line]]:
    """A table line cut into its columns: runs of text set apart by two or more spaces, each given to the column
    it overlaps most (a run longer than its column still starts in it)."""
    out: list[list[Line]] = [[] for _ in columns]
    for m in re.finditer(r"\S+(?:[^\S\t\n]\S+)*", line.text):
        a, b = m.span()
        overlap = [max(0, min(b, e) - max(a, s)) for s, e in columns]
        best = max(range(len(columns)), key=lambda c: (overlap[c], -abs(columns[c][0] - a)))
        if overlap[best] == 0:
            best = min(range(len(columns)), key=lambda c: abs(columns[c][0] - a))
        out[best].append(Line(m.group(), line.start + a))
    return out


def _cell(parts: list[Line]) -> Cell:
    pieces: list[Piece] = []
    for part in parts:
        pieces += ([SOFT_SPACE] if pieces else []) + inline_pieces(part.text, part.start)
    return pieces, 1, 1


def _simple_table(lines: list[Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
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
    rows: list[list[list[Line]]] = []
    if header_lines:
        rows.append(
            [
                [p for part in parts for p in part]
                for parts in zip(*(_chunks(ln, columns) for ln in header_lines), strict=True)
            ]
        )
    header = len(rows)
    end = rule + 1
    row: list[list[Line]] | None = None
    while end < len(lines):
        line = lines[end]
        if FENCE.fullmatch(line.text.strip()):
            break
        if _SIMPLE_RULE.match(line.text) or _FULL_RULE.match(line.text):
            end += 1
            break
        if not line.text.strip():
            following = lines[end + 1].text if end + 1 < len(lines) else ""
            if not multiline and (not line.text or not following.strip() or FENCE.fullmatch(following.strip())):
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


def _continues(row: list[list[Line]], parts: list[list[Line]]) -> bool:
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
    row's labels stand side by side from the first column after the row labels, each spans g columns. Else, when
    the last header row repeats a block of labels ('Week 0 | Week 11 | Week 0 | Week 11'), the first labels above
    it span a block each and the rest the columns after the blocks, one each ('Yoga group | Control group |
    Effect size | p')."""
    if header < 2:
        return cells
    out = [list(row) for row in cells]
    out[header - 1], sub = _into_value_columns(cells[header - 1], texts[header - 1])
    last = [c for c in range(1, len(sub)) if sub[c]]
    period = _repeat_period([sub[c] for c in last]) if last == list(range(1, 1 + len(last))) else 0
    for r in range(header - 1):
        labelled = [c for c in range(1, len(texts[r])) if texts[r][c]]
        if not labelled or labelled != list(range(1, 1 + len(labelled))):
            continue
        if len(last) % len(labelled) == 0 and len(last) // len(labelled) >= 2:
            group = len(last) // len(labelled)
            row: list[Cell] = [cells[r][0]] + [(cells[r][c][0], 1, group) for c in labelled]
            out[r] = row + [([], 1, 1)] * (len(cells[r]) - 1 - group * len(labelled))
        elif period and len(labelled) >= len(last) // period and _rows_fill(texts[header:], len(last)):
            blocks = len(last) // period
            spans = [period] * blocks + [1] * (len(labelled) - blocks)
            if 1 + sum(spans) > len(cells[r]):
                continue
            row = [cells[r][0]] + [(cells[r][c][0], 1, span) for c, span in zip(labelled, spans, strict=True)]
            out[r] = row + [([], 1, 1)] * (len(cells[r]) - 1 - sum(spans))
    return out


def _rows_fill(rows: list[list[str]], columns: int) -> bool:
    """Most body rows print a value under every repeated label (a table whose rows use the first columns for the
    groups, and only some rows the 'N | %' pairs, keeps its labels where they stand)."""
    filled = [sum(1 for t in row[1:] if t) for row in rows if any(row[1:])]
    return 2 * sum(1 for n in filled if n >= columns) > len(filled)


def _same_label(a: str, b: str) -> bool:
    """'Mean change at 6 months' and 'Mean change at 6 month': one label written twice."""
    return re.sub(r"s\b", "", a.lower()).split() == re.sub(r"s\b", "", b.lower()).split()


def _repeat_period(labels: list[str]) -> int:
    """The length of the block of labels the row repeats two or more times over ('Pre | Post | P-value' twice),
    or 0."""
    for period in range(2, len(labels) // 2 + 1):
        if len(labels) % period == 0 and all(_same_label(label, labels[k % period]) for k, label in enumerate(labels)):
            return period
    return 0


def _into_value_columns(row: list[Cell], texts: list[str]) -> tuple[list[Cell], list[str]]:
    """A header row pandoc set one column to the left, its first label in the row-label column and its last
    column empty ('Pre: Mean (SE) | Post: Mean (SE) | P-value | Pre: Mean (SE) | ...' over '25(OH)D | 20.59 ...'):
    moved over the value columns, when its labels then repeat."""
    if not texts[0] or texts[-1] or not _repeat_period([t for t in texts if t]):
        return row, texts
    return [([], 1, 1), *row[:-1]], ["", *texts[:-1]]


def _pipe_table(lines: list[Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """A pipe table: `| a | b |` rows, a `|---|---|` rule under the header row."""
    end = i
    while end < len(lines) and lines[end].text.lstrip().startswith("|"):
        end += 1
    block = lines[i:end]
    if len(block) < 2:
        return None
    rule = next((k for k, ln in enumerate(block) if PIPE_RULE.match(ln.text)), None)
    rows: list[list[Cell]] = [
        [(inline_pieces(text, ln.start + at), 1, 1) for text, at in pipe_cells(ln.text)]
        for k, ln in enumerate(block)
        if k != rule
    ]
    return end, rows, (rule if rule is not None and rule > 0 else None)


def _grid_table(lines: list[Line], i: int) -> tuple[int, list[list[Cell]], int | None] | None:
    """A grid table: rows between `+---+` rules (`+===+` under the header), cells between `|`s."""
    columns = [(m.start() + 1, m.end()) for m in re.finditer(r"(?<=\+)[-=:]+(?=\+)", lines[i].text)]
    if not columns:
        return None
    rows: list[list[list[Line]]] = []
    header: int | None = None
    current: list[list[Line]] = [[] for _ in columns]
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
                    current[c].append(Line(stripped, lines[end].start + at))
        end += 1
    if not rows:
        return None
    return end, [[_cell(parts) for parts in r] for r in rows], header
