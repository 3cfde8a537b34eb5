"""Review pages: an article's text with every evidence span highlighted, beside a table of its items.

A reviewer checks each extracted number against its sentence before it goes into a meta-analysis. `render`
writes one self-contained HTML file per record: inline CSS and JS from `templates/`, no external assets, every
text escaped, and a Content-Security-Policy that lets only the page's own script run (an article may contain
`<script>`). Evidence ranges become <mark> elements nested by containment; a range that crosses another is
split into fragments sharing its `data-ev` (the first carries the id), so every range stays visible.
`summary_html` is the compact view Jupyter shows for an `ArticleRecord`: this module registers it with the
record (`ArticleRecord.use_html_view`), so the contract never imports its presentation.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

from pydantic import BaseModel

from extractor._version import __version__
from extractor.record import (
    CATEGORIES,
    AdverseEvent,
    Arm,
    ArticleRecord,
    Characteristic,
    Dose,
    Drug,
    LabValue,
    Outcome,
    Span,
    Trial,
)

Item = Drug | Dose | Outcome | AdverseEvent | LabValue | Trial | Arm | Characteristic

LABELS = {
    "drugs": "DRUG",
    "doses": "DOSE",
    "outcomes": "OUTCOME",
    "adverse_events": "AE",
    "lab_values": "LAB",
    "trials": "TRIAL",
    "arms": "ARM",
    "characteristics": "BASELINE",
}
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLORS = {
    "drugs": "#0072B2",
    "doses": "#009E73",
    "outcomes": "#E69F00",
    "adverse_events": "#D55E00",
    "lab_values": "#CC79A7",
    "trials": "#56B4E9",
    "arms": "#000000",
    "characteristics": "#F0E442",
}
# Identical ranges nest broad categories outside narrow ones: an outcome sentence around its trial name.
NESTING = ("outcomes", "characteristics", "adverse_events", "lab_values", "doses", "arms", "trials", "drugs")
QUOTE_CHARS = 110
SUMMARY_ITEMS = 3


class NoText(ValueError):
    """The record was written without its text (`extractor run --no-text`): there is nothing to highlight."""


@dataclass
class Mark:
    """One highlighted evidence range of one category, shared by every item read from it."""

    ev: int
    start: int
    end: int
    category: str
    rows: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def title_of(category: str) -> str:
    return category.replace("_", " ").capitalize()


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{key} {val}" for key, val in value.items())
    return "yes" if value is True else str(value)


def describe(item: BaseModel) -> tuple[str, list[str]]:
    """(headline, facts) of an item: its first field (drug, endpoint, event, analyte, name), then every other
    field that is set, as 'field value'; what a reviewer compares with the evidence."""
    data = item.model_dump(mode="json", exclude={"span", "mentions"})
    head, *rest = data.items()
    facts = [f"{key.replace('_', ' ')} {_value(value)}" for key, value in rest if value not in (None, {}, False)]
    return ("–" if head[1] is None else _value(head[1])), facts


def evidence(item: Item) -> list[Span]:
    """The spans an item was read from (a drug's mentions), without empty ones: nothing to highlight there."""
    spans = item.mentions if isinstance(item, Drug) else [item.span]
    return [span for span in spans if span.end > span.start]


def collect_marks(record: ArticleRecord) -> tuple[list[Mark], dict[str, list[int]]]:
    """The distinct evidence ranges per category, and the marks of each item row ("doses-0" -> [ev, ...])."""
    marks: dict[tuple[int, int, str], Mark] = {}
    row_marks: dict[str, list[int]] = {}
    for category in CATEGORIES:
        for index, item in enumerate(getattr(record, category)):
            row = f"{category}-{index}"
            head, facts = describe(item)
            row_marks[row] = []
            for span in evidence(item):
                key = (span.start, span.end, category)
                mark = marks.setdefault(key, Mark(len(marks), span.start, span.end, category))
                mark.rows.append(row)
                mark.notes.append(" · ".join([f"{LABELS[category]} {head}", *facts]))
                row_marks[row].append(mark.ev)
    return list(marks.values()), row_marks


def _open_tag(mark: Mark, first: bool) -> str:
    ident = f' id="ev-{mark.ev}"' if first else ""
    fragment = "" if first else " frag"
    rows = " ".join(mark.rows)
    notes = escape("\n".join(dict.fromkeys(mark.notes)))
    return (
        f'<mark class="ev c-{mark.category}{fragment}"{ident} data-ev="{mark.ev}" '
        f'data-label="{LABELS[mark.category]}" data-rows="{rows}" title="{notes}">'
    )


def highlight(text: str, marks: list[Mark]) -> str:
    """`text` escaped, with a <mark> per range nested by containment. At each boundary the marks ending there
    close (with any that cross them, which reopen as fragments), then the marks starting there open, longest
    first, so the HTML is always well nested."""
    starting: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        starting[mark.start].append(mark)
    points = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    for here, after in zip(points, [*points[1:], None], strict=True):
        reopen: list[Mark] = []
        while any(mark.end == here for mark in stack):
            mark = stack.pop()
            out.append("</mark>")
            if mark.end != here:
                reopen.append(mark)
        for mark in sorted(reopen + starting[here], key=lambda m: (-m.end, NESTING.index(m.category))):
            out.append(_open_tag(mark, first=mark.ev not in opened))
            opened.add(mark.ev)
            stack.append(mark)
        if after is not None:
            out.append(escape(text[here:after]))
    return "".join(out)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _where(span: Span) -> str:
    place = " ".join(part for part in (span.section, f"p. {span.page}" if span.page else None) if part)
    return f" <small>{escape(place)}</small>" if place else ""


def _item_row(category: str, index: int, item: Item, evs: list[int]) -> str:
    head, facts = describe(item)
    row = f"{category}-{index}"
    spans = evidence(item)
    if not spans:
        where = '<td class="where">no evidence span</td>'
    else:
        quote = escape(_quote(spans[0].text))
        plural = "s" if len(spans) > 1 else ""
        count = f" <small>{len(spans)} mention{plural}</small>" if category == "drugs" else ""
        where = f'<td class="where"><a href="#ev-{evs[0]}">“{quote}”</a>{count}{_where(spans[0])}</td>'
    data_ev = f' data-ev="{" ".join(map(str, evs))}"' if evs else ""
    return (
        f'<tr class="item" id="row-{row}" data-category="{category}" data-index="{index}"{data_ev}>'
        f'<td class="idx">{index + 1}</td><td><b>{escape(head)}</b> '
        f'<span class="facts-list">{escape(" · ".join(facts))}</span></td>{where}</tr>'
    )


def items_panel(record: ArticleRecord, row_marks: dict[str, list[int]]) -> str:
    """One table per category; each row links to its evidence marks."""
    sections = []
    for category in CATEGORIES:
        items = getattr(record, category)
        rows = [_item_row(category, i, item, row_marks[f"{category}-{i}"]) for i, item in enumerate(items)]
        body = "".join(rows) or '<tr><td class="none" colspan="3">none found</td></tr>'
        sections.append(
            f'<section class="cat c-{category}" id="items-{category}"><h2>{title_of(category)} '
            f'<span class="n">{len(items)}</span></h2><table><tbody>{body}</tbody></table></section>'
        )
    return "\n".join(sections)


def palette_css() -> str:
    """The category colours as CSS custom properties: --c for lines and labels, --bg (translucent) for fills."""
    return "".join(f".c-{cat} {{ --c: {color}; --bg: {color}2e; }}\n" for cat, color in COLORS.items())


def _facts(record: ArticleRecord) -> str:
    meta = record.metadata
    parts = [record.doc_id, meta.article_type, meta.year, meta.journal, meta.doi and f"doi:{meta.doi}"]
    parts.append(record.source.path)
    return " · ".join(escape(str(part)) for part in parts if part)


def _legend(record: ArticleRecord) -> str:
    return "".join(
        f'<label class="chip c-{category}"><input type="checkbox" checked data-category="{category}">'
        f"{LABELS[category]} <b>{count}</b></label>"
        for category, count in record.counts().items()
    )


def _asset(name: str) -> str:
    return files("extractor.output").joinpath("templates", name).read_text(encoding="utf-8")


def render(record: ArticleRecord, path: str | Path | None = None) -> str:
    """The record's review page as HTML (also written to `path` when given). Raises NoText for a record
    written with --no-text."""
    if record.text is None:
        raise NoText(
            f"record {record.doc_id} has no text (written with --no-text): "
            "run `extractor run` again without --no-text to review its evidence"
        )
    marks, row_marks = collect_marks(record)
    script = _asset("review.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    page = Template(_asset("review.html")).substitute(
        title=escape(record.metadata.title or record.doc_id),
        version=__version__,
        facts=_facts(record),
        legend=_legend(record),
        text=highlight(record.text, marks),
        items=items_panel(record, row_marks),
        style=palette_css() + _asset("review.css"),
        script=script,
        script_hash=f"sha256-{digest}",
    )
    if path is not None:
        Path(path).write_text(page, encoding="utf-8")
    return page


def _safe_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", doc_id) or "record"


def write_pages(records: Iterable[ArticleRecord], folder: Path) -> tuple[list[Path], list[str]]:
    """One review page per record (folder/DOC_ID.html) and an index.html linking them; returns the pages
    written and a message per record skipped for lack of text."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    skipped: list[str] = []
    links: list[str] = []
    for record in records:
        target = folder / f"{_safe_name(record.doc_id)}.html"
        try:
            render(record, target)
        except NoText as err:
            skipped.append(str(err))
            continue
        written.append(target)
        counts = ", ".join(f"{title_of(c).lower()} {n}" for c, n in record.counts().items())
        title = escape(record.metadata.title or record.doc_id)
        links.append(f'<li><a href="{escape(target.name)}">{title}</a> <small>{escape(counts)}</small></li>')
    index = "\n".join(_index_lines(links))
    (folder / "index.html").write_text(index, encoding="utf-8")
    return written, skipped


def _index_lines(links: list[str]) -> Iterator[str]:
    yield '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    yield "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    yield "<title>Review pages</title><style>body{font:14px/1.5 system-ui,sans-serif;margin:2rem}</style></head>"
    yield f"<body><h1>Review pages</h1><ol>{''.join(links)}</ol></body></html>"


def summary_html(record: ArticleRecord) -> str:
    """Jupyter's view of a record: title, type, counts per category and the first few items with their
    evidence. Inline styles only, so nothing leaks into the notebook's own CSS."""
    meta = record.metadata
    head = escape(meta.title or record.doc_id)
    facts = " · ".join(escape(str(p)) for p in (record.doc_id, meta.article_type, meta.year, meta.journal) if p)
    cells = "".join(
        f'<td style="padding:2px 8px;border-bottom:3px solid {COLORS[c]}">{title_of(c)} <b>{n}</b></td>'
        for c, n in record.counts().items()
    )
    lines = []
    for category in CATEGORIES:
        for item in getattr(record, category)[:SUMMARY_ITEMS]:
            name, details = describe(item)
            spans = evidence(item)
            quote = f' <i style="color:#666">“{escape(_quote(spans[0].text))}”</i>' if spans else ""
            label = f'<span style="color:{COLORS[category]};font-weight:600">{LABELS[category]}</span>'
            lines.append(f"<li>{label} <b>{escape(name)}</b> {escape(' · '.join(details))}{quote}</li>")
    note = "render(record, path) writes the full review page" if record.text else "no text kept (--no-text)"
    warnings = f"<div>warnings: {escape('; '.join(record.warnings))}</div>" if record.warnings else ""
    return (
        f'<div style="font:13px/1.45 system-ui,sans-serif"><div style="font-size:1.1em"><b>{head}</b></div>'
        f'<div style="color:#555">{facts}</div><table style="border-collapse:collapse;margin:4px 0"><tr>{cells}</tr>'
        f'</table><ul style="margin:4px 0;padding-left:1.2em">{"".join(lines)}</ul>{warnings}'
        f'<div style="color:#888;font-size:.9em">{escape(note)}</div></div>'
    )


ArticleRecord.use_html_view(summary_html)
