"""Adverse events from tables left in the text (`table_grids`): a table whose row labels are adverse-event terms
gives one event per cell, with the grade its sub-row or header names, and the study and arm of its column.

The column's study is the trial or cited study its group header names (else the study the table sits in); its
arm is one of that study's regimens (`study_context`), chosen by the column label (a drug, or placebo/control,
abbreviations expanded by the table's footnotes). Tables of the Document (JATS, HTML, PDF cells) are read by
`extractor_tables` instead. No spaCy: the adverse-event component turns each `TableEvent` into an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.nlp.positions import between
from extractor.nlp.study_context import PLACEBO, Agent, ArmMention, Regimen, StudyContext, regimen_lists
from extractor.nlp.text.adverse_event_terms import TermMatcher, read_grade
from extractor.nlp.text.table_grids import Grid, cells, parse_cell, parse_table
from extractor.nlp.text.table_reader import footnote_abbreviations


@dataclass(frozen=True)
class TableEvent:
    """One cell: its event, grade, value, column's study and arm, and where the value and its row are printed."""

    event: str
    grade: str
    percent: float
    n: int | None
    arm: Regimen | None
    study: str | None
    start: int
    end: int
    row: tuple[int, int] | None  # the row's extent, the item's evidence
    qualifier: str | None = None


class AdverseEventTableReader:
    """Reads the adverse-event tables of a text with the lexicon's terms and the grade cue of `ae_cues.json`."""

    def __init__(self, matcher: TermMatcher, grade: re.Pattern[str]) -> None:
        self.matcher = matcher
        self.grade = grade

    def read(
        self, text: str, lo: int, hi: int, context: StudyContext, arms: list[ArmMention], agents: list[Agent]
    ) -> list[TableEvent]:
        """Every cell of the table at text[lo:hi] when its row labels are adverse-event terms, in text order."""
        grid = parse_table(text[lo:hi])
        if grid is None or not self.is_ae_table(grid):
            return []
        abbreviations = footnote_abbreviations(grid.footnotes)
        found: list[TableEvent] = []
        groups = self._column_groups(text, grid, lo, hi, abbreviations, context, arms, agents)
        for cell, at in zip(cells(grid), _cell_offsets(grid), strict=True):
            value = parse_cell(cell.text)
            event = self.row_event(cell.row[0])
            if value is None or event is None or at is None:
                continue
            grade = next(
                (read_grade(x, self.grade) for x in (*cell.row[1:], *cell.column) if read_grade(x, self.grade)),
                None,
            )
            study, arm = groups.get(cell.column, (None, None))
            row_start, row_end = _row_extent(grid, cell.row[0])
            row = (lo + row_start, lo + row_end) if row_end > row_start else None
            found.append(
                TableEvent(
                    event,
                    grade or "all",
                    value.value,
                    value.n,
                    arm,
                    study,
                    lo + at[0],
                    lo + at[1],
                    row,
                    value.qualifier,
                )
            )
        return sorted(found, key=lambda e: e.start)

    def row_event(self, label: str) -> str | None:
        """'Stomatitis/mucositis' -> stomatitis (the pairing as a whole, else its first term)."""
        found = self.matcher.find(label)
        whole = [t for t in found if t.start == 0 and t.end >= len(label.rstrip())]
        if whole:
            return whole[0].event
        return found[0].event if found and found[0].kind == "event" else None

    def is_ae_table(self, grid: Grid) -> bool:
        labels = list(dict.fromkeys(row[0] for row in grid.rows))
        return bool(labels) and sum(self.row_event(label) is not None for label in labels) * 2 >= len(labels)

    def _column_groups(
        self,
        text: str,
        grid: Grid,
        lo: int,
        hi: int,
        abbreviations: dict[str, str],
        context: StudyContext,
        arms: list[ArmMention],
        agents: list[Agent],
    ) -> dict[tuple[str, ...], tuple[str | None, Regimen | None]]:
        """Study and arm of each column: the trial or cited study its group header names (else the study the
        table sits in), that study's arms (read from the whole document) and the column label choosing one
        (a drug, or placebo/control); a column whose label names drugs and no study is those drugs' arm."""
        found: dict[tuple[str, ...], tuple[str | None, Regimen | None]] = {}
        cursor = lo
        for col in range(grid.stub, max((len(r) for r in grid.header), default=0)):
            column = tuple(h[col] for h in grid.header if col < len(h))
            if column in found:
                continue
            group, label = (column[0], column[-1]) if len(column) > 1 else ("", column[0])
            g_start, g_end = _locate(text, group, cursor, hi)
            l_start, l_end = _locate(text, label, max(cursor, g_end), hi)
            cursor = max(cursor, g_start)
            anchor = next((a for a in between(context.anchors, g_start, g_end) if not a.own), None)
            if anchor is None and not group:
                anchor = context.anchor_at(lo)
            regimens = context.regimens(anchor) if anchor and group else []
            from_header = bool(group) and len(regimens) < 2
            if from_header:
                lists = regimen_lists(text, agents, g_start, g_end)
                regimens = lists[0][1] if lists else regimens
            named = [a for a in between(arms, l_start, l_end) if a.names]
            study = anchor.study if anchor else None
            found[column] = (study, _column_arm(label, named, abbreviations, regimens, from_header))
        return found


def _locate(text: str, needle: str, start: int, end: int) -> tuple[int, int]:
    at = text.find(needle, start, end) if needle else -1
    return (at, at + len(needle)) if at >= 0 else (start, start)


def _column_arm(
    label: str, named: list[ArmMention], abbreviations: dict[str, str], regimens: list[Regimen], from_header: bool
) -> Regimen | None:
    """A column labelled placebo/control is the study's control arm; a drug label (or its abbreviation, as the
    table's footnote expands it) the experimental arm; without study arms, the drugs the label names. Arms read
    from the header alone ('letrozole ± everolimus') take the label's placebo; arms the document gives are kept
    as given (an open-label trial's control has none)."""
    expanded = abbreviations.get(label.strip(), label).lower()
    control = bool(re.search(r"\b(?:placebo|control|alone|comparator)\b", expanded))
    if regimens:
        if not control:
            return regimens[0]
        arm = regimens[1] if len(regimens) >= 2 else Regimen(regimens[0].names[:-1])
        if from_header and "placebo" in expanded and not arm.has_placebo:
            arm = Regimen((PLACEBO, *arm.names))
        return arm
    if named:
        return Regimen(tuple(dict.fromkeys(n for a in named for n in a.names)))
    return Regimen((PLACEBO,)) if "placebo" in expanded else None


def _cell_offsets(grid: Grid) -> list[tuple[int, int] | None]:
    offsets = grid.offsets or []
    flat: list[tuple[int, int] | None] = []
    for r, row in enumerate(grid.rows):
        for c in range(grid.stub, len(row)):
            flat.append(offsets[r][c] if r < len(offsets) and c < len(offsets[r]) else None)
    return flat


def _row_extent(grid: Grid, label: str) -> tuple[int, int]:
    spans = [
        o
        for r, row in enumerate(grid.rows)
        if row[0] == label
        for o in (grid.offsets[r] if grid.offsets and r < len(grid.offsets) else [])
        if o is not None
    ]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (0, 0)
