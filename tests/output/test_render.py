"""Review pages and the notebook summary: highlighting that keeps every span visible, escaping, self-containment."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.output.render import NoText, collect_marks, describe, highlight, render, summary_html, write_pages
from extractor.record import AdverseEvent, ArticleRecord, Dose, Drug, LabValue, Outcome
from tests.output.test_frames import make_record, span_of

# corpus/seeds/000_0a971266401ee98e.txt, lines 88-92 (verbatim): the two CA15-3 values' evidence (gold) cross.
CASE = (
    "same as the baseline, and serum CA15-3 levels decreased \n"
    "from 140.8 U/mL before everolimus administration to \n"
    "53.3 U/mL. However, in this period, the ulcer reached \n"
    "the sternum, and the patient’s body temperature rose to \n"
    "38.4\u00a0 °C. Ciprofloxacin did not alleviate the symptoms. \n"
)
# corpus/seeds/002_e5b7ac3fa1a98ba6.txt, lines 297-302 (verbatim): a flattened table; two outcomes share a cell.
TABLE = (
    "Tamoxifen 20 mg daily +  \neverolimus 10 mg daily or  \ntamoxifen 20 mg daily\n\n6 month CBR \n61% versus 42% \n"
)
HOSTILE = 'Results</title><script>alert("x")</script> <img src=x onerror="alert(1)"> & everolimus 10 mg'


def case_record() -> ArticleRecord:
    t = CASE
    return make_record(
        t,
        doc_id="case",
        title="Sternal osteomyelitis <during> everolimus",
        drugs=[Drug(name="everolimus", mentions=[span_of(t, "everolimus")])],
        lab_values=[
            LabValue(
                analyte="ca 15-3",
                value=140.8,
                unit="U/mL",
                span=span_of(t, "serum CA15-3 levels decreased \nfrom 140.8 U/mL before everolimus administration"),
            ),
            LabValue(
                analyte="ca 15-3",
                value=53.3,
                unit="U/mL",
                span=span_of(t, "before everolimus administration to \n53.3 U/mL"),
            ),
            LabValue(
                analyte="body temperature",
                value=38.4,
                unit="°C",
                span=span_of(t, "body temperature rose to \n38.4\u00a0 °C"),
            ),
        ],
        adverse_events=[AdverseEvent(event="fever", n=1, span=span_of(t, "body temperature rose to \n38.4\u00a0 °C"))],
    )


def table_record() -> ArticleRecord:
    t = TABLE
    return make_record(
        t,
        doc_id="table",
        drugs=[Drug(name="tamoxifen", mentions=[span_of(t, "Tamoxifen"), span_of(t, "tamoxifen")])],
        doses=[
            Dose(drug="tamoxifen", amount=20, unit="mg", frequency="daily", span=span_of(t, "tamoxifen 20 mg daily"))
        ],
        outcomes=[
            Outcome(
                endpoint="CBR",
                measure="rate",
                value=61,
                unit="%",
                arm="everolimus + tamoxifen",
                span=span_of(t, "6 month CBR \n61% versus 42%"),
            ),
            Outcome(
                endpoint="CBR",
                measure="rate",
                value=42,
                unit="%",
                arm="tamoxifen",
                span=span_of(t, "6 month CBR \n61% versus 42%"),
            ),
        ],
    )


def hostile_record() -> ArticleRecord:
    t = HOSTILE
    return make_record(
        t,
        doc_id="hostile",
        title='<script>alert("title")</script>',
        doses=[Dose(drug="everolimus", amount=10, unit="mg", span=span_of(t, "<script>alert"))],
    )


class MarkReader(HTMLParser):
    """What a browser would show: the plain text, the text inside each evidence range (fragments joined) and
    which ranges carry an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.texts: dict[str, str] = defaultdict(str)
        self.fragments: dict[str, int] = defaultdict(int)
        self.ids: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "mark", f"unexpected <{tag}> in the text"
        attributes = dict(attrs)
        ev = str(attributes["data-ev"])
        self.open.append(ev)
        self.fragments[ev] += 1
        if "id" in attributes:
            assert attributes["id"] == f"ev-{ev}"
            self.ids.append(ev)

    def handle_endtag(self, tag: str) -> None:
        assert tag == "mark" and self.open, "unbalanced </mark>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        for ev in set(self.open):
            self.texts[ev] += data


def read_marks(markup: str) -> MarkReader:
    reader = MarkReader()
    reader.feed(markup)
    reader.close()
    assert not reader.open, "marks left open"
    return reader


