"""Tables read as tables: arm columns with their n, p columns, spanning headers, section rows.

The tables are real (cells as printed) from PMC1174877 (Derosa et al., CC BY) and PMC2972614 (CC BY), as
JATS, read by the JATS reader so that cell offsets, header rows and column spans are the reader's own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extractor.ingest.jats import read_jats
from extractor.ingest.text import document_from_text
from extractor.nlp.text.table_reader import ReadTable, read_table

ARTICLE = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Metabolic results are given in Table 2.</p>
<table-wrap id="T2"><label>Table 2</label><caption><p>Mean &#x000b1; SD metabolic parameters at baseline and end of
treatment</p></caption><table><thead>
<tr><td/><td colspan="2">Baseline</td><td>p value</td><td colspan="2">End of treatment</td><td>p value</td></tr>
<tr><td/><td>Losartan</td><td>Telmisartan</td><td/><td>Losartan</td><td>Telmisartan</td><td/></tr></thead><tbody>
<tr><td>HOMA-IR</td><td>5.78 &#x000b1; 3.53</td><td>5.74 &#x000b1; 3.35</td><td>NS</td><td>5.82 &#x000b1; 2.66</td>
<td>4.24 &#x000b1; 2.36</td><td>&lt; 0.05</td></tr>
<tr><td>FPG</td><td>110.05 &#x000b1; 14.56</td><td>109.08 &#x000b1; 16.67</td><td>NS</td><td>113.20 &#x000b1; 12.68</td>
<td>100.00 &#x000b1; 11.99</td><td>&lt; 0.05</td></tr></tbody></table></table-wrap>
<table-wrap id="T3"><label>Table 3</label><caption><p>Comparison of mean values of pain severity</p></caption>
<table><thead><tr><td/><td>Group I</td><td>Group II</td><td>p</td></tr></thead><tbody>
<tr><td colspan="4">VAS</td></tr>
<tr><td>Baseline (mean&#x000b1;SD)</td><td>7.16&#x000b1;1.64</td><td>7.59&#x000b1;1.76</td><td>0.343</td></tr>
<tr><td>Posttreatment (mean&#x000b1;SD)</td><td>3.76&#x000b1;1.45</td><td>4.63&#x000b1;2.10</td><td>0.216</td></tr>
<tr><td>p</td><td>0.000**</td><td>0.000**</td><td/></tr>
</tbody></table></table-wrap></sec></body></article>"""


def _tables() -> tuple[str, list]:  # type: ignore[type-arg]
    document = read_jats(Path("t.nxml"), ARTICLE.encode())
    return document.text, [read_table(t, document.text) for t in document.tables]


def _first_table(jats: str) -> ReadTable:
    """The first table of a JATS snippet, read."""
    document = read_jats(Path("t.nxml"), jats.encode())
    table = read_table(document.tables[0], document.text)
    assert table is not None
    return table


def test_spanning_headers_give_each_arm_column_its_time_point_and_p_column() -> None:
    text, (table, _) = _tables()
    assert table is not None
    by_cell = {(e.row.label, e.column.group, e.column.timepoint): e for e in table.entries}
    homa = by_cell[("HOMA-IR", "Telmisartan", "End of treatment")]
    assert (homa.reading.measure, homa.reading.value, homa.reading.sd) == ("mean", 4.24, 2.36)
    assert homa.p_value == "<0.05"
    assert by_cell[("HOMA-IR", "Losartan", "Baseline")].column.baseline
    assert text[homa.span[0] : homa.span[1]] == "4.24 ± 2.36"  # type: ignore[index]
    assert {c.group for c in table.groups} == {"Losartan", "Telmisartan"}


def test_a_row_spanning_the_table_is_a_section_and_within_group_p_rows_are_no_values() -> None:
    _, (_, table) = _tables()
    assert table is not None
    labels = {(e.row.parent, e.row.label) for e in table.entries}
    assert labels == {("VAS", "Baseline (mean±SD)"), ("VAS", "Posttreatment (mean±SD)")}
    assert {e.reading.value for e in table.entries if e.column.group == "Group I"} == {7.16, 3.76}


