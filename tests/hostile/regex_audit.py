"""Finds the regular expressions of the hot path that backtrack catastrophically on some input.

Every pattern the extractor compiles is collected — module-level patterns (also inside dicts, lists and class
attributes), patterns held by the loaded pipeline's components (most lexicon patterns end up there), and the
inline `re.search(r"...")` ones, read from `re`'s cache after extracting texts — and run with `finditer` over
runs of the characters and short motifs that make regexes blow up (digit runs, nested brackets, spaces, ...).
A pattern whose time grows faster than its input (4x input, much more than 4x time) or that takes long on one
input is reported. `python -m tests.hostile.regex_audit` prints the table; tests/hostile/test_regexes.py keeps
the worst cases found here as regression tests, and fails when any pattern is slow on a 1,000-character run.

Reading the table: `finditer` tries every start, so a pattern used with `match`/`fullmatch` (one start) or on a
short window (`text[start - 30 : start]`) shows a growth it never has in use; and whitespace runs never reach
the pipeline's patterns (normalized text has none over two characters: test_properties.py checks it).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractor import Extractor

MOTIFS = [
    "9", "a", " ", "(", ")", "[", "(a", "a)", ".", ",", "-", "%", "/", ":", "&", "'", "\n", "1 ", "1.", "1,",
    "1-", "a ", "a-", "1 (", "(1", "1%", "a.", "1 mg ", "1 and ", "mg/", "x ", "1·", "1/", "- ", ". ", "aa ",
    "A ", "A", "Aa ", "1e", "10 ", "\t", "; ", "1:", "…",
]  # fmt: skip
"""Repeated to the input length: each is a run some pattern reads with nested or adjacent quantifiers."""


def _walk(value: Any, seen: set[int], depth: int) -> Iterator[re.Pattern[str]]:
    if id(value) in seen or depth < 0:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, seen, depth - 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk(item, seen, depth - 1)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("extractor"):
        for item in vars(value).values():
            yield from _walk(item, seen, depth - 1)


def collect(extractor: Extractor | None = None) -> dict[str, re.Pattern[str]]:
    """Every compiled pattern reachable from the extractor's modules and the loaded default pipeline (after it
    extracted three seed texts, so lazily built patterns exist), plus the literal ones of inline `re.search(...)`
    calls. Keyed by where it was found."""
    import extractor as package

    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()
    for info in pkgutil.walk_packages(package.__path__, "extractor."):
        if ".external" in info.name:
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # an optional extra that is not installed
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, member in vars(value).items():
                    for i, pattern in enumerate(_walk(member, seen, 3)):
                        found.setdefault(f"{info.name}.{name}.{attr}[{i}]", pattern)
            else:
                for i, pattern in enumerate(_walk(value, seen, 3)):
                    found.setdefault(f"{info.name}.{name}[{i}]" if i else f"{info.name}.{name}", pattern)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ex = extractor or Extractor()
        for pipe_name, component in ex.nlp.pipeline:
            for i, pattern in enumerate(_walk(component, seen, 4)):
                found.setdefault(f"pipe:{pipe_name}[{i}]", pattern)
        for path in sorted(Path("corpus/seeds").glob("*.txt"))[:3]:
            ex.extract_file(path)
    for where, pattern in inline_patterns().items():
        if id(pattern) not in seen:
            found.setdefault(where, pattern)
    # spaCy's own tokenizer patterns run once per token; the tokenizer guards them (nlp/tokenizer.py).
    return found


_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def inline_patterns() -> dict[str, re.Pattern[str]]:
    """The literal patterns of `re.search(r"...", ...)`-style calls in the package's source."""
    import ast

    import extractor as package

    found: dict[str, re.Pattern[str]] = {}
    for path in sorted(Path(package.__path__[0]).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            func, first = node.func, node.args[0]
            if not (isinstance(func.value, ast.Name) and func.value.id == "re" and func.attr in _CALLS):
                continue
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[f"inline:{path.stem}:{node.lineno}"] = re.compile(first.value)
    return found


def timed(pattern: re.Pattern[str], text: str) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - started


def audit(
    patterns: dict[str, re.Pattern[str]], size: int = 1000, budget: float = 0.5
) -> Iterator[tuple[str, str, float, float]]:
    """(where, motif, seconds at `size`, seconds at 4*`size`) for every pattern and motif whose time grows
    faster than linearly (a 4x longer run taking over 8x as long) or is already over `budget` at `size`."""
    for where, pattern in sorted(patterns.items()):
        for motif in MOTIFS:
            text = (motif * (size // len(motif) + 1))[:size] + "!"
            small = timed(pattern, text)
            if small < 0.001:
                continue  # linear patterns take microseconds here
            if small > budget:
                yield where, motif, small, float("nan")  # already slow: the 4x input could take hours
                continue
            large = timed(pattern, (motif * (4 * size // len(motif) + 1))[: 4 * size] + "!")
            if large > 8 * small:
                yield where, motif, small, large


def slow(patterns: dict[str, re.Pattern[str]], size: int = 1000, budget: float = 2.0) -> list[tuple[str, str, float]]:
    """(where, motif, seconds) for every pattern that takes over `budget` on a `size`-character run of a motif
    (the better of two tries, so a busy machine does not make it flaky). A quadratic pattern takes milliseconds
    to a few hundred here; the cubic `_INVERSE_POWER` took 9 s on 1,000 spaces, an exponential one never ends."""
    found = []
    for where, pattern in sorted(patterns.items()):
        for motif in MOTIFS:
            text = (motif * (size // len(motif) + 1))[:size] + "!"
            took = timed(pattern, text)
            if took > budget:
                took = min(took, timed(pattern, text))
                if took > budget:
                    found.append((where, motif, took))
    return found


def growth(small: float, large: float) -> str:
    """The growth a 4x longer input shows: ~4x linear, ~16x quadratic, ~64x cubic."""
    if large != large:  # nan: not measured
        return "too slow to measure"
    ratio = large / small
    return "linear" if ratio < 8 else "quadratic" if ratio < 32 else "cubic or worse"


def main() -> None:
    patterns = collect()
    print(f"{len(patterns)} patterns collected", file=sys.stderr)
    for where, motif, small, large in audit(patterns):
        pattern = patterns[where].pattern
        print(f"{where}\t{motif!r}\t{small:.4f}s\t{large:.4f}s\t{growth(small, large)}\t{pattern[:90]!r}", flush=True)


if __name__ == "__main__":
    main()
