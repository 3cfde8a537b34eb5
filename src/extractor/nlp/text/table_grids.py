"""Tables as grids: find table regions in the normalized text, read them into rows of cells, address each cell.

Two inputs give the same `Grid`: cell rows (`Document.tables` from JATS/HTML, or table lines whose cells the
ingest joined with " | "), and PDF tables flattened to one token run per line, where a row label is followed
by its stacked sub-row labels ("All grade", "Grade 3–4") and then every cell's values, column by column.
Columns come from the header (study groups, then a repeated sub-header such as "EVE Placebo EVE Placebo"),
never from rules written for one table. Pure functions, no spaCy: the components map cells to items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

CAPTION = re.compile(r"^[ \t]*Table\s+(?:\d+|[IVX]+)\b.*$", re.M)
FOOTNOTE = re.compile(r"^\s*(?:Abbreviations?|Notes?|Footnotes?)\s*[:.]", re.I)
CELL_SEPARATOR = " | "
# One printed value: 36.5, <1, ≥3, 12 (4.1), 12 (4.1%), 60%, or a not-reported marker.
VALUE_TOKEN = re.compile(r"^(?:[<>≤≥]?\d+(?:[.·]\d+)?%?|NR|NA|NE|ND|n/?a|[-–—])$", re.I)
NOT_REPORTED = re.compile(r"^(?:NR|NA|NE|ND|n/?a|[-–—])$", re.I)
GRADE_LABEL = re.compile(r"^\s*(?:all|any)[\s-]*grades?\b|^\s*grades?\s*(?:[≥>]?\s*)?\d", re.I)
MAX_TABLE_CHARS = 8000  # a flattened table ends by here without a footnote or a prose paragraph: a long one's size
PARAGRAPH_READ = 400  # the line read after a blank line to tell table rows from the prose that follows
PROSE_LINE = 300  # a line this long with two sentences in it is prose, not a table row


@dataclass
class Grid:
    """`header` rows and body `rows` have one entry per column; the first `stub` columns are row labels."""

    caption: str
    header: list[list[str]]
    rows: list[list[str]]
    stub: int = 1
    footnotes: list[str] = field(default_factory=list)
    # (start, end) of each body cell's text in the parsed region, where the grid was read from text
    offsets: list[list[tuple[int, int] | None]] | None = None


@dataclass(frozen=True)
class Cell:
    row: tuple[str, ...]  # the stub labels of the cell's row ("Stomatitis/mucositis", "All grade")
    column: tuple[str, ...]  # the header labels above the cell, top down ("BOLERO-2 ...", "EVE")
    text: str


@dataclass(frozen=True)
class CellValue:
    value: float
    n: int | None = None
    qualifier: str | None = None  # "<" for "<1", ">" for ">5"


def find_table_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each table: from a 'Table N' caption line to the end of its footnote paragraph, or to
    where prose resumes (a blank line followed by a paragraph that starts in lower case or runs long), or to the
    next table's caption."""
    regions: list[tuple[int, int]] = []
    captions = list(CAPTION.finditer(text))
    for k, caption in enumerate(captions):
        start = caption.start()
        if regions and start < regions[-1][1]:
            continue
        end = _region_end(text, caption.end())
        if k + 1 < len(captions) and captions[k + 1].start() < end:  # the next table's caption ends this one
            end = len(text[: captions[k + 1].start()].rstrip())
        regions.append((start, end))
    return regions


def _region_end(text: str, after: int) -> int:
    limit = min(len(text), after + MAX_TABLE_CHARS)
    footnote = re.compile(r"(?:^|\n|\s)(?:Abbreviations?|Notes?)\s*:", re.I).search(text, after, limit)
    if footnote:
        end = text.find("\n\n", footnote.end())
        return end if 0 <= end < limit else limit
    for gap in re.finditer(r"\n\s*\n", text[after:limit]):
        following = text[after + gap.end() : after + gap.end() + PARAGRAPH_READ]
        line = following.split("\n", 1)[0]
        if line[:1].islower() or (len(line) > PROSE_LINE and line.count(". ") >= 2):
            return after + gap.start()
    return limit


Line = tuple[str, int]  # a stripped line and its offset in the region


