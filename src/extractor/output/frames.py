"""Records as tidy pandas tables, and records read back from `extractor run` output.

An analyst plots and joins tables, not nested JSON: `to_frames` gives one DataFrame per category with one row
per item, each row carrying `doc_id` and `title` (to join and to label) and its evidence as span_start, span_end,
span_text, span_section, span_page (the column names of the Parquet tables). Drugs are one row per drug per
article, with the mention count and the first mention as evidence. Columns come from the pydantic models of
record.py, so a field added there appears here without an edit, and an empty category still has its columns.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from extractor.errors import require
from extractor.record import (
    CATEGORIES,
    CATEGORY_MODELS,
    ArticleRecord,
    Metadata,
    Patient,
    Source,
    Span,
)

if TYPE_CHECKING:
    import pandas as pd

SPAN_COLUMNS = {"span_start": "Int64", "span_end": "Int64", "span_text": "string", "span_section": "string"}
SPAN_COLUMNS |= {"span_page": "Int64"}
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


def _model_columns(model: type[BaseModel], skip: tuple[str, ...] = (), prefix: str = "") -> dict[str, str]:
    return {prefix + name: _dtype(f.annotation) for name, f in model.model_fields.items() if name not in skip}


def columns(table: str) -> dict[str, str]:
    """Column name -> pandas dtype of one table: "articles" or a category."""
    if table == "articles":
        counts = {f"n_{category}": "Int64" for category in CATEGORIES}
        patient = _model_columns(Patient, prefix="patient_")
        return {"doc_id": "string", **_model_columns(Metadata), **_model_columns(Source), **patient, **counts}
    fields = _model_columns(CATEGORY_MODELS[table], skip=("span", "mentions"))
    if table == "drugs":
        fields["n_mentions"] = "Int64"
    return HEAD_COLUMNS | fields | SPAN_COLUMNS


def _span(span: Span | None) -> dict[str, Any]:
    values = span.model_dump(mode="json") if span else {}
    return {f"span_{key}": values.get(key) for key in ("start", "end", "text", "section", "page")}


def _article_row(record: ArticleRecord) -> dict[str, Any]:
    patient = record.patient.model_dump(mode="json") if record.patient else {}
    return {
        "doc_id": record.doc_id,
        **record.metadata.model_dump(mode="json"),
        **record.source.model_dump(mode="json"),
        **{f"patient_{key}": value for key, value in patient.items()},
        **{f"n_{category}": count for category, count in record.counts().items()},
    }


def rows(record: ArticleRecord, table: str) -> Iterator[dict[str, Any]]:
    """The rows one record contributes to one table."""
    if table == "articles":
        yield _article_row(record)
        return
    head = {"doc_id": record.doc_id, "title": record.metadata.title}
    if table == "drugs":
        for drug in record.drugs:
            facts = drug.model_dump(mode="json", exclude={"mentions"})
            first = drug.mentions[0] if drug.mentions else None
            yield head | facts | {"n_mentions": len(drug.mentions)} | _span(first)
        return
    for item in getattr(record, table):
        yield head | item.model_dump(mode="json", exclude={"span"}) | _span(item.span)


def to_frames(records: ArticleRecord | Iterable[ArticleRecord]) -> dict[str, pd.DataFrame]:
    """One DataFrame per category (drugs, doses, outcomes, adverse_events, lab_values, trials), plus "articles"
    (one row per record: metadata, source, patient, item counts). Needs the `notebook` extra (pandas)."""
    require("pandas", "notebook", "extractor.to_frames")
    import pandas as pd

    batch = [records] if isinstance(records, ArticleRecord) else list(records)
    frames: dict[str, pd.DataFrame] = {}
    for table in ("articles", *CATEGORIES):
        dtypes = columns(table)
        data = [row for record in batch for row in rows(record, table)]
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
        _record_from_rows(row, {category: items[category].get(row["doc_id"], []) for category in CATEGORIES})
        for row in pq.read_table(folder / "records.parquet").to_pylist()
    ]


def _split_row(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(item fields, span) of a flat item row."""
    fields = {key: value for key, value in row.items() if key != "doc_id" and not key.startswith("span_")}
    return fields, {key: row.get(f"span_{key}") for key in Span.model_fields}


def _drugs(mention_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drug mention rows (one per mention) folded back into one drug each, in order of first mention."""
    drugs: dict[str, dict[str, Any]] = {}
    for row in mention_rows:
        fields, span = _split_row(row)
        fields["ids"] = dict(fields.get("ids") or [])  # Arrow maps come back as (key, value) pairs
        drugs.setdefault(fields["name"], fields | {"mentions": []})["mentions"].append(span)
    return list(drugs.values())


def _record_from_rows(row: dict[str, Any], items: dict[str, list[dict[str, Any]]]) -> ArticleRecord:
    patient = {key: row.get(f"patient_{key}") for key in Patient.model_fields}
    data: dict[str, Any] = {
        "schema_version": row["schema_version"],
        "doc_id": row["doc_id"],
        "source": {key: row.get(key) for key in Source.model_fields},
        "metadata": {key: row.get(key) for key in Metadata.model_fields},
        "patient": patient if any(value is not None for value in patient.values()) else None,
        "warnings": row.get("warnings") or [],
        "text": row.get("text"),
        "drugs": _drugs(items["drugs"]),
    }
    for category in CATEGORIES[1:]:
        data[category] = [fields | {"span": span} for fields, span in map(_split_row, items[category])]
    return ArticleRecord.model_validate(data)
