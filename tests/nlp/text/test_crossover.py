"""Crossover trials (`extractor.nlp.text.crossover`): each treatment's group is everyone who took part."""

from __future__ import annotations

from collections.abc import Callable

from extractor import ArticleRecord
from extractor.nlp.text.arms import DrugMention
from extractor.nlp.text.crossover import crossover

# PMC5813072 (Evidence Inference, abstract)
DESIGN = (
    "We investigated the acute autonomic, subjective, endocrine, and emotional effects of single doses of MDMA "
    "(125 mg), methylphenidate (60 mg), modafinil (600 mg), and placebo in a double-blind, cross-over study in 24 "
    "healthy participants."
)


def _mentions(text: str, *names: str) -> list[DrugMention]:
    return [DrugMention(text.index(n), text.index(n) + len(n), n) for n in names]


def test_the_design_sentence_counts_the_participants_and_lists_the_treatments() -> None:
    found = crossover(DESIGN, _mentions(DESIGN, "methylphenidate", "modafinil", "placebo"))
    assert found is not None
    assert found.participants == 24
    assert [d.name for d in found.treatments] == ["methylphenidate", "modafinil", "placebo"]


def test_a_switch_on_progression_or_a_type_2_diabetic_is_no_crossover_count() -> None:
    text = "Crossover to everolimus was permitted at progression in this randomised phase 3 trial of 724 patients."
    assert crossover(text, []) is None
    # PMC3733748 (Evidence Inference, title): 'type 2 diabetic patients' counts no one
    text = (
        "Effect of cilostazol on arterial stiffness in type 2 diabetic patients with metabolic syndrome: a "
        "randomised, double-blind, placebo-controlled, crossover trial."
    )
    found = crossover(text, [])
    assert found is not None and found.participants is None


def test_each_treatment_of_a_crossover_trial_is_an_arm_of_all_participants(
    extract: Callable[[str], ArticleRecord],
) -> None:
    record = extract(DESIGN)
    assert sorted((a.name, a.n) for a in record.arms) == [("methylphenidate", 24), ("modafinil", 24), ("placebo", 24)]
    # the treatments a sentence relates, not lists, are no arms (PMC1084341, methods)
    record = extract(
        "Ten healthy volunteers participated in a double blinded, randomised, placebo controlled, crossover "
        "laboratory study in order to determine whether a low dose of ketamine potentiated the antinociceptive "
        "effect of fentanyl."
    )
    assert record.arms == []
