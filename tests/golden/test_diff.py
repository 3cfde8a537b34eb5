"""The golden diff on a real golden record with changes made by hand: what a failing golden test prints."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.golden.diff import diff_records
from tests.golden.records import ARTICLES, load

CASE_REPORT = ARTICLES[0]  # corpus/seeds/000: a case report with drugs, adverse events, labs and a patient


@pytest.fixture
def golden() -> dict[str, Any]:
    data = load(CASE_REPORT)
    assert data is not None
    return data


def test_equal_records_have_no_diff(golden: dict[str, Any]) -> None:
    assert diff_records(golden, copy.deepcopy(golden)) == []


def test_items_added_removed_and_changed_per_category(golden: dict[str, Any]) -> None:
    new = copy.deepcopy(golden)
    dropped = new["adverse_events"].pop(0)
    added = copy.deepcopy(new["lab_values"][0]) | {"analyte": "ferritin", "value": 310.0}
    new["lab_values"].append(added)
    new["lab_values"][1]["value"] += 1
    new["patient"]["age"] = 57
    lines = diff_records(golden, new)
    n_ae, n_labs = len(golden["adverse_events"]), len(golden["lab_values"])
    assert f"adverse_events ({n_ae} -> {n_ae - 1}): 0 added, 1 removed, 0 changed" in lines
    assert any(line.startswith(f"  - event={json.dumps(dropped['event'])}") for line in lines), lines
    assert f"lab_values ({n_labs} -> {n_labs + 1}): 1 added, 0 removed, 1 changed" in lines
    assert any(line.startswith('  + analyte="ferritin" value=310.0') for line in lines), lines
    old_value = golden["lab_values"][1]["value"]
    assert any(line.endswith(f": value: {old_value} -> {old_value + 1}") for line in lines), lines
    assert "patient: age: 56 -> 57" in lines
    assert len(lines) < 12, "one line per category and one per item, not a JSON dump"


def test_a_text_change_that_shifts_offsets_is_one_text_line_and_a_count(golden: dict[str, Any]) -> None:
    """Two characters inserted near the start move every span after them: the diff says so in a count."""
    new = copy.deepcopy(golden)
    at = golden["sections"][1]["start"]
    new["text"] = golden["text"][:at] + "X " + golden["text"][at:]

    def shift(value: Any) -> None:
        if isinstance(value, dict):
            for key in ("start", "end"):
                if isinstance(value.get(key), int) and value[key] >= at:
                    value[key] += 2
            for inner in value.values():
                shift(inner)
        elif isinstance(value, list):
            for inner in value:
                shift(inner)

    for key in ("sections", "drugs", "adverse_events", "lab_values"):
        shift(new[key])
    lines = diff_records(golden, new)
    assert lines[0].startswith(f"sections ({len(golden['sections'])} -> {len(golden['sections'])}): 0 added, 0 removed")
    assert any(line.startswith("text: ") and f"first difference at offset {at}" in line for line in lines), lines
    assert any("only moved (offsets)" in line and line.startswith("adverse_events") for line in lines), lines
    assert not any(line.startswith("  ~") for line in lines), "a pure shift changes no item"


def test_a_long_list_of_changes_is_cut_with_a_count(golden: dict[str, Any]) -> None:
    new = copy.deepcopy(golden)
    new["adverse_events"] = []
    lines = diff_records(golden, new)
    n = len(golden["adverse_events"])
    assert n > 12
    assert lines[-1] == f"  - ... and {n - 12} more"
