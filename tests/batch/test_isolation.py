"""Per-document isolation in the local pool: a document that hangs, blows its memory ceiling or kills its
worker becomes one error line, its worker is replaced, and every other document still gets its record.

The misbehaving documents are real inputs read by harness.py's stand-in extraction (see its docstring)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.batch.util import harness, manifest, read_jsonl, record_paths, write_inputs

INPUTS = {
    "a_ok.txt": "fine\n",
    "b_hangs.txt": "SLEEP 60\n",
    "c_ok.txt": "fine too\n",
    "d_bloats.txt": "ALLOC 8192\n",
    "e_ok.txt": "also fine\n",
    "f_crashes.txt": "CRASH\n",
    "g_ok.txt": "fine at last\n",
}


@pytest.fixture(scope="module")
def isolated_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, float]:
    folder = tmp_path_factory.mktemp("isolation")
    write_inputs(folder / "in", INPUTS)
    started = time.monotonic()
    done = harness(folder / "in", "-o", folder / "out", "--workers", "2", "--timeout", "2", "--max-memory-mb", "256")
    return folder / "out", done.returncode, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "error_type"),
    [("b_hangs.txt", "Timeout"), ("d_bloats.txt", "MemoryLimit"), ("f_crashes.txt", "WorkerCrashed")],
)
def test_a_bad_document_becomes_one_error_line(
    isolated_run: tuple[Path, int, float], name: str, error_type: str
) -> None:
    out, code, _ = isolated_run
    assert code == 1, "some inputs failed"
    errors = {Path(e["path"]).name: e for e in read_jsonl(out / "errors.jsonl")}
    assert errors[name]["error_type"] == error_type
    assert errors[name]["path"].endswith(name) and errors[name]["sha256"]


@pytest.mark.slow
def test_every_other_document_still_gets_its_record_in_input_order(isolated_run: tuple[Path, int, float]) -> None:
    out, _, seconds = isolated_run
    assert [Path(p).name for p in record_paths(out)] == ["a_ok.txt", "c_ok.txt", "e_ok.txt", "g_ok.txt"]
    assert len(read_jsonl(out / "errors.jsonl")) == 3
    assert seconds < 45, "the hanging document was stopped at its timeout, not waited for"
    counts = manifest(out)["counts"]
    assert (counts["records"], counts["errors"], counts["inputs"]) == (4, 3, 7)
