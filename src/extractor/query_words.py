"""Free-text phrases matched to a record's names: the content words of a phrase (spelling, plurals and
compounds evened out, stop words left out), synonyms from `lexicons/outcome_synonyms.json`, abbreviations a
question or an article defines, and the similarity `extractor.query` ranks endpoints and arms by."""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.nlp.rules import outcome_synonyms
from extractor.nlp.spelling import american, greek_spelled
from extractor.nlp.text.analytes import AnalyteMatcher, packaged_analytes
from extractor.nlp.text.long_forms import first_letter_at

_STOP = frozenset(
    [
        "a",
        "an",
        "any",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "and",
        "or",
        "vs",
        "versus",
        "by",
        "from",
        "as",
        "after",
        "before",
        "during",
        "than",
        "group",
        "groups",
        "arm",
        "arms",
        "patients",
        "patient",
        "subjects",
        "participants",
        "treatment",
        "treated",
        "therapy",
        "receiving",
        "received",
        "plus",
        "alone",
        "only",
        "mean",
        "change",
        "changes",
        "score",
        "scores",
        "level",
        "levels",
        "rate",
        "rates",
        "total",
        "number",
        "proportion",
        "percentage",
        "percent",
        "value",
        "values",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "baseline",
        "end",
        "week",
        "weeks",
        "month",
        "months",
        "day",
        "days",
        "year",
        "years",
    ]
)


MIN_ENDPOINT_SIMILARITY = 0.5  # a record name answers a phrase sharing half its weighted words, or its initials
_ADJECTIVE_ENDING = re.compile(r"(?:ical|ic|ia|al)$")
ADJECTIVE_MIN_LETTERS = 7  # only longer words lose an adjective ending ('hypoglycemic'); 'renal', 'general' stay


def words(text: str | None) -> list[str]:
    """Content words: lowercase, American spelling, Greek letters spelled out, plural s, stop words left out."""
    text = american(greek_spelled((text or "").lower()))
    found = []
    for w in _split_compounds(re.findall(r"[a-z0-9]+(?:[.-][a-z0-9]+)*", text)):
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if len(w) > ADJECTIVE_MIN_LETTERS and "-" not in w:
            w = _ADJECTIVE_ENDING.sub("", w)  # 'hypoglycemic' and 'hypoglycemia' are one word here
        if w not in _STOP:
            found.append(w)
    return found


_COMPOUND = re.compile(r"(?![ivx]+\b)[a-z]{3,}(?:-(?![ivx]+\b)[a-z]{3,})+")  # not 'bayley-iii'


def _split_compounds(found: list[str]) -> list[str]:
    """'side-effects' is 'side effects' and 'control-group' is 'control group'; a number stays joined to its
    word ('1-week', 'il-6', 'bayley-iii'), as it tells arms, analytes and scales apart."""
    return [part for w in found for part in (w.split("-") if _COMPOUND.fullmatch(w) else [w])]


# A name covered counts most, as a question's phrase is often longer than the endpoint it names:
NAME_WEIGHT = 0.7  # the share of the record's name words the question holds
QUESTION_WEIGHT = 0.3  # the share of the question's words the name holds
MIN_CONTAINED_WORDS = 2  # a question's one word inside a long name names too little ('pain' in 'pain-free days')
INITIALS_SIMILARITY = 0.5  # the question names the record's initials ('PFS'): MIN_ENDPOINT_SIMILARITY, no more


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Each word of `lexicons/outcome_synonyms.json` to its group's first word."""
    table: dict[str, str] = {}
    for group in outcome_synonyms().groups:
        for word in group:
            table[word] = group[0]
    return table


_PARENTHESIZED = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})\)")


@lru_cache(maxsize=4096)
def defined_terms(phrase: str) -> tuple[tuple[str, str], ...]:
    """The abbreviations a phrase defines: 'postoperative nausea and vomiting (PONV)' -> (('PONV',
    'postoperative nausea and vomiting'),). Cached: one question is compared with every item of a record."""
    found = []
    for m in _PARENTHESIZED.finditer(phrase):
        short = m.group(1)
        if any(c.isupper() for c in short):
            long_form = _long_form(short, phrase[: m.start()])
            if long_form:
                found.append((short, long_form))
    return tuple(found)


def _long_form(short: str, before: str) -> str | None:
    """Schwartz & Hearst (2003): the short form's letters matched right to left in the words before it, its
    first letter at the start of a word, within min(|A| + 5, 2|A|) words. A first letter matched inside a
    hyphenated word ('gamma-induced') starts the long form at an earlier word with that letter when there is
    one: 'interferon gamma-induced protein 10 (IP-10)'."""
    letters = [c for c in short.lower() if c.isalnum()]
    text = " ".join(before.split()[-min(len(letters) + 5, 2 * len(letters)) :]).lower()
    first = first_letter_at(short, text)
    if first is None:
        return None
    start = text.rfind(" ", 0, first) + 1
    if first > 0 and text[first - 1] == "-":
        earlier = [m.start() for m in re.finditer(rf"(?<!\S){re.escape(letters[0])}", text[: max(0, start - 1)])]
        start = earlier[-1] if earlier else start
    return text[start:] or None