def parse_table(region: str) -> Grid | None:
    """A table region of the normalized text (caption line first) as a Grid, or None when it has no grid."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n]+", region):
        stripped = m.group().strip()
        if stripped:
            lines.append((stripped, m.start() + m.group().index(stripped)))
    if len(lines) < 3:
        return None
    caption, body = lines[0][0], lines[1:]
    footnotes = [text for text, _ in body if FOOTNOTE.match(text)]
    body = [line for line in body if not FOOTNOTE.match(line[0])]
    if sum(CELL_SEPARATOR in text for text, _ in body) >= 2:
        return _grid_from_separated(body, caption, footnotes)
    return _parse_flattened(caption, body, footnotes)


def _grid_from_separated(body: list[Line], caption: str, footnotes: list[str]) -> Grid:
    rows: list[list[str]] = []
    offsets: list[list[tuple[int, int] | None]] = []
    for text, start in body:
        cells_here, spans, at = [], [], 0
        for cell in text.split(CELL_SEPARATOR):
            cells_here.append(cell)
            spans.append((start + at, start + at + len(cell)))
            at += len(cell) + len(CELL_SEPARATOR)
        rows.append(cells_here)
        offsets.append(spans)  # type: ignore[arg-type]
    grid = grid_from_rows(rows, caption, footnotes)
    first_body = len(rows) - len(grid.rows)
    grid.offsets = offsets[first_body:]
    return grid


def grid_from_rows(rows: list[list[str]], caption: str = "", footnotes: list[str] | None = None) -> Grid:
    """Real cells: header rows are those before the first row holding a value cell; one stub column."""
    rows = [[cell.strip() for cell in row] for row in rows if any(cell.strip() for cell in row)]
    first_body = next((i for i, row in enumerate(rows) if any(_is_value_cell(c) for c in row[1:])), len(rows))
    width = max((len(row) for row in rows), default=0)
    padded = [row + [""] * (width - len(row)) for row in rows]
    return Grid(caption, padded[:first_body], padded[first_body:], 1, list(footnotes or []))


def _is_value_cell(cell: str) -> bool:
    return parse_cell(cell) is not None


def _tokens(line: str) -> list[str]:
    return line.split()


def _is_value_line(line: str) -> bool:
    tokens = _tokens(line)
    return bool(tokens) and all(VALUE_TOKEN.match(t) for t in tokens)


def _period(tokens: list[str]) -> int | None:
    """The length of the smallest block that, repeated at least twice, makes up `tokens` ("EVE Placebo" x5)."""
    for size in range(1, len(tokens) // 2 + 1):
        if len(tokens) % size == 0 and tokens == tokens[:size] * (len(tokens) // size):
            return size
    return None


def _parse_flattened(caption: str, body: list[Line], footnotes: list[str]) -> Grid | None:
    first_value = next((i for i, (text, _) in enumerate(body) if _is_value_line(text)), None)
    if first_value is None:
        return None
    sub_at = next(
        (i for i in range(first_value - 1, -1, -1) if not _is_value_line(body[i][0]) and _period(_tokens(body[i][0]))),
        None,
    )
    if sub_at is None:
        return None
    sub_tokens = _tokens(body[sub_at][0])
    per_group = _period(sub_tokens) or len(sub_tokens)
    n_groups = len(sub_tokens) // per_group
    groups = split_header_groups([text for text, _ in body[:sub_at]], n_groups)
    rows = _flattened_rows(body[sub_at + 1 :])
    header = [["", ""], ["", ""]]
    for g in range(n_groups):
        for c in range(per_group):
            header[0].append(groups[g])
            header[1].append(sub_tokens[g * per_group + c])
    grid_rows: list[list[str]] = []
    grid_offsets: list[list[tuple[int, int] | None]] = []
    for label, subs, values in rows:
        names: list[Token] = subs or [("", None)]
        spread = spread_values(values, n_groups, per_group, len(names))
        if spread is None:
            continue
        for s, sub in enumerate(names):
            grid_rows.append([label[0], sub[0], *(spread[col][s][0] for col in range(n_groups * per_group))])
            grid_offsets.append([label[1], sub[1], *(spread[col][s][1] for col in range(n_groups * per_group))])
    if not grid_rows:
        return None
    return Grid(caption, header, grid_rows, 2, footnotes, grid_offsets)


def split_header_groups(lines: list[str], n_groups: int) -> list[str]:
    """The header lines above a repeated sub-header, cut into `n_groups` column-group texts (lines joined by
    newlines, so each group is a verbatim substring of the table). Cuts after lines closing a parenthesis
    (citations end each group: '(Baselga et al15)'); otherwise into equal runs of lines."""
    if n_groups <= 1:
        return ["\n".join(lines)]
    closing = [i for i, line in enumerate(lines) if line.endswith(")") and "(" in line]
    if len(closing) == n_groups and closing[-1] == len(lines) - 1:
        bounds = [0, *(i + 1 for i in closing)]
        return ["\n".join(lines[bounds[g] : bounds[g + 1]]) for g in range(n_groups)]
    size = max(len(lines) // n_groups, 1)
    groups = ["\n".join(lines[g * size : (g + 1) * size]) for g in range(n_groups - 1)]
    return [*groups, "\n".join(lines[(n_groups - 1) * size :])]


Token = tuple[str, tuple[int, int] | None]  # text and its (start, end) in the region


def _flattened_rows(lines: list[Line]) -> list[tuple[Token, list[Token], list[Token]]]:
    """(row label, sub-row labels, value tokens) for each row of a flattened table body."""
    rows: list[tuple[Token, list[Token], list[Token]]] = []
    for text, start in lines:
        if _is_value_line(text):
            if rows:
                rows[-1][2].extend((m.group(), (start + m.start(), start + m.end())) for m in re.finditer(r"\S+", text))
            continue
        token: Token = (text, (start, start + len(text)))
        if rows and not rows[-1][2] and GRADE_LABEL.match(text):
            rows[-1][1].append(token)
        elif rows and not rows[-1][2] and not rows[-1][1]:
            first = rows[-1][0]
            span = (first[1][0], start + len(text)) if first[1] else None
            rows[-1] = ((f"{first[0]} {text}", span), [], [])  # a row label wrapped over two lines
        else:
            rows.append((token, [], []))
    return [row for row in rows if row[2]]


def spread_values(tokens: list[Token], n_groups: int, per_group: int, stacked: int) -> list[list[Token]] | None:
    """Cell values per column (each a list of `stacked` sub-row values) from one row's value tokens, in
    column order. A single not-reported token may stand for a whole column group (both arms of a study):
    the reading that uses every token exactly once wins, preferring one value per cell."""
    width = per_group * stacked

    def parse(at: int, group: int) -> list[list[Token]] | None:
        if group == n_groups:
            return [] if at == len(tokens) else None
        if at + width <= len(tokens):
            rest = parse(at + width, group + 1)
            if rest is not None:
                block = tokens[at : at + width]
                return [block[c * stacked : (c + 1) * stacked] for c in range(per_group)] + rest
        if at < len(tokens) and NOT_REPORTED.match(tokens[at][0]):
            rest = parse(at + 1, group + 1)
            if rest is not None:
                return [[tokens[at]] * stacked for _ in range(per_group)] + rest
        return None

    return parse(0, 0)


def cells(grid: Grid) -> Iterator[Cell]:
    """Every body cell with the labels of its row and the header labels above it."""
    for row in grid.rows:
        labels = tuple(row[: grid.stub])
        for col in range(grid.stub, len(row)):
            column = tuple(h[col] for h in grid.header if col < len(h))
            yield Cell(labels, column, row[col])


def parse_cell(text: str) -> CellValue | None:
    """'36.5' -> 36.5; '<1' -> 1 with qualifier '<'; '12 (4.1)' or '12 (4.1%)' -> 4.1 with n 12; 'NR' -> None."""
    text = text.strip().replace("·", ".")
    m = re.fullmatch(r"(\d+)\s*\(\s*(\d+(?:\.\d+)?)\s*%?\s*\)", text)
    if m:
        return CellValue(float(m.group(2)), n=int(m.group(1)))
    m = re.fullmatch(r"([<>≤≥])?\s*(\d+(?:\.\d+)?)\s*%?", text)
    if m:
        qualifier = {"≤": "<", "≥": ">"}.get(m.group(1) or "", m.group(1))
        return CellValue(float(m.group(2)), qualifier=qualifier)
    return None
