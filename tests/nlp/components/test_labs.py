"""Lab values and vital signs: canonical analyte, value, normalized unit, SI value; thresholds are not values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from extractor import ArticleRecord, Extractor
from extractor.lexicons import iter_tsv, provenance
from extractor.nlp.components.labs import LabReader
from extractor.nlp.rules import lab_rules
from extractor.nlp.text.analytes import AnalyteMatcher, packaged_analytes
from extractor.record import LabValue


@pytest.fixture(scope="module")
def labs_of(extractor: Extractor) -> Callable[[str], list[LabValue]]:
    """The record's lab values, the pipeline run up to this issue's components."""
    names = extractor.nlp.pipe_names
    upstream = names[: names.index("extractor_patient") + 1]

    def run(text: str) -> list[LabValue]:
        with extractor.nlp.select_pipes(enable=upstream):
            return extractor.extract_text(text, name="snippet.txt").lab_values

    return run


def _v(analyte: str, value: float, unit: str, value_si: float | None, unit_si: str | None, **more: Any) -> Any:
    return (analyte, value, unit, value_si, unit_si, more.get("arm"), more.get("timepoint"))


LABS: list[tuple[str, list[Any]]] = [
    # 001_1fbf8c8289c92d00.txt: three values in one sentence, each to its own analyte
    (
        "Peripheral blood laboratory tests indicated pancytopenia. Her\nwhite blood cell (WBC) count was 4,100/μl, "
        "her hemoglobin\n(Hgb) level was 6.8 g/dl, and her platelet count was 92,000/μl.",
        [
            _v("white blood cell count", 4100, "/uL", 4.1, "10^9/L"),
            _v("hemoglobin", 6.8, "g/dL", 68.0, "g/L"),
            _v("platelet count", 92000, "/uL", 92.0, "10^9/L"),
        ],
    ),
    # 001: a value and its unit on two lines; an enzyme in SI (µkat/L)
    (
        "Her lactate dehydrogenase (LDH) was slightly elevated at 254\nU/l.",
        [_v("lactate dehydrogenase", 254, "U/L", 4.233, "ukat/L")],
    ),
    # 001: tumour markers, long name and abbreviation
    (
        "Her carcinoembryonic antigen (CEA) level was 27.8 ng/ml\nand her carbohydrate antigen 15-3 level was "
        "70.5 U/ml.",
        [_v("carcinoembryonic antigen", 27.8, "ng/mL", 27.8, "ug/L"), _v("ca 15-3", 70.5, "U/mL", 70.5, "kU/L")],
    ),
    # 000_0a971266401ee98e.txt: 'decreased from X ... to Y': two time points
    (
        "Three months later, the tumor size remained the same as the baseline, and serum CA15-3 levels decreased \n"
        "from 140.8 U/mL before everolimus administration to \n53.3 U/mL.",
        [_v("ca 15-3", 140.8, "U/mL", 140.8, "kU/L"), _v("ca 15-3", 53.3, "U/mL", 53.3, "kU/L")],
    ),
    # 001: 'from X to Y' printed as a range with one unit
    (
        "At nine months after treatment, her CEA level decreased from 27.8\nng/ml to 6.1 ng/ml.",
        [
            _v("carcinoembryonic antigen", 27.8, "ng/mL", 27.8, "ug/L"),
            _v("carcinoembryonic antigen", 6.1, "ng/mL", 6.1, "ug/L"),
        ],
    ),
    # 000: body temperature printed with NBSP
    (
        "However, in this period, the ulcer reached \nthe sternum, and the patient’s body temperature rose to \n"
        "38.4\u00a0 \u00b0C.",
        [_v("body temperature", 38.4, "°C", 38.4, "°C")],
    ),
    # 001: 'fever of', and the ring-above degree sign
    (
        "she felt severe fatigue and had a high\nfever of almost 38.5˚C every day.",
        [_v("body temperature", 38.5, "°C", 38.5, "°C")],
    ),
    # 001: a vital sign
    ("Her heart rate was 114\nbeats/min.", [_v("heart rate", 114, "beats/min", 114.0, "/min")]),
    # evidence_inference (txt_files): group summaries; HbA1c in % has no SI value; mass to molar units with pint
    (
        "The mean glycated hemoglobin (HbA1c) level was 7.1%, mean systolic and diastolic pressure was 131.2/78.2 "
        "mmHg, respectively, mean total cholesterol was 155.2 mg/dL.",
        [
            _v("hba1c", 7.1, "%", None, None),
            _v("systolic blood pressure", 131.2, "mmHg", 17.49, "kPa"),
            _v("diastolic blood pressure", 78.2, "mmHg", 10.43, "kPa"),
            _v("total cholesterol", 155.2, "mg/dL", 4.014, "mmol/L"),
        ],
    ),
    # evidence_inference: the arm of a group value
    (
        "the average total cholesterol concentration during the trial was 3.5 mmol/L in the simvastatin group "
        "compared to 4.",
        [_v("total cholesterol", 3.5, "mmol/L", 3.5, "mmol/L", arm="simvastatin")],
    ),
    # evidence_inference: thresholds and criteria are not measurements
    (
        "serum triglyceride level ≥150 mg/dL, HDL-cholesterol (HDL-C) levels <40 mg/dL in men and <50 mg/dL in "
        "women, impaired fasting glucose ≥100 mg/dL or anti-diabetic treatment, and blood pressure ≥130/85 mmHg",
        [],
    ),
    (
        "The exploratory endpoints also included the proportion of patients who achieved a therapeutic glycemic "
        "response defined as HbA1c <7.0% at week 102.",
        [],
    ),
    # evidence_inference: changes are differences, not levels
    ("The mean change in haemoglobin between Day 0 and Day 28 was 0.5 g/dL (range: -4.1 to 3.2).", []),
    ("At week 102, the adjusted mean change from baseline in HbA1c was 0.02% (95% CI: -0.1 to 0.2).", []),
    # evidence_inference (txt_files): differences, restated values, targets, ranges and SDs are not results
    (
        "in previous trials of statin treatment, LDL cholesterol was typically reduced by about 1.0 mmol/L (38 mg/dl) "
        "and major vascular events reduced by about 25%",
        [],
    ),
    (
        "Observational studies have found blood total cholesterol concentrations below about 4.0 mmol/L (155 mg/dL) "
        "to be associated with higher rates of mortality",
        [],
    ),
    (
        "all patients received insulin therapy according to a standardised protocol designed to maintain blood "
        "glucose concentrations between 6 and 8 mmol/l [16,21].",
        [],
    ),
    ("At Day 28, creatinine ranged from 0.4 to 2.0 mg/dL and ALT from 2.", []),
    ("for systolic BP (assuming a standard deviation of 14 mmHG) and a 27 mg/dL difference in LDL cholesterol", []),
    ("45% (55/123) had a temperature over 37.5 °C at baseline versus 32% (39/123) for Cotrifazid", []),
    # a printed reference range is not a result
    ("CA15-3 was 45 U/mL (normal range 0-25 U/mL).", [_v("ca 15-3", 45, "U/mL", 45.0, "kU/L")]),
    (
        "CEA (upper limit of normal 5 ng/mL) was 12.4 ng/mL.",
        [_v("carcinoembryonic antigen", 12.4, "ng/mL", 12.4, "ug/L")],
    ),
    # an absurd value is skipped (a platelet count of 10^12/uL is 10^15 per litre)
    ("her platelet count was 1000000000000/μl", []),
    # doses are not lab values (004_21708132cfbc400b.txt)
    ("initiation of everolimus at 10 mg/day and exemestane at 25 mg/day", []),
    # case-report prose beyond oncology (the kinds issue 16 lists): a normal value, thousands per microlitre,
    # a coagulation time in seconds, eye and heart measurements, spirometry
    ("Her hemoglobin was normal with a value of 13.5 g/dL.", [_v("hemoglobin", 13.5, "g/dL", 135.0, "g/L")]),
    (
        "Laboratory tests showed white cells of 11.2 × 1000/μL and platelets of 250 × 1000/μL.",
        [
            _v("white blood cell count", 11.2, "10^3/uL", 11.2, "10^9/L"),
            _v("platelet count", 250, "10^3/uL", 250.0, "10^9/L"),
        ],
    ),
    (
        "The prothrombin time was slightly elevated at 15.2 sec and the aPTT was 38 s.",
        [
            _v("prothrombin time", 15.2, "s", 15.2, "s"),
            _v("activated partial thromboplastin time", 38, "s", 38.0, "s"),
        ],
    ),
    (
        "Intraocular pressure was 28 mmHg in the right eye; central macular thickness decreased to 310 microns.",
        [
            _v("intraocular pressure", 28, "mmHg", 3.733, "kPa"),
            _v("central macular thickness", 310, "um", 310.0, "um"),
        ],
    ),
    (
        "LVEF was 35% and FEV1 1.25 L, FVC 2.1 L; CD4+ count was 171 cells/mm3.",
        [
            _v("left ventricular ejection fraction", 35, "%", 35.0, "%"),
            _v("fev1", 1.25, "L", 1.25, "L"),
            _v("fvc", 2.1, "L", 2.1, "L"),
            _v("cd4+ cell count", 171, "/mm3", 0.171, "10^9/L"),
        ],
    ),
    # a difference or an effect is not a level: weight loss, an improvement, a confidence interval, an effect size
    ("Mean body weight was 85.2 kg; a weight loss of 3.2 kg followed.", [_v("body weight", 85.2, "kg", 85.2, "kg")]),
    ("an improvement in FEV1 of 0.06 L (95% CI: 0.01 L, 0.10 L) and an effect size of 130 ml", []),
]


@pytest.mark.parametrize(("text", "expected"), LABS)
def test_lab_values(labs_of: Callable[[str], list[LabValue]], text: str, expected: list[Any]) -> None:
    got = [
        (v.analyte, v.value, v.unit, v.value_si and round(v.value_si, 3), v.unit_si, v.arm, v.timepoint)
        for v in labs_of(text)
    ]
    assert got == expected


def test_a_restated_value_is_listed_once(labs_of: Callable[[str], list[LabValue]]) -> None:
    # 001: baseline CEA stated, then restated as the start of a decrease
    text = (
        "Her carcinoembryonic antigen (CEA) level was 27.8 ng/ml. At nine months after treatment, her CEA level "
        "decreased from 27.8\nng/ml to 6.1 ng/ml."
    )
    assert [v.value for v in labs_of(text)] == [27.8, 6.1]


def test_raw_is_the_printed_value(labs_of: Callable[[str], list[LabValue]]) -> None:
    (value,) = labs_of("Her\nwhite blood cell (WBC) count was 4,100/μl.")  # 001
    assert value.raw == "4,100/μl"
    assert value.span.text.startswith("WBC")


@pytest.mark.parametrize(
    ("text", "analyte"),
    [
        ("Hb", "hemoglobin"),
        ("Hgb", "hemoglobin"),
        ("haemoglobin", "hemoglobin"),
        ("WBC", "white blood cell count"),
        ("PLT", "platelet count"),
        ("platelets", "platelet count"),
        ("CA 15-3", "ca 15-3"),
        ("carbohydrate antigen 15-3", "ca 15-3"),
        ("ALT", "alanine aminotransferase"),
        ("SpO2", "oxygen saturation"),
        ("HbA1c", "hba1c"),
        ("IOP", "intraocular pressure"),
        ("LVEF", "left ventricular ejection fraction"),
        ("FEV1", "fev1"),
        ("CK-MB", "ck-mb"),
        ("eGFR", "glomerular filtration rate"),
        ("CD4+ count", "cd4+ cell count"),
        ("aPTT", "activated partial thromboplastin time"),
        ("white cells", "white blood cell count"),
        ("BMI", "body mass index"),
        ("CSF Aβ42", "amyloid beta 1-42"),
        ("Aβ1-40", "amyloid beta 1-40"),
        ("t-tau", "total tau"),
        ("p-tau181", "phosphorylated tau"),
    ],
)
def test_analyte_synonyms(text: str, analyte: str) -> None:
    matcher = AnalyteMatcher(packaged_analytes())
    assert [m.analyte.canonical for m in matcher.find(f"the {text} level")] == [analyte]


def test_abbreviations_match_case_sensitively() -> None:
    matcher = AnalyteMatcher(packaged_analytes())
    assert matcher.find("the alt key, a plt of land, hb") == []


@pytest.mark.parametrize(
    "text",
    ["Hb 1..5 g/dL", "platelets 10 mg/m2/", "WBC 4100/furlongs", "CEA ng/mL", "temperature 38..5 °C"],
)
def test_malformed_input_gives_no_item_and_no_exception(text: str) -> None:
    assert LabReader(text, AnalyteMatcher(packaged_analytes()), lab_rules()).values() == []


def test_every_analyte_has_a_readable_si_unit() -> None:
    from extractor.nlp.quantities import parse_unit

    assert all(parse_unit(a.unit_si) is not None for a in packaged_analytes())


def test_lexicons_carry_provenance() -> None:
    for name in ("analytes.tsv", "lab_rules.json"):
        meta = provenance(name)
        assert meta.get("source") and meta.get("licence"), name
    assert len(list(iter_tsv("analytes.tsv"))) == len(packaged_analytes())


ExtractJats = Callable[[str], ArticleRecord]  # the `extract_jats` fixture (conftest)


# PMC3580400 (Baum et al., CC BY), Table 2 as printed: levels at baseline and week 24 beside their change. The
# change is the trial's outcome; the levels at each visit are lab values, per arm and time point.
LEVELS_AND_CHANGE = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Biomarkers are given in Table 2.</p>
<table-wrap id="T2"><label>Table 2</label><caption><p>Mean baseline, week 24, and change in clinical and biochemical
measures.</p></caption><table><thead>
<tr><td/><td colspan="3">Placebo (n = 11)</td><td colspan="3">4 gm/day Curcumin (n = 10)</td><td/></tr>
<tr><td/><td>baseline</td><td>week 24</td><td>change</td><td>baseline</td><td>week 24</td><td>change</td><td/></tr>
</thead><tbody>
<tr><td>Plasma A&#x003b2;42 (pg/mL)</td><td>28.7 (11.2)</td><td>31.4 (13.5)</td><td>2.7 (4.5)</td><td>29.6 (4.8)</td>
<td>30.5 (6.7)</td><td>0.9 (3.5)</td><td>P = 0.98</td></tr>
</tbody></table></table-wrap></sec></body></article>"""


