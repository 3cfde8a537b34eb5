"""Tables recovered from text: which rows of a grid are its header, and where a table's cells stand in plain text.

A table reaches the text ingest flattened. Three flattened forms are read back into cells:

- lines whose cells are joined by " | " (what the JATS, HTML and PDF readers write, so a text written by this
  project keeps its tables when it is read again): a "Table N ..." caption line, then one line per row;
- Markdown pipe tables (`| a | b |` rows with a `|---|---|` rule under the header);
- the Evidence Inference text export (`evidence_inference.py`), which writes one cell per line.

The layout reader (`layout_header_rows`) is shared with the markup readers, for tables whose source marks no
header (no <thead>): the leading rows before the first row holding a value in a column right of the row labels.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

CELLS = " | "
_MARKERS = "*†‡§¶#"
# A cell that holds a value: a number first (after a comparison sign, a minus or an opening bracket), then only
# what values are written with: more numbers, %, ±, brackets, range dashes, "to", "vs", separators.
_VALUE = re.compile(
    r"^[<>≤≥~=±+]?\s*[-−–]?\s*\(?\.?\d"
    r"(?:[-−–\d.,·%±×/;:()\[\]<>≤≥=+\s" + _MARKERS + r"]"
    r"|\b(?:to|vs|and|or)\b|(?<=\d)[eE](?=[-−]?\d)|(?<![A-Za-z])[a-z]\b)*$"
)
_NOT_REPORTED = re.compile(r"^(?:[-−–—]+|NR|NA|N/A|NE|ND|NS|n\.?s\.?|n/a|—)$", re.I)
_MAX_HEADER_ROWS = 3


def is_value(cell: str) -> bool:
    """'12.3 ± 4.5', '14 (35%)', '<0.001', '0.90 (0.82–0.99)', '-', 'NR': a cell of a table's body."""
    cell = cell.strip()
    return bool(cell) and (bool(_VALUE.match(cell)) or bool(_NOT_REPORTED.match(cell)))


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
