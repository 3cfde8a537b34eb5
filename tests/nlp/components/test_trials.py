"""Trial names and registry ids: real sentences from the seeds, and acronyms that are not trials."""

from __future__ import annotations

import pytest

from extractor.nlp.components.trials import _default_rules, find_trials

CASES = [
    # 002_e5b7ac3fa1a98ba6.txt
    ("A randomized placebo-controlled Phase III study (HORIZON) tested the efficacy", ["HORIZON"]),
    ("based on the results of BOLERO-2 (Breast cancer trials of OraL EveROlimus).", ["BOLERO-2"]),
    ("in the EFECT (Evaluation of Faslodex versus Exemestane Clinical Trial) and", ["EFECT"]),
    ("(Everolimus in combination with letrozole; NCT01698918; BOLERO-6 trial)", ["NCT01698918", "BOLERO-6"]),
    ("adjuvant hormone therapy, NCT01805271; S1207 trial)", ["NCT01805271", "S1207"]),
    # 001_1fbf8c8289c92d00.txt
    ("resistance and metastasis (19-21). The 305/EMBRACE study", ["305/EMBRACE"]),
    # 004_21708132cfbc400b.txt
    ("In the phase III BYLieve trial, alpelisib plus fulvestrant", ["BYLieve"]),
    # not trials: endpoints, receptors, regimens, scales
    ("Median PFS (HR 0.45, 95% CI) in HER2-negative MBC per RECIST and CTCAE", []),
    ("after FEC (fluorouracil, epirubicin, cyclophosphamide) in the phase III setting", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_trials(text: str, expected: list[str]) -> None:
    assert [norm for _, _, _, norm in find_trials(text, _default_rules())] == expected


def test_citation_number_glued_to_a_trial_name_is_cut() -> None:
    # 002: "BOLERO-2" followed by the superscript reference 17, printed as "BOLERO-217"
    text = "The BOLERO-2 trial was positive. Updated BOLERO-217 results confirmed it."
    found = find_trials(text, _default_rules())
    assert [norm for *_, norm in found] == ["BOLERO-2", "BOLERO-2"]
    start, end, _, _ = found[1]
    assert text[start:end] == "BOLERO-2"
