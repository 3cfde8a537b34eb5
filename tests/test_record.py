"""The output contract: the committed JSON Schema matches the models; spans must equal their slice."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from extractor.record import ArticleRecord, Drug, Source, Span, json_schema_text
from tests.conftest import ROOT


def test_committed_schema_matches_models() -> None:
    committed = (ROOT / "schemas" / "article_record.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "schemas/ is stale: run `make schema` and commit the result"


def _record(text: str, start: int, end: int, span_text: str) -> ArticleRecord:
    return ArticleRecord(
        doc_id="x",
        source=Source(path="a.txt", format="text", sha256="0" * 64, chars=len(text)),
        drugs=[Drug(name="everolimus", mentions=[Span(text=span_text, start=start, end=end)])],
        text=text,
    )


def test_span_equal_to_its_slice_validates() -> None:
    record = _record("Everolimus 10 mg daily", 0, 10, "Everolimus")
    assert record.drugs[0].mentions[0].text == "Everolimus"


@pytest.mark.parametrize(("start", "end", "span_text"), [(0, 9, "Everolimus"), (20, 30, "x"), (5, 2, "")])
def test_span_not_matching_text_is_refused(start: int, end: int, span_text: str) -> None:
    with pytest.raises(ValidationError):
        _record("Everolimus 10 mg daily", start, end, span_text)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        Span.model_validate({"text": "a", "start": 0, "end": 1, "colour": "red"})


def test_schema_is_valid_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(json_schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
