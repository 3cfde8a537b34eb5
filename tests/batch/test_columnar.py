"""Columnar outputs: tables that mirror records.jsonl row for row, and the README's SQL examples run on them —
against hand-built records whose answers are known, and against the bundled seeds checked in plain Python."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path
from typing import Any

import pytest

from extractor.batch.columnar import _arrow_type, export, schemas
from extractor.output.flatten import TABLES, rows, table_columns
from extractor.record import (
    AdverseEvent,
    ArticleRecord,
    Drug,
    LabValue,
    Outcome,
    Source,
    SourceFormat,
    Span,
    Trial,
)
from tests.batch.util import read_jsonl
from tests.conftest import ROOT

duckdb = pytest.importorskip("duckdb")
pq = pytest.importorskip("pyarrow.parquet")


def readme_queries() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Batch runs at scale", 1)[1].split("\n## ")[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


def _span(text: str, phrase: str, section: str = "results") -> Span:
    start = text.index(phrase)
    return Span(text=phrase, start=start, end=start + len(phrase), section=section)


def _record(name: str, text: str, drugs: list[str], **items: Any) -> ArticleRecord:
    source = Source(path=name, format=SourceFormat.text, sha256=name * 4, chars=len(text))
    mentions = [Drug(name=d, mentions=[_span(text, d)], ids={"drugbank": "DB0"}) for d in drugs]
    return ArticleRecord(doc_id=name, source=source, drugs=mentions, text=text, **items)


def _synthetic() -> list[ArticleRecord]:
    a = "Median PFS was 7.8 months with everolimus plus exemestane. Grade 3-4 stomatitis 8%. Hemoglobin 9.1 g/dL."
    b = "Median PFS was 6.6 months with everolimus plus exemestane; p=0.03. Hemoglobin 12 g/dL."
    c = "Median PFS was 11 months with letrozole. Grade 3 fatigue occurred in 4%."
    return [
        _record(
            "a",
            a,
            ["everolimus", "exemestane"],
            outcomes=[
                Outcome(
                    endpoint="PFS",
                    measure="median",
                    value=7.8,
                    unit="months",
                    arm="everolimus + exemestane",
                    span=_span(a, "Median PFS was 7.8 months"),
                )
            ],
            adverse_events=[
                AdverseEvent(
                    event="stomatitis",
                    grade="3-4",
                    percent=8.0,
                    arm="everolimus + exemestane",
                    span=_span(a, "Grade 3-4 stomatitis 8%"),
                )
            ],
            lab_values=[
                LabValue(
                    analyte="hemoglobin",
                    value=9.1,
                    unit="g/dL",
                    value_si=91.0,
                    unit_si="g/L",
                    raw="9.1 g/dL",
                    span=_span(a, "Hemoglobin 9.1 g/dL"),
                )
            ],
        ),
        _record(
            "b",
            b,
            ["everolimus", "exemestane"],
            outcomes=[
                Outcome(
                    endpoint="PFS",
                    measure="median",
                    value=6.6,
                    unit="months",
                    arm="everolimus + exemestane",
                    p_value=0.03,
                    span=_span(b, "Median PFS was 6.6 months"),
                )
            ],
            lab_values=[
                LabValue(
                    analyte="hemoglobin",
                    value=12,
                    unit="g/dL",
                    value_si=120.0,
                    unit_si="g/L",
                    raw="12 g/dL",
                    span=_span(b, "Hemoglobin 12 g/dL"),
                )
            ],
            trials=[Trial(name="BOLERO-2", span=_span(b, "everolimus"))],
        ),
        _record(
            "c",
            c,
            ["letrozole"],
            outcomes=[
                Outcome(
                    endpoint="PFS",
                    measure="median",
                    value=11,
                    unit="months",
                    arm="letrozole",
                    span=_span(c, "Median PFS was 11 months"),
                )
            ],
            adverse_events=[
                AdverseEvent(event="fatigue", grade="3", percent=4.0, span=_span(c, "Grade 3 fatigue occurred in 4%"))
            ],
        ),
    ]


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("synthetic")
    (out / "records.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in _synthetic()), encoding="utf-8")
    con = duckdb.connect(str(export(out / "records.jsonl", out, "duckdb")), read_only=True)
    yield con
    con.close()


def test_the_readme_has_three_sql_examples() -> None:
    assert len(readme_queries()) == 3


def test_readme_query_median_pfs_by_drug(synthetic_db: Any) -> None:
    assert synthetic_db.execute(readme_queries()[0]).fetchall() == [
        ("everolimus", 2, pytest.approx(7.2)),
        ("exemestane", 2, pytest.approx(7.2)),
        ("letrozole", 1, 11.0),
    ]


def test_readme_query_grade_3_4_adverse_events_per_arm(synthetic_db: Any) -> None:
    assert synthetic_db.execute(readme_queries()[1]).fetchall() == [
        ("(arm not stated)", "fatigue", 4.0, 1),
        ("everolimus + exemestane", "stomatitis", 8.0, 1),
    ]


def test_readme_query_lab_values_in_si(synthetic_db: Any) -> None:
    got = synthetic_db.execute(readme_queries()[2]).fetchall()
    assert [(path, value, unit) for path, value, unit, *_ in got] == [("a", 91.0, "g/L"), ("b", 120.0, "g/L")]
    assert got[0][-1] == "Hemoglobin 9.1 g/dL", "the evidence comes along"


def test_mixed_values_are_kept_as_text_and_evidence_columns_are_filled(synthetic_db: Any) -> None:
    assert synthetic_db.execute("SELECT p_value FROM outcomes WHERE doc_id = 'b'").fetchall() == [("0.03",)]
    row = synthetic_db.execute("SELECT name, ids['drugbank'], span_start, span_section FROM drugs LIMIT 1").fetchall()
    assert row == [("everolimus", "DB0", 31, "results")]


def test_every_table_has_doc_id_and_every_item_table_its_evidence() -> None:
    fields = table_columns()
    assert tuple(fields) == TABLES
    for table, columns in fields.items():
        assert "doc_id" in columns
        if table != "records":
            assert {"span_start", "span_end", "span_text", "span_section", "span_page"} <= set(columns)


def _expected_counts(records_path: Path) -> dict[str, int]:
    counts = dict.fromkeys(TABLES, 0)
    for record in read_jsonl(records_path):
        for table, _ in rows(record):
            counts[table] += 1
    return counts


@pytest.mark.slow
def test_parquet_and_duckdb_hold_every_row_of_the_seeds(seeds_one_worker: Path, seeds_two_workers: Path) -> None:
    expected = _expected_counts(seeds_one_worker / "records.jsonl")
    assert expected["records"] == 5 and expected["drugs"] == sum(
        len(d["mentions"]) for r in read_jsonl(seeds_one_worker / "records.jsonl") for d in r["drugs"]
    )
    con = duckdb.connect(str(seeds_two_workers / "records.duckdb"), read_only=True)
    for table in TABLES:
        assert pq.read_metadata(seeds_one_worker / "parquet" / f"{table}.parquet").num_rows == expected[table]
        assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(expected[table],)]
    con.close()


def _python_answers(records: list[dict[str, Any]]) -> list[list[tuple[Any, ...]]]:
    """The README's three questions answered without SQL, to check the queries on the seeds."""
    pfs: dict[str, dict[str, list[float]]] = {}
    for r in records:
        for o in r["outcomes"]:
            if (o["endpoint"], o["measure"], o["unit"]) == ("PFS", "median", "months") and o["arm"]:
                for drug in {d["name"] for d in r["drugs"] if d["name"] in o["arm"].lower()}:
                    pfs.setdefault(drug, {}).setdefault(r["doc_id"], []).append(o["value"])
    first = [(d, len(v), statistics.median([x for xs in v.values() for x in xs])) for d, v in pfs.items()]
    groups: dict[tuple[str, str], list[float | None]] = {}
    for r in records:
        for ae in r["adverse_events"]:
            if ae["grade"] in ("3-4", "3", "4"):
                groups.setdefault((ae["arm"] or "(arm not stated)", ae["event"]), []).append(ae["percent"])
    second = [(a, e, max((p for p in ps if p is not None), default=None), len(ps)) for (a, e), ps in groups.items()]
    third = [
        (
            r["source"]["path"],
            lab["value_si"],
            lab["unit_si"],
            lab["raw"],
            lab["timepoint"],
            lab["span"]["page"],
            lab["span"]["text"],
        )
        for r in records
        for lab in r["lab_values"]
        if lab["analyte"] == "hemoglobin"
    ]
    return [sorted(first), sorted(second, key=repr), sorted(third, key=repr)]


