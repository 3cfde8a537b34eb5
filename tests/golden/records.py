"""Which bundled articles have a golden record, and how a record is made comparable across runs and clones.

A golden record is the whole `ArticleRecord` the default pipeline gives for one bundled article, checked in as
pretty-printed JSON under tests/golden/records/. `test_golden.py` extracts each article again and fails with a
per-category diff (diff.py) when anything changed; `make golden` (`python -m tests.golden`) rewrites them after an
intended change, and `git diff tests/golden` is then the review of what the change did to the output.

The golden copy keeps the normalized `text`: every span indexes into it, issue 18 asks for records that stay
byte-identical through the package's reshaping (ingest changes show here first), and the four files are 20-65 KB.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from extractor import ArticleRecord

ROOT = Path(__file__).resolve().parents[2]
RECORDS = Path(__file__).resolve().parent / "records"

ARTICLES = (
    "corpus/seeds/000_0a971266401ee98e.txt",  # extracted text: a case report (labs over time, patient, doses)
    "corpus/seeds/004_21708132cfbc400b.txt",  # extracted text: a real-world cohort study (tables flattened to text)
    "corpus/pdfs/PMC4738698.xml",  # publisher JATS: a case report with one table
    "corpus/pdfs/PMC4739205.pdf",  # two-column PDF: a research article with four tables
)
"""Repository-relative paths: one article per input format the corpus bundles (text, JATS, PDF), and two texts
because the seeds are where the accuracy work happens."""

VOLATILE_FIELDS: dict[str, str] = {
    "source.path": "the path as the caller gave it (absolute or relative to where it ran), so it depends on the "
    "clone's location; replaced by the path relative to the repository root",
}
"""Every field the golden comparison does not take as extracted, and why. The record holds no timings, package
versions or run ids (`schema_version` is the contract's version and stays compared), so only the input's path is
here. Everything else, the normalized `text` included, must be byte-identical run after run."""


def golden_path(article: str) -> Path:
    """tests/golden/records/<file name>.json: the article's own name keeps the link to corpus/ obvious."""
    return RECORDS / f"{Path(article).name}.json"


def stable_record(record: ArticleRecord, article: str) -> dict[str, Any]:
    """The record as JSON data with the VOLATILE_FIELDS made the same on every machine."""
    data = record.model_dump(mode="json")
    data["source"]["path"] = article
    return data


def dumps(data: dict[str, Any]) -> str:
    """The golden file's bytes: two-space JSON in the record's own field order, UTF-8 as is, newline at the end."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load(article: str) -> dict[str, Any] | None:
    path = golden_path(article)
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write(article: str, data: dict[str, Any]) -> None:
    """Replaces the golden file in one step, so an interrupted `make golden` leaves the old file or the new one."""
    path = golden_path(article)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.partial")
    partial.write_text(dumps(data), encoding="utf-8")
    os.replace(partial, path)
