"""A document's own metadata, read from its front matter: title, DOI, PMID, journal, year, article type.

Structured sources (JATS, HTML meta tags) give their own values in `Document.metadata`, which win.
A field that is not stated stays None: nothing is guessed from the file name.

PDFs also bring their first page as front matter (`Document.metadata["pdf_front"]`, see `ingest.pdf.front`):
the title is the block set in the largest type, and the journal and year come from the page-1 lines that the
body text drops as running heads. The rules, in order of trust:

- title: the largest-type block of page 1; else the PDF's info Title when page 1 prints it; else the first
  substantial line before the abstract, with a leading category banner ("Clinical Study ...") removed and a
  line ending in ":" continued by the next;
- journal: a line directly above a "Volume N" line ("Journal of X" / "Volume 2016, Article ID ..."), a running
  head "Journal of X Volume N", a citation line "[Author et al.] Journal of X 2010, 4:1" or "Journal of X (2016)
  13:45", the PDF info Subject when it is such a citation, or a citation sentence "Title. Journal of X,
  [Publisher,] 2012, 2 (1), ..." (HAL cover pages, "To cite this article" blocks);
- year: the year of that citation line, else a year-numbered volume ("Volume 2016"), else "Published ... 2016",
  else the copyright year, else a year next to the DOI;
- DOI: the first DOI of the text's front, else of the page-1 lines (running heads), else of the info Subject.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from extractor.ingest.document import Document
from extractor.ingest.pdf.front import banner_words
from extractor.nlp.rules import article_type_cues
from extractor.record import ArticleType, Metadata

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
PMID = re.compile(r"\bPMID:?\s*(\d{5,9})\b")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# A journal name (title case is checked by _journal_name): no digits, e-mail or URL; "&", ":", "-", "'" and
# "." (abbreviations) allowed.
_NAME = r"[A-Za-z][^\d@/\[\]<>=;]{2,120}?"
_VOLUME = re.compile(r"^(?:Volume|Vol\.?)\s*(\d{1,4})\b", re.I)
_NAME_THEN_VOLUME = re.compile(rf"^(?P<journal>{_NAME})[,.]?\s+(?:Volume|Vol\.)\s*(?P<volume>\d{{1,4}})\b")
_CITATION_LINE = re.compile(
    rf"^(?:\S.{{0,80}}?\bet al\.?,?\s+)?(?P<journal>{_NAME})\s*,?\s+\(?(?P<year>{_YEAR})\)?\s*[,;:]?\s*\d+\s*[:(,]"
)
_CITATION_SENTENCE = re.compile(
    rf"(?:^|[.?]\s+)(?P<journal>[A-Z][^.,\d@<>]{{2,120}}),\s+(?:[^,\d]{{2,60}},\s+)?(?P<year>{_YEAR}),\s*\d+\s*\("
)
_SUBJECT_CITATION = re.compile(rf"^(?P<journal>{_NAME})[,\s]+(?P<year>{_YEAR})\b")
_PUBLISHED = re.compile(rf"\bPublished(?:\s+online)?:?\s+(?:\w+\.?\s+){{0,3}}?(?P<year>{_YEAR})\b", re.I)
_COPYRIGHT = re.compile(
    rf"(?:©|\(c\)|\bcopyright)\s*(?:©\s*)?(?:the\s+authors?(?:\(s\))?,?\s*)?(?P<year>{_YEAR})\b", re.I
)
_PUBLISHER = re.compile(
    r"\b(?:publish\w*|corporation|press|ltd|limited|inc|gmbh|group|university|department|hospital|editor)\b", re.I
)
_CITE_HINT = re.compile(r"(?i)^(?:to cite|cite this|how to cite|citation:)")
_JOINING = {"of", "and", "in", "the", "for", "on", "to", "de", "du", "des", "la", "le", "et", "und", "für", "a", "an"}
_NOT_A_TITLE = re.compile(r"\.(?:dvi|docx?|pdf|tex|indd|qxd|rtf|fm)\b|^microsoft\b|^untitled\b|^title\b", re.I)


@lru_cache(maxsize=1)
def _type_rules() -> tuple[list[ArticleType], dict[ArticleType, list[re.Pattern[str]]]]:
    data = article_type_cues()
    rules = {name: [re.compile(p, re.I) for p in patterns] for name, patterns in data.rules.items()}
    return list(data.order), rules


def classify_article_type(
    title: str | None, abstract: str, methods: str, body_start: str, banner: str | None = None
) -> ArticleType:
    """First hit wins, reading the publisher's category banner, then the title, then the abstract, then the
    methods (what this study did, not the trials it cites), then the opening of the text."""
    order, rules = _type_rules()
    for text in (banner or "", title or "", abstract, methods, body_start):
        for name in order:
            if any(p.search(text) for p in rules[name]):
                return ArticleType(name)
    return ArticleType.other


def _squash(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def strip_banner(line: str) -> str:
    """'Clinical Study The Initial Assessment of ...' -> 'The Initial Assessment of ...': a leading category
    banner of two to four words run into the title line is removed when a capitalized title of three words or
    more follows it."""
    words = line.split()
    n = next((n for n in range(min(4, len(words) - 3), 1, -1) if banner_words(" ".join(words[:n]))), 0)
    return " ".join(words[n:]) if n and words[n][:1].isupper() else line


def _text_title(document: Document) -> str | None:
    """The paragraph under a "TITLE:" heading (the Evidence Inference export), else the first substantial line
    before the abstract that is not a banner, a DOI or a citation line."""
    text = document.text
    abstract = next((s for s in document.sections if s.name == "abstract"), None)
    head = text[: abstract.start if abstract else min(len(text), 1500)]
    lines = [line.strip() for line in head.split("\n")]
    if lines and lines[0] == "TITLE:":
        labelled = next((line for line in lines[1:] if line), "")
        return _first_title(labelled) or None
    for i, line in enumerate(lines):
        line = strip_banner(line)
        words = line.split()
        if len(words) < 4 or len(line) > 300 or DOI.search(line) or line.lower().startswith(("doi", "http")):
            continue
        if not words[0][:1].isupper() or re.search(r"\b(?:et al|vol\.|pp\.|©|copyright)", line, re.I):
            continue
        if _NAME_THEN_VOLUME.match(line) or _VOLUME.match(line) or banner_words(line) or _CITE_HINT.match(line):
            continue
        if line.endswith(":"):  # a subtitle on the next line: "Oral Myiasis ...:" / "An Uncommon Case Report"
            following = next((x for x in lines[i + 1 : i + 3] if x), "")
            if following[:1].isupper() and len(following.split()) <= 15 and not following.endswith("."):
                line = f"{line} {following}"
        return line.rstrip(".")
    return None


# A title run into the next title field (the export glues subtitle and translated title on: "...cross-over
# studyThe effects of...", "...National CohortFindings of ..."): a capital right after a lower-case word.
# A capital after a prefix is a word's own ("IntraCerebral Haemorrhage"); so are those of a brand written in camel
# case ("IntestAidIB", "CarE").
_GLUED_TITLE = re.compile(r"(?<=[a-z]{2})(?=(?:[A-Z][a-z]+|[A-Z]{2,}|A)\b)")
_PREFIX = re.compile(r"(?i)\b(?:intra|inter|extra|multi|non|anti|pre|post|co|sub|super|trans|hyper|hypo)$")


def _first_title(line: str) -> str:
    """The line up to where a second title is glued on (4+ words before it, 2+ after it)."""
    for cut in _GLUED_TITLE.finditer(line):
        before = line[: cut.start()]
        word = before.split()[-1] + line[cut.start() :].split()[0]
        camel = len(re.findall(r"[a-z][A-Z]", word)) > 1
        if (
            len(before.split()) >= 4
            and len(line[cut.start() :].split()) >= 2
            and not _PREFIX.search(before)
            and not camel
        ):
            return before.rstrip(" .")
    return line.rstrip(" .")


def _title(document: Document, front: dict[str, Any], front_text: str) -> str | None:
    if front.get("title"):
        return str(front["title"]).rstrip(".*∗†‡§¶ ")
    info = front.get("info_title")
    if info and len(info.split()) >= 3 and not _NOT_A_TITLE.search(info) and _squash(info) in _squash(front_text):
        return str(info).rstrip(".")
    return _text_title(document)


def _journal_name(name: str) -> str | None:
    """A journal name as printed: 1-15 words in title case (small joining words aside), not a publisher or a
    banner. Title case keeps sentences ("Patients enrolled in 2010, 45 (30%) ...") from passing as citations."""
    name = name.strip(" ,.;:-")
    words = name.split()
    if not 1 <= len(words) <= 15 or _PUBLISHER.search(name) or banner_words(name):
        return None
    if len(words) == 1 and len(name) < 4:
        return None
    if any(w[:1].islower() and w.lower() not in _JOINING and w.islower() for w in words):  # eLife, mBio pass
        return None
    return name


def journal_and_year(lines: list[str], subject: str | None = None) -> tuple[str | None, int | None]:
    """The journal and the year a first page's citation lines state (see the module docstring)."""
    journal: str | None = None
    year: int | None = None
    for i, line in enumerate(lines):
        volume = _VOLUME.match(line)
        if volume and i > 0 and (name := _journal_name(lines[i - 1])):
            number = int(volume.group(1))
            return name, (number if 1950 <= number <= 2049 else None)
        match = _NAME_THEN_VOLUME.match(line)
        if match and (name := _journal_name(match.group("journal"))):
            number = int(match.group("volume"))
            return name, (number if 1950 <= number <= 2049 else None)
        match = _CITATION_LINE.match(line)
        if match and (name := _journal_name(match.group("journal"))):
            return name, int(match.group("year"))
    if subject and (DOI.search(subject) or re.search(r"\d+:\d+", subject)):
        match = _SUBJECT_CITATION.match(subject)
        if match and (name := _journal_name(match.group("journal"))):
            return name, int(match.group("year"))
    for match in _CITATION_SENTENCE.finditer(" ".join(lines)):
        if name := _journal_name(match.group("journal")):
            return name, int(match.group("year"))
    return journal, year


