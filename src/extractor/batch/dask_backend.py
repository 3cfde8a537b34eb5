"""The Dask backend: the same work as the local pool, on an existing dask.distributed cluster.

Each Dask worker process keeps one Extractor in a module-level cache, loaded by the first task it runs
(a warm-up task per worker does that before timing starts). Workers read the inputs themselves, so paths
must be valid on the workers (a shared filesystem; absolute paths are safest). Results come back in input
order: a bounded window of futures is kept and always waited on from its oldest end, so a Dask worker's
memory holds at most `window` finished results.

Isolation, as far as a cluster allows: a document whose result does not come within --timeout seconds of
being awaited (so it gets at least that long) becomes a Timeout error line and the Dask worker running it is
restarted through its nanny (a Python thread cannot be stopped; the documents it was also running are
rescheduled by Dask and keep their results). --max-memory-mb is not applied: use the cluster's own limit
(`dask worker --memory-limit`, enforced by the nanny); a task whose worker dies past Dask's retries becomes a
WorkerCrashed error line. Needs the `dask` extra.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Self

from extractor.api import ExtractOptions, Extractor
from extractor.batch.extras import require
from extractor.batch.worker import DocResult, Task, extract_one, one_blas_thread
from extractor.errors import ExtractorError
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


class DaskBackend:
    """`with DaskBackend(address, options) as backend: for result in backend.map(tasks)` — in task order."""

    def __init__(
        self, scheduler: str, options: ExtractOptions, timeout: float | None = None, window_per_thread: int = 4
    ) -> None:
        self.distributed = require("distributed", "dask", "--backend dask")
        self.scheduler = scheduler
        self.timeout = timeout
        self.options_json = options.model_dump_json()
        self.window_per_thread = window_per_thread
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
        self.window = self.window_per_thread * sum(nthreads.values())

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def map(self, tasks: Iterable[Task]) -> Iterator[DocResult]:
        in_flight: deque[tuple[Task, Any]] = deque()
        pending = iter(tasks)
        while True:
            while len(in_flight) < self.window and (task := next(pending, None)) is not None:
                key = f"extract-{self.run_id}-{task.index}"
                in_flight.append((task, self.client.submit(extract_task, task, self.options_json, key=key)))
            if not in_flight:
                return
            task, future = in_flight.popleft()
            yield self._result(task, future)

    def _result(self, task: Task, future: Any) -> DocResult:
        try:
            result: DocResult = future.result(timeout=self.timeout)
        except TimeoutError:
            restarted = self._restart_worker_of(future)
            return DocResult.failed(
                task,
                "Timeout",
                f"{task.path}: no result within {self.timeout:g} s; {restarted}",
            )
        except Exception as err:  # KilledWorker, a lost connection, a cancelled future: one document's loss
            return DocResult.failed(task, "WorkerCrashed", f"{task.path}: {type(err).__name__}: {err}")
        finally:
            future.release()
        return result

    def _restart_worker_of(self, future: Any) -> str:
        """Stops the task behind `future` the only way Dask can: restarting the worker process running it."""
        running = [address for address, keys in self.client.processing().items() if future.key in keys]
        future.cancel()
        if not running:
            return "it was not running on any worker"
        try:
            self.client.restart_workers(running, timeout=120)
        except Exception as err:  # no nanny (`dask worker --no-nanny`), or the restart failed
            return f"its Dask worker {running[0]} could not be restarted ({type(err).__name__}) and stays busy"
        return f"its Dask worker {running[0]} was restarted"
