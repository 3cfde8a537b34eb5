"""Runs `extractor run` over the bad-input corpus and tabulates what became of each input.

`python -m tests.hostile.report [DIR]` builds the corpus (corpus.py) in DIR (default: a temporary folder), runs
the batch runner over it the way tests/hostile/test_hostile_corpus.py does, and prints the table
"input kind -> outcome" with each input's size, the run's wall time and peak memory (from OUT/manifest.json).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile import corpus

EXTRACTOR = Path(sys.executable).with_name("extractor")
SETTINGS = ["-w", "2", "--timeout", "120", "--max-memory-mb", "2048", "--max-chars", "20000", "--max-pages", "200"]
"""Per-document limits of the run: 120 s (a loaded 2-core machine reads ~2,000 characters a second with the
NER model), 2 GiB of address space on top of the loaded pipeline, 20,000 characters of text (the 100 MB
file and the 1 MB line are read, decoded and hashed whole, then cut), 200 PDF pages."""


@dataclass
class Outcome:
    """One input's line: a record (with its warnings) or an error (with its type and message)."""

    path: str
    record: dict[str, Any] | None = None
    error: dict[str, str] | None = None

    def describe(self) -> str:
        if self.error is not None:
            message = self.error["message"].split(": ", 1)[-1]
            return f"error {self.error['error_type']}: {message[:70]}"
        assert self.record is not None
        warnings = ", ".join(w.split(":")[0] for w in self.record["warnings"]) or "no warning"
        return f"record ({warnings}; {self.record['source']['chars']} chars, {len(self.record['drugs'])} drugs)"


@dataclass
class HostileRun:
    root: Path
    out: Path
    kinds: dict[str, str]
    outcomes: dict[str, list[Outcome]]
    """Keyed by the path as records and error lines spell it (`extractor.errors.printable`)."""
    returncode: int
    stderr: str
    seconds: float
    build_seconds: float

    def outcome(self, name: str) -> Outcome:
        found = self.outcomes[_key(self.root / name)]
        assert len(found) == 1, f"{name}: {len(found)} lines"
        return found[0]

    @property
    def manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
        return data


def _key(path: Path) -> str:
    from extractor.errors import printable

    return printable(str(path))


def execute(base: Path) -> HostileRun:
    """Builds the corpus under base/corpus and runs the batch runner over it into base/out."""
    started = time.perf_counter()
    kinds = corpus.build(base / "corpus")
    built = time.perf_counter() - started
    out = base / "out"
    started = time.perf_counter()
    done = subprocess.run(
        [str(EXTRACTOR), "run", str(base / "corpus"), "-o", str(out), *SETTINGS],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=1800,
        cwd=base,
    )
    seconds = time.perf_counter() - started
    outcomes: dict[str, list[Outcome]] = {}
    for name in ("records.jsonl", "errors.jsonl"):
        path = out / name
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            data = json.loads(line)
            if name == "records.jsonl":
                outcomes.setdefault(data["source"]["path"], []).append(Outcome(data["source"]["path"], record=data))
            else:
                outcomes.setdefault(data["path"], []).append(Outcome(data["path"], error=data))
    return HostileRun(base / "corpus", out, kinds, outcomes, done.returncode, done.stderr, seconds, built)


def size_of(path: Path) -> str:
    try:
        size = path.lstat().st_size if path.is_symlink() else path.stat().st_size
    except OSError:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return "-"


def table(run: HostileRun) -> str:
    """Markdown: input kind, file, size, outcome; then the run's totals."""
    rows = ["| input kind | file | size | outcome |", "|---|---|---|---|"]
    for name, kind in run.kinds.items():
        found = run.outcomes.get(_key(run.root / name), [])
        outcome = " / ".join(o.describe() for o in found) or "LOST (no line)"
        shown = _key(Path(name)).replace("\n", "\\n")
        rows.append(f"| {kind} | `{shown}` | {size_of(run.root / name)} | {outcome} |")
    manifest = run.manifest
    rss = manifest.get("peak_rss_mb", {})
    total = sum(os.lstat(os.path.join(folder, f)).st_size for folder, _, files in os.walk(run.root) for f in files)
    rows += [
        "",
        f"{len(run.kinds)} inputs, {total / 2**20:.1f} MB on disk (corpus built in {run.build_seconds:.1f} s); "
        f"{manifest['counts']['records']} records, {manifest['counts']['errors']} error lines; exit status "
        f"{run.returncode}",
        f"wall time of `extractor run {' '.join(SETTINGS)}`: {run.seconds:.1f} s "
        f"(worker start-up {manifest['timings']['startup_seconds']:.1f} s); peak RSS: main process "
        f"{rss.get('main', 0):.0f} MB, largest worker {rss.get('worker', 0):.0f} MB",
    ]
    return "\n".join(rows)


def main() -> None:
    if len(sys.argv) > 1:
        base = Path(sys.argv[1])
        base.mkdir(parents=True, exist_ok=True)
        print(table(execute(base)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print(table(execute(Path(tmp))))


if __name__ == "__main__":
    main()
