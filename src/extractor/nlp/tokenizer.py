"""The tokenizer: scispaCy's rule-based biomedical tokenizer, registered so configs can name it.

One addition: words joined by '-', '/' or '+' are split when both sides are words of three letters or
more ("everolimus-induced", "tegafur/gimeracil", "EVE+EXE"), so the parts can be matched as drugs; codes
and units ("CA15-3", "5-FU", "mg/m2", "U/mL", "BOLERO-2") stay whole.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, registry

WORD_JOINERS = (
    r"(?<=[A-Za-z\u03b1-\u03c9]{3})[-/](?=[A-Za-z\u03b1-\u03c9]{3})",
    r"(?<=[A-Za-z0-9])\+(?=[A-Za-z])",
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
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return tokenizer

    return make
