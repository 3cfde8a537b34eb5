"""The library: `Extractor` loads the pipeline once and turns files or text into `ArticleRecord`s."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language

from extractor.assemble import assemble, span_keys
from extractor.errors import ExtractorError, Warn, printable
from extractor.ingest import load_document
from extractor.ingest.document import Document
from extractor.ingest.front_matter import read_metadata
from extractor.ingest.text import document_from_text
from extractor.nlp.extensions import set_extensions
from extractor.nlp.layout import attach
from extractor.nlp.pipeline import load_pipeline
from extractor.record import ArticleRecord

MAX_CHARS = 3_000_000  # spaCy's own limit is 1M per Doc by default; longer texts are truncated with a warning


class ExtractOptions(BaseModel):
    """Every knob of an extraction, in one place; CLI flags map one to one onto these fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    pipeline: str = Field("default", description="packaged pipeline name (default, sci) or a .cfg path")
    keep_text: bool = Field(True, description="include the normalized text in each record")
    max_pages: int | None = Field(None, ge=1, description="read at most this many PDF pages")
    max_chars: int = Field(MAX_CHARS, ge=1000, description="truncate longer texts (with a warning)")

    @classmethod
    def resolve(cls, options: ExtractOptions | dict[str, Any] | None) -> ExtractOptions:
        if options is None:
            return cls()
        if isinstance(options, ExtractOptions):
            return options
        return cls.model_validate(options)


@dataclass(frozen=True)
class Failure:
    """One input that produced no record: what a batch writes to errors.jsonl."""

    path: str
    error_type: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The JSON-ready form: path and message pass through `printable` (non-UTF-8 file names)."""
        return {"path": printable(self.path), "error_type": self.error_type, "message": printable(self.message)}


class Extractor:
    """Loads the pipeline once; `extract_file`, `extract_text` and `pipe` share it."""

    def __init__(self, options: ExtractOptions | dict[str, Any] | None = None, **kwargs: Any) -> None:
        base = ExtractOptions.resolve(options)
        self.options = base.model_copy(update=kwargs) if kwargs else base
        set_extensions()
        self.nlp: Language = load_pipeline(self.options.pipeline)
        drugs = self.nlp.get_pipe("extractor_drugs") if "extractor_drugs" in self.nlp.pipe_names else None
        self._drug_info: dict[str, dict[str, str]] = (getattr(drugs, "lexicon", None) and drugs.lexicon.info) or {}  # type: ignore[union-attr]
        self.nlp.max_length = max(self.nlp.max_length, self.options.max_chars + 1)
        self._span_keys = span_keys(self.nlp)

    def extract_file(self, path: str | Path) -> ArticleRecord:
        """The record's `source.path` is the path as given, through `printable`: a non-UTF-8 file name must not
        make the record unwritable as JSON."""
        options = self.options
        document = load_document(path, max_pages=options.max_pages, max_chars=options.max_chars)
        document.source = dataclasses.replace(document.source, path=printable(document.source.path))
        return self.extract_document(document)

    def extract_text(self, text: str, name: str = "<text>") -> ArticleRecord:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self.extract_document(document_from_text(text, path=name, sha256=sha))

    def extract_document(self, document: Document) -> ArticleRecord:
        if len(document.text) > self.options.max_chars:
            document = _truncate(document, self.options.max_chars)
        doc = self.nlp(attach(self.nlp.make_doc(document.text), document))
        return assemble(
            doc,
            document,
            drug_info=self._drug_info,
            keep_text=self.options.keep_text,
            metadata=read_metadata(document),
            span_keys=self._span_keys,
        )

    def pipe(self, paths: Iterable[str | Path]) -> Iterator[ArticleRecord]:
        """Records, lazily, in input order. Raises on the first file that cannot be read; use
        `pipe_results` to get failures as values instead."""
        for result in self.pipe_results(paths):
            if isinstance(result, Failure):
                raise ExtractorError(f"{result.path}: {result.message}")
            yield result

    def pipe_results(self, paths: Iterable[str | Path]) -> Iterator[ArticleRecord | Failure]:
        for path in paths:
            yield self.try_extract(path)

    def try_extract(self, path: str | Path) -> ArticleRecord | Failure:
        """A record, or a Failure naming the file and the cause; never an exception for a bad input."""
        try:
            return self.extract_file(path)
        except ExtractorError as err:
            return Failure(str(path), type(err).__name__, str(err))
        except (MemoryError, RecursionError) as err:
            return Failure(str(path), type(err).__name__, f"{path}: {type(err).__name__} while processing")
        except Exception as err:  # a bug must cost one document, not the batch
            return Failure(str(path), "InternalError", f"{path}: {type(err).__name__}: {err}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _truncate(document: Document, max_chars: int) -> Document:
    cut = document.text.rfind("\n", 0, max_chars)
    cut = cut if cut > max_chars // 2 else max_chars
    return Document(
        text=document.text[:cut],
        source=document.source,
        pages=[p for p in document.pages if p.start < cut],
        sections=[s for s in document.sections if s.start < cut],
        tables=[t for t in document.tables if t.end <= cut],
        offset_map=document.offset_map,
        metadata=document.metadata,
        warnings=[*document.warnings, Warn.W003.format(chars=cut)],
    )
