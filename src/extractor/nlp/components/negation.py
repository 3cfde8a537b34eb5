"""ConText-style negation: marks entities and item spans that the sentence says did not happen or were not given.

Triggers are data (`lexicons/negation_rules.json`, ConText categories and directions); their scopes are read
by `negation_scopes.NegationScopes`: from a trigger in its direction up to `max_scope` tokens, stopping at a
TERMINATE trigger or the sentence edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.extensions import set_extensions
from extractor.nlp.negation_scopes import NegationScopes, Trigger
from extractor.nlp.positions import Cover
from extractor.nlp.rules import Rule, load_rules


@Language.factory(
    "extractor_negation",
    requires=["doc.sents"],
    assigns=["span._.negated"],
    default_config={"rules": "default", "span_keys": ["adverse_events"]},
)
class NegationDetector:
    """Sets `span._.negated` on `doc.ents` and on the spans of `doc.spans[key]` for each key in span_keys."""

    def __init__(
        self, nlp: Language, name: str, *, rules: str | list[dict[str, Any]] | None, span_keys: list[str]
    ) -> None:
        set_extensions()
        self.name = name
        self.span_keys = list(span_keys)
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.rules: list[Rule] = load_rules(rules)
        self._build()

    def _build(self) -> None:
        self.triggers = NegationScopes(self.vocab, self.tokenizer, self.rules)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Trigger]:
        return self.triggers.match(doc)

    def set_annotations(self, doc: Doc, triggers: list[Trigger]) -> None:
        scopes = Cover(self.triggers.scopes(doc, triggers))
        if not scopes:
            return
        for span in self._targets(doc):
            span._.negated = scopes.contains(span.start, span.end)

    def _targets(self, doc: Doc) -> Iterable[Span]:
        yield from doc.ents
        for key in self.span_keys:
            if key in doc.spans:
                yield from doc.spans[key]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        serializers = {"rules": lambda p: srsly.write_jsonl(p, [r.model_dump(exclude_none=True) for r in self.rules])}
        to_disk(ensure_path(path), serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NegationDetector:
        def read(p: Path) -> None:
            self.rules = [Rule.model_validate(r) for r in srsly.read_jsonl(p)]
            self._build()

        from_disk(ensure_path(path), {"rules": read}, exclude)
        return self
