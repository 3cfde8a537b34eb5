"""Numbers and units as printed: parsed, normalized and converted with pint; bad input gives None, never raises."""

from __future__ import annotations

import pytest

from extractor.lexicons import provenance
from extractor.nlp.quantities import convert, find_quantities, parse_amount, parse_unit

UNITS = [
    ("mg/m²", "mg/m2"),  # 002_e5b7ac3fa1a98ba6.txt: 'Vinorelbine 25 mg/m² weekly'
    ("mg/m2", "mg/m2"),
    ("mg/m(2)", "mg/m2"),  # PHEE: 'tirapazamine (390 mg/m(2) infused over 2 hours)'
    ("mg/m 2", "mg/m2"),  # grobid-quantities: '200 mg/m 2' (PDF text)
    ("/μl", "/uL"),  # 001: '4,100/μl'
    ("g/dl", "g/dL"),
    ("U/l", "U/L"),
    ("U/ml", "U/mL"),
    ("ng/ml", "ng/mL"),
    ("˚C", "°C"),  # 001: 'almost 38.5˚C'
    ("°C", "°C"),
    ("beats/min", "beats/min"),  # 001: '114\nbeats/min'
    ("bpm", "beats/min"),
    ("mm Hg", "mmHg"),
    ("x10^9/L", "10^9/L"),
    ("×10⁹/L", "10^9/L"),
    ("μg", "mcg"),
    ("mcg", "mcg"),
    ("units", "IU"),
    ("Gy", "Gy"),
    ("mg/kg/day", "mg/kg/day"),  # 002: '1 mg/kg/day methylprednisolone'
    ("mg/d", "mg/day"),
    ("ml · kg −1 · min −1", "mL/kg/min"),  # grobid-quantities
    ("%", "%"),
    ("k/mm3", "10^3/mm3"),  # hindawi case report PMC4736389: 'white cell count of 9.22 k/mm3'
    ("K/μL", "10^3/uL"),
    ("thou/uL", "10^3/uL"),
    ("x 10(3)/mm(3)", "10^3/mm3"),  # PHEE: 'platelet count decreased to 102 x 10(3)/mm(3)'
    ("mEq/L", "mEq/L"),  # hindawi PMC4738914: 'sodium of 140 mEq/L'
    ("meq/l", "mEq/L"),
    ("mOsm/kg", "mOsm/kg"),
]


@pytest.mark.parametrize(("printed", "display"), UNITS)
def test_units_are_read_and_spelled_one_way(printed: str, display: str) -> None:
    unit = parse_unit(printed)
    assert unit is not None and unit.display == display


@pytest.mark.parametrize("printed", ["mg/m2/", "in", "patients", "", "//", "°C/min", "AUC"])
def test_unreadable_units_give_none(printed: str) -> None:
    assert parse_unit(printed) is None


CONVERSIONS = [
    (6.7, "g/dl", "g/L", None, 67.0),  # hemoglobin
    (4100, "/μl", "10^9/L", None, 4.1),  # white cells
    (100, "mg/dL", "mmol/L", 180.16, 5.551),  # glucose, through its molar mass
    (1.0, "mg/dL", "umol/L", 113.12, 88.40),  # creatinine
    (254, "U/l", "ukat/L", None, 4.233),  # LDH
    (140.8, "U/mL", "kU/L", None, 140.8),  # CA 15-3
    (120, "mmHg", "kPa", None, 16.0),
    (38.4, "°C", "°C", None, 38.4),
]


@pytest.mark.parametrize(("value", "unit", "target", "molar_mass", "expected"), CONVERSIONS)
def test_convert_with_pint(value: float, unit: str, target: str, molar_mass: float | None, expected: float) -> None:
    parsed = parse_unit(unit)
    assert parsed is not None
    assert convert(value, parsed, target, molar_mass) == pytest.approx(expected, rel=1e-3)


def test_convert_refuses_other_dimensions() -> None:
    parsed = parse_unit("mg/dL")
    assert parsed is not None
    assert convert(1.0, parsed, "kg") is None
    assert convert(1.0, parsed, "mmol/L") is None  # no molar mass, no conversion


AMOUNTS = [
    ("10 mg/m2", 10.0, None, "mg/m2"),
    ("5–10 mg", 5.0, 10.0, "mg"),  # 002: 'continuous 5–10 mg once-daily dosing'
    ("5 to 10 mg", 5.0, 10.0, "mg"),
    ("4,100/μl", 4100.0, None, "/uL"),
    ("20-mg", 20.0, None, "mg"),  # PHEE: 'a 20-mg daily olanzapine dosage'
    ("31.5 ± 9.2 U/L", 31.5, None, "U/L"),  # the example: the SD is not the value
    ("38.4\u00a0 °C", 38.4, None, "°C"),  # 000_0a971266401ee98e.txt, printed with NBSP
    ("102 x 10(3)/mm(3)", 102.0, None, "10^3/mm3"),  # PHEE: the unit read to its end
]


@pytest.mark.parametrize(("text", "value", "value_max", "unit"), AMOUNTS)
def test_parse_amount(text: str, value: float, value_max: float | None, unit: str) -> None:
    found = parse_amount(text)
    assert found is not None and found.unit is not None
    assert (found.value, found.value_max, found.unit.display) == (value, value_max, unit)


@pytest.mark.parametrize("text", ["1..5 mg", "10 mg/m2/", "AUC 5", "mg", "12 patients", ""])
def test_malformed_amounts_give_none(text: str) -> None:
    assert parse_amount(text) is None


def test_quantities_in_running_text() -> None:
    # 001_1fbf8c8289c92d00.txt
    text = "Her white blood cell (WBC) count was 4,100/μl, her hemoglobin\n(Hgb) level was 6.8 g/dl, and her platelet"
    found = [(m.value, m.unit.display if m.unit else None) for m in find_quantities(text)]
    assert found == [(4100.0, "/uL"), (6.8, "g/dL")]


def test_signed_numbers_are_marked() -> None:
    # evidence_inference (txt_files): 'all asthma symptom and activity outcomes except work (−0.02 units)'
    (found,) = find_quantities("except work (−0.02 units).")
    assert (found.value, found.signed) == (-0.02, True)
    (storage,) = find_quantities("stored at -20 °C")
    assert (storage.value, storage.signed) == (-20.0, True)


def test_numbers_inside_names_are_not_quantities() -> None:
    assert find_quantities("CA15-3 and BOLERO-2 and HER2-negative") == []


@pytest.mark.parametrize("name", ["unit_spellings.tsv", "pint_units.txt"])
def test_unit_data_carries_provenance(name: str) -> None:
    meta = provenance(name)
    assert meta.get("source") and meta.get("licence")
