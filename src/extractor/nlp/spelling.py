"""British and American spellings of medical terms ('hypoglycaemia' = 'hypoglycemia', 'oedema' = 'edema').

Lexicons keep one spelling, the American one, as the preferred name; matching needs both. The rewrite rules
are data (`lexicons/spelling_variants.tsv`): a regular expression for each American spelling and its British
twin, and the pattern that turns the British spelling back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from extractor.lexicons import iter_tsv


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[re.Pattern[str], str, re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(r["us"]), r["uk"], re.compile(r["uk_pattern"]), r["us_text"])
        for r in iter_tsv("spelling_variants.tsv")
    )


def american(term: str) -> str:
    """The American spelling of a lowercase term: 'haemorrhagic diarrhoea' -> 'hemorrhagic diarrhea'."""
    for _, _, uk, us in _rules():
        term = uk.sub(us, term)
    return term


def british(term: str) -> str:
    """The British spelling of a lowercase term: 'hypoglycemia' -> 'hypoglycaemia'."""
    for us, uk, _, _ in _rules():
        term = us.sub(uk, term)
    return term


def spellings(terms: Iterable[str]) -> list[str]:
    """Each term with its American and British twins, in order, without repeats."""
    out: dict[str, None] = {}
    for term in terms:
        lower = term.lower()
        variants = [term] if lower != term else []
        variants += [lower, american(lower), british(american(lower))]
        out.update(dict.fromkeys(variants))
    return list(out)


def greek_spelled(text: str) -> str:
    """Greek letters written out, as authors do either way: 'β-blocker' -> 'beta-blocker', 'TNF-α' -> 'TNF-alpha'."""
    if text.isascii():
        return text
    return "".join(_greek_name(ch) for ch in text)


@lru_cache(maxsize=256)
def _greek_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith(("GREEK SMALL LETTER ", "GREEK CAPITAL LETTER ")) and len(name.split()) == 4:
        word = name.split()[-1].lower()
        return word if name.startswith("GREEK SMALL") else word.capitalize()
    if name == "MICRO SIGN":
        return ch  # µ of units, not a word
    return ch
