"""Article metadata read from the text itself: title, DOI, PMID, journal, year, article type.

Structured sources (JATS, HTML meta tags) give their own values in `Document.metadata`, which win.
A field that is not stated stays None: nothing is guessed from the file name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.ingest.document import Document
from extractor.lexicons import load_json
from extractor.record import ArticleType, Metadata

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


@lru_cache(maxsize=1)
def _type_rules() -> tuple[list[str], dict[str, list[re.Pattern[str]]]]:
    data = load_json("article_type_cues.json")
    rules = {name: [re.compile(p, re.I) for p in patterns] for name, patterns in data["rules"].items()}
    return list(data["order"]), rules


def classify_article_type(title: str | None, abstract: str, methods: str, body_start: str) -> ArticleType:
    """First hit wins, reading the title, then the abstract, then the methods (what this study did, not
    the trials it cites), then the opening of the text."""
    order, rules = _type_rules()
    for text in (title or "", abstract, methods, body_start):
        for name in order:
            if any(p.search(text) for p in rules[name]):
                return ArticleType(name)
    return ArticleType.other


def _title(document: Document) -> str | None:
    """The first substantial line before the abstract that is not a banner, a DOI or a citation line."""
    text = document.text
    abstract = next((s for s in document.sections if s.name == "abstract"), None)
    head = text[: abstract.start if abstract else min(len(text), 1500)]
    for line in head.split("\n"):
        line = line.strip()
        words = line.split()
        if len(words) < 4 or len(line) > 300 or DOI.search(line) or line.lower().startswith(("doi", "http")):
            continue
        if not words[0][:1].isupper() or re.search(r"\b(?:et al|vol\.|pp\.|©|copyright)", line, re.I):
            continue
        return line.rstrip(".")
    return None


def _section_text(document: Document, name: str) -> str:
    return " ".join(document.text[s.start : s.end] for s in document.sections if s.name == name)


def read_metadata(document: Document) -> Metadata:
    given = document.metadata
    text = document.text
    front = text[:5000]
    doi_match = DOI.search(front)
    pmid_match = PMID.search(front)
    title = given.get("title") or _title(document)
    year = given.get("year")
    if year is None and doi_match:
        line = front[max(0, doi_match.start() - 200) : doi_match.end() + 200]
        years = YEAR.findall(line)
        year = int(years[0]) if years else None
    abstract = _section_text(document, "abstract")[:4000]
    methods = _section_text(document, "methods")[:6000]
    article_type = given.get("article_type") or classify_article_type(title, abstract, methods, text[:3000])
    return Metadata(
        title=title,
        doi=given.get("doi") or (doi_match.group(1).rstrip(".,;)") if doi_match else None),
        pmid=given.get("pmid") or (pmid_match.group(1) if pmid_match else None),
        journal=given.get("journal"),
        year=year,
        article_type=article_type,
    )