def test_levels_beside_their_change_are_lab_values_and_the_change_an_outcome(
    extract_jats: Callable[[str], ArticleRecord],
) -> None:
    record = extract_jats(LEVELS_AND_CHANGE)
    labs = {(lab.analyte, lab.value, lab.timepoint) for lab in record.lab_values}
    assert {("amyloid beta 1-42", 28.7, "baseline"), ("amyloid beta 1-42", 31.4, "week 24")} <= labs
    assert {(o.value, o.measure) for o in record.outcomes} == {(2.7, "mean change"), (0.9, "mean change")}


# PMC1174877 (Derosa et al., CC BY), Table 1 as printed: rows counted in n under 'Metabolic syndrome components
# (n)', then a row printing its own unit, which measures rather than counts
COUNTED_THEN_MEASURED = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Baseline characteristics are given in Table 1.</p>
<table-wrap id="T1"><label>Table 1</label><caption><p>Baseline characteristics of patients</p></caption>
<table><thead><tr><td/><td>Losartan</td><td>Telmisartan</td><td>p</td></tr></thead><tbody>
<tr><td colspan="4">Metabolic syndrome components (n)</td></tr>
<tr><td>3</td><td>11</td><td>10</td><td>NS</td></tr>
<tr><td>Total cholesterol (mg/dl)</td><td>212.6 &#x000b1; 45.8</td><td>209.6 &#x000b1; 50.8</td><td>NS</td></tr>
</tbody></table></table-wrap></sec></body></article>"""


def test_a_row_with_its_own_unit_under_a_counted_section_is_a_lab_value(
    extract_jats: Callable[[str], ArticleRecord],
) -> None:
    labs = {(lab.analyte, lab.value, lab.arm) for lab in extract_jats(COUNTED_THEN_MEASURED).lab_values}
    assert labs == {("total cholesterol", 212.6, "losartan"), ("total cholesterol", 209.6, "telmisartan")}


# PMC3606470 (Bailey et al., CC BY), Table 1 as printed (first rows): 'Baseline (SD)' under 'HbA1c (%):' is the
# analyte's baseline level, a lab value per arm; the '(%)' of its section is HbA1c's unit, not a count of people
QUALIFIER_UNDER_PERCENT = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Efficacy is given in Table 1.</p>
<table-wrap id="T1"><label>Table 1</label><caption><p>Change from baseline in efficacy parameters</p></caption>
<table><tbody><tr><td/><td>Placebo + metformin (n = 137)</td><td>Dapagliflozin 10 mg + metformin (n = 135)</td></tr>
<tr><td>HbA1c (%):</td><td/><td/></tr>
<tr><td>Baseline (SD)</td><td>8.12 (0.96)</td><td>7.92 (0.82)</td></tr>
</tbody></table></table-wrap></sec></body></article>"""


def test_a_qualifier_row_under_a_percent_unit_is_its_sections_level(
    extract_jats: Callable[[str], ArticleRecord],
) -> None:
    labs = {(lab.analyte, lab.value, lab.sd, lab.timepoint) for lab in extract_jats(QUALIFIER_UNDER_PERCENT).lab_values}
    assert labs == {("hba1c", 8.12, 0.96, "baseline"), ("hba1c", 7.92, 0.82, "baseline")}
