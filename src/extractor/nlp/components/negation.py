"""ConText-style negation: marks entities and item spans that the sentence says did not happen or were not given.

Triggers are data (`lexicons/negation_rules.json`, ConText categories and directions); scope runs from a
trigger in its direction up to `max_scope` tokens, stopping at a TERMINATE trigger or the sentence edge.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.extensions import set_extensions
from extractor.nlp.positions import Cover
from extractor.nlp.rules import Rule, load_rules

DEFAULT_SCOPE = 8  # tokens a trigger reaches when its rule sets no max_scope: a short clause ('no prior exposure to X')


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
        self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
        for i, rule in enumerate(self.rules):
            self.matcher.add(str(i), [self.tokenizer(rule.literal)])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[Rule, int, int]]:
        """Triggers found, longest first where they overlap; pseudo-triggers swallow what they cover."""
        found = sorted(
            ((self.rules[int(self.vocab.strings[key])], start, end) for key, start, end in self.matcher(doc)),
            key=lambda m: (m[1], -(m[2] - m[1])),
        )
        kept: list[tuple[Rule, int, int]] = []
        covered_until = -1
        for rule, start, end in found:
            if start < covered_until:
                continue
            kept.append((rule, start, end))
            covered_until = end
        return kept

    def scopes(self, doc: Doc, triggers: list[tuple[Rule, int, int]]) -> list[tuple[int, int]]:
        terminators = sorted(s for r, s, _ in triggers if r.direction == "TERMINATE")
        out: list[tuple[int, int]] = []
        for rule, start, end in triggers:
            if rule.direction not in ("FORWARD", "BACKWARD", "BIDIRECTIONAL"):
                continue
            sent = doc[start].sent
            reach = rule.max_scope or DEFAULT_SCOPE
            if rule.direction in ("FORWARD", "BIDIRECTIONAL"):
                after = bisect_left(terminators, end)  # the first terminator at or after the trigger's end
                stop = min(sent.end, end + reach, terminators[after] if after < len(terminators) else sent.end)
                out.append((end, stop))
            if rule.direction in ("BACKWARD", "BIDIRECTIONAL"):
                before = bisect_left(terminators, start) - 1  # the last terminator before the trigger
                begin = max(sent.start, start - reach, terminators[before] + 1 if before >= 0 else sent.start)
                out.append((begin, start))
        return out

    def set_annotations(self, doc: Doc, triggers: list[tuple[Rule, int, int]]) -> None:
        scopes = Cover(self.scopes(doc, triggers))
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
