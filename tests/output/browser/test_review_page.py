"""The review page in a real browser (Debian's headless chromium, driven over the DevTools protocol).

Checked from the DOM after the page's script ran: every item row reaches highlighted marks whose text is its
evidence; a click scrolls to and flashes the evidence; hostile article text stays inert; nothing is fetched.
Skips when chromium is absent (CI: `apt-get install -y chromium`). Screenshots go to tests/output/browser/artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from extractor import Extractor, render
from extractor.record import AdverseEvent, ArticleRecord, Dose, Drug, LabValue, Outcome, Span
from tests.output.browser.cdp import Browser
from tests.output.test_frames import make_record, span_of

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "corpus" / "seeds" / "000_0a971266401ee98e.txt"
GOLD = ROOT / "corpus" / "gold" / "000_0a971266401ee98e.json"
ARTIFACTS = Path(__file__).parent / "artifacts"
GOLD_MODELS: dict[str, type[BaseModel]] = {
    "doses": Dose,
    "outcomes": Outcome,
    "adverse_events": AdverseEvent,
    "lab_values": LabValue,
}

# What the page shows for every item row: the text of each evidence range it links to (fragments joined),
# whether the range's id sits on its first fragment, whether every fragment is painted and laid out.
ROWS_JS = """
Array.from(document.querySelectorAll("tr.item")).map((row) => ({
  row: row.id.slice(4),
  link: row.querySelector("a") ? row.querySelector("a").getAttribute("href") : null,
  evs: (row.dataset.ev || "").split(" ").filter(Boolean).map((ev) => {
    const parts = Array.from(document.querySelectorAll('mark.ev[data-ev="' + ev + '"]'));
    return {
      ev: ev,
      text: parts.map((m) => m.textContent).join(""),
      first: document.getElementById("ev-" + ev) === parts[0],
      painted: parts.every((m) => getComputedStyle(m).backgroundColor !== "rgba(0, 0, 0, 0)"
        && m.getClientRects().length > 0),
    };
  }),
}))
"""
IN_VIEW_JS = """
((el) => {
  const r = el.getBoundingClientRect(), pane = document.getElementById("text").getBoundingClientRect();
  return r.top >= pane.top && r.bottom <= pane.bottom && r.bottom <= innerHeight;
})(document.getElementById("ev-%s"))
"""
FIRST_LINE_JS = """
((el) => { el.scrollIntoView({block: "center"}); const r = el.getClientRects()[0];
  return [r.left + 4, r.top + r.height / 2]; })(document.querySelector(%s))
