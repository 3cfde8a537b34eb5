"""Issue 9: `extractor run` over a folder of broken and hostile files (corpus.py).

Every input ends as exactly one line — a record or an error — with the outcome documented for its kind; the
run itself never crashes, nothing in the files is executed, and the good files' records are the ones they get
on their own. One run serves all the tests here (module fixture); `-s` prints the table of outcomes.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import Extractor
from tests.hostile.report import EXTRACTOR, SETTINGS, HostileRun, Outcome, execute, table

pytestmark = pytest.mark.issue(9)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    run = execute(tmp_path_factory.mktemp("hostile"))
    print("\n" + table(run))
    return run


def error(error_type: str, *words: str) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert outcome.error is not None, f"expected {error_type}, got a record: {outcome.describe()}"
        assert outcome.error["error_type"] == error_type, outcome.describe()
        for word in words:
            assert word in outcome.error["message"], outcome.describe()
        assert outcome.error["message"].startswith(outcome.path), "a message names its file first"

    return check


def record(*warnings: str, text: str | None = None, drug: str | None = None) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert outcome.record is not None, f"expected a record, got {outcome.describe()}"
        codes = [w.split(":")[0] for w in outcome.record["warnings"]]
        for code in warnings:
            assert code in codes, outcome.describe()
        if text is not None:
            assert text in outcome.record["text"]
        if drug is not None:
            assert drug in [d["name"] for d in outcome.record["drugs"]], outcome.describe()

    return check


def either(*checks: Callable[[Outcome], None]) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        failures = []
        for one in checks:
            try:
                one(outcome)
                return
            except AssertionError as err:
                failures.append(str(err))
        raise AssertionError(" / ".join(failures))

    return check


EXPECTED: dict[str, Callable[[Outcome], None]] = {
    "good.pdf": record(text="everolimus", drug="everolimus"),
    "good.txt": record(drug="everolimus"),
    "truncated.pdf": error("PdfError", "not a readable PDF"),
    "corrupted.pdf": error("PdfError", "not a readable PDF"),
    "broken-xref.pdf": record(text="everolimus"),  # pdfium rebuilds the cross-reference table
    "encrypted-user-password.pdf": error("PdfError", "encrypted", "password"),
    "encrypted-owner-only.pdf": record(text="everolimus"),  # no password is needed to read it
    "image-only.pdf": record("W001"),
    # pdfium aborts (SIGABRT) when the inflated stream hits the worker's address-space ceiling, or reads the
    # page's 1 GB of spaces within it and finds no text (W001); either way the document costs one line and the
    # run carries on.
    "bomb.pdf": either(error("MemoryLimit"), error("WorkerCrashed", "SIGABRT"), record("W001")),
    "many-pages.pdf": record("W006", text="progression-free survival"),  # read up to --max-pages
    "html-saved-as.pdf": error("PdfError", "HTML page saved with a .pdf name"),
    "garbage.pdf": error("PdfError", "not a PDF"),
    "garbage.txt": error("NotAnArticle", "binary content"),
    "empty.txt": error("EmptyInput", "0 bytes"),
    "whitespace.txt": error("EmptyInput"),
    "utf16.txt": record(text="everolimus", drug="everolimus"),
    "latin1.txt": record("W002", text="Température élevée"),
    "huge.txt": record("W003", drug="everolimus"),
    "one-long-line.txt": record("W003"),
    "nested-brackets.txt": record(drug="everolimus"),
    "digit-runs.txt": record(drug="everolimus"),
    "billion-laughs.xml": error("MarkupError", "EntitiesForbidden"),
    "xxe.xml": error("MarkupError", "EntitiesForbidden"),
    "billion-laughs.html": record(text="&lol9;"),  # html.parser reads no DTD: the reference stays text
    "ampersands.html": record(text="&" * 1000),
    "odd name with spaces.txt": record(drug="everolimus"),
    "odd\nname.txt": record(drug="everolimus"),
    os.fsdecode(b"non-utf8-\xff\xfe.txt"): record(drug="everolimus"),
    "cmap-traversal.pdf": either(record(), error("PdfError")),
    "self-loop.txt": error("InputNotFound", "symbolic links"),
    "dangling.txt": error("InputNotFound", "no such file"),
    # root reads a mode-000 file anyway (the test containers run as root)
    "unreadable.txt": error("InputNotFound", "permission denied") if os.geteuid() else record(drug="everolimus"),
    "fifo.txt": error("UnsupportedFormat", "not a regular file"),
}


@pytest.mark.slow
def test_every_kind_has_an_expectation(hostile: HostileRun) -> None:
    assert set(hostile.kinds) == set(EXPECTED)


@pytest.mark.slow
def test_the_run_finishes_without_crashing(hostile: HostileRun) -> None:
    assert hostile.returncode == 1, hostile.stderr[-2000:]  # 1: some inputs failed, and said so
    assert "Traceback" not in hostile.stderr, hostile.stderr[-3000:]
    assert hostile.manifest["status"] == "complete"


@pytest.mark.slow
def test_every_input_has_exactly_one_line(hostile: HostileRun) -> None:
    lines = {path: len(found) for path, found in hostile.outcomes.items()}
    assert all(n == 1 for n in lines.values()), lines
    assert len(lines) == len(hostile.kinds), "no input lost, no line without an input"
    counts = hostile.manifest["counts"]
    assert counts["inputs"] == counts["records"] + counts["errors"] == len(hostile.kinds)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outcome_by_kind(hostile: HostileRun, name: str) -> None:
    EXPECTED[name](hostile.outcome(name))


@pytest.mark.slow
def test_non_utf8_name_is_written_escaped(hostile: HostileRun) -> None:
    """Bytes that are not UTF-8 in a file name appear as \\xNN in the JSON line (extractor.errors.printable)."""
    outcome = hostile.outcome(os.fsdecode(b"non-utf8-\xff\xfe.txt"))
    assert outcome.path.endswith("non-utf8-\\xff\\xfe.txt")
    raw = (hostile.out / "records.jsonl").read_bytes()
    raw.decode("utf-8")  # the whole file is valid UTF-8
    assert b"non-utf8-\\\\xff\\\\xfe.txt" in raw


@pytest.mark.slow
def test_nothing_in_the_files_was_executed(hostile: HostileRun) -> None:
    assert not (hostile.root / "cmap" / "PWNED").exists()
    assert not list(hostile.root.parent.rglob("PWNED"))


@pytest.mark.slow
def test_good_records_are_intact(hostile: HostileRun, extractor: Extractor) -> None:
    """The good files' records are byte for byte what they get when extracted on their own."""
    for name in ("good.txt", "good.pdf", "odd name with spaces.txt"):
        alone = extractor.extract_file(hostile.root / name).model_dump_json()
        assert hostile.outcome(name).record == json.loads(alone), name


