"""Outcomes read by the pipeline from real seed snippets: endpoint, measure, value, unit, arm, study, CI, p."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractor import ArticleRecord
from extractor.nlp.components.outcomes import OutcomeExtractor
from extractor.nlp.pipeline import load_pipeline
from tests.nlp.components.test_adverse_events import BOLERO_2 as BOLERO_2_SAFETY

Row = tuple[str, str | None, float, str | None, str | None, str | None]  # endpoint, measure, value, unit, arm, study

CASES: list[tuple[str, list[Row]]] = [
    # 004_21708132cfbc400b.txt: a median with its CI (checked below)
    ("The median PFS was 6.6 months (95% CI: 5.59–7.61)", [("PFS", "median", 6.6, "months", None, None)]),
    # 004: each value takes the nearest endpoint before it
    (
        (
            "Among the 70 patients included in the study, partial response (PR) was observed in 40 patients "
            "(57.1%), stable disease (SD) in 22 patients (31.4%), and progressive disease (PD) in 8 patients "
            "(11.4%)."
        ),
        [
            ("PR", "rate", 57.1, "%", None, None),
            ("SD", "rate", 31.4, "%", None, None),
            ("PD", "rate", 11.4, "%", None, None),
        ],
    ),
    # 004: arms named next to each value; the placebo arm keeps the backbone; the HR is the experimental arm's
    (
        (
            "In BOLERO-2, everolimus plus exemestane achieved a median PFS of 6.9 months (local assessment) "
            "compared to 2.8 months in the placebo group (HR: 0.43;\np < 0.001)"
        ),
        [
            ("PFS", "median", 6.9, "months", "everolimus + exemestane", "BOLERO-2"),
            ("PFS", "median", 2.8, "months", "placebo + exemestane", "BOLERO-2"),
            ("PFS", "HR", 0.43, None, "everolimus + exemestane", "BOLERO-2"),
        ],
    ),
    # 004: 'capecitabine yielded ... 9.6 months', 'the everolimus plus exemestane arm (8.4 months)'
    (
        (
            "In BOLERO-6, capecitabine yielded a median PFS of 9.6 months, which was numerically longer "
            "than that of the everolimus plus exemestane arm (8.4 months)"
        ),
        [
            ("PFS", "median", 9.6, "months", "capecitabine", "BOLERO-6"),
            ("PFS", "median", 8.4, "months", "everolimus + exemestane", "BOLERO-6"),
        ],
    ),
    # 004: the endpoints of a 'defined as' clause are not the measured one
    (
        "The disease control rate (DCR), defined as the combined proportion of PR and SD, was 88.6%.",
        [("DCR", "rate", 88.6, "%", None, None)],
    ),
    # 001_1fbf8c8289c92d00.txt: 'respectively' pairs values with endpoints, not arms; a cited author is no trial
    (
        (
            "Kopp et al. reported that the partial response rate and the\nstable disease rate were 27% "
            "and 28%, respectively, as the\nbest response (8)."
        ),
        [("PR", "rate", 27.0, "%", None, None), ("SD", "rate", 28.0, "%", None, None)],
    ),
    # 003_a421c88d45a70224.txt: a case report's time to progression, on the drug named before it
    (
        (
            "After transfusion of 4 units of concentrated red blood cells, endocrine treatment with letrozole "
            "improved the hematopenia. Ten months after the treatment started, bone metastases worsened"
        ),
        [("TTP", "duration", 10.0, "months", "letrozole", None)],
    ),
    # 002_e5b7ac3fa1a98ba6.txt: a hypothesis is no result
    (
        (
            "The hypothesis was \n\nthat adding everolimus to paclitaxel improves the pathologic \n\n"
            "complete response, defined as no invasive and no noninvasive \n\nresiduals in breast and "
            "nodes from 5% to 12.1%; 566 patients \n\nhad to be recruited to confirm this hypothesis."
        ),
        [],
    ),
]


@pytest.fixture(scope="module")
def records(extract: Callable[[str], ArticleRecord]) -> dict[str, ArticleRecord]:
    return {text: extract(text) for text, _ in CASES}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_outcomes(records: dict[str, ArticleRecord], text: str, expected: list[Row]) -> None:
    got = [(o.endpoint, o.measure, o.value, o.unit, o.arm, o.study) for o in records[text].outcomes]
    assert got == expected


def test_ci_and_p_value(records: dict[str, ArticleRecord]) -> None:
    (pfs,) = records[CASES[0][0]].outcomes
    assert (pfs.ci_level, pfs.ci_low, pfs.ci_high) == (95.0, 5.59, 7.61)
    hr = records[CASES[2][0]].outcomes[-1]
    assert (hr.p_value, hr.comparator) == ("<0.001", "placebo + exemestane")


# 002_e5b7ac3fa1a98ba6.txt: a paired statement with its role phrases ('combined treatment arm', 'control arm'),
# after the paragraph that names the trial's arms

TTD = (
    BOLERO_2_SAFETY + "\n\n"
    "The median time to definitive \n\ndeterioration in quality of life was 8.3 months in the combined \n\n"
    "treatment arm versus 5.8 months in the control arm (HR 0.74; \n\nP=0.0084)."
)


def test_roles_resolve_to_the_study_arms(extract: Callable[[str], ArticleRecord]) -> None:
    got = [(o.measure, o.value, o.arm, o.study) for o in extract(TTD).outcomes if o.endpoint == "TTD"]
    assert got == [
        ("median", 8.3, "exemestane + everolimus", "BOLERO-2"),
        ("median", 5.8, "placebo + exemestane", "BOLERO-2"),
        ("HR", 0.74, "exemestane + everolimus", "BOLERO-2"),
    ]


def test_a_mean_reduction_in_an_endpoint_with_signed_percentages(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC3606470 (gold trial, introduction; here without its citation mark): signed percentages after 'a mean
    # reduction in HbA1c by' are the arms' mean changes; PMC4218766 (Evidence Inference, abstract): a negative
    # percentage of no change is no share of patients
    record = extract(
        "Patients were randomly assigned to placebo or dapagliflozin 2.5, 5 or 10 mg. At week 24, there was a "
        "dose-related mean reduction in HbA1c by -0.67% with dapagliflozin 2.5 mg, -0.70% with dapagliflozin 5 mg, "
        "and -0.84% with dapagliflozin 10 mg compared to -0.3% with placebo. Zofenopril reduced the risk vs. "
        "placebo (−39% men, p = 0.0001)."
    )
    got = [(o.endpoint, o.measure, o.outcome_type, o.value, o.arm) for o in record.outcomes]
    assert got == [
        ("HbA1c change", "mean change", "continuous", -0.67, "dapagliflozin 2.5 mg"),
        ("HbA1c change", "mean change", "continuous", -0.7, "dapagliflozin 5 mg"),
        ("HbA1c change", "mean change", "continuous", -0.84, "dapagliflozin 10 mg"),
        ("HbA1c change", "mean change", "continuous", -0.3, "placebo"),
    ]


def test_a_value_after_a_verb_of_change_and_by_is_a_mean_change(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5818014 (Evidence Inference, results): 'declined ... by an average of 3.6 ± 0.4' is a change of -3.6;
    # the value compared with it in the clause is one too
    record = extract(
        "Patients were randomized to arimoclomol or placebo. In the A4V subgroup, ALSFRS-R declined even faster, by "
        "an average of 3.6 ± 0.4 points per month in the placebo group versus 2.6 ± 0.5 in the arimoclomol group."
    )
    got = [(o.endpoint, o.measure, o.value, o.sd, o.arm) for o in record.outcomes]
    assert got == [
        ("ALSFRS-R change", "mean change", -3.6, 0.4, "placebo"),
        ("ALSFRS-R change", "mean change", -2.6, 0.5, "arimoclomol"),
    ]


def test_evidence_spans_are_unique(records: dict[str, ArticleRecord]) -> None:
    spans: list[Any] = [(o.span.start, o.span.end) for r in records.values() for o in r.outcomes]
    per_record = [len({(o.span.start, o.span.end) for o in r.outcomes}) == len(r.outcomes) for r in records.values()]
    assert spans and all(per_record)


@pytest.mark.slow
def test_round_trip_keeps_lexicon(tmp_path: Path) -> None:
    nlp = load_pipeline()
    component = nlp.get_pipe("extractor_outcomes")
    assert isinstance(component, OutcomeExtractor)
    component.to_disk(tmp_path / "outcomes")
    data_before = component.lexicon.data
    component.from_disk(tmp_path / "outcomes")
    assert component.lexicon.data == data_before and component.lexicon.find("median PFS")[0].name == "PFS"
