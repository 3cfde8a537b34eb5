"""The tokenizer splits what the drug lexicon must see as words; trial names stay whole."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from extractor.nlp.pipeline import load_pipeline
from extractor.nlp.tokenizer import AffixMemo


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_pipeline()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tegafur/gimeracil", ["tegafur", "/", "gimeracil"]),
        # evidence_inference PMC2365957: a bracket closed before the joiner
        ("fumarate (TDF)/emtricitabine (FTC)", ["fumarate", "(", "TDF", ")", "/", "emtricitabine", "(", "FTC", ")"]),
        ("(S)-ketamine", ["(S)", "-", "ketamine"]),
        ("(n=3)/day", ["(n=3)", "/", "day"]),
        ("BOLERO-2", ["BOLERO-2"]),
    ],
)
def test_tokens(nlp: spacy.language.Language, text: str, expected: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == expected


def test_a_drug_defined_with_its_combination_partner_stays_a_drug(nlp: spacy.language.Language) -> None:
    # PMC2365957: the abbreviation detector pairs 'FTC' with 'fumarate (TDF)/emtricitabine'; another pairing of
    # the same short form without a drug inside must not unmake it
    doc = nlp("Patients received tenofovir disoproxil fumarate (TDF)/emtricitabine (FTC) 300/200 mg. TDF/FTC QD.")
    assert "emtricitabine" in {e.kb_id_ for e in doc.ents if e.text == "FTC"}


def test_the_affix_memo_changes_no_token(nlp: spacy.language.Language) -> None:
    """The memoized affix searches split a seed article as the bare patterns do, the second time too."""
    text = sorted((Path(__file__).parents[2] / "corpus" / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    tokenizer = nlp.tokenizer
    memoized = [(t.idx, t.text) for t in tokenizer(text)]
    assert memoized == [(t.idx, t.text) for t in tokenizer(text)]
    searches = ("prefix_search", "suffix_search", "infix_finditer")
    assert all(isinstance(getattr(tokenizer, name), AffixMemo) for name in searches)
    assert all(getattr(tokenizer, name).seen for name in searches)
    plain = spacy.tokenizer.Tokenizer(
        nlp.vocab,
        rules=tokenizer.rules,
        prefix_search=tokenizer.prefix_search.__self__.search,
        suffix_search=tokenizer.suffix_search.__self__.search,
        infix_finditer=tokenizer.infix_finditer.__self__.finditer,
    )
    assert [(t.idx, t.text) for t in plain(text)] == memoized
