"""A readable difference between two records: per category, the items added, removed and changed.

Items are paired by what they are, not by where they sit: a category's label field (a drug's name, an outcome's
endpoint, a lab value's analyte ...) with the text of its evidence, and the occurrence number among equal keys.
So a change of the normalized text that only shifts offsets is one line of text difference and a count of items
"only moved", not a changed line for every item after it.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

LABELS = {
    "sections": "name",
    "drugs": "name",
    "doses": "drug",
    "outcomes": "endpoint",
    "adverse_events": "event",
    "lab_values": "analyte",
    "trials": "name",
    "arms": "name",
    "characteristics": "name",
}
"""The field that names an item of each list category; paired with the evidence text, it keys the item."""
OFFSETS = frozenset({"start", "end"})
SHOWN = 12  # items listed per category and kind; the rest are counted
TEXT_LINES = 16  # lines of the text's unified diff shown


def diff_records(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Lines describing how `new` differs from `old`; empty when they are equal."""
    if old == new:
        return []
    lines: list[str] = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "text":
            lines += _text(before, after)
        elif key in LABELS or key == "warnings":
            lines += _items(key, before or [], after or [])
        else:
            changes = _fields(before, after)
            lines.append(f"{key}: {'; '.join(changes)}")
    return lines


def _items(category: str, old: list[Any], new: list[Any]) -> list[str]:
    old_keyed, new_keyed = _keyed(category, old), _keyed(category, new)
    added = [item for key, item in new_keyed.items() if key not in old_keyed]
    removed = [item for key, item in old_keyed.items() if key not in new_keyed]
    changed, moved = [], 0
    for key, item in new_keyed.items():
        if key in old_keyed and old_keyed[key] != item:
            if _strip_offsets(old_keyed[key]) == _strip_offsets(item):
                moved += 1
            else:
                changed.append((item, _fields(old_keyed[key], item)))
    counts = [f"{len(added)} added", f"{len(removed)} removed", f"{len(changed)} changed"]
    if moved:
        counts.append(f"{moved} only moved (offsets)")
    lines = [f"{category} ({len(old)} -> {len(new)}): {', '.join(counts)}"]
    lines += _listed("+", (_summary(category, item) for item in added), len(added))
    lines += _listed("-", (_summary(category, item) for item in removed), len(removed))
    lines += _listed("~", (f"{_summary(category, item)}: {'; '.join(fs)}" for item, fs in changed), len(changed))
    return lines


def _keyed(category: str, items: list[Any]) -> dict[tuple[Any, ...], Any]:
    """Items by (label, evidence text, occurrence): stable under offset shifts and reordering."""
    seen: Counter[tuple[Any, ...]] = Counter()
    keyed = {}
    for item in items:
        base = (_label(category, item), _evidence(item))
        keyed[(*base, seen[base])] = item
        seen[base] += 1
    return keyed


def _label(category: str, item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    field = LABELS.get(category)
    if category == "trials":
        return item.get("name") or item.get("nct_id")
    return item.get(field) if field else None


def _evidence(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("span"), dict):
        text: str = item["span"]["text"]
        return text
    return None


def _strip_offsets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_offsets(v) for k, v in value.items() if k not in OFFSETS}
    if isinstance(value, list):
        return [_strip_offsets(v) for v in value]
    return value


def _fields(old: Any, new: Any, prefix: str = "") -> list[str]:
    """'path: old -> new' for every differing leaf; a list of other length is compared as a multiset."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes = []
        for key in dict.fromkeys([*old, *new]):
            if old.get(key) != new.get(key):
                changes += _fields(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else key)
        return changes
    if isinstance(old, list) and isinstance(new, list) and len(old) != len(new):
        gone = Counter(map(_compact, old)) - Counter(map(_compact, new))
        came = Counter(map(_compact, new)) - Counter(map(_compact, old))
        parts = [f"+{item}" for item in came.elements()] + [f"-{item}" for item in gone.elements()]
        return [f"{prefix or 'value'}: {len(old)} -> {len(new)} items ({_cut(', '.join(parts), 200)})"]
    if isinstance(old, list) and isinstance(new, list):
        changes = []
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                changes += _fields(a, b, f"{prefix}[{i}]")
        return changes
    return [f"{prefix or 'value'}: {_compact(old)} -> {_compact(new)}"]


def _summary(category: str, item: Any) -> str:
    """One line: the item's set scalar fields, then its evidence in quotes."""
    if not isinstance(item, dict):
        return _compact(item)
    fields = [f"{k}={_compact(v)}" for k, v in item.items() if v not in (None, [], {}) and not isinstance(v, dict)]
    if category == "drugs":
        fields = [f"name={_compact(item.get('name'))}", f"mentions={len(item.get('mentions') or [])}"]
    evidence = _evidence(item)
    return _cut(" ".join(fields), 140) + (f' | "{_cut(evidence, 70)}"' if evidence is not None else "")


def _listed(sign: str, lines: Iterable[str], total: int) -> list[str]:
    shown = [f"  {sign} {line}" for _, line in zip(range(SHOWN), lines, strict=False)]
    if total > SHOWN:
        shown.append(f"  {sign} ... and {total - SHOWN} more")
    return shown


def _text(old: Any, new: Any) -> list[str]:
    if not isinstance(old, str) or not isinstance(new, str):
        return [f"text: {_cut(_compact(old), 40)} -> {_cut(_compact(new), 40)}"]
    at = _first_difference(old, new)
    lines = [
        f"text: {len(old)} -> {len(new)} chars, first difference at offset {at}: "
        f"{old[max(0, at - 30) : at + 40]!r} -> {new[max(0, at - 30) : at + 40]!r}"
    ]
    a, b = old.splitlines(), new.splitlines()
    body = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1:  # lines edited in place: each pair cut around its own first difference
            for before, after in zip(a[i1:i2], b[j1:j2], strict=True):
                start = max(0, _first_difference(before, after) - 60)
                body += [f"-line {i1 + 1}: {_cut(before[start:], 140)}", f"+line {j1 + 1}: {_cut(after[start:], 140)}"]
                i1, j1 = i1 + 1, j1 + 1
            continue
        body += [f"-line {i + 1}: {_cut(a[i], 140)}" for i in range(i1, i2)]
        body += [f"+line {j + 1}: {_cut(b[j], 140)}" for j in range(j1, j2)]
    lines += [f"  {line}" for line in body[:TEXT_LINES]]
    if len(body) > TEXT_LINES:
        lines.append(f"  ... and {len(body) - TEXT_LINES} more changed lines")
    return lines


def _first_difference(old: str, new: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
