"""Markdown ingest (pandoc's markdown of the Yun et al. 2024 data set, tests/fixtures/README.md): run-in headings as
sections, inline markup out of the text, tables with cells, header rows, footnotes and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest import load_document
from extractor.ingest.document import Document, Table
from extractor.ingest.markdown import heading_length, read_markdown
from extractor.record import SourceFormat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "yun2024"
MARKDOWN = FIXTURES / "PMC4458006.md"


def _read(text: str) -> Document:
    return read_markdown(Path("snippet.md"), text.encode("utf-8"))


def _spans_hold_cells(doc: Document, table: Table) -> None:
    assert table.spans is not None
    for row, spans in zip(table.rows, table.spans, strict=True):
        for cell, span in zip(row, spans, strict=True):
            assert cell == "" or doc.text[span[0] : span[1]] == cell


@pytest.fixture(scope="module")
def article() -> Document:
    return load_document(MARKDOWN)


def test_run_in_headings_become_sections(article: Document) -> None:
    assert article.source.format is SourceFormat.text
    assert [(s.name, s.heading) for s in article.sections if s.heading] == [
        ("abstract", "Abstract"),
        ("abstract", "Background"),
        ("abstract", "Methods"),
        ("abstract", "Results"),
        ("abstract", "Conclusions"),
        ("results", "Results"),
    ]
    assert article.text.startswith("Abstract\nBackground\nSince the first facial allograft")
    assert "(Table 1). Similarly" in article.text and "](#)" not in article.text


def test_table_is_the_same_as_from_the_jats_fragment(article: Document) -> None:
    (table,) = article.tables
    xml = load_document(FIXTURES / "PMC4458006.xml").tables[0]
    assert table.rows == xml.rows and table.header_rows == xml.header_rows == 1
    assert table.caption == "Post-operative whisking amplitudes at week 2, 4, and 6"
    _spans_hold_cells(article, table)
    flat = article.text[table.start : table.end]
    assert flat.startswith("Post-operative whisking amplitudes at week 2, 4, and 6\nWeek 2 amplitude (degrees) | ")
    assert "\nMAIN TRUNK (group 1) Right side (operated) | 4.4 | 9.7 | 17.2\n" in flat
    assert article.section_at(table.start) == "table"


def test_offsets_point_into_the_markdown(article: Document) -> None:
    raw = MARKDOWN.read_text(encoding="utf-8")
    for word in ("whisking", "BIFURCATION", "72.1", "Conclusions"):
        src = article.offset_map.to_source(article.text.index(word))
        assert raw[src : src + len(word)] == word


def test_inline_markup_stays_out_of_the_text() -> None:
    doc = _read(
        "# Abstract ## Background HbA~1c~ fell by 0.5% (*SD* 0.2; **p** = 0.01)^a^ on a 0--4 scale (Table [2](#)). "
        "## Results We saw it. # Results ## Patient characteristics Of the 40 patients, 38 completed. "
        '<figure> <p><img src="" /></p> <figcaption>Study flow (p &lt; 0.05).</figcaption> </figure>'
    )
    assert "HbA1c fell by 0.5% (SD 0.2; p = 0.01)a on a 0–4 scale (Table 2)." in doc.text
    assert [(s.name, s.heading) for s in doc.sections if s.heading] == [
        ("abstract", "Abstract"),
        ("abstract", "Background"),
        ("abstract", "Results"),
        ("results", "Results"),
        ("results", "Patient characteristics"),
    ]
    assert "\nOf the 40 patients, 38 completed." in doc.text
    assert doc.text.endswith("Study flow (p < 0.05).")
    assert doc.sections[-1].name == "figure_caption"


@pytest.mark.parametrize(
    ("after_mark", "heading"),
    [
        ("Methods Double-blind, randomized study", "Methods"),
        (
            "Baseline characteristics of enrolled patients Three hundred patients",
            "Baseline characteristics of enrolled patients",
        ),
        ("Objective: To compare resveratrol with placebo", "Objective:"),
        ("Patient Characteristics and Exposure In the trial, 40 patients", "Patient Characteristics and Exposure"),
        ("Adverse Events The most common event", "Adverse Events"),
    ],
)
def test_where_a_run_in_heading_ends(after_mark: str, heading: str) -> None:
    words = after_mark.split()
    assert " ".join(words[: heading_length(words, rest_is_heading=False)]) == heading


# Table 2 of PMC115849 (etoricoxib in rheumatoid arthritis; Yun et al. 2024 markdown), two rows: cells wrapped onto a
# continuation line, a group label row, a note under the table.
WRAPPED = """# Results ## Efficacy Table [2](#) summarizes the results. ::::table-wrap
::: caption
Mean (95% confidence interval) efficacy differences between treatments
over 12 weeks
:::

                                                  **Etoricoxib vs placebo**   **Naproxen vs placebo**
  ----------------------------------------------- --------------------------- -------------------------
  **Primary endpoints**
  Tender joint count (total 68 joints) ‡          -3.42^*^ (-4.89,           -3.16^*^ (-4.96,
                                                  -1.94)                      -1.36)
  Swollen joint count (total 66 joints) ‡         -1.43† (-2.42,              -1.39† (-2.60,
                                                  -0.44)                      -0.19)

