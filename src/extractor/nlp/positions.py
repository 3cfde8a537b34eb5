"""Lookups by character position that stay logarithmic as a text grows: the readers ask, for every item, which
mentions lie in its sentence or clause, and a scan of every mention per item made a 3 MB text quadratic.

`between` slices a list kept in order of its items' starts; `Cover` answers "does any range contain / overlap
this one" over a fixed set of ranges; `Taken` does the same for ranges added while it is asked; `match_at` and
`match_end` read `pattern.match(text[pos:])` without copying the rest of the text (a copy of up to 3 MB per
item was the costliest step of all).
"""

from __future__ import annotations

import re
import re._constants as _constants  # type: ignore[import-not-found]  # the stdlib's regex parser (no stubs)
import re._parser as _parser  # type: ignore[import-not-found]
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
START: Callable[[Any], int] = attrgetter("start")


def between(items: Sequence[T], lo: int, hi: int, key: Callable[[T], int] = START) -> Sequence[T]:
    """The items whose `key` (by default `.start`) is in [lo, hi), in their order. `items` must be sorted by
    `key`; the result is what `[x for x in items if lo <= key(x) < hi]` gives."""
    return items[bisect_left(items, lo, key=key) : bisect_left(items, hi, key=key)]


class Cover:
    """A fixed set of [lo, hi) ranges (overlapping or not): sorted by lo, with the running maximum of hi, so
    that every range starting at or before a position is summed up by one number."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [lo for lo, _ in ordered]
        self.reach = list(accumulate((hi for _, hi in ordered), max))

    def __bool__(self) -> bool:
        return bool(self.starts)

    def contains(self, start: int, end: int) -> bool:
        """Some range holds [start, end): `any(lo <= start and end <= hi for lo, hi in ranges)`."""
        i = bisect_right(self.starts, start)
        return i > 0 and self.reach[i - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some range overlaps [start, end): `any(lo < end and start < hi for lo, hi in ranges)`."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


class Taken:
    """Ranges added one by one, each asked about before the next is added: `free` is `not any(lo < end and
    start < hi)` over the ranges so far. Ranges are filed under every bucket of `size` characters they touch,
    so a question reads only the ranges near it."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self.buckets: dict[int, list[tuple[int, int]]] = {}

    def _keys(self, start: int, end: int) -> range:
        return range(start // self.size, max(start, end - 1) // self.size + 1)

    def free(self, start: int, end: int) -> bool:
        for key in self._keys(start, end):
            if any(lo < end and start < hi for lo, hi in self.buckets.get(key, ())):
                return False
        return True

    def add(self, start: int, end: int) -> None:
        for key in self._keys(start, end):
            self.buckets.setdefault(key, []).append((start, end))


def match_at(pattern: re.Pattern[str], text: str, pos: int) -> bool:
    """`bool(pattern.match(text[pos:]))`, read in place (see `match_end`)."""
    return match_end(pattern, text, pos) is not None


def match_end(pattern: re.Pattern[str], text: str, pos: int) -> int | None:
    """Where `pattern.match(text[pos:])` ends, as an offset of `text` (None: no match), read in place: the cue
    patterns open each alternative with '^', which `pattern.match(text, pos)` never matches at `pos`; the same
    pattern without those anchors does, and `from_position` makes sure nothing else in it reads before `pos`
    (else the text is sliced, as before)."""
    unanchored = from_position(pattern)
    if unanchored is None:
        sliced = pattern.match(text[pos:])
        return pos + sliced.end() if sliced else None
    found = unanchored.match(text, pos)
    return found.end() if found else None


@lru_cache(maxsize=256)
def from_position(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """`pattern` without the '^' opening its top-level alternatives, or None where that could change what it
    matches: an anchor, lookbehind or word boundary that may be tried before a character is read (it would see
    the text before `pos`, where the slice has nothing), or MULTILINE / VERBOSE (where '^' and layout mean more)."""
    if pattern.flags & (re.MULTILINE | re.VERBOSE):
        return None
    body = "|".join(part.removeprefix("^") for part in _top_level_alternatives(pattern.pattern))
    try:
        parsed = _parser.parse(body, pattern.flags)
    except re.error:
        return None
    return re.compile(body, pattern.flags) if _reads_forward(parsed.data, 0) else None


_BACKWARD_AT = {_constants.AT_BEGINNING, _constants.AT_BEGINNING_LINE, _constants.AT_BEGINNING_STRING}
_BOUNDARY_AT = {_constants.AT_BOUNDARY, _constants.AT_NON_BOUNDARY, _constants.AT_UNI_BOUNDARY}
_BOUNDARY_AT |= {_constants.AT_UNI_NON_BOUNDARY, _constants.AT_LOC_BOUNDARY, _constants.AT_LOC_NON_BOUNDARY}


def _reads_forward(items: list[tuple[Any, Any]], read: int) -> bool:
    """No item of the sequence looks before the match's start, `read` being the fewest characters the items
    before it consume (a word boundary needs one; start anchors and lookbehinds are refused outright)."""
    for op, av in items:
        if op is _constants.AT:
            if av in _BACKWARD_AT or (av in _BOUNDARY_AT and read == 0):
                return False
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            direction, sub = av
            if direction < 0 or not _reads_forward(sub.data, read):
                return False
        elif op is _constants.BRANCH:
            if not all(_reads_forward(branch.data, read) for branch in av[1]):
                return False
        elif op is _constants.SUBPATTERN:
            if not _reads_forward(av[-1].data, read):
                return False
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            if not _reads_forward(av[2].data, read):
                return False
        elif op in (_constants.ATOMIC_GROUP,):
            if not _reads_forward(av.data, read):
                return False
        elif op in (_constants.GROUPREF_EXISTS, _constants.GROUPREF, _constants.GROUPREF_IGNORE):
            return False
        read += _min_width(op, av)
    return True


def _min_width(op: Any, av: Any) -> int:
    return int(_parser.SubPattern(_parser.State(), [(op, av)]).getwidth()[0])


def _top_level_alternatives(source: str) -> list[str]:
    """`source` cut at its '|' outside groups and character classes."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1 : i + 2] == "^":
                i += 1
            if source[i + 1 : i + 2] == "]":
                i += 1  # a ']' first in the class is a literal
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts
