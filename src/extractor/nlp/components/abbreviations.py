"""scispaCy's abbreviation detector (Schwartz & Hearst, 2003) with a bounded parenthesis matcher.

scispaCy matches `(` + one-or-more tokens + `)`, which yields every pair of an opening and a later closing
parenthesis in the Doc: quadratic in the number of parentheses (a 3 MB text with 30,000 of them ran out of
24 GB). Its own filter then drops every match with more than 8 tokens inside, so matching at most 8 tokens
finds exactly the same abbreviations in linear time. Its global matcher (every further occurrence of each short
form found) is a Matcher of one token-by-token pattern per short form, tried at every token: quadratic again in
a long text with many abbreviations (4 s of a 1 MB text); the same patterns as phrases find the same matches by
lookup.
"""

from __future__ import annotations

import warnings

from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

MAX_INSIDE = 8  # scispacy.abbreviation.filter_matches ignores longer parentheticals


class OrthPhraseMatcher:
    """What scispaCy's `find_matches_for` asks of its global Matcher (`add` a list of {"ORTH": text} token
    patterns, call, `remove`), answered by a PhraseMatcher on ORTH: the same matches, overlapping ones included,
    in the same order."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.phrases = PhraseMatcher(vocab, attr="ORTH")

    def add(self, key: str, patterns: list[list[dict[str, str]]]) -> None:
        self.phrases.add(key, [Doc(self.vocab, words=[token["ORTH"] for token in pattern]) for pattern in patterns])

    def remove(self, key: str) -> None:
        self.phrases.remove(key)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        return self.phrases(doc)


@Language.factory(
    "extractor_abbreviations",
    assigns=["doc._.abbreviations"],
    default_config={"make_serializable": True},
)
class BoundedAbbreviationDetector(AbbreviationDetector):  # type: ignore[misc]
    """Sets doc._.abbreviations like scispaCy's `abbreviation_detector` (plain dicts when make_serializable)."""

    def __init__(self, nlp: Language, name: str, *, make_serializable: bool) -> None:
        super().__init__(nlp, name=name, make_serializable=make_serializable)
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": f"{{1,{MAX_INSIDE}}}"}, {"ORTH": ")"}]])
        self.global_matcher = OrthPhraseMatcher(nlp.vocab)

    def find_matches_for(self, filtered: list[tuple[Span, Span]], doc: Doc) -> list[tuple[Span, set[Span]]]:
        """scispaCy's, minus its W036 warning on every document without an abbreviation (an empty matcher)."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r".*W036", UserWarning)
            found: list[tuple[Span, set[Span]]] = super().find_matches_for(filtered, doc)
        return found
