"""The real pipeline through the process pool: output independent of the worker count, the manifest, and
the CLI's handling of the new options (bad values and missing optional packages exit 2 before OUT is touched)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from tests.batch.util import harness, manifest, record_paths, write_inputs
from tests.conftest import CORPUS, SEEDS

runner = CliRunner()


@pytest.mark.slow
def test_records_are_byte_identical_whatever_the_number_of_workers(
    seeds_one_worker: Path, seeds_two_workers: Path
) -> None:
    one, two = (seeds_one_worker / "records.jsonl").read_bytes(), (seeds_two_workers / "records.jsonl").read_bytes()
    assert one == two
    assert record_paths(seeds_one_worker) == [str(p) for p in SEEDS], "input order"
    assert (seeds_two_workers / "errors.jsonl").read_bytes() == b""


@pytest.mark.slow
def test_the_manifest_holds_the_run_facts(seeds_two_workers: Path) -> None:
    data = manifest(seeds_two_workers)
    assert data["status"] == "complete" and data["workers"] == 2
    assert data["counts"]["records"] == len(SEEDS) and data["counts"]["extracted"] == len(SEEDS)
    assert len(data["pipeline"]["config_sha256"]) == 64 and "drugs.tsv" in data["pipeline"]["lexicons"]
    assert 0 < data["peak_rss_mb"]["worker"] < 2048
    assert data["timings"]["extract_seconds"] > 0
    assert "started_at" not in (seeds_two_workers / "records.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "dask"], "scheduler"),
        (["--format", "xml"], "format"),
        (["--workers", "0"], "workers"),
        (["--backend", "spark"], "backend"),
    ],
)
def test_bad_run_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["run", str(SEEDS[3]), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("module", "args", "extra"),
    [
        ("pyarrow.parquet", ["--format", "parquet"], "extractor[columnar]"),
        ("duckdb", ["--format", "duckdb"], "extractor[columnar]"),
        ("distributed", ["--backend", "dask", "--scheduler", "tcp://127.0.0.1:9"], "extractor[dask]"),
    ],
)
def test_a_missing_optional_package_names_its_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, args: list[str], extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail as if it were not installed
    result = runner.invoke(app, ["run", str(SEEDS[3]), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2
    assert extra in result.output and module.split(".")[0] in result.output
    assert not (tmp_path / "out").exists(), "nothing is extracted or deleted before the check"


@pytest.mark.slow
def test_the_summary_counts_every_input(seeds_one_worker: Path) -> None:
    counts = manifest(seeds_one_worker)["counts"]
    lines = [json.loads(line) for line in (seeds_one_worker / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert counts["items"]["drugs"] == sum(len(r["drugs"]) for r in lines)
    assert counts["inputs"] == len(list((CORPUS / "seeds").glob("*.txt")))


@pytest.mark.slow
def test_files_of_unsupported_kinds_are_counted_in_the_summary_and_the_manifest(tmp_path: Path) -> None:
    write_inputs(tmp_path / "in", {"a.txt": "an article\n", "b.docx": "a draft\n", "c.docx": "another\n"})
    done = harness(tmp_path / "in", "-o", tmp_path / "out", "-w", "1")
    assert done.returncode == 0, done.stderr
    assert "skipped 2 files with unsupported suffixes: .docx (2)" in done.stderr
    assert manifest(tmp_path / "out")["counts"]["skipped"] == {".docx": 2}
    assert record_paths(tmp_path / "out") == [str(tmp_path / "in" / "a.txt")]
