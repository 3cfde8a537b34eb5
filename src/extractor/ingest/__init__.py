"""Ingest: any supported file -> `Document`. The format is read from the bytes first, the name second."""

from __future__ import annotations

import os
from pathlib import Path

from extractor.errors import EmptyInput, InputNotFound, InputTooLarge, PdfError, UnsupportedFormat
from extractor.ingest.document import Document
from extractor.record import SourceFormat

SUFFIXES: dict[str, SourceFormat] = {
    ".pdf": SourceFormat.pdf,
    ".txt": SourceFormat.text,
    ".text": SourceFormat.text,
    ".md": SourceFormat.text,
    ".html": SourceFormat.html,
    ".htm": SourceFormat.html,
    ".xhtml": SourceFormat.html,
    ".xml": SourceFormat.xml,
    ".nxml": SourceFormat.xml,
}
MAX_BYTES = 200 * 1024 * 1024


def sniff(path: Path, head: bytes) -> SourceFormat:
    """The format the bytes are, checked against the one the name promises."""
    by_name = SUFFIXES.get(path.suffix.lower())
    if by_name is None:
        raise UnsupportedFormat(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; supported: {', '.join(sorted(SUFFIXES))}"
        )
    stripped = head.lstrip()[:512].lower()
    if head.startswith(b"%PDF") or head[:1024].find(b"%PDF-") >= 0:
        return SourceFormat.pdf
    if by_name is SourceFormat.pdf:
        if stripped.startswith((b"<!doctype html", b"<html")):
            raise PdfError(f"{path}: an HTML page saved with a .pdf name (often a paywall or error page)")
        raise PdfError(f"{path}: not a PDF (no %PDF header)")
    return by_name


def load_document(path: str | Path, *, max_pages: int | None = None, max_chars: int | None = None) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputNotFound(f"{path}: no such file") from None
    except OSError as err:
        raise InputNotFound(f"{path}: cannot be read ({err.strerror or err})") from None
    if not path.is_file():
        raise UnsupportedFormat(f"{path}: not a regular file")
    if size == 0:
        raise EmptyInput(f"{path}: empty file (0 bytes)")
    if size > MAX_BYTES:
        raise InputTooLarge(f"{path}: {size / 2**20:.0f} MiB is over the {MAX_BYTES // 2**20} MiB limit")
    if not os.access(path, os.R_OK):
        raise InputNotFound(f"{path}: permission denied")
    data = path.read_bytes()
    fmt = sniff(path, data[:2048])
    if fmt is SourceFormat.pdf:
        from extractor.ingest.pdf import read_pdf

        return read_pdf(path, data, max_pages=max_pages)
    if fmt is SourceFormat.html:
        from extractor.ingest.html import read_html

        return read_html(path, data)
    if fmt is SourceFormat.xml:
        from extractor.ingest.jats import read_jats

        return read_jats(path, data)
    if path.suffix.lower() == ".md":
        from extractor.ingest.markdown import read_markdown

        return read_markdown(path, data, max_chars=max_chars)
    from extractor.ingest.text import read_text

    return read_text(path, data, max_chars=max_chars)


__all__ = ["Document", "load_document", "sniff"]
