"""Section headings: recognise a heading line and name its section as the contract does.

The heading vocabulary is data (`lexicons/section_headings.json`); this module only applies it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.nlp.rules import section_headings
from extractor.record import SectionName

# "2.", "2.1", "II.", "A." in front of a heading.
_NUMBERING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-H]\.)\s+")
_CAPTION = re.compile(
    r"^(?P<kind>fig(?:ure)?s?|table|supplementary\s+(?:figure|table))\.?\s*(?P<label>[0-9]+[A-Za-z]?|[IVX]+)"
    r"(?:\b|(?<=\d)(?=[A-Z][a-z]))",  # "Table 2Baseline ...": a caption run into its label
    re.I,
)


@lru_cache(maxsize=1)
def _headings() -> dict[str, SectionName]:
    table: dict[str, SectionName] = {}
    for name, forms in section_headings().rules.items():
        for form in forms:
            table[form.lower()] = name
    return table


@lru_cache(maxsize=1)
def _top_level() -> frozenset[str]:
    return frozenset(form.lower() for form in section_headings().top_level)


def heading_key(line: str) -> str:
    line = _NUMBERING.sub("", line.strip())
    return re.sub(r"[\s:.]+$", "", re.sub(r"\s+", " ", line)).lower()


def classify_heading(line: str) -> SectionName | None:
    """The section a standalone heading line opens, or None when the line is not a known heading."""
    if len(line) > 80:
        return None
    return _headings().get(heading_key(line))


# "TITLE:", "ABSTRACT.BACKGROUND:", "BODY.RESULTS.SUBGROUP ANALYSIS:": the Evidence Inference text export's
# headings (its root, then the upper-cased titles of the section path, each after a dot).
# A heading can follow a float's label with no break ("Figure 2BODY.GAMETOCYTE CARRIAGE ...:").
_EXPORT_HEADING = re.compile(
    r"^(?:(?:Figure|Fig\.|Table)\s*\d{1,3}[A-Za-z]?)?(?P<root>TITLE|ABSTRACT|BODY)(?P<path>(?:\.[^:\n]{0,200})?)\s*:"
)


def export_heading(line: str) -> tuple[str, list[str]] | None:
    """'BODY.RESULTS.SUBGROUP ANALYSIS:' -> ('BODY', ['RESULTS', 'SUBGROUP ANALYSIS']); None for any other line."""
    m = _EXPORT_HEADING.match(line.strip())
    if m is None or m.group("path") != m.group("path").upper():
        return None
    path: list[str] = []
    number = ""  # a section number ("2", "2.1") stays with the title after it: "BODY.2.1. PATIENTS"
    for part in re.split(r"\.(?!\d)", m.group("path").removeprefix(".")):
        part = part.strip()
        if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", part):
            number = part
        elif part:
            path.append(f"{number}. {part}" if number else part)
            number = ""
    return m.group("root"), path


def export_section(root: str, path: list[str], current: SectionName | None) -> SectionName:
    """The section an export heading opens. Under ABSTRACT, the abstract; under BODY, the last title of the path
    that is a known heading names it ("BODY.RESULTS.SUBGROUP ANALYSIS" -> results). The export does not show how
    sections nest, so a known subsection heading ("PATIENTS", "SAFETY") keeps an established part's name unless
    one of its titles is a top-level heading ("RESULTS"); an unknown one always does. Back matter ("COMPETING
    INTERESTS") is "other" after the discussion; inside the methods ("ETHICS STATEMENT") it is a part of them."""
    if root == "TITLE":
        return "other"
    if root == "ABSTRACT":
        return "abstract"
    established = current not in (None, "other", "abstract")
    named = next((name for part in reversed(path) if (name := classify_heading(part)) is not None), None)
    if named is None:
        return current if established and current is not None else "other"
    if named == "other":  # back matter ("COMPETING INTERESTS") after the body, else a part of it ("ETHICS")
        return current if current in ("introduction", "methods", "results") else "other"
    if not established or any(_is_top_level(part) for part in path):
        return named
    return current if current is not None else named


def _is_top_level(title: str) -> bool:
    """An IMRaD heading, or a heading numbered at the first level ("2. Methodology")."""
    return heading_key(title) in _top_level() or bool(re.match(r"^\d{1,2}\.?\s+\S", title.strip()))


def inline_heading(line: str) -> tuple[SectionName, int] | None:
    """'Abstract: text...' or 'Summary. text': the section and where the text after the heading starts.

    Only top-level openers count inline; 'Background:' inside a structured abstract stays in the abstract.
    """
    m = re.match(r"^\s*(abstract|summary)\s*[:.]\s+", line, re.I)
    if m:
        return "abstract", m.end()
    return None


_SUBSECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+(?=[A-Z])")
_RUN_IN_END = re.compile(r"\.\s+(?=[A-Z(\[])")


def numbered_heading(line: str) -> int | None:
    """A numbered subsection heading at the start of a line ("3.2. Survival Analysis", or run in: "2.1. Subjects
    (Table 1). All participants..."): where the heading ends in the line, or None. The number has two to four
    levels; the title is short and in title case; a run-in title ends at the first period followed by a capital."""
    m = _SUBSECTION_NUMBER.match(line)
    if not m:
        return None
    rest = line[m.end() :]
    stop = _RUN_IN_END.search(rest)
    title = rest[: stop.start()] if stop else rest.rstrip().removesuffix(".")
    words = title.split()
    if not 1 <= len(words) <= 16 or len(title) > 120 or title.endswith((",", ";", ":")):
        return None
    long_words = [w for w in words if len(w) > 3]
    if sum(not w[0].islower() for w in long_words) < 0.6 * len(long_words):
        return None
    return m.end() + (stop.start() + 1 if stop else len(rest))


def caption_kind(line: str) -> tuple[SectionName, str] | None:
    """'Fig. 2 Photographs of ...' -> ('figure_caption', 'Fig. 2'); 'Table 1 Results ...' -> ('table', 'Table 1')."""
    m = _CAPTION.match(line.strip())
    if not m:
        return None
    kind: SectionName = "table" if "table" in m.group("kind").lower() else "figure_caption"
    return kind, m.group(0)
