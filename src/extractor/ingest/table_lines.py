"""`TextTable`: a table found among a text's source lines, its caption, cells and notes held as indexes of lines.

The text readers that find tables in lines (`text_tables` and the export's `export_tables`) return them in this
form; `text_tables.document_tables` cuts the `Table`s of the Document from where `lay_out` wrote those lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TextTable:
    """A table found in source lines: its caption line, its cells by row and column and its notes, each as the
    index of a line (in the lines `find_tables` returns; None: an empty cell; a cell spanning rows or columns
    holds its line at every position it covers); `header_rows` leading rows are column headers."""

    caption: int | None
    cells: list[list[int | None]]
    header_rows: int
    notes: list[int] = field(default_factory=list)
