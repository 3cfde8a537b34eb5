"""Saved article web pages (publisher, PMC, PubMed pages saved as .html): the article, not the site around it.

Why a small `html.parser` extractor and not trafilatura (tried 2.3.1: Apache-2.0, fetches nothing when given a
string): it pulls in 16 packages (~70 MB: lxml, dateparser, babel, regex, justext, tld under MPL/GPL/LGPL ...),
gives no offsets back to the page, and on a saved article page it dropped the figure captions, read the table
caption as a header row and glued superscript citations to words ("inhibitor1"). Saved article pages mark their
content (`<article>`, `<main>`), so their structure is enough: keep the largest `<article>` (else `<main>`, else
`<body>`), drop site chrome (`<nav>`, `<aside>`, `<footer>`, `<form>`, scripts, styles, hidden elements, ARIA
navigation/banner/contentinfo roles, cookie and consent banners, and `<header>` outside the article), turn block
elements into lines, then `strip_boilerplate` drops what is left of PubMed-style chrome. Nothing is fetched:
scripts are not run, images, stylesheets and links are not followed.

Layout and sections follow the JATS reader (`MarkupWriter`): the first `<h1>` is the title, the shallowest
heading level below it names sections with `classify_heading` (else "other"), deeper headings keep their
section's name; `<table>`s become `Table`s and, with `<figure>` captions, are written after the body, just
before the references. A table's label ("Table 2") is read from its caption, which keeps it.

Offsets point into the decoded HTML: every word maps to where it starts in the page.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from extractor.errors import EmptyInput, Warn
from extractor.ingest.clean import SourceLine
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.front_matter import DOI, YEAR
from extractor.ingest.markup import (
    SOFT_SPACE,
    Block,
    Cell,
    Piece,
    decode_markup,
    span_attr,
    words,
    write_blocks,
)
from extractor.ingest.webpage import strip_boilerplate
from extractor.record import SourceFormat

_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_DROP = frozenset(
    {
        "head",
        "nav",
        "aside",
        "footer",
        "script",
        "style",
        "form",
        "noscript",
        "template",
        "svg",
        "button",
        "select",
        "iframe",
        "object",
        "embed",
        "canvas",
        "dialog",
    }
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_CHROME = re.compile(r"(?:^|[\s_-])(?:cookies?|consent|gdpr|breadcrumbs?|skip-?links?|advert\w*)(?:$|[\s_-])", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "hr",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "body",
        "html",
        *_HEADINGS,
    }
)
# A start tag closes the open elements it cannot sit in ("<li>" ends the previous "<li>", any block ends a "<p>").
_IMPLIED_END = {
    "li": {"li", "p"},
    "dt": {"dt", "dd", "p"},
    "dd": {"dt", "dd", "p"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "thead": {"thead", "tbody", "tr", "td", "th"},
    "tbody": {"thead", "tbody", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tr", "td", "th"},
}
_MAX_DEPTH = 150  # deeper (unclosed) elements are kept as siblings: content stays, recursion stays bounded
_META = frozenset(
    {
        "citation_title",
        "citation_doi",
        "citation_pmid",
        "citation_journal_title",
        "citation_publication_date",
        "dc.identifier",
    }
)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | Piece] = field(default_factory=list)


def read_html(path: Path, data: bytes) -> Document:
    if not data.strip():
        raise EmptyInput(f"{path}: empty file")
    raw, warnings = decode_markup(data, str(path), _CHARSET)
    root = _TreeBuilder(raw).build()
    content, in_article = _content_root(root)
    blocks = _Walker(keep_header=in_article).blocks(content)
    blocks, dropped = _without_boilerplate(blocks)
    if dropped:
        warnings.append(Warn.W007.format(lines=dropped))
    source = SourceInfo(path=str(path), format=SourceFormat.html, sha256=hashlib.sha256(data).hexdigest())
    title = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
    return write_blocks(blocks, title, default_top=2).document(source, _metadata(root), warnings)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree of the page; text keeps its offsets in `raw` (character references are
    decoded one by one, so each knows where it stood)."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.root = _Node("#document", {})
        self.stack = [self.root]

    def build(self) -> _Node:
        self.feed(self.raw)
        self.close()
        return self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = _IMPLIED_END.get(tag, {"p"} if tag in _BLOCKS else set())
        while len(self.stack) > 1 and self.stack[-1].tag in closes:
            self.stack.pop()
        node = _Node(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append((data, self._offset()))

    def handle_entityref(self, name: str) -> None:
        self._reference(name)

    def handle_charref(self, name: str) -> None:
        self._reference("#" + name)

    def _reference(self, name: str) -> None:
        start = self._offset()
        end = start + 1 + len(name)
        end += self.raw.startswith(";", end)
        self.stack[-1].children.append((html.unescape(self.raw[start:end]), start))

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column


def _nodes(root: _Node) -> list[_Node]:
    """Every element under root, in document order (iteratively: pages can be deep)."""
    found: list[_Node] = []
    todo = [root]
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(reversed([c for c in node.children if isinstance(c, _Node)]))
    return found


def _text_length(node: _Node) -> int:
    return sum(
        len(c[0].strip()) for n in _nodes(node) if n.tag not in _DROP for c in n.children if isinstance(c, tuple)
    )


def _content_root(root: _Node) -> tuple[_Node, bool]:
    """The largest <article>, else the largest <main>, else <body>; and whether it was an article or main."""
    nodes = _nodes(root)
    for wanted in ({"article"}, {"main"}):
        found = [n for n in nodes if n.tag in wanted or ("main" in wanted and n.attrs.get("role") == "main")]
        if found:
            return max(found, key=_text_length), True
    return next((n for n in nodes if n.tag == "body"), root), False


def _dropped(node: _Node, keep_header: bool) -> bool:
    attrs = node.attrs
    return (
        node.tag in _DROP
        or (node.tag == "header" and not keep_header)
        or "hidden" in attrs
        or attrs.get("aria-hidden") == "true"
        or attrs.get("role") in _DROP_ROLES
        or bool(_HIDDEN_STYLE.search(attrs.get("style", "")))
        or bool(_CHROME.search(f"{attrs.get('class', '')} {attrs.get('id', '')}"))
    )


class _Walker:
    """The content root as blocks: headings, paragraphs (inline text between block boundaries), floats."""

    def __init__(self, keep_header: bool) -> None:
        self.keep_header = keep_header
        self.out: list[Block] = []
        self.pending: list[Piece] = []

    def blocks(self, root: _Node) -> list[Block]:
        self._walk(root)
        self._flush()
        return self.out

    def _walk(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, tuple):
                self.pending.append(child)
            elif not _dropped(child, self.keep_header):
                self._element(child)

    def _element(self, node: _Node) -> None:
        tag = node.tag
        if tag == "br":
            self.pending.append(SOFT_SPACE)
        elif tag not in _BLOCKS:
            if _is_citation(node):
                self.pending.append(SOFT_SPACE)
            self._walk(node)  # inline: its text joins the current paragraph
        elif tag in _HEADINGS:
            self._emit(Block("heading", self._inline(node), level=int(tag[1])))
        elif tag == "table" and not _is_layout(node):
            self._emit(self._table(node, self._inline(_child(node, "caption"))))
        elif tag == "figure":
            self._figure(node)
        else:
            self._flush()
            self._walk(node)
            self._flush()

    def _figure(self, node: _Node) -> None:
        """A <figure>: a table with the figure's caption and the figure's other text as its notes, or a figure
        caption."""
        table = next((n for n in _nodes(node) if n.tag == "table"), None)
        figcaption = next((n for n in _nodes(node) if n.tag == "figcaption"), None)
        caption = self._inline(figcaption)
        if table is not None and not _is_layout(table):
            notes = [
                self._inline(child)
                for child in node.children
                if isinstance(child, _Node)
                and not _dropped(child, self.keep_header)
                and not any(n is table or n is figcaption for n in _nodes(child))
            ]
            block = self._table(table, caption or self._inline(_child(table, "caption")))
            block.notes += [note for note in notes if words(note)]
            self._emit(block)
        else:
            self._emit(Block("figure", caption))

    def _table(self, table: _Node, caption: list[Piece]) -> Block:
        """Rows of <thead>, then the body's; the rows of <tfoot> are the table's notes."""
        parts: dict[str, list[_Node]] = {"thead": [], "tbody": [], "tfoot": []}
        for child in table.children:
            if isinstance(child, _Node) and child.tag in parts:
                parts[child.tag] += [tr for tr in _nodes(child) if tr.tag == "tr"]
            elif isinstance(child, _Node) and child.tag == "tr":
                parts["tbody"].append(child)
        if not any(parts.values()):  # rows under other wrappers: all rows in document order
            parts["tbody"] = [tr for tr in _nodes(table) if tr.tag == "tr"]
        rows = [
            [self._cell(td) for td in tr.children if isinstance(td, _Node) and td.tag in ("td", "th")]
            for tr in parts["thead"] + parts["tbody"]
        ]
        header = len(parts["thead"]) or _th_rows(parts["tbody"])
        notes = [self._inline(tr) for tr in parts["tfoot"]]
        return Block("table", caption, cells=rows, header_rows=header or None, notes=notes)

    def _cell(self, td: _Node) -> Cell:
        return self._inline(td), span_attr(td.attrs.get("rowspan")), span_attr(td.attrs.get("colspan"))

    def _emit(self, block: Block) -> None:
        self._flush()
        self.out.append(block)

    def _flush(self) -> None:
        if words(self.pending):
            self.out.append(Block("paragraph", self.pending))
        self.pending = []

    def _inline(self, node: _Node | None) -> list[Piece]:
        """All text under node, with a soft space wherever a block element or <br> breaks it."""
        out: list[Piece] = []
        for child in node.children if node is not None else ():
            if isinstance(child, tuple):
                out.append(child)
            elif not _dropped(child, self.keep_header):
                breaks = child.tag in _BLOCKS or child.tag == "br"
                before = breaks or _is_citation(child)
                out += [SOFT_SPACE] * before + self._inline(child) + [SOFT_SPACE] * breaks
        return out


def _th_rows(rows: list[_Node]) -> int:
    """Leading rows of <th> cells only: a header without <thead>."""
    count = 0
    for tr in rows:
        cells = [c for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")]
        if not cells or any(c.tag != "th" for c in cells):
            break
        count += 1
    return count


def _child(node: _Node, tag: str) -> _Node | None:
    return next((c for c in node.children if isinstance(c, _Node) and c.tag == tag), None)


def _is_citation(node: _Node) -> bool:
    """A superscript link into the page ("inhibitor<sup><a href="#b1">1</a></sup>"): set off by a space."""
    return node.tag == "sup" and any(n.tag == "a" and n.attrs.get("href", "").startswith("#") for n in _nodes(node))


def _is_layout(table: _Node) -> bool:
    """A table used for page layout (holds another table or headings): read as flow, not as data."""
    return any(n.tag == "table" or n.tag in _HEADINGS for n in _nodes(table)[1:])


def _without_boilerplate(blocks: list[Block]) -> tuple[list[Block], int]:
    """`strip_boilerplate` on the blocks' lines (PubMed-style chrome that semantic tags did not mark)."""
    # A line's `start` holds its block's index, to map the kept lines back to blocks.
    lines = [SourceLine(" ".join(w for w, _ in words(b.pieces)), i) for i, b in enumerate(blocks)]
    kept, dropped = strip_boilerplate(lines)
    return [blocks[line.start] for line in kept], dropped


def _metadata(root: _Node) -> dict[str, Any]:
    """citation_* and dc.identifier <meta> tags (Highwire/Google Scholar tags most publishers emit)."""
    metas: dict[str, str] = {}
    for node in _nodes(root):
        name = node.attrs.get("name", "").lower()
        if node.tag == "meta" and name in _META:
            metas.setdefault(name, " ".join(node.attrs.get("content", "").split()))
    doi = DOI.search(metas.get("citation_doi", "")) or DOI.search(metas.get("dc.identifier", ""))
    year = YEAR.search(metas.get("citation_publication_date", ""))
    pmid = metas.get("citation_pmid", "")
    found = {
        "title": metas.get("citation_title"),
        "doi": doi.group(1).rstrip(".,;)") if doi else None,
        "pmid": pmid if pmid.isdigit() else None,
        "journal": metas.get("citation_journal_title"),
        "year": int(year.group()) if year else None,
    }
    return {key: value for key, value in found.items() if value}
