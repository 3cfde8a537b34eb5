"""Whose number is it: the study a passage speaks about, and the arms (regimens) of that study.

Reviews and discussions move from trial to trial. A value belongs to the latest study anchor before it: a trial
name, an "Author et al" citation, an unnamed "a randomized Phase II trial", or the article's own study ("our
cohort", a section heading). Each anchor's regimens are read from the text around it ("A + B versus A + placebo",
"A ± B", "either A + B or A alone"): the experimental regimen first. Arm phrases next to a value ("in the
placebo arm", "in the combined treatment arm", "with elacestrant") are resolved against those regimens.
Anchors inside a table only hold inside that table. Pure functions over the text and the drug and trial
mentions found by earlier components, so they are tested without a pipeline.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.nlp.positions import between
from extractor.nlp.prose import heading_lines
from extractor.nlp.result_values import Value
from extractor.nlp.text.table_grids import find_table_regions

PLACEBO = "placebo"
PLACEBO_WORD = re.compile(r"\bplacebos?\b", re.I)
SEPARATOR = re.compile(r"\b(?:versus|vs\.?|or|compared\s+(?:with|to)|than)(?!\w)|±|\bwith\s+or\s+without\b", re.I)
OPTIONAL = re.compile(r"±|\bwith\s+or\s+without\b", re.I)
ROLE = re.compile(
    r"\b(?P<exp>(?:the\s+)?(?:combined|combination|experimental|investigational)\s+(?:treatment\s+)?"
    r"(?:arm|group|therapy|treatment|regimen))\b|\b(?P<ctrl>(?:the\s+)?(?:control|comparator)\s+(?:arm|group))\b",
    re.I,
)
AFTER_GROUP = re.compile(r"^\s*(?P<alone>alone|monotherapy|only)?\s*(?P<arm>arms?|groups?|cohorts?)?\b", re.I)
ET_AL = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]+)(?:\s+and\s+[A-Z][\w'’-]+)?\s+et\s+al(?![a-z])\.?"
    r"|\b(?P<owner>[A-Z][a-z]+)['’]s\s+(?:study|trial|series|report|analysis)\b"
)
FUNCTION_WORD = r"(?:were|was|is|are|be|into|this|that|which|of|to|for|with|in|on|at|by|the|and)\b"
UNNAMED = re.compile(
    rf"(?<![\w-])(?:[Aa]n?|[Aa]nother)\s+(?:(?!{FUNCTION_WORD})[\w/–,-]+\s+){{0,6}}?"
    r"(?:trial|study|meta-analysis)\b(?!\s*\()"
)
OWN = re.compile(
    r"\b[Oo]ur\s+(?:[\w-]+\s+){0,3}?(?:study|cohort|series|analysis|case|patients?|population|experience)\b"
    r"|\b(?:[Tt]he\s+present|[Tt]he\s+current)\s+(?:study|case|report|analysis)\b"
    r"|\b[Ii]n\s+this\s+(?:[\w,-]+\s+){0,4}?(?:study|case|report),\s+we\b"
)
RANDOMIZED_TO = re.compile(
    r"\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated)|allocated)\b[^.;]{0,60}?\b(?:to|between)\b", re.I
)
OWN_KEY = "@own"
RANDOMIZED = re.compile(r"\brandomi[sz]ed\b[^.;]*$", re.I)
COPULA_BEFORE = re.compile(r"\b(?:is|was|are|were|as|be|been)\s*$", re.I)
MAX_JOIN_GAP = 40  # two drugs of one regimen: a connector and maybe a dose between ('X 10 mg plus Y')
MAX_SEPARATOR_GAP = 100  # two regimens of one list: 'X plus Y versus Z' with a dose or two between
SEGMENT_CHARS = 800  # an anchor's passage, read for its regimens: about a paragraph
GROUP_TAIL = 30  # 'alone', 'arm' or 'group' right after a group of agents
COMPARED_BEFORE = 60  # 'compared' a few words before an agent ('compared the efficacy of X')
COPULA_REACH = 12  # 'was', 'is' right before 'a randomized trial' ('this was a ...'): the article, no cited study
TRIAL_AFTER = 60  # a trial name this close after 'a randomized trial' is that trial's name
ANCHOR_BEFORE = 40  # an anchor this close before 'a randomized study' ('Smith et al., a ...') already names it
OWN_LIST_AFTER = 300  # 'randomized to' and the list of regimens after it, within its sentence
RANDOMIZED_BEFORE = 80  # 'randomized' a few words before a list of regimens marks the list that is the arms
ARM_AFTER_VALUE = 80  # an arm named after a value, within its clause ('32% in the everolimus group')
ARM_BEFORE_VALUE = 40  # an arm named right before a value ('everolimus: 32%')


@dataclass(frozen=True)
class Agent:
    """A drug mention (lowercase generic name) or a placebo mention, by character offsets."""

    start: int
    end: int
    name: str


@dataclass(frozen=True)
class Regimen:
    names: tuple[str, ...]

    @property
    def label(self) -> str:
        return " + ".join(self.names)

    @property
    def drugs(self) -> frozenset[str]:
        return frozenset(n for n in self.names if n != PLACEBO)

    @property
    def has_placebo(self) -> bool:
        return PLACEBO in self.names


@dataclass(frozen=True)
class ArmMention:
    """Drugs named together as one arm ("everolimus + exemestane arm", "tamoxifen alone"), or a role phrase."""

    start: int
    end: int
    names: tuple[str, ...] = ()
    alone: bool = False
    armlike: bool = False  # followed by arm/group/alone, or a role phrase
    role: str | None = None  # "experimental" or "control" for role phrases


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    key: str  # registry key: trial name, first author, or a position for an unnamed study
    study: str | None  # the study as the record names it: trial names only
    own: bool = False


def agents(text: str, drugs: list[Agent]) -> list[Agent]:
    """Drug mentions plus placebo mentions, in text order."""
    found = list(drugs) + [Agent(m.start(), m.end(), PLACEBO) for m in PLACEBO_WORD.finditer(text)]
    return sorted(found, key=lambda a: a.start)


DOSE = re.compile(
    r"\(?\s*\d+(?:[.,]\d+)?\s*(?:mg|g|µg|μg|mcg|IU|units?)(?:\s*/\s*(?:m²|m2|kg|day|d|week|wk))*\s*\)?"
    r"|\b(?:weekly|daily|once|twice|oral|orally|intravenous|intermittent|standard|per day|the)\b",
    re.I,
)
JOIN = re.compile(r"[\s,+/]*(?:(?:and|plus|with|combined with|in combination with)\b[\s,+/]*)?", re.I)


def _joinable(gap: str) -> bool:
    """Two drug mentions belong to one regimen when only a connector, and maybe a dose, separates them."""
    if len(gap) > MAX_JOIN_GAP or SEPARATOR.search(gap):
        return False
    return bool(JOIN.fullmatch(DOSE.sub(" ", gap)))


def arm_mentions(text: str, found: list[Agent]) -> list[ArmMention]:
    """Groups of jointly named agents, with 'alone' and 'arm/group' read after them, plus role phrases."""
    mentions: list[ArmMention] = []
    group: list[Agent] = []

    def close() -> None:
        if not group:
            return
        after = AFTER_GROUP.match(text[group[-1].end : group[-1].end + GROUP_TAIL])
        end = group[-1].end + (after.end() if after and after.group(0).strip() else 0)
        alone = bool(after and after.group("alone"))
        armlike = bool(after and (after.group("arm") or alone))
        names = tuple(dict.fromkeys(a.name for a in group))
        mentions.append(ArmMention(group[0].start, end, names, alone, armlike))

    for agent in found:
        if group and not _joinable(text[group[-1].end : agent.start]):
            close()
            group = []
        group.append(agent)
    close()
    mentions += _role_mentions(text)
    return sorted(mentions, key=lambda m: m.start)


@lru_cache(maxsize=2)
def _role_mentions(text: str) -> tuple[ArmMention, ...]:
    """'the control group', 'the experimental arm': read once per text (`arm_mentions` runs three times on it)."""
    return tuple(
        ArmMention(m.start(), m.end(), (), False, True, "experimental" if m.group("exp") else "control")
        for m in ROLE.finditer(text)
    )


def regimen_lists(text: str, found: list[Agent], start: int, end: int) -> list[tuple[int, list[Regimen]]]:
    """Runs of regimens named together in text[start:end]: 'A + B or A + placebo' -> [[A+B, A+placebo]];
    'A ± B' -> [[A+B, A]] (the drug after the last '±' or 'with or without' is the optional one).
    Each run comes with the offset of its first mention."""
    inside = [a for a in between(found, start, end + 1) if a.end <= end]
    lists: list[tuple[int, list[Regimen]]] = []
    run_start = start
    current: list[str] = []
    done: list[list[str]] = []
    base: list[str] | None = None
    compared = False

    def close() -> None:
        nonlocal current, done, base
        if current:
            done.append(current)
        if base is not None and done:
            done.append(base)
        if done:
            lists.append((run_start, [Regimen(tuple(dict.fromkeys(names))) for names in done]))
        current, done, base = [], [], None

    previous: Agent | None = None
    commas_only = True  # 'A 400 mg daily, B 200 mg twice daily, or placebo': commas then 'or' list alternatives
    for agent in inside:
        if previous is None:
            current, run_start = [agent.name], agent.start
            compared = bool(re.search(r"\bcompar", text[max(start, agent.start - COMPARED_BEFORE) : agent.start], re.I))
            commas_only = True
        else:
            gap = text[previous.end : agent.start]
            separator = SEPARATOR.search(gap)
            if compared and not separator and re.search(r"\bwith\b", gap) and len(gap) <= MAX_SEPARATOR_GAP:
                separator = re.search(r"\bwith\b", gap)
            if separator is None and _joinable(gap):
                current.append(agent.name)
                commas_only = commas_only and not re.search(r"\+|\b(?:plus|and|with|combined|combination)\b", gap)
            elif separator and OPTIONAL.match(separator.group(0)) and len(gap) <= MAX_SEPARATOR_GAP:
                base = list(current)
                current.append(agent.name)
            elif separator and len(gap) <= MAX_SEPARATOR_GAP and not re.search(r"[.;]\s", gap):
                if commas_only and len(current) > 1 and re.search(r",\s*or\s*$", gap):
                    done.extend([name] for name in current)
                else:
                    done.append(current)
                current = [agent.name]
            else:
                close()
                current, run_start = [agent.name], agent.start
                compared = bool(
                    re.search(r"\bcompar", text[max(start, agent.start - COMPARED_BEFORE) : agent.start], re.I)
                )
        previous = agent
    close()
    return lists


def experimental_first(regimens: list[Regimen]) -> list[Regimen]:
    """Placebo arms go last; an arm that adds a drug to another comes before it; otherwise text order."""
    if len(regimens) < 2:
        return regimens
    first, second = regimens[0], regimens[1]
    if first.has_placebo and not second.has_placebo:
        return [second, first, *regimens[2:]]
    if first.drugs < second.drugs:
        return [second, first, *regimens[2:]]
    return regimens


def find_anchors(
    text: str, trials: list[tuple[int, int, str]], regions: list[tuple[int, int]] | None = None
) -> list[Anchor]:
    """Study anchors in text order: trials, 'Author et al', unnamed 'a ... trial', own-study phrases and headings."""
    anchors = [Anchor(s, e, name, name) for s, e, name in trials]
    trial_starts = sorted(s for s, _, _ in trials)

    def trial_within(pos: int, chars: int) -> bool:
        i = bisect.bisect_left(trial_starts, pos)
        return i < len(trial_starts) and trial_starts[i] - pos <= chars

    def trial_named(pos: int) -> bool:
        """'Wolff et al14 (HORIZON)', "O'Regan et al28 BOLERO-3": the citation names its trial."""
        i = bisect.bisect_left(trial_starts, pos)
        return i < len(trial_starts) and bool(re.fullmatch(r"\d*[\s,]*\(?\s*", text[pos : trial_starts[i]]))

    for m in ET_AL.finditer(text):
        if not trial_named(m.end()):
            anchors.append(Anchor(m.start(), m.end(), (m.group("name") or m.group("owner")).lower(), None))
    named_ends = sorted(a.end for a in anchors)
    unnamed_ends: list[int] = []  # in text order, so sorted too

    def named_just_before(pos: int, chars: int) -> bool:
        """An anchor so far ends in [pos - chars, pos]."""
        lists = (named_ends, unnamed_ends)
        return any(bisect.bisect_right(ends, pos) > bisect.bisect_left(ends, pos - chars) for ends in lists)

    for m in UNNAMED.finditer(text):
        before = text[max(0, m.start() - COPULA_REACH) : m.start()]
        if COPULA_BEFORE.search(before) or trial_within(m.end(), TRIAL_AFTER):
            continue
        if named_just_before(m.start(), ANCHOR_BEFORE):
            continue
        anchors.append(Anchor(m.start(), m.end(), f"@{m.start()}", None))
        unnamed_ends.append(m.end())
    for m in OWN.finditer(text):
        anchors.append(Anchor(m.start(), m.end(), OWN_KEY, None, own=True))
    for start, end in heading_lines(text, regions or []):
        anchors.append(Anchor(start, end, OWN_KEY, None, own=True))
    return sorted(anchors, key=lambda a: a.start)


@dataclass
class StudyContext:
    """The anchors of one document and the regimens registered for each anchor key."""

    text: str
    anchors: list[Anchor]
    registry: dict[str, list[Regimen]]
    main: Regimen | None
    regions: list[tuple[int, int]]
    drug_counts: Counter[str] = field(default_factory=Counter)
    lookup: AnchorLookup | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.lookup = AnchorLookup.of(self.anchors, self.regions)

    @classmethod
    def build(cls, text: str, drugs: list[Agent], trials: list[tuple[int, int, str]]) -> StudyContext:
        found = agents(text, drugs)
        regions = find_table_regions(text)
        anchors = find_anchors(text, trials, regions)
        counts = Counter(d.name for d in drugs)
        context = cls(text, anchors, {}, _main_regimen(text, found), regions, counts)
        for i, anchor in enumerate(anchors):
            if anchor.own:
                continue
            regimens = context._regimens_near(i, found)
            known = context.registry.get(anchor.key)
            if known is None or (len(known) < 2 <= len(regimens)):
                context.registry[anchor.key] = regimens
        context._own_arms(found)
        return context

    def _own_arms(self, found: list[Agent]) -> None:
        """The article's own arms: the first 'randomized to A or B' outside any cited study's passage."""
        for m in RANDOMIZED_TO.finditer(self.text):
            anchor = self.anchor_at(m.start())
            if anchor is not None and not anchor.own:
                continue
            pairs = [
                lst for _, lst in regimen_lists(self.text, found, m.end(), m.end() + OWN_LIST_AFTER) if len(lst) >= 2
            ]
            if pairs:
                self.registry[OWN_KEY] = self._complete(experimental_first(pairs[0]))
                return

    def _regimens_near(self, i: int, found: list[Agent]) -> list[Regimen]:
        """The first comparison (else the first regimen) after the anchor, up to the next anchor or line end;
        failing that, in the anchor's own line before it (back to the previous anchor)."""
        anchor = self.anchors[i]
        following = self._next_other(i)
        line_end = self.text.find("\n", anchor.end)
        end = min([anchor.end + SEGMENT_CHARS, *following[:1], *([line_end] if line_end >= 0 else [])])
        lists = regimen_lists(self.text, found, anchor.end, end)
        if not lists:
            line_start = self.text.rfind("\n", 0, anchor.start) + 1
            # the last anchor before it that ends before it starts (only anchors overlapping it are passed over)
            ends = (self.anchors[j].end for j in range(i - 1, -1, -1))
            before = next((end for end in ends if end <= anchor.start), None)
            start = max([line_start, *([before] if before is not None else [])])
            lists = regimen_lists(self.text, found, start, anchor.start)[-1:]
        pairs = [(at, lst) for at, lst in lists if len(lst) >= 2]
        randomized = [
            (at, lst) for at, lst in pairs if RANDOMIZED.search(self.text[max(0, at - RANDOMIZED_BEFORE) : at])
        ]
        chosen = (randomized or pairs or lists or [(0, [])])[0][1]
        return self._complete(experimental_first(chosen))

    def _next_other(self, i: int) -> list[int]:
        """[start] of the first anchor after anchor i (starting past its end) under another key, or []."""
        if self.lookup is None:
            anchor = self.anchors[i]
            return [a.start for a in self.anchors[i + 1 :] if a.start > anchor.end and a.key != anchor.key][:1]
        return self.lookup.next_other(i)

    def _complete(self, regimens: list[Regimen]) -> list[Regimen]:
        """'everolimus + exemestane versus placebo': the placebo arm keeps the backbone drugs."""
        if len(regimens) >= 2 and regimens[1].names == (PLACEBO,) and len(regimens[0].drugs) >= 2:
            backbone = [n for n in regimens[0].names if n != self.investigational(regimens[0])]
            return [regimens[0], Regimen((PLACEBO, *backbone)), *regimens[2:]]
        return regimens

    def investigational(self, regimen: Regimen) -> str:
        """The regimen's drug the document names most often (the one under study)."""
        return max(regimen.drugs, key=lambda d: (self.drug_counts[d], -regimen.names.index(d)))

    def anchor_at(self, pos: int) -> Anchor | None:
        """The latest anchor before `pos`; anchors inside a table count only inside that table."""
        if self.lookup is not None:
            return self.lookup.anchor_at(pos)
        region = next(((lo, hi) for lo, hi in self.regions if lo <= pos < hi), None)
        for anchor in reversed(self.anchors):
            if anchor.start > pos:
                continue
            inside = next(((lo, hi) for lo, hi in self.regions if lo <= anchor.start < hi), None)
            if inside is not None and inside != region:
                continue
            return anchor
        return None

    def regimens(self, anchor: Anchor | None) -> list[Regimen]:
        """The anchor's study arms, experimental first; the article's own study is its randomized arms, else
        the combination it names most (a single-arm cohort's regimen)."""
        if anchor is None or anchor.own:
            return self.registry.get(OWN_KEY) or ([self.main] if self.main else [])
        return self.registry.get(anchor.key, [])

    def resolve(self, mention: ArmMention, anchor: Anchor | None) -> Regimen | None:
        """The study regimen an arm phrase names; the phrase's own drugs when the study has no match."""
        regimens = self.regimens(anchor)
        if mention.role == "experimental":
            return regimens[0] if regimens else None
        if mention.role == "control":
            return regimens[1] if len(regimens) >= 2 else None
        named = Regimen(mention.names)
        if named.has_placebo:
            with_placebo = [r for r in regimens if r.has_placebo]
            if with_placebo:
                return with_placebo[0]
            if regimens and not named.drugs and len(regimens[0].drugs) >= 2:
                return self._complete([regimens[0], named])[1]
            return named
        if mention.alone:
            same = [r for r in regimens if r.drugs == named.drugs]
            return same[0] if same else named
        containing = [r for r in regimens if named.drugs <= r.drugs and not r.has_placebo]
        return containing[0] if containing and named.drugs else named

    def other(self, regimen: Regimen | None, anchor: Anchor | None) -> Regimen | None:
        """The study's other arm (for the second value of a pair)."""
        regimens = self.regimens(anchor)
        rest = [r for r in regimens if r != regimen]
        return rest[0] if rest and len(regimens) >= 2 else None


