"""PDF structure: tables as cell grids, the abstract printed without a heading, numbered subsections, hyphens.

Real pages from the bundled Hindawi PDFs (corpus/pdfs, CC-BY) checked against their JATS XML, plus small synthetic
layouts drawn with reportlab.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractor.ingest import load_document
from extractor.ingest.clean import lay_out, split_lines
from extractor.ingest.document import Document
from extractor.ingest.pdf import read_pdf
from extractor.ingest.pdf.tables import build_grid
from extractor.ingest.sections import numbered_heading
from extractor.nlp.text.table_grids import find_table_regions, parse_table
from tests.conftest import CORPUS

PDFS = CORPUS / "pdfs"


def cells(rows: list[list[str]]) -> Counter[str]:
    return Counter(" ".join(re.findall(r"[a-z0-9]+", cell.lower())) for row in rows for cell in row if cell.strip())


@pytest.fixture(scope="module")
def myasthenia() -> tuple[Document, Document]:
    """PMC4739205: four tables, two full-width on page 3 with rules, one in a column with cells over two lines."""
    path = PDFS / "PMC4739205.pdf"
    return read_pdf(path, path.read_bytes()), load_document(path.with_suffix(".xml"))


def test_tables_match_the_xml_cells(myasthenia: tuple[Document, Document]) -> None:
    pdf, xml = myasthenia
    assert [t.label for t in pdf.tables] == ["Table 1", "Table 2", "Table 3", "Table 4"]
    assert [t.page for t in pdf.tables] == [2, 3, 3, 3]
    assert pdf.tables[1].caption == "Clinical characteristics of patients with myasthenia gravis."
    for got, want in zip(pdf.tables, xml.tables, strict=True):
        gold, pred = cells(want.rows), cells(got.rows)
        assert sum((gold & pred).values()) >= 0.95 * sum(gold.values()), (got.label, gold - pred, pred - gold)
        assert sum((gold & pred).values()) >= 0.95 * sum(pred.values()), (got.label, gold - pred, pred - gold)


def test_table_rows_keep_their_columns(myasthenia: tuple[Document, Document]) -> None:
    table2 = myasthenia[0].tables[1]
    assert table2.rows[0] == ["", "With ECG abnormality (n = 33)", "Without ECG abnormality (n = 25)", "p value"]
    assert ["Heart failure", "1", "", ""] in table2.rows  # an empty cell stays in its column
    assert ["Aplastic anemia", "", "1", ""] in table2.rows
    # Table 4 sits in the left column; its cells wrap over two lines beside vertically centred values
    assert myasthenia[0].tables[3].rows[1:] == [
        ["With ECG abnormality", "14 (5 with reduced EF)", "11", "25"],
        ["Without ECG abnormality", "6 (0 with reduced EF)", "27", "33"],
        ["(n)", "20", "38", "58"],
    ]


def test_table_text_is_rows_outside_the_prose(myasthenia: tuple[Document, Document]) -> None:
    pdf = myasthenia[0]
    table = pdf.tables[2]
    region = pdf.text[table.start : table.end]
    assert region.splitlines()[:2] == [
        "Table 3: Echocardiographic parameters of patients with myasthenia gravis.",
        "With ECG abnormality (n = 33) | Without ECG abnormality (n = 25) | p value",
    ]
    assert "Ejection fraction (%) | 61.2 ± 15.1 | 66.1 ± 4.8 | 0.16" in region.splitlines()
    assert pdf.section_at(table.start + 100) == "table"
    assert pdf.section_at(pdf.tables[3].end + 2) == "discussion"  # after Table 4 the flow goes on where it was
    prose = [pdf.text[s.start : s.end] for s in pdf.sections if s.name not in ("table", "references")]
    assert not any("Ejection fraction (%)" in p or " | " in p for p in prose)
    # what the outcome and adverse-event extractors read: the same grid from the text
    regions = find_table_regions(pdf.text)
    grid = parse_table(pdf.text[regions[2][0] : regions[2][1]])
    assert grid is not None and ["Septal wall thickness (mm)", "8.9 ± 1.6", "8.8 ± 1.1", "0.63"] in grid.rows


@pytest.mark.parametrize("name", ["PMC4738698", "PMC4739205", "PMC4739218"])
def test_abstract_without_a_heading_is_found(name: str) -> None:
    path = PDFS / f"{name}.pdf"
    pdf, xml = read_pdf(path, path.read_bytes()), load_document(path.with_suffix(".xml"))
    abstracts = [s for s in pdf.sections if s.name == "abstract"]
    want = next(s for s in xml.sections if s.name == "abstract")
    assert len(abstracts) == 1
    got = " ".join(pdf.text[abstracts[0].start : abstracts[0].end].split())
    expected = " ".join(xml.text[want.start : want.end].split())
    assert got[:60] == expected[:60] and got[-40:] == expected[-40:]
    assert "Copyright" not in got and "Academic Editor" not in got


@dataclass(frozen=True)
class Box:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


def test_grid_from_a_column_table_with_wrapped_cells() -> None:
    # PMC4739205 page 3, Table 4: the positions pdfium reports
    boxes = [
        Box(141.3, 171.9, 534.1, 543.0, "With LV"),
        Box(142.7, 170.5, 544.6, 553.4, "damage"),
        Box(208.5, 251.0, 534.1, 543.0, "Without LV"),
        Box(215.9, 243.6, 544.6, 553.4, "damage"),
        Box(278.0, 288.7, 538.5, 547.4, "(n)"),
        Box(52.6, 90.4, 557.4, 566.3, "With ECG"),
        Box(52.6, 96.5, 567.9, 576.7, "abnormality"),
        Box(139.3, 173.9, 557.4, 566.3, "14 (5 with"),
        Box(134.7, 178.5, 567.9, 576.7, "reduced EF)"),
        Box(226.7, 232.8, 562.7, 571.5, "11"),
        Box(279.2, 287.5, 561.9, 570.7, "25"),
    ]
    assert build_grid(boxes) == [
        ["", "With LV damage", "Without LV damage", "(n)"],
        ["With ECG abnormality", "14 (5 with reduced EF)", "11", "25"],
    ]


def test_grid_spanning_header_and_label_continued_in_lower_case() -> None:
    # PMC4745277 page 3, Table 1 (abridged): group headers over two sub-columns, a label over three lines
    boxes = [
        Box(283.8, 306.0, 92.8, 101.7, "Case 1"),
        Box(456.6, 479.9, 92.8, 101.7, "Case 2"),
        Box(233.0, 260.7, 106.9, 115.7, "Left hip"),
        Box(311.3, 344.7, 106.9, 115.7, "Right hip"),
        Box(408.3, 436.1, 106.9, 115.7, "Left hip"),
        Box(486.7, 520.1, 106.9, 115.7, "Right hip"),
        Box(52.6, 129.9, 120.2, 129.0, "Date of index surgery"),
        Box(238.2, 255.7, 120.2, 129.0, "2009"),
        Box(320.1, 336.1, 120.2, 129.0, "2010"),
        Box(413.4, 431.0, 120.2, 129.0, "2006"),
        Box(494.6, 512.1, 120.2, 129.0, "2009"),
        Box(52.6, 157.0, 304.2, 313.0, "Culture-guided ATB debuted"),
        Box(248.8, 341.0, 313.9, 322.7, "Rifampicin + levofloxacin"),
        Box(422.1, 514.4, 313.9, 322.7, "Rifampicin + levofloxacin"),
        Box(52.6, 185.3, 314.7, 323.5, "intravenously on day 5 for 5 days and"),
        Box(52.6, 173.1, 325.1, 334.0, "then switched to oral for 10 weeks"),
    ]
    assert build_grid(boxes) == [
        ["", "", "Case 1", "", "Case 2"],
        ["", "Left hip", "Right hip", "Left hip", "Right hip"],
        ["Date of index surgery", "2009", "2010", "2006", "2009"],
        [
            "Culture-guided ATB debuted intravenously on day 5 for 5 days and then switched to oral for 10 weeks",
            "Rifampicin + levofloxacin",
            "",
            "Rifampicin + levofloxacin",
            "",
        ],
    ]


def test_synthetic_ruled_table_in_a_two_column_page(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setFont("Helvetica", 10)
    for i in range(30):
        canvas.drawString(72, 720 - 12 * i, f"Left column line {i:02d} of the case report text.")
        canvas.drawString(320, 720 - 12 * i, f"Right column line {i:02d} about the treatment.")
    canvas.drawString(150, 340, "Table 1: Adverse events by grade in the two arms.")
    canvas.setFont("Helvetica", 8)
    canvas.line(72, 330, 540, 330)
    for x, text in ((72, "Event"), (300, "Drug (n = 40)"), (450, "Placebo (n = 38)")):
        canvas.drawString(x, 320, text)
    canvas.line(72, 314, 540, 314)
    rows = [
        ("Neutropenia", "12 (30.0)", "2 (5.3)"),
        ("Rash", "5 (12.5)", "1 (2.6)"),
        ("Nausea", "9 (22.5)", "8 (21.1)"),
    ]
    for i, row in enumerate(rows):
        for x, text in zip((72, 300, 450), row, strict=True):
            canvas.drawString(x, 302 - 12 * i, text)
    canvas.line(72, 270, 540, 270)
    canvas.drawString(72, 260, "Values are n (%).")
    canvas.setFont("Helvetica", 10)
    for i in range(8):
        canvas.drawString(72, 230 - 12 * i, f"Left column after the table, line {i}.")
        canvas.drawString(320, 230 - 12 * i, f"Right column after the table, line {i}.")
    canvas.showPage()
    canvas.save()
    document = read_pdf(tmp_path / "table.pdf", buffer.getvalue())
    [table] = document.tables
    assert table.label == "Table 1" and table.page == 1
    assert table.rows == [["Event", "Drug (n = 40)", "Placebo (n = 38)"], *[list(row) for row in rows]]
    text = document.text
    assert "Neutropenia | 12 (30.0) | 2 (5.3)" in text.splitlines()
    assert text.index("Left column line 29") < text.index("Right column line 00") < text.index("Table 1")
    assert text.index("Values are n (%).") < text.index("Left column after the table, line 0")
    assert "Neutropenia" not in text[: text.index("Table 1")]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        # PMC4678086, PMC4706934, PMC4709619: run-in and standalone numbered subsection headings
        ("2.1. Subjects (Table 1). All participants with type 2 diabetes were", "2.1. Subjects (Table 1)."),
        (
            "3.3. Serum PG Levels and H. pylori Antibody. The serum PG levels",
            "3.3. Serum PG Levels and H. pylori Antibody.",
        ),
        ("3.2. Survival Analysis", "3.2. Survival Analysis"),
        # not headings: a value, a sentence, a one-level number (a list item or a reference)
        ("2.5 mg of warfarin was given daily.", None),
        ("1.5. the dose was reduced after the first cycle", None),
        ("1. Smith J, Jones K. Outcomes of therapy. Lancet 2001.", None),
    ],
)
def test_numbered_subsection_headings(line: str, heading: str | None) -> None:
    end = numbered_heading(line)
    assert (line[:end] if end is not None else None) == heading


def test_subsections_keep_the_section_name() -> None:
    raw = (
        "1. Introduction\n"
        "Insulin therapy is the ideal treatment for newly diagnosed diabetic patients.\n\n"
        "2. Methods\n"
        "2.1. Subjects (Table 1). All participants with type 2 diabetes were admitted.\n\n"
        "2.2. Protocol. A total of 65 Chinese newly diagnosed patients were included.\n\n"
        "3. Results\n"
        "3.1. Insulin Dose\n"
        "When the target glucose level was achieved, the TDD was 45.97 units.\n\n"
        # PMC4706934: a run-in heading wrapped onto the next line
        "3.2. Diagnosis of Helicobacter pylori Infection and Serum\n"
        "Pepsinogen (PG) Levels. Serum samples were taken from all patients.\n"
    )
    layout = lay_out(split_lines(raw), blank_breaks=True)
    assert [(s.name, s.heading) for s in layout.sections] == [
        ("introduction", "1. Introduction"),
        ("methods", "2. Methods"),
        ("methods", "2.1. Subjects (Table 1)."),
        ("methods", "2.2. Protocol."),
        ("results", "3. Results"),
        ("results", "3.1. Insulin Dose"),
        ("results", "3.2. Diagnosis of Helicobacter pylori Infection and Serum Pepsinogen (PG) Levels."),
    ]
    assert "Serum Pepsinogen (PG) Levels. Serum samples were taken" in layout.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # PMC4735918: the right part is a word of its own in the text -> a compound keeps its hyphen
        ("spread and intra\ufffe\nabdominal tumour implants. The abdominal wall was intact.", "intra-abdominal"),
        # PMC4738914 and PMC4745278: a broken word's tail is not a word of its own -> joined
        ("may cause a pre\ufffe\ndictable or idiopathic myelosuppression.", "a predictable or"),
        (
            "Several large studies have sub\ufffe\nsequently confirmed that hydroxyurea is",
            "have subsequently confirmed",
        ),
    ],
)
def test_line_end_hyphens_by_the_words_of_the_text(raw: str, expected: str) -> None:
    assert expected in lay_out(split_lines(raw), blank_breaks=True).text


def test_gutter_beside_a_hanging_indent(tmp_path: Path) -> None:
    """PMC4738720 page 4: the right column's reference list indents its continuation lines, so the emptiest x-range
    runs from the left column's end to the continuation lines; the gutter is its empty part, not its middle."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setFont("Helvetica", 9)
    for i in range(50):
        canvas.drawString(72, 740 - 13 * i, f"Left column sentence {i:02d} on the conflict of interests here.")
        if i % 5 == 0:
            canvas.drawString(320, 740 - 13 * i, f"[{i // 5 + 1}] A. Author and B. Author, a reference title,")
        else:
            canvas.drawString(345, 740 - 13 * i, f"Journal of Examples, vol. {i}, pp. 1-9, 2015.")
    canvas.showPage()
    canvas.save()
    text = read_pdf(tmp_path / "refs.pdf", buffer.getvalue()).text
    assert text.index("Left column sentence 49") < text.index("[1] A. Author")
    assert text.index("[1] A. Author") < text.index("[10] A. Author")


