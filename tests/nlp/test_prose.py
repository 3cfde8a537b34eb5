"""Sentences as a reader sees them, across hard line wraps, and the start of the reference list."""

from __future__ import annotations

from itertools import pairwise

import pytest

from extractor.nlp.prose import references_start, sentence_at, sentence_bounds, trimmed

SAME_SENTENCE = [
    # 001_1fbf8c8289c92d00.txt: a value and its unit on two lines
    ("Her lactate dehydrogenase (LDH) was slightly elevated at 254\nU/l. Her CEA level", "LDH", "U/l"),
    # 002_e5b7ac3fa1a98ba6.txt: wrapped lines separated by blank lines, an open phrase at the line end
    ("we restart everolimus in these patients at a reduced dose of \n\n5 mg. Patients are", "everolimus", "5 mg"),
    # 002: a flattened table cell list
    (
        "Letrozole 2.5 mg daily,  \ntemsirolimus 30 mg daily,  \n5 days every 2 weeks or  \nletrozole",
        "Letrozole",
        "days",
    ),
    # a decimal is not a sentence end (001: 'from 70.5\nU/ml to 41.4 U/ml')
    ("Her CA15-3 level decreased from 70.5 U/ml to 41.4 U/ml (Figure 2).", "CA15-3", "41.4"),
    # et al. is not a sentence end (001)
    ("A retrospective study by Kopp et al. showed that out of 12,970 patients", "Kopp", "12,970"),
]


@pytest.mark.parametrize(("text", "first", "second"), SAME_SENTENCE)
def test_same_sentence(text: str, first: str, second: str) -> None:
    assert sentence_at(text, text.index(first)) == sentence_at(text, text.index(second))


OTHER_SENTENCE = [
    # 002: a heading line, then prose
    ("Temsirolimus\nTemsirolimus is currently approved for advanced renal cell", "Temsirolimus", "is currently"),
    # 002: a citation number after the full stop
    ("was reported in these patients.12 An objective response rate", "patients", "objective"),
    # 001
    ("Her heart rate was 114\nbeats/min. The bilateral lungs were clear", "heart", "lungs"),
]


@pytest.mark.parametrize(("text", "first", "second"), OTHER_SENTENCE)
def test_other_sentence(text: str, first: str, second: str) -> None:
    assert sentence_at(text, text.index(first)) != sentence_at(text, text.index(second))


def test_sentences_cover_the_text_without_gaps() -> None:
    text = "One. Two\nthree.\n\nFour"
    bounds = sentence_bounds(text)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(bounds))


def test_references_start_at_their_heading() -> None:
    # 003_a421c88d45a70224.txt
    text = "Figures\n\nReferences\n\n    1. Okamoto A, Saito A. Bone marrow metastases"
    assert references_start(text) == text.index("References")
    assert references_start("no reference list here") == len("no reference list here")


def test_trimmed() -> None:
    assert trimmed("  10 mg \n", 0, 9) == (2, 7)
