"""The study's arms: the groups a trial or cohort compares, with their size and drugs.

Read from the headers of the Document's tables ('Losartan (n = 20)', 'Placebo + metformin (n = 137)') and
from the sentences that allocate patients ('were randomly assigned to receive telmisartan (80 mg, n = 20) or
losartan (50 mg, n = 20)', '30 received White Grape Juice (WGJ)'); groups the text names by letter or number
('group A', 'Group 1') become aliases of the arm the text gives them. Sets `doc.spans[spans_key]`, one span
per arm with `span._.item` the Arm fields (aliases under '_aliases', for the components that resolve arm
names: `result_doc.arm_registry(doc)`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import abbreviations, set_extensions
from extractor.nlp.layout import layout, references_start
from extractor.nlp.prose import item_spans
from extractor.nlp.text.arms import (
    PLACEBO,
    Arm,
    ArmDraft,
    ArmRegistry,
    DoseList,
    DrugMention,
    arm_patterns,
    arm_words,
    content_words,
    dose_lists,
    dose_words,
    draft_from_label,
    drugs_in,
    is_control,
    label_starts,
    normalize_label,
    sized_group_matches,
    split_top_level,
)
from extractor.nlp.text.crossover import add_crossover_arms
from extractor.nlp.text.drug_lexicon import packaged_lexicon
from extractor.nlp.text.numbers import WORD_NUM, as_count, parse_number
from extractor.nlp.text.table_reader import read_table

SPANS_KEY = "arms"
MAX_ALLOCATION_CHARS = 400  # an allocation list ends with its sentence; this bounds a sentence without a stop
MAX_ARM_PHRASE_CHARS = 120  # one arm of the list: 'once-daily telmisartan (80 mg, n = 20)'
MAX_ARM_WORDS = 12  # an arm named by its words alone: 'local anesthetic infiltration of the port site'
MIN_GROUP_MENTIONS = 2  # a group named this often by a drug or a control word, with no other source, is an arm
OFTEN_NAMED = 3  # ... and any group the text names this often ('the 1-week group')
COUNT_BEFORE = 60  # a group size before an arm ('40 patients were randomized to'): a number and a few words
MIN_SHARE = 2  # an equal share of a total divided into groups is a group of people, not one regimen each
MIN_WORD_LETTERS = 4  # label words that count when an arm is named again: shorter ones ('day', 'low') recur anyway


@Language.factory(
    "extractor_arms",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc.spans"],
    default_config={"spans_key": SPANS_KEY},
)
class ArmExtractor:
    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        set_extensions()
        self.name, self.spans_key = name, spans_key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> ArmRegistry:
        text = doc_text(doc)
        mentions = drug_mentions(doc)
        registry = ArmRegistry()
        # the allocation sentence names the arms; table headers add sizes and the names the tables use, and
        # are arms of their own only when the text allocates to no groups (else a drug-less column is a
        # subgroup or a population: 'Culture negative (213)')
        limit = references_start(doc)
        allocations = allocation_lists(text[:limit], mentions, layout(doc).tables, layout(doc).sections)
        for draft in next(allocations, []):
            registry.add(draft)
        for drafts in allocations:
            _add_parallel_allocation(registry, drafts)
        counting = len(registry.arms) < 2  # no allocation sentence named the arms: every counted group is one
        for draft in _counted_groups(text[:limit], mentions):
            registry.add(draft, create=counting)
        allocated = len(registry.arms) >= 2
        _add_group_names(text[:limit], registry, mentions)
        analysed: dict[int, int] = {}
        tables = table_drafts(doc, text, mentions)
        # a table's columns are arms of their own only when the header shows they are groups: a size, a drug,
        # a control ('Max.', 'Point in Time' and 'Sick-Leave Status' are not)
        grouped = {
            d.start
            for drafts in tables
            for d in drafts
            if d.n is not None or d.drugs or arm_patterns().control_words.search(d.label)
        }
        for drafts in tables:
            for draft in drafts:
                create = (not allocated and draft.start in grouped) or bool(set(draft.drugs) - {PLACEBO})
                arm = registry.add(draft, create=create)
                if arm is not None and draft.source == "results table" and draft.n is not None:
                    analysed.setdefault(id(arm), draft.n)
            columns = [d for d in drafts if d.start in grouped]
            if allocated and len(columns) == len(registry.arms):
                # 'Lemon verbena (N = 20)' beside 'Placebo (N = 20)': the column left is the arm left
                _add_parallel_allocation(registry, columns)
        for arm in registry.arms:
            # the size a results table gives a group is the one its results were analysed in: what a
            # meta-analyst pools, over the number randomized
            arm.n = analysed.get(id(arm), arm.n)
        _add_group_names(text[:limit], registry, mentions, create=True)
        _add_abbreviations(doc, registry)
        _add_size_breakdown(text[:limit], registry)
        _add_sized_groups(text[:limit], registry, mentions, create=len(registry.arms) < 2)
        _add_drug_sizes(text[:limit], registry, mentions)
        _add_named_groups(text[:limit], registry, mentions)
        _add_size_breakdown(text[:limit], registry)  # again, for the arms the named groups added
        _add_each_group_size(text[:limit], registry)
        _add_equal_split(text[:limit], registry, layout(doc).sections)
        _add_control_placebo(text[:limit], registry)
        add_crossover_arms(registry, text[:limit], mentions, layout(doc).sections)
        registry.name_arms()
        return registry

    def set_annotations(self, doc: Doc, registry: ArmRegistry) -> None:
        items: list[tuple[dict[str, Any], tuple[int, int]]] = []
        for arm in registry.arms:
            item = arm.to_item()
            item["_drugs"] = list(arm.drugs)
            items.append((item, (arm.start, arm.end)))
        doc.spans[self.spans_key] = item_spans(doc, items, "ARM")


def drug_mentions(doc: Doc) -> list[DrugMention]:
    """Drug entities and placebo mentions; a combination written as one token ('TDF/FTC') gives each part
    the lexicon or the text's abbreviations name."""
    text = doc_text(doc)
    lexicon = packaged_lexicon()
    defined = {short.text: long_form.text.lower() for short, long_form in abbreviations(doc)}
    found: list[DrugMention] = []
    for e in doc.ents:
        if e.label_ != "DRUG":
            continue
        found.append(DrugMention(e.start_char, e.end_char, e.kb_id_))
        if not re.search(r"\w[/-]\w", e.text):
            continue
        for part in re.finditer(r"[^\s/+-]+", e.text):
            surface = part.group()
            name = (
                lexicon.abbreviations.get(surface, ("", False))[0]
                or lexicon.synonyms.get(surface.lower())
                or lexicon.synonyms.get(defined.get(surface, ""))
            )
            if name and name != e.kb_id_:
                found.append(DrugMention(e.start_char + part.start(), e.start_char + part.end(), name))
    found += [DrugMention(m.start(), m.end(), PLACEBO) for m in re.finditer(r"\bplacebos?\b", text, re.I)]
    return sorted(found, key=lambda m: m.start)


