"""Text normalization: hard wraps, line-end hyphens, odd spaces, headings, captions, tables, offsets."""

from __future__ import annotations

import pytest

from extractor.ingest.clean import lay_out, split_lines
from tests.conftest import SEEDS


def _text(raw: str) -> str:
    return lay_out(split_lines(raw)).text


# (source snippet verbatim from corpus/seeds, what the normalized text must contain)
DEHYPHENATION = [
    # 000_0a971266401ee98e.txt, abstract
    ("underwent right mastectomy and axil-\nlary lymph node dissection at the age of 45.", "axillary lymph node"),
    # 000, case presentation: a drug name broken across lines
    (
        "eventually formed a large mass with a skin ulcer (Fig. 1a). Everoli-\nmus and exemestane were administered",
        "Everolimus and exemestane",
    ),
    # 000, background: a real hyphen inside a compound stays, the broken half joins
    ("effective for patients with early and advanced HR-posi-\ntive breast cancer [2].", "HR-positive"),
    # 000, abstract: both halves are words of their own -> a compound keeps its hyphen
    (
        "Everolimus may cause osteomyelitis of the affected bone. Everolimus-\ninduced osteomyelitis may be "
        "manageable. The drug everolimus was induced.",
        "Everolimus-induced",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), DEHYPHENATION)
def test_line_end_hyphens(raw: str, expected: str) -> None:
    assert expected in _text(raw)


@pytest.mark.parametrize("code", ["CA15-\n3 levels", "BOLERO-\n2 trial", "5-\nfluorouracil was given"])
def test_real_hyphens_at_line_end_stay(code: str) -> None:
    joined = code.replace("\n", "")
    assert joined in _text(f"The patient had {code} as planned and more words follow here.")


def test_hard_wrapped_lines_join_and_spaces_normalize() -> None:
    # 000, case presentation (non-breaking space before the degree sign, as printed)
    raw = "the patient’s body temperature rose to \n38.4\u00a0 \u00b0C. Ciprofloxacin did not alleviate the symptoms."
    assert "body temperature rose to 38.4 °C. Ciprofloxacin" in _text(raw)


def test_ring_operator_printed_for_the_degree_sign() -> None:
    # Hindawi PDF PMC4736389 (LaTeX math font): pdfium reads "38.3∘C" where the XML has "38.3°C"
    assert "febrile (temperature: 38.3°C). There was" in _text("febrile (temperature: 38.3\u2218C). There was")


def test_comma_printed_for_less_than_is_read_back() -> None:
    # 002_e5b7ac3fa1a98ba6.txt, Table 2: ",1" is a font artefact for "<1"
    assert "4\n<1" in _text("Table 2 Side effects\n\n4 \n,1\n")


def test_sections_are_named_on_a_case_report() -> None:
    layout = lay_out(split_lines(SEEDS[0].read_text(encoding="utf-8")))
    names = [s.name for s in layout.sections]
    for name in ("abstract", "introduction", "results", "figure_caption", "discussion", "conclusion"):
        assert name in names
    assert names.index("abstract") < names.index("introduction") < names.index("discussion")
    starts = [s.start for s in layout.sections]
    assert starts == sorted(starts) and all(s.end > s.start for s in layout.sections)


def test_flattened_table_keeps_its_lines() -> None:
    raw = (
        "The analysis of the trial was reported in a study by the investigators of the trial group here.\n"
        " Table 2 Side effects observed in key trials\n\nStomatitis/mucositis\nAll grade \nGrade 3–4\n\n36.5 \n2.2\n"
        "\nThis prose line is long enough to end the table region and it goes on with many words in it.\n"
    )
    layout = lay_out(split_lines(raw))
    assert len(layout.table_regions) == 1
    start, end, caption = layout.table_regions[0]
    assert caption.startswith("Table 2")
    assert "Stomatitis/mucositis\nAll grade\nGrade 3–4\n36.5\n2.2" in layout.text[start:end]
    assert "This prose line" not in layout.text[start:end]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_offset_map_points_back_at_the_source(seed) -> None:  # type: ignore[no-untyped-def]
    raw = seed.read_text(encoding="utf-8")
    layout = lay_out(split_lines(raw))
    text, offsets = layout.text, layout.offset_map
    checked = 0
    for i in range(0, len(text), 97):
        ch = text[i]
        if ch.isalnum():
            source_ch = raw[offsets.to_source(i)]
            assert source_ch == ch or source_ch in "\ufb01\ufb02" or (ch == "<" and source_ch == ","), (i, ch)
            checked += 1
    assert checked > 20
