"""A Markdown text as lines with their offsets, every fence of a fenced div (`:::`, `::::table-wrap`) on a
line of its own: what the block reader and the table readers walk."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Line:
    text: str
    start: int


# A fenced div's opener names its class and ends the line; a closer is the colons alone.
FENCE = re.compile(r":{3,}(?:[ \t]*(?P<cls>\{[^}\n]*\}|[A-Za-z][\w-]*)(?=[ \t]*$))?")


def logical_lines(raw: str) -> list[Line]:
    """The text's lines, with every fence (`:::`, `::::table-wrap`) on a line of its own even where it was run
    into a line ("... 67.5:::: <figure>", "... (p > 0.05). ::::table-wrap")."""
    lines: list[Line] = []
    pos = 0
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        at = 0
        for m in FENCE.finditer(body):
            if body[at : m.start()].strip():
                lines.append(Line(body[at : m.start()], pos + at))
            lines.append(Line(m.group(), pos + m.start()))
            at = m.end()
        if at == 0 or body[at:].strip():
            lines.append(Line(body[at:], pos + at))
        pos += len(chunk)
    return lines
