"""extractor: biomedical articles (PDF, text, HTML, JATS) -> validated JSON records with evidence spans."""

from extractor.api import ExtractOptions, Extractor, Failure
from extractor.frames import read_records, to_frames
from extractor.record import SCHEMA_VERSION, ArticleRecord
from extractor.render import render

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "ArticleRecord",
    "ExtractOptions",
    "Extractor",
    "Failure",
    "__version__",
    "read_records",
    "render",
    "to_frames",
]
