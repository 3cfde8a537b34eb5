"""Laboratory values and vital signs: analyte, value, unit as printed (normalized), and the value in SI units.

Analytes and their SI units, molar masses, conversion factors, LOINC numbers and plausible bounds are data
(`lexicons/analytes.tsv`, merged with the open labunits table); the cues
that make a number a reference range or threshold rather than a result are data too
(`lexicons/lab_rules.json`). A value belongs to the nearest analyte printed before it in its sentence whose
unit pint can convert it to ("white blood cell (WBC) count was 4,100/μl, her hemoglobin level was 6.8 g/dl");
each time point is its own item ("decreased from 27.8 ng/ml to 6.1 ng/ml" gives two); a value repeated
later in the text ("baseline CEA 27.8") is listed once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, from_disk, to_disk

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.layout import layout
from extractor.nlp.positions import Cover
from extractor.nlp.prose import item_spans, references_start, sentence_at
from extractor.nlp.quantities import (
    NUMBER,
    Measurement,
    find_quantities,
    parse_unit,
)
from extractor.nlp.rules import LabRules, lab_rules, read_rule_file
from extractor.nlp.text.analytes import Analyte, AnalyteMatcher, Mention, lab_item, load_analytes, packaged_analytes
from extractor.nlp.text.numbers import parse_number

SPANS_KEY = "lab_values"
Item = dict[str, Any]
Slot = tuple[float, int, int]  # a value and the start and end of its printed number
_NUMBER = re.compile(NUMBER)

# Character windows (the one before a value is lab_rules.json's window_before_value), each as wide as its words:
CHANGE_BEFORE = 40  # a change word before an analyte ('the mean reduction in'): a few words, not the clause
DIFFERENCE_AFTER = 40  # a difference word after a value ('1.0 mmol/L greater reduction'), with its unit
CLAUSE_AFTER = 80  # the rest of a value's clause, for its arm and time point ('in the metformin group at 18 months')
CRITERION_BEFORE = 30  # 'normal' or 'blood pressure ≥' right before a pressure pair makes it a criterion


class LabReader:
    """Reads the lab values of one text; pure Python, the component hands it the text."""

    def __init__(self, text: str, matcher: AnalyteMatcher, rules: LabRules) -> None:
        self.text = text
        self.matcher = matcher
        self.rules = rules
        self.limit = references_start(text)
        self.mentions = matcher.find(text, self.limit)  # in text order, apart
        self.mention_starts = [m.start for m in self.mentions]
        self.not_measurement = re.compile(rules.not_measurement, re.IGNORECASE)
        self.change_before_analyte = re.compile(rules.change_before_analyte, re.IGNORECASE)
        self.difference_before_value = re.compile(rules.difference_before_value, re.IGNORECASE)
        self.difference_after_value = re.compile(rules.difference_after_value, re.IGNORECASE)
        self.restated_value = re.compile(rules.restated_value)
        self.table_cell_between = re.compile(rules.table_cell_between)
        self.from_word = re.compile(rules.from_word, re.IGNORECASE)
        self.arm = re.compile(rules.arm, re.IGNORECASE)
        self.timepoint = re.compile(rules.timepoint, re.IGNORECASE)
        self.assay_limit = re.compile(rules.assay_limit, re.IGNORECASE)
        element = rules.series_element.replace("<NUMBER>", NUMBER)
        self.series_element = re.compile(element, re.IGNORECASE)
        self.series = re.compile(rf"(?:{element})+$", re.IGNORECASE)
        self.analyte_separator = re.compile(rules.analyte_separator, re.IGNORECASE)
        self.value_separator = re.compile(rules.value_separator, re.IGNORECASE)

    def values(self) -> list[Item]:
        items = self._pressure_pairs()
        taken = Cover(item["evidence"] for item in items)
        mentions = Cover((m.start, m.end) for m in self.mentions)
        previous_end = -1
        readable = []
        for measurement in find_quantities(self.text, 0, self.limit):
            series = self._series(max(previous_end, 0), measurement)
            restated = self.restated_value.match(
                self.text[previous_end : series[0][1] if series else measurement.start]
            )
            previous_end = measurement.end
            if measurement.unit is None or measurement.signed or restated is not None:
                continue
            if taken.contains(measurement.start, measurement.start + 1):
                continue
            if mentions.contains(measurement.start, measurement.start + 1):
                continue  # the number inside 'CA 15-3'
            readable.append(measurement)
        for run in self._runs(readable):
            items.extend(self._read_run(run))
        return _first_of_repeats(items)

    def _read(self, measurement: Measurement, series: bool = True) -> list[Item]:
        mention = self._analyte_for(measurement)
        if mention is None:
            return []
        slots = self._slots(mention, measurement, series)
        return [item for slot in slots or [] for item in self._items(mention, measurement, slot, slots or [])]

    def _read_run(self, run: list[Measurement]) -> list[Item]:
        """Values listed together; when as many analytes (or a fraction as many) are listed just before them, the
        values go to the analytes in turn ('sodium, potassium and chloride were 140, 4.0 and 106 mEq/L',
        'creatinine phosphokinase and ethanol measured 806 U/L and 58 mg/dL, respectively'); else each value to
        its nearest analyte."""
        listed = self._listed_analytes(run[0])
        if len(listed) > 1 and self.change_before_analyte.search(
            self.text[max(0, listed[0].start - CHANGE_BEFORE) : listed[0].start]
        ):
            return []  # 'reductions in triglycerides, total cholesterol and LDL cholesterol of 53.3, 24 and 9.8 mg/dl'
        first = self._series(listed[-1].end, run[0]) if listed else []
        values_text = self.text[first[0][1] if first else run[0].start : run[-1].start]
        if len(listed) > 1 and not re.search(r"\b(?:to|vs|versus)\b|→|->", values_text):  # '5.02 vs 4.45': one's
            slots: list[tuple[Measurement, Slot, list[Slot]]] = []
            for measurement in run:
                own = self._slots(listed[-1], measurement)
                if own is None:
                    break
                slots.extend((measurement, slot, own) for slot in own)
            else:
                if slots and len(slots) % len(listed) == 0:
                    items = []
                    for i, (measurement, slot, own) in enumerate(slots):
                        mention = listed[i % len(listed)]
                        assert measurement.unit is not None
                        if mention.analyte.reads(measurement.unit):
                            items.extend(self._items(mention, measurement, slot, own))
                    return items
        return [item for measurement in run for item in self._read(measurement, series=len(listed) < 2)]

    def _slots(self, mention: Mention, measurement: Measurement, series_too: bool = True) -> list[Slot] | None:
        """The values a measurement gives its analyte (value, start, end of its evidence), with the bare numbers
        listed before it in its unit; None when it is no result (a threshold, a difference, a reference range, an
        assay's detection limit)."""
        assert measurement.unit is not None
        series = self._series(mention.end, measurement) if series_too else []
        prefix = self.text[mention.end : series[0][1] if series else measurement.start]
        if not self._is_result(mention, measurement, prefix):
            return None
        if self.assay_limit.search(self.text, sentence_at(self.text, measurement.start)[0], measurement.start):
            return None
        if measurement.value_max is None:
            return [*series, (measurement.value, measurement.start, measurement.end)]
        if not self.from_word.search(prefix):
            return None  # a printed range ('0-25 U/mL') is a reference range, not a result
        value_start = measurement.start
        return [
            *series,
            (measurement.value, value_start, measurement.value_end),
            (measurement.value_max, value_start, measurement.end),
        ]

    def _items(self, mention: Mention, measurement: Measurement, slot: Slot, slots: list[Slot]) -> list[Item]:
        assert measurement.unit is not None
        value, _, end = slot
        if len(slots) == 1:
            raw = re.sub(r"\s+", " ", self.text[measurement.start : measurement.end])
        else:
            raw = f"{_fmt(value)} {measurement.unit.printed.strip()}"
        item = lab_item(mention.analyte, value, measurement.unit, raw)
        if item is None:
            return []
        item.update(self._context(mention, slots[0][1], end), evidence=(mention.start, end))
        return [item]

    def _series(self, lowest: int, measurement: Measurement) -> list[Slot]:
        """Bare numbers listed before a value in its unit: 'from 94 ± 8 to 109 ± 12 mmHg', '8.6 (at 12 hours),
        6.4 (at 24 hours), and 2.1 μg/mL', '155 ± 125 vs 99 ± 73 μmol/L'. Not for percentages: a number before a
        percentage is its own (see `_has_number`)."""
        assert measurement.unit is not None
        if measurement.unit.display == "%":
            return []
        start = max(lowest, measurement.start - self.rules.window_before_value)
        found = self.series.search(self.text, start, measurement.start)
        if found is None:
            return []
        slots = []
        for element in self.series_element.finditer(self.text, found.start(), measurement.start):
            number = _NUMBER.match(self.text, element.start())
            value = parse_number(number.group()) if number else None
            if number is None or value is None:
                return []
            slots.append((value, element.start(), number.end()))
        return slots

    def _runs(self, measurements: list[Measurement]) -> list[list[Measurement]]:
        """Measurements printed as one list ('806 U/L and 58 mg/dL', '5 pg/mL, 2 pg/mL'), in order."""
        runs: list[list[Measurement]] = []
        for measurement in measurements:
            if runs and runs[-1][-1].value_max is None and measurement.value_max is None:
                previous = runs[-1][-1]
                series = self._series(previous.end, measurement)
                between = self.text[previous.end : series[0][1] if series else measurement.start]
                if self.value_separator.match(between):
                    runs[-1].append(measurement)
                    continue
            runs.append([measurement])
        return runs

    def _listed_analytes(self, measurement: Measurement) -> list[Mention]:
        """The analytes listed together just before a value ('IL-6, IL-8 and TNF-α were ...'), each once, in order
        (its name and its bracketed abbreviation, 'white blood cell (WBC) count', are one)."""
        sentence_start = sentence_at(self.text, measurement.start)[0]
        low = bisect_left(self.mentions, sentence_start, key=lambda m: m.start)
        before = self.mentions[low : bisect_right(self.mentions, measurement.start, key=lambda m: m.end)]
        if not before:
            return []
        series = self._series(before[-1].end, measurement)
        if _has_number(self.text[before[-1].end : series[0][1] if series else measurement.start]):
            return before[-1:]
        listed = [before[-1]]
        for mention in reversed(before[:-1]):
            between = self.text[mention.end : listed[0].start]
            if mention.analyte is listed[0].analyte and between.strip() == "(":
                listed[0] = mention
            elif self.analyte_separator.match(between) and all(m.analyte is not mention.analyte for m in listed):
                listed.insert(0, mention)
            else:
                break
        elided = self._elided(sentence_start, listed[0])
        if elided is not None and all(m.analyte is not elided.analyte for m in listed):
            listed.insert(0, elided)
        return listed

    def _elided(self, lowest: int, mention: Mention) -> Mention | None:
        """The analyte a word before a listed one names with that one's last words: 'systolic' in 'systolic and
        diastolic pressure', 'total' in 'total and LDL cholesterol'."""
        words = self.text[mention.start : mention.end].split(maxsplit=1)
        word = re.search(r"(?<![\w-])([A-Za-z][\w-]*)\s+(?:and|or)\s+$", self.text[lowest : mention.start])
        if len(words) < 2 or word is None:
            return None
        analyte = self.matcher.named(f"{word.group(1)} {words[1]}")
        return Mention(lowest + word.start(1), lowest + word.end(1), analyte) if analyte else None

    def _is_result(self, mention: Mention, measurement: Measurement, before: str) -> bool:
        """Not a threshold ('HbA1c <7.0%'), a difference ('the mean change in haemoglobin ... was 0.5 g/dL',
        'reduced by 1.0 mmol/L', 'a 1 mmol/L reduction'), nor another cell of a flattened table."""
        after = self.text[measurement.end : measurement.end + DIFFERENCE_AFTER]
        return not (
            self.not_measurement.search(before)
            or self.difference_before_value.search(before)
            or self.difference_after_value.match(after)
            or self.change_before_analyte.search(self.text[max(0, mention.start - CHANGE_BEFORE) : mention.start])
            or self.table_cell_between.search(before)
            or (measurement.unit is not None and measurement.unit.display == "%" and _has_number(before))
        )

    def _analyte_for(self, measurement: Measurement) -> Mention | None:
        """The nearest analyte before the value, in its sentence and window, that can be read in its unit."""
        assert measurement.unit is not None
        sentence = sentence_at(self.text, measurement.start)
        lowest = max(sentence[0], measurement.start - self.rules.window_before_value)
        before = bisect_right(self.mention_starts, measurement.start)  # those after the value never count
        for k in range(before - 1, -1, -1):
            mention = self.mentions[k]
            if mention.end > measurement.start:
                continue
            if mention.start < lowest:
                return None
            if mention.analyte.reads(measurement.unit):
                return mention
        return None

    def _context(self, mention: Mention, start: int, end: int) -> Item:
        """Arm and time point printed in the rest of the clause ('in the metformin group at 18 months'); a time
        point also between the analyte and its first value ('prolactin level (11 months postoperatively) was') or
        opening its sentence or clause ('...; on hospital day 3, the platelet count was')."""
        sentence = sentence_at(self.text, end)
        after = self.text[end : min(sentence[1], end + CLAUSE_AFTER)]
        after = re.split(r"[;,](?!\d)|\band\b", after)[0]
        arm = self.arm.search(after)
        between = self.timepoint.search(self.text, mention.end, start)
        if between and _has_number(self.text[between.end() : start]):
            between = None  # the time of an earlier value ('level (11 months postoperatively) was 20.6; ... 15.2')
        clause = max(sentence[0], self.text.rfind(";", sentence[0], mention.start) + 1)
        while clause < mention.start and self.text[clause].isspace():
            clause += 1
        time = self.timepoint.search(after) or between or self.timepoint.match(self.text, clause)
        return {"arm": arm.group("arm") if arm else None, "timepoint": time.group("time") if time else None}

    def _pressure_pairs(self) -> list[Item]:
        """'120/80 mmHg': a systolic and a diastolic value."""
        items = []
        systolic_name, diastolic_name = self.rules.pressure_parts
        analytes = self.matcher.by_name
        unit = parse_unit("mmHg")
        if unit is None or systolic_name not in analytes or diastolic_name not in analytes:
            return []
        for match in re.finditer(self.rules.pressure_pair, self.text[: self.limit]):
            if self.not_measurement.search(self.text[max(0, match.start() - CRITERION_BEFORE) : match.start()]):
                continue  # 'blood pressure ≥130/85 mmHg' is a criterion
            for name, group in ((systolic_name, "systolic"), (diastolic_name, "diastolic")):
                value = float(match.group(group))
                item = lab_item(analytes[name], value, unit, match.group())
                if item is not None:  # distinct evidence: spaCy keys a span's `._.item` by its offsets
                    item["evidence"] = (match.start(group), match.end())
                    items.append(item)
        return items


def _has_number(text: str) -> bool:
    """A percentage belongs to its analyte only when it is the first number after it ('HbA1c level was 7.1%')."""
    return re.search(r"\d", text) is not None


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _first_of_repeats(items: Iterable[Item]) -> list[Item]:
    """A value restated later ('her CEA level decreased from 27.8 ng/ml', after 'CEA level was 27.8 ng/ml')
    is the same measurement: the first statement is kept."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for item in sorted(items, key=lambda i: i["evidence"]):
        key = (item["analyte"], item["value"], item["unit"])
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


@Language.factory(
    "extractor_labs",
    assigns=["doc.spans"],
    default_config={"analytes": "default", "rules": "default", "spans_key": SPANS_KEY},
)
class LabValueExtractor:
    """Writes `doc.spans[spans_key]`: one span per lab value, its `._.item` the `LabValue` fields."""

    def __init__(self, nlp: Language, name: str, *, analytes: str, rules: str, spans_key: str) -> None:
        set_extensions()
        self.name = name
        self.spans_key = spans_key
        self.analytes = list(packaged_analytes()) if analytes == "default" else load_analytes(srsly.read_json(analytes))
        self.rules = lab_rules() if rules == "default" else read_rule_file(LabRules, rules)
        self.matcher = AnalyteMatcher(self.analytes)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Item]:
        tables = Cover((t.start, t.end) for t in layout(doc).tables)  # `extractor_tables` reads their cells
        items = LabReader(doc_text(doc), self.matcher, self.rules).values()
        return [i for i in items if not tables.contains(i["evidence"][0], i["evidence"][0] + 1)]

    def set_annotations(self, doc: Doc, items: list[Item]) -> None:
        spans = item_spans(doc, [(i, i["evidence"]) for i in items], label="LAB_VALUE")
        doc.spans[self.spans_key] = [*doc.spans.get(self.spans_key, []), *spans]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        serializers = {
            "analytes.json": lambda p: srsly.write_json(p, [_analyte_row(a) for a in self.analytes]),
            "rules.json": lambda p: srsly.write_json(p, self.rules.model_dump()),
        }
        to_disk(ensure_path(path), serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LabValueExtractor:
        def read_analytes(p: Path) -> None:
            self.analytes = load_analytes(srsly.read_json(p))
            self.matcher = AnalyteMatcher(self.analytes)

        def read_rules(p: Path) -> None:
            self.rules = read_rule_file(LabRules, p)

        from_disk(ensure_path(path), {"analytes.json": read_analytes, "rules.json": read_rules}, exclude)
        return self


def _analyte_row(analyte: Analyte) -> dict[str, str]:
    """An Analyte as the TSV row it was read from (so `load_analytes` reads it back)."""
    return {
        "canonical": analyte.canonical,
        "synonyms": "|".join(analyte.synonyms),
        "unit_si": analyte.unit_si,
        "molar_mass": "" if analyte.molar_mass is None else str(analyte.molar_mass),
        "min_si": "" if analyte.min_si is None else str(analyte.min_si),
        "max_si": "" if analyte.max_si is None else str(analyte.max_si),
        "also_units": "|".join(analyte.also_units),
        "loinc": "|".join(analyte.loinc),
        "factors": "|".join(f"{unit}:{factor}" for unit, factor in analyte.factors),
    }
