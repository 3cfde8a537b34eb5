"""`extractor eval-external`: runs what is present, skips what is not (the data sets do not ship with the project)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractor import Extractor
from extractor.cli import app
from extractor.eval.external.suite import EVALUATIONS, run_all
from tests.eval.external.test_dose_datasets import GROBID


def test_every_missing_data_set_is_skipped_with_its_path(tmp_path: Path) -> None:
    results = run_all(tmp_path)
    assert set(results) == {e.name for e in EVALUATIONS}
    assert all("not found" in r["skipped"] and str(tmp_path) in r["skipped"] for r in results.values())


def test_a_present_data_set_is_scored(tmp_path: Path, extractor: Extractor) -> None:
    folder = tmp_path / "grobid_quantities"
    folder.mkdir()
    (folder / "grobid_quantities_paragraphs.jsonl").write_text(json.dumps(GROBID) + "\n", encoding="utf-8")
    results = run_all(tmp_path, extractor=extractor)
    scores = results["grobid-quantities"]["scores"]
    assert scores["gold"] > 0 and scores["found"] == scores["gold"]
    assert "skipped" in results["phee-doses"]


def test_cli_prints_one_json_line_per_evaluation_and_rejects_unknown_names(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval-external", str(tmp_path), "--only", "bc5cdr-ner"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [line["evaluation"] for line in lines] == ["bc5cdr-ner"] and "skipped" in lines[0]
    result = CliRunner().invoke(app, ["eval-external", str(tmp_path), "--only", "no-such-set"])
    assert result.exit_code == 2