def table_drafts(doc: Doc, text: str, mentions: list[DrugMention]) -> list[list[ArmDraft]]:
    """One draft per group column of every table that compares two or more groups, table by table."""
    tables: list[list[ArmDraft]] = []
    for table in layout(doc).tables:
        read = read_table(table, text)
        if read is None or len(read.groups) < 2:
            continue
        drafts = []
        for column in read.groups:
            if column.group_span is None:
                continue
            start, end = column.group_span
            source = "results table" if read.kind == "results" else "table"
            draft = draft_from_label(column.group, start, end, mentions, source, column.n)
            if draft is not None:
                drafts.append(draft)
        tables.append(drafts)
    return tables


OWN_SECTIONS = {"abstract", "methods", "results", "other", None}  # where an article allocates its own patients


def allocation_drafts(text: str, mentions: list[DrugMention], tables: Any = (), sections: Any = ()) -> list[ArmDraft]:
    """Arms from the first sentence that allocates patients to two or more groups: outside tables, and not in
    the introduction or discussion (where cited trials allocate theirs)."""
    return next(allocation_lists(text, mentions, tables, sections), [])


def allocation_lists(
    text: str, mentions: list[DrugMention], tables: Any = (), sections: Any = ()
) -> Iterator[list[ArmDraft]]:
    """The groups of every sentence that allocates patients to two or more, in text order (see
    `allocation_drafts`)."""
    p = arm_patterns()
    in_table = [(t.start, t.end) for t in tables]
    for m in p.allocation.finditer(text):
        if any(lo <= m.start() < hi for lo, hi in in_table):
            continue
        section = next((s.name for s in sections if s.start <= m.start() < s.end), None)
        if section not in OWN_SECTIONS:
            continue
        stop = re.search(
            r"(?<!\bvs)(?<!\bi\.e)(?<!\be\.g)\.(?:\s|$)|;\s|\n", text[m.end() : m.end() + MAX_ALLOCATION_CHARS]
        )
        end = min(len(text), m.end() + (stop.start() if stop else MAX_ALLOCATION_CHARS))
        drafts = [d for d in _list_items(text, m.end(), end, mentions) if _named_again(d, text, m.start(), end)]
        if len(drafts) >= 2:
            yield drafts


