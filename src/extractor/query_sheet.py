"""Many questions at once (`extractor query`): a questions CSV in, one answer per question out, as JSON lines or
a data-extraction sheet a reviewer opens in a spreadsheet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from extractor.query import query
from extractor.record import ArticleRecord

QUESTION_COLUMNS = ("id", "doc", "outcome", "intervention", "comparator")
ANSWER_COLUMNS = (
    "id",
    "doc",
    "outcome_type",
    "intervention_events",
    "intervention_group_size",
    "comparator_events",
    "comparator_group_size",
    "intervention_mean",
    "intervention_standard_deviation",
    "comparator_mean",
    "comparator_standard_deviation",
    "endpoint",
    "timepoint",
    "intervention_evidence",
    "comparator_evidence",
    "derived",
)


class QuestionError(ValueError):
    """A questions file that cannot be read: a missing column, a bad row."""


def read_questions(path: Path) -> list[dict[str, str]]:
    """Rows of a questions CSV with the columns id, doc (the input file's stem), outcome, intervention, comparator."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in QUESTION_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise QuestionError(
                f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(QUESTION_COLUMNS)}"
            )
        return [{c: (row.get(c) or "").strip() for c in QUESTION_COLUMNS} for row in reader]


def answer(records: dict[str, ArticleRecord], question: dict[str, str]) -> dict[str, Any]:
    """One answer row; a question about a document without a record is answered unknown."""
    record = records.get(question["doc"]) or records.get(Path(question["doc"]).stem)
    row: dict[str, Any] = {"id": question["id"], "doc": question["doc"]}
    if record is None:
        return row | {c: None for c in ANSWER_COLUMNS if c not in row} | {"derived": ["no record for this doc"]}
    result = query(record, question["outcome"], question["intervention"], question["comparator"])
    return (
        row
        | result.fields()
        | {
            "endpoint": result.endpoint,
            "timepoint": result.timepoint,
            "intervention_evidence": [s.model_dump() for s in result.intervention.evidence],
            "comparator_evidence": [s.model_dump() for s in result.comparator.evidence],
            "derived": result.intervention.derived + result.comparator.derived,
        }
    )


def answer_file(records: Iterable[ArticleRecord], questions: list[dict[str, str]]) -> list[dict[str, Any]]:
    by_stem = {Path(r.source.path).stem: r for r in records}
    return [answer(by_stem, q) for q in questions]


def write_answers(answers: list[dict[str, Any]], out: Path, fmt: Literal["jsonl", "csv"]) -> None:
    """JSON lines, or a data-extraction sheet (CSV) a reviewer opens in a spreadsheet: evidence as its text."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as handle:
            for row in answers:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=ANSWER_COLUMNS)
        writer.writeheader()
        for row in answers:
            flat = dict(row)
            for key in ("intervention_evidence", "comparator_evidence"):
                flat[key] = " | ".join(s["text"] for s in row.get(key) or [])
            flat["derived"] = "; ".join(row.get("derived") or [])
            writer.writerow({k: ("" if flat.get(k) is None else flat[k]) for k in ANSWER_COLUMNS})
