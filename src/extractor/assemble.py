"""spaCy Doc + Document -> ArticleRecord: the one place where annotations become output models.

Components leave their results in `doc.ents` (drugs) and span groups (`doc.spans[category]`, each span's
`._.item` a plain dict of the category's fields); this module attaches evidence (section, page), groups
drug mentions, and validates everything through the pydantic models of `record.py`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from pydantic import ValidationError
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

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
# Mentions in these sections are citations of other work, not what this article reports.
NOT_EVIDENCE = {"references"}


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


def _trials(doc: Doc, document: Document) -> list[Trial]:
    seen: dict[str, Trial] = {}
    for span in doc.spans.get("trials", []):
        if document.section_at(span.start_char) in NOT_EVIDENCE:
            continue
        key = span.kb_id_.lower()
        if key in seen:
            continue
        ev = evidence(document, document.text, span.start_char, span.end_char)
        seen[key] = Trial(nct_id=span.kb_id_, span=ev) if span.label_ == "NCT" else Trial(name=span.kb_id_, span=ev)
    return list(seen.values())


def _items(doc: Doc, document: Document, key: str, warnings: list[str]) -> list[Any]:
    model = ITEM_MODELS[key]
    items = []
    for span in doc.spans.get(key, []):
        fields: dict[str, Any] = {k: v for k, v in (span._.item or {}).items() if not k.startswith("_")}
        start, end = fields.pop("evidence", (span.start_char, span.end_char))
        if document.section_at(start) in NOT_EVIDENCE:  # "Rash associated with X" as a cited title
            continue
        try:
            items.append(model(**fields, span=evidence(document, document.text, start, end)))
        except ValidationError as err:
            first = err.errors()[0]
            warnings.append(f"W009: {key} item at {start}:{end} dropped ({first['loc']}: {first['msg']})")
    return items


def _patient(doc: Doc) -> Patient | None:
    facts: dict[str, Any] = {}
    for span in doc.spans.get("patient", []):
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
) -> ArticleRecord:
    warnings = list(document.warnings)
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
        doses=_items(doc, document, "doses", warnings),
        outcomes=_items(doc, document, "outcomes", warnings),
        adverse_events=_items(doc, document, "adverse_events", warnings),
        lab_values=_items(doc, document, "lab_values", warnings),
        trials=_trials(doc, document),
        arms=_items(doc, document, "arms", warnings),
        characteristics=_items(doc, document, "characteristics", warnings),
        patient=_patient(doc),
        warnings=warnings,
        text=document.text,
    )
    if not keep_text:
        record.text = None
    return record
