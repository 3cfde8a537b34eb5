"""Scoring records against hand-made gold, with the matching rules of the gold set's README.

| category | an extracted item matches a gold item when |
| drugs | same lowercase generic name |
| doses | same drug, same amount (±1%), same unit after normalization (mg/m² = mg/m2) |
| dose_changes | same drug, same change_percent (±1%, both may be null) |
| lab_values | same canonical analyte, same value (±1%) |
| outcomes | same endpoint, same value (±1%); measure, CI, arm and study scored on matched items |
| adverse_events | same event, same percent (±1%) |
| trials | same name or NCT id, case-insensitive |

Each gold item matches at most one extracted item; P/R/F1 are micro-averaged over the articles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.record import ArticleRecord

Item = dict[str, Any]
CATEGORIES = ("drugs", "doses", "dose_changes", "lab_values", "outcomes", "adverse_events", "trials")
ATTRIBUTES = {"outcomes": ("measure", "ci", "arm", "study"), "adverse_events": ("grade", "arm", "study")}


def close(a: float | None, b: float | None, tolerance: float = 0.01) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(abs(a), abs(b)) or a == b


def norm_unit(unit: str | None, per: str | None = None) -> str:
    u = (unit or "").lower().replace("²", "2").replace("μ", "u").replace("µ", "u").replace(" ", "")
    if per and not u.endswith("/" + per):
        u = f"{u}/{per}"
    return u


def norm_arm(arm: str | None) -> str:
    """'everolimus + exemestane' == 'exemestane+everolimus'; 'X vs Y' compares on X."""
    if not arm:
        return ""
    arm = re.split(r"\s+(?:vs\.?|versus)\s+", arm.lower())[0]
    parts = [re.sub(r"[^a-z0-9-]+", " ", p).strip() for p in re.split(r"\s*(?:\+|/|\band\b|\bplus\b|\bwith\b)\s*", arm)]
    return " + ".join(sorted(p for p in parts if p))


def _match_rule(category: str) -> Callable[[Item, Item], bool]:
    rules: dict[str, Callable[[Item, Item], bool]] = {
        "drugs": lambda g, p: g["name"] == p["name"],
        "doses": lambda g, p: (
            g["drug"] == p["drug"]
            and close(g["amount"], p["amount"])
            and norm_unit(g["unit"], g.get("per")) == norm_unit(p["unit"], p.get("per"))
        ),
        "dose_changes": lambda g, p: g["drug"] == p["drug"] and close(g.get("change_percent"), p.get("change_percent")),
        "lab_values": lambda g, p: g["analyte"] == p["analyte"] and close(g["value"], p["value"]),
        "outcomes": lambda g, p: (
            str(g["endpoint"]).lower() == str(p["endpoint"]).lower() and close(g["value"], p["value"])
        ),
        "adverse_events": lambda g, p: g["event"] == p["event"] and close(g["percent"], p["percent"]),
        "trials": lambda g, p: g["name"].lower() == p["name"].lower(),
    }
    return rules[category]


def _attribute_ok(attribute: str, gold: Item, pred: Item) -> bool:
    if attribute == "ci":
        return close(gold.get("ci_low"), pred.get("ci_low")) and close(gold.get("ci_high"), pred.get("ci_high"))
    if attribute == "arm":
        return norm_arm(gold.get("arm")) == norm_arm(pred.get("arm"))
    if attribute == "study":
        return (gold.get("study") or "").lower() == (pred.get("study") or "").lower()
    return (gold.get(attribute) or None) == (pred.get(attribute) or None)


def gold_items(gold: dict[str, Any], category: str) -> list[Item]:
    if category == "drugs":
        return [{"name": name} for name in gold.get("drugs", [])]
    if category == "trials":
        return [{"name": name} for name in gold.get("trials", [])]
    return list(gold.get(category, []))


def predicted_items(record: ArticleRecord, category: str) -> list[Item]:
    if category == "drugs":
        return [{"name": d.name, "text": d.mentions[0].text if d.mentions else ""} for d in record.drugs]
    if category == "trials":
        return [{"name": t.name or t.nct_id or "", "text": t.span.text} for t in record.trials]
    if category == "doses":
        return [_dump(d) for d in record.doses if d.amount is not None]
    if category == "dose_changes":
        return [_dump(d) for d in record.doses if d.change_percent is not None or d.amount is None]
    return [_dump(item) for item in getattr(record, category)]


def _dump(item: Any) -> Item:
    data: Item = item.model_dump()
    data["text"] = data.pop("span")["text"]
    return data


@dataclass
class CategoryScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "attributes": {k: round(c / t, 4) if t else None for k, (c, t) in self.attributes.items()},
        }


def score_article(gold: dict[str, Any], record: ArticleRecord, scores: dict[str, CategoryScore]) -> None:
    doc = gold.get("doc", record.source.path)
    for category in CATEGORIES:
        score = scores.setdefault(category, CategoryScore())
        golds, preds = gold_items(gold, category), predicted_items(record, category)
        matches = _match_rule(category)
        used: set[int] = set()
        for g in golds:
            hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
            if hit is None:
                score.fn += 1
                score.misses.append({"doc": doc, "kind": "missed", "item": _brief(g)})
                continue
            used.add(hit)
            score.tp += 1
            for attribute in ATTRIBUTES.get(category, ()):
                counts = score.attributes.setdefault(attribute, [0, 0])
                counts[0] += _attribute_ok(attribute, g, preds[hit])
                counts[1] += 1
                if not _attribute_ok(attribute, g, preds[hit]):
                    score.misses.append(
                        {"doc": doc, "kind": f"wrong {attribute}", "item": _brief(preds[hit]), "gold": _brief(g)}
                    )
        for i, p in enumerate(preds):
            if i not in used:
                score.fp += 1
                score.misses.append({"doc": doc, "kind": "spurious", "item": _brief(p)})


def _brief(item: Item) -> Item:
    return {k: v for k, v in item.items() if v is not None and k not in ("from_table",)}


@dataclass
class Report:
    scores: dict[str, CategoryScore]
    articles: int
    unmatched_gold: list[str]
    article_type: list[int]  # [correct, total]
    patient: list[int]
    scored: list[str] = field(default_factory=list)  # record file names that have a gold file
    unscored: list[str] = field(default_factory=list)  # paths of the records that have none: not scored

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "scored": self.scored,
            "unscored": self.unscored,
            "unmatched_gold": self.unmatched_gold,
            "categories": {k: v.to_dict() for k, v in self.scores.items()},
            "article_type_accuracy": _ratio(self.article_type),
            "patient_accuracy": _ratio(self.patient),
        }

    def table(self) -> str:
        lines = [f"{'category':<16}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}  attributes"]
        for name, s in self.scores.items():
            attrs = ", ".join(f"{k} {c}/{t}" for k, (c, t) in s.attributes.items())
            lines.append(
                f"{name:<16}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}  {attrs}"
            )
        lines.append(
            f"articles {self.articles}; article_type {self.article_type[0]}/{self.article_type[1]}; "
            f"patient {self.patient[0]}/{self.patient[1]}"
        )
        lines.append(f"scored (a gold file each): {', '.join(self.scored) or 'none'}")
        if self.unscored:
            lines.append(f"not scored, no gold file ({len(self.unscored)}): {', '.join(self.unscored)}")
        if self.unmatched_gold:
            lines.append(f"gold files without a record: {', '.join(self.unmatched_gold)}")
        return "\n".join(lines)


def _ratio(counts: list[int]) -> float | None:
    return round(counts[0] / counts[1], 4) if counts[1] else None


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Gold files by the article file name they describe."""
    gold = {}
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[Path(data.get("doc", path.stem)).name] = data
    return gold