@dataclass
class AnchorLookup:
    """`StudyContext.anchor_at` and the next anchor under another key, by bisection instead of a scan of every
    anchor per value. Needs the anchors in text order and the table regions sorted and apart (as
    `find_table_regions` gives them): `of` returns None otherwise, and the scans run as before."""

    anchors: list[Anchor]
    starts: list[int]
    regions: list[tuple[int, int]]
    region_starts: list[int]
    last_outside: list[int]  # per anchor: the index of the last anchor up to it that is in no table (-1: none)
    run_end: list[int]  # per anchor: the index of the first anchor after it under another key (len: none)

    @classmethod
    def of(cls, anchors: list[Anchor], regions: list[tuple[int, int]]) -> AnchorLookup | None:
        starts = [a.start for a in anchors]
        if starts != sorted(starts) or any(lo > hi for lo, hi in regions):
            return None
        if any(b_lo < a_hi for (_, a_hi), (b_lo, _) in itertools.pairwise(regions)):
            return None
        lookup = cls(anchors, starts, regions, [lo for lo, _ in regions], [], [])
        last = -1
        for i, anchor in enumerate(anchors):
            last = i if lookup.region_of(anchor.start) is None else last
            lookup.last_outside.append(last)
        run_end = len(anchors)
        lookup.run_end = [0] * len(anchors)
        for i in range(len(anchors) - 1, -1, -1):
            if i + 1 < len(anchors) and anchors[i + 1].key != anchors[i].key:
                run_end = i + 1
            lookup.run_end[i] = run_end
        return lookup

    def region_of(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.region_starts, pos) - 1
        return i if i >= 0 and pos < self.regions[i][1] else None

    def anchor_at(self, pos: int) -> Anchor | None:
        """The last anchor starting at or before `pos` that is in no table or in `pos`'s own table: in a table,
        one after the table's start if there is one, else the last one outside every table."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        region = self.region_of(pos)
        if region is not None and self.starts[i] >= self.regions[region][0]:
            return self.anchors[i]
        last = self.last_outside[i]
        return self.anchors[last] if last >= 0 else None

    def next_other(self, i: int) -> list[int]:
        """[start] of the first anchor after anchor i, starting past its end, under another key; else []."""
        anchor = self.anchors[i]
        j = max(i + 1, bisect.bisect_right(self.starts, anchor.end))
        if j < len(self.anchors) and self.anchors[j].key == anchor.key:
            j = self.run_end[j]
        return [self.anchors[j].start] if j < len(self.anchors) else []


def _main_regimen(text: str, found: list[Agent]) -> Regimen | None:
    """The combination the document names most often (its own study's regimen); else its most named drug."""
    combos: Counter[tuple[str, ...]] = Counter()
    order: dict[tuple[str, ...], int] = {}
    firsts: dict[tuple[str, ...], tuple[str, ...]] = {}
    for mention in arm_mentions(text, [a for a in found if a.name != PLACEBO]):
        if len(mention.names) >= 2:
            key = tuple(sorted(mention.names))
            combos[key] += 1
            order.setdefault(key, mention.start)
            firsts.setdefault(key, mention.names)
    if combos:
        best = max(combos, key=lambda k: (combos[k], -order[k]))
        # the names as the text orders them with placebo among them; a list of treatments and placebo
        # ('methylphenidate (60 mg), modafinil (600 mg), and placebo') reads as one mention only without it
        first = next((m.names for m in arm_mentions(text, found) if tuple(sorted(m.names)) == best), firsts[best])
        return Regimen(first)
    singles = Counter(a.name for a in found if a.name != PLACEBO)
    return Regimen((singles.most_common(1)[0][0],)) if singles else None


# --- which arm a value belongs to ------------------------------------------------------------------------

ARM_AFTER = re.compile(
    r"^\s*\)?\s*(?:\([^()]{0,40}\)\s*)?(?:,\s*)?(?:patients\s+)?(?:in|with|for|among|on|of|during|receiving|treated\s+with)\s+"
    r"(?:the\s+)?(?:(?:patients|those|women|men)\s+)?(?:(?:treated|receiving|who\s+received|given|on)\s+)?"
    r"(?:with\s+)?(?:the\s+)?(?:treatment\s+with\s+)?$",
    re.I,
)
COMPARISON = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:versus|vs\.?|than|compared\s+with|compared\s+to)\s+(?:in\s+)?(?:the\s+)?$", re.I
)