@pytest.mark.parametrize(
    ("record", "fragmented"),
    [(case_record(), 1), (table_record(), 0), (hostile_record(), 0)],
    ids=["crossing-and-identical", "table-shared-cell", "hostile"],
)
def test_every_range_is_one_highlight_with_its_exact_text(record: ArticleRecord, fragmented: int) -> None:
    assert record.text is not None
    marks, _ = collect_marks(record)
    reader = read_marks(highlight(record.text, marks))
    assert "".join(reader.plain) == record.text
    assert {str(m.ev): record.text[m.start : m.end] for m in marks} == dict(reader.texts)
    assert sorted(reader.ids, key=int) == [str(m.ev) for m in marks]  # exactly one id per range
    assert sum(count > 1 for count in reader.fragments.values()) == fragmented


def test_crossing_range_is_split_and_the_drug_inside_stays_highlighted() -> None:
    record = case_record()
    assert record.text is not None
    marks, rows = collect_marks(record)
    reader = read_marks(highlight(record.text, marks))
    (crossing,) = [ev for ev, count in reader.fragments.items() if count > 1]
    assert reader.texts[crossing] == "before everolimus administration to \n53.3 U/mL"
    drug = str(rows["drugs-0"][0])
    assert reader.texts[drug] == "everolimus" and reader.fragments[drug] == 1


def test_identical_ranges_merge_within_a_category_and_nest_across() -> None:
    table = table_record()
    marks, rows = collect_marks(table)
    assert rows["outcomes-0"] == rows["outcomes-1"]  # one mark, two rows
    case = case_record()
    assert case.text is not None
    marks, rows = collect_marks(case)
    markup = highlight(case.text, marks)
    outer, inner = rows["adverse_events-0"][0], rows["lab_values-2"][0]
    assert f'data-ev="{outer}"' in markup and re.search(f'data-ev="{outer}"[^>]*><mark [^>]*data-ev="{inner}"', markup)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            Dose(
                drug="tamoxifen", amount=20, unit="mg", frequency="daily", span=span_of(TABLE, "tamoxifen 20 mg daily")
            ),
            ("tamoxifen", ["amount 20", "unit mg", "frequency daily"]),
        ),
        (
            Dose(drug=None, amount=10, unit="mg", span=span_of(TABLE, "10 mg daily")),
            ("–", ["amount 10", "unit mg"]),
        ),
        (
            Drug(name="everolimus", mentions=[span_of(CASE, "everolimus")], ids={"drugbank": "DB01590"}, negated=True),
            ("everolimus", ["ids drugbank DB01590", "negated yes"]),
        ),
    ],
)
def test_describe_lists_the_set_fields(item: Dose | Drug, expected: tuple[str, list[str]]) -> None:
    assert describe(item) == expected


def test_page_escapes_article_text_and_runs_only_its_own_script() -> None:
    page = render(hostile_record())
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;</title>" in page
    scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in page


def test_page_is_self_contained() -> None:
    page = render(case_record())
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page


def test_item_rows_link_to_their_evidence() -> None:
    page = render(table_record())
    for row, evs in collect_marks(table_record())[1].items():
        assert re.search(f'<tr class="item" id="row-{row}"[^>]*data-ev="{" ".join(map(str, evs))}"', page)
        assert f'href="#ev-{evs[0]}"' in page


def test_record_without_text_gets_a_message_not_a_page(tmp_path: Path) -> None:
    record = case_record().model_copy(update={"text": None})
    with pytest.raises(NoText, match="--no-text"):
        render(record)
    written, skipped = write_pages([record, table_record()], tmp_path)
    assert [p.name for p in written] == ["table.html"] and "case" in skipped[0]
    assert 'href="table.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_render_writes_the_path_it_is_given(tmp_path: Path) -> None:
    page = render(table_record(), tmp_path / "review.html")
    assert (tmp_path / "review.html").read_text(encoding="utf-8") == page


def test_notebook_summary_shows_counts_and_first_items_escaped() -> None:
    record = case_record()
    html = record._repr_html_()
    assert html == summary_html(record)
    assert "Sternal osteomyelitis &lt;during&gt; everolimus" in html
    assert re.search(r"Lab values <b>3</b>", html) and re.search(r"Doses <b>0</b>", html)
    assert "<b>ca 15-3</b> value 140.8 · unit U/mL" in html
    assert "render(record, path)" in html


def test_render_command_writes_pages_and_reports_skips(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    no_text = hostile_record().model_copy(update={"text": None})
    lines = [table_record().model_dump_json(), no_text.model_dump_json()]
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["render", str(records), "-o", str(tmp_path / "review")])
    assert result.exit_code == 1
    assert "skipped: record hostile has no text" in result.output
    assert sorted(p.name for p in (tmp_path / "review").iterdir()) == ["index.html", "table.html"]
