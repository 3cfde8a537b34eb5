"""JATS XML articles (PMC, Europe PMC, publishers): the structure the article states, not one read from its text.

Safety: parsed with defusedxml. A DOCTYPE line is allowed (every PMC file has one; no DTD is ever loaded or
fetched), entity declarations and external references are refused: billion-laughs and XXE raise `MarkupError`.

Text order: title, abstract(s), body, back matter (acknowledgements, notes, footnotes), then the floats (figure
captions and tables, in document order), then the references. Floats leave the prose flow so that body sections
stay contiguous, as they would in a reading order.

Sections: a top-level `<sec>` (or `<ack>`, `<app>`, `<fn-group>` ...) is named by `classify_heading` of its
title, else by its `sec-type`, else "other"; nested ones take their top-level section's name and keep their own
heading. Text before the first section (the title, body paragraphs outside any `<sec>`) is "other".

Flattened form, shared with the HTML reader (`MarkupWriter`): a heading is a line of its own; paragraphs are
separated by a blank line; a figure is a "figure_caption" section holding the line "label caption"; a table is a
"table" section: the line "label caption", one line per row with its non-empty cells joined by " | ", then
its footnotes one per line. `Table.rows` is the grid with row and column spans expanded ("" where a span
covers, rule-only rows left out); cell, caption and label strings are slices of `Document.text`. An image-only
table (no `<table>`, 66 of 485 in Evidence Inference) keeps its label and caption with no rows.

Offsets: the offset map points into the XML text (`data` decoded). Every word maps to where it starts in the
XML; inside a word that crosses a tag or a character reference (`&#x3bc;g`) characters map approximately.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from extractor.errors import EmptyInput, MarkupError, UnsupportedFormat, Warn
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.markup import SOFT_SPACE, MarkupWriter, Piece, Span, decode_markup, span_attr
from extractor.ingest.sections import classify_heading
from extractor.record import ArticleType, SectionName, SourceFormat

_XML_ENCODING = re.compile(rb"<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


# --- JATS ------------------------------------------------------------------------------------------------

# Elements whose boundaries are not word boundaries ("<italic>μ</italic>g/mL" is one word); at any other
# element's boundary a soft space keeps words apart ("<surname>Smith</surname><given-names>J").
_INLINE = frozenset(
    {
        "italic",
        "bold",
        "sup",
        "sub",
        "sc",
        "underline",
        "overline",
        "strike",
        "monospace",
        "roman",
        "sans-serif",
        "xref",
        "ext-link",
        "uri",
        "email",
        "named-content",
        "styled-content",
        "abbrev",
        "inline-formula",
        "inline-graphic",
        "private-char",
    }
)
_FLOATS = frozenset({"fig", "fig-group", "table-wrap", "table-wrap-group"})
_SKIPPED = frozenset({"ref-list", "title", "label", "sec-meta", "object-id", "graphic", "media"})
# Titled parts of the flow: each opens a section with its own heading.
_SECTIONS = frozenset({"sec", "ack", "app", "app-group", "notes", "glossary", "fn-group", "boxed-text"})
_CONTAINERS = frozenset({"list", "list-item", "disp-quote", "def-list", "statement", "verse-group", "speech"})
# Blocks that may sit inside a <p>: they end the paragraph and are written as blocks of their own.
_BLOCKS_IN_P = _CONTAINERS | {"boxed-text"}
_SEC_TYPES: dict[str, SectionName] = {
    "intro": "introduction",
    "materials": "methods",
    "subjects": "methods",
    "cases": "results",
    "case-report": "results",
}
_ARTICLE_TYPES = {
    "case-report": ArticleType.case_report,
    "review-article": ArticleType.review,
    "systematic-review": ArticleType.review,
}
_DATE_PREFERENCE = ("epub", "ppub", "epub-ppub", "collection")
_TAG = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
    r"|</(?P<end>[^\s>]+)\s*>"
    r"|<(?P<start>[^\s/>!?]+)(?:\s+[^\s=]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(?P<empty>/?)>",
    re.S,
)
_IN_TEXT = re.compile(r"&#?\w+;|<!\[CDATA\[(?P<cdata>.*?)\]\]>|<!--.*?-->|<\?.*?\?>", re.S)


def read_jats(path: Path, data: bytes) -> Document:
    """A JATS article, or JATS fragments: parts of an article (<abstract>, <sec>, <table-wrap> ...) side by side
    without an <article> root, as data sets ship abstract and results sections (read as the article they are
    parts of: see `_fragment_article`)."""
    if not data.strip():
        raise EmptyInput(f"{path}: empty file")
    raw, warnings = decode_markup(data, str(path), _XML_ENCODING)
    skipped = 0
    try:
        root, shift = _parse(raw, str(path))
    except _Refused as err:
        raise MarkupError(str(err)) from None
    except MarkupError:
        skipped = _well_formed_start(raw, str(path))
        if not skipped:
            raise
        root, shift = _parse(raw[skipped:], str(path))
        warnings.append(Warn.W009.format(chars=skipped))
    article = root if root.tag == "article" else root.find(".//article")
    if article is None:
        parts = list(root) if root.tag == _FRAGMENTS else [root]
        if not any(part.tag in _FRAGMENT_OPENERS for part in parts):
            raise UnsupportedFormat(f"{path}: XML but not a JATS article (root element <{root.tag}>)")
        article = _fragment_article(parts)
    parsed = raw[skipped:]
    try:
        index = _SourceIndex(_wrapped(parsed) if shift else parsed, root, shift - skipped)
        writer = _JatsReader(index, article).write()
    except RecursionError:
        raise MarkupError(f"{path}: elements nested too deeply") from None
    source = SourceInfo(path=str(path), format=SourceFormat.xml, sha256=hashlib.sha256(data).hexdigest())
    return writer.document(source, _metadata(article), warnings)


def _well_formed_start(raw: str, name: str, tries: int = 5) -> int:
    """Where well-formed fragments start after malformed text, or 0: a fragment file can begin with the cut-off
    end of another article's parts (seen in the Yun et al. 2024 files), then hold its own <abstract> and the
    rest. Only for fragments (no <article>), and only at the start of a later <abstract>."""
    if "<article" in raw:
        return 0
    for m in itertools.islice(re.finditer(r"<abstract[\s>]", raw[1:]), tries):
        try:
            _parse(raw[m.start() + 1 :], name)
        except (MarkupError, _Refused):
            continue
        return m.start() + 1
    return 0


def _parse(raw: str, name: str) -> tuple[Element, int]:
    """The element tree, namespaces dropped from tag names (MathML `mml:mi` -> `mi`), and how far the text was
    shifted to parse it: fragments (several top-level elements, or parts cut out of an article with the
    namespace declarations of its root left behind) are parsed inside a synthetic root (`_wrapped`)."""
    try:
        return _parsed(raw, name), 0
    except _Fragments:
        wrapped = _wrapped(raw)
        return _parsed(wrapped, name), len(_wrapper_tag())


class _Fragments(Exception):
    """The XML is parts of an article, not one."""


class _Refused(Exception):
    """Entity declarations or external references: refused (as a MarkupError), never read around."""


# expat's XML_ERROR_JUNK_AFTER_DOC_ELEMENT, XML_ERROR_UNBOUND_PREFIX
_FRAGMENT_ERRORS = frozenset({9, 27})
_FRAGMENTS = "jats-fragments"
# The namespaces an article's root declares and its parts use (xlink:href on every <graphic>, MathML).
_NAMESPACES = {
    "xlink": "http://www.w3.org/1999/xlink",
    "mml": "http://www.w3.org/1998/Math/MathML",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "ali": "http://www.niso.org/schemas/ali/1.0/",
}
# The top-level parts that make XML without an <article> root a JATS fragment ...
_FRAGMENT_OPENERS = frozenset({"abstract", "trans-abstract", "sec", "body"})
# ... and the prolog the synthetic root goes after (the XML declaration, comments, a DOCTYPE line).
_PROLOG = re.compile(r"\A(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*", re.S)


def _wrapper_tag() -> str:
    return f"<{_FRAGMENTS}" + "".join(f' xmlns:{k}="{v}"' for k, v in _NAMESPACES.items()) + ">"


def _wrapped(raw: str) -> str:
    """The fragments inside one synthetic root element that declares the JATS namespaces, after the prolog
    (where a DOCTYPE, and with it any entity declaration, stays and is refused as in any file). End tags that
    close nothing at the top level (a part cut out after its start tag) are blanked, offsets kept."""
    at = _PROLOG.match(raw)
    end = at.end() if at else 0
    body = raw[end:]
    depth = 0
    stray: list[tuple[int, int]] = []
    for m in _TAG.finditer(body):
        if m.group("start") is not None and not m.group("empty"):
            depth += 1
        elif m.group("end") is not None:
            if depth == 0:
                stray.append(m.span())
            depth = max(depth - 1, 0)
    for a, b in reversed(stray):
        body = body[:a] + " " * (b - a) + body[b:]
    return f"{raw[:end]}{_wrapper_tag()}{body}</{_FRAGMENTS}>"


def _parsed(raw: str, name: str) -> Element:
    try:
        root: Element = fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise _Refused(
            f"{name}: XML refused ({type(err).__name__}): entity declarations and external references are not allowed"
        ) from None
    except ParseError as err:
        if err.code in _FRAGMENT_ERRORS and not raw.rstrip().endswith(f"</{_FRAGMENTS}>"):
            raise _Fragments from None
        raise MarkupError(f"{name}: malformed XML ({err})") from None
    for el in root.iter():
        el.tag = el.tag.rpartition("}")[2]
    return root


def _fragment_article(parts: list[Element]) -> Element:
    """A synthetic <article> holding the fragments, so they are read as the article they come from: abstracts go
    to the front matter, the rest to the body; a bare <title> followed by <sec>s (a section whose own element
    was left out) becomes a section holding them, up to a <sec> whose title names a section of its own; a bare
    <table> with the <table-wrap-foot> after it becomes a table-wrap. The elements themselves are not copied,
    so their offsets in the source stay known."""
    article = Element("article")
    meta = SubElement(SubElement(article, "front"), "article-meta")
    body = SubElement(article, "body")
    group: Element | None = None  # the section a bare <title> opened
    wrap: Element | None = None  # the table-wrap a bare <table> opened
    for el in parts:
        if el.tag in ("abstract", "trans-abstract"):
            meta.append(el)
            continue
        if el.tag == "table-wrap-foot" and wrap is not None:
            wrap.append(el)
            continue
        wrap = None
        if el.tag == "title":
            group = SubElement(body, "sec")
            group.append(el)
        elif el.tag == "sec" and group is not None and classify_heading(_text(el.find("title")) or "") is None:
            group.append(el)
        elif el.tag == "table":
            wrap = SubElement(body, "table-wrap")
            wrap.append(el)
        elif el.tag in ("back", "floats-group"):
            article.append(el)
        elif el.tag == "body":
            body.extend(el)
        else:
            group = None if el.tag == "sec" else group
            body.append(el)
    return article


class _SourceIndex:
    """Where each element's text and tail lie in the XML text, found by walking its tags in document order.

    ElementTree keeps no positions; the tags of a well-formed file, read in order, match its elements one to
    one (checked by name). If they ever disagree, offsets fall back to 0 rather than point at the wrong text.
    """

    def __init__(self, raw: str, root: Element, shift: int = 0) -> None:
        self.raw = raw
        self.shift = shift  # what the text was shifted by to parse it (`_parse`): taken off every offset
        self.spans: dict[tuple[Element, bool], Span] = {}  # (element, is_tail) -> span in raw
        if not self._walk(root):
            self.spans = {}

    def _walk(self, root: Element) -> bool:
        elements = root.iter()
        opened: list[Element] = []
        key: tuple[Element, bool] | None = None  # the text run that the last tag started
        run_start = 0
        for m in _TAG.finditer(self.raw):
            start_tag, end_tag = m.group("start"), m.group("end")
            if start_tag is None and end_tag is None:
                continue  # comment, CDATA, processing instruction: inside a text run
            if key is not None:
                self.spans[key] = (run_start, m.start())
            if start_tag is not None:
                el = next(elements, None)
                if el is None or el.tag != start_tag.rpartition(":")[2]:
                    return False
                if not m.group("empty"):
                    opened.append(el)
                key = (el, bool(m.group("empty")))
            elif opened:
                key = (opened.pop(), True)
            else:
                return False
            run_start = m.end()
        return next(elements, None) is None and not opened

    def pieces(self, el: Element, tail: bool) -> list[Piece]:
        """The element's text (or tail) as runs with their XML offsets; a character reference is one run."""
        text = el.tail if tail else el.text
        if not text:
            return []
        span = self.spans.get((el, tail))
        if span is None:
            return [(text, 0)]
        start, end = span  # in the text as parsed
        out: list[Piece] = []
        pos = start
        for m in _IN_TEXT.finditer(self.raw, start, end):
            out.append((self.raw[pos : m.start()], pos))
            if m.group().startswith("&"):
                out.append((html.unescape(m.group()), m.start()))
            elif m.group("cdata") is not None:
                out.append((m.group("cdata"), m.start("cdata")))
            pos = m.end()
        out.append((self.raw[pos:end], pos))
        if "".join(t for t, _ in out) != text:
            out = [(text, start)]
        return [(t, at - self.shift) for t, at in out] if self.shift else out


