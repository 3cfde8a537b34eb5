"""Schwartz & Hearst (2003): whether a run of words can be the long form of an abbreviation.

The short form's letters and digits are matched right to left in the words, the first one at the start of a
word. Trial names ('Heart Protection Study (HPS)') and the ICO query's abbreviations ('interferon gamma-induced
protein 10 (IP-10)') both ask it.
"""

from __future__ import annotations


def first_letter_at(short: str, text: str) -> int | None:
    """Where in `text` the short form's first letter matches, every later letter and digit matched after it in
    order; None when `text` does not spell `short`. Case is ignored."""
    chars = [c for c in short.lower() if c.isalnum()]
    text = text.lower()
    at = len(text) - 1
    for k in range(len(chars) - 1, -1, -1):
        while at >= 0 and (text[at] != chars[k] or (k == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        at -= 1
    return at + 1


def spells(short: str, long: str) -> bool:
    """Whether `long` can be the long form of `short`."""
    return first_letter_at(short, long) is not None
