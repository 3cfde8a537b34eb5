"""What runs inside a worker process: the pipeline loaded once, then one document at a time.

Workers send back small, picklable results — the record's JSON line and its item counts, or a failure —
never spaCy Docs. The same `extract_one` serves the local pool and the Dask backend, so both write the
same bytes for the same input.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from threadpoolctl import threadpool_limits

from extractor.api import ExtractOptions, Extractor, Failure

MEMORY_LIMIT = "MemoryLimit"


@dataclass(frozen=True)
class Task:
    """One input to extract; `index` is its position in the run's input order."""

    index: int
    path: str


@dataclass(frozen=True)
class DocResult:
    """A record line or a failure (`path`, `error_type`, `message`), plus facts for the run's manifest."""

    index: int
    record: str | None = None
    failure: dict[str, str] | None = None
    counts: dict[str, int] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @classmethod
    def failed(cls, task: Task, error_type: str, message: str) -> DocResult:
        return cls(task.index, failure=Failure(task.path, error_type, message).to_dict())


@dataclass(frozen=True)
class Ready:
    """A worker's first message: the pipeline is loaded."""


@dataclass(frozen=True)
class StartupFailed:
    """A worker could not load the pipeline: the run cannot go on."""

    message: str


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def extract_one(extractor: Extractor, task: Task) -> DocResult:
    """Never raises for a bad document. Under the worker's address-space ceiling a MemoryError means the
    document needed more than --max-memory-mb: it becomes a MemoryLimit failure."""
    try:
        result = extractor.try_extract(task.path)
        if not isinstance(result, Failure):
            line = result.model_dump_json()
            return DocResult(task.index, record=line, counts=result.counts(), peak_rss_mb=peak_rss_mb())
        if result.error_type != "MemoryError":
            return DocResult(task.index, failure=result.to_dict(), peak_rss_mb=peak_rss_mb())
    except MemoryError:
        pass
    return DocResult.failed(task, MEMORY_LIMIT, f"{task.path}: over the per-document memory limit (--max-memory-mb)")


def limit_memory(max_memory_mb: int) -> None:
    """Caps the address space at what the loaded pipeline uses plus `max_memory_mb`, so a runaway document
    raises MemoryError in its own worker instead of swapping the machine or waking the OOM killer. Chosen over
    watching RSS from outside (psutil): no polling interval for a fast allocation to slip through, and the
    failure lands on the document that caused it."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        used = int(statm.read().split()[0]) * resource.getpagesize()
    limit = used + max_memory_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def one_blas_thread() -> None:
    """A worker has one core of its own: BLAS threads (OpenBLAS starts one per core for the NER model's matrix
    products) would compete with the other workers for theirs."""
    threadpool_limits(limits=1, user_api="blas")


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (kill -9, power cut of the main process) stops instead of lingering."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def serve(conn: Connection, options_json: str, max_memory_mb: int, parent: int) -> None:
    """A local worker's life: load, say Ready, then extract each Task received until None or a closed pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the main process decides
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    one_blas_thread()
    try:
        extractor = Extractor(ExtractOptions.model_validate_json(options_json))
    except Exception as err:  # any reason the pipeline cannot load ends the run with that message
        conn.send(StartupFailed(f"{type(err).__name__}: {err}"))
        return
    # The pipeline's objects (lexicons, patterns, the model) live as long as the worker: out of the collector's
    # reach, its full collections no longer walk them after every few thousand allocations (about 1% of the CPU).
    gc.freeze()
    if sys.platform == "linux":
        limit_memory(max_memory_mb)
    conn.send(Ready())
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(extract_one(extractor, task))
