"""Analytes: the laboratory values and vital signs the project reads, their SI units, molar masses, conversion
factors, LOINC numbers and plausible bounds (`lexicons/analytes.tsv`, merged with the open labunits table), and
where a text names one (`AnalyteMatcher`).

Read by the lab-value component (prose) and the table component (rows of baseline and laboratory tables), which
both turn a value into its LabValue fields with `lab_item`. No spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor.lexicons import iter_tsv
from extractor.nlp.quantities import Unit, convert, round_sig
from extractor.nlp.text.alternation import longest_first

Item = dict[str, Any]


@dataclass(frozen=True)
class Analyte:
    """One row of `lexicons/analytes.tsv`."""

    canonical: str
    synonyms: tuple[str, ...]
    unit_si: str
    molar_mass: float | None = None
    min_si: float | None = None
    max_si: float | None = None
    also_units: tuple[str, ...] = ()
    loinc: tuple[str, ...] = ()
    factors: tuple[tuple[str, float], ...] = ()

    def reads(self, unit: Unit) -> bool:
        """Whether a value printed in `unit` can be a value of this analyte."""
        return unit.display in self.also_units or self.to_si(1.0, unit) is not None

    def to_si(self, value: float, unit: Unit) -> float | None:
        """None for a unit of `also_units`: 'HbA1c 7.1%' is not 71 mmol/mol (the IFCC scale is not a ratio of %).
        A unit pint cannot relate to `unit_si` converts through the analyte's own factor: enzymes printed in IU/L
        are U/L, 'mEq/L' of magnesium is half a mmol/L, insulin in uIU/mL has no molar mass."""
        if unit.display in self.also_units:
            return None
        direct = convert(value, unit, self.unit_si, self.molar_mass)
        if direct is not None:
            return direct
        for conventional, factor in self.factors:
            in_conventional = convert(value, unit, conventional)
            if in_conventional is not None:
                return in_conventional * factor
        return None

    def plausible(self, value_si: float) -> bool:
        low = self.min_si if self.min_si is not None else float("-inf")
        high = self.max_si if self.max_si is not None else float("inf")
        return low <= value_si <= high


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _factors(text: str) -> tuple[tuple[str, float], ...]:
    """'IU/L:0.0166667|mEq/L:1' -> (('IU/L', 0.0166667), ('mEq/L', 1.0))."""
    pairs = []
    for entry in text.split("|"):
        if entry.strip():
            unit, _, factor = entry.rpartition(":")
            pairs.append((unit.strip(), float(factor)))
    return tuple(pairs)


def load_analytes(rows: Iterable[dict[str, str]]) -> list[Analyte]:
    return [
        Analyte(
            canonical=row["canonical"],
            synonyms=tuple(s.strip() for s in row["synonyms"].split("|") if s.strip()),
            unit_si=row["unit_si"],
            molar_mass=_number(row["molar_mass"]),
            min_si=_number(row["min_si"]),
            max_si=_number(row["max_si"]),
            also_units=tuple(u for u in row["also_units"].split("|") if u),
            loinc=tuple(code for code in row.get("loinc", "").split("|") if code),
            factors=_factors(row.get("factors", "")),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    analyte: Analyte


class AnalyteMatcher:
    """Finds analyte names: synonyms with a capital letter case-sensitively, the others in any case."""

    def __init__(self, analytes: Sequence[Analyte]) -> None:
        self.by_name = {a.canonical: a for a in analytes}
        self.by_surface: dict[str, Analyte] = {}
        for analyte in analytes:
            for synonym in analyte.synonyms:
                key = synonym if _case_sensitive(synonym) else synonym.lower()
                self.by_surface.setdefault(key, analyte)
        sensitive = [s for s in self.by_surface if _case_sensitive(s)]
        insensitive = [s for s in self.by_surface if not _case_sensitive(s)]
        self.sensitive = _alternation(sensitive, 0)
        self.insensitive = _alternation(insensitive, re.IGNORECASE)

    def named(self, surface: str) -> Analyte | None:
        """The analyte a name names, under the matching rules of `find`."""
        return self.by_surface.get(surface) if _case_sensitive(surface) else self.by_surface.get(surface.lower())

    def find(self, text: str, end: int | None = None) -> list[Mention]:
        """Non-overlapping names, the longer of two overlapping ones kept ('Serum creatinine phosphokinase' is
        creatine kinase, not serum creatinine)."""
        end = len(text) if end is None else end
        found = [Mention(m.start(), m.end(), self.by_surface[m.group()]) for m in self.sensitive.finditer(text, 0, end)]
        found += [
            Mention(m.start(), m.end(), self.by_surface[m.group().lower()])
            for m in self.insensitive.finditer(text, 0, end)
        ]
        found += self._overlapping(text, found, end)
        kept: list[Mention] = []
        for mention in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
            if kept and mention.start < kept[-1].end:
                if mention.end - mention.start > kept[-1].end - kept[-1].start:
                    kept[-1] = mention
                continue
            kept.append(mention)
        return kept

    def _overlapping(self, text: str, found: list[Mention], end: int) -> list[Mention]:
        """Names starting at a later word of a name found, and running past it (a scan finds no overlaps)."""
        more = []
        for mention in found:
            for word in re.finditer(r"(?<=[\s(/])\S", text[mention.start : mention.end]):
                at = mention.start + word.start()
                for pattern, key in ((self.sensitive, str), (self.insensitive, str.lower)):
                    match = pattern.match(text, at, end)
                    if match and match.end() > mention.end:
                        more.append(Mention(at, match.end(), self.by_surface[key(match.group())]))
        return more


def _case_sensitive(surface: str) -> bool:
    return any(ch.isupper() for ch in surface)


def _alternation(surfaces: Sequence[str], flags: int) -> re.Pattern[str]:
    """The longest name at each position (a trie: a plain alternation of 800 names was 8% of the pipeline)."""
    return re.compile(rf"(?<![\w-])(?:{longest_first(surfaces, flags)})(?![\w])", flags)


@lru_cache(maxsize=1)
def packaged_analytes() -> tuple[Analyte, ...]:
    return tuple(load_analytes(iter_tsv("analytes.tsv")))


def lab_item(analyte: Analyte, value: float, unit: Unit | None, raw: str, change: bool = False) -> Item | None:
    """The LabValue fields for a value; None when the value is implausible for the analyte (a change from
    baseline, 'Sodium: -0.04 mmol/L at week 102', is no level and has no plausible range)."""
    value_si = analyte.to_si(value, unit) if unit else None
    if value_si is not None and not change and not analyte.plausible(value_si):
        return None
    return {
        "analyte": analyte.canonical,
        "value": value,
        "unit": unit.display if unit else None,
        "value_si": round_sig(value_si) if value_si is not None else None,
        "unit_si": analyte.unit_si if value_si is not None else None,
        "raw": raw,
        "arm": None,
        "timepoint": None,
    }
