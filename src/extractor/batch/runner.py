"""The run loop behind `extractor run`: one record or one error line per input, in input order."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from extractor.api import ExtractOptions, Extractor, Failure
from extractor.batch.inputs import collect_inputs
from extractor.record import CATEGORIES


@dataclass
class RunSummary:
    articles: int = 0
    failures: int = 0
    items: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        items = ", ".join(f"{k} {self.items[k]}" for k in CATEGORIES)
        return f"{self.articles} articles, {self.failures} failed, in {self.seconds:.1f}s; items: {items}"


class AtomicWriter:
    """Writes to NAME.tmp and renames on close, so a crash never leaves a torn output file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.handle = self.tmp.open("w", encoding="utf-8")

    def write_line(self, line: str) -> None:
        self.handle.write(line + "\n")

    def close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)


def run(
    inputs: Iterable[str | Path], out_dir: Path, options: ExtractOptions | None = None, progress: bool | None = None
) -> RunSummary:
    options = ExtractOptions.resolve(options)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = list(collect_inputs(inputs))
    extractor = Extractor(options)
    summary = RunSummary()
    started = time.perf_counter()
    records = AtomicWriter(out_dir / "records.jsonl")
    errors = AtomicWriter(out_dir / "errors.jsonl")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        for path in tqdm(paths, disable=not show, unit="doc", file=sys.stderr):
            result = extractor.try_extract(path)
            if isinstance(result, Failure):
                summary.failures += 1
                errors.write_line(json.dumps(result.to_dict(), ensure_ascii=False))
                continue
            summary.articles += 1
            summary.items.update(result.counts())
            records.write_line(result.model_dump_json())
    finally:
        records.close()
        errors.close()
    summary.seconds = time.perf_counter() - started
    return summary
