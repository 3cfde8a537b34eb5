"""Lexicons and rules, kept as data files with their source and licence.

Files load through `importlib.resources`, so they work from a wheel, a zip or a checkout alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any


def read_text(name: str) -> str:
    return files("extractor.lexicons").joinpath(name).read_text(encoding="utf-8")


def load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text(name))
    return data


def iter_tsv(name: str) -> Iterator[dict[str, str]]:
    """Rows of a TSV lexicon as dicts; '#' lines are provenance, the '# columns:' line names the fields."""
    columns: list[str] | None = None
    for line in read_text(name).splitlines():
        if line.startswith("#"):
            if line.startswith("# columns:"):
                columns = line.split(":", 1)[1].strip().split("\t")
            continue
        if not line.strip():
            continue
        if columns is None:
            raise ValueError(f"lexicon {name} has no '# columns:' line before its first row")
        values = line.split("\t")
        yield dict(zip(columns, values + [""] * (len(columns) - len(values)), strict=True))


def provenance(name: str) -> dict[str, str]:
    """The '# key: value' header of a TSV file, or the 'meta' object of a JSON file."""
    if name.endswith(".json"):
        return {k: str(v) for k, v in load_json(name).get("meta", {}).items()}
    meta: dict[str, str] = {}
    for line in read_text(name).splitlines():
        if not line.startswith("#"):
            break
        key, _, value = line[1:].partition(":")
        meta[key.strip()] = value.strip()
    return meta
