import re

import pytest

from extractor.nlp.text.alternation import longest_first
from extractor.nlp.text.analytes import AnalyteMatcher, packaged_analytes


def plain(names: list[str], flags: int) -> re.Pattern[str]:
    body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", flags)


def trie(names: list[str], flags: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{longest_first(names, flags)})(?![\w])", flags)


TEXT = (
    "Serum creatinine phosphokinase and serum creatinine rose; creatine kinase (CK) was 210 U/L. "
    "Creatinine clearance fell in 3 patients, and HbA1c, hemoglobin A1c and hemoglobin were unchanged."
)
NAMES = [
    "creatinine",
    "serum creatinine",
    "creatine kinase",
    "serum creatinine phosphokinase",
    "creatinine clearance",
    "hemoglobin",
    "hemoglobin a1c",
    "hba1c",
    "ck",
    "serum",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_same_matches_as_the_plain_alternation(flags: int) -> None:
    names = NAMES if flags else [*NAMES, "HbA1c", "CK", "Serum creatinine phosphokinase"]
    expected = [m.span() for m in plain(names, flags).finditer(TEXT)]
    assert [m.span() for m in trie(names, flags).finditer(TEXT)] == expected
    assert expected  # the text does name some


def test_backtracks_to_a_shorter_name_when_the_longer_runs_into_a_word() -> None:
    # 'hemoglobin a1c' cannot end inside 'a1cx': the lookahead sends both patterns back to 'hemoglobin'
    text = "hemoglobin a1cx"
    assert [m.group() for m in trie(NAMES, re.I).finditer(text)] == ["hemoglobin"]
    assert [m.group() for m in plain(NAMES, re.I).finditer(text)] == ["hemoglobin"]


def test_names_one_character_could_read_two_ways_fall_back_to_the_plain_alternation() -> None:
    # the micro sign and the Greek mu are one letter under IGNORECASE: a trie could stop at the shorter name
    names = ["µg", "μg per day"]
    assert longest_first(names, re.I) == "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    assert longest_first([], 0) == r"(?!x)x"


def test_analyte_matcher_finds_what_the_plain_alternation_found() -> None:
    matcher = AnalyteMatcher(packaged_analytes())
    found = [(m.start, m.end, m.analyte.canonical) for m in matcher.find(TEXT)]
    matcher.sensitive = plain([s for s in matcher.by_surface if any(ch.isupper() for ch in s)], 0)
    matcher.insensitive = plain([s for s in matcher.by_surface if not any(ch.isupper() for ch in s)], re.I)
    assert found == [(m.start, m.end, m.analyte.canonical) for m in matcher.find(TEXT)]
    assert len(found) >= 5
