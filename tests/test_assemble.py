"""Assembly rules that hold for every category."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import extractor.nlp.pipeline  # noqa: F401  (registers the component factories)
from extractor import Extractor
from extractor.assemble import assemble, span_keys
from extractor.ingest.document import Document
from extractor.ingest.text import document_from_text
from extractor.nlp.extensions import set_extensions

# PMC4738940 (Hindawi JATS): reference 19 of a case report, a cited title that reads like an adverse event; the
# reference list has no <title>, so no "References" line tells the result components where it starts.
JATS = """<?xml version="1.0" encoding="UTF-8"?>
<article article-type="case-report"><front><article-meta><title-group><article-title>Acalculous Cholecystitis in
a Patient with Infectious Mononucleosis</article-title></title-group></article-meta></front>
<body><sec><title>Case Presentation</title><p>A 34-year-old woman was given piperacillin/tazobactam for five days
and recovered.</p></sec></body>
<back><ref-list><ref id="B19"><label>19</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>LeClaire</surname><given-names>A. C.</given-names></name>
</person-group><article-title>Rash associated with piperacillin/tazobactam administration in infectious
mononucleosis</article-title><source>Annals of Pharmacotherapy</source><year>2004</year><volume>38</volume>
<issue>6</issue><fpage>996</fpage><lpage>998</lpage></element-citation></ref></ref-list></back></article>
"""


def test_items_in_the_reference_list_are_not_evidence(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "article.xml"
    path.write_text(JATS, encoding="utf-8")
    record = extractor.extract_file(path)
    assert "references" in {section.name for section in record.sections}
    assert [drug.name for drug in record.drugs] == ["piperacillin", "tazobactam"]
    assert not [event for event in record.adverse_events if event.span.section == "references"]


# corpus/seeds/002_e5b7ac3fa1a98ba6.txt, lines 13 and 298 (verbatim): a named trial, a dose in a table cell.
SENTENCE = (
    "results of BOLERO-2 (Breast cancer trials of OraL EveROlimus). This study showed a statisti-\n"
    "everolimus 10 mg daily or  \n"
)


def _doc_and_document(nlp: Language) -> tuple[Doc, Document]:
    set_extensions()
    document = document_from_text(SENTENCE, path="snippet.txt", sha256="0" * 64)
    return nlp.make_doc(document.text), document


def test_span_groups_are_the_ones_the_component_settings_name() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_trials", config={"spans_key": "named_trials"})
    keys = span_keys(nlp)
    assert keys["trials"] == ("named_trials",)
    assert keys["doses"] == ("doses",)  # no component names a group for doses: its own name
    doc, document = _doc_and_document(nlp)
    start = document.text.index("BOLERO-2")
    trial = doc.char_span(start, start + len("BOLERO-2"), label="TRIAL", kb_id="BOLERO-2")
    doc.spans["named_trials"] = [trial]
    doc.spans["trials"] = []  # the default name holds nothing here
    record = assemble(doc, document, drug_info={}, span_keys=keys)
    assert [t.name for t in record.trials] == ["BOLERO-2"]


def test_an_item_the_record_refuses_is_dropped_with_warning_w010() -> None:
    doc, document = _doc_and_document(spacy.blank("en"))
    start = document.text.index("everolimus 10 mg")
    dose = doc.char_span(start, start + len("everolimus 10 mg"), label="DOSE")
    dose._.item = {"drug": "everolimus", "amount": 10.0, "unit": "mg", "route": "by mouth"}  # route: not a literal
    doc.spans["doses"] = [dose]
    record = assemble(doc, document, drug_info={})
    assert record.doses == []
    (warning,) = [w for w in record.warnings if w.startswith("W010")]  # W004 too: a short text
    assert warning.startswith(f"W010: doses item at {start}:{start + 16} dropped (('route',):")
