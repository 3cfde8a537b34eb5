"""The Evidence Inference text export ("TITLE:", "ABSTRACT.BACKGROUND:", "BODY.RESULTS.SUBGROUP ANALYSIS:"): its
headings name sections, its title is the paragraph under "TITLE:" (tests/fixtures/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest import load_document
from extractor.ingest.front_matter import read_metadata
from extractor.ingest.sections import export_heading, export_section
from extractor.ingest.text import document_from_text
from extractor.record import ArticleType

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "evidence_inference" / "PMC546184.txt"


def test_export_headings_name_sections() -> None:
    doc = load_document(EXPORT)
    headed = [(s.name, s.heading) for s in doc.sections if s.heading and s.name != "table"]
    assert headed == [
        ("other", "TITLE:"),
        ("abstract", "ABSTRACT.BACKGROUND:"),
        ("abstract", "ABSTRACT.METHODS:"),
        ("abstract", "ABSTRACT.RESULTS:"),
        ("abstract", "ABSTRACT.CONCLUSIONS:"),
        ("introduction", "BODY.BACKGROUND:"),
        ("methods", "BODY.METHODS:"),
        ("methods", "BODY.STUDY DESIGN:"),
        ("results", "BODY.RESULTS:"),
        ("results", "BODY.PATIENT CHARACTERISTICS:"),
        ("discussion", "BODY.DISCUSSION:"),
        ("other", "BODY.COMPETING INTERESTS:"),
    ]
    assert doc.text.startswith("TITLE:\nDuloxetine in the treatment of Major Depressive Disorder: A comparison of")
    assert "melancholic features\n\nABSTRACT.BACKGROUND:\nThe most prominent" in doc.text


def test_export_title_and_article_type() -> None:
    meta = read_metadata(load_document(EXPORT))
    assert meta.title == (
        "Duloxetine in the treatment of Major Depressive Disorder: A comparison of efficacy in patients with and "
        "without melancholic features"
    )
    assert meta.article_type is ArticleType.rct  # "pooled from 8 double-blind, placebo-controlled clinical trials"


@pytest.mark.parametrize(
    ("line", "current", "section"),
    [
        ("ABSTRACT.OBJECTIVE:", None, "abstract"),
        ("BODY.MATERIALS AND METHODS:", "introduction", "methods"),
        ("BODY.RESULTS.SUBGROUP ANALYSIS:", "methods", "results"),  # the last known title of the path names it
        ("BODY.PATIENTS:", "results", "results"),  # a known subsection inside an established part keeps its name
        ("BODY.DATA POOLING STRATEGIES:", "methods", "methods"),  # an unknown one too
        ("BODY.2. METHODOLOGY:", "introduction", "methods"),  # numbered at the first level: top level
        ("BODY.COMPETING INTERESTS:", "discussion", "other"),
        ("BODY.ETHICS STATEMENT:", "methods", "methods"),  # back-matter words inside the methods
        ("Figure 2BODY.GAMETOCYTE CARRIAGE AFTER TREATMENT:", "results", "results"),  # run into a float's label
    ],
)
def test_export_heading_names(line: str, current: str | None, section: str) -> None:
    parsed = export_heading(line)
    assert parsed is not None
    assert export_section(*parsed, current=current) == section  # type: ignore[arg-type]


def test_abstract_without_heading_and_glued_second_title() -> None:
    # Openings of PMC5807541 (Scientific Reports, CC-BY 4.0) and PMC5891027 (PLoS ONE, CC-BY 4.0), shortened.
    first = (
        "TITLE: \nOpen-Label Placebo Treatment for Cancer-Related Fatigue: A Randomized-Controlled Clinical Trial"
        "\n\n\n\n"
        "The purpose of this 21-day assessor blinded, randomized-controlled trial was to compare an open-label "
        "placebo (OLP) to treatment as usual (TAU) for cancer survivors.\nBODY.INTRODUCTION:\nNearly 14 million "
        "cancer survivors report cancer-related fatigue.\n"
    )
    doc = document_from_text(first, path="PMC5807541.txt")
    assert [s.name for s in doc.sections] == ["other", "abstract", "introduction"]
    meta = read_metadata(doc)
    assert (
        meta.title == "Open-Label Placebo Treatment for Cancer-Related Fatigue: A Randomized-Controlled Clinical Trial"
    )
    assert meta.article_type is ArticleType.rct
    second = (
        "TITLE: \nPhenylephrine does not improve oxygenation during one-lung ventilation: A randomized, double-blind, "
        "cross-over studyThe effects of phenylephrine on oxygenation\n\n\n\nABSTRACT.BACKGROUND:\nPhenylephrine is an "
        "α1 adrenergic receptor agonist.\n"
    )
    assert read_metadata(document_from_text(second, path="PMC5891027.txt")).title == (
        "Phenylephrine does not improve oxygenation during one-lung ventilation: A randomized, double-blind, "
        "cross-over study"
    )
