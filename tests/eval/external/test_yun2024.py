"""The Yun et al. (2024) scoring: exact agreement within 0.5%, unknown agrees with a blank gold cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.eval.external.yun2024 import agrees, score
from tests.conftest import SHARED


def test_numbers_agree_within_half_a_percent_and_unknown_agrees_with_blank() -> None:
    assert agrees("1,525", 1525)
    assert agrees(100.0, 100.4)
    assert not agrees(100.0, 100.6)
    assert agrees("", None)
    assert not agrees("", 3)
    assert not agrees(3, None)


def test_a_row_is_right_when_all_its_fields_are() -> None:
    gold = {
        "outcome_type": "binary",
        "intervention_events": 6,
        "intervention_group_size": 30,
        "comparator_events": 26,
        "comparator_group_size": 30,
    }
    right = {"outcome_type": "binary", "intervention_events": 6, "intervention_group_size": 30,
             "comparator_events": 26, "comparator_group_size": 30}  # fmt: skip
    wrong = right | {"comparator_events": None}
    result = score([gold, gold], [right, wrong])
    assert result["binary_row_accuracy"] == 0.5
    assert result["outcome_type_accuracy"] == 1.0
    assert result["fields"]["binary.comparator_events"] == 0.5


@pytest.mark.skipif(not (SHARED / "data/rct_numeric_yun2024").is_dir(), reason="../shared/data not present")
def test_every_article_of_the_data_set_is_read() -> None:
    from extractor.eval.external.yun2024 import article_path, load_rows

    data = SHARED / "data/rct_numeric_yun2024"
    pmcids = {r["pmcid"] for r in load_rows(data)}
    assert all(article_path(data, p, "xml").exists() and article_path(data, p, "markdown").exists() for p in pmcids)
    assert isinstance(Path(), Path)
