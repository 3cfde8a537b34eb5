"""Records as tidy pandas tables, and records read back from `extractor run` output.

An analyst plots and joins tables, not nested JSON: `to_frames` gives one DataFrame per category holding the
rows of `flatten` (one per item; drugs one per mention, as in the Parquet and DuckDB tables), each row carrying
`doc_id` and `title` (to join and to label) and its evidence as span_start, span_end, span_text, span_section,
span_page; "articles" has one row per record (source, metadata, patient, item counts). Columns come from the
pydantic models of record.py, so a field added there appears here without an edit, and an empty category still
has its columns.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.errors import require
from extractor.output.flatten import article_columns, article_row, item_rows, record_from_rows, table_columns
from extractor.record import CATEGORIES, ArticleRecord

if TYPE_CHECKING:
    import pandas as pd

HEAD_COLUMNS = {"doc_id": "string", "title": "string"}


def _dtype(annotation: Any) -> str:
    """pandas dtype of a model field: nullable ints and strings, NaN floats (what matplotlib plots), object
    for anything mixed (p_value's str | float) or nested (ids)."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        if len(args) != 1:
            return "object"
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Literal:
        return "string"
    if isinstance(annotation, type) and issubclass(annotation, bool):
        return "bool"
    if isinstance(annotation, type) and issubclass(annotation, str | Enum):
        return "string"
    return {int: "Int64", float: "float64"}.get(annotation, "object")


def columns(table: str) -> dict[str, str]:
    """Column name -> pandas dtype of one table: "articles" or a category."""
    if table == "articles":
        counts = {f"n_{category}": "Int64" for category in CATEGORIES}
        return {"doc_id": "string"} | {name: _dtype(a) for name, a in article_columns().items()} | counts
    return HEAD_COLUMNS | {name: _dtype(a) for name, a in table_columns()[table].items()}


def _tables(record: ArticleRecord) -> dict[str, list[dict[str, Any]]]:
    """The rows one record gives each table."""
    data = record.model_dump(mode="json", exclude={"text"})
    counts = {f"n_{category}": count for category, count in record.counts().items()}
    tables = {"articles": [{"doc_id": record.doc_id, **article_row(data), **counts}]}
    head = {"doc_id": record.doc_id, "title": record.metadata.title}
    for table in CATEGORIES:
        tables[table] = [head | row for row in item_rows(data, table)]
    return tables


def to_frames(records: ArticleRecord | Iterable[ArticleRecord]) -> dict[str, pd.DataFrame]:
    """One DataFrame per category (drugs, doses, outcomes, adverse_events, lab_values, trials), plus "articles"
    (one row per record: metadata, source, patient, item counts). Needs the `notebook` extra (pandas)."""
    require("pandas", "notebook", "extractor.to_frames")
    import pandas as pd

    batch = [_tables(record) for record in ([records] if isinstance(records, ArticleRecord) else records)]
    frames: dict[str, pd.DataFrame] = {}
    for table in ("articles", *CATEGORIES):
        dtypes = columns(table)
        data = [row for tables in batch for row in tables[table]]
        frames[table] = pd.DataFrame(data, columns=list(dtypes)).astype(dtypes)
    return frames


def read_records(path: str | Path) -> list[ArticleRecord]:
    """Records written by `extractor run`: OUT/records.jsonl (or the folder OUT), else the Parquet tables of
    `--format parquet` (OUT/parquet/, or one of its files). Parquet keeps no sections and stores p_value as text."""
    path = Path(path)
    if path.suffix == ".parquet":
        path = path.parent
    if path.is_dir() and not (path / "records.jsonl").exists():
        for folder in (path / "parquet", path):
            if (folder / "records.parquet").exists():
                return _read_parquet(folder)
    if path.is_dir():
        path = path / "records.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [ArticleRecord.model_validate_json(line) for line in lines if line.strip()]


def _read_parquet(folder: Path) -> list[ArticleRecord]:
    pq = require("pyarrow.parquet", "columnar", "reading Parquet output")
    items: dict[str, dict[str, list[dict[str, Any]]]] = {category: defaultdict(list) for category in CATEGORIES}
    for category in CATEGORIES:
        if (folder / f"{category}.parquet").exists():
            for row in pq.read_table(folder / f"{category}.parquet").to_pylist():
                items[category][row["doc_id"]].append(row)
    return [
        record_from_rows(row, {category: items[category].get(row["doc_id"], []) for category in CATEGORIES})
        for row in pq.read_table(folder / "records.parquet").to_pylist()
    ]
