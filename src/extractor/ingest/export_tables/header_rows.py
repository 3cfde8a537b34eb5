"""The header of an export table from the lines before its body, and where the body starts.

Cells written one per line (<td>): the lowest header row has a cell per column, the row above it fewer cells,
spread over the columns they group (`_spreads`). Header cells run together (<th>) are `joined_header`'s.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from extractor.ingest.clean import SourceLine
from extractor.ingest.export_tables.body_rows import Body, Fit, Row
from extractor.ingest.export_tables.header_scores import (
    NO_HEADER,
    P_HEADER,
    SIZE_ONLY,
    SPREAD_MARGIN,
    STAT_HEADER,
    UNREAD,
    Header,
    label_key,
    unlabelled,
)
from extractor.ingest.export_tables.joined_header import joined, read_joined_header

_MAX_LEADING_SECTIONS = 8


def with_header(cells: list[SourceLine], kinds: str, fit: Fit, body: Body) -> tuple[Fit, Header]:
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
    if fit.body == fit.columns - 1 and joined(cells[0].text):  # header cells run into a row's label, its cells
        opened = replace(fit, body=0, rows=[Row(0, fit.columns), *fit.rows])
        other = _header(cells, opened, body)
        if other.score > header.score + 1e-9:
            fit, header = opened, other
    label = fit.body
    while label > 0 and kinds[label - 1] == "E":
        label -= 1
    label -= 1
    if label >= 2 and kinds[label] == "T" and fit.body - label - 1 in (0, fit.width - 1):  # alone, or its row
        earlier = replace(fit, body=label, rows=[Row(label, fit.body - label), *fit.rows])
        other = _header(cells, earlier, body)
        if other.score > header.score + 1e-9:
            fit, header = earlier, other
    return fit, header


def _header(cells: list[SourceLine], fit: Fit, body: Body) -> Header:
    """The header rows, from the lines before the body. Header cells written one per line (<td> in the source's
    <thead>): the lowest header row has a cell per column; the row above it has fewer cells where a cell spans
    columns, and is spread over the columns its labels group (`_spreads`); rows of empty cells (rules) are
    skipped. When two readings are about as good and put different labels over a column, only what they agree on
    is kept (the lower row, or no header row), the rest of the header stays in the text, out of the grid."""
    columns = fit.width
    if fit.body == 0:
        return read_joined_header(cells[0], columns, body, with_label=True)
    if fit.body == 1 and columns > 2 and cells[0].text.strip():  # header cells run together, then a section row?
        return read_joined_header(cells[0], columns, body, with_label=None)
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
        if any(map(joined, lower)):
            continue  # header cells run together are no cell of a row
        core = lines[: end - columns]
        while core and not core[-1].text.strip():
            core.pop()
        while core and not core[0].text.strip() and len(core) > columns:
            core.pop(0)  # a rule row above the header
        extra = end - columns - len(core)  # empty lines after the upper row: its last cells, or a rule row
        if not any(line.text.strip() for line in core):
            readings.append((unlabelled(lower, [""] * columns, body) - 0.01 * skip, end, [], []))
            continue
        if len(core) > columns:  # more than one row above the lower one: only the lower row is read
            left_out = [line for line in core if line.text.strip()]
            readings.append((unlabelled(lower, [""] * columns, body) - 1 - 0.01 * skip, end, [], left_out))
            continue
        left_out = [line for line in core if line.text.strip()]
        readings.append((unlabelled(lower, [""] * columns, body) - 1 - 0.01 * skip, end, [], left_out))
        upper = [line.text.strip() for line in core]
        if any(map(joined, upper)):
            continue
        for score, widths in _spreads(upper, columns - len(core), min(extra, columns - len(core)), lower, body):
            row: list[tuple[SourceLine | None, int]] = [
                (line if line.text.strip() else None, width) for line, width in zip(core, widths, strict=False)
            ]
            row += [(None, 1)] * (len(widths) - len(core))
            readings.append((score - 0.01 * skip, end, row, []))
    if not readings:  # fewer header lines than columns: their columns cannot be told
        return Header([], None, [line for line in lines if line.text.strip()], UNREAD if lines else NO_HEADER)
    readings.sort(key=lambda r: -r[0])
    best = readings[0]
    close = [r for r in readings if best[0] - r[0] < SPREAD_MARGIN]
    shown = {_shown(lines, r[1], columns, r[2]) for r in close}
    lower_row: list[SourceLine | None] = [
        line if line.text.strip() else None for line in lines[best[1] - columns : best[1]]
    ]
    if len(shown) == 1:
        upper_row = [line for line, width in best[2] for _ in range(width)]
        return Header(([upper_row] if upper_row else []) + [lower_row], None, best[3], best[0])
    above = [line for line in lines[: best[1] - columns] if line.text.strip()]
    if len({r[1] for r in close}) == 1:
        return Header([lower_row], None, above, best[0] - 1)
    return Header([], None, [line for line in lines if line.text.strip()], UNREAD)


def _shown(
    lines: list[SourceLine], end: int, columns: int, upper: list[tuple[SourceLine | None, int]]
) -> tuple[tuple[str, ...], ...]:
    """What a reading puts over each column: its header labels top to bottom."""
    tops = [line.text.strip() if line else "" for line, width in upper for _ in range(width)] or [""] * columns
    return tuple((top, line.text.strip()) for top, line in zip(tops, lines[end - columns : end], strict=True))


def _spreads(upper: list[str], spare: int, extra: int, lower: list[str], body: Body) -> list[tuple[float, list[int]]]:
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


def _spread_score(upper: list[str], widths: list[int], lower: list[str], body: Body) -> float:
    keys = [label_key(t) for t in lower]
    stat = [bool(t) and bool(STAT_HEADER.search(t)) for t in lower]
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
        if P_HEADER.match(label):
            score -= 2 * (b - a - 1)
        if all(SIZE_ONLY.match(t) for t in lower[a:b]):
            score -= b - a - 1  # a group's size under each group: a label over several sizes groups groups
        if any(
            upper[j] and label_key(upper[j]) != label_key(label) and (d - c) == (b - a) and keys[c:d] == keys[a:b]
            for j, (c, d) in enumerate(spans)
        ):
            score += 1
    return score + unlabelled(lower, [upper[k] for k, (a, b) in enumerate(spans) for _ in range(a, b)], body)
