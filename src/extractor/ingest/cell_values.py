"""Which cells of a table hold values: the cells of its body, as opposed to row labels and column headers.

The text readers (`text_tables`, `export_tables`, `markdown`) tell a table's header from its body by where values
start; this is the one test of what a value looks like that they share.
"""

from __future__ import annotations

import re

_MARKERS = "*†‡§¶#"
# A cell that holds a value: a number first (after a comparison sign, a minus or an opening bracket; "P = " before a
# p-value), then only what values are written with: more numbers, %, ±, brackets, range dashes, "to", "vs",
# separators, note marks (a letter, or up to three run onto a number: "10/15ab (67%)").
_VALUE = re.compile(
    r"^(?:[pP]\s*(?=[<>≤≥=]))?[<>≤≥~=±+]?\s*[-−–]?\s*\(?\.?\d"
    r"(?:[-−–\d.,·%±×/;:()\[\]<>≤≥=+\s" + _MARKERS + r"]"
    r"|\b(?:to|vs|and|or)\b|(?<=\d)[eE](?=[-−]?\d)|(?<![A-Za-z])[a-z]\b|(?<=[\d)%\]])[a-z]{2,3}(?![A-Za-z]))*$"
)
_NOT_REPORTED = re.compile(r"^(?:[-−–—]+|NR|NA|N/A|NE|ND|NS|n\.?s\.?|n/a|—)$", re.I)


def is_value(cell: str) -> bool:
    """'12.3 ± 4.5', '14 (35%)', '<0.001', 'P = 0.71', '0.90 (0.82–0.99)', '-', 'NR': a cell of a table's body."""
    cell = cell.strip()
    return bool(cell) and (bool(_VALUE.match(cell)) or bool(_NOT_REPORTED.match(cell)))
