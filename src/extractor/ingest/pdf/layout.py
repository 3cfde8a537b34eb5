"""Reading order of a PDF page, and a document's pages as the `SourceLine`s `clean.lay_out` reads.

The column gutter cuts a page into bands of full-width rows and left and right columns; tables and figures are
placed where they sit; runs at one height become one line; white space and indents mark paragraph ends.
"""

from __future__ import annotations

import bisect
import statistics

from extractor.ingest.clean import LineRole, SourceLine
from extractor.ingest.pdf.figures import without_figure_text
from extractor.ingest.pdf.front import unlabelled_abstract
from extractor.ingest.pdf.runs import (
    PARAGRAPH_GAP,
    ROW_SHIFT,
    Area,
    Page,
    Run,
    cluster_rows,
    paragraph_starts,
    row_lines,
)
from extractor.ingest.pdf.tables import PdfTable, Rule, find_tables, is_table_caption

_GUTTER_RANGE = (0.25, 0.75)  # where a column gutter may lie, as shares of the text area's width
_COLUMN_SHARE = 0.05  # least share of a page's characters on each side of a gutter
_CELLS = " | "


def source_lines(pages: list[Page], tables: list[tuple[PdfTable, int]] | None = None) -> list[SourceLine]:
    """Pages to `SourceLine`s in reading order, offsets into the raw text described in the module docstring.

    A table found on a page is written where it sits: its caption line, one line per row (non-empty cells joined
    by " | ", as the JATS ingest writes them) and its footnotes, marked with roles so `lay_out` keeps them as
    a table; each is appended to `tables` with its page. On the first page with text, the abstract printed
    without a heading is marked too (`front.unlabelled_abstract`).
    """
    lines: list[SourceLine] = []
    offset = 0
    previous: Run | None = None
    first_page = True
    for page in pages:
        blocks = _blocks(page.runs, page.rules, page.figures)
        if not blocks:
            lines.append(SourceLine("", offset, page.number))
            offset += 1
            continue
        roles = unlabelled_abstract(blocks) if first_page else {}
        first_page = False
        for block, _ in blocks:
            for i, line in enumerate(block):
                if line.table is not None:
                    if tables is not None:
                        tables.append((line.table, page.number))
                    texts: list[tuple[str, LineRole | None]] = [(line.table.caption, "table_caption")]
                    texts += [(_CELLS.join(cell for cell in row if cell), "table") for row in line.table.rows]
                    texts += [(note, "table") for note in line.table.footnotes]
                    for text, role in [("", None), *texts, ("", None)]:
                        lines.append(SourceLine(text, offset, page.number, role))
                        offset += len(text) + 1
                    previous = None
                    continue
                if previous is not None and paragraph_starts(previous, line, same_block=i > 0):
                    lines.append(SourceLine("", offset, page.number))
                    offset += 1
                lines.append(SourceLine(line.text, offset, page.number, roles.get(id(line))))
                offset += len(line.text) + 1
                previous = line
    return lines


def _blocks(
    runs: list[Run], rules: tuple[Rule, ...] = (), figures: tuple[Area, ...] = ()
) -> list[tuple[list[Run], bool]]:
    """A page's runs as blocks of lines in reading order: per band, left column, right column, full-width rows.
    Each block comes with whether it is full-width (or the page has one column). A table becomes one run
    (`Run.table`) where it sits: full-width when it crosses the gutter, else in its column."""
    if not runs:
        return []
    gutter = _gutter(runs)
    runs = without_figure_text(runs, figures, gutter)
    runs = _with_tables(runs, gutter, rules)
    if gutter is None:
        return [(row_lines(runs), True)]
    spanning = _paragraph_ends(runs, gutter, [run for run in runs if run.x0 < gutter < run.x1])
    span_rows = cluster_rows(spanning)
    ends = {id(run) for run in spanning if not run.x0 < gutter < run.x1}
    bottoms = [max(run.bottom for run in row) for row in span_rows]
    bands: list[tuple[list[Run], list[Run]]] = [([], []) for _ in range(len(span_rows) + 1)]
    for run in runs:
        if run.x0 < gutter < run.x1 or id(run) in ends:
            continue
        k = bisect.bisect_left(bottoms, run.middle)  # the first full-width row not above the run
        if k < len(span_rows) and span_rows[k][0].table is None and min(r.top for r in span_rows[k]) <= run.middle:
            span_rows[k].append(run)  # a cell or label beside a full-width run: same row
        else:
            bands[k][0 if run.x1 <= gutter else 1].append(run)
    blocks: list[tuple[list[Run], bool]] = []
    for k, (left, right) in enumerate(bands):
        blocks.extend((row_lines(side), False) for side in (left, right) if side)
        if k < len(span_rows):
            row = row_lines(span_rows[k])
            if k and not any(bands[k]) and blocks and blocks[-1][1]:
                blocks[-1][0].extend(row)  # consecutive full-width rows form one block
            else:
                blocks.append((row, True))
    return blocks