def _add_parallel_allocation(registry: ArmRegistry, drafts: list[ArmDraft]) -> None:
    """A later sentence allocating to as many groups, all but one of them arms already ('randomized to an
    experimental or control group', then 'randomized to the yoga (n = 18) or control group (n = 19)'): the one
    left names the arm left ('yoga' is the experimental arm); its sizes fill the arms without one. A later
    sentence naming every arm and more, with their drugs or placebo, completes the list ('studies of
    esomeprazole 20 mg or 40 mg', then 'to receive esomeprazole 20 mg, esomeprazole 40 mg, or placebo')."""
    if len(drafts) < len(registry.arms):
        return
    found = [registry.find(d.label, d.drugs) for d in drafts]
    known = {id(a) for a in found if a is not None}
    if len(known) != sum(a is not None for a in found):
        return  # two groups of the sentence name one arm: not the same groups
    if len(drafts) > len(registry.arms):
        drugs = {d for a in registry.arms for d in a.drugs} | {PLACEBO}
        extra = [d for d, arm in zip(drafts, found, strict=True) if arm is None]
        if len(known) < len(registry.arms) or not all(d.drugs and set(d.drugs) <= drugs for d in extra):
            return  # only the arms' own drugs at another dose, or placebo, complete the list
        found = [arm or registry.add(draft) for draft, arm in zip(drafts, found, strict=True)]
    rest = [a for a in registry.arms if id(a) not in known]
    if len(rest) == 1 and found.count(None) == 1:
        k = found.index(None)
        rest[0].aliases.add(normalize_label(drafts[k].label))
        found[k] = rest[0]
    for draft, arm in zip(drafts, found, strict=True):
        if arm is not None and arm.n is None and draft.n is not None:
            arm.n = draft.n


def _named_again(draft: ArmDraft, text: str, start: int, end: int) -> bool:
    """An arm named only by its words ('local anesthetic infiltration of the port site') is named again
    elsewhere: half its words recur outside the allocation sentence ('the local infiltration group'). A phrase
    that only describes the procedure ('place the tablets under her tongue') does not."""
    p = arm_patterns()
    if draft.drugs or draft.n is not None or p.control_words.search(draft.label) or p.group_name.search(draft.label):
        return True
    if dose_words(draft.label):
        return True  # '30 µg YIC': a group named by its dose
    if re.search(r"\b(?:group|arm)\b", draft.label, re.I):
        return True  # 'the intervention group': it says it is a group
    words = {w for w in content_words(arm_words(draft.label)) if len(w) >= MIN_WORD_LETTERS}
    if not words:
        return False
    rest = (text[:start] + " " + text[end:]).lower()
    again = sum(1 for w in words if re.search(rf"\b{re.escape(w)}\b", rest))
    return 2 * again >= len(words)


def _drug_parts(
    text: str, start: int, end: int, mentions: list[DrugMention], keep: Sequence[DoseList] = ()
) -> list[tuple[int, int]]:
    """An item of a list split at 'or' split again at its commas when every part names a drug or a dose
    ('quetiapine 300 mg/day, quetiapine 600 mg/day, or placebo', 'either 30 mg, 60 mg or 90 mg EPs 7630');
    commas inside one arm's description stay."""
    parts = split_top_level(text, start, end, arm_patterns().list_separator, keep)
    if len(parts) > 1 and all(drugs_in(mentions, lo, hi) or dose_words(text[lo:hi]) for lo, hi in parts):
        return parts
    return [(start, end)]


