"""The bundled seeds run once per session through the real pipeline: with 1 worker to Parquet, with 2 to DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch.runner import RunSettings, run
from tests.conftest import CORPUS


@pytest.fixture(scope="session")
def seeds_one_worker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds_w1")
    run([CORPUS / "seeds"], out, progress=False, settings=RunSettings(workers=1, format="parquet"))
    return out


@pytest.fixture(scope="session")
def seeds_two_workers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds_w2")
    run([CORPUS / "seeds"], out, progress=False, settings=RunSettings(workers=2, format="duckdb"))
    return out
