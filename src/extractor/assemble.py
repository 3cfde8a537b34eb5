"""spaCy Doc + Document -> ArticleRecord: the one place where annotations become output models.

Components leave their results in `doc.ents` (drugs) and span groups (each span's `._.item` a plain dict of the
category's fields; the groups are named by the components' settings, see `span_keys`); this module attaches
evidence (section, page), groups drug mentions, and validates everything through the pydantic models of
`record.py`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from extractor.errors import Warn
from extractor.ingest.document import Document
from extractor.record import (
    AdverseEvent,
    Arm,
    ArticleRecord,
    Characteristic,
    Dose,
    Drug,
    LabValue,
    Metadata,
    Outcome,
    Patient,
    Section,
    Source,
    Span,
    Trial,
)

ITEM_MODELS: dict[
    str, type[Dose] | type[Outcome] | type[AdverseEvent] | type[LabValue] | type[Arm] | type[Characteristic]
] = {
    "doses": Dose,
    "outcomes": Outcome,
    "adverse_events": AdverseEvent,
    "lab_values": LabValue,
    "arms": Arm,
    "characteristics": Characteristic,
}
# Record categories read from span groups (drugs come from doc.ents).
SPAN_CATEGORIES = (*ITEM_MODELS, "trials", "patient")
# Mentions in these sections are citations of other work, not what this article reports.
NOT_EVIDENCE = {"references"}


def span_keys(nlp: Language) -> dict[str, tuple[str, ...]]:
    """Record category -> the span groups holding its items, as the pipeline's component settings name them: a
    setting ending in `_key` whose factory default is a category (`spans_key = "doses"`, `events_key =
    "adverse_events"`) names a group of that category. A category no setting names is read from its own name."""
    keys: dict[str, list[str]] = {category: [] for category in SPAN_CATEGORIES}
    for name in nlp.pipe_names:
        config = nlp.get_pipe_config(name)
        defaults = nlp.get_factory_meta(config["factory"]).default_config or {}
        for setting, default in defaults.items():
            if setting.endswith("_key") and default in keys and config.get(setting) not in keys[default]:
                keys[default].append(config[setting])
    return {category: tuple(found or [category]) for category, found in keys.items()}


def evidence(document: Document, text: str, start: int, end: int) -> Span:
    return Span(
        text=text[start:end],
        start=start,
        end=end,
        section=document.section_at(start),
        page=document.page_at(start),
    )


def _drugs(doc: Doc, document: Document, drug_info: dict[str, dict[str, str]]) -> list[Drug]:
    grouped: OrderedDict[str, list[SpacySpan]] = OrderedDict()
    for ent in doc.ents:
        if ent.label_ != "DRUG" or document.section_at(ent.start_char) in NOT_EVIDENCE:
            continue
        grouped.setdefault(ent.kb_id_, []).append(ent)
    drugs = []
    for name, ents in grouped.items():
        info = drug_info.get(name, {})
        ids = {k: v for k, v in info.items() if k in ("drugbank", "mesh", "rxnorm", "chebi") and v}
        drugs.append(
            Drug(
                name=name,
                mentions=[evidence(document, document.text, e.start_char, e.end_char) for e in ents],
                ids=ids,
                drug_class=info.get("drug_class") or None,
                negated=all(e._.negated for e in ents),
            )
        )
    return drugs


def _spans(doc: Doc, keys: Sequence[str]) -> list[SpacySpan]:
    return [span for key in keys for span in doc.spans.get(key, [])]


def _trials(doc: Doc, document: Document, keys: Sequence[str]) -> list[Trial]:
    seen: dict[str, Trial] = {}
    for span in _spans(doc, keys):
        if document.section_at(span.start_char) in NOT_EVIDENCE:
            continue
        key = span.kb_id_.lower()
        if key in seen:
            continue
        ev = evidence(document, document.text, span.start_char, span.end_char)
        seen[key] = Trial(nct_id=span.kb_id_, span=ev) if span.label_ == "NCT" else Trial(name=span.kb_id_, span=ev)
    return list(seen.values())


def _items(doc: Doc, document: Document, category: str, keys: Sequence[str], warnings: list[str]) -> list[Any]:
    model = ITEM_MODELS[category]
    items = []
    for span in _spans(doc, keys):
        fields: dict[str, Any] = {k: v for k, v in (span._.item or {}).items() if not k.startswith("_")}
        start, end = fields.pop("evidence", (span.start_char, span.end_char))
        if document.section_at(start) in NOT_EVIDENCE:  # "Rash associated with X" as a cited title
            continue
        try:
            items.append(model(**fields, span=evidence(document, document.text, start, end)))
        except ValidationError as err:
            first = err.errors()[0]
            warnings.append(Warn.W010.format(key=category, start=start, end=end, loc=first["loc"], msg=first["msg"]))
    return items


def _patient(doc: Doc, keys: Sequence[str]) -> Patient | None:
    facts: dict[str, Any] = {}
    for span in _spans(doc, keys):
        for field, value in (span._.item or {}).items():
            facts.setdefault(field, value)
    return Patient(**facts) if facts else None


def assemble(
    doc: Doc,
    document: Document,
    *,
    drug_info: dict[str, dict[str, str]],
    keep_text: bool = True,
    metadata: Metadata | None = None,
    span_keys: Mapping[str, Sequence[str]] | None = None,
) -> ArticleRecord:
    """The record of one document. `span_keys`: the span groups of each category (`span_keys(nlp)`); by
    default each category's own name."""
    warnings = list(document.warnings)
    keys = {category: (span_keys or {}).get(category, (category,)) for category in SPAN_CATEGORIES}

    def items(category: str) -> list[Any]:
        return _items(doc, document, category, keys[category], warnings)

    record = ArticleRecord(
        doc_id=document.doc_id,
        source=Source(
            path=document.source.path,
            format=document.source.format,
            sha256=document.source.sha256,
            pages=document.source.pages,
            chars=len(document.text),
        ),
        metadata=metadata or Metadata(),
        sections=[Section(name=s.name, start=s.start, end=s.end, heading=s.heading) for s in document.sections],
        drugs=_drugs(doc, document, drug_info),
        doses=items("doses"),
        outcomes=items("outcomes"),
        adverse_events=items("adverse_events"),
        lab_values=items("lab_values"),
        trials=_trials(doc, document, keys["trials"]),
        arms=items("arms"),
        characteristics=items("characteristics"),
        patient=_patient(doc, keys["patient"]),
        warnings=warnings,
        text=document.text,
    )
    if not keep_text:
        record.text = None
    return record