Note: Negative values indicate improvement.

^*^ The difference vs placebo was significant (p<0.001).::::
"""


def test_simple_table_with_wrapped_cells_and_notes() -> None:
    doc = _read(WRAPPED)
    (table,) = doc.tables
    assert table.caption == "Mean (95% confidence interval) efficacy differences between treatments over 12 weeks"
    assert table.header_rows == 1
    assert table.rows == [
        ["", "Etoricoxib vs placebo", "Naproxen vs placebo"],
        ["Primary endpoints", "", ""],
        ["Tender joint count (total 68 joints) ‡", "-3.42* (-4.89, -1.94)", "-3.16* (-4.96, -1.36)"],
        ["Swollen joint count (total 66 joints) ‡", "-1.43† (-2.42, -0.44)", "-1.39† (-2.60, -0.19)"],
    ]
    assert table.footnotes == [
        "Note: Negative values indicate improvement.",
        "* The difference vs placebo was significant (p<0.001).",
    ]
    _spans_hold_cells(doc, table)
    assert "\nTender joint count (total 68 joints) ‡ | -3.42* (-4.89, -1.94) | -3.16* (-4.96, -1.36)\n" in doc.text
    assert doc.section_at(doc.text.index("summarizes")) == "results"


# Table 1 of the same article: a second header row under the rule (the group sizes).
TWO_HEADER_ROWS = """::::table-wrap
::: caption
Baseline patient characteristics
:::

  **Characteristic**                                 **Placebo**     **Etoricoxib 90 mg**
  -------------------------------------------------- --------------- ----------------------
                                                     **(N = 357)**   **(N = 353)**
  % women                                            82              81
  Mean age [yrs] (SD)                                52 (12)         53 (12)
::::
"""


def test_header_row_under_the_rule_is_read_from_the_layout() -> None:
    (table,) = _read("# Results\n\nText.\n\n" + TWO_HEADER_ROWS).tables
    assert table.header_rows == 2
    assert table.rows[1] == ["", "(N = 357)", "(N = 353)"]
    assert table.rows[3] == ["Mean age [yrs] (SD)", "52 (12)", "53 (12)"]


def test_multiline_grid_and_pipe_tables() -> None:
    multiline = (
        "-------------------------------------------\n"
        "  Outcome            Drug        Placebo\n"
        "  ------------------ ----------- ----------\n"
        "  Mean maximum       0.85        0.54\n"
        "  motion (range)     (0.07--3.11)  (0.12--1.99)\n"
        "\n"
        "  Deaths             2           5\n"
        "-------------------------------------------\n"
    )
    grid = (
        "+-----------+----------+\n| Outcome   | Drug     |\n+===========+==========+\n"
        "| Deaths    | 2 (5%)   |\n+-----------+----------+\n"
    )
    pipe = "| Outcome | Drug | Placebo |\n|---|---|---|\n| Deaths | 2 | 5 |\n"
    doc = _read(f"# Results\n\n{multiline}\n{grid}\n{pipe}")
    first, second, third = doc.tables
    assert first.rows == [
        ["Outcome", "Drug", "Placebo"],
        ["Mean maximum motion (range)", "0.85 (0.07–3.11)", "0.54 (0.12–1.99)"],
        ["Deaths", "2", "5"],
    ]
    assert second.rows == [["Outcome", "Drug"], ["Deaths", "2 (5%)"]] and second.header_rows == 1
    assert third.rows == [["Outcome", "Drug", "Placebo"], ["Deaths", "2", "5"]] and third.header_rows == 1
    for table in (first, second, third):
        _spans_hold_cells(doc, table)


def test_a_md_file_without_markdown_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "Methods\n\nWe randomized 40 patients to metformin or placebo over twelve\nweeks.\n", encoding="utf-8"
    )
    doc = load_document(path)
    assert (
        doc.text == "Methods\nWe randomized 40 patients to metformin or placebo over twelve weeks."
    )  # hard wrap joined
    assert [s.name for s in doc.sections] == ["other"]  # a first "Methods" line is read as a banner, as for text


# PMC3648394 Table 3 (Yun et al. 2024 set, even PMCID; CC BY), shortened and narrowed: pandoc set each group
# header over one column although it spans the repeated 'Week 0 | Week 11'; effect size and p come after the blocks
REPEATED_SUBHEADERS = """# Results