class _JatsReader:
    """Walks one <article> into a MarkupWriter in reading order (see the module docstring)."""

    def __init__(self, source: _SourceIndex, article: Element) -> None:
        self.src = source
        self.article = article
        self.w = MarkupWriter()

    def write(self) -> MarkupWriter:
        meta = self.article.find("front/article-meta")
        self.w.section("other")
        if meta is not None:
            self.w.paragraph(self._pieces(meta.find("title-group/article-title")))
            for abstract in meta.findall("abstract"):
                self._section(abstract, "abstract")
        body, back, floats = (self.article.find(tag) for tag in ("body", "back", "floats-group"))
        for part in (body, back):
            if part is not None:
                self.w.section("other")
                self._flow(part, None)
        for part in (body, back, floats):
            for el in part.iter() if part is not None else ():
                if el.tag == "fig":
                    self.w.figure(self._pieces(el.find("label")), self._pieces(el.find("caption")))
                elif el.tag == "table-wrap":
                    self._table(el)
        self._references(back)
        return self.w

    def _section(self, el: Element, inherited: SectionName | None) -> None:
        title, label = el.find("title"), el.find("label")
        name = inherited or _section_name(_text(title), el.get("sec-type"))
        self.w.section(name, [*self._pieces(label), SOFT_SPACE, *self._pieces(title)])
        self._flow(el, name)

    def _flow(self, el: Element, name: SectionName | None) -> None:
        for child in el:
            self._block(child, name)

    def _block(self, el: Element, name: SectionName | None) -> None:
        if el.tag in _SECTIONS and el.get("sec-type") != "display-objects":  # that one only holds floats
            self._section(el, name)
        elif el.tag in _CONTAINERS or el.tag in _SECTIONS:
            self._flow(el, name)
        elif el.tag not in _FLOATS and el.tag not in _SKIPPED:
            out: list[Piece] = []
            self._collect(el, out, name)
            self.w.paragraph(out)

    def _table(self, wrap: Element) -> None:
        """A <table-wrap>: label, caption, the first <table>'s rows (an image-only table has none), the rows of its
        <thead> as the header, footnotes (<table-wrap-foot>: each <fn>, else each <p>)."""
        table = next(wrap.iter("table"), None)
        trs = list(table.iter("tr")) if table is not None else []
        rows = [
            [
                (self._pieces(cell), span_attr(cell.get("rowspan")), span_attr(cell.get("colspan")))
                for cell in tr
                if cell.tag in ("td", "th")
            ]
            for tr in trs
        ]
        head = table.find("thead") if table is not None else None
        header_rows = _header_rows(trs, set(head.iter("tr")) if head is not None else set())
        foot = wrap.find("table-wrap-foot")
        notes = (list(foot.iter("fn")) or list(foot.iter("p"))) if foot is not None else []
        self.w.table(
            self._pieces(wrap.find("label")),
            self._pieces(wrap.find("caption")),
            rows,
            [self._pieces(note, marks=True) for note in notes],
            header_rows=header_rows,
        )

    def _references(self, back: Element | None) -> None:
        if back is None:
            return
        self.w.section("references", self._pieces(back.find(".//ref-list/title")))
        for ref in back.iter("ref"):
            self.w.line(self._pieces(ref))

    def _pieces(self, el: Element | None, marks: bool = False) -> list[Piece]:
        """The element's text as pieces, blocks inside it included (no paragraph split); with `marks`, table-note
        marks are kept (a footnote's own '†' says which cells it qualifies)."""
        out: list[Piece] = []
        if el is not None:
            self._collect(el, out, None, split=False, marks=marks)
        return out

    def _collect(
        self, el: Element, out: list[Piece], name: SectionName | None, split: bool = True, marks: bool = False
    ) -> None:
        """Adds the element's text to `out`; with `split`, a list or quote inside ends the paragraph there."""
        out += self.src.pieces(el, tail=False)
        for child in el:
            if child.tag in _FLOATS:
                out.append(SOFT_SPACE)
            elif not marks and _is_table_note_mark(child):
                pass  # 'Cognitive Standardised Score<sup>a</sup>': the note stays in the footnotes
            elif split and child.tag in _BLOCKS_IN_P:
                self.w.paragraph(out)
                out.clear()
                self._block(child, name)
            else:
                inline = child.tag in _INLINE
                if not inline or _is_citation(child):
                    out.append(SOFT_SPACE)
                self._collect(_preferred(child), out, name, split, marks)
                if not inline:
                    out.append(SOFT_SPACE)
            out += self.src.pieces(child, tail=True)


