"""Clinical trials named in the text: registry ids (NCT01783444, ISRCTN75784880, EudraCT 2004-001234-12) and
trial names (BOLERO-2, TAMRAD, HOPE, TELEX II).

A name needs evidence of being a trial, because most capitalised words of an article are not: a trial word
next to it ('the HOPE trial', 'SPRUCE study'), a long form that says so ('Heart Protection Study (HPS)',
'BOLERO-2 (Breast cancer trials of OraL EveROlimus)', 'a randomized Phase III study (HORIZON)'), a registry
id in its sentence, or a sentence that reports it like a study ('48-week results of ALERT', 'TELEX II
reported that', 'in LIFE [15]'). The last kind of evidence is weak, and counts only for names that look like
trial acronyms and are not defined as the abbreviation of something else. A numbered form ('BOLERO-6')
counts when another member of its series has evidence. What never counts: section labels and headings
('ABSTRACT.TRIAL REGISTRATION:', 'BODY.METHODS', an all-capitals heading line), words listed in
`lexicons/trial_rules.json` (endpoints, genes, registries, committees, software, regimens), and
abbreviations whose long form is a common noun phrase ('chronic obstructive pulmonary disease (COPD)',
'diary cards (DIARY)').
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.positions import Cover, between
from extractor.nlp.prose import sentence_at
from extractor.nlp.rules import TrialRules, read_rule_file, trial_rules
from extractor.nlp.text.long_forms import spells

NCT = re.compile(r"\bNCT\s?0?\d{7,8}\b")
# BOLERO-2, SOLAR-1, TRINITI-1, 305/EMBRACE, S1207, BYLieve, SoFEA, HORIZON, monarchE, TELEX II
ACRONYM = re.compile(
    r"(?<![\w-])(?:\d{3}/)?(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[a-z]+[A-Z]{2,}[A-Za-z]*|[A-Z]\d{3,5})"
    r"(?:-\d{1,3}[A-Za-z]?)?(?:\s(?:II|III|IV)(?![\w-]))?(?![\w-])"
)
# 'ABSTRACT.TRIAL REGISTRATION:', 'BODY.METHODS:', '## TRIAL REGISTRATION', 'ELECTRONIC SUPPLEMENTARY MATERIAL'
_LINE = re.compile(r"[^\n]+")
_SECTION_LABEL = re.compile(r"(?<![A-Z])(?:TITLE|ABSTRACT|BODY)\.[A-Z][^a-z\n:]*:?")
_GLUED = re.compile(r"[a-z]{4,}[A-Z][a-z]{3,}")  # 'AdultsClinical': two words glued by a lost line break
_FUNCTION_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"})
# Character windows around a candidate name, each as wide as the words it reads:
LONG_FORM_BEFORE = 200  # a name's spelled-out form before it, within its sentence ('Study Of Faslodex ... (SoFEA)')
EXPANSION_AFTER = 210  # a parenthetical after the name, of at most 200 characters, with its brackets and spaces
LIST_BEFORE = 8  # 'and', 'or' or a comma right before a name listed with other trials ('ALERT and LIFE trials')
CUE_BEFORE = 60  # a trial word a few words before the name ('Phase III study (HORIZON)'), cue_before
ID_CHARS = 60  # the longest registry id as printed ('EudraCT No. 2006-001785-16'), with room
REGISTRY_GAP = 40  # the words between a name and its registry id ('(NeoRes; EudraCTnr 2006-001785-16)')
REPORTED_BEFORE = 60  # 'results of', 'in' before a name used as a cited trial's ('48-week results of ALERT')
NUMBER_AFTER = 4  # a space and a one- or two-digit number after a name ('BOLERO 2')
# Word and letter counts:
LONG_FORM_EXTRA_WORDS = 5  # words a long form may hold beyond one per letter of its name ('Study Of ... with or ...')
PROPER_NAME_SHARE = Fraction(3, 5)  # most content words capitalised: a proper name, not a described phrase
NAMED_PHRASE_WORDS = 4  # a lower-case long form this long, with 'trial' after its name, still names the trial
TRIAL_SHAPED_CAPITALS = 4  # 'ALERT', 'LIFE': three-capital abbreviations ('ALI', 'OMT') are too often something else


@dataclass(frozen=True)
class CompiledTrialRules:
    """`lexicons/trial_rules.json` (TrialRules), compiled."""

    cue_after: re.Pattern[str]
    cue_before: re.Pattern[str]
    long_form_cues: re.Pattern[str]
    defined_after: re.Pattern[str]
    arms_after: re.Pattern[str]
    listed_trials: re.Pattern[str]
    long_form_not_head: re.Pattern[str]
    registry_between: re.Pattern[str]
    reported_after: re.Pattern[str]
    reported_before: re.Pattern[str]
    cited_before: re.Pattern[str]
    cited_after: re.Pattern[str]
    opening_before: re.Pattern[str]
    opening_after: re.Pattern[str]
    registries: tuple[tuple[re.Pattern[str], str, str], ...]  # pattern, format, a word every match begins with
    stop: frozenset[str]

    @classmethod
    def of(cls, data: TrialRules) -> CompiledTrialRules:
        return cls(
            cue_after=re.compile(r"\s*(?:[)\]]\s*)?(?:" + "|".join(data.cues_after) + ")", re.I),
            cue_before=re.compile(r"(?:" + "|".join(data.cues_before) + r")(?:[ \t]+[\w-]+){0,2}[ \t]+[(\[]\s*$", re.I),
            long_form_cues=re.compile(r"\b(?:" + "|".join(data.long_form_cues) + ")", re.I),
            defined_after=re.compile(data.defined_after),
            arms_after=re.compile(data.arms_after, re.I),
            listed_trials=re.compile(data.listed_trials, re.I),
            long_form_not_head=re.compile(r"\b(?:" + "|".join(data.long_form_not_heads) + r")\W*$", re.I),
            registry_between=re.compile(data.registry_between, re.I),
            reported_after=re.compile(data.reported_after),
            reported_before=re.compile(data.reported_before),
            cited_before=re.compile(data.cited_before),
            cited_after=re.compile(data.cited_after),
            opening_before=re.compile(data.opening_before),
            opening_after=re.compile(data.opening_after),
            registries=tuple(
                (re.compile(r.pattern), r.format, _leading_word(r.pattern)) for r in data.registries.values()
            ),
            stop=frozenset(w.lower() for w in data.not_trials),
        )


@lru_cache(maxsize=1)
def _default_compiled() -> CompiledTrialRules:
    return CompiledTrialRules.of(trial_rules())


def _leading_word(pattern: str) -> str:
    """The letters a registry pattern starts with after '\\b' ('ISRCTN' of '\\bISRCTN\\s?...'), or '' (an
    alternation anywhere: a match need not begin with them)."""
    m = None if "|" in pattern else re.match(r"\\b([A-Za-z]+)(?![?*{])", pattern)
    return m.group(1) if m else ""


def registry_ids(text: str, rules: CompiledTrialRules) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, normalized id): 'nct' for ClinicalTrials.gov, 'registry' for the others
    ('ISRCTN 75784880' -> 'ISRCTN75784880', 'EudraCT No. 2004-001234-12' -> 'EudraCT 2004-001234-12').

    A pattern whose matches begin with a word runs only on a text that holds the word: a pattern starting with
    '\\b' gets no fast literal search from `re`, and the 15 scans of every article were 2% of the pipeline."""
    found = []
    if "NCT" in text:
        found = [(m.start(), m.end(), "nct", re.sub(r"\s", "", m.group()).upper()) for m in NCT.finditer(text)]
    for pattern, form, word in rules.registries:
        if word not in text:
            continue
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), "registry", form.format(id=m.group("id"))))
    return sorted(found)


def heading_spans(text: str) -> list[tuple[int, int]]:
    """Headings and section labels, not prose: 'ABSTRACT.TRIAL REGISTRATION:' and 'BODY.CRITERIA FOR THE
    INITIATION OF ...' wherever they stand (the evidence-inference export glues some onto the line before),
    '# Methods', and lines in capitals with two or more words or a closing colon. A line holding a single
    capitalised word ('HORIZON', a flattened table cell) is not a heading."""
    spans = [(m.start(), m.end()) for m in _SECTION_LABEL.finditer(text)]
    for m in _LINE.finditer(text):
        line = m.group().strip()
        if not line.startswith("#") and any(c.islower() for c in line):
            continue
        words = re.findall(r"[A-Za-z]{3,}", line)
        if line.startswith("#") or line.endswith(":") or len(words) >= 2:
            spans.append((m.start(), m.end()))
    return spans


def _long_form_before(text: str, start: int, end: int) -> str | None:
    """'Heart Protection Study (HPS)' -> 'Heart Protection Study': the shortest run of words before
    '(ACRONYM)' that starts with the acronym's first letter and spells it."""
    if not (re.search(r"[(\[]\s*$", text[max(0, start - 3) : start]) and re.match(r"\s*[)\];,]", text[end : end + 3])):
        return None
    sentence_start = sentence_at(text, start)[0]
    words = list(re.finditer(r"[\w'’-]+", text[max(sentence_start, start - LONG_FORM_BEFORE) : start]))
    short = re.sub(r"-\d.*$", "", text[start:end])
    letters = len(re.sub(r"[^A-Za-z]", "", short))
    for i in range(len(words) - 1, max(-1, len(words) - 1 - (letters + LONG_FORM_EXTRA_WORDS)), -1):
        if short in words[i].group():
            return None  # "placebo (SMILE-1 and 3) [19], lisinopril (SMILE-2)": a list, not a long form
        phrase = " ".join(w.group() for w in words[i:])
        if words[i].group()[0].lower() == short[0].lower() and spells(short, phrase):
            return phrase
    return None


