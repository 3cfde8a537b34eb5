"""Statistics as printed: '12.3 ± 4.5', '12.3 (4.5)', '3 (2–5)', '14 (35%)', '14/40', '<0.001', and which
statistic each number is ('mean ± SD', 'median (IQR)', 'n (%)' in a header, caption or footnote).

`read_stat` parses the shape of one printed value; `StatHint.of` reads what a label says the shape means;
`interpret` combines the two (and the group size, when known) into a `Reading`: mean with SD, median with
IQR, events with percent... A count is told from a mean by the hint, else by consistency with the group size
('14 (35%)' with n = 40). Patterns for the hints are data (`lexicons/stat_rules.json`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractor.nlp.rules import Center, Spread, stat_rules
from extractor.nlp.text.numbers import MINUS, NUM, as_count, parse_number


@lru_cache(maxsize=1)
def rules() -> tuple[dict[Center, re.Pattern[str]], dict[Spread, re.Pattern[str]]]:
    data = stat_rules()
    return (
        {k: re.compile(v, re.I) for k, v in data.center.items()},
        {k: re.compile(v, re.I) for k, v in data.spread.items()},
    )


@dataclass(frozen=True)
class StatHint:
    center: Center | None = None
    spread: Spread | None = None

    @classmethod
    def of(cls, text: str | None) -> StatHint:
        if not text:
            return cls()
        centers, spreads = rules()
        center = next((name for name, p in centers.items() if p.search(text)), None)
        spread = next((name for name, p in spreads.items() if p.search(text)), None)
        return cls(center, spread)

    def over(self, fallback: StatHint) -> StatHint:
        """This hint, its gaps filled from a less specific source."""
        return StatHint(self.center or fallback.center, self.spread or fallback.spread)

    @property
    def empty(self) -> bool:
        return self.center is None and self.spread is None


@dataclass(frozen=True)
class Stat:
    """The shape of one printed value: '12.3 ± 4.5' -> value 12.3, second 4.5, pm; '3 (2–5)' -> low 2, high 5."""

    value: float
    second: float | None = None  # the number in parentheses or after ±
    low: float | None = None  # an interval printed after the value
    high: float | None = None
    percent: float | None = None  # a % printed with the value or in its parentheses
    total: int | None = None  # b in 'a/b'
    pm: bool = False
    qualifier: str | None = None  # '<' or '>'
    count_marker: bool = False  # '13 (n)'
    value_is_percent: bool = False  # '35%'


_MARKERS = re.compile(
    r"(?:\s*(?:[*†‡§¶#]+|\^[^^\s]{1,3}\^|(?<=[\d)\]%])[a-z](?:,[a-z])*)|(?<=[\d)\]%])\s+[a-h](?:\s*,\s*[a-h])*)+\s*$"
)
_SIGNED = rf"[{MINUS}+]?\s?{NUM}"
_CELL = re.compile(
    rf"""^(?P<q>[<>≤≥]\s*|less\s+than\s+|more\s+than\s+)?(?P<v>{_SIGNED})\s*(?P<pct>%)?
    (?:\s*(?:±|\+/-|\+-|\+/−|\+\s*/\s*-)\s*(?P<pm>{NUM})\s*%?
      |\s*/\s*(?P<total>\d+(?:,\d{{3}})*)\b)?
    (?P<groups>(?:\s*[(\[][^()\[\]]*[)\]]){{0,2}})\s*$""",
    re.X | re.I,
)
_GROUP = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
# How far a printed percent may sit from count / n and still be that share ('14 (35%)' with n = 40):
PERCENT_SLACK = 0.6  # points: a percent rounded to a whole number is off by up to 0.5, plus a little
PERCENT_SLACK_SHARE = 0.01  # ... or 1% of the percent, for large ones rounded coarsely
_INTERVAL = re.compile(
    rf"^(?:\d{{2}}(?:\.\d)?\s*%\s*CI\s*[:,=]?\s*)?(?P<lo>{_SIGNED})\s*%?\s*(?:[–—]|-|to|,|;|\.\.)\s*(?P<hi>{_SIGNED})\s*%?"
    rf"(?:\s*;\s*{_SIGNED}\s*(?:[–—]|-|to|,)\s*{_SIGNED})?$",
    re.I,
)


def read_stat(text: str) -> Stat | None:
    """The shape of a printed value, or None when `text` is not one (a label, 'NS', a dash)."""
    text = _MARKERS.sub("", text.strip().replace("·", ".").replace("\u2009", " ").replace("\u00a0", " "))
    m = _CELL.match(text)
    if not m:
        return None
    value = parse_number(m.group("v"))
    if value is None:
        return None
    q = (m.group("q") or "").strip().lower()
    stat = Stat(
        value,
        qualifier={"<": "<", "≤": "<", "less than": "<", ">": ">", "≥": ">", "more than": ">"}.get(q) if q else None,
        value_is_percent=bool(m.group("pct")),
        pm=m.group("pm") is not None,
        second=parse_number(m.group("pm")) if m.group("pm") else None,
        total=as_count(parse_number(m.group("total"))) if m.group("total") else None,
    )
    read: Stat | None = stat
    for inner in _GROUP.findall(m.group("groups") or ""):
        read = _inner(read, inner.strip()) if read is not None else None
    return read


def _inner(stat: Stat, inner: str) -> Stat | None:
    """What one parenthesized part adds: '4.5', '±4.5', '35%', '2–5', 'n = 20', 'n'."""
    if not inner:
        return stat
    if re.fullmatch(r"n", inner, re.I):
        return replace(stat, count_marker=True)
    if re.fullmatch(r"n\s*=\s*\d+", inner, re.I):
        return stat
    m = re.fullmatch(rf"(?:±|\+/-)\s*({NUM})", inner)
    if m:
        return replace(stat, second=parse_number(m.group(1)), pm=True)
    m = re.fullmatch(rf"({_SIGNED})\s*(%?)", inner)
    if m:
        number = parse_number(m.group(1))
        if m.group(2):
            return replace(stat, percent=number)
        return replace(stat, second=number) if stat.second is None else stat
    m = _INTERVAL.match(inner)
    if m:
        low, high = parse_number(m.group("lo")), parse_number(m.group("hi"))
        if low is None or high is None:
            return None
        return replace(stat, low=low, high=high)
    return None


@dataclass(frozen=True)
class Reading:
    """A printed value read as a statistic: what a record item needs."""

    measure: str  # mean | median | rate | count | value
    value: float
    sd: float | None = None
    se: float | None = None
    low: float | None = None
    high: float | None = None
    interval: Spread | None = None  # what low/high are: ci, iqr or range
    events: int | None = None
    percent: float | None = None
    qualifier: str | None = None
    n: int | None = None  # a denominator printed with the value ('14/40')

    @property
    def binary(self) -> bool:
        return self.events is not None or self.measure in ("rate", "count")


def consistent_percent(count: float, percent: float, n: int | None) -> bool:
    """'14 (35%)' with n = 40: the percent is the count's share of the group (within rounding)."""
    if n is None or n <= 0:
        return False
    return abs(100.0 * count / n - percent) <= max(PERCENT_SLACK, PERCENT_SLACK_SHARE * percent)