def _header_rows(trs: list[Element], head: set[Element]) -> int | None:
    """How many leading rows are the header: the rows of <thead>, else rows of <th> cells only; None when the
    markup marks no header (it is then read from the layout)."""
    count = 0
    for tr in trs:
        cells = [c for c in tr if c.tag in ("td", "th")]
        if not (tr in head if head else cells and all(c.tag == "th" for c in cells)):
            break
        count += 1
    return count or None


def _is_citation(el: Element) -> bool:
    """A superscript citation ("cancer<sup>12</sup>"): set off by a space so the word stays a word."""
    if el.tag == "sup":
        return any(x.get("ref-type") == "bibr" for x in el.iter("xref"))
    return el.tag == "xref" and el.get("ref-type") == "bibr" and el.find("sup") is not None


_NOTE_MARK = re.compile(r"^\s*[a-h*†‡§¶#](?:\s*,\s*[a-h*†‡§¶#]){0,2}\s*$")


def _is_table_note_mark(el: Element) -> bool:
    """A mark pointing to a table footnote ('<sup>a</sup>', '<xref ref-type=\"table-fn\">'), not an exponent
    ('kg/m<sup>2</sup>', 'Ca<sup>2+</sup>')."""
    if el.tag == "xref":
        return el.get("ref-type") == "table-fn"
    if el.tag != "sup":
        return False
    if any(x.get("ref-type") == "table-fn" for x in el.iter("xref")):
        return True
    return bool(_NOTE_MARK.match("".join(el.itertext())))