def _list_items(text: str, start: int, end: int, mentions: list[DrugMention]) -> list[ArmDraft]:
    """'telmisartan (80 mg, n = 20) or losartan (50 mg, n = 20)' -> two drafts. 'or' and 'versus' split first
    (then commas inside an arm's description stay: 'the intervention group, i.e. a booklet and a diary, or the
    control group'); an appositive ('i.e. ...', ', which received ...') is not an arm of its own."""
    p = arm_patterns()
    listed = dose_lists(text, start, end, mentions)
    items = split_top_level(text, start, end, p.strong_separator, listed)
    if len(items) < 2 and not listed:
        items = split_top_level(text, start, end, p.list_separator)
    else:
        items = [part for lo, hi in items for part in _drug_parts(text, lo, hi, mentions, listed)]
    drafts = []
    for lo, hi in items:
        doses = [d for d in listed if lo <= d.start < hi]
        if doses:
            drafts += [draft for d in doses for draft in d.drafts]
            continue
        cut = p.appositive.search(text, lo, hi)
        hi = cut.start() if cut else hi
        lead = p.item_lead.match(text, lo, hi)
        lo = lead.end() if lead else lo
        phrase = text[lo:hi]
        if len(phrase) > MAX_ARM_PHRASE_CHARS or not re.search(r"[A-Za-z]", phrase):
            continue
        if p.not_arm_phrase.search(phrase):
            continue  # '1 withdrew during the study': what happened to a group, not a group
        draft = draft_from_label(phrase, lo, hi, mentions, "allocation")
        if draft is None:
            continue
        if draft.n is None:
            draft.n = _count_before(text, lo)
        drafts.append(draft)
    if len(drafts) < 2:
        return []

    # an allocation list names its arms by drugs, sizes, control words, group names, or short noun phrases
    def named(d: ArmDraft) -> bool:
        return bool(d.drugs or d.n is not None or p.control_words.search(d.label) or p.group_name.search(d.label))

    if all(named(d) or len(d.label.split()) <= MAX_ARM_WORDS for d in drafts):
        return drafts
    return [d for d in drafts if named(d)]


def _count_before(text: str, start: int) -> int | None:
    m = arm_patterns().count_before.search(text[max(0, start - COUNT_BEFORE) : start])
    return as_count(parse_number(m.group("n"))) if m else None


def _counted_groups(text: str, mentions: list[DrugMention]) -> list[ArmDraft]:
    """'30 received White Grape Juice (WGJ), and 30 were given colored water': counted groups in one sentence.
    An arm ends where the next count begins ('85 patients received 1-week PPI+BMT and 84 patients received ...',
    '326 patients were assigned to the intervention-group and 326 patients were assigned to ...')."""
    next_count = rf"\s+(?:and|while|whereas)\s+(?:\d|{WORD_NUM}\b)"
    pattern = re.compile(
        rf"(?<![\d,.])(?P<n>\d[\d,]*|{WORD_NUM})\s+(?:(?:patients|subjects|participants|children|women|men|infants|adults)\s+)?"
        r"(?:were\s+)?(?:randomi[sz]ed\s+to|assigned\s+to|allocated\s+to|received|given|fed|treated\s+with|underwent)\s+"
        rf"(?P<arm>(?:(?!{next_count})[^,;.()]){{3,80}}(?:\([^()]{{1,20}}\))?)",
        re.I,
    )
    found = list(pattern.finditer(text))
    for i, m in enumerate(found):
        same_sentence = [
            f
            for f in found[i:]
            if f.start() - m.start() < MAX_ALLOCATION_CHARS and "." not in text[m.end() : f.start()]
        ]
        if len(same_sentence) < 2:
            continue
        drafts = []
        for f in same_sentence:
            draft = draft_from_label(f.group("arm"), f.start("arm"), f.end("arm"), mentions, "allocation")
            if draft is not None:
                draft.n = as_count(parse_number(f.group("n")))
                drafts.append(draft)
        if len(drafts) >= 2:
            return drafts
    return []