@pytest.mark.slow
def test_readme_queries_on_the_seeds_agree_with_plain_python(seeds_two_workers: Path) -> None:
    con = duckdb.connect(str(seeds_two_workers / "records.duckdb"), read_only=True)
    answers = _python_answers(read_jsonl(seeds_two_workers / "records.jsonl"))
    got = [con.execute(sql).fetchall() for sql in readme_queries()]
    con.close()
    assert [sorted(got[0]), sorted(got[1], key=repr), sorted(got[2], key=repr)] == answers


def test_a_record_line_gives_one_drug_row_per_mention() -> None:
    record = json.loads(_synthetic()[0].model_dump_json())
    drug_rows = [row for table, row in rows(record) if table == "drugs"]
    assert [r["name"] for r in drug_rows] == ["everolimus", "exemestane"]
    assert drug_rows[0]["span_text"] == "everolimus" and drug_rows[0]["doc_id"] == "a"


@pytest.mark.parametrize(
    ("table", "column", "arrow_type"),
    [
        ("doses", "amount", "double"),
        ("outcomes", "n", "int64"),
        ("outcomes", "p_value", "string"),
        ("doses", "route", "string"),
        ("drugs", "negated", "bool"),
        ("drugs", "ids", "map<string, string>"),
        ("records", "warnings", "list<item: string>"),
        ("records", "article_type", "string"),
        ("trials", "span_page", "int64"),
    ],
)
def test_column_types_follow_the_record_models(table: str, column: str, arrow_type: str) -> None:
    assert str(schemas()[table].field(column).type) == arrow_type


def test_a_nested_field_would_be_stored_as_json_text() -> None:
    assert str(_arrow_type(list[Span] | None)) == "string"
