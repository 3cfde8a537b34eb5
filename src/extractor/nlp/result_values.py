"""Result numbers as printed: values with their unit, CI, p-value and n, and the pairs that compare two arms.

'6.6 months (95% CI: 5.59–7.61)', '57.1%', 'HR: 0.43; p < 0.001', '5 of 22 cases', '7.8 versus 3.2 months',
'(9 and 8.9 months)', 'from 59.1% to 68.1%', '27% both arms'. Also the text these patterns read (`TextView`: PDF
line-break hyphens inside words removed, ',1' read as '<1') and a longest-match phrase index over its words.
Pure functions, no spaCy; the cue patterns that tell a landmark time or a schedule from a result are data
(`lexicons/endpoints.json`) passed in by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from extractor.nlp.positions import Taken
from extractor.nlp.text.numbers import WORD_NUM, parse_number

# text/numbers.py's NUM with no `(?![\d,])` after the thousands groups: searched over a whole article, that
# lookahead makes every group backtrack on a long run of digits and commas (tests/hostile digit-runs.txt timed
# out). What a pattern here matched is then read by the shared parse_number.
NUM = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.·]\d+)?|[.·]\d+)"
TIME_UNIT = r"(?:months?|mos?|weeks?|wks?|years?|yrs?|days?)"
QUALIFIER = r"(?P<q>[<>≤≥]\s*|less than\s+|more than\s+)?"
# A number never starts inside a digit run: without `(?<!\d)` a run of n digits that is not a result is tried
# from each of its n positions, each scanning to the run's end (O(n^2); minutes for a 200,000-digit line).
PERCENT = re.compile(rf"{QUALIFIER}(?<!\d)(?P<num>{NUM})\s*%(?!\s*(?:CI|confidence))")
TIME = re.compile(
    rf"(?<![\w.,-]){QUALIFIER}(?P<num>{NUM}|(?i:{WORD_NUM}))(?P<sep>\s*-\s*|\s+)(?P<unit>{TIME_UNIT})\b", re.I
)
RATIO = re.compile(
    rf"(?P<kw>\b(?i:hazards?\s+ratios?)|\bHR|\b(?i:odds\s+ratios?)|\bOR|\b(?i:risk\s+ratios?|relative\s+risks?)|\bRR)"
    rf"(?:\s*[\[(](?:HR|OR|RR)[\])])?\s*(?:[:=,]|of|was|were)?\s*(?P<num>{NUM})(?![\d.·]|\s*%)"
)
COUNT = re.compile(rf"\b(?P<num>\d+|(?i:{WORD_NUM}))\s+of\s+(?P<total>\d+)\s+(?:cases|patients|subjects|women|men)\b")
PAIR = re.compile(
    rf"(?P<from>\bfrom\s+)?(?P<qa>[<>≤≥]\s*)?(?<!\d)(?P<a>{NUM})\s*(?P<ua>%|{TIME_UNIT}\b)?\s*"
    rf"(?P<sep>versus|vs\.?|and|to|compared with(?: only)?)\s+(?P<qb>[<>≤≥]\s*)?(?P<b>{NUM})\s*(?P<ub>%|{TIME_UNIT}\b)",
    re.I,
)
BOTH = re.compile(rf"(?<!\d)(?P<a>{NUM})\s*%\s*(?:in\s+)?both\s+(?:arms|groups)", re.I)
CI = re.compile(
    rf"(?P<level>\d{{2}}(?:\.\d)?)\s*%\s*(?:CI|(?i:confidence\s+interval))(?:\s*\[CI\])?\s*[:,=]?\s*"
    rf"(?:\(|\[)?\s*(?P<lo>-?(?:{NUM}))\s*(?:–|-|—|to|;|,)\s*(?P<hi>-?(?:{NUM}))"
    rf"|^\s*[\[(]\s*(?P<blo>-?(?:{NUM}))\s*(?:;|–|—|,|\bto\b)\s*(?P<bhi>-?(?:{NUM}))\s*[\])]"
)
P_VALUE = re.compile(r"\b[Pp]\s*(?:-value\s*)?(?P<op>[=<>≤≥])\s*(?P<num>\d*\.\d+(?:\s*[x×]\s*10\s*[-−]\s*\d+)?|[01])")
N_BEFORE = re.compile(
    rf"(?:\bn\s*=\s*(?P<n1>\d+)\s*[,;]\s*|(?P<n2>\d+|(?i:{WORD_NUM}))\s+(?:(?:patients?|cases|women|men|subjects)\s+)?\(\s*)$"
)
RATIO_MEASURES = {"h": "HR", "o": "OR", "r": "RR"}
TIME_UNITS = {"mo": "months", "wk": "weeks", "yr": "years", "da": "days", "we": "weeks", "ye": "years"}
# Character windows around a value, each as wide as the words it reads, and the largest plausible ratio:
NOT_RESULT_AFTER = 30  # 'every 2 weeks', 'decrease', 'of follow-up' right after a number: a schedule or threshold
MAX_RATIO = 50  # a hazard, odds or risk ratio above it is another number printed after the keyword
RATIO_PAREN = 120  # '(HR 0.24 for ... and 0.26 for ...)': more ratios in the parenthetical a ratio opens
TIMEPOINT_BEFORE = 25  # 'at 12 months' before a time: the time point of a result, not its value
QUALIFIER_BEFORE = 20  # 'more than' or a comparison sign before a percentage: a threshold
DIFFERENCE_AFTER = 20  # 'a 6.9-month prolongation': the gain word right after an adjective-like time
STATISTICS_AFTER = 90  # a value's CI, printed right after it ('(95% CI 0.52-0.81; p < 0.001)')
P_AFTER = 60  # its p-value, within the CI's reach
N_BEFORE_PERCENT = 30  # 'n = 12' or '12 patients' right before a percentage


def parse_ci(text: str) -> tuple[float | None, float, float] | None:
    """(level, low, high) of the first confidence interval in `text`: '95% CI 5.59–7.61', '(95% CI, 0.36–0.53)',
    '95% CI: 0.38 to 0.52', or a bare bracket '[0.38; 0.52]' at the start (level unknown)."""
    m = CI.search(text)
    if not m:
        return None
    if m.group("level"):
        low, high = parse_number(m.group("lo")), parse_number(m.group("hi"))
        level: float | None = float(m.group("level"))
    else:
        low, high, level = parse_number(m.group("blo")), parse_number(m.group("bhi")), None
    if low is None or high is None or low > high:
        return None
    return level, low, high


def parse_p_value(text: str) -> str | float | None:
    """'P = 0.03' -> 0.03 (a float when printed as equal); 'p < 0.001' -> '<0.001'; 'P < .0001' -> '<.0001'."""
    m = P_VALUE.search(text)
    if not m:
        return None
    number = re.sub(r"\s+", "", m.group("num"))
    if m.group("op") == "=":
        value = parse_number(number)
        return value if value is not None and "x" not in number and "×" not in number else number
    op = {"≤": "<", "≥": ">"}.get(m.group("op"), m.group("op"))
    return f"{op}{number}"


@dataclass
class Value:
    """One printed result number; `group` links the values of one paired statement, in text order."""

    start: int
    end: int
    value: float
    unit: str | None
    kind: str  # time | percent | ratio | count
    measure: str | None = None  # HR/OR/RR for ratios, count, difference
    qualifier: str | None = None
    n: int | None = None
    ci: tuple[float | None, float, float] | None = None
    p_value: str | float | None = None
    group: int = -1
    order: str = ""  # "from_to", "both", "same" (both values are one arm's: subgroups, differences)
    extent: int = 0  # end of the value with its CI and p-value

    def __post_init__(self) -> None:
        self.extent = max(self.extent, self.end)


def unit_name(raw: str | None) -> str | None:
    """'%' or a plural time unit: 'mo' -> 'months', 'week' -> 'weeks'."""
    if raw is None:
        return None
    if raw == "%":
        return "%"
    return TIME_UNITS.get(raw.lower()[:2], raw.lower())


def _qualifier(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip().lower()
    return "<" if raw in ("<", "≤", "less than") else ">"


def parse_paired_values(text: str) -> list[tuple[Value, Value]]:
    """'7.8 versus 3.2 months', '(9 and 8.9 months)', 'from 2.76 months to 6.83 months', '27% both arms':
    two values sharing the second one's unit, in text order."""
    pairs: list[tuple[Value, Value]] = []
    for m in PAIR.finditer(text):
        sep = m.group("sep").lower()
        unit_a, unit_b = unit_name(m.group("ua")), unit_name(m.group("ub"))
        if (unit_a and unit_a != unit_b) or (sep == "to" and not m.group("from")):
            continue
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is None or b is None:
            continue
        kind = "percent" if unit_b == "%" else "time"
        order = "from_to" if m.group("from") and sep == "to" else ""
        pairs.append(
            (
                Value(
                    m.start("a"),
                    m.end("ua") if m.group("ua") else m.end("a"),
                    a,
                    unit_b,
                    kind,
                    qualifier=_qualifier(m.group("qa")),
                    order=order,
                ),
                Value(m.start("b"), m.end("ub"), b, unit_b, kind, qualifier=_qualifier(m.group("qb")), order=order),
            )
        )
    for m in BOTH.finditer(text):
        number = parse_number(m.group("a"))
        if number is not None:
            pairs.append((Value(m.start(), m.end(), number, "%", "percent", order="both"),) * 2)
    return pairs


def find_values(text: str, cues: dict[str, re.Pattern[str]]) -> list[Value]:
    """Every result value in `text` with its CI, p-value and n; paired values share a group id. `cues` are the
    patterns of `lexicons/endpoints.json` that tell a landmark time, a schedule or a threshold from a result.
    Ratios are read first, then pairs, then single percentages, durations and counts."""
    taken = Taken()  # ranges already read as a value: a later, looser pattern does not read them again
    values = _ratios(text, taken) + _pairs(text, taken, cues) + _singles(text, taken, cues)
    values.sort(key=lambda v: (v.start, v.group))
    for v in values:
        _attach_statistics(text, v)
    return values


def _not_result(text: str, end: int, cues: dict[str, re.Pattern[str]]) -> bool:
    """'5 days every 2 weeks', 'a 10% decrease', '5 years of follow-up': schedules and thresholds."""
    after = text[end : end + NOT_RESULT_AFTER]
    return bool(cues["schedule_after"].match(after) or cues["threshold_after"].match(after))


def _ratios(text: str, taken: Taken) -> list[Value]:
    """'HR 0.43', 'hazards ratio [HR] 0.45', 'odds ratio 1.4', and '(HR 0.24 for ... and 0.26 for ...)'."""
    values: list[Value] = []
    for m in RATIO.finditer(text):
        number = parse_number(m.group("num"))
        if number is None or number > MAX_RATIO:
            continue
        measure = RATIO_MEASURES[m.group("kw").lower()[0]]
        values.append(Value(m.start(), m.end(), number, None, "ratio", measure))
        taken.add(m.start(), m.end())
        closing = text.find(")", m.end())
        if not 0 <= closing - m.end() < RATIO_PAREN:
            continue
        for extra in re.finditer(r"\band\s+(?P<num>\d*\.\d+)\b(?!\s*%)", text[m.end() : closing]):
            more = parse_number(extra.group("num"))
            if more is not None:
                at = m.end() + extra.start("num")
                values.append(Value(at, at + len(extra.group("num")), more, None, "ratio", measure, order="same"))
                taken.add(at, at + len(extra.group("num")))
    return values


def _pairs(text: str, taken: Taken, cues: dict[str, re.Pattern[str]]) -> list[Value]:
    values: list[Value] = []
    group = 0
    for first, second in parse_paired_values(text):
        if not (taken.free(first.start, first.end) and taken.free(second.start, second.end)):
            continue
        if first.kind == "time" and cues["timepoint"].search(
            text[max(0, first.start - TIMEPOINT_BEFORE) : first.start]
        ):
            continue
        if _not_result(text, second.end, cues):
            continue
        group += 1
        for v in (first, second) if first is not second else (first, replace(second)):
            v.group = group
            values.append(v)
        taken.add(first.start, second.end)
    return values


def _singles(text: str, taken: Taken, cues: dict[str, re.Pattern[str]]) -> list[Value]:
    values: list[Value] = []
    for m in PERCENT.finditer(text):
        number = parse_number(m.group("num"))
        if (
            number is None
            or number > 100
            or threshold(m.group("q"), text[max(0, m.start() - QUALIFIER_BEFORE) : m.start()])
        ):
            continue
        if taken.free(m.start("num"), m.end()) and not _not_result(text, m.end(), cues):
            values.append(Value(m.start("num"), m.end(), number, "%", "percent", qualifier=_qualifier(m.group("q"))))
            taken.add(m.start("num"), m.end())
    for m in TIME.finditer(text):
        number = parse_number(m.group("num"))
        if number is None or not taken.free(m.start("num"), m.end()) or _not_result(text, m.end(), cues):
            continue
        if cues["timepoint"].search(text[max(0, m.start() - TIMEPOINT_BEFORE) : m.start()]):
            continue
        measure: str | None = None
        if "-" in m.group("sep") or (not m.group("unit").lower().endswith("s") and number != 1):
            # '6 month CBR', '6-month': an adjective, unless it is a gain ('a 6.9-month prolongation')
            if not cues["difference_after"].match(text[m.end() : m.end() + DIFFERENCE_AFTER]):
                continue
            measure = "difference"
        unit = unit_name(m.group("unit"))
        values.append(Value(m.start("num"), m.end(), number, unit, "time", measure, qualifier=_qualifier(m.group("q"))))
        taken.add(m.start("num"), m.end())
    for m in COUNT.finditer(text):
        number = parse_number(m.group("num"))
        if number is not None and taken.free(m.start(), m.end()):
            values.append(Value(m.start(), m.end(), number, None, "count", "count", n=int(m.group("total"))))
    return values


