"""Trial names and registry ids: real sentences from the seeds and the evidence-inference trials (even PMCIDs),
and acronyms, headings and abbreviations that are not trials."""

from __future__ import annotations

import re

import pytest

from extractor.nlp.components.trials import find_trials
from extractor.nlp.rules import trial_rules

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
    # evidence-inference trials: a long form or trial word names a trial outside oncology
    ("By contrast, the Heart Protection Study (HPS) involved large numbers of deaths", ["HPS"]),
    ("Limitation (REVIVAL) trial with 312 MI patients", ["REVIVAL"]),
    (
        "conducted between 2006 and 2013 in Sweden and Norway (NeoRes; EudraCTnr 2006-001785-16).",
        ["NeoRes", "EudraCT 2006-001785-16"],
    ),
    # registries beyond ClinicalTrials.gov; the registry's own name is no trial
    ("ABSTRACT.TRIAL REGISTRATION:\nClinicalTrials.gov NCT01695226.\n", ["NCT01695226"]),
    ("Current Controlled Trials ISRCTN48489393 BODY.INTRODUCTION:", ["ISRCTN48489393"]),
    ("registered with the Chinese Clinical Trial Registry (ChiCTR-OOC-14005709)", ["ChiCTR-OOC-14005709"]),
    ("UMIN Clinical Trials Registry (UMIN000008114), CTRI/2009/091/000099", ["UMIN000008114", "CTRI/2009/091/000099"]),
    # not trials: abbreviations of something else, committees and programmes, designs, section labels
    ("The State Malaria Control Programme (SMCP) and the Association of Community Pharmacists", []),
    ("a Phase IIa study in patients with asthma and a multiple ascending dose (MAD) study in healthy volunteers", []),
    ("4.5 and 8.5% for sVCAM-1, soluble intercellular adhesion molecule-1 (ICAM-1) and VCAM-1 levels", []),
    ("BODY.CONSOLIDATED STANDARDS OF REPORTING TRIALS (CONSORT) FLOW DIAGRAM OF PARTICIPANTS IN THE STUDY.", []),
    # a plural trial word names the trials of a list, not a lone class; a p value 'vs. placebo' names no arms
    ("Previously the ECOG and AVAiL trials [14–16] evaluated clinical outcomes", ["AVAiL"]),
    ("In the TZD trials [54–56], treatment duration ranged from ten weeks", []),
    ("43 (49.4%) 20 mg BID (P=0.001 vs. placebo) reported improvement", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_trials(text: str, expected: list[str]) -> None:
    assert [norm for _, _, _, norm in find_trials(text, trial_rules())] == expected


def test_citation_number_glued_to_a_trial_name_is_cut() -> None:
    # 002: "BOLERO-2" followed by the superscript reference 17, printed as "BOLERO-217"
    text = "The BOLERO-2 trial was positive. Updated BOLERO-217 results confirmed it."
    found = find_trials(text, trial_rules())
    assert [norm for *_, norm in found] == ["BOLERO-2", "BOLERO-2"]
    start, end, _, _ = found[1]
    assert text[start:end] == "BOLERO-2"


def test_weak_evidence_needs_a_trial_shaped_name_not_defined_as_something_else() -> None:
    # PMC2365957-like citations of earlier trials: 'results of X', 'X reported that', 'in X [n]'
    text = "48-week results of ALERT were similar. TELEX II reported that patients stabilized, as in LIFE [15]."
    assert [n for *_, n in find_trials(text, trial_rules())] == ["ALERT", "TELEX II", "LIFE"]
    defined = "history of acute lung injury (ALI). Results of ALI were poor in ALI [3]."
    assert find_trials(defined, trial_rules()) == []


def test_a_series_member_counts_beside_a_named_one() -> None:
    text = (
        "The BOLERO-2 trial was positive; BOLERO-6 compared everolimus with exemestane. Subgroups of BOLERO 2 agreed."
    )
    found = find_trials(text, trial_rules())
    assert [n for *_, n in found] == ["BOLERO-2", "BOLERO-6", "BOLERO-2"]
    assert find_trials("Ki-67 was read with the MIB-1 clone and ICAM-1 was measured.", trial_rules()) == []


def test_drug_mentions_are_not_trial_names() -> None:
    text = "The MDMA trial compared effects of MDMA with methylphenidate."
    assert [n for *_, n in find_trials(text, trial_rules())] == ["MDMA", "MDMA"]
    drugs = [(m.start(), m.end()) for m in re.finditer("MDMA", text)]
    assert find_trials(text, trial_rules(), not_names=drugs) == []
