"""A reading of an export table's header (`Header`) and what readings are weighed by: labels over the columns
that hold values, p-value headers over p-values, group sizes away from the row labels, study groups apart from
statistics columns (a total, a difference, a p-value)."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from extractor.ingest.clean import SourceLine
from extractor.ingest.export_tables.body_rows import Body


# Header rows (a cell spanning columns: the same line at each position it covers), the first body row's label
# where the header ran into it (or a section row's label, when the body starts after the header's line), and
# header lines left out of the grid (their columns could not be told).
class Header(NamedTuple):
    rows: list[list[SourceLine | None]]
    label: SourceLine | None
    left_out: list[SourceLine]
    score: float  # how well the header reads (0: as headers usually do; lower: doubts, left-out lines)


UNREAD = -3.0  # the score of a header whose lines could not be placed
NO_HEADER = -2.0  # the score of no header lines at all (a table without column headers is rare)
# A lower header label that is no study group: a p-value, a total, an effect or difference between groups.
STAT_HEADER = re.compile(
    r"(?i)^\s*(?:p\b|p[- ]?values?|sig(?:nificance|\.)?\b)|\b(?:p[- ]?values?|total|overall|difference|diff\.|"
    r"ratio|effect|versus|vs\.?|95\s*%|CI)\b"
)
# A header that names the row labels ("Characteristics", "Variable", "Adverse event"): it stands over the row-label
# column, not over groups of value columns.
STUB_HEADER = re.compile(
    r"(?i)^\s*(?:(?:baseline |patient |clinical )?characteristics?|variables?|parameters?|outcomes?|measures?|"
    r"(?:adverse )?events?|adverse reactions?|items?)\s*[a-z*†‡§¶]?\s*$"
)
STUB_SIZED = 2.0  # a group size ("n = 40") over the row labels: a group's header put in the wrong column
P_HEADER = re.compile(r"(?i)^\s*(?:p|p[- ]?values?|sig(?:nificance|\.)?)\b")
SPREAD_MARGIN = 0.5
GROUP_SIZE = re.compile(r"\b[nN]\s*=\s*\d")
SIZE_ONLY = re.compile(r"^\s*[(\[]?\s*[nN]\s*=\s*[\d,]+\s*[)\]]?\s*$")


def unlabelled(lower: list[str], upper: list[str], body: Body) -> float:
    """Penalties for how the labels sit on the body: a column holding values that no header label reaches, a
    group size over the row labels; a p-value's header over p-values or not (`p_fit`)."""
    score = -float(sum(1 for c, v in enumerate(body.valued) if v and not lower[c] and not upper[c]))
    score -= STUB_SIZED * sum(1 for c in range(body.stub) if GROUP_SIZE.search(lower[c] + " " + upper[c]))
    for row in (lower, upper):  # over the row labels: one header at most (a group's label belongs right of them)
        score -= STUB_SIZED * max(0, len({t for t in row[: body.stub] if t}) - 1)
    return score + sum(p_fit(lower[c], body, c) for c in range(body.stub, len(lower)) if lower[c])


@functools.lru_cache(maxsize=4096)
def is_stat(label: str) -> bool:
    return bool(label) and bool(STAT_HEADER.search(label))


@functools.lru_cache(maxsize=4096)
def _is_p(label: str) -> bool:
    return bool(P_HEADER.match(label))


@functools.lru_cache(maxsize=4096)
def sized(label: str) -> bool:
    return bool(GROUP_SIZE.search(label))


def p_fit(label: str, body: Body, column: int) -> float:
    """A p-value's header over a column of p-values reads well; over other values, or other labels over
    p-values, less so."""
    p_label = _is_p(label)
    return 0.5 if p_label and body.p_values[column] else -0.5 if p_label != body.p_values[column] else 0.0


@functools.lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """A header label without its numbers (group sizes, footnote numbers): what repeats under each group."""
    return re.sub(r"[\W\d_]+", " ", re.sub(r"\(\s*[nN]\s*=\s*[\d,]+\s*\)", "", text)).strip().lower()