Outcomes are in Table 3.

::::table-wrap
::: caption
Summary of primary and secondary outcome measures
:::

                **Yoga group**   **Control group**   **Effect size**   **p**
  ------------- ---------------- ------------------- ----------------- ------------- ------ ------
  **Outcome**   **Week 0**       **Week 11**         **Week 0**        **Week 11**
   pNN50        27.7 ± 27.5      20.7 ± 25.3         16.0 ± 16.6       19.4 ± 18.4   0.12   0.04
   Log LF:HF    0.13 ± 0.33      0.35 ± 0.43         0.04 ± 0.40       0.04 ± 0.38   0.12   0.04
::::
"""
# the same header over rows that give each group one column (a mean per group; 'N | %' pairs in other rows only)
FIRST_COLUMNS_ROWS = """# Results

Outcomes are in Table 3.

::::table-wrap
::: caption
Summary of primary and secondary outcome measures
:::

                **Yoga group**   **Control group**   **Effect size**   **p**
  ------------- ---------------- ------------------- ----------------- ------------- ------ ------
  **Outcome**   **Week 0**       **Week 11**         **Week 0**        **Week 11**
   pNN50        27.7 ± 27.5      20.7 ± 25.3         0.04
   Log LF:HF    0.13 ± 0.33      0.35 ± 0.43         0.04
::::
"""
# PMC5380326 Table 2 (same set, even PMCID; CC BY), shortened and narrowed: the repeated row set one column left
SHIFTED_SUBHEADERS = """# Results

Serum levels are in Table 2.

::::table-wrap
::: caption
Comparing mean serum levels between pre-and post-supplements in placebo and vitamin D groups.
:::

  Variables   Placebo (40)     Vitamin D (40)
  ----------- ---------------- ---------------- ---------- ----------------- ---------------- --------
  Pre: Mean   Post: Mean       P-value          Pre: Mean  Post: Mean        P-value
  IP-10       665.61 (77.05)   748.88 (87.12)   0.130      770.27 (101.51)   636.47 (70.91)   0.036
  IL-2        23.07 (12.09)    28.69 (16.29)    0.318      8.20 (3.85)       4.49 (2.11)      0.120
::::
"""


def test_group_headers_span_the_block_of_labels_the_row_below_repeats() -> None:
    (table,) = _read(REPEATED_SUBHEADERS).tables
    assert table.rows[0] == ["", "Yoga group", "", "Control group", "", "Effect size", "p"]
    assert table.rows[1] == ["Outcome", "Week 0", "Week 11", "Week 0", "Week 11", "", ""]
    (table,) = _read(SHIFTED_SUBHEADERS).tables
    assert table.rows[0] == ["Variables", "Placebo (40)", "", "", "Vitamin D (40)", "", ""]
    assert table.rows[1] == ["", "Pre: Mean", "Post: Mean", "P-value", "Pre: Mean", "Post: Mean", "P-value"]
    # rows that use the first columns for the groups keep the headers where pandoc set them
    (table,) = _read(FIRST_COLUMNS_ROWS).tables
    assert table.rows[0][:3] == ["", "Yoga group", "Control group"]
