"""A record as table rows: the one flattening behind `to_frames` (output/frames.py) and the Parquet and DuckDB
tables of `extractor run --format` (batch/columnar.py), undone by `record_from_rows` when records are read back.

Tables: `records`, one row per article (`doc_id`, `schema_version`, its source, metadata and patient as
`patient_*` columns, warnings, text), and one per category with one row per item: `doc_id`, the item's fields
and its evidence as span_start, span_end, span_text, span_section, span_page. Drugs are one row per *mention*
(a drug's fields repeated on each), so that every mention keeps its evidence and a record can be rebuilt from
its rows; count them with a GROUP BY (or `frame.groupby(["doc_id", "name"])`). Columns follow the pydantic models
of record.py, so a field added there appears here without an edit.

Rows are built from a record as JSON data (`ArticleRecord.model_dump(mode="json")`, or a line of records.jsonl
as it is), so the columnar export streams records.jsonl without validating it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from extractor.record import CATEGORY_MODELS, ArticleRecord, Metadata, Patient, Source, Span

TABLES = ("records", *CATEGORY_MODELS)
SPAN_COLUMNS: dict[str, Any] = {
    "span_start": int,
    "span_end": int,
    "span_text": str,
    "span_section": str,
    "span_page": int,
}


def _fields(model: type[BaseModel], skip: tuple[str, ...] = (), prefix: str = "") -> dict[str, Any]:
    return {prefix + name: f.annotation for name, f in model.model_fields.items() if name not in skip}


def article_columns() -> dict[str, Any]:
    """Column name -> annotation of what describes an article: its source, metadata and patient."""
    return _fields(Source) | _fields(Metadata) | _fields(Patient, prefix="patient_")


def table_columns() -> dict[str, dict[str, Any]]:
    """Column name -> Python annotation, per table, in column order."""
    records: dict[str, Any] = {"doc_id": str, "schema_version": str}
    records |= article_columns() | {"warnings": list[str], "text": str | None}
    tables = {"records": records}
    for name, model in CATEGORY_MODELS.items():
        tables[name] = {"doc_id": str} | _fields(model, skip=("span", "mentions")) | SPAN_COLUMNS
    return tables


def span_row(span: dict[str, Any] | None) -> dict[str, Any]:
    values = span or {}
    return {f"span_{key}": values.get(key) for key in ("start", "end", "text", "section", "page")}


def article_row(record: dict[str, Any]) -> dict[str, Any]:
    """Source, metadata and patient of one record (JSON data), as `article_columns` names them."""
    patient = record.get("patient") or {}
    return {**record["source"], **record["metadata"], **{f"patient_{k}": patient.get(k) for k in Patient.model_fields}}


def item_rows(record: dict[str, Any], table: str) -> Iterator[dict[str, Any]]:
    """The rows one record (JSON data) gives a category's table; drugs one per mention."""
    doc_id = record["doc_id"]
    if table == "drugs":
        for drug in record["drugs"]:
            facts = {k: v for k, v in drug.items() if k != "mentions"}
            for mention in drug["mentions"]:
                yield {"doc_id": doc_id, **facts, **span_row(mention)}
        return
    for item in record[table]:
        yield {"doc_id": doc_id, **{k: v for k, v in item.items() if k != "span"}, **span_row(item["span"])}


def rows(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) pairs of one record as JSON data: its `records` row, then its items, table by table."""
    yield (
        "records",
        {
            "doc_id": record["doc_id"],
            "schema_version": record["schema_version"],
            **article_row(record),
            "warnings": record["warnings"],
            "text": record.get("text"),
        },
    )
    for table in CATEGORY_MODELS:
        for row in item_rows(record, table):
            yield table, row


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


def record_from_rows(row: dict[str, Any], items: dict[str, list[dict[str, Any]]]) -> ArticleRecord:
    """The record of a `records` row and its item rows by category (what `rows` wrote, as read back)."""
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
    for category in CATEGORY_MODELS:
        if category != "drugs":
            data[category] = [fields | {"span": span} for fields, span in map(_split_row, items[category])]
    return ArticleRecord.model_validate(data)
