"""HTML ingest of saved article pages: the article with its sections and tables, without the site around it."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from extractor.errors import EmptyInput
from extractor.ingest import load_document
from extractor.ingest.document import Document
from extractor.ingest.html import read_html
from extractor.record import SourceFormat

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Everolimus pneumonitis | Journal of Oncology Cases</title>
  <meta name="citation_title"
        content="Everolimus-induced pneumonitis in metastatic renal cell carcinoma: a case report">
  <meta name="citation_doi" content="10.1234/joc.2021.0042">
  <meta name="citation_pmid" content="34567890">
  <meta name="citation_journal_title" content="Journal of Oncology Cases">
  <meta name="citation_publication_date" content="2021/03/15">
  <meta name="dc.identifier" content="doi:10.1234/joc.2021.0042">
  <link rel="stylesheet" href="https://cdn.example.org/site.css">
  <script src="https://cdn.example.org/tracker.js"></script>
  <style>body { font-family: serif; }</style>
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <div id="cookie-banner" class="cookie-consent">
    <p>We use cookies to improve your experience. By continuing you accept our cookie policy.</p>
    <button>Accept all cookies</button>
  </div>
  <header class="site-header">
    <img src="https://cdn.example.org/logo.png" alt="Journal of Oncology Cases">
    <nav><ul><li><a href="/">Home</a><li><a href="/issues">Issues</a><li><a href="/login">Sign in</a></ul></nav>
  </header>
  <main id="main">
    <aside class="tools"><a href="#">Share on Twitter</a> <a href="#">Download PDF</a></aside>
    <article>
      <header>
        <h1>Everolimus-induced pneumonitis in metastatic renal cell carcinoma: a case report</h1>
        <p class="authors">A. Author, B. Author</p>
      </header>
      <section id="abstract">
        <h2>Abstract</h2>
        <p>A 64-year-old man with metastatic renal cell carcinoma developed grade&nbsp;2 pneumonitis after
        8&#160;weeks of <em>everolimus</em> 10&nbsp;mg daily.</p>
      </section>
      <section>
        <h2>Introduction</h2>
        <p>Everolimus is an mTOR inhibitor<sup><a href="#b1">1</a></sup> approved for renal cell carcinoma.
      </section>
      <section>
        <h2>Case presentation</h2>
        <p>The patient received everolimus 10 mg once daily. Laboratory values are shown in Table 1.</p>
        <h3>Follow-up</h3>
        <p>Pneumonitis resolved after dose reduction to 5 mg.</p>
        <figure>
          <img src="fig1.png" alt="">
          <figcaption>Figure 1. Chest CT at week 8 showing ground-glass opacities.</figcaption>
        </figure>
        <table>
          <caption>Table 1. Laboratory values</caption>
          <thead><tr><th>Test</th><th>Baseline</th><th>Week 8</th></tr></thead>
          <tbody>
            <tr><td>Hemoglobin (g/dL)<td>12.1<td>11.4
            <tr><td>Creatinine (mg/dL)</td><td colspan="2">1.1</td></tr>
          </tbody>
        </table>
      </section>
      <section>
        <h2>Discussion</h2>
        <p>Non-infectious pneumonitis is a class effect of mTOR inhibitors.</p>
      </section>
      <section>
        <h2>References</h2>
        <ol><li id="b1">Motzer RJ, Escudier B, Oudard S, et al. Lancet. 2008;372:449-56.</li></ol>
      </section>
    </article>
  </main>
  <footer class="site-footer"><p>© 2021 Example Publishing. Privacy policy. Terms of use.</p></footer>
  <script>window.dataLayer = []; document.write("injected");</script>
</body>
</html>
"""


@pytest.fixture(scope="module")
def page() -> Document:
    return read_html(Path("page.html"), PAGE.encode("utf-8"))


def test_site_chrome_is_dropped(page: Document) -> None:
    lowered = page.text.lower()
    for chrome in (
        "cookie",
        "skip to",
        "home",
        "sign in",
        "share on",
        "download pdf",
        "privacy",
        "injected",
        "font-family",
        "journal of oncology cases",
    ):
        assert chrome not in lowered


def test_article_text_and_sections(page: Document) -> None:
    assert page.text.startswith("Everolimus-induced pneumonitis in metastatic renal cell carcinoma: a case report\n")
    assert "developed grade 2 pneumonitis after 8 weeks of everolimus 10 mg daily." in page.text
    assert "mTOR inhibitor 1 approved" in page.text  # a superscript citation does not glue to its word
    assert [(s.name, s.heading) for s in page.sections if s.heading] == [
        ("abstract", "Abstract"),
        ("introduction", "Introduction"),
        ("results", "Case presentation"),
        ("results", "Follow-up"),
        ("discussion", "Discussion"),
        ("figure_caption", "Figure 1"),
        ("table", "Table 1"),
        ("references", "References"),
    ]
    refs = page.sections[-1]
    assert page.text[refs.start : refs.end] == (
        "References\nMotzer RJ, Escudier B, Oudard S, et al. Lancet. 2008;372:449-56."
    )


def test_table_rows_and_caption(page: Document) -> None:
    (table,) = page.tables
    assert (table.label, table.caption) == ("Table 1", "Table 1. Laboratory values")
    assert table.rows == [
        ["Test", "Baseline", "Week 8"],
        ["Hemoglobin (g/dL)", "12.1", "11.4"],
        ["Creatinine (mg/dL)", "1.1", ""],
    ]
    assert page.text[table.start : table.end] == (
        "Table 1. Laboratory values\nTest | Baseline | Week 8\n"
        "Hemoglobin (g/dL) | 12.1 | 11.4\nCreatinine (mg/dL) | 1.1"
    )
    assert page.section_at(table.start) == "table"


