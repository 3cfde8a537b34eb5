"""extractor: biomedical articles (PDF, text, HTML, JATS) -> validated JSON records with evidence spans."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from extractor._version import __version__
from extractor.output.render import render
from extractor.record import SCHEMA_VERSION, ArticleRecord

if TYPE_CHECKING:
    from extractor.api import ExtractOptions, Extractor, Failure
    from extractor.output.frames import read_records, to_frames
    from extractor.query import query

# Loaded on first use: spaCy (api) and pandas (frames) take seconds to import, and the command line answers
# `--help`, a missing input path or a folder with nothing to extract before it needs either.
_LAZY = {
    "ExtractOptions": "extractor.api",
    "Extractor": "extractor.api",
    "Failure": "extractor.api",
    "query": "extractor.query",
    "read_records": "extractor.output.frames",
    "to_frames": "extractor.output.frames",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'extractor' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "SCHEMA_VERSION",
    "ArticleRecord",
    "ExtractOptions",
    "Extractor",
    "Failure",
    "__version__",
    "query",
    "read_records",
    "render",
    "to_frames",
]
