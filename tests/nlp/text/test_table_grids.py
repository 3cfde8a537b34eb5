"""Tables read into grids (no spaCy): seed 002's flattened Table 2, cell rows joined by ' | ', and cell values."""

from __future__ import annotations

import pytest

from extractor.nlp.result_values import TextView
from extractor.nlp.text.table_grids import (
    Token,
    cells,
    find_table_regions,
    grid_from_rows,
    parse_cell,
    parse_table,
    spread_values,
)

# 002_e5b7ac3fa1a98ba6.txt, Table 2: its header and four of its rows, verbatim (',1' is the PDF's '<1')
TABLE_2 = (
    "Table 2 Side effects observed in key trials involving everolimus and temsirolimus\n\nNeoadjuvant \n"
    "letrozole ±  \neverolimus \n10 mg daily \n(Baselga et al15)\n\nTAMRAD \ntamoxifen ±  \neverolimus \n"
    "10 mg daily \n(Bachelot et al16)\n\nBOLERO-2 \nexemestane ±  \neverolimus \n10 mg daily \n(Yardley et al19"
    ")\n\nBOLERO-3 \ntrastuzumab ± \nvinorelbine ±  \neverolimus 5 mg daily \n(O’Regan et al28)\n\n"
    "HORIZON \nletrozole ± \ntemsirolimus  \n5/14 days \n(Wolff et al14)\n\nEVE Placebo EVE Placebo EVE Placebo"
    " EVE Placebo EVE Placebo\n\nStomatitis/mucositis\nAll grade \nGrade 3–4\n\n36.5 \n2.2\n\n6.1 \n"
    "0\n\n56 \n11\n\n7 \n0\n\n59 \n8\n\n12 \n0\n\n63 \n13\n\n28 \n2\n\n26 \n1\n\n4 \n,1\n\nDiarrhea\n"
    "All grade \nGrade 3–4\n\nNR 39 \n2\n\n11 \n0\n\n34 \n2\n\n19 \n,1\n\n38 \n4\n\n31 \n1\n\n21 \n"
    "2\n\n9 \n1\n\nCough\nAll grade \nGrade 3–4\n\nNR NR 26 \n,1\n\n12 \n0\n\nNR 15 \n,1\n\n10 \n,1\n"
    "\nPneumonitis\nAll grade \nGrade 3–4\n\n2.9 \n2.2\n\n0 \n0\n\n17 \n2\n\n4 \n4\n\n16 \n3\n\n0 \n"
    "0\n\n6 \n,1\n\n3 \n1\n\nNR\n\nAbbreviations: EVE, everolimus; NR, not reported."
)


@pytest.fixture(scope="module")
def table_2() -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    grid = parse_table(TextView.of(TABLE_2).text)
    assert grid is not None
    return [(c.row, c.column, c.text) for c in cells(grid)]


def _cell(found: list[tuple[tuple[str, ...], tuple[str, ...], str]], row: str, grade: str, group: str, arm: str) -> str:
    return next(
        t for r, c, t in found if r[0] == row and r[1].startswith(grade) and c[0].startswith(group) and c[1] == arm
    )


@pytest.mark.parametrize(
    ("row", "grade", "group", "arm", "expected"),
    [
        ("Stomatitis/mucositis", "All", "Neoadjuvant", "EVE", "36.5"),
        ("Stomatitis/mucositis", "Grade", "Neoadjuvant", "EVE", "2.2"),
        ("Stomatitis/mucositis", "All", "TAMRAD", "Placebo", "7"),
        ("Stomatitis/mucositis", "Grade", "HORIZON", "Placebo", "<1"),
        # one 'NR' stands for both arms of a study: Diarrhea 'NR 39 2 ...' = Baselga NR, TAMRAD 39/2
        ("Diarrhea", "All", "Neoadjuvant", "Placebo", "NR"),
        ("Diarrhea", "All", "TAMRAD", "EVE", "39"),
        ("Diarrhea", "Grade", "HORIZON", "Placebo", "1"),
        # 'NR NR 26 <1 12 0 NR 15 <1 10 <1': BOLERO-3 not reported, HORIZON read in column order
        ("Cough", "All", "BOLERO-2", "EVE", "26"),
        ("Cough", "All", "BOLERO-3", "EVE", "NR"),
        ("Cough", "All", "HORIZON", "EVE", "15"),
        ("Pneumonitis", "Grade", "BOLERO-3", "EVE", "<1"),
        ("Pneumonitis", "All", "HORIZON", "Placebo", "NR"),
    ],
)
def test_table_2_cells(
    table_2: list[tuple[tuple[str, ...], tuple[str, ...], str]],
    row: str,
    grade: str,
    group: str,
    arm: str,
    expected: str,
) -> None:
    assert _cell(table_2, row, grade, group, arm) == expected


def test_table_region_ends_with_its_footnote() -> None:
    text = "Prose before.\n" + TABLE_2 + "\n\nThe study was prematurely closed for futility."
    ((start, end),) = find_table_regions(text)
    assert text[start:end].startswith("Table 2") and text[start:end].endswith("not reported.")


def test_spread_values_prefers_one_token_per_cell() -> None:
    tokens: list[Token] = [(t, None) for t in ("NR", "39", "2", "11", "0")]
    spread = spread_values(tokens, n_groups=2, per_group=2, stacked=2)
    assert spread is not None
    assert [[v for v, _ in cell] for cell in spread] == [["NR", "NR"], ["NR", "NR"], ["39", "2"], ["11", "0"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("36.5", (36.5, None, None)), ("<1", (1.0, None, "<")), ("4 (7)", (7.0, 4, None)), ("12 (4.1%)", (4.1, 12, None))],
)
def test_parse_cell(text: str, expected: tuple[float, int | None, str | None]) -> None:
    value = parse_cell(text)
    assert value is not None and (value.value, value.n, value.qualifier) == expected


def test_parse_cell_not_reported() -> None:
    assert parse_cell("NR") is None


def test_cell_rows_from_markup() -> None:
    # a JATS table as the markup ingest writes it: one row per line, cells joined by ' | '
    region = (
        "Table 3 Most commonly reported adverse events\nPreferred term | Formoterol (n = 57) | Budesonide/formoterol"
        " (n = 58)\nTremor | 4 (7) | 4 (7)\nTachycardia | 2 (4) | 0\n"
    )
    grid = parse_table(region)
    assert grid is not None and grid.header == [
        ["Preferred term", "Formoterol (n = 57)", "Budesonide/formoterol (n = 58)"]
    ]
    assert [(c.row, c.column[0], c.text) for c in cells(grid)][2:4] == [
        (("Tachycardia",), "Formoterol (n = 57)", "2 (4)"),
        (("Tachycardia",), "Budesonide/formoterol (n = 58)", "0"),
    ]
    assert grid_from_rows([["a", "b"], ["x", "1"]]).header == [["a", "b"]]