def threshold(qualifier: str | None, before: str) -> bool:
    """'LVEF ≤ 30%', 'a ≥ 25% narrowing': a bound in a definition, not a result ('(<1% versus 1%)' is one)."""
    if not qualifier or qualifier.strip() in ("less than", "more than"):
        return False
    if qualifier.strip() in ("≤", "≥"):
        return True
    word = re.search(r"([A-Za-z]+)\s*$", before)
    return word is not None and word.group(1).lower() not in (
        "versus",
        "vs",
        "and",
        "or",
        "to",
        "than",
        "of",
        "in",
        "was",
        "were",
    )


def _attach_statistics(text: str, value: Value) -> None:
    """CI and p-value printed right after the value; n printed right before a percentage."""
    after = text[value.end : value.end + STATISTICS_AFTER]
    stop = re.search(r"(?<!\d)[.;](?:\s|$)|\b(?:versus|vs)\b", after)
    window = after[: stop.start()] if stop else after
    ci_match = CI.search(window)
    if ci_match and (ci_match.group("level") or ci_match.start() == 0):
        value.ci = parse_ci(window)
        value.extent = value.end + ci_match.end()
    p_match = P_VALUE.search(after[:P_AFTER])
    between = after[: p_match.start()] if p_match else ""
    if p_match and not re.search(rf"{NUM}\s*(?:%|{TIME_UNIT})|\b(?:HR|OR|RR)\b|ratio", between, re.I):
        value.p_value = parse_p_value(after[:P_AFTER])
        value.extent = max(value.extent, value.end + p_match.end())
    if value.kind == "percent" and value.n is None:
        m = N_BEFORE.search(text[max(0, value.start - N_BEFORE_PERCENT) : value.start])
        if m:
            count = parse_number(m.group("n1") or m.group("n2"))
            value.n = int(count) if count is not None and count == int(count) else None


def group_values(values: list[Value]) -> list[list[Value]]:
    """Values of one paired statement (same group id), and a ratio with the ratios listed after it."""
    groups: list[list[Value]] = []
    for v in values:
        if (v.group >= 0 and groups and groups[-1][0].group == v.group) or (
            v.order == "same" and groups and groups[-1][0].kind == "ratio"
        ):
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


# --- the text the patterns read ------------------------------------------------------------------------------

SOFT_HYPHEN = re.compile(r"(?<=[a-z])- (?=[a-z])")
PDF_LESS_THAN = re.compile(r"(?<=[\s(]),(?=\d)")


