"""Issue 9: property-based tests (hypothesis) over the ingestors and the extractors.

Ingestors, from arbitrary bytes: a `Document` whose sections and pages lie inside its text, or one of the
documented errors (`extractor.errors.ExtractorError` subclasses) — nothing else. Extractors, from arbitrary
text: a record whose every evidence span lies inside the text and equals its slice, and which validates
against schemas/article_record.schema.json. Example counts are moderate (each extraction runs the whole
pipeline); `--hypothesis-show-statistics` prints how many were tried.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import Extractor
from extractor.errors import ExtractorError
from extractor.ingest import load_document
from extractor.ingest.document import Document
from extractor.ingest.html import read_html
from extractor.ingest.jats import read_jats
from extractor.ingest.pdf import read_pdf
from extractor.ingest.text import read_text
from extractor.record import ArticleRecord
from tests.hostile.corpus import pdf_bytes

pytestmark = pytest.mark.issue(9)
SCHEMA = Path(__file__).parents[2] / "schemas" / "article_record.schema.json"
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# --- strategies ----------------------------------------------------------------------------------------------

WORDS = [
    "everolimus", "exemestane", "10", "mg", "daily", "7.8", "months", "(", ")", "[", "]", "95%", "CI", "6.9-8.5",
    "HR", "0.45", "P", "<", "0.001", "Grade", "3", "stomatitis", "8%", "of", "patients", "versus", "vs.", "and",
    "from", "to", "median", "PFS", "OS", "ORR", "hemoglobin", "9.1", "g/dL", "mmol/L", "NCT01234567", "BOLERO-2",
    "A", "62-year-old", "woman", ".", ",", ";", ":", "\n", "\n\n", "Results", "Methods", "Table 1", "|", "%", "±",
    "×10^9/L", "twice", "every", "3 weeks", "–", "—", "μg", "°C", "9" * 40, "(((", ")))", "·5", "1,234", "n = 12",
]  # fmt: skip
article_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=60).map(" ".join),
    # runs: what makes regexes and the tokenizer backtrack
    st.tuples(st.sampled_from(WORDS + list("([&-.,%9 \n\t")), st.integers(100, 3000)).map(lambda p: p[0] * p[1]),
)
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<html><body><p>", b"<?xml version='1.0'?><article>"]
raw_bytes = st.one_of(
    st.binary(max_size=600),
    st.tuples(st.sampled_from(PREFIXES), st.binary(max_size=400)).map(b"".join),
    article_text.map(lambda t: t.encode("utf-8")),
    st.tuples(article_text, st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-8-sig"])).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
)
markup = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<sec>",
                "</sec>",
                "<title>",
                "</title>",
                "<table>",
                "<tr>",
                "<td rowspan='99999'>",
                "<td colspan='0'>",
                "</td>",
                "</tr>",
                "</table>",
                "<body>",
                "</body>",
                "<article>",
                "</article>",
                "<script>",
                "</script>",
                "<br/>",
                "&amp;",
                "&#x3bc;",
                "&#0;",
                "&lol;",
                "<![CDATA[x]]>",
                "<!-- c -->",
                "<h2>Results</h2>",
                "<div class='nav'>",
                "</div>",
                "<italic>",
                "</italic>",
                "<caption>",
                "<label>",
            ]
        ),
        st.sampled_from(WORDS),
        st.text(max_size=8),
    ),
    max_size=60,
).map("".join)


@cache
def _good_pdf() -> bytes:
    return pdf_bytes(2)


@st.composite
def damaged_pdf(draw: st.DrawFn) -> bytes:
    """A valid PDF with a few slices overwritten, cut or repeated: the shapes real broken downloads take."""
    data = bytearray(_good_pdf())
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["overwrite", "cut", "repeat", "truncate"]))
        if action == "overwrite":
            data[at : at + 16] = draw(st.binary(min_size=1, max_size=16))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        else:
            del data[at:]
    return bytes(data) if data.startswith(b"%PDF") else b"%PDF-1.4\n" + bytes(data)


# --- checks ----------------------------------------------------------------------------------------------


def check_document(document: Document) -> None:
    """Offsets inside the text, warnings with their code; and no whitespace run over two characters: the
    normalized text is what every pattern of the pipeline reads, so patterns that are quadratic in a run of
    spaces (tests/hostile/regex_audit.py lists them) never meet one."""
    text = document.text
    assert max((len(m) for m in re.findall(r"\s+", text)), default=0) <= 2
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(text)
    for page in document.pages:
        assert 0 <= page.start <= page.end <= len(text)
    for table in document.tables:
        assert 0 <= table.start <= table.end <= len(text)
    for warning in document.warnings:
        assert warning[:1] == "W" and warning[4:6] == ": ", warning


@cache
def _validator() -> Any:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def check_record(record: ArticleRecord) -> None:
    text = record.text
    assert text is not None
    for span in record.iter_spans():
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for section in record.sections:
        assert 0 <= section.start <= section.end <= len(text)
    data = json.loads(record.model_dump_json())
    _validator().validate(data)
    assert ArticleRecord.model_validate(data) == record


def ingest(reader: Any, data: bytes, **kwargs: Any) -> None:
    try:
        document = reader(Path("input"), data, **kwargs)
    except ExtractorError:
        return
    check_document(document)


# --- ingestors: bytes -> Document or a documented error ---------------------------------------------------


@FAST
@given(raw_bytes)
def test_text_reader_takes_any_bytes(data: bytes) -> None:
    ingest(read_text, data, max_chars=5000)


@FAST
@given(st.one_of(raw_bytes, markup.map(lambda m: m.encode("utf-8"))))
def test_html_reader_takes_any_bytes(data: bytes) -> None:
    ingest(read_html, data)


@FAST
@given(
    st.one_of(
        raw_bytes,
        markup.map(lambda m: f"<?xml version='1.0'?><article><body>{m}</body></article>".encode()),
        markup.map(lambda m: m.encode("utf-8")),
    )
)
def test_jats_reader_takes_any_bytes(data: bytes) -> None:
    ingest(read_jats, data)


@settings(max_examples=150, deadline=None)
@given(st.one_of(damaged_pdf(), st.binary(max_size=300).map(lambda b: b"%PDF-1.7\n" + b)))
def test_pdf_reader_takes_any_bytes(data: bytes) -> None:
    ingest(read_pdf, data, max_pages=5)


@FAST
@given(raw_bytes, st.sampled_from([".txt", ".md", ".html", ".xml", ".nxml", ".pdf", ".doc", ""]))
def test_load_document_takes_any_file(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.getbasetemp() / f"input{suffix}"
    path.write_bytes(data)
    try:
        document = load_document(path, max_pages=5, max_chars=5000)
    except ExtractorError:
        return
    check_document(document)


# --- extractors: text -> a valid record ---------------------------------------------------------------------


@pytest.mark.slow
@PIPELINE
@given(article_text)
def test_extract_text_gives_a_valid_record(extractor: Extractor, text: str) -> None:
    try:
        record = extractor.extract_text(text)
    except ExtractorError:
        return
    check_record(record)


@pytest.mark.slow
@PIPELINE
@given(st.one_of(raw_bytes, markup.map(lambda m: f"<html><body><article>{m}</article></body></html>".encode())))
def test_extract_any_html_gives_a_valid_record(extractor: Extractor, data: bytes) -> None:
    try:
        document = read_html(Path("input.html"), data)
    except ExtractorError:
        return
    check_record(extractor.extract_document(document))
