"""The Dask backend on a real cluster on loopback: a `dask scheduler` and two `dask worker` processes started
here, the bundled seeds extracted through them, and the output compared byte for byte with the local pool's."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from extractor.batch.runner import RunSettings, run
from tests.batch.util import manifest, read_jsonl, record_paths, write_inputs
from tests.conftest import CORPUS

distributed = pytest.importorskip("distributed")
DASK = str(Path(sys.executable).parent / "dask")
HARNESS = Path(__file__).with_name("harness.py")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(*args: str) -> subprocess.Popen[bytes]:
    """A dask CLI process kept on loopback: its HTTP server too (it listens on all interfaces by default)."""
    loopback = ["--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0"]
    return subprocess.Popen([DASK, *args, *loopback], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextmanager
def cluster(*worker_options: str) -> Iterator[str]:
    """A scheduler and two single-thread workers (each under a nanny, Dask's default) on loopback."""
    port = str(_free_port())
    address = f"tcp://127.0.0.1:{port}"
    processes = [_start("scheduler", "--port", port)]
    try:
        worker = ("worker", address, "--nthreads", "1", "--nworkers", "1", *worker_options)
        processes += [_start(*worker) for _ in range(2)]
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        try:
            with distributed.Client(address, timeout="10s") as client:
                client.shutdown()  # scheduler and workers close at once; terminate() alone waits seconds per worker
        except (OSError, TimeoutError):
            pass
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with cluster() as address:
        yield address


@pytest.mark.slow
def test_dask_output_is_byte_identical_to_the_local_pool(
    scheduler: str, seeds_two_workers: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    started = time.monotonic()
    summary = run([CORPUS / "seeds"], out, progress=False, settings=RunSettings(backend="dask", scheduler=scheduler))
    assert summary.failures == 0 and time.monotonic() - started < 120
    assert (out / "records.jsonl").read_bytes() == (seeds_two_workers / "records.jsonl").read_bytes()
    assert (out / "errors.jsonl").read_bytes() == b""
    data = manifest(out)
    assert data["workers"] == 2 and data["settings"]["backend"] == "dask"
    assert data["fingerprint"] == manifest(seeds_two_workers)["fingerprint"]


@pytest.mark.slow
def test_a_document_that_hangs_on_dask_becomes_a_timeout_and_its_worker_is_restarted(tmp_path: Path) -> None:
    """The workers preload tests/batch/harness.py (the stand-in extraction: 'SLEEP 600' sleeps): the hanging
    document becomes one Timeout line, its worker is restarted, every other document gets its record."""
    write_inputs(tmp_path / "in", {"a.txt": "fine\n", "b.txt": "SLEEP 600\n", "c.txt": "fine too\n", "d.txt": "ok\n"})
    with cluster("--preload", str(HARNESS)) as address:
        started = time.monotonic()
        settings = RunSettings(backend="dask", scheduler=address, timeout=3)
        summary = run([tmp_path / "in"], tmp_path / "out", progress=False, settings=settings)
        took = time.monotonic() - started
    assert took < 120
    assert summary.failures == 1
    errors = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert [(Path(e["path"]).name, e["error_type"]) for e in errors] == [("b.txt", "Timeout")]
    assert "was restarted" in errors[0]["message"]
    assert sorted(Path(p).name for p in record_paths(tmp_path / "out")) == ["a.txt", "c.txt", "d.txt"]


@pytest.mark.slow
def test_on_dask_documents_behind_a_slow_one_are_written_before_it_ends(tmp_path: Path) -> None:
    """One document stays in progress until the test releases it (harness.py's `WAIT FILE`): the documents after
    it go to the other worker and their lines reach the journal meanwhile; the end restores input order."""
    release = tmp_path / "release"
    texts = {"00_slow.txt": f"WAIT {release}\n"} | {f"{i:02d}.txt": f"small {i}\n" for i in range(1, 11)}
    inputs = write_inputs(tmp_path / "in", texts)
    records = tmp_path / "out" / "records.jsonl"
    with cluster("--preload", str(HARNESS)) as address:
        settings = RunSettings(backend="dask", scheduler=address, timeout=900)
        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(run, [tmp_path / "in"], tmp_path / "out", progress=False, settings=settings)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and (not records.exists() or records.read_bytes().count(b"\n") < 10):
                time.sleep(0.05)
            written = records.read_bytes().count(b"\n") if records.exists() else 0
            still_running = not running.done()
            release.touch()
            summary = running.result(timeout=300)
    assert written == 10 and still_running, "all small documents were written while the slow one was in progress"
    assert summary.failures == 0
    assert record_paths(tmp_path / "out") == [str(p) for p in inputs], "input order restored at the end"