def read_records(path: Path) -> Iterable[ArticleRecord]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield ArticleRecord.model_validate_json(line)


ARTICLE_TYPE_EQUIVALENTS = {"abstract_page": {"case_report", "other"}}


def evaluate(gold_dir: Path, records_path: Path) -> Report:
    gold = load_gold(gold_dir)
    records = list(read_records(records_path))
    by_name: dict[str, ArticleRecord] = {Path(r.source.path).name: r for r in records}
    scores: dict[str, CategoryScore] = {}
    article_type, patient = [0, 0], [0, 0]
    unmatched, scored = [], []
    for name, g in gold.items():
        record = by_name.get(name) or by_name.get(Path(name).stem + ".txt")
        if record is None:
            unmatched.append(name)
            continue
        scored.append(Path(record.source.path).name)
        score_article(g, record, scores)
        want = g.get("article_type")
        got = record.metadata.article_type.value if record.metadata.article_type else None
        article_type[0] += got == want or got in ARTICLE_TYPE_EQUIVALENTS.get(want or "", set())
        article_type[1] += 1
        if "patient" in g:
            gp = g["patient"] or {}
            rp = record.patient.model_dump() if record.patient else {}
            for key in ("age", "sex"):
                patient[0] += gp.get(key) == rp.get(key)
                patient[1] += 1
    unscored = [r.source.path for r in records if Path(r.source.path).name not in scored]
    return Report(scores, len(gold) - len(unmatched), unmatched, article_type, patient, scored, unscored)
