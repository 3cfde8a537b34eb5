"""Tables of the Evidence Inference text export, read back into rows and columns.

The export (the text files of jayded/evidence-inference) writes a table as its label and caption run together
("Table 2Baseline demographics ..."), then every cell of the XML table in document order: a body cell (<td>) as a
line of its own, empty cells as empty lines, header cells (<th>) run together with no break at all, up to and
into the first body cell ("CharacteristicsInfusion group(n = 120)Bolus group(n = 120)P-valueAge (years)"); then
each footnote on a line. Row ends and column spans are not written.

Rows are read back from what a results table looks like: a row label (or a label and a sub-label, "Age" |
"Median"), then one cell per column holding a value ("12.3 ± 4.5", "14 (35%)", "-") or nothing. For each column
count the body is read as rows of that many cells (`body_rows`): a group label's row has only empty cells after its
label, a rule is one empty cell or a row of them, a row under a label spanning rows starts at the sub-label, a
row a cell short sits under a value spanning rows, a shorter row has values spanning columns. A column no row
fills is no column (an empty line written for a line break in a cell).

Lines before the body are the header. Cells written one per line (<td>): the lowest header row has a cell per
column, the row above it fewer where its cells span columns; they are spread over the columns they group, the
run of labels repeated under each (`header_rows`). Cells run together (<th>, empty ones not written at all) are cut
where cells meet ("group(n = 120)Bolus") and stacked over the columns in one row or two (`joined_header`). The
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

Here: the export told apart (`is_export`), a table's lines cut from the text, the column counts weighed and the
chosen reading placed in the grid with its footnotes (`read_export_table`); the body's rows in `body_rows`, the
header from one-per-line cells in `header_rows`, from cells run together in `joined_header`, and what both
header readings are scored by in `header_scores`.
"""

from __future__ import annotations

import re

from extractor.ingest.clean import SourceLine
from extractor.ingest.export_tables.body_rows import Fit, fits_by_score, line_kind, read_body
from extractor.ingest.export_tables.header_rows import with_header
from extractor.ingest.export_tables.header_scores import GROUP_SIZE, Header
from extractor.ingest.export_tables.joined_header import joined
from extractor.ingest.sections import export_heading
from extractor.ingest.table_lines import TextTable

# "Table 2Baseline ...", "Table 1.Demographics", "Table\xa03 ..." (the label and the caption run together)
# A caption may follow the float's DOI ("10.1371/journal.pone.0000542.t001Table 1BODY.BASELINE ..."): PLoS
# articles of the export print it so (12 of its 150 texts).
_FLOAT_DOI = r"(?:10\.\d{4,9}/\S+?\.[tg]\d{3})?"
CAPTION = re.compile(rf"^\s*{_FLOAT_DOI}(?P<label>Table[\s\u00a0]*(?:\d{{1,3}}|[IVX]{{1,5}})[A-Za-z]?\.?)(?=\S|\s+\S)")
_FIGURE = re.compile(rf"^\s*{_FLOAT_DOI}(?:Figure|Fig\.?)[\s\u00a0]*\d{{1,3}}")
_MAX_BLOCK = 3000  # lines from a caption to where a table must have ended
# Column counts are weighed with their header: the best few by their rows, within a margin of the best, and a
# header's score weighs this much against the rows' (a header that reads well tells the columns).
_COLUMN_CANDIDATES = 4
_COLUMN_DOUBT = 8.0
_HEADER_WEIGHT = 2.0
_UNREAD_EVIDENCE = -1.0  # a header that cannot be read at all: weak evidence against the column count
# A footnote: a marker first ("*", "†", "a.", "aBased on", "1No"), or a note's opening words, or an abbreviation
# list ("CI, confidence interval; HR, ...", "HOMA-IR homeostasis model ...").
_NOTE_MARKER = re.compile(r"^\s*(?:[*†‡§¶#^∗]|\(?[a-z]\)|[a-z][.)]\s|[a-z](?=[A-Z])|\d[.)]?(?=[A-Z]))")
_NOTE_OPENER = re.compile(
    r"(?i)^\s*(?:abbreviations?|definitions?|notes?\b|data (?:are|were|is|represent)|values (?:are|were)|"
    r"results (?:are|were)|all (?:values|data)|numbers (?:are|in)|n\s*=|p\s*[<=>]|ns\b|source\b|-\s)"
)
_ABBREVIATION = re.compile(r"^\s*[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*,?\s+[a-z]")
_DEFINITIONS = re.compile(r"\b[A-Z]{2,}[A-Za-z0-9-]*\s*[:=,]\s")


def is_export(lines: list[SourceLine]) -> bool:
    """The text is the Evidence Inference export: it opens with "TITLE:" or has its section headings."""
    head = [line.text for line in lines[:400] if line.text.strip()]
    return bool(head) and (head[0].strip() == "TITLE:" or sum(export_heading(t) is not None for t in head) >= 2)


def read_export_table(lines: list[SourceLine], at: int) -> tuple[list[SourceLine], TextTable, int] | None:
    """The table whose caption line is lines[at]: (the lines it took, with table roles and one line per cell; the
    table, indexing those lines; how many source lines it took), or None when its cells cannot be read."""
    caption = lines[at]
    captioned = bool(CAPTION.match(caption.text))
    if not captioned and not _headless(lines, at):
        return None
    first = at + 1 if captioned else at
    end = first
    while end < len(lines) and end - at < _MAX_BLOCK:
        text = lines[end].text
        if export_heading(text) is not None or CAPTION.match(text) or _FIGURE.match(text):
            break
        end += 1
    cells = lines[first:end]
    kinds = "".join(line_kind(line.text) for line in cells)  # one letter per line (`line_kind`)
    texts = [line.text for line in cells]
    fits = fits_by_score(kinds)
    if not fits:
        return None
    chosen: tuple[float, Fit, Header] | None = None
    for fit in fits[:_COLUMN_CANDIDATES]:  # the column counts whose rows read best, weighed with their header
        if fit.score < fits[0].score - _COLUMN_DOUBT:
            break
        fit, header = with_header(cells, kinds, fit, read_body(texts, kinds, fit))
        total = fit.score + _HEADER_WEIGHT * (header.score if header.rows else _UNREAD_EVIDENCE)
        if chosen is None or total > chosen[0] + 1e-9:
            chosen = (total, fit, header)
    assert chosen is not None
    _, fit, header = chosen
    first_label, left_out = header.label, header.left_out
    out: list[SourceLine] = []
    if captioned:
        out.append(SourceLine(caption.text, caption.start, caption.page, "table_caption"))
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
    table = TextTable(caption=0 if captioned else None, cells=grid, header_rows=header_rows, notes=notes)
    return out, table, first - at + last


def _headless(lines: list[SourceLine], at: int) -> bool:
    """A table the export printed without its caption line: a header line whose cells ran together, naming two
    groups or more by their sizes ('VariableLiraglutide (n = 30)Metformin (n = 30)P-valueAge (years)'), over a
    value."""
    text = lines[at].text
    return (
        len(GROUP_SIZE.findall(text)) >= 2
        and joined(text)
        and at + 1 < len(lines)
        and line_kind(lines[at + 1].text) in ("V", "I")
    )


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


def _is_note(text: str) -> bool:
    if not text.strip() or export_heading(text) is not None:
        return False
    if _NOTE_MARKER.match(text) or _NOTE_OPENER.match(text) or _ABBREVIATION.match(text):
        return True
    if len(_DEFINITIONS.findall(text)) >= 2:
        return True
    sentence = len(text.split()) >= 6 and text.rstrip().endswith(".")
    return len(text) < 150 and not sentence
