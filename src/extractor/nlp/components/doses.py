"""Doses and regimens: amount, unit, body-size basis, frequency, route, duration and dose changes, each tied to
its drug.

Amounts are read by `nlp/quantities.py` (pint); frequencies, routes, durations, change cues and the words that
may sit between a drug and its dose are data (`lexicons/dose_rules.json`). A dose belongs to the drug printed
right before it ("everolimus 10 mg", "doxorubicin (90 mg/m2)", "everolimus at a dose of 10 mg"), else right
after it ("1 mg/kg/day methylprednisolone"), else to the amount it is listed with ("75 mg or 250 mg"), else to
the drug named before "dose" ("the warfarin dose ... was 13.3 mg") or the subject of its sentence when the words
between speak of dosing ("Ridaforolimus ... has been administered ... at a dose of 40 mg/day"), else, when the
sentence refers back ("we restart at a reduced dose of 5 mg"), to the only drug of the sentence before.
Radiation doses (Gy) belong to radiotherapy; an amount after a comparison ("<350 mg/day") is a limit, not a dose.
A schedule printed after the last dose of a coordination applies to all of it ("doxorubicin (90 mg/m2) and
cyclophosphamide (600 mg/m2) every three weeks"). Each distinct dose is listed once per document; a dose change
is its own item (amount null, change_percent when printed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.positions import between
from extractor.nlp.prose import item_spans, references_start, sentence_at, sentence_bounds
from extractor.nlp.quantities import Unit, find_quantities
from extractor.nlp.rules import DoseRules, PatternRule, dose_rules, read_rule_file
from extractor.nlp.text.numbers import parse_number

SPANS_KEY = "doses"
Item = dict[str, Any]

# Character windows, each as wide as the words it reads need and no wider (a wider one reaches another dose's words):
FROM_BEFORE = 6  # 'from' and its spaces before a range: 'from 10 to 5 mg' is two doses (a change), not one range
LEFT_GAP = 60  # drug to its dose: 'everolimus at a cumulative dose of up to 10 mg' at most, not a clause
RIGHT_GAP = 40  # dose to the drug after it: '1 mg/kg/day of intravenous methylprednisolone', written tighter
COMPLEMENT_BEFORE = 12  # the word that makes a drug a complement ('versus X', 'an analog of X'), with its spaces
NOT_GIVEN_BEFORE = 20  # a comparison before an amount ('greater than <350 mg/day'): a limit, not a dose
FREQUENCY_BETWEEN_MAX = 90  # a schedule between drug and amount ('X once daily at 10 mg') belongs to them this close
ROUTE_BEFORE = 16  # a route word right before the drug or amount ('intravenous', 11 letters, with its spaces)
SUBJECT_GAP_MAX = 150  # a sentence's subject owns a dose within about one clause of dosing words after it
AFTER_AMOUNT = 80  # an amount's schedule, route and duration follow it closely ('10 mg orally once daily for 14 days')
WORD_BEFORE_DRUG = 20  # the one word before a drug read as its schedule ('weekly paclitaxel'; 'fortnightly' fits)


@dataclass(frozen=True)
class Cue:
    """A rule's match in the text, with its canonical value."""

    start: int
    end: int
    canonical: str


class CompiledRules:
    """DoseRules with its patterns compiled (case-insensitive, <NUM> expanded)."""

    def __init__(self, rules: DoseRules) -> None:
        self.rules = rules
        words = sorted(rules.number_words, key=len, reverse=True)
        self.number = rf"(?:\d+|{'|'.join(re.escape(w) for w in words)})"
        self.frequencies = [self._compile(r) for r in rules.frequencies]
        self.routes = [self._compile(r) for r in rules.routes]
        self.durations = [self._compile(r) for r in rules.durations]
        self.changes = [self._compile(r) for r in rules.changes]
        self.change_negation = re.compile(rules.change_negation, re.IGNORECASE)
        self.anaphora_cue = re.compile(rules.anaphora_cue, re.IGNORECASE)
        self.not_given = re.compile(rules.not_given)
        self.dosing_cue = re.compile(rules.dosing_cue, re.IGNORECASE)
        self.drug_then_dose = re.compile(rules.drug_then_dose, re.IGNORECASE)
        self.plural_anaphora = re.compile(rules.plural_anaphora, re.IGNORECASE)
        self.left_bridge = re.compile(rules.left_bridge, re.IGNORECASE)
        self.right_bridge = re.compile(rules.right_bridge, re.IGNORECASE)
        self.list_bridge = re.compile(rules.list_bridge, re.IGNORECASE)
        self.coordination_bridge = re.compile(rules.coordination_bridge, re.IGNORECASE)
        self.complement_before_drug = re.compile(rules.complement_before_drug, re.IGNORECASE)
        self.auc = re.compile(rules.auc)
        self.combination_amounts = re.compile(rules.combination_amounts)

    def _compile(self, rule: PatternRule) -> tuple[re.Pattern[str], str]:
        return re.compile(rule.pattern.replace("<NUM>", self.number), re.IGNORECASE), rule.canonical

    def fill(self, canonical: str, groups: dict[str, str | None]) -> str:
        """'every {n} weeks' + {'n': 'three'} -> 'every 3 weeks'."""
        values = {}
        for name, value in groups.items():
            value = re.sub(r"\s+", " ", (value or "").strip().lower())
            value = str(self.rules.number_words.get(value, value))
            values[name] = re.sub(r"\s*,\s*", ", ", value)
        text = canonical.format(**values)
        return re.sub(r"\b1 (day|week|month|year|cycle|course|dose)s\b", r"1 \1", text)


@lru_cache(maxsize=1)
def packaged_rules() -> CompiledRules:
    return CompiledRules(dose_rules())


def find_cues(
    text: str,
    patterns: Sequence[tuple[re.Pattern[str], str]],
    rules: CompiledRules,
    start: int = 0,
    end: int = -1,
    overlapping: bool = False,
) -> list[Cue]:
    """Matches of any pattern in text[start:end]; unless `overlapping`, the longest wins where they overlap."""
    end = len(text) if end < 0 else end
    found = []
    for pattern, canonical in patterns:
        for match in pattern.finditer(text, start, end):
            if match.end() > match.start():
                groups = {k: v for k, v in match.groupdict().items() if k in canonical}
                found.append(Cue(match.start(), match.end(), rules.fill(canonical, groups)))
    if overlapping:
        return sorted(found, key=lambda c: c.start)
    kept: list[Cue] = []
    for cue in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
        if all(cue.end <= k.start or cue.start >= k.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def find_frequency(text: str, rules: CompiledRules | None = None) -> str | None:
    """'every three weeks' -> 'every 3 weeks'; 'intermittent daily (5 days every 2 weeks)' -> 'daily, 5 days every
    2 weeks'; None without a schedule."""
    rules = rules or packaged_rules()
    return _join(c.canonical for c in find_cues(text, rules.frequencies, rules))


def find_route(text: str, rules: CompiledRules | None = None) -> str | None:
    """'administered orally' -> 'oral'; None when no route or more than one is printed."""
    rules = rules or packaged_rules()
    routes = {c.canonical for c in find_cues(text, rules.routes, rules)}
    return routes.pop() if len(routes) == 1 else None


def find_duration(text: str, rules: CompiledRules | None = None) -> str | None:
    """'for 12 weeks' -> '12 weeks'; 'x 6 cycles' -> '6 cycles'."""
    rules = rules or packaged_rules()
    cues = find_cues(text, rules.durations, rules)
    return cues[0].canonical if cues else None


def _join(values: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(values))
    return ", ".join(unique) if unique else None


@dataclass(frozen=True)
class Amount:
    """A printed dose amount: text[start:end] is '10 mg', '5–10 mg', '75 mg/m2', 'AUC 5'."""

    start: int
    end: int
    amount: float
    amount_max: float | None
    unit: str
    per: str | None = None
    frequency: str | None = None  # from the unit: 'mg/day' -> 'daily'


def split_dose_unit(unit: Unit, rules: CompiledRules | None = None) -> tuple[str, str | None, str | None] | None:
    """'mg/m2' -> ('mg', 'm2', None); 'mg/kg/day' -> ('mg', 'kg', 'daily'); None for what is not a dose unit
    ('g/dL', 'ng/mL', '%')."""
    rules = rules or packaged_rules()
    base, *rest = unit.parts
    if base not in rules.rules.dose_units or unit.scale != 1.0:
        return None
    per = frequency = None
    for part in rest:
        if part in rules.rules.body_size_units and per is None:
            per = rules.rules.body_size_units[part]
        elif part in rules.rules.unit_frequencies and frequency is None:
            frequency = rules.rules.unit_frequencies[part]
        else:
            return None
    return base, per, frequency


def find_amounts(text: str, start: int = 0, end: int = -1, rules: CompiledRules | None = None) -> list[Amount]:
    """Dose amounts in text[start:end]; 'from 10 to 5 mg' gives two amounts, '5–10 mg' one range."""
    rules = rules or packaged_rules()
    end = len(text) if end < 0 else end
    amounts = _combination_amounts(text, start, end, rules)
    paired = [(a.start, a.end) for a in amounts]
    for m in find_quantities(text, start, end):
        if any(lo <= m.start < hi for lo, hi in paired):
            continue
        split = split_dose_unit(m.unit, rules) if m.unit and not m.signed else None
        if split is None:
            continue
        unit, per, frequency = split
        two_values = m.value_max is not None and (
            m.value_max <= m.value or text[max(0, m.start - FROM_BEFORE) : m.start].lower().rstrip().endswith("from")
        )
        if two_values and m.value_max is not None:
            amounts.append(Amount(m.start, m.value_end, m.value, None, unit, per, frequency))
            amounts.append(Amount(m.start, m.end, m.value_max, None, unit, per, frequency))
        else:
            amounts.append(Amount(m.start, m.end, m.value, m.value_max, unit, per, frequency))
    for match in rules.auc.finditer(text, start, end):
        value = parse_number(match.group("num"))
        if value is not None:
            amounts.append(Amount(match.start(), match.end(), value, None, "AUC"))
    return sorted(amounts, key=lambda a: a.start)


def _combination_amounts(text: str, start: int, end: int, rules: CompiledRules) -> list[Amount]:
    """'1400 mg/100 mg', '300/200 mg', '160/800 mg': the amounts of a fixed combination, one per drug in order
    (a unit after the slash makes it no concentration: '5 mg/ml' is not matched)."""
    amounts = []
    for m in rules.combination_amounts.finditer(text, start, end):
        unit_b = m.group("ub").replace("μg", "mcg").replace("µg", "mcg")
        unit_a = (m.group("ua") or m.group("ub")).replace("μg", "mcg").replace("µg", "mcg")
        first, second = parse_number(m.group("a")), parse_number(m.group("b"))
        if first is None or second is None:
            continue
        amounts.append(Amount(m.start("a"), m.end("ua") if m.group("ua") else m.end("a"), first, None, unit_a))
        amounts.append(Amount(m.start("b"), m.end(), second, None, unit_b))
    return amounts


@dataclass(frozen=True)
class DrugMention:
    start: int
    end: int
    name: str


def attach_drug(
    text: str, amount: Amount, drugs: Sequence[DrugMention], sentence: tuple[int, int], rules: CompiledRules
) -> DrugMention | None:
    """The drug printed next to an amount: before it with only dosing words between, or right after it.
    `drugs` are in text order (as `DoseReader` holds them)."""
    before = [d for d in between(drugs, sentence[0], amount.start + 1) if d.end <= amount.start]
    after = between(drugs, amount.end, sentence[1])
    if (
        before
        and amount.start - before[-1].end <= LEFT_GAP
        and rules.left_bridge.match(text[before[-1].end : amount.start])
    ):
        return before[-1]
    if (
        after
        and after[0].start - amount.end <= RIGHT_GAP
        and rules.right_bridge.match(text[amount.end : after[0].start])
    ):
        return after[0]
    return None


def sentence_subject(
    text: str, offset: int, drugs: Sequence[DrugMention], sentence: tuple[int, int], rules: CompiledRules
) -> DrugMention | None:
    """The nearest drug before `offset` in its sentence that is not a complement ('an analog of X', 'with X')."""
    before = [d for d in between(drugs, sentence[0], offset + 1) if d.end <= offset]
    for drug in reversed(before):
        if not rules.complement_before_drug.search(text[max(sentence[0], drug.start - COMPLEMENT_BEFORE) : drug.start]):
            return drug
    return None


def previous_sentence_drug(text: str, sentence: tuple[int, int], drugs: Sequence[DrugMention]) -> DrugMention | None:
    """The one drug of the sentence before, when it is in the same paragraph ('the dose' refers to it)."""
    if sentence[0] == 0:
        return None
    previous = sentence_at(text, sentence[0] - 1)
    gap = text[previous[0] : sentence[0]]
    if re.search(r"\n[ \t\u00a0]*\n\s*$", gap) or not re.search(r"[.!?][\"”’)\]\d,–-]*\s*$", gap):
        return None
    inside = between(drugs, previous[0], previous[1])
    return inside[-1] if len({d.name for d in inside}) == 1 else None


@dataclass
class DoseItem:
    """A dose being built: the fields of the `Dose` model plus where it was read."""

    mention: DrugMention
    amount: Amount
    frequency: str | None = None
    route: str | None = None
    duration: str | None = None

    @property
    def drug(self) -> str:
        return self.mention.name

    @property
    def drug_start(self) -> int:
        return self.mention.start

    def evidence(self) -> tuple[int, int]:
        return min(self.mention.start, self.amount.start), max(self.mention.end, self.amount.end)

    def to_item(self) -> Item:
        a = self.amount
        return {
            "drug": self.drug,
            "amount": a.amount,
            "amount_max": a.amount_max,
            "unit": a.unit,
            "per": a.per,
            "frequency": self.frequency,
            "route": self.route,
            "duration": self.duration,
            "change_percent": None,
            "evidence": self.evidence(),
        }


class DoseReader:
    """Reads the doses of one text; no spaCy needed (the component hands it the text and the drug mentions)."""

    def __init__(self, text: str, drugs: Sequence[DrugMention], rules: CompiledRules) -> None:
        self.text = text
        self.drugs = sorted(drugs, key=lambda d: d.start)
        self.rules = rules
        self.limit = references_start(text)
        # a combination written 'FPV/r', 'TDF/FTC', 'TMP/SMX': its amounts come in the same order ('1400 mg/100
        # mg', '300/200 mg'), the first for the first drug
        self.combined: dict[DrugMention, DrugMention] = {
            second: first
            for first, second in zip(self.drugs, self.drugs[1:], strict=False)
            if first.name != second.name and text[first.end : second.start] == "/"
        }

    def doses(self) -> list[DoseItem]:
        amounts = find_amounts(self.text, 0, self.limit, self.rules)
        items: list[DoseItem] = []
        for i, amount in enumerate(amounts):
            previous = items[-1] if items and i > 0 and items[-1].amount == amounts[i - 1] else None
            item = self._read(amount, previous, amounts[i + 1] if i + 1 < len(amounts) else None)
            if item is not None:
                items.append(item)
        _share_schedules(self.text, items, self.rules)
        return items

    def _read(self, amount: Amount, previous: DoseItem | None, following: Amount | None) -> DoseItem | None:
        if self.rules.not_given.search(self.text[max(0, amount.start - NOT_GIVEN_BEFORE) : amount.start]):
            return None
        sentence = sentence_at(self.text, amount.start)
        if amount.unit in self.rules.rules.radiation_units:
            item = DoseItem(DrugMention(amount.start, amount.start, self.rules.rules.radiation_drug), amount)
        else:
            drug = self._drug_for(amount, previous, sentence)
            if drug is None:
                return None
            drug = self._combination_part(drug, amount, previous)
            item = DoseItem(drug, amount)
            listed_after = previous is not None and previous.amount.start >= drug.end
            if drug.end <= amount.start and amount.start - drug.end <= FREQUENCY_BETWEEN_MAX and not listed_after:
                item.frequency = find_frequency(self.text[drug.end : amount.start], self.rules)
        after = self._window_after(amount, following, sentence)
        start = min(item.drug_start, amount.start)
        before = self.text[max(sentence[0], start - ROUTE_BEFORE) : amount.start]
        schedules = (_frequency_before(self.text, start, self.rules), item.frequency, amount.frequency)
        item.frequency = _join(f for f in (*schedules, find_frequency(after, self.rules)) if f)
        item.route = find_route(before + " " + after, self.rules) or find_route(self.text[slice(*sentence)], self.rules)
        item.duration = find_duration(after, self.rules)
        if previous is not None and self._listed_with(previous, amount):
            item.frequency = item.frequency or previous.frequency
            item.route = item.route or previous.route
        return item

    def _drug_for(self, amount: Amount, previous: DoseItem | None, sentence: tuple[int, int]) -> DrugMention | None:
        drug = attach_drug(self.text, amount, self.drugs, sentence, self.rules)
        if drug is None and previous is not None and self._listed_with(previous, amount):
            drug = previous.mention
        if drug is None:
            drug = self._dosed_subject(amount, sentence)
        if drug is None and self._refers_back(sentence) and not self._has_drug(sentence):
            drug = previous_sentence_drug(self.text, sentence, self.drugs)
        return drug

    def _dosed_subject(self, amount: Amount, sentence: tuple[int, int]) -> DrugMention | None:
        """The drug named right before 'dose' ('the mean weekly warfarin dose ... was 13.3 mg'), else the sentence's
        subject when the words between it and the amount speak of dosing ('Ridaforolimus ... has been administered
        orally in breast cancer trials at a dose of 40 mg/day')."""
        before = [d for d in between(self.drugs, sentence[0], amount.start + 1) if d.end <= amount.start]
        named = [d for d in before if self.rules.drug_then_dose.match(self.text, d.end, amount.start)]
        if named:
            return named[-1]
        drug = sentence_subject(self.text, amount.start, self.drugs, sentence, self.rules)
        gap = self.text[drug.end : amount.start] if drug else ""
        return drug if len(gap) <= SUBJECT_GAP_MAX and self.rules.dosing_cue.search(gap) else None

    def _has_drug(self, sentence: tuple[int, int]) -> bool:
        return bool(between(self.drugs, *sentence))

    def _combination_part(self, drug: DrugMention, amount: Amount, previous: DoseItem | None) -> DrugMention:
        """'FPV/r 1400 mg/100 mg': 1400 mg is fosamprenavir's, the amount after the slash ritonavir's."""
        first = self.combined.get(drug)
        if first is not None and (previous is None or previous.mention not in (drug, first)):
            return first
        pair = {v: k for k, v in self.combined.items()}
        if (
            previous is not None
            and previous.mention in pair
            and drug in (previous.mention, pair[previous.mention])
            and self.text[previous.amount.end : amount.start].strip() == "/"
        ):
            return pair[previous.mention]
        return drug

    def _refers_back(self, sentence: tuple[int, int]) -> bool:
        """'we try to restart at a reduced dose of 5 mg': the sentence speaks of a drug named before."""
        return bool(self.rules.anaphora_cue.search(self.text[slice(*sentence)]))

    def _listed_with(self, previous: DoseItem, amount: Amount) -> bool:
        return bool(self.rules.list_bridge.match(self.text[previous.amount.end : amount.start]))

    def _window_after(self, amount: Amount, following: Amount | None, sentence: tuple[int, int]) -> str:
        """From the amount to the next drug, the next amount, a ';' or the sentence end (AFTER_AMOUNT at most)."""
        reach = amount.end + AFTER_AMOUNT
        stops = [sentence[1], reach]
        stops += [d.start for d in between(self.drugs, amount.end, reach + 1)[:1]]  # later ones stop nothing
        stops += [following.start] if following and following.start >= amount.end else []
        semicolon = self.text.find(";", amount.end, sentence[1])
        stops += [semicolon] if semicolon >= 0 else []
        return self.text[amount.end : min(stops)]

    def changes(self, doses: Sequence[DoseItem]) -> list[Item]:
        """Dose changes ('reduced to 5 mg', 'a 25% reduction'); `doses` in text order, as `doses()` gives them."""
        items: list[Item] = []
        for sentence in sentence_bounds(self.text):
            cue = self._change_cue(sentence) if sentence[0] < self.limit else None
            if cue is None:
                continue
            percent = _change_percent(cue)
            for drug in self._changed_drugs(cue, sentence, doses):
                items.append(_change_item(drug.name, percent, (min(drug.start, cue.start), max(drug.end, cue.end))))
        return items

    def _change_cue(self, sentence: tuple[int, int]) -> Cue | None:
        cues = find_cues(self.text, self.rules.changes, self.rules, *sentence, overlapping=True)
        cues = [c for c in cues if not self.rules.change_negation.search(self.text[sentence[0] : c.start])]
        with_percent = [c for c in cues if ":" in c.canonical]
        chosen = with_percent or cues
        return chosen[0] if chosen else None

    def _changed_drugs(self, cue: Cue, sentence: tuple[int, int], doses: Sequence[DoseItem]) -> list[DrugMention]:
        """The drug of the sentence whose dose it prints, else the one nearest the cue; for 'both doses', the drugs
        dosed in the sentence before; for a change with a number, the only drug of the sentence before."""
        inside = between(self.drugs, *sentence)
        if inside:
            dosed = {d.drug for d in between(doses, *sentence, key=_amount_start)}
            return [min(inside, key=lambda d: (d.name not in dosed, max(d.start - cue.end, cue.start - d.end, 0)))]
        if self.rules.plural_anaphora.search(self.text[sentence[0] : cue.end]) and sentence[0] > 0:
            previous = sentence_at(self.text, sentence[0] - 1)
            named = {d.drug: d.mention for d in reversed(between(doses, *previous, key=_amount_start))}
            return sorted(named.values(), key=lambda d: d.start)
        has_number = ":" in cue.canonical or bool(find_amounts(self.text, cue.end, sentence[1], self.rules))
        drug = previous_sentence_drug(self.text, sentence, self.drugs) if has_number else None
        return [drug] if drug else []


def _amount_start(item: DoseItem) -> int:
    return item.amount.start


def _frequency_before(text: str, drug_start: int, rules: CompiledRules) -> str | None:
    """'weekly paclitaxel (80 mg/m²)': a schedule word right before the drug name."""
    match = re.search(r"([\w-]+)\s+$", text[max(0, drug_start - WORD_BEFORE_DRUG) : drug_start])
    return find_frequency(match.group(1), rules) if match else None


def _change_percent(cue: Cue) -> float | None:
    direction, _, percent = cue.canonical.partition(":")
    value = parse_number(percent) if percent else None
    if value is None:
        return None
    return -value if direction == "reduction" else value


def _change_item(drug: str, percent: float | None, evidence: tuple[int, int]) -> Item:
    return {
        "drug": drug,
        "amount": None,
        "amount_max": None,
        "unit": None,
        "per": None,
        "frequency": None,
        "route": None,
        "duration": None,
        "change_percent": percent,
        "evidence": evidence,
    }


def _share_schedules(text: str, items: list[DoseItem], rules: CompiledRules) -> None:
    """'X 10 mg plus Y 25 mg daily': a schedule after the last dose of a coordination applies to all of it."""
    for left, right in zip(reversed(items[:-1]), reversed(items[1:]), strict=True):
        bridge = text[left.amount.end : min(right.drug_start, right.amount.start)]
        if left.amount.end <= min(right.drug_start, right.amount.start) and rules.coordination_bridge.match(bridge):
            left.frequency = left.frequency or right.frequency
            left.route = left.route or right.route


def merge_repeats(items: Iterable[DoseItem]) -> list[DoseItem]:
    """One item per distinct (drug, amount, range, unit, basis); a repeat fills what the first one left empty."""
    merged: dict[tuple[Any, ...], DoseItem] = {}
    for item in items:
        a = item.amount
        key = (item.drug, a.amount, a.amount_max, a.unit, a.per)
        first = merged.get(key)
        if first is None:
            merged[key] = replace(item)
            continue
        first.frequency = first.frequency or item.frequency
        first.route = first.route or item.route
        first.duration = first.duration or item.duration
    return list(merged.values())


def drug_mentions(doc: Doc) -> list[DrugMention]:
    return [DrugMention(e.start_char, e.end_char, e.kb_id_) for e in doc.ents if e.label_ == "DRUG" and e.kb_id_]


@Language.factory(
    "extractor_doses",
    requires=["doc.ents"],
    assigns=["doc.spans"],
    default_config={"rules": "default", "spans_key": SPANS_KEY},
)
class DoseExtractor:
    """Writes `doc.spans[spans_key]`: one span per dose or dose change, its `._.item` the `Dose` fields."""

    def __init__(self, nlp: Language, name: str, *, rules: str | None, spans_key: str) -> None:
        set_extensions()
        self.name = name
        self.spans_key = spans_key
        self.rules = packaged_rules() if rules == "default" else self._load(rules)

    @staticmethod
    def _load(path: str | None) -> CompiledRules:
        if path is None:
            raise ValueError("extractor_doses needs rules: 'default' or a path to a dose_rules JSON file")
        return CompiledRules(read_rule_file(DoseRules, path))

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Item]:
        reader = DoseReader(doc_text(doc), drug_mentions(doc), self.rules)
        doses = reader.doses()
        return [d.to_item() for d in merge_repeats(doses)] + reader.changes(doses)

    def set_annotations(self, doc: Doc, items: list[Item]) -> None:
        doc.spans[self.spans_key] = item_spans(doc, [(i, i["evidence"]) for i in items], label="DOSE")

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        serializers = {"rules.json": lambda p: srsly.write_json(p, self.rules.rules.model_dump())}
        to_disk(ensure_path(path), serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DoseExtractor:
        def read(p: Path) -> None:
            self.rules = CompiledRules(read_rule_file(DoseRules, p))

        from_disk(ensure_path(path), {"rules.json": read}, exclude)
        return self
