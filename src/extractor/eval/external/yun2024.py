"""Yun et al. (2024) numeric RCT results: answer the data set's own ICO questions and score them as the paper does.

Each row asks, for one outcome, intervention and comparator of one article, the outcome type and each arm's
numbers (events and group size for a binary outcome; mean, SD and group size for a continuous one). The
article (its JATS abstract + results sections, or the same text as markdown) goes through the extractor once;
`extractor.query.query` answers every row from the record. Scoring follows the paper's exact-match accuracy
(`evaluation/calculate_metrics.py` of hyesunyun/llm-meta-analysis): per field, a number agrees within 0.5%
and an unknown agrees with a blank gold cell; a row is right when all its fields are (4 for a binary row, 6
for a continuous one); the outcome type is scored on every row. Rows are split by the paper's DEV/TEST split
and by the parity of the PMCID: the even half is where the extractor was developed, the odd half checks it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from extractor.api import Extractor
from extractor.query import query
from extractor.record import ArticleRecord

BINARY_FIELDS = ("intervention_events", "intervention_group_size", "comparator_events", "comparator_group_size")
CONTINUOUS_FIELDS = (
    "intervention_mean",
    "intervention_standard_deviation",
    "comparator_mean",
    "comparator_standard_deviation",
    "intervention_group_size",
    "comparator_group_size",
)
TOLERANCE = 0.005
# The paper's zero-shot results on its TEST rows (exact match, binary / continuous rows; outcome type accuracy).
PUBLISHED = {
    "GPT-4": {"binary": 0.655, "continuous": 0.487, "outcome_type": 0.713},
    "GPT-3.5": {"binary": 0.298, "continuous": 0.280},
    "Mistral-7B": {"binary": 0.164, "continuous": 0.095},
    "unknown everywhere": {"binary": 0.035, "continuous": 0.041},
}


def gold_number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def agrees(gold: Any, predicted: float | int | None) -> bool:
    g = gold_number(gold)
    if g is None or predicted is None:
        return g is None and predicted is None
    return abs(g - float(predicted)) <= TOLERANCE * max(abs(g), 1e-9) or g == float(predicted)


def load_rows(data_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(
        (data_dir / "annotated_rct_dataset.subset.json").read_text(encoding="utf-8")
    )
    return rows


def article_path(data_dir: Path, pmcid: int | str, form: str) -> Path:
    folder, suffix = ("xml", ".xml") if form == "xml" else ("markdown", ".md")
    return data_dir / folder / f"PMC{pmcid}{suffix}"


def extract_articles(
    data_dir: Path, rows: list[dict[str, Any]], extractor: Extractor, form: str
) -> tuple[dict[str, ArticleRecord], dict[str, str]]:
    records: dict[str, ArticleRecord] = {}
    failures: dict[str, str] = {}
    for pmcid in sorted({str(r["pmcid"]) for r in rows}):
        result = extractor.try_extract(article_path(data_dir, pmcid, form))
        if isinstance(result, ArticleRecord):
            records[pmcid] = result
        else:
            failures[pmcid] = f"{result.error_type}: {result.message}"
    return records, failures


def answer_rows(rows: list[dict[str, Any]], records: dict[str, ArticleRecord]) -> list[dict[str, Any]]:
    answers = []
    for row in rows:
        record = records.get(str(row["pmcid"]))
        fields: dict[str, Any] = {"outcome_type": None} | {f: None for f in CONTINUOUS_FIELDS + BINARY_FIELDS}
        evidence: list[str] = []
        if record is not None:
            answer = query(record, row["outcome"], row["intervention"], row["comparator"])
            fields = answer.fields()
            evidence = [s.text for s in answer.intervention.evidence + answer.comparator.evidence]
        answers.append({"id": row["id"], "pmcid": row["pmcid"], **fields, "evidence": evidence})
    return answers


def score(rows: list[dict[str, Any]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact-match accuracy per field and per row, and outcome-type accuracy, on the given rows."""
    field_right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows_right = {"binary": [0, 0], "continuous": [0, 0]}
    types = [0, 0]
    for row, answer in zip(rows, answers, strict=True):
        kind = row["outcome_type"]
        types[0] += answer["outcome_type"] == kind
        types[1] += 1
        fields = BINARY_FIELDS if kind == "binary" else CONTINUOUS_FIELDS
        right = 0
        for name in fields:
            ok = agrees(row[name], answer[name])
            field_right[f"{kind}.{name}"][0] += ok
            field_right[f"{kind}.{name}"][1] += 1
            right += ok
        rows_right[kind][0] += right == len(fields)
        rows_right[kind][1] += 1
    return {
        "rows": len(rows),
        "binary_row_accuracy": _ratio(rows_right["binary"]),
        "continuous_row_accuracy": _ratio(rows_right["continuous"]),
        "outcome_type_accuracy": _ratio(types),
        "binary_rows": rows_right["binary"][1],
        "continuous_rows": rows_right["continuous"][1],
        "fields": {k: _ratio(v) for k, v in sorted(field_right.items())},
    }


def _ratio(counts: list[int]) -> float | None:
    return round(counts[0] / counts[1], 4) if counts[1] else None


def evaluate_yun2024(data_dir: Path, extractor: Extractor, form: str = "xml") -> dict[str, Any]:
    """Scores per split (TEST, DEV) and PMCID half (even: developed on; odd: held out)."""
    rows = load_rows(data_dir)
    records, failures = extract_articles(data_dir, rows, extractor, form)
    answers = answer_rows(rows, records)
    result: dict[str, Any] = {"form": form, "articles": len(records), "failures": failures}
    for split in ("TEST", "DEV"):
        for half in ("all", "even", "odd"):
            chosen = [
                (r, a)
                for r, a in zip(rows, answers, strict=True)
                if r["split"] == split and (half == "all" or (int(r["pmcid"]) % 2 == 0) == (half == "even"))
            ]
            if chosen:
                result[f"{split.lower()}_{half}"] = score([r for r, _ in chosen], [a for _, a in chosen])
    result["published_test"] = PUBLISHED
    return result
