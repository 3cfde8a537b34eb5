"""ConText-style negation scopes: the triggers of a rule list found in a Doc, and the tokens each one negates.

Triggers are data (`lexicons/negation_rules.json`, ConText categories and directions); scope runs from a
trigger in its direction up to `max_scope` tokens, stopping at a TERMINATE trigger or the sentence edge.
Shared by `extractor_negation` (which marks entities and item spans) and the adverse-event component (which
drops negated event terms before it reads them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor.nlp.rules import Rule

Trigger = tuple[Rule, int, int]  # a rule and the token range it matched
DEFAULT_SCOPE = 8  # tokens a trigger reaches when its rule sets no max_scope: a short clause ('no prior exposure to X')


class NegationScopes:
    """Finds a rule list's triggers in a Doc (`match`) and the token ranges they negate (`scopes`)."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], rules: list[Rule]) -> None:
        self.vocab = vocab
        self.rules = rules
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for i, rule in enumerate(rules):
            self.matcher.add(str(i), [make_doc(rule.literal)])

    def __call__(self, doc: Doc) -> list[tuple[int, int]]:
        return self.scopes(doc, self.match(doc))

    def match(self, doc: Doc) -> list[Trigger]:
        """Triggers found, longest first where they overlap; pseudo-triggers swallow what they cover."""
        found = sorted(
            ((self.rules[int(self.vocab.strings[key])], start, end) for key, start, end in self.matcher(doc)),
            key=lambda m: (m[1], -(m[2] - m[1])),
        )
        kept: list[Trigger] = []
        covered_until = -1
        for rule, start, end in found:
            if start < covered_until:
                continue
            kept.append((rule, start, end))
            covered_until = end
        return kept

    def scopes(self, doc: Doc, triggers: list[Trigger]) -> list[tuple[int, int]]:
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