def _preferred(el: Element) -> Element:
    """For <alternatives> (the same content twice: MathML and TeX, table and image) the first readable one."""
    if el.tag != "alternatives":
        return el
    readable = [c for c in el if c.tag not in ("tex-math", "graphic", "inline-graphic", "media")]
    return readable[0] if readable else el


def _section_name(title: str | None, sec_type: str | None) -> SectionName:
    named = classify_heading(title) if title else None
    if named is None and sec_type:
        first = sec_type.split("|")[0].strip().lower()
        named = _SEC_TYPES.get(first) or classify_heading(first)
    return named or "other"


def _text(el: Element | None) -> str | None:
    """Whitespace-normalized text of a front-matter field; None when absent or empty."""
    if el is None:
        return None
    return " ".join("".join(el.itertext()).split()) or None


def _metadata(article: Element) -> dict[str, Any]:
    """Front-matter fields; `article_type` only where the attribute names one (rct/cohort: text classifier)."""
    meta = article.find("front/article-meta")
    if meta is None:
        return {}
    ids = {el.get("pub-id-type"): _text(el) for el in meta.findall("article-id")}
    pmcid = ids.get("pmcid") or ids.get("pmc")
    found = {
        "title": _text(meta.find("title-group/article-title")),
        "doi": ids.get("doi"),
        "pmid": ids.get("pmid"),
        "pmcid": f"PMC{pmcid.removeprefix('PMC')}" if pmcid else None,
        "journal": _text(article.find("front/journal-meta//journal-title")),
        "year": _year(meta),
        "article_type": _ARTICLE_TYPES.get(article.get("article-type", "")),
    }
    return {key: value for key, value in found.items() if value}


def _year(meta: Element) -> int | None:
    """The publication year, electronic first, then print, then any other date but PMC's release date."""

    def rank(date: Element) -> int:
        kind = date.get("pub-type") or {"electronic": "epub", "print": "ppub"}.get(
            date.get("publication-format", ""), date.get("date-type", "")
        )
        if kind in _DATE_PREFERENCE:
            return _DATE_PREFERENCE.index(kind)
        return len(_DATE_PREFERENCE) + (kind == "pmc-release")

    for date in sorted(meta.findall("pub-date"), key=rank):
        m = re.search(r"\d{4}", date.findtext("year") or "")
        if m:
            return int(m.group())
    return None