"""
CENTER_JS = """
((el) => { el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2]; })(document.querySelector(%s))
"""


def with_gold_items(record: ArticleRecord) -> ArticleRecord:
    """The extracted record plus the gold items whose evidence appears in its text, so the page holds every
    category, crossing and nested ranges whatever the extractors find today."""
    assert record.text is not None
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    added: dict[str, list[Any]] = {}
    for category, model in GOLD_MODELS.items():
        items = list(getattr(record, category))
        for entry in gold[category]:
            found = re.search(r"\s+".join(map(re.escape, entry["text"].split())), record.text)
            if found:
                span = Span(text=found.group(), start=found.start(), end=found.end())
                fields = {key: value for key, value in entry.items() if key in model.model_fields}
                items.append(model.model_validate(fields | {"span": span}))
        added[category] = items
    return record.model_copy(update=added)


def expected_rows(record: ArticleRecord) -> dict[str, list[str]]:
    rows = {f"drugs-{i}": [m.text for m in drug.mentions] for i, drug in enumerate(record.drugs)}
    for category in ("doses", "outcomes", "adverse_events", "lab_values", "trials"):
        rows |= {f"{category}-{i}": [item.span.text] for i, item in enumerate(getattr(record, category))}
    return rows


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (Debian/Ubuntu CI: apt-get install -y chromium)")
    with Browser(executable, tmp_path_factory.mktemp("chromium-profile")) as opened:
        yield opened


@pytest.fixture(scope="module")
def seed_page(browser: Browser, extractor: Extractor) -> ArticleRecord:
    record = with_gold_items(extractor.extract_file(SEED))
    ARTIFACTS.mkdir(exist_ok=True)
    page = ARTIFACTS / "review_000.html"
    render(record, page)
    browser.open(page.as_uri())
    assert browser.requested_urls() == [page.as_uri()], "the page fetched something besides itself"
    return record


def wait_until(browser: Browser, expression: str, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if browser.evaluate(expression):
            return True
        time.sleep(0.05)
    return False


def test_every_item_row_reaches_painted_marks_with_its_evidence_text(
    browser: Browser, seed_page: ArticleRecord
) -> None:
    counts = seed_page.counts()
    assert counts["drugs"] >= 5 and min(counts[c] for c in GOLD_MODELS) >= 1, counts
    shown = {row["row"]: row for row in browser.evaluate(ROWS_JS)}
    expected = expected_rows(seed_page)
    assert set(shown) == set(expected)
    for row, texts in expected.items():
        evs = shown[row]["evs"]
        assert [ev["text"] for ev in evs] == texts, row
        assert all(ev["first"] and ev["painted"] for ev in evs), row
        assert shown[row]["link"] == f"#ev-{evs[0]['ev']}", row


def test_clicking_an_item_scrolls_to_and_flashes_its_evidence(browser: Browser, seed_page: ArticleRecord) -> None:
    # the lab value read last in the text: far below the first screen
    index = max(range(len(seed_page.lab_values)), key=lambda i: seed_page.lab_values[i].span.start)
    row = f"lab_values-{index}"
    ev = browser.evaluate(f'document.getElementById("row-{row}").dataset.ev')
    assert not browser.evaluate(IN_VIEW_JS % ev), "evidence already on screen: the test would prove nothing"
    browser.click(*browser.evaluate(CENTER_JS % json.dumps(f"#row-{row} td:nth-child(2)")))
    flashed = f'document.getElementById("ev-{ev}").classList.contains("flash")'
    assert wait_until(browser, flashed + f' && document.getElementById("ev-{ev}").classList.contains("is-target")')
    assert wait_until(browser, IN_VIEW_JS % ev)
    assert browser.evaluate(f'document.getElementById("row-{row}").classList.contains("is-selected")')
    assert browser.evaluate("location.hash") == f"#ev-{ev}"
    time.sleep(0.3)  # mid-flash, for the screenshot
    browser.screenshot(ARTIFACTS / "review_000.png")


def test_clicking_a_drug_again_goes_to_its_next_mention(browser: Browser, seed_page: ArticleRecord) -> None:
    index = next(i for i, drug in enumerate(seed_page.drugs) if len(drug.mentions) >= 2)
    evs = browser.evaluate(f'document.getElementById("row-drugs-{index}").dataset.ev').split()
    target = 'document.querySelector("mark.is-target").dataset.ev'
    for expected in evs[:2]:
        browser.click(*browser.evaluate(CENTER_JS % json.dumps(f"#row-drugs-{index} td:nth-child(2)")))
        assert wait_until(browser, f"{target} === {json.dumps(expected)}")


def test_clicking_evidence_selects_its_item_rows(browser: Browser, seed_page: ArticleRecord) -> None:
    ev = browser.evaluate('document.querySelector("mark.ev.c-lab_values").dataset.ev')
    rows = browser.evaluate(f'document.getElementById("ev-{ev}").dataset.rows').split()
    browser.click(*browser.evaluate(FIRST_LINE_JS % json.dumps(f"#ev-{ev}")))  # its first letters: no nested mark
    assert wait_until(
        browser, " && ".join(f'document.getElementById("row-{r}").classList.contains("is-selected")' for r in rows)
    )


def test_legend_hides_a_category_without_touching_the_text(browser: Browser, seed_page: ArticleRecord) -> None:
    before = browser.evaluate('document.getElementById("text").textContent')
    browser.click(*browser.evaluate(CENTER_JS % json.dumps('.legend input[data-category="drugs"]')))
    assert wait_until(browser, 'document.body.classList.contains("hide-drugs")')
    background = 'getComputedStyle(document.querySelector("mark.c-drugs")).backgroundColor'
    assert browser.evaluate(background) == "rgba(0, 0, 0, 0)"
    assert browser.evaluate('document.getElementById("text").textContent') == before == seed_page.text
    browser.click(*browser.evaluate(CENTER_JS % json.dumps('.legend input[data-category="drugs"]')))
    assert wait_until(browser, '!document.body.classList.contains("hide-drugs")')


def test_hostile_article_text_stays_inert(browser: Browser, tmp_path: Path) -> None:
    text = 'Results <script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"> everolimus 10 mg daily'
    record = make_record(
        text,
        doc_id="hostile",
        title="<script>window.pwned = 3</script>",
        drugs=[Drug(name="everolimus", mentions=[span_of(text, "everolimus")])],
        doses=[Dose(drug="everolimus", amount=10, unit="mg", span=span_of(text, '<img src="x" onerror'))],
    )
    page = tmp_path / "hostile.html"
    render(record, page)
    browser.open(page.as_uri())
    assert browser.evaluate("typeof window.pwned") == "undefined"
    assert browser.evaluate("document.scripts.length") == 1
    assert browser.evaluate('document.querySelectorAll("#text img, #text script").length') == 0
    assert browser.evaluate('document.getElementById("text").textContent') == text
    assert browser.evaluate("document.title") == "<script>window.pwned = 3</script>"
    assert browser.requested_urls() == [page.as_uri()]
