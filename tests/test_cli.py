"""The CLI end to end on the bundled seeds, plus bad inputs and exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.record import ArticleRecord, json_schema
from tests.conftest import CORPUS, SEEDS

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("run")
    result = runner.invoke(app, ["run", str(CORPUS / "seeds"), "-o", str(out)])
    return out, result.exit_code


def test_run_writes_one_valid_record_per_article(seeds_run: tuple[Path, int]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out, code = seeds_run
    assert code == 0
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(SEEDS) == 5
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""
    validator = jsonschema.Draft202012Validator(json_schema())
    names = []
    for line in lines:
        data = json.loads(line)
        validator.validate(data)
        record = ArticleRecord.model_validate(data)  # re-checks every span against the text
        for span in record.iter_spans():
            assert record.text is not None and record.text[span.start : span.end] == span.text
        names.append(Path(record.source.path).name)
    assert names == [p.name for p in SEEDS], "records come in input order"


def test_run_reports_bad_files_and_keeps_the_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(SEEDS[0].read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "fake.pdf").write_bytes(b"<!DOCTYPE html><html><body>Access denied</body></html>")
    (tmp_path / "in" / "garbage.txt").write_bytes(bytes(range(256)) * 40)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(tmp_path / "in"), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 1
    records = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    by_name = {Path(e["path"]).name: e for e in errors}
    assert by_name["empty.txt"]["error_type"] == "EmptyInput"
    assert by_name["fake.pdf"]["error_type"] == "PdfError" and "HTML" in by_name["fake.pdf"]["message"]
    assert by_name["garbage.txt"]["error_type"] == "NotAnArticle"
    assert by_name["missing.txt"]["error_type"] == "InputNotFound"
    assert "Traceback" not in result.output


def test_extract_prints_one_record(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEEDS[3]), "--no-text"])
    assert result.exit_code == 0
    record = ArticleRecord.model_validate_json(result.stdout)
    assert record.text is None
    assert {"letrozole", "palbociclib", "fulvestrant"} <= {d.name for d in record.drugs}


@pytest.mark.parametrize("args", [["run"], ["run", "x", "-o", "y", "--pipeline", "nope"], ["frobnicate"]])
def test_bad_usage_exits_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_eval_prints_scores(seeds_run: tuple[Path, int]) -> None:
    out, _ = seeds_run
    result = runner.invoke(app, ["eval", str(out / "records.jsonl"), "--gold", str(CORPUS / "gold"), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["articles"] == 5
    assert set(report["categories"]) >= {"drugs", "trials", "doses", "outcomes", "adverse_events", "lab_values"}


def test_accuracy_floor_on_the_seed_gold(seeds_run: tuple[Path, int]) -> None:
    """Issue 3's bar: drugs F1 >= 0.95 and trials F1 >= 0.9 on the bundled gold."""
    from extractor.evaluate import evaluate

    out, _ = seeds_run
    report = evaluate(CORPUS / "gold", out / "records.jsonl")
    assert report.scores["drugs"].f1 >= 0.95, report.table()
    assert report.scores["trials"].f1 >= 0.9, report.table()
