"""Every external evaluation in one run (`extractor eval-external DATA_DIR`, `make eval-external`).

DATA_DIR is a folder laid out like `../shared/data`: each data set in its own subfolder. A data set whose file is
missing is reported as skipped, not as a failure, since none of them ships with the project. Each evaluation is
the module-level function of its adapter; their docstrings say what is matched and how.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.api import Extractor


@dataclass(frozen=True)
class Evaluation:
    name: str
    relative_path: str
    what: str
    run: Callable[[Path, Extractor], dict[str, Any]]


def _phee_doses(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.phee import evaluate_phee

    return evaluate_phee(path, extractor)


def _phee_adverse_events(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.adverse_pairs import evaluate_phee_ae

    return evaluate_phee_ae(path, extractor)


def _bc5cdr_cid(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.adverse_pairs import evaluate_bc5cdr_cid

    return evaluate_bc5cdr_cid(path, extractor)


def _bc5cdr_ner(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.bc5cdr_ner import evaluate_bc5cdr_ner

    return dict(evaluate_bc5cdr_ner(path))


def _grobid_quantities(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.grobid_quantities import evaluate_grobid_quantities

    return evaluate_grobid_quantities(path)


def _yun2024(path: Path, extractor: Extractor) -> dict[str, Any]:
    from extractor.eval.external.yun2024 import evaluate_yun2024

    return evaluate_yun2024(path.parent, extractor)


EVALUATIONS = (
    Evaluation(
        "phee-doses", "phee/phee_dev_test.subset.jsonl", "dosage/route/frequency spans, (drug, dosage)", _phee_doses
    ),
    Evaluation(
        "phee-adverse-events", "phee/phee_dev_test.subset.jsonl", "(drug, adverse effect) pairs", _phee_adverse_events
    ),
    Evaluation("bc5cdr-cid", "bc5cdr/bc5cdr_test.subset.jsonl", "chemical-induced disease pairs", _bc5cdr_cid),
    Evaluation("bc5cdr-ner", "bc5cdr/iob/test.tsv", "CHEMICAL/DISEASE entities, test split", _bc5cdr_ner),
    Evaluation(
        "grobid-quantities",
        "grobid_quantities/grobid_quantities_paragraphs.jsonl",
        "quantity value and unit accuracy",
        _grobid_quantities,
    ),
    Evaluation(
        "yun2024",
        "rct_numeric_yun2024/annotated_rct_dataset.subset.json",
        "ICO questions: per-arm events, group sizes, means and SDs (Yun et al. 2024 exact-match accuracy)",
        _yun2024,
    ),
)


def run_all(data_dir: Path, only: set[str] | None = None, extractor: Extractor | None = None) -> dict[str, Any]:
    """{name: scores | {"skipped": why}}, with each evaluation's data path and seconds."""
    results: dict[str, Any] = {}
    for evaluation in EVALUATIONS:
        if only and evaluation.name not in only:
            continue
        path = data_dir / evaluation.relative_path
        if not path.exists():
            results[evaluation.name] = {"skipped": f"{path} not found"}
            continue
        extractor = extractor or Extractor()
        started = time.perf_counter()
        scores = evaluation.run(path, extractor)
        results[evaluation.name] = {
            "what": evaluation.what,
            "data": str(path),
            "seconds": round(time.perf_counter() - started, 1),
            "scores": scores,
        }
    return results
