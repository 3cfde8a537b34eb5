"""Rules read from data files through one class, so a typo in a rule file is an error, not a silent miss."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from extractor.lexicons import load_json

Direction = Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]


class Rule(BaseModel):
    """One rule: a literal phrase-matched case-insensitively, or a spaCy token pattern when a phrase is not enough."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    literal: str
    category: str
    canonical: str | None = None
    pattern: list[dict[str, Any]] | None = None
    direction: Direction | None = None
    max_scope: int | None = Field(default=None, ge=0)
    metadata: dict[str, Any] | None = None


def load_rules(rules: str | list[dict[str, Any]] | None, default: str) -> list[Rule]:
    """'default': the packaged file; a path ending in .json: that file; a list: those rules; None: no rules."""
    if rules is None:
        return []
    if isinstance(rules, list):
        return [Rule.model_validate(r) for r in rules]
    if rules == "default":
        data = load_json(default)
    else:
        import json
        from pathlib import Path

        data = json.loads(Path(rules).read_text(encoding="utf-8"))
    return [Rule.model_validate(r) for r in data["rules"]]
