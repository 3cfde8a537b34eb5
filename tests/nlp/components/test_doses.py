"""Doses and regimens: each amount tied to its drug, with unit, body-size basis, schedule, route; dose changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from extractor import Extractor
from extractor.lexicons import provenance
from extractor.nlp.components.doses import (
    find_amounts,
    find_cues,
    find_duration,
    find_frequency,
    find_route,
    packaged_rules,
    split_dose_unit,
)
from extractor.nlp.quantities import parse_unit
from extractor.record import Dose

Expected = dict[str, Any]


@pytest.fixture(scope="module")
def doses_of(extractor: Extractor) -> Callable[[str], list[Dose]]:
    """The record's doses, the pipeline run up to this issue's components (later ones are not needed)."""
    names = extractor.nlp.pipe_names
    upstream = names[: names.index("extractor_patient") + 1]

    def run(text: str) -> list[Dose]:
        with extractor.nlp.select_pipes(enable=upstream):
            return extractor.extract_text(text, name="snippet.txt").doses

    return run


def _d(drug: str, amount: float, unit: str, **fields: Any) -> Expected:
    return {"drug": drug, "amount": amount, "unit": unit, **fields}


DOSES: list[tuple[str, list[Expected]]] = [
    # 000_0a971266401ee98e.txt: radiation dose and fractions
    (
        "Radiotherapy was performed on the affected sternum, superior mediastinum, and right supraclavicular fossa "
        "at a dose of 60\u00a0Gy in 30 daily fractions.",
        [_d("radiotherapy", 60, "Gy", frequency="30 fractions")],
    ),
    # 001_1fbf8c8289c92d00.txt: a coordination; the schedule printed after the last dose applies to both
    (
        "systemic therapy was initiated with doxorubicin (90 mg/m2)\nand cyclophosphamide (600 mg/m2) every three "
        "weeks.",
        [
            _d("doxorubicin", 90, "mg", per="m2", frequency="every 3 weeks"),
            _d("cyclophosphamide", 600, "mg", per="m2", frequency="every 3 weeks"),
        ],
    ),
    # 002_e5b7ac3fa1a98ba6.txt: the drug is the subject, not the drug of 'an analog of sirolimus'
    (
        "Ridaforolimus is an analog of sirolimus and has been admin-\n\nistered orally in breast cancer trials at a "
        "dose of 40 mg/day for \n\n5 days per week.",
        [_d("ridaforolimus", 40, "mg", frequency="daily, 5 days per week", route="oral")],
    ),
    # 002: two amounts listed for one drug; schedule and route before them
    (
        "Temsirolimus weekly as a 30-minute intravenous infusion \n\nat a dose of 75 mg or 250 mg was evaluated in a "
        "random-\n\nized, open-label trial in 109 patients",
        [
            _d("temsirolimus", 75, "mg", frequency="weekly", route="iv"),
            _d("temsirolimus", 250, "mg", frequency="weekly", route="iv"),
        ],
    ),
    # 002, Table 1 flattened: each dose its own drug and schedule
    (
        "Letrozole 2.5 mg daily,  \ntemsirolimus 30 mg daily,  \n5 days every 2 weeks or  \nletrozole 2.5 mg "
        "daily +  \nplacebo",
        [
            _d("letrozole", 2.5, "mg", frequency="daily"),
            _d("temsirolimus", 30, "mg", frequency="daily, 5 days every 2 weeks"),
        ],
    ),
    # 002, Table 1: body-size bases and a per-time unit
    (
        "Vinorelbine 25 mg/m² weekly +  \ntrastuzumab 2 mg/kg/week +  \neverolimus 5 mg daily or  \nvinorelbine "
        "25 mg/m² weekly +  \ntrastuzumab 2 mg/kg/week +  \nplacebo",
        [
            _d("vinorelbine", 25, "mg", per="m2", frequency="weekly"),
            _d("trastuzumab", 2, "mg", per="kg", frequency="weekly"),
            _d("everolimus", 5, "mg", frequency="daily"),
        ],
    ),
    # 002, Table 1: 'Exemestane 25 mg daily + everolimus 10 mg daily'
    (
        "Exemestane 25 mg daily +  \neverolimus 10 mg daily or \nexemestane 25 mg daily +  \nplacebo",
        [_d("exemestane", 25, "mg", frequency="daily"), _d("everolimus", 10, "mg", frequency="daily")],
    ),
    # 002: a schedule word before the drug; a second dose of the same drug inside parentheses
    (
        "were randomized to receive weekly paclitaxel (80 mg/m²) \n\nwith or without everolimus (5 mg daily after a "
        "stepwise dose \n\nescalation starting from 2.5 mg every other day; daily full \n\ndose starting day 13) for "
        "12 weeks.",
        [
            _d("paclitaxel", 80, "mg", per="m2", frequency="weekly"),
            _d("everolimus", 5, "mg", frequency="daily"),
            _d("everolimus", 2.5, "mg", frequency="every other day"),
        ],
    ),
    # 002: the drug after its dose
    (
        "we consider high-dose corticosteroid \n\ntherapy (at least 1 mg/kg/day methylprednisolone) because",
        [_d("methylprednisolone", 1, "mg", per="kg", frequency="daily")],
    ),
    # 002: a range
    (
        "maximum everolimus \n\nconcentrations are reached 1–2 hours after administering \n\n5–70 mg oral doses",
        [_d("everolimus", 5, "mg", amount_max=70, route="oral")],
    ),
    # 004_21708132cfbc400b.txt: an elliptical coordination shares the route
    (
        "Everolimus was administered orally at a daily dose of 10 mg, and exemestane at 25 mg once daily, following "
        "the dosing strategy adopted in the BOLERO-2 trial.",
        [
            _d("everolimus", 10, "mg", frequency="daily", route="oral"),
            _d("exemestane", 25, "mg", frequency="daily", route="oral"),
        ],
    ),
    # PHEE (phee_dev_test.subset.jsonl, 'voriconazole'): schedule words between dose and drug
    (
        "Coadministration of 200 mg bid voriconazole with 400 mg (or higher) qd efavirenz is contraindicated due to "
        "the clinically significant effect of efavirenz on voriconazole pharmacokinetics.",
        [_d("voriconazole", 200, "mg", frequency="twice daily"), _d("efavirenz", 400, "mg", frequency="daily")],
    ),
    # PHEE ('tirapazamine'): 'mg/m(2)' as PubMed prints it
    (
        "Patients with previously untreated NSCLC were randomized to receive either tirapazamine (390 mg/m(2) "
        "infused over 2 hours) followed 1 hour later by cisplatin (75 mg/m(2) over 1 hour)",
        [_d("tirapazamine", 390, "mg", per="m2"), _d("cisplatin", 75, "mg", per="m2")],
    ),
    # PHEE ('flecainide'): the new dose after a reduction is a dose too
    (
        "Paroxetine was discontinued and the dose of flecainide was reduced to 50 mg twice daily.",
        [_d("flecainide", 50, "mg", frequency="twice daily")],
    ),
    # PHEE ('warfarin'): the drug named before 'dose', not the drug nearest the amount
    (
        "The mean weekly warfarin dose while the patient was receiving emtricitabine monotherapy was 13.3 mg (95% "
        "CI 12.7 to 13.8), with a mean international normalized ratio (INR) of 2.8 (95% CI 2.5 to 3.1).",
        [_d("warfarin", 13.3, "mg")],
    ),
    # 003_a421c88d45a70224.txt: a transfusion is not a drug dose
    ("After transfusion of 4 units of concentrated red blood cells, endocrine treatment with letrozole improved", []),
    # 001: lab values are not doses
    ("The patient presented with increased fatigue and\nher hemoglobin level was 6.7 g/dl.", []),
    # evidence_inference (txt_files): limits in eligibility criteria are not doses given
    (
        "Exclusionary medications included aspirin at doses greater than 325 mg/day, use of non-steroidal "
        "anti-inflammatory drugs more than three times a week",
        [],
    ),
    (
        "with the exception of low-dose acetylsalicylic acid (<350 mg/day) for cardiac protection.",
        [],
    ),
    # evidence_inference (PMC2365957): a fixed combination's amounts, one per drug in the order written
    (
        "All enrolled patients were randomly assigned to one of two regimens for 48 weeks: FPV/r 1400 mg/100 mg QD "
        "+ TDF 300 mg/FTC 200 mg QD",
        [
            _d("fosamprenavir", 1400, "mg"),
            _d("ritonavir", 100, "mg"),
            _d("tenofovir", 300, "mg"),
            _d("emtricitabine", 200, "mg"),
        ],
    ),
    (
        "plus tenofovir/emtricitabine (TDF/FTC) 300 mg/200 mg once daily",
        [_d("tenofovir", 300, "mg"), _d("emtricitabine", 200, "mg")],
    ),
    # evidence_inference: a drug in the sentence before is not the drug of an unrelated amount
    (
        "including total cholesterol, LDL cholesterol, high-density lipoprotein (HDL) cholesterol, triglycerides, "
        "glucose and insulin. An OGTT was conducted using 75 g glucose.",
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), DOSES)
def test_doses(doses_of: Callable[[str], list[Dose]], text: str, expected: list[Expected]) -> None:
    doses = [d for d in doses_of(text) if d.amount is not None]
    assert len(doses) == len(expected), [d.model_dump(exclude={"span"}) for d in doses]
    for want in expected:
        assert any(all(getattr(d, k) == v for k, v in want.items()) for d in doses), (want, doses)


CHANGES: list[tuple[str, list[tuple[str, float | None]]]] = [
    # 001: 'both doses' refers to the doses of the sentence before
    (
        "systemic therapy was initiated with doxorubicin (90 mg/m2)\nand cyclophosphamide (600 mg/m2) every three "
        "weeks. Both\ndoses were reduced by 20% from the first cycle because of\nher pancytopenia.",
        [("doxorubicin", -20.0), ("cyclophosphamide", -20.0)],
    ),
    # 001
    (
        "The docetaxel dose was 75\nmg/m2 and was reduced by 20% from the first cycle of\ndocetaxel.",
        [("docetaxel", -20.0)],
    ),
    # 002: a reduced dose without a percentage
    (
        "and after a second dose interruption \n\nwe restart everolimus in these patients at a reduced dose "
        "of \n\n5 mg.",
        [("everolimus", None)],
    ),
    # 002: 'the dose' of the sentence before's drug
    (
        "but immediately interrupt \n\neverolimus in a symptomatic patient suffering from noninfec-\n\ntious "
        "pneumonitis. After recovery to grade 1 noninfectious \n\npneumonitis, we try to restart at a reduced dose of "
        "5 mg.",
        [("everolimus", None)],
    ),
    # 002: an escalation
    (
        "Others recom-\n\nmend a rapid progressive increase in the everolimus dose \n\nbefore reaching the recommended "
        "10 mg daily.",
        [("everolimus", None)],
    ),
    # 002: negated, not a change
    (
        "Stomatitis was also the reason \n\nwhy in the Phase I/II trial the everolimus dose had not \n\nbeen increased "
        "to the standard 10 mg dose",
        [],
    ),
    # 002: a generic statement without a drug or a number
    ("Dose \n\nreductions should only be performed according to man-\n\nagement guidelines.", []),
    # evidence_inference (PMC2365957): the active voice, 'reducing the <drug> dose to <amount>'
    (
        "patients stabilized (HIV-1 RNA < 50 copies/mL) for 48 weeks on FPV/r200 QD plus TDF/FTC 300/200 mg QD "
        "remained stabilized 4 weeks after reducing the ritonavir boosting dose to 100 mg QD [10].",
        [("ritonavir", None)],
    ),
    # evidence_inference (txt_files): a score 'reduced by 50%' is not a dose change
    (
        "Mean nasal obstruction score was reduced by 50% after 21 days of treatment with MFNS 100 μg daily, and "
        "acoustic rhinometry",
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CHANGES)
def test_dose_changes(
    doses_of: Callable[[str], list[Dose]], text: str, expected: list[tuple[str, float | None]]
) -> None:
    changes = [(d.drug, d.change_percent) for d in doses_of(text) if d.amount is None]
    assert sorted(changes, key=str) == sorted(expected, key=str)


FREQUENCIES = [
    ("every three weeks", "every 3 weeks"),  # 001
    ("triweekly docetaxel", "every 3 weeks"),  # 001
    ("3-weekly bolus MMC", "every 3 weeks"),  # evidence_inference (txt_files)
    ("q3w", "every 3 weeks"),
    ("once each 3-week cycle [Q3W]", "every 3 weeks"),  # evidence_inference (txt_files)
    # evidence_inference (txt_files)
    ("weekly on days 1, 8, and 15 of every 3-week cycle", "weekly, on days 1, 8, and 15 every 3 weeks"),
    ("on days 1, 8 and 15 every 28 days", "on days 1, 8 and 15 every 28 days"),
    ("dacarbazine 250 mg/m2 on days 2–5 every three weeks", "on days 2–5 every 3 weeks"),  # evidence_inference
    ("3 weeks on, 1 week off", "3 weeks on, 1 week off"),
    ("4 weeks on and 2 weeks off", "4 weeks on, 2 weeks off"),
    ("temsirolimus 30 mg intermittent daily (5 days every \n\n2 weeks)", "daily, 5 days every 2 weeks"),  # 002
    ("during 5 days every 14 days", "5 days every 14 days"),  # 002
    ("0.75 mg every 12 hours", "twice daily"),  # PHEE
    ("ibopamine 100 mg t.i.d.", "three times daily"),  # PHEE
    ("IFN alfa 11 MU TIW", "three times weekly"),  # PHEE
    ("starting from 2.5 mg every other day", "every other day"),  # 002
    ("in 30 daily fractions", "30 fractions"),  # 000
    ("from the phytonadione he received a week earlier", None),  # PHEE: not a schedule
    ("her daily living activities", "daily"),  # a cue only: the component reads it in a dose's window
]


@pytest.mark.parametrize(("text", "expected"), FREQUENCIES)
def test_find_frequency(text: str, expected: str | None) -> None:
    assert find_frequency(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("administered orally", "oral"),  # 004
        ("as a 30-minute intravenous infusion", "iv"),  # 002
        ("sumatriptan 6 mg subcutaneously", "sc"),  # bc5cdr
        ("a dose of 6 MU administered intramuscularly", "im"),  # bc5cdr
        ("Temsirolimus is administered either orally or intravenously.", None),  # 002: two routes, none chosen
        ("stage IV breast cancer", None),  # 003: a stage is not a route
    ],
)
def test_find_route(text: str, expected: str | None) -> None:
    assert find_route(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("for 12 weeks", "12 weeks"),  # 002
        ("every 3 weeks for a maximum of eight cycles", None),  # PHEE: 'a maximum of' is not read
        ("for 5 days per week", None),  # 002: a schedule, not a duration
        ("x 6 cycles", "6 cycles"),
        ("for 4 weeks with gradual tapering", "4 weeks"),  # PHEE
    ],
)
def test_find_duration(text: str, expected: str | None) -> None:
    assert find_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("carboplatin AUC 5 every 3 weeks", [(5.0, None, "AUC", None)]),
        ("carboplatin (AUC5)", [(5.0, None, "AUC", None)]),
        ("area under the curve (AUC0-t; AUC0-∞) were within 20%", []),  # PK parameters, not doses
        ("5–10 mg once-daily", [(5.0, 10.0, "mg", None)]),  # 002
        ("from 10 to 5 mg", [(10.0, None, "mg", None), (5.0, None, "mg", None)]),  # two amounts
        ("75 mg/m2", [(75.0, None, "mg", "m2")]),
        ("2 mg/kg/week", [(2.0, None, "mg", "kg")]),
        ("6.7 g/dl", []),  # a concentration
        ("1..5 mg or 10 mg/m2/", [(10.0, None, "mg", "m2")]),  # malformed: the bad number is skipped
    ],
)
def test_find_amounts(text: str, expected: list[tuple[float, float | None, str, str | None]]) -> None:
    assert [(a.amount, a.amount_max, a.unit, a.per) for a in find_amounts(text)] == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("mg/m²", ("mg", "m2", None)),
        ("mg/kg/day", ("mg", "kg", "daily")),
        ("mcg", ("mcg", None, None)),
        ("IU", ("IU", None, None)),
        ("ng/mL", None),
        ("%", None),
    ],
)
def test_split_dose_unit(printed: str, expected: tuple[str, str | None, str | None] | None) -> None:
    unit = parse_unit(printed)
    assert unit is not None
    assert split_dose_unit(unit) == expected


def test_a_percent_dose_reduction_is_a_change() -> None:
    rules = packaged_rules()
    cues = find_cues("a 20% dose reduction was required", rules.changes, rules, overlapping=True)
    assert "reduction:20" in {c.canonical for c in cues}


def test_repeats_are_listed_once(doses_of: Callable[[str], list[Dose]]) -> None:
    # 004: the same regimen stated in the inclusion criteria and in the methods
    text = (
        "(5) initiation of everolimus at 10 mg/day and exemestane at 25 mg/day. Everolimus was administered orally "
        "at a daily dose of 10 mg, and exemestane at 25 mg once daily."
    )
    doses = [d for d in doses_of(text) if d.amount is not None]
    assert sorted((d.drug, d.amount) for d in doses) == [("everolimus", 10.0), ("exemestane", 25.0)]
    assert all(d.route == "oral" for d in doses)  # a repeat fills what the first statement left out


def test_rules_carry_provenance() -> None:
    meta = provenance("dose_rules.json")
    assert meta.get("source") and meta.get("licence")
