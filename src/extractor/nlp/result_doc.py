"""The Doc facts both result components (outcomes, adverse events) read, and how they write their spans; the
arms `extractor_arms` found, as the registry the results and table components resolve group labels with.

Both read the same `TextView` of the Doc text, its sentences, the drug and placebo mentions grouped into arm
phrases, and the `StudyContext`. Items are drafted in view offsets and written as spans of the Doc; since
spaCy keys `span._.item` by character offsets, a span whose offsets another item already holds is widened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.attrs import IDX, SENT_START  # type: ignore[import-not-found]
from spacy.tokens import Doc, Span

from extractor.nlp.doc_memo import doc_text, memo
from extractor.nlp.layout import layout, references_start
from extractor.nlp.positions import Cover
from extractor.nlp.result_values import TextView, Value, find_values
from extractor.nlp.study_context import Agent, ArmMention, StudyContext, agents, arm_mentions
from extractor.nlp.text.arms import Arm, ArmRegistry

WIDEN_TOKENS = 12  # how far a span is widened to free offsets: items sharing a phrase (a list, a row) are fewer


@dataclass
class DocFacts:
    view: TextView
    context: StudyContext
    arms: list[ArmMention]
    sentences: list[tuple[int, int]]  # view offsets
    references_at: int  # where the reference list starts (the text's end when there is none)
    agents: list[Agent]
    tables: list[tuple[int, int]]  # view offsets of the Document's tables: `extractor_tables` reads their cells
    table_cover: Cover = field(init=False, repr=False)
    found_values: dict[tuple[Any, ...], list[Value]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.table_cover = Cover(self.tables)

    def values(self, cues: dict[str, re.Pattern[str]]) -> list[Value]:
        """`find_values` over the view text, read once for the outcome and adverse-event components (both pass
        the cues of `lexicons/endpoints.json`); the list is shared: read it, do not change it."""
        key = tuple(sorted((name, p.pattern, p.flags) for name, p in cues.items()))
        found = self.found_values.get(key)
        if found is None:
            found = self.found_values[key] = find_values(self.view.text, cues)
        return found

    def in_table(self, start: int) -> bool:
        return self.table_cover.contains(start, start + 1)

    @classmethod
    def of(cls, doc: Doc) -> DocFacts:
        """The facts of `doc`, built once while its drug entities and trial spans stay the same (both result
        components read them; building them is a tenth of the pipeline's rule time)."""
        drugs = tuple((e.start_char, e.end_char, e.kb_id_) for e in doc.ents if e.label_ == "DRUG")
        trials = tuple((s.start_char, s.end_char, s.kb_id_) for s in doc.spans.get("trials", []))
        return memo(doc, "facts", (len(doc), drugs, trials), lambda: cls._build(doc, drugs, trials))

    @classmethod
    def _build(
        cls, doc: Doc, drugs: tuple[tuple[int, int, str], ...], trials: tuple[tuple[int, int, str], ...]
    ) -> DocFacts:
        view = TextView.of(doc_text(doc))
        to_view = view.to_view
        mentions = [Agent(to_view[start], to_view[end], name) for start, end, name in drugs]
        found = agents(view.text, mentions)
        refs = to_view[references_start(doc)]
        return cls(
            view,
            StudyContext.build(view.text, mentions, [(to_view[s], to_view[e], kb) for s, e, kb in trials]),
            arm_mentions(view.text, found),
            [(to_view[s], to_view[e]) for s, e in sentence_bounds(doc)],
            refs,
            found,
            [(to_view[t.start], to_view[min(t.end, len(to_view) - 1)]) for t in layout(doc).tables],
        )


def arm_registry(doc: Doc, key: str) -> ArmRegistry:
    """The arms `extractor_arms` found, with their aliases, for resolving group labels to arm names."""

    def build() -> ArmRegistry:
        registry = ArmRegistry()
        for span in doc.spans.get(key, []):
            item = span._.item or {}
            arm = Arm(
                item["name"],
                tuple(item.get("_drugs") or ()),
                item.get("n"),
                span.start_char,
                span.end_char,
                set(item.get("aliases") or ()),
            )
            registry.arms.append(arm)
        return registry

    return memo(doc, "arms", len(doc.spans.get(key, [])), build)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, read from token arrays (faster than iterating doc.sents). The
    pipeline's sentences, not `prose.sentence_bounds`: why two splitters remain is in prose.py's docstring."""
    if not len(doc):
        return []
    rows = doc.to_array([SENT_START, IDX]).astype(numpy.int64)  # SENT_START -1 reads as 2**64 - 1 unconverted
    rows[0, 0] = 1
    starts = rows[rows[:, 0] == 1, 1].tolist()
    return list(zip(starts, [*starts[1:], len(doc_text(doc))], strict=True))


@dataclass
class Draft:
    """An item before it becomes `span._.item`: its fields and evidence offsets in the view; `pair` links the
    items of one paired statement."""

    fields: dict[str, Any]
    start: int
    end: int
    pair: int = -1
    weak: bool = False  # the endpoint was read from a weak word ('died'): a repeated pair may name it better
    qualifier: str | None = None  # '<' when '<1' was printed: not the same fact as a printed '1'


def write_spans(doc: Doc, view: TextView, drafts: list[Draft], key: str) -> None:
    """doc.spans[key] from drafts; an 'evidence' field in view offsets is mapped to Doc offsets."""
    used = {(s.start_char, s.end_char) for group in doc.spans.values() for s in group}
    spans = []
    for draft in drafts:
        start, end = view.doc_offsets(draft.start, draft.end)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        first = (span.start_char, span.end_char)
        span = unique_span(doc, span, used)
        item = dict(draft.fields)
        evidence = item.pop("evidence", None)
        if evidence:
            item["evidence"] = view.doc_offsets(*evidence)
        elif (span.start_char, span.end_char) != first:
            item["evidence"] = first  # widened only to hold its own `._` values
        span._.item = item
        spans.append(span)
    doc.spans[key] = [*doc.spans.get(key, []), *spans]


def unique_span(doc: Doc, span: Span, used: set[tuple[int, int]]) -> Span:
    """A span at offsets no other item holds: widened a token at a time (right first, then left)."""
    start, end = span.start, span.end
    for _ in range(WIDEN_TOKENS):
        candidate = doc[start:end]
        if (candidate.start_char, candidate.end_char) not in used:
            break
        if end < len(doc):
            end += 1
        elif start > 0:
            start -= 1
    candidate = doc[start:end]
    used.add((candidate.start_char, candidate.end_char))
    return candidate
