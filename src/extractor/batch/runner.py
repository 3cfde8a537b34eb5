"""The run behind `extractor run`: parallel, streaming, resumable; one record or one error line per input.

Inputs stream from disk to a backend (the local process pool, or a Dask cluster), which keeps every worker busy
and hands back each result as soon as it is done, whatever its position: it is appended to the crash-safe
journals of journal.py at once, so a slow document never holds back the others, nor their lines on disk. Only
the small index of where each input's line sits is kept in memory. Starting again with the same OUT skips every
input whose line is already there for the same file content (sha256) and the same fingerprint (manifest.py), and
redoes the rest; at the end both files are compacted to input order, then the optional columnar outputs
are written and OUT/manifest.json records the run. The bytes of records.jsonl depend only on the inputs,
the pipeline and the options — not on the number of workers, the backend, or how often the run was resumed.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from tqdm import tqdm

from extractor._version import __version__
from extractor.api import ExtractOptions
from extractor.batch.columnar import Format, export, remove_outputs, require_format
from extractor.batch.inputs import collect_inputs, file_sha256, nothing_to_extract
from extractor.batch.journal import Entry, Journal, compact, error_key, record_key
from extractor.batch.manifest import fingerprint, pipeline_facts, read_manifest, write_manifest
from extractor.batch.pool import LocalPool
from extractor.batch.worker import DocResult, Task, peak_rss_mb
from extractor.errors import printable
from extractor.record import CATEGORIES, SCHEMA_VERSION

RECORDS = "records.jsonl"
ERRORS = "errors.jsonl"


class RunSettings(BaseModel):
    """How a run is carried out (never what it extracts: that is ExtractOptions, part of the fingerprint)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, description="local worker processes")
    timeout: float = Field(300.0, gt=0, description="seconds one document may take")
    max_memory_mb: int = Field(2048, ge=64, description="memory one document may add to its worker (local backend)")
    format: Format = Field("jsonl", description="jsonl only, or also parquet / duckdb tables")
    backend: Literal["local", "dask"] = "local"
    scheduler: str | None = Field(None, description="Dask scheduler address, for backend='dask'")

    @model_validator(mode="after")
    def _dask_needs_a_scheduler(self) -> Self:
        if self.backend == "dask" and not self.scheduler:
            raise ValueError("backend 'dask' needs a scheduler address (--scheduler)")
        return self


@dataclass
class RunSummary:
    articles: int = 0
    failures: int = 0
    resumed: int = 0
    extracted: int = 0
    items: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)  # files in the folders no reader supports, by suffix

    def line(self) -> str:
        items = ", ".join(f"{k} {self.items[k]}" for k in CATEGORIES)
        done = f" ({self.resumed} kept from an earlier run)" if self.resumed else ""
        return f"{self.articles} articles, {self.failures} failed{done}, in {self.seconds:.1f}s; items: {items}"


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, through the CLI) stopped the run: `summary` counts the lines on disk in `out_dir`, which
    the next run with the same OUT keeps."""

    def __init__(self, summary: RunSummary, out_dir: Path) -> None:
        super().__init__(f"interrupted; {summary.articles + summary.failures} documents written to {out_dir}")
        self.summary = summary
        self.out_dir = out_dir


class _Progress:
    """What the run knows about each input: its order, its current line, and the in-flight file hashes."""

    def __init__(self, records: Journal, errors: Journal) -> None:
        self.records, self.errors = records, errors
        self.earlier = (records.open(), errors.open())
        self.order: list[str] = []
        self.current: dict[str, Entry] = {}
        self.hashes: dict[int, str | None] = {}
        self.resumed = 0
        self.peak_worker_mb = 0.0

    def tasks(self, paths: Iterable[Path]) -> Iterator[Task]:
        """The inputs that still need work; the others keep their earlier line."""
        for index, path in enumerate(paths):
            key, sha = printable(str(path)), file_sha256(path)  # the path as its record or error line spells it
            self.order.append(key)
            kept = self._earlier_line(key, sha)
            if kept is not None:
                self.current[key] = kept
                self.resumed += 1
                continue
            self.hashes[index] = sha
            yield Task(index, str(path))

    def _earlier_line(self, key: str, sha: str | None) -> Entry | None:
        """A record or error line already written for this input, if it was made from the same bytes."""
        for entries in self.earlier:
            entry = entries.get(key)
            if entry is not None and entry.sha256 == sha:
                return entry
        return None

    def write(self, result: DocResult) -> None:
        key, sha = self.order[result.index], self.hashes.pop(result.index)
        if result.record is not None:
            self.current[key] = self.records.append(result.record, sha, result.counts)
        else:
            line = json.dumps({**(result.failure or {}), "sha256": sha}, ensure_ascii=False)
            self.current[key] = self.errors.append(line, sha)
        self.peak_worker_mb = max(self.peak_worker_mb, result.peak_rss_mb)

    def final(self) -> list[Entry]:
        return [self.current[key] for key in self.order]


class Backend(Protocol):
    """The local pool and the Dask backend: entered once (workers load the pipeline), then `map` yields each
    result as soon as it is done, in any order (`DocResult.index` says whose it is); leaving stops the workers."""

    size: int
    startup_seconds: float

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def map(self, tasks: Iterable[Task]) -> Iterator[DocResult]: ...


def _backend(settings: RunSettings, options: ExtractOptions) -> Backend:
    if settings.backend == "dask" and settings.scheduler:
        from extractor.batch.dask_backend import DaskBackend

        return DaskBackend(settings.scheduler, options, settings.timeout)
    return LocalPool(settings.workers, options, settings.timeout, settings.max_memory_mb)


def _discard_if_stale(out_dir: Path, print_: str) -> None:
    """Lines made with another fingerprint cannot be reused: they go before the new manifest is written."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("fingerprint") != print_:
        for name in (RECORDS, ERRORS):
            (out_dir / name).unlink(missing_ok=True)
    remove_outputs(out_dir)


