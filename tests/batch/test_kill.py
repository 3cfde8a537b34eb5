"""Interrupting a run, then the same command again: every input ends up in the output exactly once, in input
order, with no torn line, and the interrupted run's workers do not linger. kill -9 on the real pipeline;
SIGTERM and Ctrl-C through harness.py (documents that take a known time)."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import pytest

from tests.batch.util import HARNESS_ENV, harness, harness_command, manifest, read_jsonl, record_paths, write_inputs
from tests.conftest import SEEDS

EXTRACTOR = str(Path(sys.executable).parent / "extractor")
SMALL = [p for p in SEEDS if p.stat().st_size < 30_000]  # the four seeds that take well under a second


def _complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
def test_kill_9_mid_run_then_resume_accounts_for_every_input_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        seed = SMALL[i % len(SMALL)]
        (folder / f"{i:02d}_{seed.name}").write_bytes(seed.read_bytes())
    inputs = [str(p) for p in sorted(folder.iterdir())]
    out = tmp_path / "out"
    command = [EXTRACTOR, "run", str(folder), "-o", str(out), "--workers", "1"]

    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _complete_lines(out / "records.jsonl") < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = psutil.Process(run.pid).children(recursive=True)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    kept = _complete_lines(out / "records.jsonl")
    assert 3 <= kept < 20, "killed mid-run"
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "workers of a killed run exit by themselves"

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert record_paths(out) == inputs, "each input once, in input order"
    assert read_jsonl(out / "errors.jsonl") == []
    counts = manifest(out)["counts"]
    assert (counts["resumed"], counts["extracted"]) == (kept, 20 - kept)


@pytest.mark.slow
def test_sigterm_stops_the_run_and_its_workers_then_the_run_resumes(tmp_path: Path) -> None:
    # 12 documents of 0.6 s: the interrupt lands mid-run
    inputs = write_inputs(tmp_path / "in", {f"{i:02d}.txt": "SLEEP 0.6\n" for i in range(12)})
    out = tmp_path / "out"
    run = subprocess.Popen(
        harness_command(tmp_path / "in", "-o", out, "-w", "1"), env=HARNESS_ENV, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while _complete_lines(out / "records.jsonl") < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = psutil.Process(run.pid).children(recursive=True)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 143
    stderr = (run.stderr.read() if run.stderr else b"").decode()
    assert "Traceback" not in stderr and "run the same command again" in stderr
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert not alive
    kept = _complete_lines(out / "records.jsonl")
    assert 2 <= kept < 12

    assert harness(tmp_path / "in", "-o", out, "-w", "1").returncode == 0
    assert record_paths(out) == [str(p) for p in inputs]
    assert manifest(out)["counts"]["resumed"] == kept


@pytest.mark.slow
def test_ctrl_c_says_how_many_documents_were_kept_and_how_to_resume_then_exits_130(tmp_path: Path) -> None:
    # 12 documents of 0.6 s: the interrupt lands mid-run
    inputs = write_inputs(tmp_path / "in", {f"{i:02d}.txt": "SLEEP 0.6\n" for i in range(12)})
    out = tmp_path / "out"
    command = harness_command(tmp_path / "in", "-o", out, "-w", "1")
    # SIGINT as a terminal's foreground job has it: a suite started in the background by a non-interactive shell
    # (`make test &`) passes SIGINT on ignored, and Python then leaves it ignored
    run = subprocess.Popen(
        command,
        env=HARNESS_ENV,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while _complete_lines(out / "records.jsonl") < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = psutil.Process(run.pid).children(recursive=True)
    at_interrupt = (_complete_lines(out / "records.jsonl"), run.poll(), time.monotonic() < deadline)
    os.killpg(run.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole foreground process group
    code = run.wait(timeout=30)
    stderr = (run.stderr.read() if run.stderr else b"").decode()
    assert code == 130, f"exit {code}; (lines, exit, before deadline) when interrupted: {at_interrupt}\n{stderr}"
    assert "Traceback" not in stderr
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    kept = _complete_lines(out / "records.jsonl")
    said = re.search(rf"interrupted: (\d+) documents written to {re.escape(str(out))} \(\d+ records, 0 errors", stderr)
    assert said, stderr
    assert int(said[1]) <= kept <= int(said[1]) + 1, "the count said is what is on disk (a line may land as it stops)"
    assert 2 <= kept < 12
    assert f"run the same command again: {shlex.join(['extractor', *command[3:]])}" in stderr

    assert harness(tmp_path / "in", "-o", out, "-w", "1").returncode == 0
    assert record_paths(out) == [str(p) for p in inputs]
    assert manifest(out)["counts"]["resumed"] == kept
