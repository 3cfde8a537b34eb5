"""The tokenizer: scispaCy's rule-based biomedical tokenizer, registered so configs can name it.

One addition: words joined by '-', '/' or '+' are split when both sides are words of three letters or
more ("everolimus-induced", "tegafur/gimeracil", "EVE+EXE", "(TDF)/emtricitabine"), so the parts can be matched
as drugs; the rule leaves codes alone ("BOLERO-2"; "5-FU" and "mg/m2" are split by spaCy's own infixes).

One guard: spaCy strips a long token's affixes one at a time and searches the whole remaining token for each,
so a token of n brackets or ampersands ("((((...", "&&&&...") cost O(n^2) regex scans (minutes for 50,000).
Here the suffix search looks at the last `AFFIX_WINDOW` characters only (real suffixes are a few characters
long) and the prefix search tries position 0 only (spaCy anchors every prefix with '^'), which keeps that linear.

One memo: the three affix searches remember their answer per string (`AffixMemo`). spaCy's own cache of tokenized
chunks stores nothing once a special case ("e.g.", "i.e.") has matched anywhere earlier in the text (its flag is per
text, not per chunk), so in an article every chunk went through the affix regexes again: 9% of the pipeline.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Generic, TypeVar

from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, registry

T = TypeVar("T")
AFFIX_WINDOW = 64  # real suffixes are a few characters; a bound keeps a long token's suffix search linear


MEMO_SIZE = 50_000  # strings an affix search remembers (then it starts over): a few MB


class AffixMemo(Generic[T]):
    """One of spaCy's affix searches, remembering its answer per string (the same string, the same answer).

    `__self__` is the pattern, as for a bound `re.Pattern.search`: spaCy's tokenizer serialization reads
    `suffix_search.__self__.pattern` (and the same of the prefix and infix searches)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.__self__ = pattern
        self.seen: dict[str, T] = {}

    def __call__(self, text: str) -> T:
        try:
            return self.seen[text]
        except KeyError:
            if len(self.seen) >= MEMO_SIZE:
                self.seen.clear()
            found = self.seen[text] = self.search(text)
            return found

    def search(self, text: str) -> T:
        raise NotImplementedError


class SuffixSearch(AffixMemo[re.Match[str] | None]):
    """`pattern.search` over the last `AFFIX_WINDOW` characters of a token, for spaCy's `suffix_search`.

    `search(text, pos)` keeps the true string end for `$` and lookbehinds before `pos`, so the match is the one an
    unbounded search finds whenever the suffix is shorter than the window."""

    def search(self, text: str) -> re.Match[str] | None:
        return self.__self__.search(text, max(0, len(text) - AFFIX_WINDOW))


class PrefixSearch(AffixMemo[re.Match[str] | None]):
    """`pattern.match` for spaCy's `prefix_search`: every alternative of a spaCy prefix pattern starts with `^`,
    so matching at position 0 finds what `search` finds, without trying (and failing at) every later position."""

    def search(self, text: str) -> re.Match[str] | None:
        return self.__self__.match(text)


class InfixFinditer(AffixMemo[tuple[re.Match[str], ...]]):
    """`pattern.finditer` for spaCy's `infix_finditer` (which makes a list of what it returns)."""

    def search(self, text: str) -> tuple[re.Match[str], ...]:
        return tuple(self.__self__.finditer(text))


WORD_JOINERS = (
    r"(?<=[A-Za-z\u03b1-\u03c9]{3})[-/](?=[A-Za-z\u03b1-\u03c9]{3})",
    r"(?<=[A-Za-z0-9])\+(?=[A-Za-z])",
    # 'tenofovir disoproxil fumarate (TDF)/emtricitabine (FTC)': a bracket closed before the joiner
    r"(?<=^[(\[])(?=[A-Za-z][A-Za-z0-9]+[)\]][-/][A-Za-z\u03b1-\u03c9]{3})",
    r"(?<=[A-Za-z][A-Za-z0-9])[)\]](?=[-/][A-Za-z\u03b1-\u03c9]{3})",
    r"(?<=[)\]])[-/](?=[A-Za-z\u03b1-\u03c9]{3})",
)


@registry.tokenizers("extractor.scispacy_tokenizer.v1")  # type: ignore[untyped-decorator]
def create_scispacy_tokenizer() -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        # scispaCy builds on the language's default tokenizer, which does not exist yet while the config loads.
        nlp.tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
        with warnings.catch_warnings():
            # scispaCy's suffix pattern holds a literal "[[" that Python flags as a possible future set union.
            warnings.filterwarnings("ignore", "Possible set union", FutureWarning)
            tokenizer: Tokenizer = combined_rule_tokenizer(nlp)
        infixes = [*WORD_JOINERS, *(nlp.Defaults.infixes or [])]
        tokenizer.infix_finditer = InfixFinditer(compile_infix_regex(infixes))
        if tokenizer.prefix_search is not None:
            tokenizer.prefix_search = PrefixSearch(tokenizer.prefix_search.__self__)
        if tokenizer.suffix_search is not None:
            tokenizer.suffix_search = SuffixSearch(tokenizer.suffix_search.__self__)
        return tokenizer

    return make