def _add_abbreviations(doc: Doc, registry: ArmRegistry) -> None:
    """'White Grape Juice (WGJ)': the short form names the arm too, and an arm the text names by its
    abbreviation ('TPLU group') is also named by the long form."""
    # each distinct pair, not each occurrence: a long text defines the same abbreviations over and over, and
    # every look-up compares the label with every arm's aliases. Twice over: an arm found by its short form
    # learns the long form, and then, as a pair the text repeats did, the short form by the long one
    pairs = list(dict.fromkeys((short.text, long_form.text) for short, long_form in abbreviations(doc)))
    for short_text, long_text in pairs + pairs:
        arm = registry.find(long_text)
        if arm is not None:
            arm.aliases.add(normalize_label(short_text))
            continue
        arm = registry.find(short_text)
        if arm is not None:
            arm.aliases.add(normalize_label(long_text))
            if not arm.drugs and normalize_label(short_text) == arm_words(arm.label):
                arm.label = long_text  # named by what the abbreviation stands for


def _add_group_names(text: str, registry: ArmRegistry, mentions: list[DrugMention], create: bool = False) -> None:
    """'Group N, normal saline; Group L, lidocaine 40 mg', 'Group 1 (n = 64) received magnesium sulphate': a
    group's letter or number is an alias of the arm its definition names (its drugs given to a header arm that
    has none); with `create`, and two or more groups defined, arms of their own."""
    p = arm_patterns()
    defined: dict[str, tuple[int, int, str, tuple[str, ...]]] = {}
    names = [m for m in p.group_name.finditer(text) if not _letter_of_a_name(text, m)]
    for k, m in enumerate(names):
        limit = min(len(text), m.end() + MAX_ARM_PHRASE_CHARS, *(n.start() for n in names[k + 1 : k + 2]))
        stop = re.search(r"[.;]\s|\n|\)", text[m.end() : limit])
        end = m.end() + (stop.start() if stop else limit - m.end())
        key = normalize_label(m.group())
        opener = re.match(
            r"\s*(?:[,:(=–-]|\(\s*n\s*=\s*\d+\s*[,)]|received|was\s+given|were\s+given|included|involved|consisted\s+of)\s*",
            text[m.end() : end],
        )
        definition = text[m.end() + opener.end() : end] if opener else ""
        # only a definition gives the group its drugs ('Group 3 showed lower magnesium levels' defines nothing)
        drugs = tuple(d.name for d in mentions if m.end() <= d.start < end) if opener else ()
        if key not in defined or (drugs and not defined[key][3]):
            defined[key] = (m.start(), m.end(), definition.strip(), drugs)
    make = create and len(registry.arms) < 2 and sum(bool(d[3] or d[2]) for d in defined.values()) >= 2
    for key, (start, end, definition, drugs) in defined.items():
        named = registry.find(key)
        if named is not None:
            if not named.drugs and drugs:
                named.drugs = drugs[:1]  # 'Group 1 (Magnesium)' in a header; 'group 1 received magnesium sulphate'
            continue
        arm = _arm_with(registry.arms, drugs[0]) if drugs else None
        if arm is not None:
            arm.aliases.add(key)
        elif make and (drugs or definition):
            label = definition if 0 < len(definition.split()) <= MAX_ARM_WORDS else key
            registry.add(ArmDraft(label, drugs[:1], None, start, end, "group"))
            registry.arms[-1].aliases.add(key)


_FUNCTION_WORD_BEFORE = re.compile(
    r"(?:^|[^\w\s]\s*|\b(?:the|in|and|or|to|of|vs\.?|versus|with|both|between|than|for|from|into)\s+)$", re.I
)


def _letter_of_a_name(text: str, m: re.Match[str]) -> bool:
    """'Vitamin D group', 'Hepatitis B group', 'into a group of': a letter before 'group' that ends a name, or
    the article, is no group's letter ('the D group', 'in group D' are)."""
    letter = re.match(r"([A-Da-d])\s", m.group())
    if letter is None:
        return False
    if letter.group(1) == "a":
        return True
    return not _FUNCTION_WORD_BEFORE.search(text[max(0, m.start() - 20) : m.start()])


