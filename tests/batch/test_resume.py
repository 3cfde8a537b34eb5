"""Resuming with the same OUT: done inputs are kept, changed inputs and changed pipelines are redone, a torn
last line is dropped, and the output always ends with exactly one line per input, in input order.

Runs use relative paths inside a folder, so each test starts from its own copy of one finished run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.nlp.pipeline import config_path
from tests.batch.util import harness, manifest, read_jsonl, record_paths, write_inputs

TEXTS = {f"doc{i}.txt": f"document number {i}\n" for i in range(6)}
PATHS = [f"in/{name}" for name in sorted(TEXTS)]
RUN = ("in", "missing.txt", "-o", "out", "--workers", "1")


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("finished")
    write_inputs(folder / "in", TEXTS)
    done = harness(*RUN, cwd=folder)
    assert done.returncode == 1, done.stderr  # missing.txt fails
    return folder


@pytest.fixture
def folder(finished: Path, tmp_path: Path) -> Path:
    shutil.copytree(finished, tmp_path / "run")
    return tmp_path / "run"


def _resumed_and_extracted(folder: Path) -> tuple[int, int]:
    counts = manifest(folder / "out")["counts"]
    return counts["resumed"], counts["extracted"]


def _one_line_per_input(folder: Path) -> None:
    assert record_paths(folder / "out") == PATHS
    assert [e["path"] for e in read_jsonl(folder / "out" / "errors.jsonl")] == ["missing.txt"]


@pytest.mark.slow
def test_a_finished_output_is_kept_whole_and_no_worker_starts(folder: Path) -> None:
    before = (folder / "out" / "records.jsonl").read_bytes()
    harness(*RUN, cwd=folder)
    assert (folder / "out" / "records.jsonl").read_bytes() == before
    assert _resumed_and_extracted(folder) == (7, 0), "the error line of the missing file is kept too"
    assert manifest(folder / "out")["timings"]["startup_seconds"] == 0


@pytest.mark.slow
def test_a_changed_input_is_redone_and_its_old_line_is_gone(folder: Path) -> None:
    (folder / PATHS[2]).write_text("document number 2, corrected\n", encoding="utf-8")
    harness(*RUN, cwd=folder)
    assert _resumed_and_extracted(folder) == (6, 1)
    _one_line_per_input(folder)
    assert "corrected" in read_jsonl(folder / "out" / "records.jsonl")[2]["text"]


@pytest.mark.slow
def test_a_torn_last_line_is_dropped_and_redone(folder: Path) -> None:
    records = folder / "out" / "records.jsonl"
    data = records.read_bytes()
    records.write_bytes(data[: len(data) - 40])  # a power cut in the middle of the last line
    harness(*RUN, cwd=folder)
    assert _resumed_and_extracted(folder) == (6, 1)
    assert records.read_bytes() == data
    _one_line_per_input(folder)


@pytest.mark.slow
def test_a_changed_pipeline_redoes_everything(folder: Path) -> None:
    changed = folder / "changed.cfg"
    shutil.copy(config_path("default"), changed)
    changed.write_text(changed.read_text(encoding="utf-8").replace("batch_size = 8", "batch_size = 16"), "utf-8")
    harness(*RUN, "--pipeline", str(changed), cwd=folder)
    assert manifest(folder / "out")["pipeline"]["name"] == str(changed)
    assert _resumed_and_extracted(folder) == (0, 7)
    _one_line_per_input(folder)


@pytest.mark.slow
def test_inputs_no_longer_asked_for_leave_the_output(folder: Path) -> None:
    harness(*PATHS[:2], "-o", "out", "--workers", "1", cwd=folder)
    assert _resumed_and_extracted(folder) == (2, 0)
    assert record_paths(folder / "out") == PATHS[:2]
    assert read_jsonl(folder / "out" / "errors.jsonl") == []
