"""Tables recovered from plain text: the Evidence Inference export (one cell per line), lines joined by " | " (the
flattened form this project writes) and Markdown pipe tables; cells, header rows, notes and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest import load_document
from extractor.ingest.clean import SourceLine
from extractor.ingest.document import Document, Table
from extractor.ingest.export_tables.body_rows import Body
from extractor.ingest.export_tables.joined_header import read_joined_header
from extractor.ingest.jats import read_jats
from extractor.ingest.text import document_from_text
from extractor.ingest.text_tables import layout_header_rows, pipe_cells

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "evidence_inference" / "PMC546184.txt"
BMC = Path(__file__).resolve().parents[1] / "fixtures" / "PMC1810515.nxml"


def _spans_hold_cells(doc: Document, table: Table) -> None:
    assert table.spans is not None
    for row, spans in zip(table.rows, table.spans, strict=True):
        for cell, span in zip(row, spans, strict=True):
            assert cell == "" or doc.text[span[0] : span[1]] == cell


@pytest.fixture(scope="module")
def export() -> Document:
    return load_document(EXPORT)


def test_export_table_with_a_header_of_body_cells(export: Document) -> None:
    table = export.tables[1]
    assert (table.label, table.caption) == ("Table 2", "Baseline demographics and illness severity (all studies)†")
    assert table.header_rows == 1
    assert table.rows[0] == ["", "Melancholic (N = 1572)", "Non-melancholic (N = 770)", "p-value"]
    assert table.rows[1] == ["Gender, n (%)", "", "", ""]
    assert table.rows[2] == ["Female", "1092 (69.5)", "468 (60.8)", "<.001"]
    assert table.rows[-1] == ["Mean (SD)", "31.7 (25.3)", "31.0 (26.0)", ".053"]
    assert table.footnotes == ["† Includes patients from paroxetine and fluoxetine treatment arms (N = 429)."]
    _spans_hold_cells(export, table)
    assert "\nFemale | 1092 (69.5) | 468 (60.8) | <.001\n" in export.text  # one line per row, as JATS is written
    raw = EXPORT.read_text(encoding="utf-8")
    src = export.offset_map.to_source(export.text.index("1092 (69.5)"))
    assert raw[src : src + 11] == "1092 (69.5)"
    assert export.section_at(table.start) == "table"
    assert export.section_at(export.text.index("BODY.DISCUSSION:")) == "discussion"


def test_export_table_with_spanning_header_and_short_last_row(export: Document) -> None:
    table = export.tables[0]
    assert table.header_rows == 2
    assert table.rows[0][:4] == ["Study", "Placebo", "SSRIa", "Duloxetine"]
    assert table.rows[1] == ["", "", "", "40 mg/db", "60 mg QD", "80 mg/dc", "120 mg/dd"]
    assert table.rows[2] == ["1", "70 (80.0)", "33 (72.7)", "-", "-", "-", "70 (77.1)"]
    assert table.rows[-1][:4] == ["TOTAL", "775 (67.0)", "429 (68.5)", "1138 (66.7)"]  # a cell spans the rest
    assert len(table.footnotes) == 5 and table.footnotes[1].startswith("a. SSRI in Studies 1 and 2")


def test_export_header_cells_run_together() -> None:
    # The export writes <th> cells with no break, into the first body cell (PMC3580671, Critical Care, CC-BY).
    text = (
        "TITLE: \nContinuous versus bolus meropenem\n\n\n\nABSTRACT.RESULTS:\nSee below.\n\nBODY.RESULTS:\n"
        "Table 1Demographics and baseline characteristics of randomized patients\n"
        "CharacteristicsInfusion group(n = 120)Bolus group(n = 120)P-valueAge (years)\n44.9 ± 17.8\n47.2 ± 16.3\n"
        "0.503\nMale\n78 (65.0%)\n83 (69.2%)\n0.583\nWeight (kg)\n78 (70.0 to 90.0)\n80 (72.0 to 95.5)\n0.079\n"
        "Using ITT analysis both groups were well matched for demographics and baseline characteristics, with no "
        "significant differences in severity of illness or in the type of infection between the two groups.\n"
    )
    doc = document_from_text(text, path="PMC3580671.txt")
    (table,) = doc.tables
    assert table.header_rows == 1
    assert table.rows == [
        ["Characteristics", "Infusion group(n = 120)", "Bolus group(n = 120)", "P-value"],
        ["Age (years)", "44.9 ± 17.8", "47.2 ± 16.3", "0.503"],
        ["Male", "78 (65.0%)", "83 (69.2%)", "0.583"],
        ["Weight (kg)", "78 (70.0 to 90.0)", "80 (72.0 to 95.5)", "0.079"],
    ]
    _spans_hold_cells(doc, table)
    assert doc.section_at(doc.text.index("Using ITT analysis")) == "results"  # prose after the table is not a note


def _export(table: str) -> Document:
    """A text in the Evidence Inference export's layout holding `table` (its lines as the export writes them)."""
    head = "TITLE: \nA randomised trial\n\n\n\nABSTRACT.RESULTS:\nSee below.\n\nBODY.RESULTS:\n"
    return document_from_text(head + table + "\nBODY.DISCUSSION:\nThe groups differed.\n", path="export.txt")


