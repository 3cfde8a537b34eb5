"""PDF front matter: banners, the largest-type title block, page-1 lines (layouts measured from real PDFs)."""

from __future__ import annotations

import pytest

from extractor.ingest.pdf.front import FrontLine, banner_words, is_banner, read_front, title_block
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Research Article", "research article"),
        ("Clinical Study", "clinical study"),
        ("Case Report", "case report"),
        ("R EVI EW Open Access", "review open access"),  # BMC's letter-spaced banner as pdfium reads it
        ("R E S EAR CH A R TIC L E Open Access", "research article open access"),
        ("Hindawi Publishing Corporation", None),
        ("Oral Myiasis Affecting Gingiva in a Child Patient:", None),
        ("Case Reports in Dentistry", None),
    ],
)
def test_banner_words(line: str, words: str | None) -> None:
    assert banner_words(line) == words
    assert is_banner(line) is (words is not None)


def _body(top: float, size: float = 9.8, n: int = 40) -> list[FrontLine]:
    text = "It has been reported that the prevalence of diabetes in Chinese"
    return [FrontLine(text, size, top + 1.2 * size * i, top + 1.2 * size * i + size) for i in range(n)]


def test_title_block_drops_a_banner_set_in_the_title_type() -> None:
    # Hindawi page 1 (PMC4678086): 8 pt header, 17.7 pt banner, 17.0 pt title on two lines, 11.3 pt authors.
    lines = [
        FrontLine("Hindawi Publishing Corporation", 8.0, 50.0, 58.0),
        FrontLine("Journal of Diabetes Research", 8.0, 55.8, 63.8),
        FrontLine("Volume 2016, Article ID 7245947, 4 pages", 8.0, 65.2, 73.2),
        FrontLine("Clinical Study", 17.7, 137.2, 154.9),
        FrontLine("The Initial Assessment of Daily Insulin Dose in Chinese Newly", 17.0, 161.4, 178.4),
        FrontLine("Diagnosed Type 2 Diabetes", 17.0, 181.3, 198.3),
        FrontLine("Jing Ma, Huan Zhou, Hua Xu, Xie Chen, Xiangyu Teng, Qianjing Liu, and Wei Liu", 11.3, 232.1, 243.4),
        FrontLine("1. Introduction", 11.3, 508.7, 520.0),
        *_body(529.9),
    ]
    expected = "The Initial Assessment of Daily Insulin Dose in Chinese Newly Diagnosed Type 2 Diabetes"
    assert title_block(lines, 800.0) == expected


def test_title_block_keeps_hard_hyphens_and_joins_marked_ones() -> None:
    # BMC page 1 (grobid-quantities 12970_2015_Article_108): 22 pt title under a small letter-spaced banner.
    lines = [
        FrontLine("R E S EAR CH A R TIC L E Open Access", 11.9, 93.4, 105.3),
        FrontLine("Nutritional behaviour and beliefs of", 22.0, 123.5, 145.5),
        FrontLine("ski-mountaineers: a semi-quantitative and", 22.0, 149.2, 171.2),
        FrontLine("qualitative study", 22.0, 175.3, 197.3),
        FrontLine("Caroline Praz1", 10.1, 206.1, 216.2),
        *_body(250.0, size=9.4),
    ]
    expected = "Nutritional behaviour and beliefs of ski-mountaineers: a semi-quantitative and qualitative study"
    assert title_block(lines, 793.7) == expected
    marked = [
        FrontLine("Pharmacokinetics of Hydromor\ufffe", 20.0, 100.0, 120.0),
        FrontLine("phone", 20.0, 124.0, 144.0),
    ]
    assert title_block([*marked, *_body(300.0)], 800.0) == "Pharmacokinetics of Hydromorphone"


def test_no_title_when_nothing_is_set_larger_than_the_body() -> None:
    assert title_block(_body(50.0), 800.0) is None
    assert title_block([], 800.0) is None


def test_read_front_of_a_bundled_pdf() -> None:
    front = read_front((CORPUS / "pdfs" / "PMC4739205.pdf").read_bytes())
    assert front["title"] == (
        "Electrocardiography as the First Step for the Further Examination of Cardiac Involvement in Myasthenia Gravis"
    )
    assert front["banner"] == "research article"
    texts = [line["text"] for line in front["lines"]]
    assert texts[texts.index("BioMed Research International") + 1].startswith("Volume 2016, Article ID 8058946")
    assert front["info_title"] == "8058946.dvi"  # what the producer wrote: the metadata rules must not trust it


def test_read_front_never_raises() -> None:
    assert read_front(b"%PDF-1.4 not really a pdf") == {}