@pytest.mark.slow
def test_errors_name_their_file_and_hash(hostile: HostileRun) -> None:
    for line in (hostile.out / "errors.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert set(data) == {"path", "error_type", "message", "sha256"}
        assert Path(data["path"]).name in data["message"] or "\\x" in data["path"]


@pytest.mark.slow
def test_a_second_run_keeps_every_line(hostile: HostileRun) -> None:
    """Resuming over the same OUT keeps all 33 lines — error lines of unreadable inputs and non-UTF-8 names
    included (their keys are the printable paths) — and starts no worker."""
    before = [(hostile.out / name).read_bytes() for name in ("records.jsonl", "errors.jsonl")]
    done = subprocess.run(
        [str(EXTRACTOR), "run", str(hostile.root), "-o", str(hostile.out), *SETTINGS],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=600,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"({len(hostile.kinds)} kept from an earlier run)" in done.stderr
    assert [(hostile.out / name).read_bytes() for name in ("records.jsonl", "errors.jsonl")] == before


def test_the_pdfplumber_backend_never_unpickles_a_planted_cmap(tmp_path: Path) -> None:
    """The run above reads PDFs with pdfium; `--pdf-backend pdfplumber` goes through pdfminer.six's CMap loader,
    which unpickled files named by the PDF before 20251229 (the pin in pyproject.toml)."""
    from extractor.errors import ExtractorError
    from extractor.ingest.pdf import read_pdf
    from tests.hostile.corpus import cmap_traversal_pdf

    marker = tmp_path / "cmap"
    marker.mkdir()
    data = cmap_traversal_pdf(marker)
    with contextlib.suppress(ExtractorError):  # refusing the file is as good as reading it
        read_pdf(tmp_path / "evil.pdf", data, backend="pdfplumber")
    assert not (marker / "PWNED").exists()
