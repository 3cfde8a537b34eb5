"""Studies and arms (no spaCy): regimens named together, study anchors, and arm phrases resolved to a study's arms."""

from __future__ import annotations

import re

import pytest

from extractor.nlp.prose import heading_lines
from extractor.nlp.study_context import Agent, ArmMention, StudyContext, find_anchors, regimen_lists

DRUGS = ("letrozole", "temsirolimus", "tamoxifen", "everolimus", "exemestane", "paclitaxel", "capecitabine")


def drug_agents(text: str) -> list[Agent]:
    """Drug mentions as the drug component would give them (lowercase generic names)."""
    found = [Agent(m.start(), m.end(), m.group().lower()) for m in re.finditer("|".join(DRUGS), text, re.I)]
    return sorted(found, key=lambda a: a.start)


REGIMENS = [
    # 002_e5b7ac3fa1a98ba6.txt, Table 1 (HORIZON row): a dose schedule between drugs, then 'or'
    (
        "Letrozole 2.5 mg daily, temsirolimus 30 mg daily, 5 days every 2 weeks or letrozole 2.5 mg daily + placebo",
        [["letrozole + temsirolimus", "letrozole + placebo"]],
    ),
    # 002, Table 2 header: the drug after '±' is the optional one
    ("TAMRAD \ntamoxifen ±  \neverolimus \n10 mg daily", [["tamoxifen + everolimus", "tamoxifen"]]),
    # 002: 'comparing A with B'
    (
        "Phase III trial comparing exemestane 25 mg/day + everolimus 10 mg/day with exemestane and placebo in 724",
        [["exemestane + everolimus", "exemestane + placebo"]],
    ),
    # 002: 'with or without'
    (
        "randomized to receive weekly paclitaxel (80 mg/m²) with or without everolimus (5 mg daily",
        [["paclitaxel + everolimus", "paclitaxel"]],
    ),
]


@pytest.mark.parametrize(("text", "expected"), REGIMENS)
def test_regimen_lists(text: str, expected: list[list[str]]) -> None:
    from extractor.nlp.study_context import agents

    found = agents(text, drug_agents(text))
    assert [[r.label for r in regs] for _, regs in regimen_lists(text, found, 0, len(text))] == expected


ANCHORS = [
    # 002_e5b7ac3fa1a98ba6.txt: a citation naming its trial is the trial; one that does not is its own study
    (
        "Wolff et al14 (HORIZON) Placebo-controlled, randomized, Phase III Postmenopausal AI-naïve, ER-positive",
        [("HORIZON", "HORIZON")],
        [(0, 0, "HORIZON")],
    ),
    (
        "Baselga et al15 Placebo-controlled, randomized Phase II Postmenopausal operable ER-positive (n=270)",
        [("baselga", None)],
        [],
    ),
    # 004_21708132cfbc400b.txt: the article's own study
    (
        "In our real-world cohort, comprising patients who were more heavily pretreated, including prior CDK4/6",
        [("@own", None)],
        [],
    ),
    # 004: an unnamed study
    (
        "Another recent multiomic phase Ib/II study combined palbociclib, everolimus, and exemestane in a heavily",
        [("@0", None)],
        [],
    ),
    # 002: 'This is a ... study' describes the study already named, it opens none
    ("This is a small, open-label, randomized Phase II study in the metastatic setting.", [], []),
]


@pytest.mark.parametrize(("text", "expected", "trials"), ANCHORS)
def test_find_anchors(text: str, expected: list[tuple[str, str | None]], trials: list[tuple[int, int, str]]) -> None:
    trials = [(text.index(name), text.index(name) + len(name), name) for _, _, name in trials]
    assert [(a.key, a.study) for a in find_anchors(text, trials)] == expected


# 004_21708132cfbc400b.txt
BOLERO_2 = (
    "In BOLERO-2, everolimus plus exemestane achieved a median PFS of 6.9 months (local assessment) compared to "
    "2.8 months in the placebo group (HR: 0.43;\np < 0.001)"
)


def test_placebo_arm_keeps_the_backbone() -> None:
    trial = (BOLERO_2.index("BOLERO-2"), BOLERO_2.index("BOLERO-2") + 8, "BOLERO-2")
    context = StudyContext.build(BOLERO_2, drug_agents(BOLERO_2), [trial])
    anchor = context.anchor_at(BOLERO_2.index("2.8 months"))
    assert anchor is not None and anchor.study == "BOLERO-2"
    assert [r.label for r in context.regimens(anchor)] == ["everolimus + exemestane", "placebo + exemestane"]
    placebo_group = ArmMention(0, 0, ("placebo",), armlike=True)
    resolved = context.resolve(placebo_group, anchor)
    assert resolved is not None and resolved.label == "placebo + exemestane"


def test_own_study_regimen_is_the_most_named_combination() -> None:
    # 004_21708132cfbc400b.txt
    text = (
        "Everolimus plus exemestane was initiated following progression on chemotherapy. The index date was defined"
        " as the initiation of everolimus plus exemestane therapy. Capecitabine yielded a median PFS of 9.6 months."
    )
    context = StudyContext.build(text, drug_agents(text), [])
    assert context.main is not None and context.main.label == "everolimus + exemestane"


def test_the_evidence_inference_exports_headings_are_the_articles_own_voice() -> None:
    # PMC2365957 (CC BY): the trial named in the background is the article's own; after 'ABSTRACT.RESULTS:' the
    # results are not a cited study's
    text = (
        "ABSTRACT.BACKGROUND:\nFPV/r100 or ATV/r100 have not been compared; the ALERT trial compared them.\n\n"
        "ABSTRACT.RESULTS:\nAt week 48, responses were similar.\n"
    )
    starts = [start for start, _ in heading_lines(text, [])]
    assert starts == [0, text.index("ABSTRACT.RESULTS:")]
