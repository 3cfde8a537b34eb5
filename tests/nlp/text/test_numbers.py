"""Numbers as printed: the one parser the components, the quantity parser and the result readers share."""

from __future__ import annotations

import pytest

from extractor.nlp.text.numbers import parse_number

NUMBERS = [
    ("4,100", 4100.0),  # 001_1fbf8c8289c92d00.txt: 'count was 4,100/μl'
    ("92,000", 92000.0),
    ("1,112", 1112.0),
    ("6.6", 6.6),
    ("38.4", 38.4),
    ("0·5", 0.5),  # middle dot
    ("·5", 0.5),
    (".05", 0.05),
    ("−2", -2.0),  # Unicode minus
    ("−0.42", -0.42),
    ("+0.25", 0.25),
    ("fifteen", 15.0),
    ("Ten", 10.0),
    ("one and a half", 1.5),
    ("Forty-two", 42.0),  # a sentence opening with a count spells it out
    ("thirty‐two", 32.0),  # Unicode hyphen
    ("twenty-", None),
    ("1..5", None),  # malformed
    ("1,2", None),  # a decimal comma is not read as a thousands separator
    ("", None),
    ("mg", None),
    ("n/a", None),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected
