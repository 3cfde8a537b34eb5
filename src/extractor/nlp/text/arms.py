"""The study's arms: names, sizes and drugs, from table headers and from the sentences that allocate patients.

An arm is named by its drugs as generic names joined with ' + ' (the experimental drug as the text names the
arm, placebo kept: 'placebo + metformin'), with the dose kept when two arms share their drugs ('dapagliflozin
2.5 mg + metformin'); a group the text names without drugs keeps its own words ('apple juice', 'group 1').
Every other name the text gives an arm (a header 'FPV/r 1400/100 mg + TDF/FTC QD N = 53', 'group A', 'the
AJ group', an abbreviation) is an alias, so per-arm items resolve to one of the record's arms. Pure functions
over the text and the drug mentions; the component (`components/arms.py`) feeds them. Patterns are data
(`lexicons/arm_rules.json`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.nlp.rules import arm_rules
from extractor.nlp.text.numbers import WORD_NUM, as_count, parse_number

PLACEBO = "placebo"


@dataclass(frozen=True)
class ArmPatterns:
    allocation: re.Pattern[str]
    list_separator: re.Pattern[str]
    group_size: re.Pattern[str]
    count_before: re.Pattern[str]
    label_noise: re.Pattern[str]
    group_name: re.Pattern[str]
    control_words: re.Pattern[str]
    generic_words: re.Pattern[str]
    sized_groups: tuple[re.Pattern[str], ...]
    label_edges: re.Pattern[str]
    named_group: re.Pattern[str]
    each_group: re.Pattern[str]
    equal_split: tuple[re.Pattern[str], ...]
    generic_group: re.Pattern[str]
    not_arm_phrase: re.Pattern[str]
    strong_separator: re.Pattern[str]
    appositive: re.Pattern[str]
    item_lead: re.Pattern[str]
    control_placebo: re.Pattern[str]
    size_breakdown: tuple[re.Pattern[str], ...]
    time_list_before: re.Pattern[str]
    breakdown_people: re.Pattern[str]
    not_group_label: re.Pattern[str]
    crossover_design: re.Pattern[str]
    crossover_participants: re.Pattern[str]
    dose_list: re.Pattern[str]
    breakdown_lost: re.Pattern[str]
    breakdown_time: re.Pattern[str]


@lru_cache(maxsize=1)
def arm_patterns() -> ArmPatterns:
    data = arm_rules().model_dump(exclude={"meta"})
    compiled: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, list):
            compiled[key] = tuple(re.compile(v.replace("{WORD_NUM}", WORD_NUM), re.I) for v in value)
        else:
            compiled[key] = re.compile(value.replace("{WORD_NUM}", WORD_NUM), re.I)
    return ArmPatterns(**compiled)  # type: ignore[arg-type]


# The start every sized_groups pattern with a label of up to five words before 'group', 'arm' or 'cohort' has
# (arm_rules.json); `sized_group_matches` tries those patterns only where such a label can start.
LABEL_BEFORE_GROUP_WORD = r"(?<![\w®™/+.'-])(?=(?:[\w®™/+.'-]++\s++){1,5}(?:groups?|arms?|cohorts?))"
_GROUP_WORD = re.compile(r"(?<=\s)(?:group|arm|cohort)", re.I)
_NOT_LABEL = re.compile(r"[^\w\s®™/+.'-]")  # a character no label word and no space between them holds
_LABEL_WORD = re.compile(r"[\w®™/+.'-]+")
LABEL_WORDS = 5
LABEL_WINDOW = 400  # characters before 'group' first looked at for its five label words (doubled if too few)


def label_starts(text: str) -> list[int]:
    """Every position where a label of up to `LABEL_WORDS` words followed by 'group', 'arm' or 'cohort' can start:
    the first character of one of the last five words before such a word, within the run of words and spaces
    that ends at it."""
    breaks = [m.start() for m in _NOT_LABEL.finditer(text)]
    starts: set[int] = set()
    for k in (m.start() for m in _GROUP_WORD.finditer(text)):
        i = bisect_left(breaks, k)
        floor = breaks[i - 1] + 1 if i else 0
        window = LABEL_WINDOW
        while True:
            begin = max(floor, k - window)
            words = [m.start() for m in _LABEL_WORD.finditer(text, begin, k)]
            # the first word of a cut window may be the tail of a longer one: enough only with one word to spare
            if begin == floor or len(words) > LABEL_WORDS:
                starts.update(words[-LABEL_WORDS:])
                break
            window *= 2
    return sorted(starts)


def sized_group_matches(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that begins with `LABEL_BEFORE_GROUP_WORD`, tried only at `starts`
    (`label_starts(text)`), where all its matches begin: the same matches, without trying a five-word label at
    every word of the text (3% of the pipeline's time). Other patterns: `finditer`."""
    if not pattern.pattern.startswith(LABEL_BEFORE_GROUP_WORD):
        yield from pattern.finditer(text)
        return
    done = 0  # finditer's matches do not overlap
    for start in starts:
        if start >= done:
            m = pattern.match(text, start)
            if m:
                yield m
                done = max(m.end(), start + 1)


@dataclass(frozen=True)
class DrugMention:
    start: int
    end: int
    name: str  # lowercase generic name, or 'placebo'


@dataclass
class ArmDraft:
    """An arm as one source names it: its label, drugs, size and where the label is."""

    label: str
    drugs: tuple[str, ...]
    n: int | None
    start: int
    end: int
    source: str  # table | allocation | group

    @property
    def key(self) -> tuple[str, ...]:
        return self.drugs


@dataclass
class Arm:
    name: str
    drugs: tuple[str, ...]
    n: int | None
    start: int
    end: int
    aliases: set[str] = field(default_factory=set)
    dose: str = ""  # the dose its label prints, which tells it from another arm of the same drugs
    label: str = ""  # its label as first read
    header_drugs: tuple[str, ...] = ()  # the drugs a table header names it by: how the results name the arm

    def to_item(self) -> dict[str, object]:
        return {
            "name": self.name,
            "n": self.n,
            "drugs": [d for d in self.drugs if d != PLACEBO],
            "aliases": sorted(a for a in self.aliases if a != self.name),
        }


def normalize_label(text: str) -> str:
    """A label as an alias key: lowercase, without sizes, footnote marks and punctuation runs."""
    p = arm_patterns()
    text = p.group_size.sub(" ", text)
    text = p.label_noise.sub(" ", text)
    text = re.sub(r"[^\w%./+-]+", " ", text.lower())
    text = re.sub(r" ?([+/]) ?", r"\1", text)  # 'MTL+ caloric intake' is 'MTL+caloric intake'
    text = re.sub(r"\b(group|arm)s\s+(?=\w{1,4}$)", r"\1 ", text.strip())  # 'Groups L' names group L
    return " ".join(text.split()).strip(" .,;:-")


def label_size(text: str) -> int | None:
    """'Losartan (n = 20)' -> 20; 'Culture negative (213)' -> 213; 'n = 29' -> 29."""
    m = arm_patterns().group_size.search(text)
    if not m:
        return None
    digits = next((g for g in m.groups() if g), None)
    return as_count(parse_number(digits)) if digits else None


def drugs_in(mentions: Iterable[DrugMention], start: int, end: int) -> tuple[str, ...]:
    """Drug names between start and end, in text order, without repeats."""
    names: list[str] = []
    for m in mentions:
        if start <= m.start and m.end <= end and m.name not in names:
            names.append(m.name)
    return tuple(names)


def draft_from_label(
    label: str, start: int, end: int, mentions: list[DrugMention], source: str, n: int | None = None
) -> ArmDraft | None:
    """A table header or a list item as an arm draft; None for labels that name no group."""
    clean = normalize_label(label)
    if not clean or not re.search(r"[a-z]", clean):
        return None
    drugs = drugs_in(mentions, start, end)
    if PLACEBO not in drugs and re.search(r"\bplacebos?\b", label, re.I):
        drugs = (*drugs, PLACEBO)
    if n is None:
        n = label_size(re.sub(r"\s+(?:groups?|arms?)\s*$", "", label, flags=re.I))  # '15-mg (41 patients) groups'
    return ArmDraft(label, drugs, n, start, end, source)


_THOUSANDS = re.compile(r"\d,\d")  # 'metformin 1,000 mg daily': a number's comma separates no items


def split_top_level(
    text: str, start: int, end: int, separator: re.Pattern[str], keep: Sequence[DoseList] = ()
) -> list[tuple[int, int]]:
    """(start, end) of the parts of text[start:end] between separators outside brackets and the `keep` spans."""
    items: list[tuple[int, int]] = []
    depth, at, k = 0, start, start
    while k < end:
        inside = next((span for span in keep if span.start <= k < span.end), None)
        if inside is not None:
            k = inside.end
            continue
        ch = text[k]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and (ch in ",;" or ch.isspace())
            and not (ch == "," and _THOUSANDS.match(text, max(k - 1, 0), k + 2))
        ):
            sep = separator.match(text, k, end)
            if sep and sep.end() > k:
                if k > at:
                    items.append((at, k))
                at = k = sep.end()
                continue
        k += 1
    if end > at:
        items.append((at, end))
    return items


_AMOUNT_UNIT = re.compile(r"\s*(\d+(?:\.\d+)?)\s?(\S*)")
_DOSE_LIST_SEPARATOR = re.compile(r"[ \t]?,[ \t]?(?:(?:or|and)[ \t]+)?|[ \t]+(?:or|and)[ \t]+")


@dataclass
class DoseList:
    """'canagliflozin 100 or 300 mg' in an allocation sentence: one arm per dose of one drug."""

    start: int  # the drug's mention
    end: int  # the list's unit
    drafts: list[ArmDraft]


def dose_lists(text: str, start: int, end: int, mentions: Iterable[DrugMention]) -> list[DoseList]:
    """The dose lists right after the drugs of text[start:end] (`dose_list` in arm_rules.json), each dose with
    its own unit or the list's last one."""
    found: list[DoseList] = []
    for drug in mentions:
        if not start <= drug.start < end or drug.name == PLACEBO or (found and drug.start < found[-1].end):
            continue
        m = arm_patterns().dose_list.match(text, drug.end, end)
        if m is None:
            continue
        drafts = []
        for dose in _DOSE_LIST_SEPARATOR.split(m.group("list")):
            amount, unit = _AMOUNT_UNIT.match(dose).groups()  # type: ignore[union-attr]
            label = f"{text[drug.start : drug.end]} {amount} {unit or m.group('unit')}"
            drafts.append(ArmDraft(label, (drug.name,), None, drug.start, m.end(), "allocation"))
        found.append(DoseList(drug.start, m.end(), drafts))
    return found


_DOSE = re.compile(
    r"(\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?(?:\s*|-)(?:mg|grams?|g|gm|mcg|µg|μg|iu|units?|ml)(?:\s*/\s*(?:kg|day|d|m2|m²))*)(?![\w])",
    re.I,
)


def dose_words(label: str) -> str:
    """'Dapagliflozin 2.5 mg + metformin' -> '2.5 mg'; 'Curcumin 4 gm/day' -> '4 g/day'; '' without a dose."""
    m = _DOSE.search(label)
    if not m:
        return ""
    dose = (
        re.sub(r"\s+", " ", m.group(1).lower())
        .replace("grams", "g")
        .replace("gram", "g")
        .replace("gm", "g")
        .replace("µg", "mcg")
        .replace("μg", "mcg")
    )
    return re.sub(r"\s*/\s*", "/", dose.replace(",", ".")).replace("-", " ")


class ArmRegistry:
    """The arms of one document and every name they go by."""

    def __init__(self) -> None:
        self.arms: list[Arm] = []

    def add(self, draft: ArmDraft, create: bool = True) -> Arm | None:
        """Merge a draft into the arm it names (same alias, or same drugs and no other dose); else a new arm
        (when `create`)."""
        key = normalize_label(draft.label)
        arm = self.find(draft.label, draft.drugs)
        if arm is not None and _another_column(draft, arm, key):
            arm = None
        if arm is None:
            if not create:
                return None
            arm = Arm(
                "",
                draft.drugs,
                draft.n,
                draft.start,
                draft.end,
                {key} if key else set(),
                dose_words(draft.label),
                draft.label,
            )
            self.arms.append(arm)
        else:
            if key:
                arm.aliases.add(key)
            if arm.n is None and draft.n is not None:
                arm.n = draft.n
            if set(draft.drugs) > set(arm.drugs):
                arm.drugs = draft.drugs  # the header names the backbone too ('FPV/r + TDF/FTC')
        if "table" in draft.source and draft.drugs and not arm.header_drugs:
            arm.header_drugs = draft.drugs
            if not arm.dose:
                arm.dose = dose_words(draft.label)
        return arm

    def name_arms(self) -> None:
        """Names from drugs, with the dose where arms share their drugs; an arm without drugs keeps its words."""
        by_drugs: dict[frozenset[str], list[Arm]] = {}
        for arm in self.arms:
            if arm.drugs:
                by_drugs.setdefault(frozenset(arm.drugs), []).append(arm)
        for arm in self.arms:
            if not arm.drugs:
                arm.name = arm_words(arm.label)
                continue
            names = list(arm.header_drugs or arm.drugs)
            if len(by_drugs[frozenset(arm.drugs)]) > 1 and arm.dose:
                first = next((i for i, d in enumerate(names) if d != PLACEBO), 0)
                names[first] = f"{names[first]} {arm.dose}"
            arm.name = " + ".join(names)

    def find(self, label: str, drugs: tuple[str, ...] = ()) -> Arm | None:
        """The arm a label names: an alias, the arm's name, then the same drugs and dose (when one arm has
        them), then the words that tell arms apart ('the AJ group' -> the arm aliased 'aj')."""
        key = normalize_label(label)
        if key:
            for arm in self.arms:
                if key in arm.aliases or key == arm.name:
                    return arm
        found = self._find_loosely(label, key, drugs)
        if found is not None and _other_group(key, found):
            return None  # 'Group 3 (Control)' is not the arm called 'Group 1 (Magnesium)'
        return found

    def _find_loosely(self, label: str, key: str, drugs: tuple[str, ...]) -> Arm | None:
        dose = dose_words(label)
        if drugs:
            same = [a for a in self.arms if set(a.drugs) == set(drugs) and (not dose or not a.dose or a.dose == dose)]
            if len(same) == 1:
                return same[0]
            if not same and PLACEBO not in drugs:
                containing = [
                    a
                    for a in self.arms
                    if set(drugs) < set(a.drugs)
                    and PLACEBO not in a.drugs
                    and (not dose or not a.dose or a.dose == dose)
                ]
                if len(containing) == 1:
                    return containing[0]
                # 'FPV/r 1400/100 mg + TDF/FTC' in a header, 'fosamprenavir' in the allocation sentence: the
                # header names the arm with its backbone
                within = [
                    a
                    for a in self.arms
                    if a.drugs and set(a.drugs) < set(drugs) and (not dose or not a.dose or a.dose == dose)
                ]
                if len(within) == 1:
                    return within[0]
        if dose and not drugs:
            # '10-mg (39 patients)', 'the 300 mg group': the one arm given that dose
            dosed = [a for a in self.arms if a.dose == dose]
            if len(dosed) == 1:
                return dosed[0]
        words = content_words(key)
        if words:
            hits = [a for a in self.arms if any(words <= content_words(alias) for alias in a.aliases | {a.name})]
            if len(hits) == 1:
                return hits[0]
        if key and _ROLE_WORDS.fullmatch(arm_words(key)) and len(self.arms) == 2:
            # 'the intervention group', 'the experimental arm' in a trial of one arm against a control: the other
            control = [a for a in self.arms if is_control(a)]
            if len(control) == 1:
                return self.arms[1] if control[0] is self.arms[0] else self.arms[0]
        if key and arm_patterns().control_words.search(key) and len(self.arms) >= 2:
            # 'the control group', 'No intervention': the arm the text calls a control, else the only arm
            # without a drug (or with placebo) in a trial whose other arms have one
            named = [a for a in self.arms if any(arm_patterns().control_words.search(x) for x in a.aliases | {a.name})]
            if len(named) == 1:
                return named[0]
            control = [a for a in self.arms if not (set(a.drugs) - {PLACEBO})]
            if len(control) == 1:
                return control[0]
        return None


def _another_column(draft: ArmDraft, arm: Arm, key: str) -> bool:
    """A table header naming other drugs than an arm of another size is another arm, not a longer name of it:
    'Formoterol (n = 57)' beside 'Budesonide/formoterol (n = 58)' (add-on designs: X + Y against Y)."""
    return (
        "table" in draft.source
        and key not in arm.aliases
        and set(draft.drugs) != set(arm.drugs)
        and draft.n is not None
        and arm.n is not None
        and draft.n != arm.n
    )


_ROLE_WORDS = re.compile(r"(?:intervention|experimental|treatment|active|study|test)(?:\s+(?:group|arm))?", re.I)


def is_control(arm: Arm) -> bool:
    """An arm the text calls a control or placebo arm, or one given placebo alone."""
    named = any(arm_patterns().control_words.search(x) for x in arm.aliases | {arm.name, arm.label})
    return named or arm.drugs == (PLACEBO,)


def _group_names(text: str) -> set[str]:
    return {" ".join(m.group().lower().split()) for m in arm_patterns().group_name.finditer(text)}


def _other_group(key: str, arm: Arm) -> bool:
    """Whether a label naming a group ('group 3') names another group than the arm's own ('group 1')."""
    wanted = _group_names(key)
    if not wanted:
        return False
    held = set().union(*(_group_names(x) for x in arm.aliases | {arm.name, normalize_label(arm.label)}))
    return bool(held) and not wanted & held


def arm_words(label: str) -> str:
    """A drug-less arm's name: its label without sizes, articles and a closing 'group' ('the yoga group (n =
    18)' -> 'yoga'); 'control group' stays 'control group'."""
    name = re.sub(r"^(?:(?:the|a|an|to|either|both|in|and|or|versus|vs\.?|with)\s+)+", "", normalize_label(label))
    trimmed = arm_patterns().label_edges.sub("", name).strip()
    if not trimmed:
        return name
    if trimmed in ("control", "placebo", "intervention", "experimental", "comparison") and re.search(
        r"\b(?:groups?|arms?)$", name
    ):
        return name  # 'control group' stays whole; 'Group 3 (Control)' is the control
    return trimmed


@lru_cache(maxsize=8192)
def content_words(label: str) -> frozenset[str]:
    """The words of a label that can tell arms apart ('the AJ group' -> {'aj'}); cached: every group label of a
    long text is compared with every arm's aliases."""
    return frozenset(arm_patterns().generic_words.sub(" ", label.lower()).split())
