"""Metadata rules on real first-page lines: journal and year from citation lines, titles, banners, article types."""

from __future__ import annotations

import pytest

from extractor.ingest import load_document
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.front_matter import classify_article_type, journal_and_year, read_metadata, strip_banner
from extractor.ingest.text import document_from_text
from extractor.record import ArticleType, SourceFormat
from tests.conftest import CORPUS

HINDAWI_HEAD = [
    "Hindawi Publishing Corporation",
    "Journal of Diabetes Research",
    "Volume 2016, Article ID 7245947, 4 pages",
    "http://dx.doi.org/10.1155/2016/7245947",
]
JTMO = "Journal of Trauma Management & Outcomes"
JISSN = "Journal of the International Society of Sports Nutrition"
HAL_COVER = [
    "Impact of physical incompatibility on drug mass flow",
    "rates: example of furosemide-midazolam incompatibility.",
    "To cite this version:",
    "Aur´elie Foinard, Bertrand D´ecaudin, Christine Barth´el´emy, Bertrand Debaene, Pascal Odou.",
    "Impact of physical incompatibility on drug mass flow rates: example of furosemide-midazolam",
    "incompatibility.. Annals of Intensive Care, BioMed Central, 2012, 2 (1), pp.28. <10.1186/2110-",
    "5820-2-28>. <inserm-00721680>",
    "HAL Id: inserm-00721680",
]


@pytest.mark.parametrize(
    ("lines", "subject", "expected"),
    [
        (HINDAWI_HEAD, None, ("Journal of Diabetes Research", 2016)),
        (["Datta et al. Journal of Trauma Management & Outcomes 2010, 4:1"], None, (JTMO, 2010)),
        ([f"Praz et al. {JISSN} (2015) 12:46"], None, (JISSN, 2015)),
        (["Abstract"], f"{JISSN}, 2015, doi:10.1186/s12970-015-0108-5", (JISSN, 2015)),
        (HAL_COVER, "Life Sciences [q-bio]/Human health and pathology", ("Annals of Intensive Care", 2012)),
        (["Case Report", "Oral Myiasis Affecting Gingiva in a Child Patient:"], None, (None, None)),
    ],
)
def test_journal_and_year_from_citation_lines(
    lines: list[str], subject: str | None, expected: tuple[str | None, int | None]
) -> None:
    assert journal_and_year(lines, subject) == expected


def test_a_publisher_line_is_not_a_journal() -> None:
    assert journal_and_year(["Hindawi Publishing Corporation", "Volume 12, Article ID 123456"]) == (None, None)


def test_a_sentence_is_not_a_citation_line() -> None:
    assert journal_and_year(["Patients enrolled in 2010, 45 (30%) were women"]) == (None, None)
    assert journal_and_year(["eLife 2019, 8:e45678"]) == ("eLife", 2019)


def test_copyright_of_the_authors_gives_the_year() -> None:
    text = "A Study of Something Important Here\n\n\u00a9 The Author(s) 2019. Open Access This article is licensed.\n"
    assert read_metadata(document_from_text(text, path="x.txt", sha256="0" * 64)).year == 2019


def test_a_cite_block_opening_is_not_a_title() -> None:
    text = "To cite this version:\n\nPrediction of Response to Temozolomide in Low-Grade Glioma Patients\n"
    assert read_metadata(document_from_text(text, path="x.txt", sha256="0" * 64)).title == (
        "Prediction of Response to Temozolomide in Low-Grade Glioma Patients"
    )


def test_strip_banner() -> None:
    assert strip_banner("Clinical Study The Initial Assessment of Daily Insulin Dose") == (
        "The Initial Assessment of Daily Insulin Dose"
    )
    assert strip_banner("Case Report of a Rare Tumour") == "Case Report of a Rare Tumour"  # no title would remain
    assert strip_banner("Research Design and Methods") == "Research Design and Methods"


