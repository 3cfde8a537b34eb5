"""Plain-text and Markdown articles: decode, drop web-page boilerplate, lay out."""

from __future__ import annotations

import hashlib
from pathlib import Path

from charset_normalizer import from_bytes

from extractor.errors import EmptyInput, NotAnArticle, UndecodableText, Warn
from extractor.ingest.clean import lay_out, split_lines
from extractor.ingest.document import Document, SourceInfo
from extractor.ingest.text_tables import document_tables, find_tables
from extractor.ingest.webpage import strip_boilerplate
from extractor.record import SourceFormat

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to str: BOMs first, then UTF-8, then charset-normalizer's best guess.

    Binary content (NUL bytes or control characters in a text-named file) is refused, not guessed at.
    """
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        sample = data[:65536]
        if b"\x00" in sample and not _looks_utf16(sample):
            raise NotAnArticle(f"{name}: binary content (NUL bytes), not text") from None
        encoding = _western(data) or _best_guess(data, name)
        text = data.decode(encoding, errors="replace")
        warnings.append(Warn.W002.format(encoding=encoding))
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:65536]) // 200):
        raise NotAnArticle(f"{name}: binary content ({controls} control characters), not text")
    replaced = text.count("\ufffd")
    if replaced:
        warnings.append(Warn.W005.format(count=replaced))
    return text, warnings


def _western(data: bytes) -> str | None:
    """cp1252 when it reads the bytes as Western European text: by far the commonest legacy encoding of
    English-language articles, and one that statistical detectors confuse with its Central European kin."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    ok = all(
        ord(ch) < 0x80 or 0xA0 <= ord(ch) <= 0xFF or 0x2010 <= ord(ch) <= 0x203A or ch == "\u20ac" for ch in set(text)
    )
    return "cp1252" if ok else None


def _best_guess(data: bytes, name: str) -> str:
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise UndecodableText(f"{name}: no text encoding fits these bytes")
    return str(best.encoding)


def _looks_utf16(sample: bytes) -> bool:
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    return max(even_nuls, odd_nuls) > 0.3 * half and min(even_nuls, odd_nuls) < 0.05 * half


def read_text(path: Path, data: bytes, fmt: SourceFormat = SourceFormat.text, max_chars: int | None = None) -> Document:
    """max_chars: cut longer texts before layout (a 100 MB dump is not laid out only to be truncated later)."""
    if not data.strip():
        raise EmptyInput(f"{path}: empty file")
    if _looks_utf16(data[:4096]) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = b"\xff\xfe" + data if data[1:2] == b"\x00" else b"\xfe\xff" + data
    raw, warnings = decode(data, str(path))
    if not raw.strip():
        raise EmptyInput(f"{path}: only whitespace")
    if max_chars is not None and len(raw) > max_chars:
        cut = raw.rfind("\n", 0, max_chars)
        raw = raw[: cut if cut > max_chars // 2 else max_chars]
        warnings.append(Warn.W003.format(chars=len(raw)))
    return document_from_text(raw, path=str(path), sha256=hashlib.sha256(data).hexdigest(), fmt=fmt, warnings=warnings)


def document_from_text(
    raw: str,
    *,
    path: str,
    sha256: str | None = None,
    fmt: SourceFormat = SourceFormat.text,
    warnings: list[str] | None = None,
) -> Document:
    warnings = list(warnings or [])
    lines = split_lines(raw)
    kept, dropped = strip_boilerplate(lines)
    if dropped:
        warnings.append(Warn.W007.format(lines=dropped))
    marked, found = find_tables(kept)
    layout = lay_out(marked)
    if len(layout.text) < 200:
        warnings.append(Warn.W004.format(chars=len(layout.text)))
    sha = sha256 or hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return Document(
        text=layout.text,
        source=SourceInfo(path=path, format=fmt, sha256=sha, pages=None),
        sections=layout.sections,
        tables=document_tables(found, layout),
        offset_map=layout.offset_map,
        warnings=warnings,
        metadata={"table_regions": layout.table_regions},
    )
