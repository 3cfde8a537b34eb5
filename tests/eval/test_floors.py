"""Floors of `extractor eval --floor`: how each is read and measured (the values themselves are in `make eval`)."""

from __future__ import annotations

import pytest

from extractor.eval.floors import Floor, FloorError, check_floors
from extractor.eval.gold import CategoryScore, Report


def report() -> Report:
    scores = {"drugs": CategoryScore(tp=9, fp=1, fn=0), "trials": CategoryScore()}
    return Report(scores, articles=2, unmatched_gold=[], article_type=[1, 2], patient=[0, 0])


def test_a_floor_is_name_equals_minimum() -> None:
    assert Floor.parse(" drugs=0.95") == Floor("drugs", 0.95)
    for bad in ("drug=0.9", "drugs=high", "drugs=95", "drugs", "=0.5"):
        with pytest.raises(FloorError):
            Floor.parse(bad)


def test_each_floor_bounds_its_own_score() -> None:
    lines, held = check_floors(report(), [Floor("drugs", 0.9), Floor("article_type", 0.5), Floor("micro", 0.95)])
    assert lines == [
        "floor ok: drugs F1 0.947 >= 0.900",
        "floor ok: article_type accuracy 0.500 >= 0.500",
        "BELOW floor: micro F1 0.947 < 0.950",
    ]
    assert not held


def test_a_floor_with_nothing_to_measure_fails() -> None:
    """A gold set that lost its trials or patients must not pass the floor on them."""
    lines, held = check_floors(report(), [Floor("trials", 0.0), Floor("patient", 0.0)])
    assert not held and all(line.startswith("BELOW floor") and "nothing to measure" in line for line in lines)
