"""Adverse events read by the pipeline from real seed snippets: frequencies, grades, arms, attributions, negation."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import ArticleRecord
from extractor.nlp.components.adverse_events import AdverseEventExtractor
from extractor.nlp.pipeline import load_pipeline
from extractor.nlp.result_values import TextView
from extractor.nlp.rules import ae_cues
from extractor.nlp.text.adverse_event_terms import TermMatcher, default_terms, read_grade

Row = tuple[str, str | None, float | None, int | None, str | None]  # event, grade, percent, n, drug-or-arm

CASES: list[tuple[str, list[Row]]] = [
    # 004_21708132cfbc400b.txt: n and % per term; 'each reported in one patient (1.4%)' covers the whole list
    (
        (
            "The most frequently reported treatment-related side effect was fatigue (\nn = 14, 20.0%), "
            "followed by skin-related toxicity (\nn = 6, 8.6%) and stomatitis (\nn = 4, 5.7%). Other "
            "less common adverse events included diarrhea (\nn = 3, 4.3%), allergic reactions (\nn = "
            "2, 2.9%), and hematologic toxicity (\nn = 1, 1.4%). Edema, pneumonitis, and hematologic "
            "toxicity were each reported in one patient (1.4%)."
        ),
        [
            ("fatigue", "all", 20.0, 14, None),
            ("skin toxicity", "all", 8.6, 6, None),
            ("stomatitis", "all", 5.7, 4, None),
            ("diarrhea", "all", 4.3, 3, None),
            ("allergic reaction", "all", 2.9, 2, None),
            ("hematologic toxicity", "all", 1.4, 1, None),
            ("edema", "all", 1.4, 1, None),
            ("pneumonitis", "all", 1.4, 1, None),
        ],
    ),
    # 004: negated ('no adverse events were reported') -> no item
    ("Among the 70 patients included in the analysis, no adverse events were reported in 38 patients (54.3%).", []),
    # 000_0a971266401ee98e.txt: 'it can result in ... including X, Y' attributes the list to the drug named before
    (
        (
            "Despite the high efficacy of everolimus \nfor treating HR-positive advanced breast cancer, "
            "it can \nresult in serious adverse effects, including intersti-\ntial pneumonia, infections, "
            "stomatitis, delayed wound \n healing, and hyperglycemia"
        ),
        [
            ("pneumonitis", None, None, None, "everolimus"),
            ("infection", None, None, None, "everolimus"),
            ("stomatitis", None, None, None, "everolimus"),
            ("delayed wound healing", None, None, None, "everolimus"),
            ("hyperglycemia", None, None, None, "everolimus"),
        ],
    ),
    # 000: 'X often causes Y' and 'Y induced by X' are one fact
    (
        (
            "Denosumab, a monoclonal antibody against receptor \nactivator of nuclear factor κB ligand, "
            "often causes oste-\nonecrosis of the jaw, which is promoted by bone infection \n[13]. The "
            "etiology of osteonecrosis of the jaw"
        ),
        [("osteonecrosis of the jaw", None, None, None, "denosumab")],
    ),
    # 000: a case event on the regimen the patient was taking (n=1, no drug attribution)
    (
        (
            "Here, we report the case of a patient with recurrent breast cancer \nwho developed osteomyelitis "
            "during the treatment with everolimus plus exemestane."
        ),
        [("osteomyelitis", None, None, 1, "everolimus + exemestane")],
    ),
    # 001_1fbf8c8289c92d00.txt: 'numbness, which was an adverse effect of docetaxel'
    (
        (
            "After eight cycles of docetaxel, the patient was transitioned\nto hormone treatment, with "
            "exemestane because numbness,\nwhich was an adverse effect of docetaxel"
        ),
        [("peripheral neuropathy", None, None, None, "docetaxel")],
    ),
]


@pytest.fixture(scope="module")
def records(extract: Callable[[str], ArticleRecord]) -> dict[str, ArticleRecord]:
    return {text: extract(text) for text, _ in CASES}


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_adverse_events(records: dict[str, ArticleRecord], text: str, expected: list[Row]) -> None:
    got = [(a.event, a.grade, a.percent, a.n, a.drug or a.arm) for a in records[text].adverse_events]
    assert got == expected


# 002_e5b7ac3fa1a98ba6.txt: pairs over the trial's arms, the sentence's grade, summary events, a count
BOLERO_2 = (
    "Everolimus\nIn the BOLERO-2 (exemestane + everolimus versus exemes-\n\ntane + placebo), "
    "serious adverse events related to study treat-\n\nment were much more frequent in the everolimus "
    "arm (12% \n\nversus 1%).17 Also, a higher percentage of patients discontinued \n\neverolimus "
    "compared with placebo in the control group because \n\nof adverse events (19% versus 4%) "
    "or withdrawal of consent \n\n(5% versus 2%). Seven deaths were attributed to treatment in "
    "the \n\neverolimus arm. The most common grade 3 or 4 adverse events \n\nwere stomatitis "
    "(8% versus 1%), anemia (6% versus ,1%), \n\ndyspnea (4% versus 1%), hyperglycemia (4% versus "
    ",1%), \n\nfatigue (4% versus 1%), and pneumonitis (3% versus 0%)."
)


def test_trial_paragraph(extract: Callable[[str], ArticleRecord]) -> None:
    got = [(a.event, a.grade, a.percent, a.n, a.arm, a.study) for a in extract(BOLERO_2).adverse_events]
    assert got[:5] == [
        ("serious adverse event", None, 12.0, None, "exemestane + everolimus", "BOLERO-2"),
        ("serious adverse event", None, 1.0, None, "placebo + exemestane", "BOLERO-2"),
        ("adverse event leading to discontinuation", None, 19.0, None, "exemestane + everolimus", "BOLERO-2"),
        ("adverse event leading to discontinuation", None, 4.0, None, "placebo + exemestane", "BOLERO-2"),
        ("treatment-related death", None, None, 7, "exemestane + everolimus", "BOLERO-2"),
    ]
    assert ("anemia", "3-4", 1.0, None, "placebo + exemestane", "BOLERO-2") in got  # ',1' read as '<1'
    assert ("pneumonitis", "3-4", 0.0, None, "placebo + exemestane", "BOLERO-2") in got


# 002: grades printed inside the parentheses; 'but not ... (<1% versus 1%)' prints a frequency, so it stays
GRADES = (
    "Several grade 3 toxicities were also \n\nmore frequent in the everolimus arm, and included "
    "stomatitis \n\n(13% versus 1%), fatigue (12% versus 4%), diarrhea (4% \n\nversus 1%), hyperglycemia "
    "(grade 3, 4% versus 2%; grade \n\n4, 2% versus 1%), and nausea (3% versus 1%), but not non-\n"
    "\ninfectious pneumonitis (,1% versus 1%)."
)


def test_inner_grades(extract: Callable[[str], ArticleRecord]) -> None:
    got = [(a.event, a.grade, a.percent) for a in extract(GRADES).adverse_events if a.event == "hyperglycemia"]
    assert got == [("hyperglycemia", "3", 4.0), ("hyperglycemia", "3", 2.0), ("hyperglycemia", "4", 2.0), (
        "hyperglycemia", "4", 1.0)]  # fmt: skip


def test_table_rows(extract: Callable[[str], ArticleRecord]) -> None:
    from tests.nlp.text.test_table_grids import TABLE_2

    # the table names its trials; the text around it says they are trials (a header alone is no evidence)
    evidence = "Everolimus was approved based on the results of BOLERO-2 (Breast cancer trials of OraL EveROlimus).\n\n"
    items = extract(evidence + TABLE_2).adverse_events
    bolero_2 = [(a.event, a.grade, a.percent, a.arm) for a in items if a.study == "BOLERO-2" and a.event == "cough"]
    assert bolero_2 == [
        ("cough", "all", 26.0, "exemestane + everolimus"),
        ("cough", "3-4", 1.0, "exemestane + everolimus"),
        ("cough", "all", 12.0, "placebo + exemestane"),
        ("cough", "3-4", 0.0, "placebo + exemestane"),
    ]
    # 4 rows x 5 studies x 2 arms x 2 grades, less the 'NR' cells (Diarrhea 4, Cough 12, Pneumonitis 4)
    assert len(items) == 80 - 20 and all(a.span.text for a in items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grade 3–4", "3-4"),
        ("grade 3 or 4 adverse events", "3-4"),
        ("All grade", "all"),
        ("grade ≥3", "≥3"),
        ("grade 2", "2"),
    ],
)
def test_read_grade(text: str, expected: str) -> None:
    assert read_grade(text, re.compile(ae_cues().grade, re.I)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stomatitis/mucositis", ["stomatitis"]),  # 002, a table row label pairing two terms
        ("mucositis/stomatitis (26% versus 4%)", ["stomatitis"]),  # 002
        ("interstitial pneumonia, infections", ["pneumonitis", "infection"]),  # 000
        ("hyperglycaemia and asthenia", ["hyperglycemia", "fatigue"]),
        ("but not non- infectious pneumonitis", ["pneumonitis"]),  # 002, after the PDF line-break hyphen
        ("mouth ulceration", ["mouth ulceration"]),
        # PMC3580400 (Evidence Inference): a lay word for a CTCAE term, the longer name before 'pain'
        ("Joint pain was reported at 15% of visits", ["arthralgia"]),
        ("itching and heartburn", ["pruritus", "dyspepsia"]),
    ],
)
def test_terms(text: str, expected: list[str]) -> None:
    assert [t.event for t in TermMatcher(default_terms()).find(TextView.of(text).text)] == expected


@pytest.mark.slow
def test_round_trip_keeps_lexicon(tmp_path: Path) -> None:
    nlp = load_pipeline()
    component = nlp.get_pipe("extractor_adverse_events")
    assert isinstance(component, AdverseEventExtractor)
    component.to_disk(tmp_path / "ae")
    rows_before = list(component.rows)
    component.rows = []
    component.from_disk(tmp_path / "ae")
    assert component.rows == rows_before and component.matcher.find("stomatitis")


# Events no lexicon term covers: the NER model's disease spans are candidates, the same cues decide.
@pytest.mark.parametrize(
    ("text", "event", "drug_or_arm"),
    [
        ("Severe hepatocellular dysfunction developed after cyproterone acetate therapy.", "hepatocellular dysfunction",
         "cyproterone acetate"),
        ("Two weeks later she developed nodulosis during methotrexate therapy.", "nodulosis", "methotrexate"),
    ],
)  # fmt: skip
def test_model_diseases_become_events_with_a_cue(
    extract: Callable[[str], ArticleRecord], text: str, event: str, drug_or_arm: str
) -> None:
    assert [(a.event, a.drug or a.arm) for a in extract(text).adverse_events] == [(event, drug_or_arm)]


def test_treated_conditions_and_uncued_diseases_are_no_events(extract: Callable[[str], ArticleRecord]) -> None:
    text = "She had metastatic breast cancer and chronic nodulosis before receiving methotrexate."
    assert extract(text).adverse_events == []


# Statements that an event did not occur are zero counts (Evidence Inference texts, CC BY): each arm named,
# every arm when the sentence speaks of all of them, the study when it names none; a count of those without
# the event ('a higher percentage of no vomiting') is an outcome, not a zero count.
NONE_OCCURRED = [
    (
        # PMC1065065
        "Patients were randomized to receive lornoxicam or placebo. Intravenous lornoxicam was well tolerated by "
        "all patients, and no side effects were noted during or after administration of lornoxicam.",
        [("any adverse event", 0, "lornoxicam")],
    ),
    (
        # PMC3606470
        "Most events were mild to moderate in intensity. No events of pyelonephritis were reported.",
        [("kidney infection", 0, None)],
    ),
    (
        # PMC2649924 (the allocation sentence shortened)
        "Patients were randomly assigned to magnesium sulphate (group 1) or amiodarone (group 2). No side effects "
        "of the drugs were observed.",
        [("any adverse event", 0, "magnesium sulfate"), ("any adverse event", 0, "amiodarone")],
    ),
    (
        # PMC5851005
        "During the OP, a higher percentage of no vomiting was reported in the aprepitant regimen group than in "
        "the standard regimen group.",
        [],
    ),
    # PMC1386666 and others: 'no adverse effect on' an endpoint is no adverse event
    ("There was no adverse effect on non-vascular mortality among the 5806 participants.", []),
]


@pytest.mark.parametrize(("text", "expected"), NONE_OCCURRED)
def test_none_occurred_is_a_zero_count(
    extract: Callable[[str], ArticleRecord], text: str, expected: list[tuple[str, int, str | None]]
) -> None:
    got = [(a.event, a.n, a.arm) for a in extract(text).adverse_events if a.n == 0 or not expected]
    assert got == expected


# PMC1386666 (Balanag et al., Respiratory Research 2006, CC BY), Table 3 as printed: '0' under an arm is no patient
AE_TABLE = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Adverse events are listed in Table 3.</p>
<table-wrap id="T3"><label>Table 3</label><caption><p>Most commonly reported adverse events in patients treated
with formoterol or budesonide/formoterol</p></caption><table><thead><tr><td>Preferred term</td>
<td>Formoterol (n = 57)</td><td>Budesonide/formoterol (n = 58)</td></tr></thead><tbody>
<tr><td>Tremor</td><td>4 (7)</td><td>4 (7)</td></tr>
<tr><td>Tachycardia</td><td>2 (4)</td><td>0</td></tr>
<tr><td>Chest pain</td><td>0</td><td>1 (2)</td></tr></tbody></table>
<table-wrap-foot><p>The number (%) of patients with each adverse event is given.</p></table-wrap-foot></table-wrap>
</sec></body></article>"""


def test_a_zero_cell_is_no_patient_of_that_arm(extract_jats: Callable[[str], ArticleRecord]) -> None:
    got = {(a.event, a.arm): (a.n, a.percent) for a in extract_jats(AE_TABLE).adverse_events}
    assert got[("tachycardia", "formoterol")] == (2, 4.0)
    assert got[("tachycardia", "budesonide + formoterol")] == (0, None)
    assert got[("chest pain", "formoterol")] == (0, None)
    assert got[("chest pain", "budesonide + formoterol")] == (1, 2.0)


def test_the_most_common_adverse_event_and_its_comparison(extract: Callable[[str], ArticleRecord]) -> None:
    # PMC1913915 (Respiratory Research 2007, CC BY): the frequency after 'adverse event' is the subject's, and
    # '(5.5%) compared with placebo (1.5%)' continues it for the other arm
    text = (
        "Patients were randomized to tiotropium or placebo. Dry mouth was the most frequently reported drug-related "
        "adverse event that was higher in the tiotropium group (5.5%) compared with placebo (1.5%)."
    )
    got = [(a.event, a.percent, a.arm) for a in extract(text).adverse_events]
    assert got == [("dry mouth", 5.5, "tiotropium"), ("dry mouth", 1.5, "placebo")]


@pytest.mark.parametrize(
    "text",
    [
        # PMC2649924 and PMC3606470 (Evidence Inference, CC BY): the ends of a range are no frequency of one group
        "The incidence of postoperative arrhythmias has been reported to be 11–54% and ventricular arrhythmia to be "
        "1.8–13%.",
        "Evidence suggestive of genital infection was reported in 11.7% to 14.6% of dapagliflozin patients.",
    ],
)
def test_a_range_of_percentages_is_no_frequency(extract: Callable[[str], ArticleRecord], text: str) -> None:
    assert [a for a in extract(text).adverse_events if a.percent is not None] == []
