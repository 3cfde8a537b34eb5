"""Drug -> adverse event pairs on a few records copied from PHEE and BC5CDR (the sets live outside the repository;
the full runs are `python -m extractor.eval.external.adverse_pairs phee|bc5cdr PATH`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractor import Extractor
from extractor.eval.external.adverse_pairs import evaluate_bc5cdr_cid, evaluate_phee_ae

PHEE: list[dict[str, Any]] = [
    # phee_dev_test.subset.jsonl, 4044222_1: a case event on a named treatment
    {
        "id": "4044222_1",
        "text": "A 54-year-old man, treated with amiodarone, developed thyrotoxicosis.",
        "events": [
            {
                "event_type": "Adverse_event",
                "drugs": [{"text": "amiodarone", "start": 32, "end": 42}],
                "effect": [{"text": "thyrotoxicosis", "start": 54, "end": 68}],
            }
        ],
    },
    # 1893404_1: 'X-induced Y'
    {
        "id": "1893404_1",
        "text": "Carbamazepine-induced Diabetes mellitus.",
        "events": [
            {
                "event_type": "Adverse_event",
                "drugs": [{"text": "Carbamazepine", "start": 0, "end": 13}],
                "effect": [{"text": "Diabetes mellitus", "start": 22, "end": 39}],
            }
        ],
    },
    # 9819544_2: 'whose side effects include X and Y' (one gold span, two extracted terms inside it)
    {
        "id": "9819544_2",
        "text": "Naproxen is a commonly used nonsteroidal anti-inflammatory drug (NSAID) whose side effects include "
        "tinnitus and transient hearing loss.",
        "events": [
            {
                "event_type": "Adverse_event",
                "drugs": [{"text": "Naproxen", "start": 0, "end": 8}],
                "effect": [{"text": "tinnitus and transient hearing loss", "start": 99, "end": 134}],
            }
        ],
    },
    # 3159106_3: not read (the effect is the subject, the drug its modifier)
    {
        "id": "3159106_3",
        "text": "The allopurinol hypersensitivity syndrome is a rare adverse drug reaction.",
        "events": [
            {
                "event_type": "Adverse_event",
                "drugs": [{"text": "allopurinol", "start": 4, "end": 15}],
                "effect": [{"text": "hypersensitivity syndrome", "start": 16, "end": 41}],
            }
        ],
    },
]

# bc5cdr_test.subset.jsonl, document 439781 (title sentence and its annotations)
BC5CDR = {
    "id": "439781",
    "text": "Indomethacin induced hypotension in sodium and volume depleted rats.",
    "entities": [
        {"start": 0, "end": 12, "text": "Indomethacin", "type": "Chemical", "mesh": "D007213"},
        {"start": 21, "end": 32, "text": "hypotension", "type": "Disease", "mesh": "D007022"},
        {"start": 36, "end": 42, "text": "sodium", "type": "Chemical", "mesh": "D012964"},
    ],
    "cid_relations": [{"chemical_mesh": "D007213", "disease_mesh": "D007022"}],
}


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def test_phee_pairs(extractor: Extractor, tmp_path: Path) -> None:
    result = evaluate_phee_ae(_write(tmp_path / "phee.jsonl", PHEE), extractor)
    assert result["pairs"] == {"predicted": 4, "gold": 4, "precision": 1.0, "recall": 0.75, "f1": 0.8571}


def test_bc5cdr_relations(extractor: Extractor, tmp_path: Path) -> None:
    result = evaluate_bc5cdr_cid(_write(tmp_path / "cdr.jsonl", [BC5CDR]), extractor)
    assert result["relations"]["precision"] == 1.0 and result["relations"]["recall"] == 1.0
    assert result["unmapped_predictions"] == 0
