"""Which table cells hold values: numbers with what values are written with, and the marks of a value not
reported; labels with a number in them are no values."""

from __future__ import annotations

import pytest

from extractor.ingest.cell_values import is_value


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        *[("12.3 ± 4.5", True), ("14 (35%)", True), ("<.001", True), ("-", True), ("3.3 ± 7.7b", True)],
        *[("40 mg/d", False), ("(N = 357)", False), ("Week 12", False), ("6-month follow-up", False)],
    ],
)
def test_values_and_labels(cell: str, value: bool) -> None:
    assert is_value(cell) is value
