"""Time points of a meta-analyst's question and of a record's results: which is baseline, how long after the
start each is, and which one a question wants (`extractor.query` ranks the arms' results by it)."""

from __future__ import annotations

import re

from extractor.nlp.text.numbers import WORD_NUM, parse_number

BASELINE = re.compile(
    r"\bbaseline\b|\bpre-?(?:test|treatment|operative|op|intervention)?\b|\bbefore\b|\bat\s+entry\b|\bscreening\b"
    r"|\b(?:week|day|month|visit)\s*0\b",
    re.I,
)
SINCE_BASELINE = re.compile(r"\b(?:to|until|through)\s+(?:the\s+)?(?:week|day|month|year|visit|end|\d)", re.I)


def time_key(timepoint: str | None) -> str | None:
    """One time point however each arm's column prints it ('Mean change at 6 months' over one arm, '... at 6
    month' over the other): lowercase, plurals and spacing left out."""
    if timepoint is None:
        return None
    return " ".join(re.sub(r"(?<=[a-z]{3})s\b", "", timepoint.lower()).split())


def prefer_time(timepoint: str | None, wants_baseline: bool, asked_days: float | None) -> tuple[int, int, float]:
    """A question naming a time ('at 4 h', 'week 48') wants that time; a question about baseline wants baseline
    values; any other, the end of the study: a later time over an earlier one, both over baseline."""
    at_baseline = timepoint is not None and bool(BASELINE.search(timepoint)) and not SINCE_BASELINE.search(timepoint)
    days = time_in_days(timepoint)
    asked = int(asked_days is not None and days is not None and abs(days - asked_days) < 1e-6)
    if wants_baseline:
        return asked, 2 if at_baseline else 0, 0.0
    if timepoint is None:
        return asked, 1, 0.0
    return asked, 0 if at_baseline else 2, days or 0.0


_TIME = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*-?\s*(?P<unit>min(?:utes?)?|h|hrs?|hours?|d|days?|wks?|weeks?|mo|mos|months?|yrs?|years?)\b"
    rf"|\b(?P<num_word>{WORD_NUM})(?:\s+|-)(?P<unit_spelled>minutes?|hours?|days?|weeks?|months?|years?)\b"
    r"|\b(?P<unit_first>day|week|month|year|visit)\s*(?P<num_after>\d+(?:\.\d+)?)\b",
    re.I,
)
_DAYS_PER = {"mi": 1 / 1440, "h": 1 / 24, "d": 1.0, "w": 7.0, "mo": 30.4, "y": 365.25}


def time_in_days(text: str | None) -> float | None:
    """The first duration a time point prints, in days ('24 weeks', 'week 48', 'at 4 h'); None if none
    (or only a visit number, which has no length)."""
    m = _TIME.search(text or "")
    if m is None:
        return None
    unit = (m.group("unit") or m.group("unit_spelled") or m.group("unit_first")).lower()
    if unit == "visit":
        return None
    key = "mi" if unit.startswith("mi") else "mo" if unit.startswith("mo") else unit[0]
    return (parse_number(m.group("num") or m.group("num_word") or m.group("num_after")) or 0.0) * _DAYS_PER[key]
