"""Running heads and feet of a PDF: runs in the top or bottom strip of a page's text area whose text (digits
masked) recurs in that strip on another page, and lone page numbers on a page's first or last row."""

from __future__ import annotations

import re
from collections import Counter

from extractor.ingest.pdf.runs import Page, Run

_MARGIN = 0.07  # share of the page height at the top and bottom of the text area where running heads sit
_PAGE_NUMBER = re.compile(r"(?i)(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?")


def drop_running_heads(pages: list[Page]) -> list[Page]:
    """Remove runs in the top/bottom strip repeated on another page's strip (digits masked), and page numbers."""
    strips = [_margin_runs(page) for page in pages]
    seen: Counter[str] = Counter()
    for strip in strips:
        seen.update({_mask(run.text) for run in strip})
    kept: list[Page] = []
    for page, strip in zip(pages, strips, strict=True):
        if not page.runs:
            kept.append(page)
            continue
        first = min(run.top for run in page.runs)
        last = max(run.bottom for run in page.runs)
        drop = {
            id(run)
            for run in strip
            if seen[_mask(run.text)] >= 2
            or (_PAGE_NUMBER.fullmatch(run.text.strip()) and (run.top <= first + 1 or run.bottom >= last - 1))
        }
        runs = [run for run in page.runs if id(run) not in drop]
        kept.append(Page(page.number, page.height, runs, page.rules, page.figures, page.sideways))
    return kept


def _margin_runs(page: Page) -> list[Run]:
    if not page.runs or page.sideways:
        return []
    first = min(run.top for run in page.runs)
    last = max(run.bottom for run in page.runs)
    margin = _MARGIN * page.height
    return [run for run in page.runs if run.bottom <= first + margin or run.top >= last - margin]


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))