def _year(front_text: str, cited: int | None, doi_match: re.Match[str] | None) -> int | None:
    if cited is not None:
        return cited
    for pattern in (_PUBLISHED, _COPYRIGHT):
        match = pattern.search(front_text)
        if match:
            return int(match.group("year"))
    if doi_match:
        text = doi_match.string
        years = YEAR.findall(text[max(0, doi_match.start() - 200) : doi_match.end() + 200])
        return int(years[0]) if years else None
    return None


def _section_text(document: Document, name: str) -> str:
    return " ".join(document.text[s.start : s.end] for s in document.sections if s.name == name)


def _front_lines(document: Document, front: dict[str, Any]) -> list[str]:
    """Page-1 lines of a PDF (running heads included), else the lines before the abstract."""
    if front.get("lines"):
        return [str(line["text"]) for line in front["lines"]]
    abstract = next((s for s in document.sections if s.name == "abstract"), None)
    head = document.text[: abstract.start if abstract else min(len(document.text), 3000)]
    return [line.strip() for line in head.split("\n") if line.strip()]


def _doi(*texts: str | None) -> str | None:
    for text in texts:
        match = DOI.search(text or "")
        if match:
            return match.group(1).rstrip(".,;)]")
    return None


def read_metadata(document: Document) -> Metadata:
    given = document.metadata
    front: dict[str, Any] = given.get("pdf_front") or {}
    text = document.text
    lines = _front_lines(document, front)
    front_text = "\n".join(lines) + "\n" + text[:5000]
    doi_match = DOI.search(text[:5000])
    pmid_match = PMID.search(text[:5000])
    title = given.get("title") or _title(document, front, front_text)
    journal, cited_year = journal_and_year(lines, front.get("info_subject"))
    year = given.get("year") or _year(front_text, cited_year, doi_match)
    abstract = _section_text(document, "abstract")[:4000]
    methods = _section_text(document, "methods")[:6000]
    article_type = given.get("article_type") or classify_article_type(
        title, abstract, methods, text[:3000], banner=front.get("banner")
    )
    return Metadata(
        title=title,
        doi=given.get("doi") or _doi(text[:5000], "\n".join(lines), front.get("info_subject")),
        pmid=given.get("pmid") or (pmid_match.group(1) if pmid_match else None),
        journal=given.get("journal") or journal,
        year=year,
        article_type=article_type,
    )