def test_text_drawn_in_a_figure_stays_out_of_the_prose(tmp_path: Path) -> None:
    """A bar chart in the left column (bars, axes, tick labels, a legend) above its caption: the chart's own text
    is left out, the caption and every prose line stay, in order (as on PMC4707348 page 3)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setFont("Helvetica", 9)
    for i in range(14):
        canvas.drawString(72, 740 - 11 * i, f"Left prose line {i:02d} describes the enzyme activity in rats.")
    for i in range(60):
        canvas.drawString(320, 740 - 11 * i, f"Right prose line {i:02d} goes on with the discussion.")
    canvas.line(100, 400, 100, 560)  # y axis
    canvas.line(100, 400, 290, 400)  # x axis
    for k, (x, h) in enumerate(((120, 120), (170, 60), (220, 90))):
        canvas.rect(x, 400, 30, h, fill=1)
        canvas.drawString(x + 5, 388, f"G{k + 1}")
    for tick in (0, 50, 100, 150):
        canvas.drawString(80, 397 + tick, str(tick))
    canvas.drawString(150, 375, "Treatment group")
    canvas.drawString(72, 350, "Figure 1: Serum catalase activity in the three groups.")
    for i in range(10):
        canvas.drawString(72, 320 - 11 * i, f"Left prose after figure {i:02d} compares the groups.")
    canvas.showPage()
    canvas.save()
    document = read_pdf(tmp_path / "chart.pdf", buffer.getvalue())
    text = document.text
    assert "Treatment group" not in text and "G2" not in text and not re.search(r"(?m)^(0|50|100|150)$", text)
    order = ["Left prose line 13", "Figure 1: Serum catalase", "Left prose after figure 00", "Right prose line 00"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)
    assert all(f"Right prose line {i:02d}" in text for i in range(60))
    assert document.section_at(text.index("Figure 1:")) == "figure_caption"


def test_table_on_a_page_set_sideways(tmp_path: Path) -> None:
    """A landscape table on a portrait page, its text running up the page (PMC4736776 page 4, PMC4738724 page 5):
    read in the turned frame, caption, rules and cells as on an upright page; the upright page number is left out."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(540, 760, "4")
    canvas.saveState()
    canvas.translate(560, 60)  # the turned frame: x runs up the page, y runs to the left
    canvas.rotate(90)
    canvas.drawString(150, 0, "Table 2: Prior reported cases of ectopic adenomas in the clivus.")
    canvas.line(0, -10, 640, -10)
    for x, text in ((0, "Authors"), (200, "Age and gender"), (350, "Immunostaining"), (500, "Presentation")):
        canvas.drawString(x, -22, text)
    canvas.line(0, -28, 640, -28)
    rows = [
        ("Shenker et al., 1986", "49 M", "Prolactin", "Renal failure"),
        ("Anand et al., 1993", "58 F", "ACTH", "Nasal obstruction"),
        ("Mount et al., 1993", "71 M", "Prolactin", "Aphasia"),
    ]
    for i, row in enumerate(rows):
        for x, text in zip((0, 200, 350, 500), row, strict=True):
            canvas.drawString(x, -42 - 14 * i, text)
    canvas.line(0, -80, 640, -80)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    document = read_pdf(tmp_path / "sideways.pdf", buffer.getvalue())
    [table] = document.tables
    assert table.label == "Table 2" and table.caption == "Prior reported cases of ectopic adenomas in the clivus."
    assert table.rows == [["Authors", "Age and gender", "Immunostaining", "Presentation"], *[list(r) for r in rows]]
    assert "Shenker et al., 1986 | 49 M | Prolactin | Renal failure" in document.text.splitlines()
