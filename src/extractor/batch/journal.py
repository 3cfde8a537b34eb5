"""Crash-safe output files: append-only JSONL journals that are compacted atomically at the end of a run.

The decision: `records.jsonl` and `errors.jsonl` are themselves the journals. Each finished document is
appended as one line and flushed + fsync'ed before the next, so after Ctrl-C, SIGTERM, kill -9 or a power
cut every finished document is on disk, and the only possible damage is a torn LAST line, which `Journal.open`
drops (truncating the file back to its last complete line) before anything new is appended. No second copy
of the records is kept (per-document files would double the disk use and the inode count on big corpora).

Every line says which input it belongs to and which version of it: a record by `source.path` and
`source.sha256`, an error line by `path` and `sha256`. On resume a line counts as done only when its input
still has that sha256. Lines of changed inputs, of inputs no longer asked for, and duplicates go away when
the run ends: `compact` rewrites a file that is not exactly one line per input in input order into NAME.tmp,
fsyncs, and renames it over the old one (an atomic replace), so a reader sees the old file or the new one,
never a half-written mix. The price: until an interrupted run is finished by the next one, the files may hold
such stale lines; the finished run's files never do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from extractor.record import CATEGORIES

Key = tuple[str, str | None]  # (input path, its sha256 when the line was written)


@dataclass(frozen=True)
class Entry:
    """Where one input's line sits in a journal, and what it says in brief."""

    journal: Journal
    sha256: str | None
    offset: int
    length: int
    counts: dict[str, int] = field(default_factory=dict)

    def read(self) -> bytes:
        return self.journal.read(self.offset, self.length)


def record_key(data: dict[str, Any]) -> Key:
    return data["source"]["path"], data["source"]["sha256"]


def error_key(data: dict[str, Any]) -> Key:
    return data["path"], data.get("sha256")


def record_counts(data: dict[str, Any]) -> dict[str, int]:
    return {name: len(data.get(name) or []) for name in CATEGORIES}


class Journal:
    """One append-only JSONL file: scanned on open, appended with fsync, read back by offset."""

    def __init__(self, path: Path, key: Callable[[dict[str, Any]], Key], counts: bool = False) -> None:
        self.path = path
        self._key = key
        self._counts = counts
        self._append: IO[bytes] | None = None
        self._read: IO[bytes] | None = None

    def open(self) -> dict[str, Entry]:
        """The last complete line of each input path. A torn last line is cut off; a garbled complete line
        (a power cut can leave zeros) is skipped and vanishes at compaction."""
        self.path.touch()
        entries: dict[str, Entry] = {}
        good_end = offset = 0
        with self.path.open("rb") as handle:
            for raw in handle:
                start, offset = offset, offset + len(raw)
                if not raw.endswith(b"\n"):
                    break
                good_end = offset
                try:
                    data = json.loads(raw)
                    path, sha = self._key(data)
                except (ValueError, KeyError, TypeError):
                    continue
                counts = record_counts(data) if self._counts else {}
                entries[path] = Entry(self, sha, start, len(raw), counts)
        if self.path.stat().st_size > good_end:
            os.truncate(self.path, good_end)
        self._append = self.path.open("ab")
        self._read = self.path.open("rb")
        return entries

    def append(self, line: str, sha256: str | None, counts: dict[str, int] | None = None) -> Entry:
        """Writes one line durably (flush + fsync) and returns where it is."""
        assert self._append is not None, "open() first"
        data = line.encode("utf-8") + b"\n"
        offset = os.fstat(self._append.fileno()).st_size
        self._append.write(data)
        self._append.flush()
        os.fsync(self._append.fileno())
        return Entry(self, sha256, offset, len(data), counts or {})

    def read(self, offset: int, length: int) -> bytes:
        assert self._read is not None, "open() first"
        self._read.seek(offset)
        return self._read.read(length)

    def close(self) -> None:
        for handle in (self._append, self._read):
            if handle is not None:
                handle.close()
        self._append = self._read = None


def compact(journals: Iterable[Journal], entries: Iterable[Entry]) -> None:
    """Makes each journal hold exactly its `entries`, in that order, and closes it. A journal that already
    does (a fresh run writes in input order) is left alone; any other is rewritten to NAME.tmp and renamed
    over the original. A crash between two journals leaves both valid journals for the next run."""
    ordered = list(entries)
    for journal in journals:
        mine = [entry for entry in ordered if entry.journal is journal]
        if _in_place(journal, mine):
            journal.close()
            continue
        tmp = journal.path.with_name(journal.path.name + ".tmp")
        with tmp.open("wb") as handle:
            for entry in mine:
                handle.write(entry.read())
            handle.flush()
            os.fsync(handle.fileno())
        journal.close()
        replace(tmp, journal.path)


def _in_place(journal: Journal, entries: list[Entry]) -> bool:
    end = 0
    for entry in entries:
        if entry.offset != end:
            return False
        end += entry.length
    return end == journal.path.stat().st_size


def replace(tmp: Path, target: Path) -> None:
    """os.replace, then fsync of the folder so the rename itself survives a power cut."""
    os.replace(tmp, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Whole-file write that readers see entirely or not at all."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    replace(tmp, path)