def _paragraph_ends(runs: list[Run], gutter: float, spanning: list[Run]) -> list[Run]:
    """Full-width runs plus the short last lines of full-width paragraphs: a run on one side of the gutter right
    under a full-width line (closer than a paragraph gap), starting where it starts, with nothing beside it."""
    if not spanning:
        return spanning
    added: list[Run] = []
    for run in runs:
        if run.x0 < gutter < run.x1 or run.table is not None:
            continue
        above = [
            s
            for s in spanning
            if s.table is None and 0 <= run.top - s.bottom < PARAGRAPH_GAP * s.height and abs(run.x0 - s.x0) < s.height
        ]
        if above and not any(
            o is not run
            and abs(o.middle - run.middle) < ROW_SHIFT * run.height
            and (o.x0 >= gutter) != (run.x0 >= gutter)
            for o in runs
        ):
            added.append(run)
    return spanning + added


def _with_tables(runs: list[Run], gutter: float | None, rules: tuple[Rule, ...]) -> list[Run]:
    """The page's runs with each table found (`tables.find_tables`) standing as one run for all it took."""
    if not any(is_table_caption(run.text) for run in runs):
        return runs
    tables = find_tables(runs, gutter, rules)
    if not tables:
        return runs
    taken = set().union(*(table.members for table in tables))
    kept = [run for run in runs if id(run) not in taken]
    return kept + [Run(t.x0, t.x1, t.top, t.bottom, t.caption, table=t) for t in tables]


def _gutter(runs: list[Run]) -> float | None:
    """The x of the column gutter, or None for a one-column page.

    The gutter is the widest x-range in the middle of the page crossed by (nearly) as few runs as any: only
    full-width runs cross it, and an affiliation line poking into it must not hide it. Both sides must hold
    a fair share of the text.
    """
    left = min(run.x0 for run in runs)
    right = max(run.x1 for run in runs)
    width = int(right - left) + 1
    if width < 50:
        return None
    crossings = [0] * (width + 1)
    for run in runs:
        a, b = int(run.x0 - left) + 1, int(run.x1 - left)
        if a < b:
            crossings[a] += 1
            crossings[b] -= 1
    depth = 0
    for x in range(width + 1):
        depth += crossings[x]
        crossings[x] = depth
    lo, hi = int(_GUTTER_RANGE[0] * width), int(_GUTTER_RANGE[1] * width)
    middle = crossings[lo:hi]
    fewest = min(middle)
    ceiling = fewest + max(1.0, 0.25 * (statistics.median(middle) - fewest))
    best_start, best_length, start = lo, 0, None
    for x in range(lo, hi + 1):
        if x < hi and crossings[x] <= ceiling:
            start = x if start is None else start
        elif start is not None:
            if x - start > best_length:
                best_start, best_length = start, x - start
            start = None
    if best_length < 0.5 * statistics.median(run.height for run in runs):
        return None
    # inside that range, the middle of its emptiest stretch: a hanging indent (reference lists) beside the true
    # gap must not pull the gutter onto the first letters of the column's lines
    region = crossings[best_start : best_start + best_length]
    least = min(region)
    best_start, best_length = _longest_run([v <= 1.1 * least for v in region], best_start)
    gutter = left + best_start + best_length / 2
    chars = sum(len(run.text) for run in runs)
    for side in ([r for r in runs if r.x1 <= gutter], [r for r in runs if r.x0 >= gutter]):
        if len(side) < 2 or sum(len(run.text) for run in side) < _COLUMN_SHARE * chars:
            return None
    return gutter


def _longest_run(flags: list[bool], offset: int) -> tuple[int, int]:
    """Start (plus `offset`) and length of the longest stretch of true `flags`."""
    best = (offset, 0)
    start = None
    for i, flag in enumerate([*flags, False]):
        if flag:
            start = i if start is None else start
        elif start is not None:
            if i - start > best[1]:
                best = (offset + start, i - start)
            start = None
    return best
