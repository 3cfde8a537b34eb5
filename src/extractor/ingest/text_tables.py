"""Tables recovered from text: which rows of a grid are its header, and where a table's cells stand in plain text.

A table reaches the text ingest flattened. Three flattened forms are read back into cells (`find_tables`):

- lines whose cells are joined by " | " (what the JATS, HTML and PDF readers write, so a text written by this
  project keeps its tables when it is read again): a "Table N ..." caption line, then one line per row, then
  notes, up to a blank line;
- Markdown pipe tables (`| a | b |` rows with a `|---|---|` rule under the header row);
- the Evidence Inference text export, which writes one cell per line (`export_tables`).

The lines of a table found are marked for `lay_out`, which keeps them on lines of their own and writes a row's
cells on one line joined by " | "; `document_tables` then cuts cells, caption and notes from where they were
written. The layout reader (`layout_header_rows`) is shared with the markup readers, for tables whose source
marks no header (no <thead>): the leading rows before the first row holding a value right of the row labels.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from extractor.ingest.cell_values import is_value
from extractor.ingest.clean import Layout, SourceLine
from extractor.ingest.document import CellSpan, Table
from extractor.ingest.export_tables import is_export, read_export_table
from extractor.ingest.sections import caption_kind
from extractor.ingest.table_lines import TextTable

CELLS = " | "
_MAX_HEADER_ROWS = 3


def pipe_cells(line: str) -> list[tuple[str, int]]:
    """The cells of a pipe-table row ("| a | b |") or of a line joined by " | ", each stripped, with where it
    starts in the line (an empty cell: "" at the position of its gap). A leading and a trailing pipe frame the
    row; "\\|" is a pipe inside a cell."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    inner = line.strip()
    edges = [-1, *bounds, len(line)]
    if inner.startswith("|"):
        edges = edges[1:]
    if inner.endswith("|") and len(edges) > 1:
        edges = edges[:-1]
    cells: list[tuple[str, int]] = []
    for a, b in itertools.pairwise(edges):
        piece = line[a + 1 : b]
        stripped = piece.strip()
        cells.append((stripped, a + 1 + (piece.index(stripped) if stripped else len(piece) // 2)))
    return cells


def layout_header_rows(rows: Sequence[Sequence[str]], stub: int = 1) -> int:
    """How many leading rows are column headers, read from the layout: the rows before the first row with a value
    in a column right of the `stub` (row label) columns, less the group labels just above it ("Gender, n (%)" with
    empty cells). Only when that is clear: 1 to 3 header rows, each labelling at least one column, no value among
    them, and values in most body rows; else 0 (unknown)."""
    first = next((i for i, row in enumerate(rows) if any(is_value(c) for c in row[stub:])), None)
    if first is None:
        return 0
    labels = [any(c.strip() for c in row[stub:]) for row in rows]
    header = first
    while header and not labels[header - 1]:
        header -= 1
    if not 1 <= header <= _MAX_HEADER_ROWS or not all(labels[:header]):
        return 0
    body = [row for row, labelled in zip(rows[header:], labels[header:], strict=True) if labelled]
    with_values = sum(1 for row in body if any(is_value(c) for c in row[stub:]))
    return header if with_values >= 0.6 * len(body) else 0


_CAPTION = re.compile(r"^\s*Table[\s\u00a0]*(?:\d{1,3}|[IVX]{1,5})[A-Za-z]?\b")
# The rule under a Markdown pipe table's header row ('|---|:---:|'); the Markdown reader uses it too
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def find_tables(lines: list[SourceLine]) -> tuple[list[SourceLine], list[TextTable]]:
    """The lines with the tables found among them marked for `lay_out` (a caption line "table_caption", each row's
    first cell "table" and its other cells "table_cell", notes "table": the cells of a row written apart, one
    line each), and the tables, indexing those lines. Lines that are no table's are returned as they were."""
    export = is_export(lines)
    out: list[SourceLine] = []
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        found = None
        if export:
            found = read_export_table(lines, i)
        if found is None and _CAPTION.match(lines[i].text):
            found = _joined_table(lines, i)
        if found is None and lines[i].text.lstrip().startswith("|"):
            found = _pipe_table(lines, i, None)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        taken, table, consumed = found
        base = len(out)
        out += taken
        tables.append(
            TextTable(
                caption=None if table.caption is None else base + table.caption,
                cells=[[None if k is None else base + k for k in row] for row in table.cells],
                header_rows=table.header_rows,
                notes=[base + k for k in table.notes],
            )
        )
        i += consumed
    return out, tables


def _row_lines(line: SourceLine, cells: list[tuple[str, int]]) -> list[SourceLine | None]:
    """A row's cells as lines of their own (None for an empty cell): the first "table", the others "table_cell"."""
    out: list[SourceLine | None] = []
    opened = False
    for text, at in cells:
        if not text:
            out.append(None)
            continue
        out.append(SourceLine(text, line.start + at, line.page, "table_cell" if opened else "table"))
        opened = True
    return out


def _marked(
    rows: list[list[SourceLine | None]], caption: SourceLine | None, notes: list[SourceLine]
) -> tuple[list[SourceLine], TextTable]:
    out: list[SourceLine] = []
    if caption is not None:
        out.append(SourceLine(caption.text, caption.start, caption.page, "table_caption"))
    grid: list[list[int | None]] = []
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        indexes: list[int | None] = []
        for cell in row:
            if cell is None:
                indexes.append(None)
            else:
                out.append(cell)
                indexes.append(len(out) - 1)
        grid.append(indexes + [None] * (width - len(indexes)))
    note_indexes = []
    for note in notes:
        out.append(SourceLine(note.text, note.start, note.page, "table"))
        note_indexes.append(len(out) - 1)
    return out, TextTable(caption=0 if caption is not None else None, cells=grid, header_rows=0, notes=note_indexes)


def _joined_table(lines: list[SourceLine], at: int) -> tuple[list[SourceLine], TextTable, int] | None:
    """A "Table N ..." caption line, then rows whose cells are joined by " | " (the flattened form this project
    writes), then notes, up to a blank line. A pipe table under the caption is read as one."""
    k = at + 1
    while k < len(lines) and k <= at + 2 and not lines[k].text.strip():
        k += 1
    if k < len(lines) and lines[k].text.lstrip().startswith("|"):
        return _pipe_table(lines, k, lines[at], first=at)
    end = at + 1
    while end < len(lines) and lines[end].text.strip():
        end += 1
    block = lines[at + 1 : end]
    joined = [i for i, line in enumerate(block) if CELLS in line.text]
    if len(joined) < 2:
        return None
    last = joined[-1]
    rows = [_row_lines(line, pipe_cells(line.text)) for line in block[: last + 1]]
    _align_headers(rows)
    taken, table = _marked(rows, lines[at], block[last + 1 :])
    texts = [[line.text if line else "" for line in row] for row in rows]
    table.header_rows = layout_header_rows(texts)
    return taken, table, 1 + len(block)


def _align_headers(rows: list[list[SourceLine | None]]) -> None:
    """Header rows one cell short of the body: the empty top-left cell was left out (the flattened form writes
    only non-empty cells), so they start at the second column."""
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        cells = [c.text for c in row if c is not None]
        if any(is_value(c) for c in cells[1:]):
            break  # the body starts
        if len(row) == width - 1:
            row.insert(0, None)


def _pipe_table(
    lines: list[SourceLine], at: int, caption: SourceLine | None, first: int | None = None
) -> tuple[list[SourceLine], TextTable, int] | None:
    """A Markdown pipe table from lines[at]: `| a | b |` rows with a `|---|---|` rule under the header row; the
    rule is left out of the text."""
    end = at
    while end < len(lines) and lines[end].text.lstrip().startswith("|"):
        end += 1
    block = lines[at:end]
    rule = next((i for i, line in enumerate(block) if PIPE_RULE.match(line.text)), None)
    if len(block) < 3 or rule != 1:
        return None
    rows = [_row_lines(line, pipe_cells(line.text)) for i, line in enumerate(block) if i != rule]
    taken, table = _marked(rows, caption, [])
    table.header_rows = 1
    return taken, table, end - (first if first is not None else at)


def document_tables(tables: list[TextTable], layout: Layout) -> list[Table]:
    """The tables as `Table`s of the laid-out text: cells, caption, label and notes cut from where `lay_out`
    wrote their lines."""
    text = layout.text
    found: list[Table] = []
    for table in tables:

        def span(k: int | None) -> CellSpan | None:
            return layout.placed.get(k) if k is not None else None

        spans = [[span(k) for k in row] for row in table.cells]
        seen: set[int] = set()  # a cell spanning positions has its text where it starts (row by row, left to right)
        rows: list[list[str]] = []
        for indexes, row_spans in zip(table.cells, spans, strict=True):
            rows.append([])
            for k, s in zip(indexes, row_spans, strict=True):
                rows[-1].append(text[s[0] : s[1]] if s and k is not None and k not in seen else "")
                if k is not None:
                    seen.add(k)
        caption_span = span(table.caption)
        written = [s for s in (caption_span, *(s for row in spans for s in row), *map(span, table.notes)) if s]
        if not written or not any(any(row) for row in rows):
            continue
        caption = text[caption_span[0] : caption_span[1]] if caption_span else None
        kind = caption_kind(caption) if caption else None
        label = kind[1] if kind else None
        if caption and label:
            caption = caption[len(label) :].lstrip(" .:") or None
        found.append(
            Table(
                rows=rows,
                caption=caption,
                start=min(s[0] for s in written),
                end=max(s[1] for s in written),
                label=label,
                header_rows=table.header_rows,
                footnotes=[text[s[0] : s[1]] for s in map(span, table.notes) if s],
                spans=spans,
            )
        )
    return found