def test_footnote_abbreviations_after_the_footnote_mark() -> None:
    # footnotes of real tables: the JATS <sup> mark is kept at the footnote's start ('aVAS: ...', '†BMI, ...')
    from extractor.nlp.text.table_reader import footnote_abbreviations

    document = read_jats(Path("t.nxml"), ARTICLE.encode())
    table = replace(
        document.tables[1],
        footnotes=[
            "aVAS: Visual analog scale; SPADI: Shoulder pain and disability index",
            "†BMI, body mass index; SD, standard deviation.",
        ],
    )
    assert footnote_abbreviations(table.footnotes) == {
        "VAS": "Visual analog scale",
        "SPADI": "Shoulder pain and disability index",
        "BMI": "body mass index",
        "SD": "standard deviation",
    }


def test_footnote_abbreviations_after_an_abbreviations_label() -> None:
    # the footnote of a flattened table in corpus/seeds/002 (read by the adverse-event component's table reader)
    from extractor.nlp.text.table_reader import footnote_abbreviations

    assert footnote_abbreviations(["Abbreviations: EVE, everolimus; NR, not reported."]) == {
        "EVE": "everolimus",
        "NR": "not reported",
    }


# PMC4144850 Table 4 (CC BY): each group's N column before its Mean column
GROUP_N_FIRST = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Health outcomes are in Table 4.</p>
<table-wrap id="T4"><label>Table 4</label><caption><p>Effect of the intervention on health outcomes, 2011.</p>
</caption><table><thead>
<tr><td>Health Outcomes</td><td colspan="2">Control Group</td><td colspan="2">Intervention Group</td>
<td>ITT Unadjusted</td></tr>
<tr><td/><td>N</td><td>Mean</td><td>N</td><td>Mean</td><td>Difference [95% CI]</td></tr></thead><tbody>
<tr><td>Diarrhea</td><td>2,609</td><td>0.077</td><td>2,600</td><td>0.074</td>
<td>&#x02212;0.003 [&#x02212;0.019 to 0.013]</td></tr>
<tr><td>Child weight (to 0.1 kg)</td><td>2,161</td><td>10.277</td><td>2,154</td><td>10.069</td>
<td>&#x02212;0.229 [&#x02212;0.492 to 0.033]</td></tr></tbody></table></table-wrap></sec></body></article>"""


def test_a_groups_n_column_before_its_value_column_gives_each_value_its_n() -> None:
    table = _first_table(GROUP_N_FIRST)
    assert [c.group for c in table.groups] == ["Control Group", "Intervention Group"]
    read = {(e.row.label, e.column.group): (e.reading.value, e.reading.n) for e in table.entries}
    assert read == {
        ("Diarrhea", "Control Group"): (0.077, 2609),
        ("Diarrhea", "Intervention Group"): (0.074, 2600),
        ("Child weight (to 0.1 kg)", "Control Group"): (10.277, 2161),
        ("Child weight (to 0.1 kg)", "Intervention Group"): (10.069, 2154),
    }


