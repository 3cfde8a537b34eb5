"""The index patient of a case report: first clear statement of age and sex; trials and reviews have none."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractor import Extractor
from extractor.lexicons import provenance
from extractor.nlp.components.patient import patient_facts
from extractor.record import Patient


@pytest.fixture(scope="module")
def patient_of(extractor: Extractor) -> Callable[[str], Patient | None]:
    names = extractor.nlp.pipe_names
    upstream = names[: names.index("extractor_patient") + 1]

    def run(text: str) -> Patient | None:
        with extractor.nlp.select_pipes(enable=upstream):
            return extractor.extract_text(text, name="snippet.txt").patient

    return run


PATIENTS = [
    # 000_0a971266401ee98e.txt: the abstract's statement comes before 'at the age of 45' in the history
    (
        "CASE REPORT\n\nCase presentation: A 56-year-old woman with early-stage breast cancer underwent right "
        "mastectomy and axil-\nlary lymph node dissection at the age of 45.",
        (56, "female"),
    ),
    # 001_1fbf8c8289c92d00.txt: 'year-old' broken over a line
    (
        "Case Report: This is a case report of a 62-year-\nold woman who underwent partial mastectomy six years\n"
        "previously.",
        (62, "female"),
    ),
    # 003_a421c88d45a70224.txt: a decade gives the sex only
    (
        "we report a case of a female stage IV breast cancer patient in her seventies with BMC that improved with "
        "endocrine monotherapy.",
        (None, "female"),
    ),
    # PHEE (phee_dev_test.subset.jsonl, 4044222_1)
    ("A 54-year-old man, treated with amiodarone, developed thyrotoxicosis.", (54, "male")),
    # PHEE: 'CASE SUMMARY' and an age without a sex noun
    (
        "CASE SUMMARY: A febrile 36-year-old seaman from Mumbai (Bombay) was prescribed >5 times the usual dose of "
        "chloroquine for malaria diagnosed empirically onboard ship.",
        (36, None),
    ),
    # 004_21708132cfbc400b.txt: a cohort's median age is not a patient
    (
        "A total of 70 premenopausal and postmenopausal women with HR+, human epidermal growth factor HER2− or "
        "HER2-low de novo metastatic breast cancer were included in the analysis. The median age at diagnosis was 51 "
        "years (range: 33–77 years).",
        None,
    ),
    # 002_e5b7ac3fa1a98ba6.txt: a review
    ("letrozole + temsirolimus in postmenopausal patients aged 65 \n\nyears or older", None),
]


@pytest.mark.parametrize(("text", "expected"), PATIENTS)
def test_patient(
    patient_of: Callable[[str], Patient | None], text: str, expected: tuple[int | None, str] | None
) -> None:
    patient = patient_of(text)
    assert (None if patient is None else (patient.age, patient.sex)) == expected


def test_the_first_statement_wins() -> None:
    # 001: the abstract's patient, then the case report's; a later statement about another person is ignored
    text = (
        "Case Report: This is a case report of a 62-year-\nold woman. ... Sasada et al. reported that a 45-year-old "
        "man with total marrow failure died."
    )
    assert [(f.field, f.value) for f in patient_facts(text)] == [("age", 62), ("sex", "female")]


def test_rules_carry_provenance() -> None:
    meta = provenance("patient_rules.json")
    assert meta.get("source") and meta.get("licence")
