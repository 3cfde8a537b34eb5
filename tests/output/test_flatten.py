"""One flattening of a record into rows: the DataFrames and the Parquet/DuckDB tables get the same rows and
columns, and the rows give the record back."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from extractor.output.flatten import TABLES, record_from_rows, rows, table_columns
from extractor.record import CATEGORIES, Patient
from tests.output.test_frames import cohort_record


def test_the_rows_give_the_record_back() -> None:
    record = cohort_record().model_copy(update={"patient": Patient(age=56, sex="female"), "warnings": ["W004: x"]})
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for table, row in rows(json.loads(record.model_dump_json())):
        tables[table].append(row)
    assert [len(tables[t]) for t in ("records", "drugs", "outcomes", "doses")] == [1, 2, 2, 0]
    (head,) = tables["records"]
    assert record_from_rows(head, {category: tables[category] for category in CATEGORIES}) == record


def test_every_row_has_the_columns_of_its_table() -> None:
    columns = table_columns()
    assert tuple(columns) == TABLES
    for table, row in rows(json.loads(cohort_record().model_dump_json())):
        assert list(row) == list(columns[table]), table


def test_frames_and_columnar_tables_have_the_same_item_columns_and_rows() -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from extractor.batch.columnar import schemas
    from extractor.output.frames import to_frames

    record = cohort_record()
    frames = to_frames(record)
    flat = [(table, row) for table, row in rows(json.loads(record.model_dump_json())) if table != "records"]
    for table in CATEGORIES:
        assert [c for c in frames[table].columns if c != "title"] == schemas()[table].names
        assert frames[table]["span_start"].tolist() == [row["span_start"] for t, row in flat if t == table]
