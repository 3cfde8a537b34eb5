"""Paragraph breaks are sentence breaks: headings and captions never glue onto the next sentence."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("extractor_paragraph_sentences", assigns=["token.is_sent_start"])
def paragraph_sentences(doc: Doc) -> Doc:
    """Marks the token after any newline as a sentence start; the sentencizer (overwrite=False) fills in the rest."""
    for token in doc[:-1]:
        if ("\n" in token.text_with_ws and not token.is_space) or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc
