"""Assembly rules that hold for every category."""

from __future__ import annotations

from pathlib import Path

from extractor import Extractor

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
