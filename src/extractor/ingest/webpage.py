"""Saved web pages as text (PubMed, PMC, publisher pages): keep the article, drop the site around it.

Which lines are site chrome is data (`lexicons/web_boilerplate.json`); nothing is dropped from a text
that does not look like a web page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from extractor.ingest.clean import SourceLine
from extractor.nlp.rules import web_boilerplate


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    data = web_boilerplate()
    return {
        "min_markers": data.min_markers,
        "markers": set(data.markers),
        "drop": set(data.drop),
        "stop_after": set(data.stop_after),
    }


def _key(line: str) -> str:
    return " ".join(line.split()).lower()


def is_web_page(lines: list[SourceLine]) -> bool:
    rules = _rules()
    seen = {_key(ln.text) for ln in lines[:400]} | {_key(ln.text) for ln in lines[-400:]}
    return bool(len(seen & rules["markers"]) >= rules["min_markers"])


def strip_boilerplate(lines: list[SourceLine]) -> tuple[list[SourceLine], int]:
    """The article's lines, and how many were dropped. Repeated adjacent lines ('Fig. 1' twice) collapse."""
    if not is_web_page(lines):
        return lines, 0
    rules = _rules()
    kept: list[SourceLine] = []
    for line in lines:
        key = _key(line.text)
        if key in rules["stop_after"]:
            break
        if key in rules["drop"]:
            continue
        if kept and key and key == _key(kept[-1].text):
            continue
        kept.append(line)
    return kept, len(lines) - len(kept)