def _expansion_after(text: str, start: int, end: int) -> str | None:
    """'SoFEA (Study Of Faslodex with or without Arimidex)' -> the parenthetical, when it spells the name."""
    m = re.match(r"\s*\(([^()]{8,200})\)", text[end : end + EXPANSION_AFTER])
    return m.group(1) if m and spells(re.sub(r"-\d.*$", "", text[start:end]), m.group(1)) else None


def _proper_name(phrase: str) -> bool:
    """Most content words capitalised: 'Losartan Intervention For Endpoint reduction in hypertension'."""
    phrase = re.sub(r"(?:https?://|www\.)\S+", " ", phrase)
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", phrase) if w.lower() not in _FUNCTION_WORDS]
    capital = sum(1 for w in words if w[0].isupper())
    return len(words) >= 2 and capital >= PROPER_NAME_SHARE * len(words)


class _Reader:
    """The evidence for each candidate name of one text."""

    def __init__(self, text: str, rules: CompiledTrialRules) -> None:
        self.text, self.rules = text, rules
        self.headings = Cover(heading_spans(text))
        self.ids = registry_ids(text, rules)

    def in_heading(self, start: int) -> bool:
        return self.headings.contains(start, start + 1)

    def says(self, start: int, end: int) -> str | None:
        """What this mention says of its name: 'named' (its long form names a trial), 'defined' (it abbreviates
        something else), 'cue' (a trial word or registry id beside it), or None."""
        text, rules = self.text, self.rules
        defined_here = False
        for phrase in (_long_form_before(text, start, end), _expansion_after(text, start, end)):
            if phrase is None:
                continue
            if rules.long_form_not_head.search(phrase):
                return "defined"  # "Clinical Trials Review Committee (CTRC)", "... Neuropsychiatric Interview (MINI)"
            if self._names_trial(phrase):
                return "named"  # "SoFEA (Study Of Faslodex ...)", "Heart Protection Study (HPS)"
            if not _proper_name(phrase):
                if len(phrase.split()) >= NAMED_PHRASE_WORDS and rules.cue_after.match(text, end):
                    return "named"  # "Tranexamic acid for hyperacute primary IntraCerebral Haemorrhage (TICH-2) trial"
                return "defined"  # "chronic obstructive pulmonary disease (COPD)", "multiple ascending dose (MAD)"
            defined_here = True  # "Development of Antiretroviral Therapy (DART) trial": a cue after may follow
        if rules.defined_after.match(text, end):
            return "defined"  # "ETC = epirubicin, paclitaxel, and cyclophosphamide"
        listed = rules.listed_trials.match(text, end) and re.search(
            r"(?:\band|\bor|,)\s*$", text[max(0, start - LIST_BEFORE) : start]
        )
        if rules.cue_after.match(text, end) or rules.arms_after.match(text, end) or listed:
            return "cue"  # "the HOPE trial", "(SPRUCE) study", "BOLERO-2 (exemestane + everolimus versus ...)"
        if not defined_here and rules.cue_before.search(text, max(0, start - CUE_BEFORE), start):
            return "cue"  # "A randomized placebo-controlled Phase III study (HORIZON)"
        # only the ids that can be within REGISTRY_GAP of the name (a long text holds many)
        for id_start, id_end, *_ in between(self.ids, start - REGISTRY_GAP - ID_CHARS, end + REGISTRY_GAP, key=_first):
            gap = text[end:id_start] if id_start >= end else text[id_end:start] if id_end <= start else "x"
            if len(gap) < REGISTRY_GAP and rules.registry_between.match(gap):
                return "cue"  # "(NeoRes; EudraCTnr 2006-001785-16)"
        return None

    def _names_trial(self, phrase: str) -> bool:
        """A trial word in a long form, capitalised or past its first word: 'Heart Protection Study', 'British
        study of risedronate ...'; not 'trial comparing docetaxel, cisplatin, 5-FU (TCF)'."""
        return any(m.start() > 0 or m.group()[0].isupper() for m in self.rules.long_form_cues.finditer(phrase))

    def reported(self, start: int, end: int) -> bool:
        """'48-week results of ALERT', 'TELEX II reported that', 'in LIFE [15]', 'in SHARE, which evaluated',
        and for a numbered name 'In BOLERO-2, everolimus plus exemestane achieved ...'."""
        rules, before = self.rules, self.text[max(0, start - REPORTED_BEFORE) : start]
        numbered = re.search(r"-\d", self.text[start:end]) is not None
        return bool(
            rules.reported_after.match(self.text, end)
            or rules.reported_before.search(before)
            or (rules.cited_before.search(before) and rules.cited_after.match(self.text, end))
            or (numbered and rules.opening_before.search(before) and rules.opening_after.match(self.text, end))
        )


