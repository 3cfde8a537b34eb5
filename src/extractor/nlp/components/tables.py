"""Items from the Document's tables, cell by cell: outcomes per arm, group lab values, adverse events per arm.

Each table is read as a table (`text.table_reader`): its group columns resolve to the record's arms
(`components/arms.py`), its row labels name what is measured. Results tables give outcomes (endpoint as the
row names it, measure and statistic as the labels say, n from the column header, p from the p column,
differences and ratios from effect columns); baseline tables, and the baseline columns of results tables,
give the lab values of rows that name an analyte (timepoint 'baseline'); laboratory tables give lab values at
every time point; adverse-event tables give one event per row and arm with n and percent. Appends to the
span groups of those categories; the prose components run after and leave table text alone.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import abbreviations, set_extensions
from extractor.nlp.layout import layout
from extractor.nlp.prose import item_spans
from extractor.nlp.quantities import parse_unit
from extractor.nlp.result_doc import arm_registry
from extractor.nlp.text.adverse_event_terms import TermMatcher, default_terms
from extractor.nlp.text.analytes import AnalyteMatcher, lab_item, packaged_analytes
from extractor.nlp.text.arms import Arm, ArmRegistry, normalize_label
from extractor.nlp.text.table_reader import (
    Column,
    Entry,
    ReadTable,
    Row,
    footnote_abbreviations,
    patterns,
    read_table,
)

Item = dict[str, Any]
UNIT_IN_LABEL = re.compile(r"\(\s*(?:in\s+)?(?P<p>[^()]{1,24})\s*\)|,\s*(?P<c>[^,()]{1,20})\s*$")
RATIO_LABEL = re.compile(r"\b(?P<m>a?HR|a?OR|a?RR|IRR)\b|\b(?P<w>hazard|odds|risk|rate)\s+ratio", re.I)
GRADE_LABEL = re.compile(
    r"\bgrades?\s*(?P<g>[1-5](?:\s*[-–]\s*[1-5]|\s*(?:or|and)\s*[1-5])?|[≥>]\s*[1-5])|\b(?P<all>all|any)\s+grades?\b",
    re.I,
)
SEVERITY_LABEL = re.compile(r"^\s*(?P<s>mild|moderate|severe|serious|life-threatening)\b", re.I)
NOT_EVENT_ROW = re.compile(r"^\s*(?:none|no|absent|total|all|any|n|number|patients?|subjects?)\s*$", re.I)


@Language.factory(
    "extractor_tables",
    requires=["doc.spans"],
    assigns=["doc.spans"],
    default_config={
        "outcomes_key": "outcomes",
        "labs_key": "lab_values",
        "events_key": "adverse_events",
        "arms_key": "arms",
        "characteristics_key": "characteristics",
    },
)
class TableItemExtractor:
    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        outcomes_key: str,
        labs_key: str,
        events_key: str,
        arms_key: str,
        characteristics_key: str,
    ) -> None:
        set_extensions()
        self.name = name
        self.keys = {
            "outcomes": outcomes_key,
            "lab_values": labs_key,
            "adverse_events": events_key,
            "characteristics": characteristics_key,
        }
        self.arms_key = arms_key
        self.analytes = AnalyteMatcher(packaged_analytes())
        self.events = TermMatcher(default_terms())

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> dict[str, list[tuple[Item, tuple[int, int]]]]:
        text = doc_text(doc)
        registry = arm_registry(doc, self.arms_key)
        short_forms = {short.text: long_form.text for short, long_form in abbreviations(doc)}
        found: dict[str, list[tuple[Item, tuple[int, int]]]] = {k: [] for k in self.keys}
        for table in layout(doc).tables:
            read = read_table(table, text)
            if read is None or not read.entries:
                continue
            reader = _TableItems(self, read, registry, footnote_abbreviations(table.footnotes) | short_forms)
            for category, item, evidence in reader.items():
                found[category].append((item, evidence))
        return found

    def set_annotations(self, doc: Doc, found: dict[str, list[tuple[Item, tuple[int, int]]]]) -> None:
        for category, items in found.items():
            key = self.keys[category]
            spans = item_spans(doc, items, category.upper())
            doc.spans[key] = [*doc.spans.get(key, []), *spans]


class _TableItems:
    def __init__(self, owner: TableItemExtractor, read: ReadTable, registry: ArmRegistry, short: dict[str, str]):
        self.owner, self.read, self.registry, self.short = owner, read, registry, short
        # a header above the arms names what is measured when it changes across the table ('Trough FEV1
        # response' | 'Trough FVC response'); one header over every column describes the values instead
        self.topics = {c.topic for c in read.columns if c.topic and c.role in ("group", "effect")}

    def items(self) -> list[tuple[str, Item, tuple[int, int]]]:
        out: list[tuple[str, Item, tuple[int, int]]] = []
        for entry in self.read.entries:
            made = self._entry(entry)
            if made is not None:
                out.append(made)
        for entry in self.read.effects:
            made = self._effect(entry)
            if made is not None:
                out.append(made)
        return out

    # --- what a row measures -------------------------------------------------------------------------------

    def subject(self, row: Row, column: Column | None = None) -> tuple[str, str | None, str | None]:
        """(name, unit, row qualifier): a qualifier row ('mean ± sd', 'Change at week 24 (95% CI)') measures its
        section's subject; a category row ('Male' under 'Gender, n (%)') keeps both; under a header naming what
        is measured ('Trough FEV1 response (L)' over the arms) the row is a subgroup."""
        p = patterns()
        topic = column.topic if column is not None else None
        if (
            topic
            and len(self.topics) >= 2
            and not p.topic_not_endpoint.search(topic)
            and self.registry.find(topic) is None
        ):
            name, unit = clean_label(topic)
            if name and re.search(r"[A-Za-z]", name):
                return name, unit, row.label
        label, unit = clean_label(row.label)
        parent, parent_unit = clean_label(row.parent) if row.parent else ("", None)
        if parent and (p.qualifier_row.search(label) or not label):
            # 'Baseline (SD)', 'Change at week 24 (95% CI)': what its section measures ('Mean ± SD SBP' names
            # its own subject)
            return parent, unit or parent_unit, row.label
        if parent and _category_row(label):
            return f"{parent}: {label}", unit or parent_unit, None
        return label, unit or parent_unit, None

    def expand(self, name: str) -> str:
        """A label that is an abbreviation the text or the table's footnotes define keeps its long form: 'FPG' ->
        'fasting plasma glucose (FPG)'. A longer label stays as printed ('CSF Aβ42')."""
        long_form = self.short.get(name)
        return f"{long_form} ({name})" if long_form and long_form.lower() != name.lower() else name

    def arm(self, column: Column) -> Arm | None:
        if column.role == "total":
            return None
        return self.registry.find(column.group) if column.group else None

    def timepoint(self, column: Column, qualifier: str | None) -> str | None:
        p = patterns()
        if column.timepoint:
            return _tidy(column.timepoint)
        if qualifier and p.timepoint.search(qualifier):
            m = p.timepoint.search(qualifier)
            return _tidy(m.group()) if m else None
        return None

    # --- entries --------------------------------------------------------------------------------------------

    def _entry(self, entry: Entry) -> tuple[str, Item, tuple[int, int]] | None:
        if entry.span is None:
            return None
        name, unit, qualifier = self.subject(entry.row, entry.column)
        if not name or not re.search(r"[A-Za-z]", name):
            return None
        column, reading = entry.column, entry.reading
        arm = self.arm(column)
        n = reading.n or column.n or (arm.n if arm else None)
        timepoint = self.timepoint(column, qualifier)
        # 'Baseline (SD)' under 'HbA1c': the row's own label may say the time point its column does not
        baseline = column.baseline or any(
            bool(t and patterns().baseline_time.search(t)) for t in (timepoint, qualifier and clean_label(qualifier)[0])
        )
        evidence = self._evidence(entry)
        kind = self.read.kind
        if kind == "adverse_events":
            return self._event(entry, name, arm, n, evidence)
        analyte = None if _counts_people(entry.row) else self._analyte(name)
        measure = _measure(column, qualifier, reading.measure)
        change = measure is not None and ("change" in measure or measure == "difference")
        levels = not change and self._reports_change()
        if analyte is not None and (kind in ("baseline", "labs") or baseline or levels) and not reading.binary:
            # an analyte at baseline, or in a table of laboratory values, is a lab value; in a results table
            # it is the trial's endpoint, an outcome, unless the table reports its change beside its levels:
            # then the change is the outcome and the levels at each visit are lab values
            item = lab_item(analyte, reading.value, parse_unit(unit) if unit else None, entry.text.strip(), change)
            if item is None:
                return None
            item.update(
                sd=reading.sd,
                se=reading.se,
                n=n,
                arm=arm.name if arm else None,
                timepoint="baseline" if baseline or kind == "baseline" else timepoint,
                measure=measure,
            )
            return "lab_values", item, evidence
        if kind == "baseline":
            # group characteristics (age, sex, history) are not results: the record keeps them apart
            return "characteristics", self._characteristic(entry, name, unit, arm, n), evidence
        return "outcomes", self._outcome(entry, name, unit, measure, arm, n, timepoint), evidence

    def _outcome(
        self,
        entry: Entry,
        name: str,
        unit: str | None,
        measure: str | None,
        arm: Arm | None,
        n: int | None,
        timepoint: str | None,
    ) -> Item:
        reading = entry.reading
        ci = reading.interval == "ci"
        outcome_type = "binary" if reading.binary else ("continuous" if measure != "HR" else "time_to_event")
        comparator = self._comparator(entry.column, arm) if measure == "difference" else None
        return {
            "endpoint": self.expand(name),
            "outcome_type": outcome_type,
            "measure": measure,
            "value": reading.value,
            "unit": "%" if reading.measure == "rate" else unit,
            "sd": reading.sd,
            "se": reading.se,
            "events": reading.events,
            "n": n,
            "ci_low": reading.low if ci else None,
            "ci_high": reading.high if ci else None,
            "ci_level": 95.0 if ci else None,
            "p_value": entry.p_value,
            "arm": arm.name if arm else None,
            "comparator": comparator.name if comparator else None,
            "study": None,
            "subgroup": None,
            "timepoint": timepoint,
        }

    def _characteristic(self, entry: Entry, name: str, unit: str | None, arm: Arm | None, n: int | None) -> Item:
        reading = entry.reading
        return {
            "name": self.expand(name),
            "measure": None if reading.measure == "value" else reading.measure,
            "value": reading.value,
            "unit": "%" if reading.measure == "rate" else unit,
            "sd": reading.sd,
            "se": reading.se,
            "events": reading.events,
            "n": n,
            "arm": arm.name if arm else None,
        }

    def _effect(self, entry: Entry) -> tuple[str, Item, tuple[int, int]] | None:
        """An effect column: a difference or a ratio of the experimental arm against the control."""
        if entry.span is None or self.read.kind == "baseline":
            return None
        name, unit, qualifier = self.subject(entry.row, entry.column)
        if not name or not re.search(r"[A-Za-z]", name):
            return None
        labels = " ".join(entry.column.labels)
        ratio = RATIO_LABEL.search(labels)
        measure = "difference"
        if ratio:
            word = (ratio.group("m") or ratio.group("w") or "").lower().lstrip("a")
            measure = {"hr": "HR", "or": "OR", "rr": "RR", "irr": "RR", "hazard": "HR", "odds": "OR"}.get(word, "RR")
        groups = [self.arm(c) for c in self.read.groups]
        arms = [a for a in groups if a is not None]
        experimental, control = _experimental_and_control(arms)
        reading = entry.reading
        item = self._outcome(entry, name, unit, measure, experimental, None, self.timepoint(entry.column, qualifier))
        item.update(
            sd=None,
            events=None,
            outcome_type="time_to_event" if measure == "HR" else item["outcome_type"],
            comparator=control.name if control else None,
            ci_low=reading.low,
            ci_high=reading.high,
            ci_level=95.0 if reading.low is not None else None,
        )
        return "outcomes", item, self._evidence(entry)

    def _comparator(self, column: Column, arm: Arm | None) -> Arm | None:
        """'Difference vs PBO': the arm the label names, else the control arm."""
        for label in column.labels:
            m = re.search(r"\b(?:vs\.?|versus)\s+(?P<x>.+)$", label, re.I)
            if m:
                found = self.registry.find(m.group("x"))
                if found is not None:
                    return found
        arms = [a for a in (self.arm(c) for c in self.read.groups) if a is not None and a is not arm]
        return _experimental_and_control(arms)[1] if arms else None

    def _reports_change(self) -> bool:
        """Whether the table gives a change column beside its arms' levels ('baseline | week 24 | change')."""
        return any(
            c.role == "group" and c.part is None and bool(patterns().change.search(" ".join(c.labels)))
            for c in self.read.columns
        )

    def _analyte(self, name: str) -> Any:
        # 'Office blood pressure: SBP': the row's own words name the analyte before its section's
        own = name.rsplit(": ", 1)[-1]
        mentions = self.owner.analytes.find(own)
        if mentions:
            name = own
        else:
            mentions = self.owner.analytes.find(name)
        if not mentions:
            return None
        longest = max(mentions, key=lambda m: m.end - m.start)
        words = re.findall(r"[A-Za-z]{3,}", name)
        # an abbreviation without a three-letter run ('Aβ42', 'Hb') is one word of the label
        covered = re.findall(r"[A-Za-z]{3,}", name[longest.start : longest.end]) or [name[longest.start : longest.end]]
        if words and len(covered) < max(1, len(words) - 2):
            return None  # 'Number of patients with hemoglobin below 10' names a count, not the analyte
        return longest.analyte

    def _event(
        self, entry: Entry, name: str, arm: Arm | None, n: int | None, evidence: tuple[int, int]
    ) -> tuple[str, Item, tuple[int, int]] | None:
        reading = entry.reading
        # a bare '0' under an arm: no patient of that arm had the event (n 0; no percent is printed)
        zero = reading.value == 0 and entry.text.strip() == "0"
        if reading.events is None and reading.measure not in ("rate", "count") and not zero:
            return None
        label = entry.row.label
        own, _ = clean_label(label)
        if NOT_EVENT_ROW.match(own):
            return None
        grade = _grade(" ".join(entry.column.labels)) or _grade(label) or _grade(entry.row.parent or "")
        severity = SEVERITY_LABEL.match(own)
        # 'Mild' or 'Grade 3' under 'Nausea': the event of its section; 'Women' after 'Genital infection | 7 (5.1)':
        # the event of the row above
        if patterns().subgroup_row.match(own):
            event_text = self._event_above(entry.row) or own
        elif severity or GRADE_LABEL.match(own):
            event_text = entry.row.parent or own
        else:
            event_text = own
        event_text, _ = clean_label(event_text)
        terms = self.owner.events.find(event_text)
        event = terms[0].event if terms else event_text.lower()
        if not event or not re.search(r"[a-z]", event):
            return None
        item = {
            "event": event,
            "grade": grade,
            "percent": reading.percent,
            "n": 0 if zero else reading.events,
            "group_size": reading.n or entry.column.n,  # as printed, not the arm's size
            "arm": arm.name if arm else None,
            "study": None,
            "drug": None,
        }
        return "adverse_events", item, evidence

    def _event_above(self, row: Row) -> str | None:
        """The nearest row above, in the same section, that names an event ('Experiencing a single event' and
        other subgroups between are passed over)."""
        above = [r for r in self.read.rows if r.index < row.index and r.parent == row.parent]
        for r in reversed(above):
            own, _ = clean_label(r.label)
            if not patterns().subgroup_row.match(own) and self.owner.events.find(own):
                return own
        return row.parent

    def _evidence(self, entry: Entry) -> tuple[int, int]:
        """From the row's label to the cell: the reader sees what the value is and whose it is."""
        assert entry.span is not None
        start = entry.row.span[0] if entry.row.span and entry.row.span[0] < entry.span[0] else entry.span[0]
        return start, entry.span[1]


def clean_label(label: str | None) -> tuple[str, str | None]:
    """A row label without statistic words, footnote marks and its unit: ('Weight', 'kg') for 'Weight (Kg)'."""
    if not label:
        return "", None
    text = patterns().label_noise.sub(" ", label)
    unit = None
    for m in UNIT_IN_LABEL.finditer(text):
        candidate = (m.group("p") or m.group("c") or "").strip()
        candidate = re.sub(r"^in\s+", "", candidate, flags=re.I)
        if candidate and parse_unit(candidate) is not None and not re.fullmatch(r"[A-Z]{2,}", candidate):
            unit = parse_unit(candidate).display  # type: ignore[union-attr]
            text = text[: m.start()] + " " + text[m.end() :]
            break
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-")
    return text, unit


CATEGORY_WORDS = 6  # a category row is a short label ('Class A (asymptomatic)'); a longer one is a measure
COUNT_LABEL = re.compile(
    r"\(\s*(?:n|no\.?|n\s*\(\s*%\s*\)|n\s*[,/]\s*%|%)\s*\)|,\s*n\s*\(\s*%\s*\)|\bnumber of\b", re.I
)


def _counts_people(row: Row) -> bool:
    """'Impaired glucose tolerance (n)', 'Mild (FEV1 ≥50% predicted)' under 'Severity, n (%)': people counted by
    a lab criterion, not a lab value."""
    if COUNT_LABEL.search(row.label):
        return True
    label, unit = clean_label(row.label)
    # a row printing its own unit ('Total cholesterol (mg/dl)' after the rows of a section counted in n) measures;
    # a qualifier row ('Baseline (SD)' under 'HbA1c (%):') measures its section's subject
    if unit is not None or patterns().qualifier_row.search(label):
        return False
    return bool(row.parent and COUNT_LABEL.search(row.parent) and _category_row(label))


def _category_row(label: str) -> bool:
    """'Male', 'White', '0', '1–3', 'Class A (asymptomatic)': a category of its section, not a measure."""
    return (
        bool(re.match(r"^(?:[a-z]|\d|[<>≤≥]|class\b|grade\b|stage\b)", label, re.I))
        and len(label.split()) <= CATEGORY_WORDS
    )


def _measure(column: Column, qualifier: str | None, measure: str) -> str | None:
    p = patterns()
    for text in (qualifier or "", " ".join(column.labels)):
        if p.difference.search(text):
            return "difference"
        if p.change.search(text):
            return "mean change" if measure in ("mean", "value") else measure
    return None if measure == "value" else measure


def _grade(text: str) -> str | None:
    m = GRADE_LABEL.search(text)
    if not m:
        return None
    if m.group("all"):
        return "all"
    grade = re.sub(r"\s*(?:or|and|–)\s*", "-", m.group("g")).replace(" ", "")
    return grade.replace(">", "≥")


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:()").lower()


def _experimental_and_control(arms: list[Arm]) -> tuple[Arm | None, Arm | None]:
    """Placebo or control last; with two arms, the other one is experimental."""
    if not arms:
        return None, None
    control = next(
        (a for a in arms if "placebo" in a.drugs or re.search(r"control|placebo|usual|standard", a.name)), None
    )
    if control is None:
        return arms[0], arms[1] if len(arms) > 1 else None
    others = [a for a in arms if a is not control]
    return (others[0] if len(others) == 1 else None), control


__all__ = ["TableItemExtractor", "clean_label", "normalize_label"]
