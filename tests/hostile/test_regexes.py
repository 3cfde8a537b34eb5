"""Issue 9: the regular expressions of the hot path on their worst cases.

Each case below took minutes or hours before its fix (quadratic or cubic backtracking) and takes milliseconds
after; the bounds are generous (10 s for what takes well under 1 s) so a loaded machine does not make them
flaky, while the unfixed patterns would blow through them by orders of magnitude. `regex_audit.py` is the
sweep that found them: every compiled pattern of the package against runs of the characters that make regexes
backtrack; `test_no_pattern_backtracks_on_runs` keeps that sweep green.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable

import pytest
from spacy.tokenizer import Tokenizer

from extractor import Extractor
from extractor.nlp import result_values
from extractor.nlp.quantities import _INVERSE_POWER, parse_unit
from tests.hostile.regex_audit import collect, slow

pytestmark = pytest.mark.issue(9)
BOUND = 10.0


def seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def tokenizer(extractor: Extractor) -> Tokenizer:
    tok = extractor.nlp.tokenizer
    assert isinstance(tok, Tokenizer)
    return tok


@pytest.mark.parametrize("char", ["(", ")", "&", "[", "'"])
def test_tokenizer_is_linear_on_long_affix_runs(tokenizer: Tokenizer, char: str) -> None:
    """spaCy strips affixes one by one, searching the whole rest of the token each time: 50,000 brackets took
    over 10 minutes. Bounded prefix/suffix searches (nlp/tokenizer.py) make it ~2 s, 20,000 well under 1 s."""
    text = char * 20_000
    assert seconds(lambda: tokenizer(text)) < BOUND


def test_bounded_affix_searches_tokenize_as_spacy_does(tokenizer: Tokenizer) -> None:
    """The bounded searches split tokens exactly as the unbounded ones on punctuation-heavy random strings."""
    rnd = random.Random(9)
    alphabet = "()[]{}.,;:!?'\"-/+%&*#aeixyzMG0123456789°µ·…–"
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(60, 300))) for _ in range(300)]
    bounded = [[t.text for t in tokenizer(text)] for text in texts]
    prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
    try:
        tokenizer.prefix_search = prefix.__self__.search
        tokenizer.suffix_search = suffix.__self__.search
        plain = [[t.text for t in tokenizer(text)] for text in texts]
    finally:
        tokenizer.prefix_search, tokenizer.suffix_search = prefix, suffix
    assert bounded == plain


def test_prefix_pattern_is_anchored(tokenizer: Tokenizer) -> None:
    """PrefixSearch uses `match`: right only while every alternative of the prefix pattern starts with '^'
    (the regex parser factors a '^' shared by all alternatives out in front of the branch)."""
    from re import _parser  # type: ignore[attr-defined]

    pattern = tokenizer.prefix_search.__self__
    items = _parser.parse(pattern.pattern, pattern.flags).data
    at_start = (_parser.AT, _parser.AT_BEGINNING)
    if items[0] != at_start:
        ((op, (_, branches)),) = items
        assert op is _parser.BRANCH
        assert all(branch.data[0] == at_start for branch in branches)


@pytest.mark.parametrize(
    "text",
    [
        "9" * 200_000 + " mg",  # PERCENT and PAIR tried the run from each of its digits: O(n^2)
        "9" * 200_000 + " %",
        "1.5 " * 20_000,
        "(" * 20_000 + "7.8 months",
    ],
    ids=["digit-run", "digit-run-percent", "numbers", "brackets"],
)
def test_result_values_on_digit_runs(text: str) -> None:
    cues = {name: re.compile(r"(?!x)x") for name in ("timepoint", "schedule_after", "threshold_after")}
    cues["difference_after"] = re.compile(r"(?!x)x")
    assert seconds(lambda: result_values.find_values(text, cues)) < BOUND


@pytest.mark.parametrize("pattern", ["PERCENT", "PAIR", "BOTH", "TIME", "COUNT", "RATIO", "CI"])
def test_number_patterns_on_a_digit_run(pattern: str) -> None:
    compiled = getattr(result_values, pattern)
    text = "9" * 200_000 + " x"
    assert seconds(lambda: list(compiled.finditer(text))) < BOUND


@pytest.mark.parametrize("motif", [" ", "a", "kg ", " .", "a-", "\t"])
def test_inverse_power_is_linear(motif: str) -> None:
    """`\\s*[·.]?\\s*([A-Za-z]+)\\s*(?:\\^)?\\s*-1` was cubic in a run of spaces (4,000 spaces: 13 minutes)."""
    text = motif * 50_000
    assert seconds(lambda: _INVERSE_POWER.sub(r"/\1", text)) < BOUND


@pytest.mark.parametrize(
    ("printed", "display"), [("ml · kg −1", "mL/kg"), ("mg·kg^-1", "mg/kg"), ("umol . L ** - 1", "umol/L")]
)
def test_inverse_power_still_reads_units(printed: str, display: str) -> None:
    unit = parse_unit(printed)
    assert unit is not None and unit.display == display


@pytest.mark.slow
def test_no_pattern_backtracks_on_runs(extractor: Extractor) -> None:
    """Every compiled pattern of the package and the pipeline (lexicon patterns included), on 1,000-character
    runs of each motif: none takes over 2 s (quadratic ones take at most a few hundred ms; cubic or exponential
    ones take seconds to forever)."""
    patterns = collect(extractor)
    assert len(patterns) > 250
    assert not slow(patterns)
