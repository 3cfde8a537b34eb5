"""The study's arms from allocation sentences, group definitions and table headers (through the pipeline)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import ArticleRecord, Extractor
from extractor.nlp.components.arms import _add_size_breakdown, _add_sized_groups
from extractor.nlp.text.arms import (
    LABEL_BEFORE_GROUP_WORD,
    ArmDraft,
    ArmRegistry,
    arm_patterns,
    label_starts,
    sized_group_matches,
)


def _registry(*labels: str, drugs: tuple[str, ...] = ()) -> ArmRegistry:
    """Arms without sizes, one per label, as an allocation sentence would name them."""
    registry = ArmRegistry()
    for k, label in enumerate(labels):
        registry.add(ArmDraft(label, drugs, None, 2 * k, 2 * k + 1, "allocation"))
    return registry


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


def test_counted_groups_joined_by_and(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4169371 (Evidence Inference): each count opens an arm of its own
    record = extract("Of the 500 patients randomized, 376 patients received ABLE and 124 patients received LAmB.")
    assert [a.n for a in record.arms] == [376, 124]


def test_a_total_divided_into_as_many_groups_as_arms(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5459456 (methods)
    record = extract(
        "Thirty-two goats were randomly divided into four groups: a sham control group, an ACVC group, an ACVC-HA "
        "group, and an ACCF group (titanium and plate fixation group). The ACVC group and the ACVC-HA group were "
        "compared with the ACCF group and the sham control group."
    )
    assert len(record.arms) == 4
    assert {a.n for a in record.arms} == {8}


def test_a_total_that_does_not_divide_gives_no_share(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC3621795 (Evidence Inference)
    record = extract(
        "A total of 39 patients were randomized into two groups. 22 were enrolled in the selenium group (SeG) and 17 "
        "in the control group (CG). The selenium group received selenium; the control group received no selenium."
    )
    assert all(a.n in (22, 17, None) for a in record.arms)


def test_a_group_label_joining_two_arms_is_an_alias_of_neither() -> None:
    from extractor.nlp.components.arms import _add_named_groups
    from extractor.nlp.text.arms import ArmDraft, ArmRegistry

    registry = ArmRegistry()
    registry.add(ArmDraft("EMS", (), 24, 0, 3, "allocation"))
    registry.add(ArmDraft("control group", (), 28, 4, 17, "allocation"))
    # PMC3321528 (results)
    text = (
        "The overall MRC score was significantly higher in patients assigned to the EMS group in comparison to the "
        "control group. No difference was observed between the EMS and the control group in handgrip strength."
    )
    _add_named_groups(text, registry, [])
    ems, control = registry.arms
    assert "ems and the control" not in control.aliases | ems.aliases


def test_a_later_allocation_names_the_arm_left(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC3648394 (abstract, then results)
    record = extract(
        "Thirty-seven adults employed in university-based office positions were randomized upon the completion of "
        "baseline testing to an experimental or control group. The experimental group completed a 10-week yoga "
        "program prescribed three sessions per week during lunch hour.\n\nThirty-seven individuals provided written "
        "informed consent, completed baseline testing, and were randomized to the yoga (n = 18) or control group "
        "(n = 19). One participant in the yoga group withdrew in week 2 for personal reasons, while two in the "
        "control group failed to complete follow-up testing."
    )
    arms = {a.name: a for a in record.arms}
    assert set(arms) == {"experimental", "control group"}
    assert arms["experimental"].n == 18 and "yoga" in arms["experimental"].aliases
    assert arms["control group"].n == 19


def test_a_letter_ending_a_name_is_no_group_letter(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5380326 (abstract, results): 'vitamin D group' is not 'group D', and gets no placebo from the sentence
    record = extract(
        "80 CHC patients with vitamin D levels less than 30 ng/mL were assigned to receive vitamin D (40) or "
        "placebo (40) supplements for 6 weeks. The mean value of IP-10 level was decreased significantly in "
        "vitamin D group, as compared to the increased level in placebo group."
    )
    assert sorted(a.name for a in record.arms) == ["placebo", "vitamin d"]


def test_a_total_counted_in_the_sentence_before_the_division(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4188762 (methods)
    record = extract(
        "A total of 120 patients undergoing various elective surgeries were enrolled. Patients were allocated into 4 "
        "groups according to the pretreatment drugs (Group N, normal saline; Groups L, lidocaine 40 mg; Group K, "
        "ketamine 0.5 mg/kg; Group R, remifentanil 1 µg/kg)."
    )
    assert len(record.arms) == 4
    assert {a.n for a in record.arms} == {30}


def test_the_intervention_group_of_a_trial_against_a_control() -> None:
    from extractor.nlp.text.arms import ArmDraft, ArmRegistry

    # PMC4355974: 'randomised to either usual care or use of BostonBreathes', then '37 randomized to the
    # intervention group'
    registry = ArmRegistry()
    registry.add(ArmDraft("usual care", (), None, 0, 10, "allocation"))
    registry.add(ArmDraft("use of BostonBreathes", (), None, 14, 35, "allocation"))
    assert registry.find("the intervention group") is registry.arms[1]
    assert registry.find("the experimental arm") is registry.arms[1]
    registry.add(ArmDraft("self-management", (), None, 40, 55, "allocation"))
    assert registry.find("the intervention group") is None  # three arms: which one is not said


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


def test_the_control_group_given_placebo_is_the_placebo_arm() -> None:
    from extractor.nlp.components.arms import _add_control_placebo
    from extractor.nlp.text.arms import Arm, ArmRegistry

    # PMC2649924 (Evidence Inference, CC BY): the arms as its tables give them, then the methods' sentence
    registry = ArmRegistry()
    registry.arms = [
        Arm("", ("magnesium sulfate",), 64, 0, 1, {"group 1"}),
        Arm("", ("amiodarone",), 64, 2, 3, {"group 2"}),
        Arm("", (), 64, 4, 5, {"group 3 control"}, label="Group 3 (Control)"),
    ]
    text = "Sixty-four patients in group 3 (control group) had 100 cc. isotonic 0.9% as placebo, during the same time."
    _add_control_placebo(text, registry)
    registry.name_arms()
    assert [a.name for a in registry.arms] == ["magnesium sulfate", "amiodarone", "placebo"]
    # no such sentence: the control stays a control
    registry.arms[2].drugs = ()
    _add_control_placebo("The control group had no infusion.", registry)
    assert registry.arms[2].drugs == ()


def test_spacing_around_a_plus_does_not_make_another_arm() -> None:
    from extractor.nlp.text.arms import normalize_label

    assert normalize_label("MTL+ caloric intake group") == normalize_label("MTL + caloric intake group")
    assert normalize_label("placebo + metformin (n = 137)") == "placebo+metformin"


def test_a_statistic_after_a_group_header_is_no_part_of_its_name() -> None:
    from extractor.nlp.text.arms import normalize_label

    # PMC4183415 and PMC5056957 headers (Yun et al. 2024 set, CC BY): 'Intervention %', '12 m Mean 95% CI'
    assert normalize_label("Intervention %") == "intervention"
    assert normalize_label("Placebo mean") == "placebo" and normalize_label("Group A n (%)") == "group a"
    assert normalize_label("Ropivacaine 0.5 %") == "ropivacaine 0.5 %"  # a strength stays


def test_every_counted_group_of_a_sentence_is_an_arm(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC2855831 (evidence-inference set, CC BY): four counted groups, no allocation sentence before them
    record = extract(
        "Methods\nThus, the full analysis set comprised 399 patients; 101 patients received placebo, 100 patients "
        "received 30 mg, 99 patients received 60 mg and 99 patients received 90 mg EPs 7630.\n"
    )
    assert [(a.name, a.n) for a in record.arms] == [
        ("placebo", 101),
        ("30 mg", 100),
        ("60 mg", 99),
        ("90 mg eps 7630", 99),
    ]


def test_a_total_split_into_the_arms_gives_their_sizes(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4588424 (Evidence Inference): the size a prose mention gave ('4 patients in the pravastatin group')
    # yields to the breakdown of the total, which is read first
    record = extract(
        "Patients were randomly assigned to the pravastatin group or the control group. However, due to "
        "ineligibility found after randomization or overlapped registration, 4 patients in the pravastatin group "
        "and 7 patients in the control group were excluded, resulting in 1578 patients (793 in pravastatin group, "
        "785 in control group)."
    )
    assert sorted(a.n for a in record.arms) == [785, 793]


def test_a_breakdown_that_counts_events_or_misses_its_total_sizes_no_arm() -> None:
    def sizes(text: str) -> list[int | None]:
        registry = _registry("BTH1677 arm", "Control arm")
        _add_size_breakdown(text, registry)
        return [a.n for a in registry.arms]

    # PMC5830087 (Evidence Inference): deaths, not patients
    assert sizes("Eight deaths (7 in the BTH1677 arm; 1 in the Control arm) occurred.") == [None, None]
    # the counts add up to no number just before them
    assert sizes("Of 100 patients with a response (BTH1677 n = 29; Control n = 10)") == [None, None]
    assert sizes("All 89 patients receiving any treatment (BTH1677 n = 59; Control n = 30)") == [59, 30]


def test_a_total_in_words_split_into_arms_named_by_abbreviation(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC4132222 (Yun et al. 2024, methods and results); 'weeks 6 and 12 in the CPA group' names the CPA group
    record = extract(
        "This was a randomized, double-blind, placebo-controlled study. Forty-five subjects (30 CPA and 15 placebo) "
        "aged 45-85 years were enrolled. A reduction in average lesion area was observed at weeks 3, 6, and 12 in "
        "the CPA group, but only at weeks 6 and 12 in the placebo group. The CPA group showed almost twice the "
        "decrease in lesion size as the placebo group. The proportion of participants with a 10% decrease in "
        "average lesion area was significantly higher in the CPA group than the placebo group at week 3."
    )
    assert sorted((a.name, a.n) for a in record.arms) == [("cpa", 30), ("placebo", 15)]


def test_a_time_point_list_sizes_no_group() -> None:
    registry = _registry("placebo", drugs=("placebo",))
    # PMC4132222 (Yun et al. 2024, results)
    _add_sized_groups("The decrease was significant only at weeks 6 and 12 in the placebo group.", registry, [], False)
    assert registry.arms[0].n is None
    _add_sized_groups("Overall, 15 patients in the placebo group completed the study.", registry, [], False)
    assert registry.arms[0].n == 15


def test_an_abbreviated_arm_and_its_size_in_parentheses() -> None:
    registry = _registry("SB-RFA group", "SM-RFA group")
    # PMC5805261 (Evidence Inference, abstract)
    text = (
        "Sixty-nine patients with 74 HCCs were randomly treated with RFA using either internally cooled-wet (ICW) "
        "electrodes in SB mode (SB-RFA, n = 36) or SC electrodes in SM mode (SM-RFA, n = 38)."
    )
    _add_sized_groups(text, registry, [], False)
    assert [a.n for a in registry.arms] == [36, 38]


def test_how_the_allocation_was_stratified_is_no_arm(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5986449 (Evidence Inference, methods): the placebo arm is the placebo group, not its stratification
    record = extract(
        "The 120 eligible subjects were randomly assigned to the Yabukita group, Sunrouge group, or placebo group "
        "stratified by sex, age, hospital-measured SBP, and eye strain severity score."
    )
    placebo = next(a for a in record.arms if a.name == "placebo")
    assert placebo.aliases == ["placebo group"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PMC3654568 (Evidence Inference, methods)
        (
            "Eligible subjects were randomly assigned to receive once-daily oral doses of canagliflozin 100 or 300 mg "
            "or placebo in a 1 : 1 : 1 ratio using an Interactive Voice Response System.",
            ["canagliflozin 100 mg", "canagliflozin 300 mg", "placebo"],
        ),
        # PMC1174954 (Evidence Inference, methods)
        (
            "Patients were assigned in a 1:1:1 ratio to one of three arms to receive risedronate at 5 mg or 15 mg, "
            "or placebo.",
            ["risedronic acid 5 mg", "risedronic acid 15 mg", "placebo"],
        ),
        # PMC3661377 (Evidence Inference, abstract)
        (
            "Patients were randomized 1:1:1:1 to receive apremilast 10, 20, or 30 mg BID or placebo for 16 weeks.",
            ["apremilast 10 mg", "apremilast 20 mg", "apremilast 30 mg", "placebo"],
        ),
        # PMC1797029 (Evidence Inference, abstract)
        (
            "Patients were randomly assigned to paclitaxel at a dose of 175, 210, or 250 mg/m2 every 3 weeks.",
            ["paclitaxel 175 mg/m2", "paclitaxel 210 mg/m2", "paclitaxel 250 mg/m2"],
        ),
        # PMC2855831 (Evidence Inference, abstract): doses listed without the product's name each time
        (
            "A total of 400 patients (aged 6-18 years) were randomized to receive either 30 mg, 60 mg or 90 mg "
            "EPs-7630 or placebo daily.",
            ["30 mg", "60 mg", "90 mg eps-7630", "placebo"],
        ),
    ],
)
def test_a_list_of_doses_of_one_drug_is_one_arm_per_dose(
    extract: Callable[[str], ArticleRecord], text: str, expected: list[str]
) -> None:
    assert [a.name for a in extract(text).arms] == expected


def test_groups_named_by_their_dose_take_their_sizes(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5866829 (Evidence Inference, abstract and results); the five who discontinued size no arm
    record = extract(
        "Japanese patients with chronic constipation were randomized to receive elobixibat (5, 10, or 15 mg) or "
        "placebo once daily for 2 weeks. Data were missing in 5 patients who discontinued the study drug before "
        "Day 5 (2 patients in the 5-mg group, 1 in the 10-mg group, and 2 in the 15-mg group). Patients were "
        "randomized to placebo (40 patients), elobixibat 5-mg (43 patients), 10-mg (39 patients), and 15-mg (41 "
        "patients) groups."
    )
    assert _arms(record) == [
        ("elobixibat 5 mg", 43),
        ("elobixibat 10 mg", 39),
        ("elobixibat 15 mg", 41),
        ("placebo", 40),
    ]


def test_people_who_left_size_no_group() -> None:
    registry = _registry("5-mg group", "10-mg group", "15-mg group")
    text = "Data were missing in 5 patients who discontinued (2 patients in the 5-mg group, 1 in the 10-mg group)."
    _add_sized_groups(text, registry, [], False)
    _add_size_breakdown(text, registry)
    assert [a.n for a in registry.arms] == [None, None, None]


def test_a_later_sentence_naming_every_arm_and_placebo_completes_the_list(
    extract: Callable[[str], ArticleRecord],
) -> None:
    # PMC1866019 (Evidence Inference, abstract and methods)
    record = extract(
        "Six hundred and ten patients were enrolled and randomly assigned into two identical, placebo-controlled "
        "studies of esomeprazole 20 mg or 40 mg treatment. Patients were re-randomised upon entry to the 6-month "
        "studies to receive esomeprazole 20 mg, esomeprazole 40 mg, or placebo once daily for 6 months, in "
        "addition to their NSAID therapy. Ibuprofen, naproxen or diclofenac were allowed."
    )
    assert [a.name for a in record.arms] == ["esomeprazole 20 mg", "esomeprazole 40 mg", "placebo"]


def test_the_background_every_arm_receives_is_no_part_of_an_arm(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC2529259 (gold trial, abstract)
    record = extract(
        "Women were randomized to receive 600 mcg sublingual misoprostol or matching placebo in addition to "
        "standard PPH treatment with injectable oxytocics."
    )
    assert [(a.name, a.aliases) for a in record.arms] == [
        ("misoprostol", ["600 mcg sublingual misoprostol"]),
        ("placebo", ["matching placebo"]),
    ]


def test_the_table_column_left_is_the_arm_left(extractor: Extractor, tmp_path: Path) -> None:
    # PMC5781260 (Yun et al. 2024, methods and Table 1): the header names the extract by fewer words than the
    # allocation sentence; beside the placebo column, it is the other arm, and sizes it
    article = tmp_path / "PMC5781260.md"
    article.write_text(
        "# Methods\n\nForty-four healthy males and females were randomized to 400 mg lemon verbena extract once "
        "daily or placebo for 10 days.\n\n# Results\n\nTable 1. Characteristics of the subjects at baseline.\n\n"
        "| Characteristic | Lemon verbena (N = 20, 59% men, 41% women) | Placebo (N = 20, 40% men, 60% women) |\n"
        "| --- | --- | --- |\n| Age (years) | 31.5 ± 7.1 | 30.2 ± 6.5 |\n| Weight (kg) | 70.1 ± 9.9 | 69.4 ± 11.2 |\n",
        encoding="utf-8",
    )
    assert _arms(extractor.extract_file(article)) == [("400 mg lemon verbena extract once daily", 20), ("placebo", 20)]


def test_a_breakdown_parted_by_semicolons_after_a_share() -> None:
    registry = _registry("placebo", "risedronate 5 mg", "risedronate 15 mg")
    # PMC1174954 (Evidence Inference, results): '231 (81%)' is the total, not the share after it
    _add_size_breakdown(
        "and 231 (81%) completed the study (placebo, n = 80; risedronate at 5 mg, n = 80; risedronate at 15 mg, "
        "n = 71) (Fig. 1).",
        registry,
    )
    assert [a.n for a in registry.arms] == [80, 80, 71]


def test_a_kind_of_study_and_what_it_is_for_allocate_no_one(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC5976950 (Evidence Inference, abstract): the counted groups are the arms, not 'confirm or refute'
    record = extract(
        "We recruited 2325 participants between March 1, 2013, and Sept 30, 2017. 1161 patients received "
        "tranexamic acid and 1164 received placebo; the treatment groups were well balanced at baseline. The "
        "reductions in haematoma expansion and early deaths are promising, but larger randomised trials are needed "
        "to confirm or refute a clinically significant treatment effect."
    )
    assert _arms(record) == [("tranexamic acid", 1161), ("placebo", 1164)]
