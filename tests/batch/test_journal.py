"""The crash-safe journals: torn lines dropped, appends durable and addressable, compaction exact and atomic."""

from __future__ import annotations

import json
from pathlib import Path

from extractor.batch.journal import Journal, compact, error_key, record_key


def _error(path: str, sha: str | None, message: str = "boom") -> str:
    return json.dumps({"path": path, "error_type": "EmptyInput", "message": message, "sha256": sha})


def _record(path: str, sha: str) -> str:
    return json.dumps({"source": {"path": path, "sha256": sha}, "drugs": [{}, {}], "trials": []})


def test_a_torn_last_line_is_cut_off_and_appends_stay_valid(tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    path.write_text(_error("a.txt", "1") + "\n" + _error("b.txt", "2")[:25], encoding="utf-8")
    journal = Journal(path, error_key)
    entries = journal.open()
    assert set(entries) == {"a.txt"}
    journal.append(_error("b.txt", "2"), "2")
    journal.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["path"] for line in lines] == ["a.txt", "b.txt"]


def test_a_garbled_complete_line_is_skipped_and_the_latest_line_of_a_path_wins(tmp_path: Path) -> None:
    path = tmp_path / "errors.jsonl"
    lines = [_error("a.txt", "old"), "\0\0\0\0", _error("a.txt", "new", "second"), _error("c.txt", None)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = Journal(path, error_key).open()
    assert {k: e.sha256 for k, e in entries.items()} == {"a.txt": "new", "c.txt": None}
    assert json.loads(entries["a.txt"].read())["message"] == "second"


def test_record_lines_are_keyed_by_source_and_carry_their_counts(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(_record("x.pdf", "abc") + "\n", encoding="utf-8")
    entry = Journal(path, record_key, counts=True).open()["x.pdf"]
    assert entry.sha256 == "abc"
    assert entry.counts["drugs"] == 2 and entry.counts["trials"] == 0


def test_compact_keeps_exactly_the_given_entries_in_the_given_order(tmp_path: Path) -> None:
    records = Journal(tmp_path / "records.jsonl", record_key)
    errors = Journal(tmp_path / "errors.jsonl", error_key)
    records.open()
    errors.open()
    stale = records.append(_record("b.txt", "old"), "old")
    b = errors.append(_error("b.txt", "new"), "new")
    c = records.append(_record("c.txt", "3"), "3")
    a = records.append(_record("a.txt", "1"), "1")
    assert stale.read() != b.read()
    compact([records, errors], [a, b, c])
    kept = [json.loads(x)["source"]["path"] for x in (tmp_path / "records.jsonl").read_text().splitlines()]
    assert kept == ["a.txt", "c.txt"]
    assert [json.loads(x)["path"] for x in (tmp_path / "errors.jsonl").read_text().splitlines()] == ["b.txt"]
    assert not list(tmp_path.glob("*.tmp"))


def test_compact_leaves_a_journal_that_is_already_in_order_untouched(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "records.jsonl", record_key)
    journal.open()
    entries = [journal.append(_record(f"{i}.txt", str(i)), str(i)) for i in range(3)]
    inode = (tmp_path / "records.jsonl").stat().st_ino
    compact([journal], entries)
    assert (tmp_path / "records.jsonl").stat().st_ino == inode
    compact_again = Journal(tmp_path / "records.jsonl", record_key)
    reopened = compact_again.open()
    compact([compact_again], [reopened["2.txt"], reopened["0.txt"]])
    assert (tmp_path / "records.jsonl").stat().st_ino != inode, "reordering rewrites through a rename"
