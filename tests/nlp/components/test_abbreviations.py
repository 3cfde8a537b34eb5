"""The bounded abbreviation detector finds what scispaCy's finds, without its quadratic matcher."""

from __future__ import annotations

import pytest
import spacy
from scispacy.abbreviation import AbbreviationDetector

from extractor.nlp.components.abbreviations import MAX_INSIDE, BoundedAbbreviationDetector
from extractor.nlp.tokenizer import create_scispacy_tokenizer
from tests.conftest import SEEDS


def _nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.tokenizer = create_scispacy_tokenizer()(nlp)
    return nlp


def _pairs(doc: spacy.tokens.Doc) -> list[tuple[str, str]]:
    return sorted({(a["short_text"], a["long_text"]) for a in doc._.abbreviations})


@pytest.mark.slow
def test_same_abbreviations_as_scispacy_on_the_seeds() -> None:
    nlp = _nlp()
    ours = BoundedAbbreviationDetector(nlp, "ours", make_serializable=True)
    theirs = AbbreviationDetector(nlp, "theirs", make_serializable=True)
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert _pairs(ours(nlp.make_doc(text))) == _pairs(theirs(nlp.make_doc(text))), seed.name


def test_issue_9_parentheses_do_not_match_quadratically() -> None:
    """A long text with thousands of parentheses ran scispaCy's matcher out of 24 GB."""
    nlp = _nlp()
    detector = BoundedAbbreviationDetector(nlp, "ours", make_serializable=True)
    doc = nlp.make_doc("Median PFS was 7.8 months (95% CI 6.9-8.5). " * 2000)
    opening = sum(token.text == "(" for token in doc)
    assert len(detector.matcher(doc)) <= MAX_INSIDE * opening
