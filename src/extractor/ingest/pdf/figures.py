"""Figures on a PDF page: drawn shapes merged into figure areas, and the text drawn in and around a captioned
figure (axis ticks and titles, legends, panel letters) left out of the reading order."""

from __future__ import annotations

import statistics

from extractor.ingest.pdf.runs import Area, Run
from extractor.ingest.sections import caption_kind

_FIGURE_SIZE = 40.0  # a drawn figure is at least this many points wide and high
_FIGURE_REACH = 6.0  # shapes closer than this belong to one figure
_CAPTION_REACH = 150.0  # a figure caption at most this far (points) below its figure, a third of it above
_PROSE_SHARE = 0.8


def figure_areas(shapes: list[tuple[Area, bool]]) -> tuple[Area, ...]:
    """Shapes merged into areas where they touch (within `_FIGURE_REACH`); areas with a solid shape and big enough."""
    areas: list[tuple[Area, bool]] = []
    for box, solid in sorted(shapes, key=lambda item: item[0].top):
        merged = True
        while merged:
            merged = False
            for k, (area, full) in enumerate(areas):
                if (
                    box.x0 <= area.x1 + _FIGURE_REACH
                    and area.x0 <= box.x1 + _FIGURE_REACH
                    and box.top <= area.bottom + _FIGURE_REACH
                    and area.top <= box.bottom + _FIGURE_REACH
                ):
                    box = Area(
                        min(box.x0, area.x0), min(box.top, area.top), max(box.x1, area.x1), max(box.bottom, area.bottom)
                    )
                    solid = solid or full
                    del areas[k]
                    merged = True
                    break
        areas.append((box, solid))
    return tuple(
        area
        for area, solid in areas
        if solid and area.x1 - area.x0 >= _FIGURE_SIZE and area.bottom - area.top >= _FIGURE_SIZE
    )


def without_figure_text(runs: list[Run], figures: tuple[Area, ...], gutter: float | None) -> list[Run]:
    """The page's runs without the text drawn in and around a figure (axis ticks and titles, legends, panel
    letters). A drawn figure counts when a figure caption lies just above it or below it (within
    `_CAPTION_REACH`); its zone reaches out by a few line heights on each side, down to the caption below it,
    and stays on its side of the gutter unless it crosses it. Captions and lines of prose (wider than
    `_PROSE_SHARE` of the column, six words or more) always stay."""
    if not figures or not runs:
        return runs
    captions = [run for run in runs if (caption_kind(run.text) or ("",))[0] == "figure_caption"]
    if not captions:
        return runs
    height = statistics.median(run.height for run in runs)
    left, right = min(run.x0 for run in runs), max(run.x1 for run in runs)
    zones: list[Area] = []
    for area in figures:
        x0, x1 = area.x0 - 3 * height, area.x1 + 3 * height
        if gutter is not None and area.x1 <= gutter:
            x0, x1 = max(x0, left - 1), min(x1, gutter)
        elif gutter is not None and area.x0 >= gutter:
            x0, x1 = max(x0, gutter), min(x1, right + 1)
        for c in captions:
            if not (c.x0 < area.x1 and area.x0 < c.x1):
                continue
            if -2 <= c.top - area.bottom <= _CAPTION_REACH:
                zones.append(Area(x0, area.top - 2 * height, x1, c.top - 0.1))
                break
            if -2 <= area.top - c.bottom <= _CAPTION_REACH / 3:
                zones.append(Area(x0, c.bottom + 0.1, x1, area.bottom + 3 * height))
                break
    if not zones:
        return runs
    kept: list[Run] = []
    for run in runs:
        inside = any(z.x0 <= run.x0 and run.x1 <= z.x1 and z.top <= run.top and run.bottom <= z.bottom for z in zones)
        prose = (
            run.x1 - run.x0 > _PROSE_SHARE * (right - left) / (1 if gutter is None else 2)
            and len(run.text.split()) >= 6
        )
        if not inside or prose or caption_kind(run.text):
            kept.append(run)
    return kept
