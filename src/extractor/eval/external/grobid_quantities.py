"""Value and unit accuracy of the quantity parser (`nlp/quantities.py`) on grobid-quantities' annotated paragraphs.

Data: `grobid_quantities_paragraphs.jsonl` of the grobid-quantities evaluation and biomedical sets (CC-BY; see the
data folder's README). Every annotated quantity with a unit is a gold item: its number (or interval bounds) and
its normalized unit. A gold quantity is found when a parsed quantity overlaps it; the value is right when the
number (and the upper bound of an interval) is equal; the unit is right when pint says the parsed unit is the
gold unit (same dimension, factor 1: 'mg/mL' = 'mg/ml', 'ml·kg−1·min−1' = 'mL/kg/min'). Parsed quantities that
overlap no annotation at all count against precision.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pint

from extractor.eval.external import read_jsonl
from extractor.nlp.quantities import Measurement, find_quantities, parse_unit, registry
from extractor.nlp.text.numbers import parse_number

PARAGRAPHS = "grobid_quantities_paragraphs.jsonl"


def _paragraphs(path: Path) -> Iterator[dict[str, Any]]:
    return read_jsonl(path / PARAGRAPHS if path.is_dir() else path)


def _gold_quantities(paragraph: dict[str, Any]) -> list[dict[str, Any]]:
    """Outer quantities that carry a unit: span, values (one, or an interval's bounds) and the normalized unit."""
    annotations = paragraph["annotations"]
    gold = []
    for outer in (a for a in annotations if a["tag"] == "measure" and a["depth"] == 0):
        inside = [a for a in annotations if a["depth"] > 0 and outer["start"] <= a["start"] < a["end"] <= outer["end"]]
        units = [a for a in inside if a["tag"] == "measure" and a.get("unit")]
        numbers = [a for a in inside if a["tag"] == "num"]
        if not units or not numbers:
            continue
        values = [_gold_number(n) for n in numbers]
        gold.append({"start": outer["start"], "end": outer["end"], "values": values, "unit": units[0]["unit"]})
    return gold


def _gold_number(num: dict[str, Any]) -> float | None:
    attrs = num.get("attrs") or {}
    for key in ("when", "atLeast", "atMost"):
        if key in attrs:
            return parse_number(str(attrs[key]))
    return parse_number(num["text"])


def _same_unit(found: Measurement, gold_unit: str) -> bool:
    """pint equality of the parsed unit and grobid's normalized unit ('ml.kg^-1.min^-1')."""
    if found.unit is None:
        return False
    expression = gold_unit.replace("^", "**").replace(".", "*").replace("μ", "u").replace("µ", "u")
    gold = parse_unit(gold_unit)
    try:
        wanted = registry().Quantity(gold.scale, gold.pint_units) if gold else registry().Quantity(expression)
        have = registry().Quantity(found.unit.scale, found.unit.pint_units)
        return math.isclose(float(have.to(wanted.units).magnitude), float(wanted.magnitude), rel_tol=1e-6)
    except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError, KeyError):
        return False


def _same_values(found: Measurement, values: list[float | None]) -> bool:
    """The first number is the value; an interval's second its upper bound (grobid also lists an SD second)."""
    printed = [v for v in values if v is not None]
    if not printed or not math.isclose(found.value, printed[0]):
        return False
    return found.value_max is None or (len(printed) > 1 and math.isclose(found.value_max, printed[1]))


def evaluate_grobid_quantities(path: Path) -> dict[str, Any]:
    """Found/value/unit accuracy over gold quantities with units, and precision of the parsed quantities."""
    counts = {"gold": 0, "found": 0, "value_ok": 0, "unit_ok": 0, "both_ok": 0, "predicted": 0, "spurious": 0}
    for paragraph in _paragraphs(path):
        annotated = [(a["start"], a["end"]) for a in paragraph["annotations"] if a["depth"] == 0]
        found = find_quantities(paragraph["text"])
        counts["predicted"] += len(found)
        counts["spurious"] += sum(not any(s < m.end and m.start < e for s, e in annotated) for m in found)
        for gold in _gold_quantities(paragraph):
            counts["gold"] += 1
            match = next((m for m in found if m.start < gold["end"] and gold["start"] < m.end), None)
            if match is None:
                continue
            value_ok, unit_ok = _same_values(match, gold["values"]), _same_unit(match, gold["unit"])
            counts["found"] += 1
            counts["value_ok"] += value_ok
            counts["unit_ok"] += unit_ok
            counts["both_ok"] += value_ok and unit_ok
    gold_n, found_n, predicted = counts["gold"], counts["found"], counts["predicted"]
    return {
        **counts,
        "recall": _ratio(found_n, gold_n),
        "precision": _ratio(predicted - counts["spurious"], predicted),
        "value_accuracy": _ratio(counts["value_ok"], found_n),
        "unit_accuracy": _ratio(counts["unit_ok"], found_n),
        "value_and_unit_over_gold": _ratio(counts["both_ok"], gold_n),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None
