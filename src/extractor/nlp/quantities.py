"""Numbers and units as printed in articles: parsed, normalized and converted with pint.

A printed unit ("mg/m²", "/μl", "U/l", "x10^9/L", "˚C") is split at '/', each part is read by pint (after
the spellings of `lexicons/unit_spellings.tsv`; extra units in `lexicons/pint_units.txt`), and written back
in one house style: pint's symbols, micro as 'u' (microgram as 'mcg'), litre as 'L', powers as digits
('m2'), so "mg/m²" and "mg/m2" compare equal. Every function here is pure and never raises on bad input:
what cannot be read gives None.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pint

from extractor.lexicons import iter_tsv, read_text
from extractor.nlp.text.numbers import parse_number

# A number as printed: thousands separators ("92,000"), decimal point or middle dot ("0·5").
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:[.·]\d+)?"
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_POWER_OF_TEN = re.compile(r"^(?:[x×*]\s*)?10\s*(?:\^|\*\*)?\s*\(?(-?\d{1,2})\)?$")
_PART_WITH_POWER = re.compile(r"^([A-Za-z]+?)\s*(?:\^|\*\*)?\s*(-?[23])$")
# Linear on any input: a match starts at a run's first space or letter only (the lookbehinds), and no two
# whitespace quantifiers stand side by side (`\s*[·.]?\s*` took minutes on 4,000 spaces: O(n^3)).
_INVERSE_POWER = re.compile(r"(?<!\s)(?:\s*[·.Á])?\s*(?<![A-Za-z])([A-Za-z]+)\s*(?:(?:\^|\*\*)\s*)?-\s*1(?!\d)")
_SPACED_POWER = re.compile(r"(?<=[A-Za-z])(?:\s+([23])(?!\d)|\(([23])\))")  # 'm 2', 'm(2)' -> 'm2'
_BRITISH = re.compile(r"(met|lit)res?$")  # 'kilometres' -> 'kilometer'

_DEGREES = re.compile(r"^[°˚º]\s*([CF])$", re.IGNORECASE)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """pint's registry with the definitions of `lexicons/pint_units.txt` added."""
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    for line in read_text("pint_units.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            ureg.define(line)
    return ureg


# pint symbols respelled: 'mcg' as the drug label prints it, counts as their noun, days and years in words
_SYMBOLS = {"ug": "mcg", "beat": "beats", "breath": "breaths", "count": "", "cell": "", "d": "day", "a": "year"}


@lru_cache(maxsize=1)
def _spellings() -> dict[str, str]:
    return {row["printed"].lower(): row["pint"] for row in iter_tsv("unit_spellings.tsv")}


@dataclass(frozen=True)
class Unit:
    """A printed unit, read: `display` is the house spelling, `scale` × `pint_units` its meaning."""

    printed: str
    display: str
    parts: tuple[str, ...]  # display of each '/'-separated part
    pint_units: str
    scale: float = 1.0


def _read_part(part: str) -> tuple[str, Any] | None:
    """One '/'-separated part -> (display, pint quantity of 1 of it), or None when pint cannot read it."""
    power = _POWER_OF_TEN.match(part)
    if power:
        exponent = int(power.group(1))
        return f"10^{exponent}", registry().Quantity(10.0**exponent, "dimensionless")
    degrees = _DEGREES.match(part)
    if degrees:
        return f"°{degrees.group(1).upper()}", registry().Quantity(1, f"deg{degrees.group(1).upper()}")
    exponent = 1
    with_power = _PART_WITH_POWER.match(part)
    if with_power:
        part, exponent = with_power.group(1), int(with_power.group(2))
    if not any(ch.isalpha() or ch == "%" for ch in part):
        return None
    for candidate in (part, part.lower(), _BRITISH.sub(r"\1er", part.lower())):
        try:
            quantity: Any = registry().Quantity(candidate)
        except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, KeyError):
            continue
        if isinstance(quantity, registry().Quantity):
            return _display(quantity, exponent), quantity**exponent
    return None


def _display(quantity: Any, exponent: int) -> str:
    """House spelling of one part: pint symbols, 'u' for micro, 'mcg', 'L' for litre, digit powers."""
    symbols = []
    for name, power in quantity.units._units.items():
        symbol = registry().get_symbol(name).replace("µ", "u").replace("μ", "u")
        if symbol.endswith("l") and name.endswith("liter"):
            symbol = symbol[:-1] + "L"
        symbol = _SYMBOLS.get(symbol, symbol)
        total = int(power * exponent) if float(power).is_integer() else power
        symbols.append(symbol if total in (1, -1) else f"{symbol}{abs(total)}")
    return "·".join(s for s in symbols if s)


@lru_cache(maxsize=4096)
def parse_unit(printed: str) -> Unit | None:
    """'mg/m²' -> Unit(display='mg/m2'); '/μl' -> '/uL'; 'x10^9/L' -> '10^9/L'; None when any part is unreadable."""
    text = printed.translate(_SUPERSCRIPTS).replace("μ", "u").replace("µ", "u").replace("−", "-")
    text = _INVERSE_POWER.sub(r"/\1", _SPACED_POWER.sub(r"\1\2", text.strip()))  # 'ml · kg −1' -> 'ml/kg'
    text = "/".join(_spellings().get(p.strip().lower(), p.strip()) for p in text.split("/"))
    if not text or text.endswith("/") or "//" in text:
        return None
    parts: list[str] = []
    meaning: Any = None
    for i, raw in enumerate(text.split("/")):
        read = ("", registry().Quantity(1, "dimensionless")) if i == 0 and raw == "" else _read_part(raw)
        if read is None:
            return None
        display, quantity = read
        parts.append(display)  # '' for the empty numerator of '/uL'
        try:
            meaning = quantity if meaning is None else meaning / quantity
        except pint.errors.PintError:  # '°C/min': offset units do not combine
            return None
    scale = float(meaning.magnitude)
    units = str(meaning.units)
    return Unit(printed=printed, display="/".join(parts), parts=tuple(parts), pint_units=units, scale=scale)


def dimensionality(unit: Unit) -> str:
    """pint's dimensionality of a unit, as a string ('[mass] / [length] ** 3'), for compatibility checks."""
    return str(registry().Unit(unit.pint_units).dimensionality)


def convert(value: float, unit: Unit, target: str, molar_mass: float | None = None) -> float | None:
    """value in `unit` expressed in `target` ('mmol/L'); mass <-> amount of substance through pint's chemistry
    context when a molar mass (g/mol) is given. None when the two are not convertible."""
    ureg = registry()
    target_unit = parse_unit(target)
    if target_unit is None:
        return None
    quantity = ureg.Quantity(value * unit.scale, unit.pint_units)
    wanted = ureg.Quantity(target_unit.scale, target_unit.pint_units)
    try:
        if molar_mass is not None and quantity.dimensionality != wanted.dimensionality:
            with ureg.context("chemistry", mw=molar_mass * ureg("g/mol")):
                converted = quantity.to(wanted.units)
        else:
            converted = quantity.to(wanted.units)
    except (pint.errors.PintError, ValueError, TypeError, ZeroDivisionError):
        return None
    result = float(converted.magnitude) / target_unit.scale
    return result if math.isfinite(result) else None


def round_sig(value: float, digits: int = 4) -> float:
    """Converted values keep the precision of a printed lab value, not float noise."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


_ATOM = r"(?:mm\s?Hg|[A-Za-zµμ]{1,12}(?:(?:\^|\*\*)?[-−]?[0-9²³⁻¹]{1,2}(?![0-9]))?)"
_PER_ATOM = rf"(?:[A-Za-zµμ]{{1,3}}(?:\s[23²³](?![\d.,])|\([23]\))|{_ATOM})"  # 'mg/m 2', 'mg/m(2)'
_INVERSE = r"(?:\s?[·.Á]\s?|\s)[A-Za-z]{1,4}\s?\^?[-−]\s?1(?!\d)"  # 'ml · kg −1 · min −1'
_UNIT = rf"""(?:
    [x×]\s?10\s?(?:(?:\^|\*\*)?\s?\(?[-−]?\d{{1,2}}\)?|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)(?:\s?/\s?{_PER_ATOM})?  # x10^9/L, x 10(3)/mm(3)
  | 10(?:\^[-−]?\d{{1,2}}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s?/\s?{_ATOM}                       # 10^9/L
  | %
  | [°˚º]\s?[CF](?![A-Za-z])
  | {_ATOM}(?:{_INVERSE})+                                                   # ml · kg −1
  | (?:{_ATOM})?(?:\s?/\s?{_PER_ATOM})+                                      # mg/m2, /uL
  | {_ATOM}
)(?![A-Za-z0-9])"""
_RANGE_SEP = r"\s*(?:[-–—‐−]|to)\s*"
QUANTITY_RE = re.compile(
    rf"""(?<![\w.,·/^\-–−+])(?P<sign>[−+-](?=\d))?(?P<num>{NUMBER})(?![.,·]?\d)
    (?:(?P<sep>{_RANGE_SEP})(?P<num2>{NUMBER})(?![.,·]?\d))?
    (?:\s*(?:±|\+/-)\s*{NUMBER})?                 # a printed SD belongs to the value before it
    (?:[ \t\u00a0]*\n?[ \t\u00a0]*-?(?P<unit>{_UNIT}))?""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Measurement:
    """A number (or range) with its unit, and where it was printed: text[start:end]."""

    value: float
    value_max: float | None
    unit: Unit | None
    start: int
    end: int
    value_end: int = -1  # end of the first number: '27.8' in 'from 27.8 to 6.1 ng/ml'
    signed: bool = False  # printed with a sign: '−0.02 units', '+0.25' are differences, not levels or doses

    @property
    def raw(self) -> str:
        return f"{_fmt(self.value)} {self.unit.printed}".strip() if self.unit else _fmt(self.value)


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _read_unit(printed: str) -> tuple[Unit, int] | None:
    """The longest readable prefix of a printed unit ending at a '/' boundary ('mg/kg/dose' -> 'mg/kg')."""
    candidate = printed
    while candidate:
        unit = parse_unit(candidate)
        if unit is not None:
            return unit, len(candidate)
        if "/" not in candidate.rstrip("/"):
            return None
        candidate = candidate.rstrip("/").rsplit("/", 1)[0].rstrip()
    return None


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Measurement]:
    """Numbers with a readable unit in text[start:end], in order; ranges ('5–10 mg', '5 to 10 mg') as one."""
    found = []
    for match in QUANTITY_RE.finditer(text, start, len(text) if end is None else end):
        if not match.group("unit"):
            continue
        read = _read_unit(match.group("unit"))
        value = parse_number((match.group("sign") or "") + match.group("num"))
        if read is None or value is None:
            continue
        unit, length = read
        value_max = parse_number(match.group("num2")) if match.group("num2") else None
        end, signed = match.start("unit") + length, match.group("sign") is not None
        found.append(Measurement(value, value_max, unit, match.start(), end, match.end("num"), signed))
    return found


def parse_amount(text: str) -> Measurement | None:
    """The one quantity a short string holds ('10 mg/m2', '5–10 mg', '4,100/μl'), or None."""
    text = text.strip()
    found = find_quantities(text)
    return found[0] if len(found) == 1 and found[0].start == 0 and found[0].end == len(text) else None
