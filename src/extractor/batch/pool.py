"""The local backend: a small pool of worker processes that survives hung, bloated and crashing documents.

Why not `concurrent.futures.ProcessPoolExecutor`: one dead worker breaks the whole executor, and a running
task cannot be stopped. Here each worker is a `multiprocessing.Process` (spawn: safe next to threads, the
same on every OS) with its own pipe, holding at most one document. The main process waits on the pipes and
the process sentinels at once; a document past its deadline gets its worker killed, a worker that dies costs
only the document it held, and either way a fresh worker takes its place. Results come back as soon as they are
done, in whatever order: an idle worker gets the next task at once, so one slow document holds up only the worker
running it (the caller restores input order at the end). At most one task per worker is ever taken from the input
stream, so memory stays flat however many inputs stream through.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from types import TracebackType
from typing import Self

from extractor.api import ExtractOptions
from extractor.batch.worker import MEMORY_LIMIT, DocResult, Ready, StartupFailed, Task, serve
from extractor.nlp.pipeline import PipelineError

_CTX = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class _Job:
    task: Task
    deadline: float


class _Worker:
    """One worker process, its end of the pipe, and the job it holds (if any)."""

    def __init__(self, options_json: str, max_memory_mb: int) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=serve, args=(child, options_json, max_memory_mb, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.spent = False  # hit its memory ceiling: its heap may be fragmented, so it is replaced
        self.job: _Job | None = None

    def assign(self, job: _Job) -> None:
        """A worker that died since the last look cannot take the task: its sentinel reports the death next,
        which costs this one document (as WorkerCrashed), never the run."""
        self.job = job
        with contextlib.suppress(OSError):
            self.conn.send(job.task)

    def stop(self, graceful: bool) -> None:
        if graceful and self.process.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"exit code {exitcode}"


class LocalPool:
    """`with LocalPool(...) as pool: for result in pool.map(tasks)` — results in the order they finish."""

    def __init__(self, workers: int, options: ExtractOptions, timeout: float, max_memory_mb: int) -> None:
        self.size = workers
        self.timeout = timeout
        self._init = (options.model_dump_json(), max_memory_mb)
        self._workers: list[_Worker] = []
        self.startup_seconds = 0.0

    def __enter__(self) -> Self:
        """Starts every worker and waits until all have loaded the pipeline, so a pipeline that cannot load
        stops the run before any input is read."""
        started = time.perf_counter()
        try:
            self._workers = [_Worker(*self._init) for _ in range(self.size)]
            while not all(w.ready for w in self._workers):
                self._step([])
        except BaseException:
            self.close(graceful=False)
            raise
        self.startup_seconds = time.perf_counter() - started
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close(graceful=kind is None)

    def close(self, graceful: bool) -> None:
        for worker in self._workers:
            worker.stop(graceful)
        self._workers = []

    def map(self, tasks: Iterable[Task]) -> Iterator[DocResult]:
        pending = iter(tasks)
        finished: list[DocResult] = []  # at most one per worker: filled by one _step, emptied before the next
        exhausted = False
        while True:
            if not exhausted:  # idle workers get work before the caller spends time on the results
                exhausted = self._dispatch(pending)
            if finished:
                yield from finished
                finished.clear()
                continue
            if exhausted and all(w.job is None for w in self._workers):
                return
            self._step(finished)

    def _dispatch(self, pending: Iterator[Task]) -> bool:
        """Gives every idle worker its next task; returns whether the tasks have run out."""
        for worker in self._workers:
            if worker.ready and worker.job is None:
                task = next(pending, None)
                if task is None:
                    return True
                worker.assign(_Job(task, time.monotonic() + self.timeout))
        return False

    def _step(self, finished: list[DocResult]) -> None:
        """Waits for a message, a death or the nearest deadline, then handles whatever happened."""
        deadlines = [w.job.deadline for w in self._workers if w.job is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        wait([w.conn for w in self._workers] + [w.process.sentinel for w in self._workers], timeout)
        for worker in list(self._workers):
            self._receive(worker, finished)
            if not worker.process.is_alive():
                self._retire(worker, finished, "WorkerCrashed", f"the worker died ({_death(worker.process.exitcode)})")
            elif worker.job is not None and worker.job.deadline <= time.monotonic():
                self._retire(worker, finished, "Timeout", f"no result after {self.timeout:g} s; its worker was stopped")
            elif worker.spent:
                self._restart(worker)

    def _receive(self, worker: _Worker, finished: list[DocResult]) -> None:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                if isinstance(message, Ready):
                    worker.ready = True
                elif isinstance(message, StartupFailed):
                    raise PipelineError(f"a worker could not load the pipeline: {message.message}")
                elif isinstance(message, DocResult) and worker.job is not None:
                    finished.append(message)
                    worker.job = None
                    worker.spent = message.failure is not None and message.failure["error_type"] == MEMORY_LIMIT
        except (EOFError, OSError):
            return  # a worker that died mid-message: its sentinel says so next

    def _retire(self, worker: _Worker, finished: list[DocResult], error_type: str, why: str) -> None:
        """The document `worker` held becomes a failure, and a fresh worker takes its place."""
        if worker.job is not None:
            job = worker.job
            finished.append(DocResult.failed(job.task, error_type, f"{job.task.path}: {why}"))
        self._restart(worker)

    def _restart(self, worker: _Worker) -> None:
        if not worker.ready:
            raise PipelineError(f"a worker died while loading the pipeline ({_death(worker.process.exitcode)})")
        worker.stop(graceful=False)
        self._workers[self._workers.index(worker)] = _Worker(*self._init)
