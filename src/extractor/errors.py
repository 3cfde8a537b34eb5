"""Error types and warning codes: one home for every message a user can see.

Errors stop one document (it lands in errors.jsonl, the batch goes on); warnings travel in the record.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from types import ModuleType


def printable(text: str) -> str:
    """`text` made safe for UTF-8 output (JSON lines, terminals): why — a file name with bytes that are not UTF-8
    reaches Python as lone surrogates (PEP 383 'surrogateescape'), which no UTF-8 writer accepts. Each such byte
    becomes the four characters `\\xNN` (so `b"caf\\xe9.txt"` is written `caf\\xe9.txt`); any other lone
    surrogate becomes `\\uNNNN`. Valid text is returned unchanged."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


class ExtractorError(Exception):
    """Base of every error the extractor raises on purpose for one input file."""

    code = "E000"


class InputNotFound(ExtractorError):
    code = "E001"


class EmptyInput(ExtractorError):
    code = "E002"


class UnsupportedFormat(ExtractorError):
    code = "E003"


class UndecodableText(ExtractorError):
    code = "E004"


class NotAnArticle(ExtractorError):
    """Binary or otherwise non-text content under a text-like name."""

    code = "E005"


class PdfError(ExtractorError):
    """The PDF cannot be opened or parsed (broken, encrypted with a password, not a PDF)."""

    code = "E006"


class MarkupError(ExtractorError):
    """HTML or XML that cannot be parsed safely (malformed, entity expansion, external entities)."""

    code = "E007"


class InputTooLarge(ExtractorError):
    code = "E008"


# Errors of a whole run or call, not of one input file (E1xx). PipelineError (E100) is still defined in
# nlp/pipeline.py.


class MissingExtra(ExtractorError):
    """An option needs a package from an optional extra that is not installed (the CLI exits 2)."""

    code = "E101"


class NothingToExtract(ExtractorError):
    """No input at all: folders that are empty or hold only files of unsupported kinds (the CLI exits 3)."""

    code = "E102"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """An optional dependency (pip extra), imported on demand; MissingExtra names the extra when it is absent."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{purpose} needs the {module!r} package, which is not installed: pip install 'extractor[{extra}]'"
        ) from None


class Warn(StrEnum):
    """Warning texts with short codes, formatted into ArticleRecord.warnings."""

    W001 = "W001: no text layer on pages {pages}; OCR is not enabled"
    W002 = "W002: text decoded as {encoding} (not UTF-8)"
    W003 = "W003: text truncated to {chars} characters"
    W004 = "W004: very little text ({chars} characters); is this an article?"
    W005 = "W005: undecodable bytes replaced ({count})"
    W006 = "W006: PDF processed up to page {pages} of {total}"
    W007 = "W007: web-page boilerplate removed ({lines} lines)"
    W008 = "W008: optional component '{name}' is not available: {reason}"
    W009 = "W009: malformed XML skipped ({chars} characters before the well-formed parts of the article)"
    W010 = "W010: {key} item at {start}:{end} dropped ({loc}: {msg})"

    def format(self, /, **kwargs: object) -> str:  # type: ignore[override]
        return str(self.value).format(**kwargs)
