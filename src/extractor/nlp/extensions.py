"""Every custom spaCy attribute the extractor sets, declared once.

Values are plain data (bool, str, float, dict), never Spans, so Docs survive `nlp.pipe(n_process>1)`.
Names carry an `extractor_` prefix where a bare name could clash with another library's.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

SPAN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "negated": {"default": False},  # ConText-style negation (nlp/components/negation.py)
    "item": {"default": None},  # the parsed item of an extractor span (a dict): dose, lab value, outcome ...
}
DOC_EXTENSIONS: dict[str, dict[str, Any]] = {
    "extractor_meta": {"default": None},  # Document facts the components may read (sections, tables)
}


def set_extensions() -> None:
    for name, kwargs in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, **kwargs)
    for name, kwargs in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, **kwargs)
