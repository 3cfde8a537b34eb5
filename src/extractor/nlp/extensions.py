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
    "extractor_layout": {"default": None},  # the Document's sections and tables (nlp/layout.py)
}


def abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """(short form, long form) pairs from scispaCy's abbreviation detector, in either of its two modes:
    Spans with `._.long_form`, or the plain dicts of `make_serializable=True` (which the configs use, so Docs
    cross process boundaries)."""
    if not Doc.has_extension("abbreviations"):
        return []
    pairs = []
    for item in doc._.abbreviations:
        if isinstance(item, dict):
            pairs.append((doc[item["short_start"] : item["short_end"]], doc[item["long_start"] : item["long_end"]]))
        elif isinstance(item._.long_form, Span):
            pairs.append((item, item._.long_form))
    return pairs


def set_extensions() -> None:
    for name, kwargs in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, **kwargs)
    for name, kwargs in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, **kwargs)
