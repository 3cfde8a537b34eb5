"""Columnar outputs for SQL and dataframes: one table per category, streamed from the final records.jsonl.

Tables and rows are those of `output/flatten.py`: records (one row per article), drugs (one row per mention),
doses, outcomes, adverse_events, lab_values, trials, arms, characteristics (one row per item). Every row has
`doc_id`; item rows carry their evidence as span_start / span_end / span_text / span_section / span_page.
`parquet` writes OUT/parquet/TABLE.parquet (one row group per batch), `duckdb` writes OUT/records.duckdb
(batched inserts). Both are written to a temporary name and renamed when complete. Needs the `columnar` extra
(pyarrow, duckdb).
"""

from __future__ import annotations

import json
import os
import types
import typing
from pathlib import Path
from typing import Any, Literal, Protocol

from extractor.batch.journal import replace
from extractor.errors import require
from extractor.output.flatten import TABLES, rows, table_columns

Format = Literal["jsonl", "parquet", "duckdb"]
BATCH_ROWS = {"records": 256}  # records rows hold the full text; item rows are small
DEFAULT_BATCH_ROWS = 4096


def require_format(fmt: Format) -> None:
    """Fails early (before any extraction) when the format's packages are missing."""
    if fmt == "parquet":
        require("pyarrow.parquet", "columnar", "--format parquet")
    elif fmt == "duckdb":
        require("pyarrow", "columnar", "--format duckdb")
        require("duckdb", "columnar", "--format duckdb")


def _arrow_type(annotation: Any) -> Any:
    """float, int, bool, dict[str, str] and list[str] keep their type; anything else (str, Literal, enums,
    unions such as p_value's str | float, nested structures) is stored as text."""
    pa = require("pyarrow", "columnar", "columnar output")
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    optional = typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1
    kind = args[0] if optional else annotation
    shape = (typing.get_origin(kind), typing.get_args(kind))
    if shape == (dict, (str, str)):
        return pa.map_(pa.string(), pa.string())
    if shape == (list, (str,)):
        return pa.list_(pa.string())
    return {bool: pa.bool_(), int: pa.int64(), float: pa.float64()}.get(kind, pa.string())


def schemas() -> dict[str, Any]:
    pa = require("pyarrow", "columnar", "columnar output")
    return {t: pa.schema([(c, _arrow_type(a)) for c, a in cols.items()]) for t, cols in table_columns().items()}


class Sink(Protocol):
    def write(self, table: str, batch: Any) -> None: ...
    def close(self) -> None: ...


class ParquetSink:
    def __init__(self, folder: Path, table_schemas: dict[str, Any]) -> None:
        pq = require("pyarrow.parquet", "columnar", "--format parquet")
        folder.mkdir(parents=True, exist_ok=True)
        self.targets = {t: folder / f"{t}.parquet" for t in table_schemas}
        self.writers = {t: pq.ParquetWriter(f"{p}.tmp", table_schemas[t]) for t, p in self.targets.items()}

    def write(self, table: str, batch: Any) -> None:
        self.writers[table].write_table(batch)

    def close(self) -> None:
        for table, writer in self.writers.items():
            writer.close()
            replace(Path(f"{self.targets[table]}.tmp"), self.targets[table])


class DuckDBSink:
    def __init__(self, path: Path, table_schemas: dict[str, Any]) -> None:
        duckdb = require("duckdb", "columnar", "--format duckdb")
        self.path, self.tmp = path, path.with_name(path.name + ".tmp")
        self.tmp.unlink(missing_ok=True)
        self.con = duckdb.connect(str(self.tmp))
        for table, schema in table_schemas.items():
            self._run(f"CREATE TABLE {table} AS SELECT * FROM batch", schema.empty_table())

    def _run(self, sql: str, batch: Any) -> None:
        self.con.register("batch", batch)
        self.con.execute(sql)
        self.con.unregister("batch")

    def write(self, table: str, batch: Any) -> None:
        self._run(f"INSERT INTO {table} SELECT * FROM batch", batch)

    def close(self) -> None:
        self.con.close()
        replace(self.tmp, self.path)


def _coerce(row: dict[str, Any], text_columns: frozenset[str]) -> dict[str, Any]:
    """Text columns hold mixed values as text (p_value 0.03 -> "0.03") and nested ones as JSON."""
    for column in text_columns & row.keys():
        value = row[column]
        if isinstance(value, dict | list):
            row[column] = json.dumps(value, ensure_ascii=False)
        elif value is not None and not isinstance(value, str):
            row[column] = str(value)
    return row


def export(records_path: Path, out_dir: Path, fmt: Format) -> Path:
    """Streams records.jsonl into the columnar format; memory holds one batch per table. Returns the output."""
    pa = require("pyarrow", "columnar", "columnar output")
    table_schemas = schemas()
    target = out_dir / "parquet" if fmt == "parquet" else out_dir / "records.duckdb"
    sink: Sink = ParquetSink(target, table_schemas) if fmt == "parquet" else DuckDBSink(target, table_schemas)
    text = {t: frozenset(f.name for f in s if f.type == pa.string()) for t, s in table_schemas.items()}
    buffers: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}

    def flush(table: str) -> None:
        if buffers[table]:
            sink.write(table, pa.Table.from_pylist(buffers[table], schema=table_schemas[table]))
            buffers[table].clear()

    with records_path.open("rb") as handle:
        for line in handle:
            for table, row in rows(json.loads(line)):
                buffers[table].append(_coerce(row, text[table]))
                if len(buffers[table]) >= BATCH_ROWS.get(table, DEFAULT_BATCH_ROWS):
                    flush(table)
    for table in TABLES:
        flush(table)
    sink.close()
    return target


def remove_outputs(out_dir: Path) -> None:
    """Columnar files of an earlier run: rebuilt at the end of this run if asked for, else gone, so what
    OUT holds always matches records.jsonl."""
    for path in [out_dir / "records.duckdb", *(out_dir / "parquet").glob("*.parquet")]:
        if path.exists():
            os.unlink(path)
