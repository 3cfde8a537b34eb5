"""Helpers for the batch tests: subprocess runs of the CLI (real or through harness.py) and output readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def harness_command(*args: str | Path) -> list[str]:
    """`extractor run ARGS` whose workers use harness.py's stand-in extraction (run with HARNESS_ENV)."""
    return [sys.executable, "-m", "tests.batch.harness", "run", *map(str, args)]


HARNESS_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def harness(*args: str | Path, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = harness_command(*args)
    return subprocess.run(
        command, cwd=cwd, env=HARNESS_ENV, capture_output=True, text=True, timeout=timeout, check=False
    )


def write_inputs(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in sorted(texts)]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def record_paths(out: Path) -> list[str]:
    return [r["source"]["path"] for r in read_jsonl(out / "records.jsonl")]


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return data