def _add_sized_groups(text: str, registry: ArmRegistry, mentions: list[DrugMention], create: bool) -> None:
    """'the EMS group (n = 24)', '38 patients in the gum group': sizes for the arms they name (and arms of
    their own when nothing else named two)."""
    found: list[tuple[int, str, int | None]] = []
    starts = label_starts(text)
    p = arm_patterns()
    for pattern in p.sized_groups:
        for m in sized_group_matches(pattern, text, starts):
            if p.time_list_before.search(text, max(0, m.start("n") - COUNT_BEFORE), m.start("n")):
                continue  # 'at weeks 6 and 12 in the placebo group'
            if p.breakdown_lost.search(
                re.split(r"[.;]\s", text[max(0, m.start() - BREAKDOWN_TOTAL_BEFORE) : m.start()])[-1]
            ):
                continue  # 'missing in 5 patients who discontinued (2 patients in the 5-mg group, ...)'
            found.append((m.start("label"), m.group("label"), as_count(parse_number(m.group("n")))))
    for start, label, n in sorted(found):
        draft = draft_from_label(label, start, start + len(label), mentions, "group", n)
        if draft is None or not content_words(arm_words(label)) - {"two", "three", "four", "both", "all", "each"}:
            continue
        if p.not_group_label.search(label):
            continue  # 'They were randomly divided to two groups (n = 10)'
        arm = registry.find(label, draft.drugs)
        if arm is not None:
            if arm.n is None:
                arm.n = n
        elif create:
            registry.add(draft)


_SIZE_IN_PARENS = re.compile(r"\s*\((?:[^()]{0,40}[,;]\s*)?[nN]\s*=\s*(?P<n>\d[\d,]*)\s*[,;)]")


def _add_drug_sizes(text: str, registry: ArmRegistry, mentions: list[DrugMention]) -> None:
    """'telmisartan (80 mg, n = 20) or losartan (50 mg, n = 20)': the size of the arm only that drug names."""
    for mention in mentions:
        m = _SIZE_IN_PARENS.match(text, mention.end)
        if not m:
            continue
        arm = _arm_with(registry.arms, mention.name)
        if arm is not None and arm.n is None:
            arm.n = as_count(parse_number(m.group("n")))


def _add_named_groups(text: str, registry: ArmRegistry, mentions: list[DrugMention]) -> None:
    """'the TAP group', 'in the local infiltration group': aliases of the arms they name; arms of their own when
    the text names two or more such groups repeatedly and nothing else named two arms."""
    p = arm_patterns()
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, int, str]] = {}
    for m in p.named_group.finditer(text):
        label = m.group("label")
        key = arm_words(label)
        if not key or p.generic_group.match(key) or not content_words(key) or key.isdigit():
            continue
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, (m.start("label"), m.end("label"), label))
    create = len(registry.arms) < 2 and sum(c >= MIN_GROUP_MENTIONS for c in counts.values()) >= 2
    for key, count in sorted(counts.items(), key=lambda kv: first[kv[0]][0]):
        start, end, label = first[key]
        draft = draft_from_label(label, start, end, mentions, "group")
        if draft is None or _names_two_arms(label, registry):
            continue
        arm = registry.find(label, draft.drugs)
        if arm is not None:
            arm.aliases.add(key)
        elif create and (
            (count >= MIN_GROUP_MENTIONS and (draft.drugs or p.control_words.search(key))) or count >= OFTEN_NAMED
        ):
            registry.add(draft)  # 'the pimecrolimus group', 'the placebo group', 'the 1-week group' ...


_COORDINATOR = re.compile(r"\s+(?:and|or|versus|vs\.?)\s+(?:the\s+)?", re.I)


def _names_two_arms(label: str, registry: ArmRegistry) -> bool:
    """'the intervention and the control groups', 'the CGM and control groups': a label that joins two of the
    arms names both, and is an alias of neither."""
    found = {id(arm) for part in _COORDINATOR.split(label) if part.strip() for arm in [registry.find(part)] if arm}
    return len(found) > 1


BREAKDOWN_TOTAL_BEFORE = 100  # the total a parenthesis splits is printed just before it ('497 were randomised (')
_PARENTHESIS = re.compile(r"\(([^()]{3,160})\)")
_TOTAL = re.compile(rf"(?<![\d.,])(?:\d[\d,]*|{WORD_NUM})\b(?![.,]?\d|\s*%)", re.I)  # no share: "231 (81%)"


