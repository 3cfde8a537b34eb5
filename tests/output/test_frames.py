"""Tidy tables (`to_frames`) and reading run output back (`read_records`), on records built from real snippets."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor.errors import MissingExtra
from extractor.output.frames import columns, read_records, to_frames
from extractor.record import (
    CATEGORIES,
    AdverseEvent,
    ArticleRecord,
    Drug,
    Metadata,
    Outcome,
    Patient,
    Source,
    SourceFormat,
    Span,
    Trial,
)

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = pytest.importorskip("pandas")

# corpus/seeds/004_21708132cfbc400b.txt, lines 47 and 74 (verbatim).
COHORT = (
    "The median PFS was 6.6 months (95% CI: 5.59–7.61), as determined by Kaplan–Meier analysis (\n"
    "In BOLERO-2, everolimus plus exemestane achieved a median PFS of 6.9 months (local assessment) compared to "
    "2.8 months in the placebo group (HR: 0.43;\n"
    "n = 6, 8.6%) and stomatitis (\n"
)
# corpus/seeds/000_0a971266401ee98e.txt, lines 88-90 (verbatim).
CASE = (
    "same as the baseline, and serum CA15-3 levels decreased \nfrom 140.8 U/mL before everolimus administration to \n"
)


def span_of(text: str, quote: str, nth: int = 0) -> Span:
    """The evidence span of the nth occurrence of `quote` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Span(text=quote, start=start, end=start + len(quote), section="results")


def make_record(text: str, doc_id: str = "snippet", title: str | None = "A snippet", **items: object) -> ArticleRecord:
    source = Source(path=f"{doc_id}.txt", format=SourceFormat.text, sha256="0" * 64, chars=len(text))
    return ArticleRecord.model_validate(
        {"doc_id": doc_id, "source": source, "metadata": Metadata(title=title), "text": text, **items}
    )


def cohort_record() -> ArticleRecord:
    """Every category but lab values, from the cohort study's text."""
    t = COHORT
    return make_record(
        t,
        doc_id="cohort",
        title="Everolimus plus exemestane after CDK4/6 inhibitors",
        drugs=[
            Drug(name="everolimus", mentions=[span_of(t, "everolimus")], ids={"drugbank": "DB01590"}),
            Drug(name="exemestane", mentions=[span_of(t, "exemestane")]),
        ],
        doses=[],
        outcomes=[
            Outcome(
                endpoint="PFS",
                measure="median",
                value=6.6,
                unit="months",
                ci_low=5.59,
                ci_high=7.61,
                ci_level=95,
                span=span_of(t, "The median PFS was 6.6 months (95% CI: 5.59–7.61)"),
            ),
            Outcome(
                endpoint="PFS",
                measure="HR",
                value=0.43,
                arm="everolimus + exemestane",
                study="BOLERO-2",
                span=span_of(t, "compared to 2.8 months in the placebo group (HR: 0.43;"),
            ),
        ],
        adverse_events=[
            AdverseEvent(event="stomatitis", percent=8.6, n=6, span=span_of(t, "n = 6, 8.6%) and stomatitis"))
        ],
        trials=[Trial(name="BOLERO-2", span=span_of(t, "BOLERO-2"))],
    )


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    case = make_record(
        CASE, doc_id="case", title=None, drugs=[Drug(name="everolimus", mentions=[span_of(CASE, "everolimus")])]
    )
    case = case.model_copy(update={"patient": Patient(age=56, sex="female")})
    return to_frames([cohort_record(), case])


@pytest.mark.parametrize("table", ["articles", *CATEGORIES])
def test_every_table_has_its_columns_and_dtypes(frames: dict[str, pd.DataFrame], table: str) -> None:
    assert {name: str(dtype) for name, dtype in frames[table].dtypes.items()} == columns(table)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "outcomes",
            {
                "doc_id": "cohort",
                "endpoint": "PFS",
                "measure": "median",
                "value": 6.6,
                "ci_low": 5.59,
                "span_text": "The median PFS was 6.6 months (95% CI: 5.59–7.61)",
                "span_start": 0,
                "span_end": 49,
                "span_section": "results",
            },
        ),
        (
            "adverse_events",
            {
                "event": "stomatitis",
                "percent": 8.6,
                "n": 6,
                "title": "Everolimus plus exemestane after CDK4/6 inhibitors",
            },
        ),
        ("trials", {"name": "BOLERO-2", "span_text": "BOLERO-2"}),
    ],
)
def test_one_row_per_item_with_its_evidence(
    frames: dict[str, pd.DataFrame], table: str, expected: dict[str, object]
) -> None:
    first = frames[table].iloc[0]
    assert {key: first[key] for key in expected} == expected


def test_drugs_are_one_row_per_mention_as_in_the_columnar_tables() -> None:
    t = CASE + COHORT
    mentions = [span_of(t, "everolimus"), span_of(t, "everolimus", nth=1)]
    drugs = to_frames(make_record(t, drugs=[Drug(name="everolimus", mentions=mentions)]))["drugs"]
    first, second = CASE.index("everolimus"), len(CASE) + COHORT.index("everolimus")
    assert drugs[["name", "span_text", "span_start"]].values.tolist() == [
        ["everolimus", "everolimus", first],
        ["everolimus", "everolimus", second],
    ]
    assert drugs.groupby(["doc_id", "name"]).size().tolist() == [2]  # one row per drug and article


def test_numbers_are_numeric_so_they_plot(frames: dict[str, pd.DataFrame]) -> None:
    outcomes = frames["outcomes"]
    assert outcomes["value"].tolist() == [6.6, 0.43]
    assert outcomes.loc[outcomes["measure"] == "HR", "arm"].tolist() == ["everolimus + exemestane"]
    assert pd.isna(outcomes.loc[0, "arm"])


def test_empty_category_is_an_empty_frame_with_columns(frames: dict[str, pd.DataFrame]) -> None:
    assert frames["doses"].empty and list(frames["doses"].columns) == list(columns("doses"))
    assert "amount" in frames["doses"].columns and str(frames["doses"]["amount"].dtype) == "float64"


def test_articles_table_counts_items_and_keeps_patient(frames: dict[str, pd.DataFrame]) -> None:
    articles = frames["articles"].set_index("doc_id").to_dict("index")
    assert [articles["cohort"][key] for key in ("n_drugs", "n_outcomes", "n_doses")] == [2, 2, 0]
    assert [articles["case"][key] for key in ("patient_age", "patient_sex")] == [56, "female"]


def test_missing_pandas_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtra, match=r"extractor\[notebook\]"):
        to_frames([cohort_record()])


def _write_jsonl(records: list[ArticleRecord], folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "records.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    return path


def test_read_records_from_jsonl_or_its_folder(tmp_path: Path) -> None:
    records = [cohort_record(), make_record(CASE, doc_id="case")]
    path = _write_jsonl(records, tmp_path / "out")
    assert read_records(path) == records
    assert read_records(tmp_path / "out") == records


def test_read_records_from_parquet_tables(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from extractor.batch.columnar import export

    record = cohort_record().model_copy(update={"patient": Patient(age=56, sex="female"), "warnings": ["W004: x"]})
    path = _write_jsonl([record], tmp_path)
    export(path, tmp_path, "parquet")
    path.unlink()
    (back,) = read_records(tmp_path)
    assert back == record
    assert json.loads(back.model_dump_json())["drugs"][0]["ids"] == {"drugbank": "DB01590"}