def interpret(stat: Stat, hint: StatHint = StatHint(), n: int | None = None) -> Reading:
    """The statistic `stat` prints, given what the labels say (`hint`) and the group size."""
    center, spread = hint.center, hint.spread
    share = center == "proportion"  # a share of the people: read as a percent, an interval as the rate's
    center = "percent" if share else center
    whole = stat.value == int(stat.value) and stat.value >= 0
    if stat.value_is_percent:
        interval: Spread | None = None
        if stat.low is not None and stat.high is not None:
            interval = spread if spread in ("iqr", "range", "ci") else "ci"
        return Reading(
            "rate",
            stat.value,
            percent=stat.value,
            qualifier=stat.qualifier,
            low=stat.low,
            high=stat.high,
            interval=interval,
        )
    if stat.total is not None and whole and stat.value <= stat.total:
        pct = stat.percent
        if pct is None and stat.second is not None and consistent_percent(stat.value, stat.second, stat.total):
            pct = stat.second  # '6/88 (6.8)'
        if pct is not None:
            return Reading("rate", pct, events=int(stat.value), percent=pct, n=stat.total)
        return Reading("count", stat.value, events=int(stat.value), n=stat.total)
    if stat.percent is not None and whole and not stat.pm:
        return Reading("rate", stat.percent, events=int(stat.value), percent=stat.percent)
    if stat.count_marker and whole:
        return Reading("count", stat.value, events=int(stat.value))
    second = stat.second
    if second is not None and not stat.pm and whole and center == "count" and consistent_percent(stat.value, second, n):
        # a 'No. (%)' row whose percent is its count's share of the group, whatever spread a caption or footnote
        # names for other cells ('mean (SD)', a difference's 95% CI)
        return Reading("rate", second, events=int(stat.value), percent=second)
    if center == "percent_count" and second is not None and second == int(second) and second >= 0 and not stat.pm:
        return Reading("rate", stat.value, events=int(second), percent=stat.value)
    if (
        second is not None
        and not stat.pm
        and center is None
        and spread is None
        and second == int(second)
        and stat.value <= 100
        and consistent_percent(second, stat.value, n)
    ):
        return Reading("rate", stat.value, events=int(second), percent=stat.value)  # '75.9 (22)' with n = 29
    if (
        second is not None
        and not stat.pm
        and whole
        and center in (None, "count", "percent")
        and spread is None
        and (center in ("count", "percent") or (consistent_percent(stat.value, second, n) and second <= 100))
    ):
        return Reading("rate", second, events=int(stat.value), percent=second)
    within = stat.low is not None and stat.high is not None and 0 <= stat.low <= stat.value <= stat.high <= 100
    if share and within and not stat.pm:
        # 'Percentage of patients with HbA1c <7.0% (95% CI)': 24.2 (17.4 to 30.9) is a rate and its interval
        interval = spread if spread in ("iqr", "range", "ci") else "ci"
        return Reading("rate", stat.value, percent=stat.value, low=stat.low, high=stat.high, interval=interval)
    if stat.low is not None and stat.high is not None:
        interval = spread if spread in ("iqr", "range", "ci") else ("ci" if center == "mean" else "iqr")
        if spread is None and center is None:
            interval = "ci"
        measure = center if center in ("mean", "median") else ("median" if interval in ("iqr", "range") else "mean")
        if stat.second is not None and stat.pm:
            return Reading(measure, stat.value, sd=stat.second, low=stat.low, high=stat.high, interval=interval)
        return Reading(measure, stat.value, low=stat.low, high=stat.high, interval=interval, qualifier=stat.qualifier)
    if second is not None:
        measure = center if center in ("mean", "median") else "mean"
        if spread == "se":
            return Reading(measure, stat.value, se=second)
        if spread in ("iqr", "range") and measure == "median":
            return Reading(measure, stat.value)
        return Reading(measure, stat.value, sd=second)
    if center == "count" and whole:
        return Reading("count", stat.value, events=int(stat.value))
    if center == "percent":
        return Reading("rate", stat.value, percent=stat.value, qualifier=stat.qualifier)
    return Reading(center if center in ("mean", "median") else "value", stat.value, qualifier=stat.qualifier)
