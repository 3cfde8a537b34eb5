"""Sentences, the reference list and evidence spans, read from the text itself.

The pipeline's sentences end at every newline (so headings never glue onto prose), which cuts hard-wrapped
lines and flattened table cells in pieces. Components that relate a number to a drug or an analyte a few
lines away need sentences as a reader sees them: a line break ends one only after sentence punctuation, or
when the next line opens a new capitalised sentence or heading and the line before did not leave a phrase
open ("with", "+", ",").

Two sentence splitters remain, on purpose: the doses, labs, patient, arms and results readers read these; the
outcome and adverse-event readers (`result_doc.DocFacts.sentences`) and the negation scopes read the pipeline's
(spaCy's, token-aligned: a negation scope is counted in tokens and stops at the sentence's edge). Giving the
outcome and adverse-event readers these sentences was measured (issue 18) and is worse: seed gold adverse
events P 0.996 -> 0.993; trial gold outcomes P 0.625 -> 0.610, adverse events R 0.664 -> 0.660.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc, Span

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.positions import Cover

_ABBREVIATIONS = frozenset(
    {"al", "e.g", "i.e", "vs", "fig", "figs", "no", "nos", "approx", "ca", "dr", "mr", "mrs", "ms", "st", "cf"}
    | {"ref", "refs", "tab", "eq", "resp", "incl", "min", "max", "mo", "yr", "pts"}
)
WORD_BEFORE_STOP = 12  # the word a full stop ends, read for an abbreviation: the longest, 'approx', and its marks
# '.', or '.12' / '.3,4' (a citation after a word, not a decimal), closing marks, space, a capital
_SENTENCE_END = re.compile(r"(?:(?<=[^\d\s])[.!?]\d+(?:[,–-]\d+)*|[.!?])[\"”’)\]]*[ \t\u00a0]+(?=[A-Z(\[“\"])")
_OPEN_ENDING = re.compile(
    r"(?:[,;(+/&–-]|\b(?:and|or|with|of|to|the|a|an|in|at|by|for|from|on|plus|versus|vs|was|were|is|are|than))\s*$",
    re.IGNORECASE,
)
_REFERENCES_HEADING = re.compile(
    r"^[ \t]*(?:\d+\.?\s*)?(?:references|bibliography|literature cited|references and notes)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def references_start(text: str) -> int:
    """Offset of the reference list (a 'References' heading on its own line), or len(text) without one."""
    match = _REFERENCES_HEADING.search(text)
    return match.start() if match else len(text)


def _line_break_ends_sentence(before: str, after: str) -> bool:
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return True
    if before[-1] in ".!?:":
        return True
    if before[-1].isdigit() or _OPEN_ENDING.search(before):
        return False  # '... elevated at 254\nU/l', '... treated with\nEverolimus'
    return bool(re.match(r"[A-Z][a-z]", after))


@lru_cache(maxsize=8)
def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence of `text`, covering it without gaps."""
    cuts = {0, len(text)}
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)[.!?]?\S*$", text[max(0, match.start() - WORD_BEFORE_STOP) : match.start() + 1])
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        cuts.add(match.end())
    for match in re.finditer(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)*", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        next_end = text.find("\n", match.end())
        before = text[line_start : match.start()]
        after = text[match.end() : len(text) if next_end < 0 else next_end]
        if _line_break_ends_sentence(before, after):
            cuts.add(match.end())
    ordered = sorted(cuts)
    return tuple((a, b) for a, b in pairwise(ordered) if b > a)


@lru_cache(maxsize=8)
def _starts(text: str) -> list[int]:
    return [start for start, _ in sentence_bounds(text)]


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence holding `offset`."""
    bounds = sentence_bounds(text)
    if not bounds:
        return 0, len(text)
    return bounds[max(0, bisect_right(_starts(text), offset) - 1)]


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without the whitespace at either edge, so evidence spans start and end on a word."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _item_held(doc: Doc, span: Span) -> bool:
    """Whether an item already sits at the span's offsets, set by this component or an earlier one (an arm and a
    dose over 'quetiapine 600 mg/day'): spaCy keys `._` values by offsets alone, across span groups."""
    user_data: dict[Any, Any] = doc.user_data
    return user_data.get(("._.", "item", span.start_char, span.end_char)) is not None


def item_spans(doc: Doc, items: Iterable[tuple[dict[str, Any], tuple[int, int]]], label: str) -> list[Span]:
    """A span per (item, (start, end)) over text[start:end], edges trimmed, its `._.item` set to the item.

    spaCy keeps a span's `._` values under the span's character offsets, so two items whose evidence covers the
    same tokens ('131.2/78.2 mmHg' for a systolic and a diastolic value, or an arm and a dose in two groups) would
    share one dict: such a span is widened a token at a time until its offsets are its own (the item's
    `evidence` stays what it was)."""
    text = doc_text(doc)
    spans = []
    for item, (start, end) in items:
        start, end = trimmed(text, start, end)
        span = doc.char_span(start, end, label=label, alignment_mode="expand") if end > start else None
        if span is None:
            continue
        if _item_held(doc, span):
            item = {"evidence": (span.start_char, span.end_char), **item}
        while _item_held(doc, span) and (span.end < len(doc) or span.start > 0):
            grown = (span.start, span.end + 1) if span.end < len(doc) else (span.start - 1, span.end)
            span = Span(doc, *grown, label=label)
        span._.item = item
        spans.append(span)
    return spans


HEADING_WORDS = 8  # a line of more words is a sentence broken over lines, not a section heading
# The Evidence Inference export's headings end with a colon ('ABSTRACT.RESULTS:', 'BODY.PARTICIPANT FLOW:')
EXPORT_HEADING = re.compile(r"(?:ABSTRACT|BODY)(?:\.[^\n]{1,68})?:")


def heading_lines(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Short lines without final punctuation between line breaks, outside tables: section headings."""
    found = []
    tables = Cover(regions)
    for m in re.finditer(r"(?m)^[ \t]*([0-9A-Z][^\n]{0,70})$", text):
        line = m.group(1).strip()
        if (line.endswith((".", ",", ";", ":")) and not EXPORT_HEADING.fullmatch(line)) or re.match(
            r"(?:Table|Fig\.?|Figure)\s", line
        ):
            continue
        if tables.contains(m.start(), m.start() + 1) or len(line.split()) > HEADING_WORDS:
            continue
        found.append((m.start(), m.end()))
    return found