def _header_paths(doc: Document, table: Table) -> list[tuple[str, ...]]:
    """Each column's header labels top to bottom, spans filled."""
    grid = table.filled(doc.text)
    return [tuple(grid[r][c] for r in range(table.header_rows)) for c in range(len(grid[0]))]


def test_export_upper_header_cells_spread_over_repeated_groups() -> None:
    # The upper row's cells are written once each: a label spans the run of group labels repeated under each
    # (PMC1079844, BMC Medicine 2005, CC-BY; Table 1, first rows).
    lines = [
        "Table 1Average plasma total and LDL cholesterol concentrations during follow-up",
        "Baseline characteristic", "Plasma total cholesterol (mmol/l)", "Plasma LDL cholesterol (mmol/l)", "",
        *["Simvastatin", "Placebo", "Difference*"] * 2, *[""] * 7,
        "Sex", *[""] * 6, "Male", "4.1", "5.3", "-1.2", "2.2", "3.2", "-1.0",
        "Female", "4.6", "5.8", "-1.2", "2.5", "3.4", "-0.9",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.header_rows == 2
    total, ldl = "Plasma total cholesterol (mmol/l)", "Plasma LDL cholesterol (mmol/l)"
    assert _header_paths(doc, table) == [
        ("Baseline characteristic", ""),
        *[(total, arm) for arm in ("Simvastatin", "Placebo", "Difference*")],
        *[(ldl, arm) for arm in ("Simvastatin", "Placebo", "Difference*")],
    ]
    assert table.rows[0] == ["Baseline characteristic", total, "", "", ldl, "", ""]  # a spanning cell: once
    assert table.rows[2] == ["Sex", "", "", "", "", "", ""]  # a section row
    assert table.rows[3:] == [
        ["Male", "4.1", "5.3", "-1.2", "2.2", "3.2", "-1.0"],
        ["Female", "4.6", "5.8", "-1.2", "2.5", "3.4", "-0.9"],
    ]
    _spans_hold_cells(doc, table)


def test_export_upper_header_label_spans_the_groups_not_the_comparison() -> None:
    # An upper label, then empty cells over the comparison and p-value columns (PMC1386666, Respiratory
    # Research 2006, CC-BY; Table 2, first rows).
    lines = [
        "Table 2Treatment comparisons (budesonide/formoterol vs formoterol) for all FEV1 outcome variables",
        "", "Mean % change from baselinea", *[""] * 6,
        "Variable", "Formoterol (n = 57)", "Budesonide/formoterol (n = 58)",
        "Budesonide/formoterol vs formoterol: mean ratio, % (95% confidence limits)", "p value",
        "Eav", "16.5", "17.4", "100.8 (96.1, 105.7)", "0.74",
        "Emax", "26.3", "27.2", "100.7 (95.1, 106.7)", "0.80",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    paths = _header_paths(doc, table)
    assert paths[1:3] == [("Mean % change from baselinea", lines[i]) for i in (10, 11)]
    assert paths[3:] == [("", lines[12]), ("", "p value")]
    assert table.rows[2] == ["Eav", "16.5", "17.4", "100.8 (96.1, 105.7)", "0.74"]


def test_export_header_cells_run_together_in_two_rows() -> None:
    # <th> cells of two header rows, written without breaks (an empty one as a no-break space): the upper row's
    # labels each group the run of lower labels repeated under them (PMC3733748, Diabetology & Metabolic
    # Syndrome 2013, CC-BY; Table 2, first rows).
    lines = [
        "Table 2Changes from baseline to week 8 of anthropometric and metabolic parameters in cilostazol and "
        "placebo group (n=37)",
        "\u00a0PlaceboCilostazol\u00a0BaselineFollow-upP-valueBaselineFollow-upP-valueBMI (kg/m2)",
        "26.2 ± 2.9", "26.2 ± 2.9", "0.29", "26.2 ± 2.9", "26.0 ± 2.9", "0.12",
        "Waist circumference (cm)", "92.5 ± 8.0", "92.1 ± 7.6", "0.36", "92.6 ± 8.0", "91.4 ± 7.4", "0.007",
        "Systolic blood pressure (mmHg)", "131.0 ± 10.8", "128.6 ± 11.4", "0.21", "130.1 ± 9.6", "127.3 ± 9.1",
        "0.04",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.header_rows == 2
    assert _header_paths(doc, table) == [
        ("", ""),
        *[("Placebo", label) for label in ("Baseline", "Follow-up", "P-value")],
        *[("Cilostazol", label) for label in ("Baseline", "Follow-up", "P-value")],
    ]
    assert table.rows[2] == ["BMI (kg/m2)", "26.2 ± 2.9", "26.2 ± 2.9", "0.29", "26.2 ± 2.9", "26.0 ± 2.9", "0.12"]
    _spans_hold_cells(doc, table)


def test_export_two_label_columns_and_a_label_over_rows() -> None:
    # A label and a sub-label per row; the rows under the same label leave its cell empty; an upper header
    # cell spans the two label columns; a rule row's empty cells in the header (PMC1820788, Malaria Journal
    # 2007, CC-BY; Table 1, first rows).
    lines = [
        "Table 1Characteristics of study subjects at enrollment",
        "Characteristic", "Amodiaquine/Placebo", "Artesunate/Amodiaquine", "", "", "", "", "",
        "N = 37 (%)", "N = 34 (%)",
        "Age (years old)", "Median", "19", "18.5", "", "Range", "5 to 62", "3 to 58",
        "Gender", "Male", "24 (64.8)", "27 (79.4)", "", "Female", "13 (35.2)", "7 (20.6)",
        "Weight (kg)", "Median", "55", "57", "", "Range", "19 to 99", "12.5 to 80",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert _header_paths(doc, table) == [
        ("Characteristic", ""),
        ("Characteristic", ""),
        ("Amodiaquine/Placebo", "N = 37 (%)"),
        ("Artesunate/Amodiaquine", "N = 34 (%)"),
    ]
    assert table.rows[2:6] == [
        ["Age (years old)", "Median", "19", "18.5"],
        ["", "Range", "5 to 62", "3 to 58"],
        ["Gender", "Male", "24 (64.8)", "27 (79.4)"],
        ["", "Female", "13 (35.2)", "7 (20.6)"],
    ]


def test_export_numbers_as_row_labels() -> None:
    # Time points as row labels (PMC1570354, Respiratory Research 2006, CC-BY; Table 4).
    lines = [
        "Table 4Adjusted mean change (se) from pre-dose FEV1 (L) over 24 hours after a single inhalation",
        "Time post dose (hr)", "Placebo", "SFC", "FBC",
        "0.5", "0.04 (0.02)", "0.31 (0.02)*", "0.36 (0.02)*", "1", "0.10 (0.03)", "0.37 (0.03)*", "0.38 (0.03)*",
        "2", "0.14 (0.03)", "0.41 (0.03)*", "0.44 (0.03)*", "8", "0.14 (0.04)", "0.38 (0.04)*", "0.42 (0.04)*",
        "12", "0.06 (0.04)", "0.31 (0.04)*", "0.31 (0.04)*", "16", "-0.05 (0.04)", "0.22 (0.04)*", "0.25 (0.04)*",
        "20", "-0.15 (0.04)", "0.08 (0.04)*", "0.13 (0.04)*", "24", "-0.06 (0.04)", "0.06 (0.04)**", "0.07 (0.04)***",
        "* p < 0.001 vs placebo; ** p = 0.007 vs placebo; *** p = 0.004 vs placebo.",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.header_rows == 1 and table.rows[0] == ["Time post dose (hr)", "Placebo", "SFC", "FBC"]
    assert [row[0] for row in table.rows[1:]] == ["0.5", "1", "2", "8", "12", "16", "20", "24"]
    assert table.footnotes == [lines[-1]]


def test_export_empty_line_written_for_a_line_break_is_no_column() -> None:
    # Row labels whose cells hold a line break, written as an empty line after each (PMC4675066, Trials 2015,
    # CC-BY; Table 1, first rows): the column no row fills is left out.
    lines = [
        "Table 1Baseline demographic characteristics",
        "Iodine (n = 29)Placebo (n = 30)Age at trial entry, yearsa", "", "29.1 (5.7)", "29.8 (5.1)",
        "Gestational age at trial entry, weeksa", "", "15.2 (2.6)", "14.9 (2.4)",
        "Primiparousb", "", "13 (44.8)", "13 (43.3)",
        "Completed secondary educationb", "", "20 (69.0)", "22 (73.3)",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.rows[0] == ["", "Iodine (n = 29)", "Placebo (n = 30)"]
    assert table.rows[1] == ["Age at trial entry, yearsa", "29.1 (5.7)", "29.8 (5.1)"]
    _spans_hold_cells(doc, table)


def test_export_row_of_values_spanning_the_header_groups() -> None:
    # A row with one value per upper header group: each spans its group (PMC1175098, Health and Quality of
    # Life Outcomes 2005, CC-BY; Table 3).
    lines = [
        "Table 3Comparison of FACT-G, FLIC and EORTC QLQ-C30 total/global functioning scores",
        "", "FACT-G", "FLIC", "EORTC QLQ-C30", "",
        "Order A (N = 445)", "Order B (N = 390)", "Order A (N = 378)", "Order B (N = 436)", "Order A (N = 433)",
        "Order B (N = 428)",
        "Mean", "85.92", "83.48", "123.56", "124.18", "63.68", "67.11",
        "Difference in means (95% CI)", "2.44 (0.66 to 4.24)", "-0.62 (-3.20 to 1.97)", "-3.43 (-5.87 to -0.99)",
        "SD", "15.44", "15.94", "21.84", "22.79", "21.69", "21.83",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert [path[0] for path in _header_paths(doc, table)] == [
        "",
        *["FACT-G"] * 2,
        *["FLIC"] * 2,
        *["EORTC QLQ-C30"] * 2,
    ]
    difference = table.rows[3]
    assert difference == ["Difference in means (95% CI)", lines[20], "", lines[21], "", lines[22], ""]
    assert table.filled(doc.text)[3][1:3] == [lines[20]] * 2  # the value spans its group's two columns
    _spans_hold_cells(doc, table)


def test_export_row_under_a_value_spanning_rows() -> None:
    # The p-value of a two-row group is written once: the second row is a cell short, its last column the
    # first row's (PMC5706840, Oncotarget 2017, CC-BY; Table 2, first rows).
    lines = [
        "Table 2Baseline characteristics in the mITT population for each miR-31-3p group",
        "Low n = 50Intermediate n = 49High n = 50p-valueSex", "", "", "", "",
        " F", "13 (26%)", "19 (38.8%)", "15 (30%)", "0.401", " M", "37 (74%)", "30 (61.2%)", "35 (70%)",
        "Age", "", "", "", "",
        " [0-60]", "11 (22%)", "12 (24.5%)", "16 (32%)", "0.815", " [60-70]", "27 (54%)", "24 (49%)", "22 (44%)",
        " [70+]", "12 (24%)", "13 (26.5%)", "12 (24%)",
        "Chemotherapy regimen", "", "", "", "", " CapOx", "10 (20.4%)", "10 (20.4%)", "13 (26.5%)", "0.439",
        " FOLFIRI", "3 (6.1%)", "8 (16.3%)", "7 (14.3%)", " FOLFOX", "36 (73.5%)", "31 (63.3%)", "29 (59.2%)",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.rows[0] == ["", "Low n = 50", "Intermediate n = 49", "High n = 50", "p-value"]
    assert table.rows[1] == ["Sex", "", "", "", ""]
    assert table.rows[3] == ["M", "37 (74%)", "30 (61.2%)", "35 (70%)", ""]
    assert table.filled(doc.text)[3][4] == "0.401"
    assert [row[4] for row in table.filled(doc.text)[5:8]] == ["0.815"] * 3
    assert table.rows[8] == ["Chemotherapy regimen", "", "", "", ""]
    _spans_hold_cells(doc, table)


def test_export_header_that_cannot_be_placed_is_no_header() -> None:
    # Two upper labels over twelve columns with no group repeated under them: where the first ends cannot be
    # told, so the upper row stays in the text, out of the grid (PMC2596788, BMC Health Services Research 2008,
    # CC-BY; Table 3, first rows).
    heads = ["Pain & bowel s.", "Gastric dysfunc.", "Health impair.", "Life impair.", "Reflux", "Sum score"]
    heads += ["Anxiety", "Well-being", "Depr.", "Coping", "Social dysfunc.", "Likert sum score"]
    lines = [
        "Table 3Associations between change in GERD-knowledge and change in symptoms and quality of life",
        "", "Digestive Symptoms and Impact Questionnaire – DSIQ", "General Health Questionnaire v. 30 – GHQ-30",
        "", *heads, "",
        "All patients", "0.2 (0.18)", "0.2 (0.18)", "0.1 (0.59)", "0.3 (0.10)", "0.02 (0.84)", "0.3 (0.13)",
        "0.44 (0.25)", "0.38 (0.46)", "0.30 (0.50)", "0.8 (0.06)", "0.2 (0.60)", "0.03 (0.15)", "",
        "Advanced school", "0.1 (0.65)", "0.0 (1.0)", "0.2 (0.51)", "0.1 (0.66)", "0.05 (0.76)", "0.02 (0.57)",
        "0.6 (0.16)", "- 0.8 (0.22)", "0.8 (0.22)", "1.0 (0.05)", "0.2 (0.49)", "0.04 (0.08)", "",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert all("Questionnaire" not in cell for row in table.rows for cell in row)
    assert "Digestive Symptoms and Impact Questionnaire" in doc.text[table.start : table.end]
    assert table.header_rows <= 1 and (table.header_rows == 0 or table.rows[0] == ["", *heads])
    assert table.rows[table.header_rows][:3] == ["All patients", "0.2 (0.18)", "0.2 (0.18)"]


def test_flattened_jats_text_keeps_its_tables() -> None:
    jats = read_jats(BMC, BMC.read_bytes())
    again = document_from_text(jats.text, path="flattened.txt")
    assert [t.label for t in again.tables] == ["Table 1", "Table 2", "Table 3"]
    written, read = jats.tables[2], again.tables[2]
    assert read.rows == written.rows and read.header_rows == 1
    assert read.caption == written.caption
    _spans_hold_cells(again, read)
    assert again.text[read.start : read.end] == jats.text[written.start : written.end]


def test_markdown_pipe_table_in_a_text_file() -> None:
    text = (
        "Introduction\n\nInsulin analogues were compared.\n\nResults\n\nHypoglycaemia was rare.\n\n"
        "Table 2. Hypoglycaemia\n\n"
        "| Event | Glargine (n = 40) | NPH (n = 41) |\n|-------|------:|-----:|\n| Any | 14 (35%) | 21 (51%) |\n"
        "| Severe | 1 (2.5%) | 3 (7.3%) |\n\nBoth were well tolerated.\n"
    )
    doc = document_from_text(text, path="pipes.txt")
    (table,) = doc.tables
    assert (table.label, table.caption, table.header_rows) == ("Table 2", "Hypoglycaemia", 1)
    assert table.rows == [
        ["Event", "Glargine (n = 40)", "NPH (n = 41)"],
        ["Any", "14 (35%)", "21 (51%)"],
        ["Severe", "1 (2.5%)", "3 (7.3%)"],
    ]
    _spans_hold_cells(doc, table)
    assert "---" not in doc.text and doc.section_at(doc.text.index("Both were")) == "results"


def test_joined_lines_without_a_caption_are_not_a_table() -> None:
    doc = document_from_text("Signalling\n\nmTORC1 | mTORC2\nmTOR | PI3K\n\nThe pathway is shown.\n", path="f.txt")
    assert doc.tables == []


def test_header_rows_from_the_layout() -> None:
    rows = [["", "Placebo", "Drug"], ["", "(n = 40)", "(n = 41)"], ["Age", "52 (12)", "53 (11)"], ["Sex", "", ""]]
    assert layout_header_rows(rows) == 2
    assert layout_header_rows([["Age", "52 (12)"], ["Sex", "20 (50%)"]]) == 0  # no header row
    assert pipe_cells("| a |  | 12 (3) |") == [("a", 2), ("", 6), ("12 (3)", 9)]


def test_export_caption_after_the_floats_doi() -> None:
    # PLoS articles in the export print the table's DOI before its caption (PMC3474775, PLoS ONE 2012, CC-BY;
    # Table 3, first rows)
    lines = [
        "10.1371/journal.pone.0046894.t003Table 3BODY.THE TREATMENT EFFECT OF LISINOPRIL (N = 17) VERSUS "
        "L-PLACEBO (N = 17) ON BLOOD PRESSURE.:",
        "",
        "Month 1 Change1 (95% CI)", "Month 4 Change1 (95% CI)", "Average Change During Follow-up (95% CI)2", "", "",
        "p-value2", "",
        "Systolic BP (mmHg)", "−3.4 (−8.9, 2.1)", "−1.8 (−9.4, 5.8)", "−2.63 (−8.1, 2.8)", "0.33",
        "Diastolic BP (mmHg)", "−3.3 (−6.9, 0.2)", "−3.3 (−7.3, 0.7)", "−3.3 (−6.5, −0.1)", "0.05",
    ]  # fmt: skip
    doc = _export("\n".join(lines) + "\n")
    (table,) = doc.tables
    assert table.caption is not None and "TREATMENT EFFECT OF LISINOPRIL" in table.caption
    assert [row[0] for row in table.rows[table.header_rows :]] == ["Systolic BP (mmHg)", "Diastolic BP (mmHg)"]
    # the text's minus signs are hyphens after cleaning
    assert table.rows[-1][1:] == ["-3.3 (-6.9, 0.2)", "-3.3 (-7.3, 0.7)", "-3.3 (-6.5, -0.1)", "0.05"]


@pytest.mark.parametrize(
    ("lines", "header", "first_row"),
    [
        (  # PMC3931289 (BMC Pulmonary Medicine, CC-BY): "pH" is a word, not two cells
            "\xa0Esomeprazole (n\u2009=\u20099)Placebo (n\u2009=\u20098)p valueReflux present on pH probe\n5/8 (62%)\n"
            "3/5 (60%)\n0.42\nMale (%)\n67\n75\n0.38\nPseudomonas present (%)\n89\n62\n\xa0\n",
            ["", "Esomeprazole (n = 9)", "Placebo (n = 8)", "p value"],  # thin spaces read as spaces
            ["Reflux present on pH probe", "5/8 (62%)", "3/5 (60%)", "0.42"],
        ),
        (  # PMC3718642 (BMC Nephrology, CC-BY): "mmHg" is a unit, not two cells
            "\xa0Everolimus 1.5 mg (n = 61)MMF 2 g (n = 61)SBP (mmHg)\n\xa0\n\xa0\n\xa0≤90 mmHg or <75 mmHga\n1 (1.6)\n"
            "0 (0.0)\n\xa0≥180 mmHg or >200 mmHgb\n9 (14.8)\n6 (9.8)\nDBP (mmHg)\n\xa0\n\xa0\n",
            ["", "Everolimus 1.5 mg (n = 61)", "MMF 2 g (n = 61)"],
            ["SBP (mmHg)", "", ""],
        ),
    ],
)
def test_export_header_run_together_keeps_units_whole(lines: str, header: list[str], first_row: list[str]) -> None:
    (table,) = _export(f"Table 1Baseline characteristics\n{lines}").tables
    assert table.header_rows == 1
    assert [cell.strip() for cell in table.rows[0]] == header
    assert [cell.strip() for cell in table.rows[1]] == first_row


@pytest.mark.parametrize(
    ("lines", "header"),
    [
        (  # PMC3691625 (BMC Cancer, CC-BY): "Adverse event" heads the row labels, not the groups' columns
            "Adverse eventPlacebo armNimotuzumab armNumber of eventsNumber of events"
            "Unrelated (Not related and unlikely)\n"
            "Headache\n42\n17\nSeizures\n16\n6\nDry radiodermitis\n6\n5\nFever\n6\n\xa0\nAsthenia\n5\n"
            "4\nLiver function tests alterations\n7\n5\nAlopecia\n4\n7\n"
            "Possibly, probably or definitively related with nimotuzumab\n",
            [["Adverse event", "Placebo arm", "Nimotuzumab arm"], ["", "Number of events", "Number of events"]],
        ),
        (  # PMC3478157 (Evid Based Complement Alternat Med, CC-BY): "Variable" likewise; "VigRX" is one word
            "VariableVigRX PlusPlacebo\xa0Baseline12\u2009weeksBaseline12\u2009weeksSperm count (million/ml)\n"
            "49.45 (27.85)\n47.15 (25.31)\n58.29 (30.02)\n63.97 (20.83)\n(N\u2009=\u200922)\n(N\u2009=\u200922)\n"
            "(N\u2009=\u200918)\n(N\u2009=\u200918)\nSemen volume (ml)\n1.75 (0.63)\n2.11 (0.53)\n1.97 (0.70)\n"
            "2.22 (0.88)\n(N\u2009=\u200922)\n(N\u2009=\u200922)\n(N\u2009=\u200918)\n(N\u2009=\u200918)\n"
            "Serum testosterone (ng/Dl)\n544.46 (207.64)\n527.66 (155.47)\n518.10 (197.51)\n471.75 (160.38)\n"
            "(N\u2009=\u200937)\n(N\u2009=\u200937)\n(N\u2009=\u200925)\n(N\u2009=\u200925)\n"
            "Data are expressed as Mean (SD).\n",
            [["Variable", "VigRX Plus", "", "Placebo", ""], ["", "Baseline", "12 weeks", "Baseline", "12 weeks"]],
        ),
    ],
)
def test_export_header_run_together_stub_header_over_row_labels(lines: str, header: list[list[str]]) -> None:
    (table,) = _export(f"Table 2Outcomes\n{lines}").tables
    assert table.header_rows == 2
    assert [[cell.strip() for cell in row] for row in table.rows[:2]] == header


@pytest.mark.parametrize(
    ("lines", "header", "first_row"),
    [
        (  # PMC3707768 (BMC Infectious Diseases, CC-BY): the groups' labels stand over their values, the row
            # labels' header over the row labels, the p-values' header ("P") ran into the first row label
            "VariableTDF+PI/r group (n=75)Control group (n=75)PBMIb(kg/m2)\n21.9 (20.1-23.7)\n21.0 (19.3-22.9)\n"
            "0.083\nCD4 cell count (cells/μl)\n279 (196–380.5)\n292.0 (207.0-394.0)\n0.736\n"
            "Viral load (log10copies/ml)\n1.6 (1.6-1.8)\n1.6 (1.6-1.7)\n0.064\nProteinuria\n\xa0\n\xa0\n0.071\n",
            ["Variable", "TDF+PI/r group (n=75)", "Control group (n=75)", ""],
            ["PBMIb(kg/m2)", "21.9 (20.1-23.7)", "21.0 (19.3-22.9)", "0.083"],
        ),
    ],
)
def test_export_header_run_together_p_column(lines: str, header: list[str], first_row: list[str]) -> None:
    (table,) = _export(f"Table 2Characteristics\n{lines}").tables
    assert table.header_rows == 1
    assert [cell.strip() for cell in table.rows[0]] == header
    assert [cell.strip() for cell in table.rows[1]] == first_row


def test_export_header_run_together_p_with_its_note_mark() -> None:
    # PMC2667135 (BMC Infectious Diseases, CC-BY): "P", its note mark "a", then the first row label: "Pa" is no
    # word's head ("Hb" of "HbA1c") when a word follows
    line = SourceLine("CharacteristicCoPAT (n = 103)IPAT (n = 97)PaStudy drug", 0, 0)
    body = Body(stub=1, valued=[False, True, True, True], p_values=[False, False, False, False])  # as its rows read
    header = read_joined_header(line, 4, body, with_label=True)
    assert [[cell.text if cell else "" for cell in row] for row in header.rows] == [
        ["Characteristic", "CoPAT (n = 103)", "IPAT (n = 97)", "Pa"]
    ]
    assert header.label is not None and header.label.text == "Study drug"


def test_export_table_printed_without_its_caption() -> None:
    # PMC5891985 (Evidence Inference export, Table 1): the export dropped the caption line; the header line, whose
    # cells ran together naming both groups by size, opens the table, and the prose before it stays prose
    doc = _export(
        "The patient characteristics grouped by either liraglutide or metformin treatment are presented in "
        "Table 1.\nVariableLiraglutide (n = 30)Metformin (n = 30)P-valueAge (years)\n32.67 ± 5.46\n35.27 ± 5.85\n"
        "0.219\nBW (kg)\n81 ± 17\n72 ± 11\n0.104\n"
    )
    (table,) = doc.tables
    assert table.caption is None
    assert table.rows == [
        ["Variable", "Liraglutide (n = 30)", "Metformin (n = 30)", "P-value"],
        ["Age (years)", "32.67 ± 5.46", "35.27 ± 5.85", "0.219"],
        ["BW (kg)", "81 ± 17", "72 ± 11", "0.104"],
    ]
    _spans_hold_cells(doc, table)
    assert doc.section_at(doc.text.index("The patient characteristics")) == "results"
