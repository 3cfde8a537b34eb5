"""Paragraph breaks are sentence breaks: headings and captions never glue onto the next sentence."""

from __future__ import annotations

import re
from typing import cast

import numpy
from spacy.attrs import IDX, SENT_START  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from extractor.nlp.doc_memo import doc_text

NEWLINE = re.compile(r"\n")


@Language.component("extractor_paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """Marks the token after any token holding a newline as a sentence start; the sentencizer (overwrite=False)
    fills in the rest. Works on arrays: `token.is_sent_start`'s setter scans the whole Doc on every call."""
    if not len(doc):
        return doc
    newlines = [m.start() for m in NEWLINE.finditer(doc_text(doc))]
    after = numpy.searchsorted(doc.to_array(IDX), newlines, side="right")  # the token after the one holding it
    flags = doc.to_array([SENT_START])
    flags[after[(after > 0) & (after < len(doc))]] = 1
    doc.from_array([SENT_START], cast(Ints2d, flags))
    return doc
