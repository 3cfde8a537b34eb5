"""Endpoints: the terms that name what a result measures (progression-free survival, response, death) and the
cue patterns that tell a result from a landmark time or a schedule (`lexicons/endpoints.json`).

Read by the outcome component (which value belongs to which endpoint) and the adverse-event component (a term
inside an endpoint's name is no event; a percentage next to an endpoint is no event frequency). No spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.nlp.result_values import PhraseIndex
from extractor.nlp.rules import EndpointRules


@dataclass(frozen=True)
class EndpointTerm:
    name: str
    kind: str  # time | response | event
    strong: bool = True  # False for words that name an endpoint only when no explicit one is near ('died')


@dataclass(frozen=True)
class EndpointMention:
    start: int
    end: int
    name: str
    kind: str
    strong: bool = True


class EndpointLexicon:
    """Endpoint terms and the cue patterns of `lexicons/endpoints.json`."""

    def __init__(self, data: EndpointRules) -> None:
        self.data = data
        self.terms = [(term, EndpointTerm(e.name, e.kind, e.strong)) for e in data.endpoints for term in e.terms]
        self.cues = {name: re.compile(pattern, re.I) for name, pattern in data.cues.items()}
        self.response_rate: str = data.response_rate_abbreviation
        self.ambiguous: frozenset[str] = frozenset(data.ambiguous_abbreviations)
        self.kinds = {term.name: term.kind for _, term in self.terms}
        self.index = PhraseIndex(self.terms)

    def find(
        self, text: str, added: dict[str, str] | None = None, removed: set[str] | None = None
    ) -> list[EndpointMention]:
        """Mentions of the lexicon's terms, plus `added` abbreviations (short form -> endpoint name), minus the
        `removed` surfaces (abbreviations the text defines as something else)."""
        index = self.index
        if added or removed:
            terms = [(s, t) for s, t in self.terms if s not in (removed or set())]
            terms += [
                (short, EndpointTerm(name, self.kinds.get(name, "response"))) for short, name in (added or {}).items()
            ]
            index = PhraseIndex(terms)
        return [EndpointMention(m.start, m.end, m.entry.name, m.entry.kind, m.entry.strong) for m in index.find(text)]