# PMC5380326 Table 2 (CC BY): arms over 'Pre: Mean (SE)' and 'Post: Mean (SE)' columns
PRE_POST = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Serum levels are in Table 2.</p>
<table-wrap id="T2"><label>Table 2</label><caption><p>Comparing mean serum levels of each parameter between pre-and
post-supplements in placebo and vitamin D groups.</p></caption><table><thead>
<tr><td>Variables (Unit in pg/mL)</td><td colspan="3">Placebo (40)</td><td colspan="3">Vitamin D (40)</td></tr>
<tr><td/><td>Pre: Mean (SE)</td><td>Post: Mean (SE)</td><td>P-value</td><td>Pre: Mean (SE)</td><td>Post: Mean (SE)</td>
<td>P-value</td></tr></thead><tbody>
<tr><td>IP-10</td><td>665.61 (77.05)</td><td>748.88 (87.12)</td><td>0.130</td><td>770.27 (101.51)</td>
<td>636.47 (70.91)</td><td>0.036</td></tr></tbody></table></table-wrap></sec></body></article>"""


def test_pre_and_post_columns_under_each_arm() -> None:
    table = _first_table(PRE_POST)
    assert [c.group for c in table.groups] == ["Placebo (40)", "Vitamin D (40)"]
    read = {(e.column.group, e.column.baseline): (e.reading.value, e.reading.se) for e in table.entries}
    assert read[("Vitamin D (40)", False)] == (636.47, 70.91)
    assert read[("Vitamin D (40)", True)] == (770.27, 101.51)
    # what follows the colon is what the cells print, not when
    assert {e.column.timepoint for e in table.entries} == {"Pre", "Post"}


# PMC4355974 Table 3 (CC BY), shortened: body rows that label the columns again, for the rows below them
RESTATED = """<?xml version="1.0"?>
<article><front><article-meta><title-group><article-title>T</article-title></title-group></article-meta></front>
<body><sec><title>Results</title><p>Outcomes are in Table 3.</p>
<table-wrap id="T3"><label>Table 3</label><caption><p>Changes in Clinical Outcomes, Intervention vs. Control Group
</p></caption><table><thead><tr><th/><th colspan="3">Intervention, N = 28</th><th colspan="3">Control, N = 14</th>
<th/></tr><tr><th>Symptoms over previous 2 weeks</th><th>Mean at baseline</th><th>Mean change at 6 months</th>
<th>P-value</th><th>Mean at baseline</th><th>Mean change at 6 month</th><th>P-value</th>
<th>P-value for differences in changes</th></tr></thead><tbody>
<tr><td>Days of wheeze</td><td>2.9</td><td>&#x02212;1.4</td><td>0.03</td><td>5.1</td><td>&#x02212;4.2</td><td>0.004</td>
<td>0.10</td></tr>
<tr><td/><td>Baseline N(%)</td><td>6-Month N (%)</td><td>p-value</td><td>Baseline N(%)</td><td>6-Month N (%)</td>
<td>P-value</td><td>P-value for differences in changes</td></tr>
<tr><td>Acute asthma-related PCP or ER visit in prior 2 months</td><td>5 (19.2)</td><td>1 (3.9)</td><td>0.18</td>
<td>1 (7.1)</td><td>1 (7.1)</td><td>0.99</td><td>0.64</td></tr>
<tr><td>Primary controller compliance (%)</td><td>Mean at baseline</td><td>Mean Change at 6 months</td><td>P-value</td>
<td>Mean at baseline</td><td>Mean Change at 6 month</td><td>P-value</td><td>P-value for differences in changes</td></tr>
<tr><td>All subjects (I = 21, C = 9)</td><td>38.0</td><td>+11.2</td><td>0.30</td><td>45.9</td><td>&#x02212;4.4</td>
<td>0.81</td><td>0.46</td></tr></tbody></table></table-wrap></sec></body></article>"""


def test_a_body_row_labelling_the_columns_again_holds_for_the_rows_below_it() -> None:
    table = _first_table(RESTATED)
    read = {(e.row.label[:12], e.column.group, e.column.baseline): e for e in table.entries}
    visits = read[("Acute asthma", "Intervention, N = 28", False)]
    assert (visits.reading.events, visits.column.n, visits.column.measure) == (1, 28, None)  # '1 (3.9)': 1 of 28
    assert read[("Acute asthma", "Control, N = 14", True)].reading.events == 1
    wheeze = read[("Days of whee", "Intervention, N = 28", False)]
    assert (wheeze.reading.value, wheeze.column.measure) == (-1.4, "mean change")
    compliance = read[("All subjects", "Control, N = 14", False)]  # under 'Mean Change' again
    assert (compliance.reading.value, compliance.reading.events) == (-4.4, None)
    assert compliance.column.measure == "mean change"
    assert compliance.row.parent == "Primary controller compliance (%)"


def test_a_table_without_caption_opening_with_age_is_a_baseline_table() -> None:
    # PMC5891985 and PMC5457616 (Evidence Inference export): tables printed without their caption line; the first
    # one's rows are the participants' characteristics, the header ran into a Greek note mark ('p valueaρAge')
    head = "TITLE: \nA randomised trial\n\n\n\nABSTRACT.RESULTS:\nSee below.\n\nBODY.RESULTS:\n"
    for header in (
        "VariableLiraglutide (n = 30)Metformin (n = 30)P-valueAge (years)",
        "VariablesSymbiotic group (n = 35)Placebo group (n = 35)p valueaρAge (years)",
    ):
        document = document_from_text(
            head + header + "\n32.67 ± 5.46\n35.27 ± 5.85\n0.219\nBW (kg)\n81 ± 17\n72 ± 11\n0.104\n", path="e.txt"
        )
        (table,) = document.tables
        read = read_table(table, document.text)
        assert read is not None and read.kind == "baseline"
        assert [row.label for row in read.rows] == ["Age (years)", "BW (kg)"]
