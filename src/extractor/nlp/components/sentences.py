"""Paragraph breaks are sentence breaks: headings and captions never glue onto the next sentence."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import cast

from spacy.attrs import IDX, SENT_START  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d

from extractor.nlp.doc_memo import doc_text

NEWLINE = re.compile(r"\n")


@Language.component("extractor_paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """Marks the token after any token holding a newline as a sentence start; the sentencizer (overwrite=False)
    fills in the rest. Reads the newlines of the text, not every token (a Token object per word is slow)."""
    starts = [int(i) for i in doc.to_array(IDX)] if len(doc) else []
    marked = {bisect_right(starts, m.start()) for m in NEWLINE.finditer(doc_text(doc))}  # the token after it
    flags = doc.to_array([SENT_START])  # token.is_sent_start's setter scans the whole Doc on every call
    for i in marked:
        if 0 < i < len(doc):
            flags[i] = 1
    doc.from_array([SENT_START], cast(Ints2d, flags))
    return doc
