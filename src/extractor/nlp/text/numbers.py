"""Numbers as printed in articles: the one parser every component uses.

'1,112' (thousands), '0·5' (middle dot), '−0.42' (Unicode minus), '+ 50.7', '.05', 'fifteen', 'Forty-two',
'one and a half'.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_HYPHEN = "-‐‑"  # hyphen-minus, hyphen, non-breaking hyphen
# An unsigned number: thousands separators ("92,000"), a decimal point or middle dot, or a bare ".05".
NUM = r"(?:(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:[.·]\d+)?|[.·]\d+)"
MINUS = "-−–"  # hyphen-minus, Unicode minus, and the en dash some typesetters print as a minus
SIGNED = rf"[{MINUS}+]?\s?{NUM}"
# 'Thirty-two' before 'thirty' and 'two': a sentence opening with a count spells it out ('Forty-two patients')
_COMPOUND_WORD_NUM = rf"(?:{'|'.join(_TENS)})[{_HYPHEN}](?:{'|'.join(_UNITS)})"
WORD_NUM = (
    rf"(?:{_COMPOUND_WORD_NUM}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?:\s+and\s+a\s+half)?"
)
_NUMERIC = re.compile(rf"(?P<sign>[{MINUS}+]?)\s*(?P<num>{NUM})")


def parse_number(text: str) -> float | None:
    """The value of exactly one printed number, or None ('1..5', '', 'n/a')."""
    text = text.strip()
    lowered = text.lower()
    half = lowered.endswith("and a half")
    word = lowered.removesuffix("and a half").strip()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word] + (0.5 if half else 0.0)
    tens, _, unit = re.sub(f"[{_HYPHEN}]", "-", word).partition("-")
    if tens in _TENS and unit in _UNITS:
        return NUMBER_WORDS[tens] + NUMBER_WORDS[unit] + (0.5 if half else 0.0)
    m = _NUMERIC.fullmatch(text)
    if not m:
        return None
    value = float(m.group("num").replace(",", "").replace("·", "."))
    return -value if m.group("sign") and m.group("sign") != "+" else value


def as_count(value: float | None) -> int | None:
    """A whole number as an int (a count or a group size); None for anything else."""
    if value is None or value < 0 or value != int(value):
        return None
    return int(value)
