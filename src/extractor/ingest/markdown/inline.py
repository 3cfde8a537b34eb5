"""Pandoc's inline markup read into pieces of plain text with their offsets in the Markdown: emphasis, super-
and subscripts, links and images, backslash escapes, inline HTML tags and entities, `--` as the dash it stands
for. The text keeps no mark; the offsets skip them."""

from __future__ import annotations

import html
import re

from extractor.ingest.markup import SOFT_SPACE, Piece

_INLINE = re.compile(
    r"(?P<image>!\[[^\]]{0,300}\]\([^)\s]{0,2000}\))"
    r"|\[(?P<link>[^\]]{0,300})\]\([^)\s]{0,2000}\)"
    r"|\*\*(?P<strong>[^*\s](?:(?:[^*]|\*(?!\*)){0,300}?[^*\s])?)\*\*"
    r"|\*(?P<em>[^*\s](?:[^*]{0,300}?[^*\s])?)\*"
    r"|\^(?P<sup>[^\^\s](?:[^\^\n]{0,100}?[^\^\s])?)\^"
    r"|~(?P<sub>[^~\s]{1,100})~"
    r"|\\(?P<escaped>[^\w\n])"
    r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]{0,500})?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});)"
    r"|(?P<dash>(?<!-)-{2,3}(?!-))"
)
_DASHES = {2: "\u2013", 3: "\u2014"}
_MAX_DEPTH = 8  # nested emphasis deeper than this is kept as it stands


def inline_pieces(text: str, start: int, depth: int = 0) -> list[Piece]:
    """A run of Markdown as pieces of plain text with their offsets (`start`: the offset of `text`)."""
    out: list[Piece] = []
    pos = 0
    for m in _INLINE.finditer(text) if depth < _MAX_DEPTH else ():
        out.append((text[pos : m.start()], start + pos))
        kind = m.lastgroup
        if kind in ("link", "strong", "em", "sup", "sub"):
            out += inline_pieces(m.group(kind), start + m.start(kind), depth + 1)
        elif kind == "escaped":
            out.append((" " if m.group(kind) == " " else m.group(kind), start + m.start(kind)))
        elif kind == "tag":
            out.append(SOFT_SPACE)
        elif kind == "entity":
            out.append((html.unescape(m.group()), start + m.start()))
        elif kind == "dash":
            out.append((_DASHES[len(m.group())], start + m.start()))
        pos = m.end()
    out.append((text[pos:], start + pos))
    return [piece for piece in out if piece[0]]
