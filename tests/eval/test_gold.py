"""Matching rules of the gold README, checked on small hand-built records."""

from __future__ import annotations

import pytest

from extractor.eval.gold import CategoryScore, close, norm_arm, norm_unit, score_article
from extractor.record import ArticleRecord, Dose, Drug, Outcome, Source, Span

SPAN = Span(text="x", start=0, end=1)


def _record(**items: object) -> ArticleRecord:
    return ArticleRecord(doc_id="d", source=Source(path="a.txt", format="text", sha256="0", chars=1), **items)


@pytest.mark.parametrize(
    ("a", "b", "same"), [(7.8, 7.8, True), (100, 100.9, True), (100, 102, False), (None, None, True), (None, 0, False)]
)
def test_close(a: float | None, b: float | None, same: bool) -> None:
    assert close(a, b) is same


def test_units_and_arms_normalize() -> None:
    assert norm_unit("mg/m²") == norm_unit("mg", "m2") == "mg/m2"
    assert norm_arm("Everolimus + exemestane") == norm_arm("exemestane plus everolimus")
    assert norm_arm("everolimus vs placebo") == norm_arm("everolimus")


def test_each_gold_item_matches_once() -> None:
    gold = {
        "drugs": ["everolimus"],
        "doses": [{"drug": "everolimus", "amount": 10, "unit": "mg", "per": None}],
        "outcomes": [
            {
                "endpoint": "PFS",
                "value": 7.8,
                "measure": "median",
                "arm": "everolimus + exemestane",
                "study": "BOLERO-2",
                "ci_low": None,
                "ci_high": None,
            }
        ],
    }
    record = _record(
        drugs=[Drug(name="everolimus", mentions=[SPAN]), Drug(name="exemestane", mentions=[SPAN])],
        doses=[
            Dose(drug="everolimus", amount=10, unit="mg", span=SPAN),
            Dose(drug="everolimus", amount=10, unit="mg", span=SPAN),
        ],
        outcomes=[
            Outcome(
                endpoint="PFS", value=7.8, measure="median", arm="exemestane + everolimus", study="bolero-2", span=SPAN
            )
        ],
    )
    scores: dict[str, CategoryScore] = {}
    score_article(gold, record, scores)
    assert (scores["drugs"].tp, scores["drugs"].fp, scores["drugs"].fn) == (1, 1, 0)
    assert (scores["doses"].tp, scores["doses"].fp) == (1, 1)
    assert scores["outcomes"].attributes == {"measure": [1, 1], "ci": [1, 1], "arm": [1, 1], "study": [1, 1]}
