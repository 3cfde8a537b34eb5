"""Which files a run reads: files and folders (recursive), supported suffixes, stable order."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.ingest import SUFFIXES


def collect_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files under each path in sorted order, each once. A path that does not exist is yielded as is,
    so the run reports it as a failure instead of silently skipping it. Symlink loops are not followed."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(Path(root) / f for f in files if Path(f).suffix.lower() in SUFFIXES)
            candidates: list[Path] = sorted(found)
        else:
            candidates = [path]
        for candidate in candidates:
            key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                yield candidate


def file_sha256(path: Path) -> str | None:
    """The content hash that decides whether an earlier result still holds; None when unreadable or not a
    regular file (opening a FIFO named .txt would block the run forever)."""
    digest = hashlib.sha256()
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