def test_table_header_spans_and_covered_cells(page: Document) -> None:
    (table,) = page.tables
    assert table.header_rows == 1  # <thead>
    assert table.spans is not None
    for row, spans in zip(table.rows, table.spans, strict=True):
        for cell, span in zip(row, spans, strict=True):
            assert cell == "" or page.text[span[0] : span[1]] == cell
    assert table.spans[2][2] == table.spans[2][1]  # colspan="2": the covered position holds the cell's span
    assert table.filled(page.text)[2] == ["Creatinine (mg/dL)", "1.1", "1.1"]


def test_tfoot_rows_and_figure_notes_are_footnotes() -> None:
    html = (
        "<html><body><article><h1>Insulin glargine versus NPH</h1><h2>Results</h2><p>See Table 2.</p>"
        "<figure><figcaption>Table 2. Hypoglycaemia</figcaption><table>"
        "<tr><th></th><th>Glargine (n = 40)</th><th>NPH (n = 41)</th></tr>"
        "<tr><td>Any event</td><td>14 (35%)</td><td>21 (51%)</td></tr>"
        "<tfoot><tr><td colspan='3'>Values are n (%).</td></tr></tfoot></table>"
        "<p>* P &lt; 0.05 versus NPH.</p></figure></article></body></html>"
    )
    doc = read_html(Path("notes.html"), html.encode())
    (table,) = doc.tables
    assert table.header_rows == 1  # a first row of <th> cells only
    assert table.rows == [["", "Glargine (n = 40)", "NPH (n = 41)"], ["Any event", "14 (35%)", "21 (51%)"]]
    assert table.footnotes == ["Values are n (%).", "* P < 0.05 versus NPH."]
    assert doc.text[table.start : table.end].endswith("\nValues are n (%).\n* P < 0.05 versus NPH.")


def test_meta_tags_give_metadata(page: Document) -> None:
    assert page.metadata == {
        "title": "Everolimus-induced pneumonitis in metastatic renal cell carcinoma: a case report",
        "doi": "10.1234/joc.2021.0042",
        "pmid": "34567890",
        "journal": "Journal of Oncology Cases",
        "year": 2021,
    }


def test_offsets_point_into_the_page(page: Document) -> None:
    for word in ("pneumonitis", "Hemoglobin", "Motzer", "weeks"):
        src = page.offset_map.to_source(page.text.index(word))
        assert PAGE[src : src + len(word)] == word


def test_page_without_article_drops_header_and_footer() -> None:
    html = (
        "<html><body><header><h1>Site name</h1></header><div><h1>Aspirin and stroke</h1>"
        "<h2>Methods</h2><p>We randomized 200 patients.</p></div><footer>Contact us</footer></body></html>"
    )
    doc = read_html(Path("plain.html"), html.encode())
    assert doc.text == "Aspirin and stroke\n\nMethods\nWe randomized 200 patients."
    assert [s.name for s in doc.sections] == ["other", "methods"]


def test_pubmed_style_chrome_is_stripped() -> None:
    html = (
        "<html><body><div>Skip to main page content</div><div>An official website of the United States "
        "government</div><div>Full text links</div><h1>Metformin in type 2 diabetes</h1><h2>Abstract</h2>"
        "<p>Metformin lowered HbA1c by 1.1%.</p><div>PubMed Disclaimer</div><h2>Similar articles</h2>"
        "<p>Another article about insulin.</p></body></html>"
    )
    doc = read_html(Path("pubmed.html"), html.encode())
    assert doc.text == "Metformin in type 2 diabetes\n\nAbstract\nMetformin lowered HbA1c by 1.1%."
    assert any(w.startswith("W007") for w in doc.warnings)


def test_declared_charset_is_used_for_non_utf8_bytes() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 au lait \x96 42 \xb5g.</p></body></html>'
    doc = read_html(Path("legacy.html"), html.encode("latin-1"))
    assert doc.text == "Café au lait – 42 μg."
    assert any(w.startswith("W002") for w in doc.warnings)


def test_hostile_page_is_read_without_fetching_or_recursing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    deep = "<div>" * 5000 + "<p>Deep text survives.</p>" + "</div>" * 5000
    spans = "<tr>" + '<td colspan="99999999" rowspan="99999999">x' * 100  # 100 x 100 cells, each spanning
    html = (
        f'<html><body><iframe src="http://evil.invalid/"></iframe><img src="http://evil.invalid/x.png">'
        f'<script>fetch("http://evil.invalid")</script><object data="http://evil.invalid/a.swf"></object>'
        f"<p>{'&amp;' * 1000}<br>{'<br>' * 1000}</p>{deep}<table>{spans * 100}</table></body></html>"
    )
    doc = read_html(Path("evil.html"), html.encode())
    assert "Deep text survives." in doc.text and "fetch" not in doc.text
    assert max(len(row) for row in doc.tables[0].rows) <= 200 + 100  # spans stop at 200 columns


@pytest.mark.parametrize("data", [b"", b"  \n", b"<html><body><nav>Home</nav><script>x()</script></body></html>"])
def test_pages_without_article_text_are_empty(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        read_html(Path("empty.html"), data)


def test_load_document_reads_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.htm"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_document(path)
    assert doc.source.format is SourceFormat.html and len(doc.tables) == 1
