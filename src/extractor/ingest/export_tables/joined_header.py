"""Header cells the export ran together (<th> cells, written with no break, empty ones not at all): cut where
cells meet ("group(n = 120)Bolus") and stacked over the columns in one row or two (`_stackings`)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from extractor.ingest.clean import SourceLine
from extractor.ingest.export_tables.body_rows import Body
from extractor.ingest.export_tables.header_scores import (
    GROUP_SIZE,
    P_HEADER,
    SIZE_ONLY,
    SPREAD_MARGIN,
    STUB_HEADER,
    STUB_SIZED,
    UNREAD,
    Header,
    is_stat,
    label_key,
    p_fit,
    sized,
)

# Where header cells run together: a lower-case letter (Latin, or a Greek note mark: 'p valueaρAge'), a closing
# bracket, a percent sign or a note mark, then a capital; a no-break space before a capital (an empty cell,
# written as one).
_HEADER_JOIN = re.compile(r"(?<=[a-zα-ω)\]%†‡§¶])(?=[A-Z])|(?<=\))(?=[a-z])|(?<=\S)(?=\xa0[A-Z])")
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
# Units and analytes written with a capital inside a word, where no cells meet ("SBP (mmHg)", "TV (mL)", "pH probe",
# "eGFR", "hsCRP"): each of these is in the export's headers or row labels of three articles or more.
_INNER_CAPITAL = re.compile(r"(?<![A-Za-z])(?:[cdkmnμ]?mHg|[dmμn]L|kPa|mEq|kDa|cGy|pH|eGFR|hsCRP|mRNA)(?![a-z])")
_MARKER_PIECE = re.compile(r"^[a-z*†‡§¶#]{1,2}$")  # a footnote marker cut off its header cell ("(n = 20)" "a")
_WORD_HEAD = re.compile(r"^\s*[A-Z][a-z]{1,2}$")  # "Hb" of "HbA1c": a piece too short to be a cell
_WORD = re.compile(r"^[A-Z][a-z]{2}")  # a word of its own after such a piece: "Pa" (P, note a) then "Study drug"


def read_joined_header(line: SourceLine, columns: int, body: Body, with_label: bool | None) -> Header:
    """Header cells run together (<th> cells, written without breaks), with the first row's label at the end when
    `with_label` (None: perhaps, a section row's label): cut where cells meet (the surer cuts, then the weaker
    ones too) and stacked over the columns (`_stackings`). Kept when one reading is clearly best, else left as
    one piece of text."""
    text = line.text
    strong = _cuts(_HEADER_JOIN, text)
    weak = sorted(set(strong) | set(_cuts(_HEADER_JOIN_WEAK, text)))
    readings: list[tuple[float, list[list[SourceLine | None]], SourceLine | None]] = []
    labelled = (True, False) if with_label is None else (with_label,)
    for cuts in (strong, weak) if weak != strong else (strong,):
        doubt = _WEAK_CUT * (len(cuts) - len(strong))
        for take in labelled:
            pieces = _pieces(line, cuts)
            label = pieces.pop() if take and len(pieces) > 1 else None
            if not pieces or len(pieces) > 2 * columns or (take and label is None) or any(map(_glued, pieces)):
                continue
            for score, rows in _stackings(pieces, columns, body):
                readings.append((score - doubt, rows, label))
    if not readings:  # the first row's label still ends the line
        pieces = _pieces(line, weak, whole_words=False)
        label = pieces[-1] if with_label and len(pieces) > 1 else None
        return Header([], label, _before(line, label), UNREAD)
    readings.sort(key=lambda r: (-r[0], len(r[1])))
    best = readings[0]
    close = {(_paths(r[1]), r[2] is None) for r in readings if best[0] - r[0] < SPREAD_MARGIN}
    if len(close) > 1:
        return Header([], best[2], _before(line, best[2]), UNREAD)
    return Header(best[1], best[2], [], best[0])


def joined(text: str) -> bool:
    """Header cells run together (a <th> row written without breaks): where one cell meets another, twice."""
    return len(_cuts(_HEADER_JOIN, text)) >= 2


def _cuts(pattern: re.Pattern[str], text: str) -> list[int]:
    """Where `pattern` says cells meet, but not inside a unit or analyte written with an inner capital."""
    inside = {k for m in _INNER_CAPITAL.finditer(text) for k in range(m.start() + 1, m.end())}
    return [m.start() for m in pattern.finditer(text) if m.start() not in inside]


# The same abbreviation twice in one stretch without a space: cells of groups run together ("FM+DTICDTIC+IFN",
# "AZD3199AZD3199Formoterol").
_FUSED = re.compile(r"(?<!\S)\S*?([A-Z]{3,})\S*?\1")


def _glued(piece: SourceLine) -> bool:
    """A piece that still holds several cells: two group sizes, one text written twice or more, or the same
    abbreviation twice without a space."""
    text = piece.text.strip()
    return len(GROUP_SIZE.findall(text)) > 1 or bool(re.fullmatch(r"(.{2,}?)\1+", text) or _FUSED.search(text))


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


def _stackings(pieces: list[SourceLine], columns: int, body: Body) -> list[tuple[float, list[list[SourceLine | None]]]]:
    """The ways header cells written one after another (empty ones not written) stand over `columns` columns, in
    one row or two, each with its score. Two rows: the upper row's cells each group a run of the lower row's
    labels (`header_rows._spread_score`'s reasons) or stand alone over a column of their own (a cell spanning
    both rows, as "Characteristic" or "P value" often do); a column may have no label in either row."""
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
    body: Body
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
    upper: list[SourceLine], lower: list[SourceLine], placed: list[tuple[str, int, int]], body: Body
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
            if c >= body.stub:  # p-values may go unheaded after the groups they compare, not before them
                later = any(k for k, _, _ in placed[c + 1 :])
                score -= 0.25 if body.p_values[c] and not later else 1.0
        elif kind == "U" and c and (c < body.stub or not is_stat(upper[i].text.strip())):
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
                        score -= 2 if label_key(labels[x]) == label_key(labels[y]) else 0
    grouped = {label_key(labels[c]) for c, (kind, _, _) in enumerate(placed) if kind == "G"}
    for c, (kind, _, _) in enumerate(placed):
        if kind == "L" and c >= body.stub and label_key(labels[c]) in grouped:
            score -= 1  # a label repeated under each group stands under a group here too
        if labels[c] and c >= body.stub:
            score += p_fit(labels[c], body, c)
            if kind != "G" and STUB_HEADER.match(labels[c]):
                score -= 2  # the row labels' header over a column of values
        elif c < body.stub and (sized(labels[c]) or sized(groups[c])):
            score -= STUB_SIZED
    if any(kind in ("U", "G") for kind, _, _ in placed):
        score -= 0.5  # two header rows where one would do need a reason: labels grouped, cells left over
    return score


def _group_score(runs: list[tuple[int, int, str]], lower: list[str], body: Body) -> float:
    """Upper labels over runs of lower labels [a, b): the reasons of `header_rows._spread_score`."""
    keys = [label_key(t) for t in lower]
    stat = [is_stat(t) for t in lower]
    score = 0.0
    for a, b, label in runs:
        if a < body.stub:
            score -= 3 if b > body.stub else 1  # over the row labels' header: rather a cell of its own
            continue
        if STUB_HEADER.match(label):
            score -= 2  # the row labels' header does not group columns of values
        if b - a == 1:
            continue
        score -= 3 * sum(1 for c in range(a, b) if not lower[c])
        if P_HEADER.match(label):
            score -= 2 * (b - a - 1)
        if all(SIZE_ONLY.match(t) for t in lower[a:b]):
            score -= b - a - 1
        if any(
            label_key(other) != label_key(label) and (d - c) == (b - a) and keys[c:d] == keys[a:b]
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
        if pieces and ((glue and not _WORD.match(text[a:b])) or _MARKER_PIECE.match(text[a:b].strip())):
            last = pieces[-1]
            pieces[-1] = SourceLine(text[last.start - line.start : b], last.start, line.page)
        else:
            pieces.append(SourceLine(text[a:b], line.start + a, line.page))
        glue = whole_words and bool(_WORD_HEAD.match(text[a:b]))
    return pieces
