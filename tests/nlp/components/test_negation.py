"""ConText-style negation on drug entities, one sentence per behaviour."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractor import ArticleRecord

CASES = [
    ("The patient had no prior exposure to everolimus before enrolment.", {"everolimus": True}),
    ("Patients were naive to fulvestrant and received letrozole.", {"fulvestrant": True, "letrozole": False}),
    ("Everolimus and exemestane were administered to the patient.", {"everolimus": False, "exemestane": False}),
    # 000_0a971266401ee98e.txt: "did not alleviate" is not a negated exposure
    ("Ciprofloxacin did not alleviate the symptoms.", {"ciprofloxacin": False}),
    ("She did not receive tamoxifen, but letrozole was started.", {"tamoxifen": True, "letrozole": False}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_negated_drugs(extract: Callable[[str], ArticleRecord], text: str, expected: dict[str, bool]) -> None:
    record = extract(text)
    assert {d.name: d.negated for d in record.drugs} == expected


@pytest.mark.slow
def test_round_trip_keeps_rules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from extractor.nlp.pipeline import load_pipeline

    nlp = load_pipeline()
    negation = nlp.get_pipe("extractor_negation")
    negation.to_disk(tmp_path / "negation")
    rules_before = list(negation.rules)
    negation.rules = []
    negation.from_disk(tmp_path / "negation")
    assert negation.rules == rules_before