def _add_size_breakdown(text: str, registry: ArmRegistry) -> None:
    """'497 were randomised (251 intervention and 246 control)', 'Forty-five subjects (30 CPA and 15 placebo)':
    a total split into the arms' sizes gives each arm still without one its share. The counts must add up to a
    number just before the parenthesis, in the same sentence ('(21 males, 9 females)' names no arms, '(4 years
    and 20 kg)' adds up to nothing), and every item must name a different arm."""
    p = arm_patterns()
    if len(registry.arms) < 2 or all(a.n is not None for a in registry.arms):
        return
    for m in _PARENTHESIS.finditer(text):
        sizes: dict[int, int] = {}
        inner = m.group(1)
        # '(placebo, n = 80; risedronate at 5 mg, n = 80; ...)': semicolons part the items when there are any
        for item in re.split(r"\s*;\s*(?:and\s+)?", inner) if ";" in inner else p.list_separator.split(inner):
            read = next((r for pattern in p.size_breakdown for r in [pattern.match(item)] if r), None)
            arm = registry.find(read.group("label")) if read else None
            n = as_count(parse_number(read.group("n"))) if read else None
            if arm is None or n is None or id(arm) in sizes:
                break
            sizes[id(arm)] = n
        else:
            before = re.split(r"[.;]\s", text[max(0, m.start() - BREAKDOWN_TOTAL_BEFORE) : m.start()])[-1]
            last = list(_TOTAL.finditer(before))[-1:]  # the number the parenthesis follows
            if (
                len(sizes) >= 2
                and last
                and as_count(parse_number(last[0].group())) == sum(sizes.values())
                and p.breakdown_people.search(before[last[0].end() :])
                and not p.breakdown_lost.search(before[last[0].end() :])
                and not p.breakdown_time.search(before[: last[0].start()])
            ):
                for arm in registry.arms:
                    if arm.n is None and id(arm) in sizes:
                        arm.n = sizes[id(arm)]
                if all(a.n is not None for a in registry.arms):
                    return


def _add_each_group_size(text: str, registry: ArmRegistry) -> None:
    """'15 patients in each treatment group': the size of every arm still without one."""
    if not registry.arms or all(a.n is not None for a in registry.arms):
        return
    m = arm_patterns().each_group.search(text)
    if not m:
        return
    n = as_count(parse_number(next(g for g in m.groups() if g)))
    for arm in registry.arms:
        if arm.n is None:
            arm.n = n


def _add_equal_split(text: str, registry: ArmRegistry, sections: Any = ()) -> None:
    """'Thirty-two goats were randomly divided into four groups', 'A total of 120 patients ... were enrolled.
    Patients were allocated into 4 groups': a total one allocation sentence divides into as many groups as the
    record has arms gives each arm still without a size an equal share, when the total divides evenly and every
    size the text gives agrees with the share. A total allocated 'to either A or B'
    gives none: nothing says the groups were of one size."""
    arms = registry.arms
    if len(arms) < 2 or all(a.n is not None for a in arms):
        return
    found = (m for pattern in arm_patterns().equal_split for m in pattern.finditer(text))
    for m in sorted(found, key=lambda m: m.start()):
        if next((s.name for s in sections if s.start <= m.start() < s.end), None) not in OWN_SECTIONS:
            continue
        total = as_count(parse_number(m.group("n")))
        groups = as_count(parse_number(m.group("k")))
        if not total or groups != len(arms) or total % groups or total // groups < MIN_SHARE:
            continue  # 'Two treatment regimens were assigned to two groups' counts no patients
        share = total // groups
        if all(a.n in (None, share) for a in arms):
            for arm in arms:
                arm.n = share
        return


def _arm_with(arms: list[Arm], drug: str) -> Arm | None:
    hits = [a for a in arms if drug in a.drugs]
    return hits[0] if len(hits) == 1 else None


def _add_control_placebo(text: str, registry: ArmRegistry) -> None:
    """'The control group received 4 vials of a placebo': the one drug-less control arm is given placebo, so it is
    named 'placebo' (a trial with a placebo arm already has its placebo arm)."""
    controls = [a for a in registry.arms if not a.drugs and is_control(a)]
    if len(controls) != 1 or any(PLACEBO in a.drugs for a in registry.arms):
        return
    if arm_patterns().control_placebo.search(text):
        controls[0].drugs = (PLACEBO,)
