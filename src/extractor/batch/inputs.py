"""Which files a run reads: files and folders (recursive), supported suffixes, stable order."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.errors import NothingToExtract
from extractor.ingest import SUFFIXES


def collect_inputs(paths: Iterable[str | Path], skipped: Counter[str] | None = None) -> Iterator[Path]:
    """Files under each path in sorted order, each once. A path that does not exist is yielded as is,
    so the run reports it as a failure instead of silently skipping it. Symlink loops are not followed.
    Files in folders whose suffix no reader supports are counted in `skipped`, by suffix."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in files:
                    suffix = Path(name).suffix.lower()
                    if suffix in SUFFIXES:
                        found.append(Path(root) / name)
                    elif skipped is not None:
                        skipped[suffix or "(no suffix)"] += 1
            candidates: list[Path] = sorted(found)
        else:
            candidates = [path]
        for candidate in candidates:
            key = candidate.absolute()
            if key not in seen:
                seen.add(key)
                yield candidate


def skipped_text(skipped: Counter[str]) -> str:
    """'skipped 3 files with unsupported suffixes: .docx (2), .png (1)', or '' when nothing was skipped."""
    total = sum(skipped.values())
    if not total:
        return ""
    kinds = ", ".join(f"{suffix} ({n})" for suffix, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"skipped {total} file{'s' if total > 1 else ''} with unsupported suffixes: {kinds}"


def nothing_to_extract(paths: Iterable[str | Path], skipped: Counter[str]) -> NothingToExtract:
    """The error of a run whose inputs hold no file to extract, saying what was there instead."""
    given = [str(p) for p in paths]
    named = ", ".join(given[:3]) + (f" and {len(given) - 3} more" if len(given) > 3 else "")
    found = skipped_text(skipped) or "no files at all"
    supported = " ".join(sorted(SUFFIXES))
    return NothingToExtract(f"nothing to extract under {named}: {found} (supported: {supported})")


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