def _extract(state: _Progress, tasks: Iterator[Task], backend: Backend, show: bool) -> dict[str, float]:
    """Runs the backend over the tasks, writing each result as it comes; returns the timings."""
    first = next(tasks, None)  # no worker starts when every input is already done
    if first is None:
        return {"startup_seconds": 0.0, "extract_seconds": 0.0}
    with backend:
        ready = time.perf_counter()
        for result in tqdm(backend.map(itertools.chain([first], tasks)), disable=not show, unit="doc"):
            state.write(result)
        return {"startup_seconds": backend.startup_seconds, "extract_seconds": time.perf_counter() - ready}


def _summarize(state: _Progress, final: list[Entry]) -> RunSummary:
    summary = RunSummary(resumed=state.resumed, extracted=len(final) - state.resumed)
    for entry in final:
        if entry.journal is state.records:
            summary.articles += 1
            summary.items.update(entry.counts)
        else:
            summary.failures += 1
    return summary


def run(
    inputs: Iterable[str | Path],
    out_dir: Path,
    options: ExtractOptions | None = None,
    progress: bool | None = None,
    settings: RunSettings | None = None,
) -> RunSummary:
    """Extracts every input into OUT (see the module docstring). Worker processes are spawned, so a script
    that calls this must do so under `if __name__ == "__main__":`."""
    options = ExtractOptions.resolve(options)
    settings = settings or RunSettings()
    require_format(settings.format)
    backend = _backend(settings, options)  # a missing optional package stops the run before OUT is touched
    started = time.perf_counter()
    named, skipped = list(inputs), Counter[str]()
    paths = collect_inputs(named, skipped)
    first = next(paths, None)  # nothing to extract stops the run before OUT is touched, too
    if first is None:
        raise nothing_to_extract(named, skipped)
    out_dir.mkdir(parents=True, exist_ok=True)
    pipeline = pipeline_facts(options.pipeline)
    print_ = fingerprint(__version__, pipeline["hash"], options)
    _discard_if_stale(out_dir, print_)
    manifest: dict[str, Any] = {
        "extractor_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "fingerprint": print_,
        "pipeline": pipeline,
        "options": options.model_dump(),
        "settings": settings.model_dump(),
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": "running",
    }
    write_manifest(out_dir, manifest)

    state = _Progress(Journal(out_dir / RECORDS, record_key, counts=True), Journal(out_dir / ERRORS, error_key))
    try:
        show = sys.stderr.isatty() if progress is None else progress
        timings = _extract(state, state.tasks(itertools.chain([first], paths)), backend, show)
        final = state.final()
        compact([state.records, state.errors], final)
    except KeyboardInterrupt:
        summary = _summarize(state, list(state.current.values()))
        summary.skipped = skipped
        raise RunInterrupted(summary, out_dir) from None
    finally:
        state.records.close()
        state.errors.close()
    if settings.format != "jsonl":
        export(out_dir / RECORDS, out_dir, settings.format)

    summary = _summarize(state, final)
    summary.seconds = time.perf_counter() - started
    summary.skipped = skipped
    manifest |= {
        "status": "complete",
        "workers": backend.size,
        "counts": {
            "inputs": len(final),
            "records": summary.articles,
            "errors": summary.failures,
            "extracted": summary.extracted,
            "resumed": summary.resumed,
            "skipped": dict(sorted(skipped.items())),
            "items": {k: summary.items[k] for k in CATEGORIES},
        },
        "timings": {k: round(v, 3) for k, v in {"seconds": summary.seconds, **timings}.items()},
        "peak_rss_mb": {"main": round(peak_rss_mb(), 1), "worker": round(state.peak_worker_mb, 1)},
    }
    write_manifest(out_dir, manifest)
    return summary
