"""The study's arms from allocation sentences, group definitions and table headers (through the pipeline)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractor import ArticleRecord
from extractor.nlp.text.arms import LABEL_BEFORE_GROUP_WORD, arm_patterns, label_starts, sized_group_matches


def _arms(record: ArticleRecord) -> list[tuple[str, int | None]]:
    return [(a.name, a.n) for a in record.arms]


def test_an_allocation_sentence_names_the_arms_and_their_sizes(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC1174877 (abstract, methods)
    record = extract(
        "In a double-blind, parallel-group, randomized study, patients with World Health Organization criteria for "
        "metabolic syndrome received once-daily doses of telmisartan (80 mg, n = 20) or losartan (50 mg, n = 20) for "
        "3 months. They were randomly assigned to receive either once-daily telmisartan 80 mg or losartan 50 mg."
    )
    assert _arms(record) == [("telmisartan", 20), ("losartan", 20)]


def test_an_appositive_is_no_arm(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4574984
    record = extract(
        "The patients were randomly assigned to the intervention group, i.e. patient empowerment through "
        "information booklet and diary keeping, or to the control group, which received standard care."
    )
    assert [a.name for a in record.arms] == ["intervention group", "control group"]


def test_groups_defined_by_letter_take_their_drug(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4188762
    record = extract(
        "Patients were allocated into 4 groups according to the pretreatment drugs (Group N, normal saline; "
        "Groups L, lidocaine 40 mg; Group K, ketamine 0.5 mg/kg; Group R, remifentanil 1 μg/kg). "
        "The incidence of withdrawal response was 87% (26/30), 20% (6/30), 30% (9/30), and 0% in group N, "
        "group L, group K, and group R, respectively."
    )
    names = {a.name: set(a.aliases) for a in record.arms}
    assert names["lidocaine"] >= {"group l"}
    assert names["ketamine"] >= {"group k"}
    rates = {(o.arm, o.value, o.events, o.n) for o in record.outcomes}
    assert ("lidocaine", 20.0, 6, 30) in rates
    assert ("ketamine", 30.0, 9, 30) in rates


def test_counted_groups_and_an_abbreviated_arm_named_by_its_long_form(
    extract: Callable[[str], ArticleRecord],
) -> None:
    # PMC4928400
    record = extract(
        "To compare the safety and effectiveness of flexible ureteroscopy with transperitoneal laparoscopic "
        "ureterolithotomy (TPLU) in cases of obstructive pyelonephritis. After drainage of pyonephrosis, 22 "
        "patients treated with TPLU (Group I), and 20 patients were treated with F-URS (Group II)."
    )
    assert ("transperitoneal laparoscopic ureterolithotomy", 22) in _arms(record)


@pytest.mark.parametrize(
    "text",
    [
        "Group I (n = 30, laser group) and the fentanyl group: 76; a control group of 10 adults.",
        "38 patients for the Genoss DES group, and the EMS group (n = 24) consisted of 24 patients.",
        "The low dose arm (n=12) versus the high dose cohort (N = 11); one two three four five six group (n = 3).",
        "the " + "x" * 2000 + " gum group (n = 9) and group arm cohort (n = 1)",  # a word longer than the window
    ],
)
def test_sized_group_matches_are_finditer_s(text: str) -> None:
    starts = label_starts(text)
    for pattern in arm_patterns().sized_groups:
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in sized_group_matches(pattern, text, starts)] == expected
    assert any(p.pattern.startswith(LABEL_BEFORE_GROUP_WORD) for p in arm_patterns().sized_groups)
