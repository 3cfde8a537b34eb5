"""Values several components derive from the same Doc, computed once per Doc.

spaCy rebuilds `Doc.text` from the tokens at every access (a Python loop over every token: 30-90 ms for a
full article), and the outcome and adverse-event components read the same `DocFacts`. The values are held
beside the Doc, in a `WeakKeyDictionary`, not in `doc.user_data`: nothing is added to the Doc (it stays
serializable for `nlp.pipe(n_process>1)`) and the values go when the Doc goes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from spacy.tokens import Doc

T = TypeVar("T")

_MEMO: WeakKeyDictionary[Doc, dict[str, tuple[Hashable, Any]]] = WeakKeyDictionary()


def memo(doc: Doc, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` for `doc`, reused while `key` (what the value was derived from) is unchanged."""
    values = _MEMO.setdefault(doc, {})
    held = values.get(name)
    if held is not None and held[0] == key:
        return held[1]  # type: ignore[no-any-return]
    value = compute()
    values[name] = (key, value)
    return value


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once: a Doc's text is fixed (retokenizing merges and splits keep it), so the token
    count is key enough."""
    return memo(doc, "text", len(doc), lambda: doc.text)


def remember_text(doc: Doc, text: str) -> None:
    """Hold `text` as `doc_text(doc)` when the Doc was made from it (its tokens end where the text ends), so no
    component joins the tokens again (about 1% of the pipeline's time)."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        memo(doc, "text", len(doc), lambda: text)