def arm_after(text: str, arms: list[ArmMention], end: int, limit: int) -> ArmMention | None:
    """An arm phrase right after a value: '2.8 months in the placebo group', '(3.6%) treated with X and Y'."""
    for arm in between(arms, end, limit + 1):
        if ARM_AFTER.match(text[end : arm.start]):
            return arm
    return None


def arm_before(arms: list[ArmMention], start: int, floor: int) -> ArmMention | None:
    """The nearest arm phrase before a value in its clause: 'capecitabine yielded a median PFS of 9.6 months'."""
    candidates = [a for a in between(arms, floor, start + 1) if a.end <= start]
    return candidates[-1] if candidates else None


def compared_arms(text: str, arms: list[ArmMention], floor: int, start: int) -> tuple[ArmMention, ArmMention] | None:
    """'in the everolimus arm than in the placebo arm (57% versus 30%)': the two arms a pair follows, in order."""
    inside = [a for a in between(arms, floor, start + 1) if a.end <= start]
    for first, second in reversed(list(itertools.pairwise(inside))):
        if COMPARISON.match(text[first.end : second.start]):
            return first, second
    return None


def assign_arms(
    context: StudyContext,
    text: str,
    arms: list[ArmMention],
    group: list[Value],
    measures: list[str],
    anchor: Anchor | None,
    clause: tuple[int, int],
    previous_end: int,
    cited: bool,
    others: list[Value],
) -> list[tuple[Regimen | None, Regimen | None]]:
    """(arm, comparator) per value of a group: arm phrases next to the values, else the arms the clause
    compares, else the study's arms in the order the text implies ('from X to Y': control, then
    experimental). Ratios and differences are the experimental arm's, against the control."""
    own = anchor is None or anchor.own
    regimens = [] if own and cited else context.regimens(anchor)
    experimental = regimens[0] if regimens else None
    control = regimens[1] if len(regimens) >= 2 else None
    first = group[0]
    floor = max(clause[0], previous_end)
    if first.kind == "ratio" or measures[0] == "difference":
        return [(experimental, control)] * len(group)
    explicit = [arm_after(text, arms, v.end, min(clause[1], v.end + ARM_AFTER_VALUE)) for v in group]
    resolved = [context.resolve(a, anchor) if a else None for a in explicit]
    if len(group) == 1 or first.order in ("both", "same"):
        if first.order == "both":
            return [(experimental, None), (control, None)]
        if resolved[0] is None:
            before = arm_before(arms, first.start, floor)
            armed_siblings = any(
                arm_after(text, arms, v.end, v.end + ARM_AFTER_VALUE) for v in others if v.start > first.end
            )
            if before is not None:
                resolved[0] = context.resolve(before, anchor)
            elif measures[0] != "duration" and not armed_siblings and not (own and control is not None):
                # else a total before per-arm counts ('A total of 18 (4.6%)'), or an own two-arm trial's value
                resolved[0] = experimental

        return [(resolved[0], None)] * len(group)
    if resolved[0] is None and resolved[1] is not None:
        resolved[0] = context.other(resolved[1], anchor)
    elif resolved[1] is None and resolved[0] is not None:
        resolved[1] = context.other(resolved[0], anchor)
    if resolved[0] is None:
        pair = compared_arms(text, arms, floor, first.start)
        near = arm_before(arms, first.start, max(floor, first.start - ARM_BEFORE_VALUE))
        if pair:
            resolved = [context.resolve(pair[0], anchor), context.resolve(pair[1], anchor)]
        elif near is not None and near.armlike:
            one = context.resolve(near, anchor)
            resolved = [one, context.other(one, anchor)]
        elif first.order == "from_to":
            resolved = [control, experimental]
        else:
            resolved = [experimental, control]
    return [(r, None) for r in resolved]
