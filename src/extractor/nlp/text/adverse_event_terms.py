"""Adverse-event terms: the lexicon's surfaces resolved to a preferred term (`lexicons/ae_terms.tsv`), in both
spellings, found by longest match; the cue patterns of `lexicons/ae_cues.json`; grades as printed.

Read by the adverse-event component (prose and flattened tables), the table component (rows of the Document's
adverse-event tables) and the ADE evaluation. No spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from extractor.lexicons import iter_tsv
from extractor.nlp.result_values import PhraseIndex
from extractor.nlp.spelling import american, spellings


@dataclass(frozen=True)
class Term:
    start: int
    end: int
    event: str
    kind: str  # event | summary | verbal


class TermMatcher:
    """Adverse-event terms of the lexicon found in a text (longest match, see `PhraseIndex`)."""

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.index = PhraseIndex((surface, (preferred, kind)) for surface, preferred, kind in rows)

    def find(self, text: str) -> list[Term]:
        return [Term(m.start, m.end, m.entry[0], m.entry[1]) for m in self.index.find(text)]


@lru_cache(maxsize=1)
def default_terms() -> tuple[tuple[str, str, str], ...]:
    """Rows of `lexicons/ae_terms.tsv`, preferred names in American spelling, each surface also in its British
    and American spelling ('hypoglycaemia' and 'hypoglycemia' both give 'hypoglycemia')."""
    rows: dict[str, tuple[str, str, str]] = {}
    for r in iter_tsv("ae_terms.tsv"):
        preferred = american(r["preferred"])
        for surface in spellings([r["term"]]):
            rows.setdefault(surface, (surface, preferred, r["kind"]))
    return tuple(rows.values())


def read_grade(text: str, pattern: re.Pattern[str]) -> str | None:
    """'Grade 3–4' -> '3-4'; 'grade 3 or 4' -> '3-4'; 'all grade' -> 'all'; 'grade ≥3' -> '≥3'; 'grade 3' -> '3'."""
    m = pattern.search(text)
    if not m:
        return None
    if m.group("all"):
        return "all"
    if m.group("ge"):
        return f"≥{m.group('ge')}"
    return f"{m.group('a')}-{m.group('b')}" if m.group("b") else m.group("a")
