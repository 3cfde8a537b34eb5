"""The position lookups give what the scans they replace gave (issue 17: long documents in linear time)."""

from __future__ import annotations

import json
import random
import re

import pytest

from extractor.nlp.positions import Cover, Taken, between, from_position, match_at, match_end
from extractor.nlp.rules import ae_cues, endpoint_rules
from tests.conftest import SEEDS

pytestmark = pytest.mark.issue(17)


def random_ranges(rnd: random.Random, n: int, span: int = 200) -> list[tuple[int, int]]:
    starts = [rnd.randrange(0, 1000) for _ in range(n)]
    return [(s, s + rnd.randrange(0, span)) for s in starts]


def test_cover_answers_as_the_scans_do() -> None:
    rnd = random.Random(17)
    for _ in range(200):
        ranges = random_ranges(rnd, rnd.randrange(0, 12))
        cover = Cover(ranges)
        for start, end in random_ranges(rnd, 30, 60):
            assert cover.contains(start, end) == any(lo <= start and end <= hi for lo, hi in ranges)
            assert cover.overlaps(start, end) == any(lo < end and start < hi for lo, hi in ranges)
        assert bool(cover) == bool(ranges)


def test_taken_answers_as_the_scan_does_while_ranges_are_added() -> None:
    rnd = random.Random(9)
    for size in (1, 7, 256):
        taken, plain = Taken(size), []
        for start, end in random_ranges(rnd, 400, 40):
            assert taken.free(start, end) == (not any(lo < end and start < hi for lo, hi in plain))
            if rnd.random() < 0.3:
                taken.add(start, end)
                plain.append((start, end))


def test_between_slices_a_sorted_list() -> None:
    rnd = random.Random(3)
    items = sorted(rnd.randrange(0, 100) for _ in range(60))
    for _ in range(200):
        lo, hi = sorted((rnd.randrange(-5, 105), rnd.randrange(-5, 105)))
        assert list(between(items, lo, hi, key=lambda x: x)) == [x for x in items if lo <= x < hi]


def cue_patterns() -> dict[str, re.Pattern[str]]:
    """Every cue of the packaged lexicons that a reader matches at a position, plus two made-up hard cases."""
    found = {f"ae.{k}": re.compile(v, re.I) for k, v in ae_cues().model_dump().items() if isinstance(v, str)}
    endpoints = endpoint_rules().cues
    found |= {f"endpoints.{k}": re.compile(v, re.I) for k, v in endpoints.items()}
    found["boundary first"] = re.compile(r"^\bof|^(?<=a)b|^\s*x")
    found["alternation in a class"] = re.compile(r"^[|(]\s*a|^b")
    return found


@pytest.mark.parametrize("name", sorted(cue_patterns()))
def test_match_at_reads_as_a_slice_does(name: str) -> None:
    pattern = cue_patterns()[name]
    text = "\n\n".join(path.read_text(encoding="utf-8")[:6000] for path in SEEDS) + " (12%) of the tumours ab x"
    for pos in range(0, len(text), 3):
        sliced = pattern.match(text[pos:])
        assert match_at(pattern, text, pos) == bool(sliced)
        assert match_end(pattern, text, pos) == (pos + sliced.end() if sliced else None)


def test_patterns_that_could_read_before_the_position_are_sliced() -> None:
    assert from_position(re.compile(r"^\bof")) is None  # a word boundary before any character is read
    assert from_position(re.compile(r"^(?<=a)b")) is None
    assert from_position(re.compile(r"^a|(?:^b)")) is None  # an anchor inside a group
    assert from_position(re.compile(r"^\s*of\b")) is not None  # the boundary comes after 'of'
    assert json.dumps(from_position(re.compile(r"^\s*\(|^x")).pattern) == json.dumps(r"\s*\(|x")
