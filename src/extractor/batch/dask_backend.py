"""The Dask backend: the same work as the local pool, on an existing dask.distributed cluster.

Each Dask worker process keeps one Extractor in a module-level cache, loaded by the first task it runs
(a warm-up task per worker does that before timing starts). Workers read the inputs themselves, so paths
must be valid on the workers (a shared filesystem; absolute paths are safest). As many documents are in flight
as the cluster has threads, and results come back as they finish, in whatever order (the caller restores input
order), so one slow document holds up only the thread running it, and the cluster's memory holds at most one
result per thread.

Isolation, as far as a cluster allows: a document with no result --timeout seconds after it was submitted
becomes a Timeout error line and the Dask worker running it is restarted through its nanny (a Python thread
cannot be stopped; the documents it was also running are rescheduled by Dask, get a new --timeout and keep
their results). A document that is not yet running on any worker when its time is up (its worker was being
restarted) gets one more --timeout. --max-memory-mb is not applied: use the cluster's own limit
(`dask worker --memory-limit`, enforced by the nanny); a task whose worker dies past Dask's retries becomes a
WorkerCrashed error line. Needs the `dask` extra.
"""

from __future__ import annotations

import math
import queue
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from extractor.api import ExtractOptions, Extractor
from extractor.batch.worker import DocResult, Task, extract_one, one_blas_thread
from extractor.errors import ExtractorError, require
from extractor.nlp.pipeline import PipelineError

_cache: dict[str, Extractor] = {}
_lock = threading.Lock()


def _extractor(options_json: str) -> Extractor:
    """The worker's Extractor for these options, loaded once (threads of one worker share it)."""
    with _lock:
        if options_json not in _cache:
            _cache.clear()
            one_blas_thread()  # Dask's nanny sets OPENBLAS_NUM_THREADS=1 too; a bare `dask worker --no-nanny` does not
            _cache[options_json] = Extractor(ExtractOptions.model_validate_json(options_json))
        return _cache[options_json]


def warm_up(options_json: str) -> None:
    """Loads the pipeline on the worker that runs this task."""
    _extractor(options_json)


def extract_task(task: Task, options_json: str) -> DocResult:
    return extract_one(_extractor(options_json), task)


@dataclass
class _Flight:
    """A submitted document, and when its time is up."""

    task: Task
    future: Any
    deadline: float
    waited: bool = False  # was given a second --timeout because no worker was running it


class DaskBackend:
    """`with DaskBackend(address, options) as backend: for result in backend.map(tasks)` — in the order they finish."""

    def __init__(self, scheduler: str, options: ExtractOptions, timeout: float | None = None) -> None:
        self.distributed = require("distributed", "dask", "--backend dask")
        self.scheduler = scheduler
        self.timeout = timeout
        self.options_json = options.model_dump_json()
        self.run_id = uuid.uuid4().hex[:12]  # task keys must not collide with another run's on the cluster
        self.client: Any = None
        self.window = 0
        self.size = 0
        self.startup_seconds = 0.0

    def __enter__(self) -> Self:
        """Connects and loads the pipeline on every worker (one warm-up task pinned to each)."""
        started = time.perf_counter()
        try:
            self.client = self.distributed.Client(self.scheduler, set_as_default=False, timeout="30s")
        except OSError as err:
            raise ExtractorError(f"cannot reach the Dask scheduler at {self.scheduler}: {err}") from None
        try:
            self._warm_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.startup_seconds = time.perf_counter() - started
        return self

    def _warm_up(self) -> None:
        nthreads: dict[str, int] = self.client.nthreads()
        if not nthreads:
            raise ExtractorError(f"the Dask scheduler at {self.scheduler} has no workers")
        warm = [self.client.submit(warm_up, self.options_json, workers=[a], pure=False) for a in nthreads]
        try:
            self.client.gather(warm)
        except Exception as err:
            raise PipelineError(f"a Dask worker could not load the pipeline: {err}") from err
        self.size = len(nthreads)
        self.window = sum(nthreads.values())  # one document per thread

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def map(self, tasks: Iterable[Task]) -> Iterator[DocResult]:
        pending = iter(tasks)
        flights: dict[str, _Flight] = {}
        finished: queue.SimpleQueue[str] = queue.SimpleQueue()  # keys, put by Dask's callback thread
        exhausted = False
        while True:
            while not exhausted and len(flights) < self.window:
                task = next(pending, None)
                if task is None:
                    exhausted = True
                    break
                key = f"extract-{self.run_id}-{task.index}"
                future = self.client.submit(extract_task, task, self.options_json, key=key)
                flights[key] = _Flight(task, future, self._deadline())
                future.add_done_callback(lambda done: finished.put(done.key))
            if not flights:
                return
            try:
                key = finished.get(timeout=self._seconds_left(flights))
            except queue.Empty:
                yield from self._expire(flights)
                continue
            flight = flights.pop(key, None)  # None: a future cancelled at its timeout, already answered
            if flight is not None:
                yield self._result(flight)

    def _deadline(self) -> float:
        return time.monotonic() + self.timeout if self.timeout else math.inf

    def _seconds_left(self, flights: dict[str, _Flight]) -> float | None:
        nearest = min(flight.deadline for flight in flights.values())
        return None if nearest == math.inf else max(0.0, nearest - time.monotonic())

    def _result(self, flight: _Flight) -> DocResult:
        try:
            result: DocResult = flight.future.result()
        except Exception as err:  # KilledWorker, a lost connection, a cancelled future: one document's loss
            task = flight.task
            return DocResult.failed(task, "WorkerCrashed", f"{task.path}: {type(err).__name__}: {err}")
        finally:
            flight.future.release()
        return result

    def _expire(self, flights: dict[str, _Flight]) -> Iterator[DocResult]:
        """Each document whose time is up becomes a Timeout, and the Dask worker running it is restarted."""
        now = time.monotonic()
        for key, flight in list(flights.items()):
            if flight.deadline > now:
                continue
            processing: dict[str, Any] = self.client.processing()
            running = [address for address, keys in processing.items() if key in keys]
            if not running and not flight.waited:
                flight.deadline, flight.waited = self._deadline(), True
                continue
            del flights[key]
            flight.future.cancel()
            flight.future.release()
            restarted = self._restart(running)
            for other in running:  # what else those workers ran starts again elsewhere, with its full time
                for moved in processing[other]:
                    if moved in flights:
                        flights[moved].deadline = self._deadline()
            task = flight.task
            yield DocResult.failed(task, "Timeout", f"{task.path}: no result within {self.timeout:g} s; {restarted}")

    def _restart(self, running: list[str]) -> str:
        """Stops a running task the only way Dask can: restarting the worker process running it."""
        if not running:
            return "it was not running on any worker"
        try:
            self.client.restart_workers(running, timeout=120)
        except Exception as err:  # no nanny (`dask worker --no-nanny`), or the restart failed
            return f"its Dask worker {running[0]} could not be restarted ({type(err).__name__}) and stays busy"
        return f"its Dask worker {running[0]} was restarted"