def _closed_up(found: list[str], other: set[str]) -> list[str]:
    """Two words the other side writes as one ('sero conversion' from 'sero-conversion' against 'seroconversion',
    'post operative' against 'postoperative', 'interleukin 2' against 'interleukin-2') as that one word."""
    out: list[str] = []
    i = 0
    while i < len(found):
        joined = (
            [w for w in (found[i] + found[i + 1], f"{found[i]}-{found[i + 1]}") if w in other]
            if i + 1 < len(found)
            else []
        )
        if joined:
            out.append(joined[0])
            i += 2
        else:
            out.append(found[i])
            i += 1
    return out


MAX_LONG_FORM_CHARS = 120  # the text before a parenthesis searched for its long form


@lru_cache(maxsize=8)
def text_abbreviations(text: str) -> dict[str, str]:
    """The one-word abbreviations an article defines, as content words ('interferon gamma-induced protein 10
    (IP-10)' -> {'ip-10': 'interferon gamma-induced protein 10'}); the first definition of each wins. Cached:
    every question about a record reads its text."""
    found: dict[str, str] = {}
    for m in _PARENTHESIZED.finditer(text):
        short = m.group(1)
        key = words(short)
        if len(key) != 1 or key[0] in found or not any(c.isupper() for c in short):
            continue
        long_form = _long_form(short, text[max(0, m.start() - MAX_LONG_FORM_CHARS) : m.start()])
        if long_form:
            found[key[0]] = long_form
    return found


def similarity(question: str, name: str, defined: dict[str, str] | None = None) -> float:
    """How well a record's name answers a question's phrase: the shared content words (synonyms shared as one
    word), weighted towards the record's name being covered (a question phrase is often longer than the
    endpoint it names). An abbreviation the question or the article (`defined`, see `text_abbreviations`)
    defines stands for its long form in the name where the question names that long form ('Total PONV' names
    'postoperative nausea and vomiting (PONV)', 'IP-10' names 'interferon gamma-induced protein 10'); a name
    of an analyte stands for every name the analyte lexicon gives it ('25(OH)D' is 'vitamin D', 'IL-2'
    'interleukin 2')."""
    score = _similarity(question, name, defined)
    for other in analyte_names(name):
        score = max(score, _similarity(question, other, defined))
    return score


@lru_cache(maxsize=4096)
def analyte_names(name: str) -> tuple[str, ...]:
    """Every name of the analyte `name` names as a whole (none when it names none, or more than an analyte)."""
    analyte = _analytes().by_name.get(name.strip()) or _analytes().named(name.strip())  # a lab value's canonical name
    return tuple(n for n in dict.fromkeys([analyte.canonical, *analyte.synonyms]) if n != name) if analyte else ()


@lru_cache(maxsize=1)
def _analytes() -> AnalyteMatcher:
    return AnalyteMatcher(packaged_analytes())


def _similarity(question: str, name: str, defined: dict[str, str] | None) -> float:
    table = synonyms()
    asked, named = words(question), words(name)
    asked, named = _closed_up(asked, set(named)), _closed_up(named, set(asked))
    q = {table.get(w, w) for w in asked}
    n = {table.get(w, w) for w in named}
    if not q or not n:
        return 0.0
    long_forms = [long_form for short, long_form in defined_terms(question) if set(words(short)) <= set(named)]
    long_forms += [defined[w] for w in named if w in defined and w not in q] if defined else []
    expanded = set(n)
    for long_form in long_forms:
        spelled = {table.get(w, w) for w in words(long_form)}
        if spelled & q:
            expanded |= spelled
    score = _overlap(q, n, name)
    return max(score, _overlap(q, expanded, name)) if expanded != n else score


def _overlap(q: set[str], n: set[str], name: str) -> float:
    shared = len(q & n)
    if not shared:
        initials = {"".join(w[0] for w in words(name))}
        return INITIALS_SIMILARITY if q & initials else 0.0
    score = NAME_WEIGHT * shared / len(n) + QUESTION_WEIGHT * shared / len(q)
    if shared == len(q) >= MIN_CONTAINED_WORDS:
        # every word of a question of two or more words in a long name ('ER visits' in 'Acute asthma-related
        # PCP or ER visit in prior 2 months'): it names that row, as weakly as a name half covered
        score = max(score, MIN_ENDPOINT_SIMILARITY)
    return score