def test_text_title_continues_after_a_colon() -> None:
    # The PDF text of a Hindawi case report (PMC4735925) as the body reader lays it out.
    text = (
        "Hindawi Publishing Corporation\n\nVolume 2016, Article ID 2197450, 4 pages "
        "http://dx.doi.org/10.1155/2016/2197450\n\nCase Report\nOral Myiasis Affecting Gingiva in a Child Patient:"
        "\n\nAn Uncommon Case Report\n\nFareedi Mukram Ali,1 Kishor Patil,2 Sanjay Kar,3 1 Department of Oral and "
        "Maxillofacial Surgery, SMBT Dental College and Hospital, Sangamner, India\n\n"
    )
    document = Document(text=text, source=SourceInfo(path="x.pdf", format=SourceFormat.pdf, sha256="0" * 64))
    metadata = read_metadata(document)
    assert metadata.title == "Oral Myiasis Affecting Gingiva in a Child Patient: An Uncommon Case Report"
    assert metadata.doi == "10.1155/2016/2197450"
    assert metadata.year == 2016


def test_year_from_copyright_when_no_citation_line() -> None:
    text = "A Study of Something Important Here\n\nCopyright © 2016 Jing Ma et al. This is an open access article.\n"
    assert read_metadata(document_from_text(text, path="x.txt", sha256="0" * 64)).year == 2016


@pytest.mark.parametrize(
    ("banner", "title", "expected"),
    [
        ("case report", "Spontaneous Retroperitoneal Haematoma due to Polyarteritis Nodosa", "case_report"),
        (None, "Haematoma due to Polyarteritis Nodosa: Report of a Case and Literature Review", "case_report"),
        (None, "Autologous Fat Grafting Reduces Pain in Irradiated Breast: A Review of Our Experience", "other"),
        (None, "Complications of thromboprophylaxis in trauma: a systematic review of the literature", "review"),
        ("review open access", "Complications related to deep venous thrombosis prophylaxis in trauma", "review"),
    ],
)
def test_article_type_cues(banner: str | None, title: str, expected: str) -> None:
    assert classify_article_type(title, "", "", "", banner=banner) is ArticleType(expected)


def test_pdf_metadata_matches_the_publisher_xml() -> None:
    pdf = read_metadata(load_document(CORPUS / "pdfs" / "PMC4738698.pdf"))
    xml = read_metadata(load_document(CORPUS / "pdfs" / "PMC4738698.xml"))
    assert pdf.title == xml.title == "First Pediatric Case of Tularemia after a Coyote Bite"
    assert pdf.journal == xml.journal == "Case Reports in Infectious Diseases"
    assert pdf.doi == xml.doi == "10.1155/2016/8095138"
    assert pdf.year == xml.year == 2016
    assert pdf.article_type is xml.article_type is ArticleType.case_report


@pytest.mark.parametrize(
    "methods",
    [
        "Ten healthy volunteers participated in a double blinded, randomised, placebo controlled, crossover study.",
        "In this randomized, double-blind, clinically controlled trial, 70 patients were enrolled.",
        "Patients were randomly divided into two groups, i.e. the trial group of 69 patients and the control group.",
        "Patients were assigned to one of the two equal groups by randomization method using table of random numbers.",
        "Female alpacas were assigned randomly to 6 groups (n = 15 to 17 per group).",
        "Four US sites randomized 48 participants to receiving 1/10th the DNA dose.",
        "All patients were open-block randomized to follow two treatment regimens.",
        "After starting BIS monitoring, patients randomly were divided into three groups.",
    ],
)
def test_trial_wording_of_the_methods_makes_an_rct(methods: str) -> None:
    # Methods sentences of Evidence Inference and Yun 2024 trials (PMC1084341, PMC5457616, PMC529310, PMC5773985,
    # PMC1190216, PMC5519050, PMC2974815, PMC3214395) that the earlier cues missed.
    assert classify_article_type("Effects of X on Y", "", methods, "") is ArticleType.rct