@dataclass
class TextView:
    """The Doc text with PDF line-break hyphens inside words removed ('progres- sion' -> 'progression') and ',1'
    read as '<1' (a PDF artifact for '<'); `to_doc` maps every view offset back to the original text and
    `to_view` the other way."""

    text: str
    to_doc: list[int]
    to_view: list[int]

    @classmethod
    def of(cls, text: str) -> TextView:
        text = PDF_LESS_THAN.sub("<", text)  # same length: offsets unchanged
        pieces: list[str] = []
        to_doc: list[int] = []
        to_view: list[int] = []
        at = 0
        for m in SOFT_HYPHEN.finditer(text):
            pieces.append(text[at : m.start()])
            to_view.extend(range(len(to_doc), len(to_doc) + m.start() - at))
            to_doc.extend(range(at, m.start()))
            to_view.extend((len(to_doc), len(to_doc)))
            at = m.end()
        pieces.append(text[at:])
        to_view.extend(range(len(to_doc), len(to_doc) + len(text) - at + 1))
        to_doc.extend(range(at, len(text) + 1))
        return cls("".join(pieces), to_doc, to_view)

    def doc_offsets(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of the view range [start, end)."""
        if end <= start:
            return self.to_doc[start], self.to_doc[start]
        return self.to_doc[start], self.to_doc[end - 1] + 1


T = TypeVar("T")
WORD = re.compile(r"[A-Za-z0-9]+(?:'s)?|/")


@dataclass(frozen=True)
class PhraseMatch(Generic[T]):
    start: int
    end: int
    entry: T


class PhraseIndex(Generic[T]):
    """Longest match of phrases over words: a space and a hyphen between words are interchangeable, so
    'skin-related toxicity', 'skin related toxicity' and 'progression- free' all match. Phrases with a capital
    letter ('PFS', 'pCR') match case-sensitively and not inside a hyphenated or '+' form ('PD-L1', 'HR+')."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self.index: dict[str, list[tuple[tuple[str, ...], bool, T]]] = {}
        for phrase, entry in phrases:
            exact = any(c.isupper() for c in phrase)
            # 'progression- free' reads 'progressionfree' once the line-break hyphen is gone
            for variant in dict.fromkeys((phrase, phrase.replace("-", ""))):
                words = tuple(WORD.findall(variant) if exact else (w.lower() for w in WORD.findall(variant)))
                if words:
                    self.index.setdefault(words[0].lower(), []).append((words, exact, entry))
        for entries in self.index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, text: str) -> list[PhraseMatch[T]]:
        tokens, lowered = _words(text)
        found: list[PhraseMatch[T]] = []
        after = 0  # words before it are inside the last match
        for i in [k for k, word in enumerate(lowered) if word in self.index]:  # the words a phrase starts with
            if i < after:
                continue
            hit = next((e for e in self.index[lowered[i]] if _matches(text, tokens, i, e)), None)
            if hit is not None:
                found.append(PhraseMatch(tokens[i][1], tokens[i + len(hit[0]) - 1][2], hit[2]))
                after = i + len(hit[0])
        return found


_last_words: list[tuple[str, tuple[list[tuple[str, int, int]], list[str]]]] = []


def _words(text: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    """The words of `text` with their offsets, and lowercased; kept for the last text asked about, since three
    indexes (endpoints twice, adverse-event terms) read the same Doc text in a row."""
    if _last_words and _last_words[0][0] is text:
        return _last_words[0][1]
    tokens = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    words = tokens, [word.lower() for word, _, _ in tokens]
    _last_words[:] = [(text, words)]
    return words


def _matches(text: str, tokens: list[tuple[str, int, int]], i: int, entry: tuple[tuple[str, ...], bool, T]) -> bool:
    words, exact, _ = entry
    if i + len(words) > len(tokens):
        return False
    for k, word in enumerate(words):
        token = tokens[i + k][0]
        if (token if exact else token.lower()) != word:
            return False
        if k and not re.fullmatch(r"[\s-]*", text[tokens[i + k - 1][2] : tokens[i + k][1]]):
            return False
    if exact:
        start, end = tokens[i][1], tokens[i + len(words) - 1][2]
        if re.match(r"-\w|\+", text[end : end + 2]) or (start and text[start - 1] == "-"):
            return False
    return True
