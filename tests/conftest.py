"""Shared fixtures: the bundled corpus, and the full pipeline loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from extractor import ArticleRecord, Extractor

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[[str], ArticleRecord]:
    """Runs the full pipeline on a text snippet."""
    return lambda text: extractor.extract_text(text, name="snippet.txt")


@pytest.fixture
def extract_jats(extractor: Extractor, tmp_path: Path) -> Callable[[str], ArticleRecord]:
    """Runs the full pipeline on a JATS snippet (its tables read as cells by the JATS reader)."""

    def run(xml: str) -> ArticleRecord:
        path = tmp_path / "snippet.nxml"
        path.write_text(xml, encoding="utf-8")
        return extractor.extract_file(path)

    return run


@pytest.fixture(scope="session")
def seed_records(extractor: Extractor) -> dict[str, ArticleRecord]:
    return {path.name: extractor.extract_file(path) for path in SEEDS}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "issue(n): regression test for issue n")
