"""Clinical trials named in the text: registry ids (NCT01783444) and trial acronyms (BOLERO-2, TAMRAD).

An acronym counts as a trial name when it is shaped like one (capitals, optionally '-N' or a digit run)
and the text says it is a trial: next to 'trial', 'study' or 'phase', in parentheses after such a phrase,
or as an ACRONYM-N form, which trials use and genes, endpoints and units rarely do. Words that are
acronyms of something else (endpoints, receptors, units) are data in `lexicons/trial_rules.json`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, from_disk, to_disk

from extractor.lexicons import load_json
from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.positions import Cover

NCT = re.compile(r"\bNCT\s?0?\d{7,8}\b")
# BOLERO-2, SOLAR-1, TRINITI-1, 305/EMBRACE, S1207, BYLieve, SoFEA, HORIZON, monarchE
ACRONYM = re.compile(
    r"(?<![\w-])(?:\d{3}/)?(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[a-z]+[A-Z]{2,}[A-Za-z]*|[A-Z]\d{3,5})"
    r"(?:-\d{1,3}[A-Za-z]?)?(?![\w-])"
)


@lru_cache(maxsize=1)
def _default_rules() -> dict[str, Any]:
    return load_json("trial_rules.json")


def _context_says_trial(text: str, start: int, end: int, cues: re.Pattern[str]) -> bool:
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    expansion = re.match(r"\s*\(([^()]{8,200})\)", text[end : end + 210])
    if expansion and cues.search(expansion.group(1)):
        return True  # "SoFEA (Study Of Faslodex with or without Arimidex)"
    if re.match(r"\s*(?:\)\s*)?(?:" + cues.pattern + r")", after, re.I):
        return True
    if re.search(r"(?:" + cues.pattern + r")[^.;]{0,40}\(\s*$", before, re.I):
        return True  # "A randomized placebo-controlled Phase III study (HORIZON)"
    return bool(re.search(r"(?:the|in|of|from)\s+$", before, re.I) and re.match(r"\s+(?:trial|study)", after, re.I))


def find_trials(text: str, rules: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, normalized) for NCT ids and trial names in `text`."""
    stop = {w.lower() for w in rules["not_trials"]}
    cues = re.compile("|".join(rules["cues"]), re.I)
    found: list[tuple[int, int, str, str]] = []
    for m in NCT.finditer(text):
        found.append((m.start(), m.end(), "nct", re.sub(r"\s", "", m.group()).upper()))
    near_registry = Cover((m.start() - 60, m.end() + 60) for m in NCT.finditer(text))
    named: dict[str, bool] = {}
    candidates = [m for m in ACRONYM.finditer(text) if not NCT.match(m.group())]
    for m in candidates:
        word = m.group()
        base = re.sub(r"-\d.*$", "", word)
        if word.lower() in stop or base.lower() in stop or (len(base) < 3 and not re.search(r"\d", word)):
            continue
        numbered = bool(re.search(r"-\d", word)) and base.isupper() and len(base) >= 4
        listed = near_registry.contains(m.start(), m.end())
        if numbered or listed or _context_says_trial(text, m.start(), m.end(), cues):
            named[word] = True
    for m in candidates:
        word, end = m.group(), m.end()
        if not named.get(word):
            continue
        # "BOLERO-217": a citation number glued to "BOLERO-2" named elsewhere
        glued = re.match(r"(.*-\d)\d+$", word)
        if glued and named.get(glued.group(1)):
            word, end = glued.group(1), m.start() + len(glued.group(1))
        found.append((m.start(), end, "name", word))
    return found


@Language.factory(
    "extractor_trials",
    assigns=["doc.spans"],
    default_config={"spans_key": "trials", "rules": "default"},
)
class TrialMatcher:
    """Sets doc.spans[spans_key]: label 'NCT' or 'TRIAL', kb_id_ the normalized id or name."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str, rules: str | None) -> None:
        set_extensions()
        self.name, self.spans_key = name, spans_key
        self.rules: dict[str, Any] = _default_rules() if rules == "default" else srsly.read_json(rules or "")

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for start, end, kind, norm in find_trials(doc_text(doc), self.rules):
            span = doc.char_span(
                start, end, label="NCT" if kind == "nct" else "TRIAL", kb_id=norm, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        to_disk(ensure_path(path), {"rules.json": lambda p: srsly.write_json(p, self.rules)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TrialMatcher:
        def read(p: Path) -> None:
            self.rules = srsly.read_json(p)

        from_disk(ensure_path(path), {"rules.json": read}, exclude)
        return self
