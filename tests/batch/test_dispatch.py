"""No head-of-line blocking: a slow document holds up only the worker running it. The other worker goes on with
everything after it, each finished document's line is on disk at once, and a kill -9 of the whole run at that
moment, then the same command again, gives every input exactly once, none extracted twice.

The slow document is harness.py's `WAIT FILE`: it stays in progress until the test creates FILE, so the test
never depends on how fast this machine is (generous polling, no timing assertion)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest

from tests.batch.util import HARNESS_ENV, harness_command, manifest, read_jsonl, record_paths, write_inputs

SMALL = 20


def _complete_lines(path: Path) -> list[bytes]:
    data = path.read_bytes() if path.exists() else b""
    return data.split(b"\n")[:-1]


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_small_documents_behind_a_slow_one_are_written_and_survive_a_kill_9(tmp_path: Path) -> None:
    release = tmp_path / "release"  # the slow document finishes once this exists
    texts = {"00_slow.txt": f"WAIT {release}\n"} | {f"{i:02d}_small.txt": f"small document {i}\n" for i in range(1, 21)}
    inputs = write_inputs(tmp_path / "in", texts)
    out, marks = tmp_path / "out", tmp_path / "marks.log"
    command = harness_command(tmp_path / "in", "-o", out, "--workers", "2", "--timeout", "900")
    env = HARNESS_ENV | {"HARNESS_MARKS": str(marks)}

    first = subprocess.Popen(command, env=env, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        written = _wait_for(lambda: len(_complete_lines(out / "records.jsonl")) >= SMALL, 180)
        assert written, f"only {len(_complete_lines(out / 'records.jsonl'))} of {SMALL} small documents written"
        assert first.poll() is None, "the run still waits on the slow document"
        lines = [line.decode() for line in _complete_lines(out / "records.jsonl")]
        assert len(lines) == SMALL and not any("00_slow.txt" in line for line in lines)
        group = [psutil.Process(first.pid), *psutil.Process(first.pid).children(recursive=True)]
        assert len(group) >= 3, "the main process and its two workers"
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the whole process group: the main process and every worker
        first.wait()
    _, alive = psutil.wait_procs(group, timeout=30)
    assert not alive
    assert Counter(marks.read_text(encoding="utf-8").split()) == {p.name: 1 for p in inputs[1:]}

    release.touch()
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert record_paths(out) == [str(p) for p in inputs], "every input once, in input order"
    assert read_jsonl(out / "errors.jsonl") == []
    assert Counter(marks.read_text(encoding="utf-8").split()) == {p.name: 1 for p in inputs}, "none extracted twice"
    counts = manifest(out)["counts"]
    assert (counts["resumed"], counts["extracted"]) == (SMALL, 1)

    fresh = tmp_path / "fresh"
    once = subprocess.run(
        harness_command(tmp_path / "in", "-o", fresh, "--workers", "1"), env=HARNESS_ENV, timeout=300, check=False
    )
    assert once.returncode == 0
    assert (out / "records.jsonl").read_bytes() == (fresh / "records.jsonl").read_bytes(), "the same bytes"