def find_trials(
    text: str, rules: TrialRules, not_names: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, normalized) for registry ids and trial names in `text`; kind 'nct', 'registry' or
    'name'. `not_names`: spans that are something else (drug mentions: 'effects of MDMA compared to ...')."""
    compiled = _default_compiled() if rules is trial_rules() else CompiledTrialRules.of(rules)
    reader = _Reader(text, compiled)
    found = list(reader.ids)
    taken = Cover([(s, e) for s, e, *_ in found] + list(not_names))
    says: dict[str, set[str]] = {}
    candidates = []
    for m in ACRONYM.finditer(text):
        word = m.group()
        base = re.sub(r"(?:-\d.*|\s\w+)$", "", word)
        if taken.contains(m.start(), m.start() + 1) or reader.in_heading(m.start()):
            continue
        if word.lower() in compiled.stop or base.lower() in compiled.stop:
            continue
        if (len(base) < 3 and not re.search(r"\d", word)) or _GLUED.search(word):
            continue
        candidates.append(m)
        says.setdefault(word, set()).add(reader.says(m.start(), m.end()) or "")
    named = {w for w, kinds in says.items() if "named" in kinds or ("cue" in kinds and "defined" not in kinds)}
    strongly = set(named)
    for m in candidates:
        word = m.group()
        weak = _trial_shaped(word) and "defined" not in says[word]
        if word not in named and weak and reader.reported(m.start(), m.end()):
            named.add(word)  # "48-week results of ALERT", "TELEX II reported that"
    series = {re.sub(r"-\d.*$", "", w) for w in named}
    for m in candidates:
        word = m.group()
        numbered = re.fullmatch(r"([A-Z]{4,})-\d{1,2}", word)
        if numbered and numbered.group(1) in series and "defined" not in says[word]:
            named.add(word)  # "BOLERO-6" beside "the BOLERO-2 trial"
    for m in candidates:
        word, end = m.group(), m.end()
        glued = re.match(r"(.*-\d)\d+$", word)  # "BOLERO-217": a citation number glued to "BOLERO-2"
        spaced = re.match(r"[ \t](\d{1,2})\b", text[end : end + NUMBER_AFTER])  # "BOLERO 2" of the BOLERO-2 trial
        if glued and glued.group(1) in named:
            word, end = glued.group(1), m.start() + len(glued.group(1))
        elif spaced and f"{word}-{spaced.group(1)}" in named:
            word, end = f"{word}-{spaced.group(1)}", end + spaced.end()
        elif word not in named or (word not in strongly and any(n.startswith(word + "-") for n in named)):
            continue  # no evidence; or "BOLERO" alone in a text naming BOLERO-2: the series, not a trial
        found.append((m.start(), end, "name", word))
    return sorted(found)


def _trial_shaped(word: str) -> bool:
    """Weak evidence only for names shaped like trial acronyms: four or more capitals and no small letter
    ('ALERT', 'LIFE', 'TELEX II'); not three-letter abbreviations ('ALI', 'OMT') nor 'ApoCIII', 'ELISpot'."""
    head = word.split()[0]
    return len(re.sub(r"[^A-Z]", "", head)) >= TRIAL_SHAPED_CAPITALS and not any(c.islower() for c in head)


@Language.factory(
    "extractor_trials",
    assigns=["doc.spans"],
    default_config={"spans_key": "trials", "rules": "default"},
)
class TrialMatcher:
    """Sets doc.spans[spans_key]: label 'NCT' (kb_id_ the NCT id) or 'TRIAL' (kb_id_ the name, or another
    registry's id)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str, rules: str | None) -> None:
        set_extensions()
        self.name, self.spans_key = name, spans_key
        self.rules = trial_rules() if rules == "default" else read_rule_file(TrialRules, rules or "")

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        drugs = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DRUG"]
        for start, end, kind, norm in find_trials(doc_text(doc), self.rules, drugs):
            span = doc.char_span(
                start, end, label="NCT" if kind == "nct" else "TRIAL", kb_id=norm, alignment_mode="expand"
            )
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        rules = self.rules.model_dump(by_alias=True)
        to_disk(ensure_path(path), {"rules.json": lambda p: srsly.write_json(p, rules)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TrialMatcher:
        def read(p: Path) -> None:
            self.rules = read_rule_file(TrialRules, p)

        from_disk(ensure_path(path), {"rules.json": read}, exclude)
        return self


def _first(found: tuple[int, int, str, str]) -> int:
    return found[0]
