"""Plain-text ingest: encodings, empty and binary files, web-page dumps."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import EmptyInput, NotAnArticle
from extractor.ingest import load_document
from extractor.ingest.text import read_text
from tests.conftest import SEEDS

SENTENCE = "Everolimus plus exemestane was given to the 56-year-old patient; CA15-3 fell to 53.3 U/mL."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    text = (
        SENTENCE + " Température 38,4 °C à l’hôpital." if encoding != "latin-1" else SENTENCE + " Température 38,4 °C."
    )
    path = tmp_path / f"a-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    document = load_document(path)
    assert document.text == text
    assert len(document.source.sha256) == 64


def test_non_utf8_input_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(("Température élevée " * 20).encode("latin-1"))
    assert any(w.startswith("W002") for w in load_document(path).warnings)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_files_raise_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyInput, match="empty"):
        load_document(path)


def test_binary_content_under_a_text_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(NotAnArticle, match="binary"):
        load_document(path)


def test_web_page_dump_keeps_the_article() -> None:
    seed = next(p for p in SEEDS if p.name.startswith("003"))
    document = read_text(seed, seed.read_bytes())
    assert "Skip to main page content" not in document.text
    assert "official website of the United States government" not in document.text
    assert "endocrine treatment with letrozole improved the hematopenia" in document.text
    assert any(s.name == "abstract" for s in document.sections)
    assert any(w.startswith("W007") for w in document.warnings)


def test_doc_id_is_stable_and_content_based(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SENTENCE, encoding="utf-8")
    b.write_text(SENTENCE, encoding="utf-8")
    assert load_document(a).doc_id == load_document(b).doc_id


def test_consecutive_headings_are_one_blank_line_apart() -> None:
    # found by hypothesis (tests/hostile/test_properties.py): 'patients\npatients' gave 'patients\n\n\npatients'
    document = read_text(Path("h.txt"), b"Methods\nResults\nAll patients were seen.")
    assert document.text == "Methods\n\nResults\nAll patients were seen."
    assert [document.text[s.start : s.end].split("\n")[0] for s in document.sections] == ["Methods", "Results"]
