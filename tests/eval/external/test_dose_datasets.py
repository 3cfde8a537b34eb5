"""The PHEE and grobid-quantities adapters, on a few records copied from each data set (the sets live outside the
repository; the full runs are `extractor eval-external`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractor import Extractor
from extractor.eval.external.grobid_quantities import evaluate_grobid_quantities
from extractor.eval.external.phee import evaluate_phee

PHEE = [
    # phee_dev_test.subset.jsonl, 18025525_11 (drug spans of the event shortened to the two dosed mentions)
    {
        "id": "18025525_11",
        "split": "dev",
        "text": "Coadministration of 200 mg bid voriconazole with 400 mg (or higher) qd efavirenz is "
        "contraindicated due to the clinically significant effect of efavirenz on voriconazole pharmacokinetics.",
        "events": [
            {
                "event_type": "Adverse_event",
                "drugs": [
                    {"text": "voriconazole", "start": 31, "end": 43},
                    {"text": "efavirenz", "start": 71, "end": 80},
                ],
                "dosage": [{"text": "200 mg", "start": 20, "end": 26}, {"text": "400 mg", "start": 49, "end": 55}],
            }
        ],
    },
    # 8305778_4
    {
        "id": "8305778_4",
        "split": "dev",
        "text": "Following the development of restless leg syndrome, therapy with clonazepam 0.5 mg qhs was initiated.",
        "events": [
            {
                "event_type": "Potential_therapeutic_event",
                "drugs": [{"text": "clonazepam", "start": 65, "end": 75}],
                "dosage": [{"text": "0.5 mg qhs", "start": 76, "end": 86}],
            }
        ],
    },
    # 4044222_1: no dose at all
    {
        "id": "4044222_1",
        "split": "dev",
        "text": "A 54-year-old man, treated with amiodarone, developed thyrotoxicosis.",
        "events": [{"event_type": "Adverse_event", "drugs": [{"text": "amiodarone", "start": 32, "end": 42}]}],
    },
]


def test_phee_scores_dosages_and_pairs(tmp_path: Path, extractor: Extractor) -> None:
    path = tmp_path / "phee.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in PHEE), encoding="utf-8")
    scores = evaluate_phee(path, extractor)
    assert scores["sentences"] == 3
    assert scores["dosage"] == {"gold": 3, "predicted": 3, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert scores["drug_dosage_pairs"]["recall"] == 1.0
    assert scores["frequency"]["gold"] == 0 and scores["frequency"]["predicted"] == 3  # bid, qd, qhs: in dosages


def _num(start: int, text: str) -> dict[str, Any]:
    return {"tag": "num", "start": start, "end": start + len(text), "attrs": {}, "depth": 1, "text": text}


def _measure(start: int, text: str, depth: int, unit: str | None = None) -> dict[str, Any]:
    kind = "CONCENTRATION" if unit else "value"
    return {"tag": "measure", "type": kind, "unit": unit, "start": start, "end": start + len(text), "depth": depth}


# grobid_quantities_paragraphs.jsonl, inserm-00721680 paragraph 6 (its first sentence with a unit)
TEXT = "infusion sets were used with no filter: 1) 10 mg/mL of furosemide at 2 mL/h infusion rate"
GROBID = {
    "doc": "inserm-00721680",
    "text": TEXT,
    "annotations": [
        _measure(TEXT.index("10 mg/mL"), "10 mg/mL", 0),
        _num(TEXT.index("10 mg/mL"), "10"),
        _measure(TEXT.index("mg/mL"), "mg/mL", 1, "mg/ml"),
        _measure(TEXT.index("2 mL/h"), "2 mL/h", 0),
        _num(TEXT.index("2 mL/h"), "2"),
        _measure(TEXT.index("mL/h"), "mL/h", 1, "ml/h"),
    ],
}


def test_grobid_quantities_scores_values_and_units(tmp_path: Path) -> None:
    path = tmp_path / "paragraphs.jsonl"
    path.write_text(json.dumps(GROBID), encoding="utf-8")
    scores = evaluate_grobid_quantities(path)
    assert (scores["gold"], scores["found"], scores["value_ok"], scores["unit_ok"]) == (2, 2, 2, 2)
    assert scores["spurious"] == 0  # the list marker '1)' is not a quantity
