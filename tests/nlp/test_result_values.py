"""Result numbers as printed (no spaCy): numbers, CIs, p-values, pairs, and the values of real seed sentences."""

from __future__ import annotations

import pytest

from extractor.nlp.result_values import (
    PhraseIndex,
    TextView,
    find_values,
    parse_ci,
    parse_p_value,
    parse_paired_values,
    threshold,
)
from extractor.nlp.rules import endpoint_rules
from extractor.nlp.text.endpoints import EndpointLexicon

CUES = EndpointLexicon(endpoint_rules()).cues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95% CI 5.59–7.61", (95.0, 5.59, 7.61)),
        ("(95% CI, 0.36–0.53)", (95.0, 0.36, 0.53)),
        ("[0.38; 0.52]", (None, 0.38, 0.52)),
        ("95% CI: 0.38 to 0.52", (95.0, 0.38, 0.52)),
        # 004_21708132cfbc400b.txt
        ("The median PFS was 6.6 months (95% CI: 5.59–7.61)", (95.0, 5.59, 7.61)),
        ("90% confidence interval 1.2-3.4", (90.0, 1.2, 3.4)),
        ("no interval here", None),
    ],
)
def test_parse_ci(text: str, expected: tuple[float | None, float, float] | None) -> None:
    assert parse_ci(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("P = 0.03", 0.03), ("p < 0.001", "<0.001"), ("P < .0001", "<.0001"), ("P=0.0084", 0.0084), ("p ≤ 0.05", "<0.05")],
)
def test_parse_p_value(text: str, expected: str | float) -> None:
    assert parse_p_value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.8 versus 3.2 months", [(7.8, 3.2, "months", "")]),
        ("(9 and 8.9 months)", [(9.0, 8.9, "months", "")]),
        ("61% versus 42%", [(61.0, 42.0, "%", "")]),
        ("from 2.76 months to 6.83 months in patients", [(2.76, 6.83, "months", "from_to")]),
        ("(27% both arms)", [(27.0, 27.0, "%", "both")]),
        ("increased to 3,900/μl", []),  # 'to' pairs only after 'from'
    ],
)
def test_parse_paired_values(text: str, expected: list[tuple[float, float, str, str]]) -> None:
    pairs = parse_paired_values(text)
    assert [(a.value, b.value, b.unit, a.order) for a, b in pairs] == expected


# Real sentences: (text, [(value, unit, kind, group>=0)])
VALUE_CASES = [
    # 004_21708132cfbc400b.txt: the timepoint 'at 36 months' is no result
    ("approximately 30% of patients remaining alive at 36 months", [(30.0, "%", "percent")]),
    # 002_e5b7ac3fa1a98ba6.txt: a dose schedule and an adjectival '6 month' are no results
    ("temsirolimus 30 mg daily, 5 days every 2 weeks or letrozole", []),
    ("6 month CBR 61% versus 42%", [(61.0, "%", "percent"), (42.0, "%", "percent")]),
    ("a 6.9-month prolongation in median progression-free survival", [(6.9, "months", "time")]),
    (
        "(HR 0.24 for wild-type patients and 0.26 for patients with a single gene alteration)",
        [(0.24, None, "ratio"), (0.26, None, "ratio")],
    ),
    ("the best response rate (5 of 22 cases) was documented", [(5.0, None, "count")]),
    # 002: a threshold is no result; '<1' printed as ',1' is read back
    ("defined as at least a 10% change from baseline", []),
    ("anemia (6% versus ,1%)", [(6.0, "%", "percent"), (1.0, "%", "percent")]),
]


@pytest.mark.parametrize(("text", "expected"), VALUE_CASES)
def test_find_values(text: str, expected: list[tuple[float, str | None, str]]) -> None:
    view = TextView.of(text)
    assert [(v.value, v.unit, v.kind) for v in find_values(view.text, CUES)] == expected


def test_values_carry_ci_p_and_n() -> None:
    # 004_21708132cfbc400b.txt
    text = "compared to 2.8 months in the placebo group (HR: 0.43;\np < 0.001)"
    hr = next(v for v in find_values(text, CUES) if v.kind == "ratio")
    assert (hr.measure, hr.value, hr.p_value) == ("HR", 0.43, "<0.001")
    (fatigue,) = find_values("fatigue (\nn = 14, 20.0%)", CUES)
    assert (fatigue.value, fatigue.n) == (20.0, 14)


@pytest.mark.parametrize(
    ("qualifier", "before", "expected"), [("≤ ", "LVEF ", True), ("<", "versus ", False), (None, "", False)]
)
def test_threshold(qualifier: str | None, before: str, expected: bool) -> None:
    assert threshold(qualifier, before) is expected


def test_text_view_maps_offsets_back() -> None:
    # 002_e5b7ac3fa1a98ba6.txt: a PDF line-break hyphen inside a word, and ',1' for '<1'
    text = "median progres- sion-free survival (6% versus ,1%)"
    view = TextView.of(text)
    assert view.text == "median progression-free survival (6% versus <1%)"
    start = view.text.index("survival")
    assert text[slice(*view.doc_offsets(start, start + len("survival")))] == "survival"


def test_phrase_index_longest_match_and_case() -> None:
    index = PhraseIndex([("progression-free survival", "PFS"), ("progression", "progression"), ("PD", "PD")])
    found = index.find("median progressionfree survival; PD-L1 and PD; disease progression")
    assert [m.entry for m in found] == ["PFS", "PD", "progression"]
