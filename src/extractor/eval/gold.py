"""Scoring records against hand-made gold, with the matching rules of the gold set's README.

| category | an extracted item matches a gold item when |
| drugs | same lowercase generic name |
| doses | same drug, same amount (±1%), same unit after normalization (mg/m² = mg/m2) |
| dose_changes | same drug, same change_percent (±1%, both may be null) |
| lab_values | same canonical analyte, same value (±1%) |
| outcomes | same endpoint, same value (±1%); measure, CI, arm and study scored on matched items |
| adverse_events | same event, same percent (±1%) |
| trials | same name or NCT id, case-insensitive |

Endpoints and events are free text outside oncology: what the exact names leave unmatched gets a second pass
with loose names (`loose_names_match`: lowercase, UK/US spelling, plural s, filler words left out, one name's
words all within the other's, or at least half the words shared); the value must still agree. Each gold item
matches at most one extracted item; P/R/F1 are micro-averaged over the articles. Records match gold files by
file stem, so a record of PMC123.nxml is scored against the gold of PMC123.txt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from extractor.record import ArticleRecord

Item = dict[str, Any]
CATEGORIES = ("drugs", "doses", "dose_changes", "lab_values", "outcomes", "adverse_events", "trials")
ATTRIBUTES = {
    "outcomes": ("measure", "ci", "arm", "study"),
    "adverse_events": ("grade", "arm", "study"),
    "lab_values": ("arm",),
}
# Attributes scored only where the gold item states them (a patient's lab value has no arm to get right).
STATED_ONLY = {("lab_values", "arm")}
LOOSE_CATEGORIES = {"outcomes": "endpoint", "adverse_events": "event"}
# Category pairs for the headline micro F1 (dose changes and the case-report patient are scored apart).
MICRO_CATEGORIES = ("drugs", "doses", "lab_values", "outcomes", "adverse_events", "trials")
FILLER_WORDS = frozenset(
    [
        "change",
        "changes",
        "changed",
        "mean",
        "means",
        "median",
        "level",
        "levels",
        "rate",
        "rates",
        "baseline",
        "end",
        "score",
        "scores",
        "the",
        "of",
        "at",
        "in",
        "from",
        "to",
        "on",
        "for",
        "a",
        "an",
        "and",
        "total",
        "overall",
        "value",
        "values",
    ]
)
_SPELLINGS = (
    (re.compile(r"haem"), "hem"),
    (re.compile(r"aem"), "em"),
    (re.compile(r"oedema"), "edema"),
    (re.compile(r"oea\b|oea(?=l)"), "ea"),
    (re.compile(r"oesoph"), "esoph"),
    (re.compile(r"sulph"), "sulf"),
    (re.compile(r"(?<=\w)is(e|ed|es|ing|ation)\b"), r"iz\1"),
)


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
    """'everolimus + exemestane' == 'exemestane+everolimus'; 'X vs Y' compares on X; UK/US spellings agree
    ('magnesium sulphate' == 'magnesium sulfate')."""
    if not arm:
        return ""
    arm = re.split(r"\s+(?:vs\.?|versus)\s+", arm.lower())[0]
    for pattern, replacement in _SPELLINGS:
        arm = pattern.sub(replacement, arm)
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
        "lab_values": lambda g, p: (
            canonical_analyte(g["analyte"]) == canonical_analyte(p["analyte"]) and close(g["value"], p["value"])
        ),
        "outcomes": lambda g, p: (
            str(g["endpoint"]).lower() == str(p["endpoint"]).lower() and close(g["value"], p["value"])
        ),
        "adverse_events": lambda g, p: g["event"] == p["event"] and close(g["percent"], p["percent"]),
        "trials": lambda g, p: g["name"].lower() == p["name"].lower(),
    }
    return rules[category]


def _name_words(name: str) -> list[str]:
    text = name.lower()
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    words = [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in re.findall(r"[a-z0-9]+", text)
    ]
    return [w for w in words if w not in FILLER_WORDS]


def loose_names_match(a: str, b: str) -> bool:
    """The gold README's second pass for free-text endpoints and events."""
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    sa, sb = set(wa), set(wb)
    if sa <= sb or sb <= sa:
        return True
    return 2 * len(sa & sb) >= max(len(sa), len(sb))


def _loose_rule(category: str) -> Callable[[Item, Item], bool] | None:
    key = LOOSE_CATEGORIES.get(category)
    if key is None:
        return None
    value = "value" if category == "outcomes" else "percent"
    return lambda g, p: close(g.get(value), p.get(value)) and loose_names_match(str(g[key]), str(p[key]))


@lru_cache(maxsize=1)
def _analyte_names() -> dict[str, str]:
    from extractor.nlp.text.analytes import packaged_analytes

    names: dict[str, str] = {}
    for analyte in packaged_analytes():
        for name in (analyte.canonical, *analyte.synonyms):
            names.setdefault(name.lower(), analyte.canonical)
    return names


@lru_cache(maxsize=4096)
def canonical_analyte(name: str) -> str:
    """'ALT' and 'alanine aminotransferase' are one analyte: a name the analyte lexicon knows, as its canonical;
    a name the lexicon does not know, by the longest known name it holds as whole words ('office systolic blood
    pressure' is systolic blood pressure measured in the office)."""
    key = " ".join(name.strip().lower().split())
    names = _analyte_names()
    if key in names:
        return names[key]
    held = [n for n in names if len(n) > 2 and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", key)]
    return names[max(held, key=len)] if held else key


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
        matches, loose = _match_rule(category), _loose_rule(category)
        used: set[int] = set()
        hits: dict[int, int] = {}
        for k, g in enumerate(golds):
            hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
            if hit is not None:
                used.add(hit)
                hits[k] = hit
        if loose is not None:
            for k, g in enumerate(golds):
                if k in hits:
                    continue
                hit = next((i for i, p in enumerate(preds) if i not in used and loose(g, p)), None)
                if hit is not None:
                    used.add(hit)
                    hits[k] = hit
        for k, g in enumerate(golds):
            hit = hits.get(k)
            if hit is None:
                score.fn += 1
                score.misses.append({"doc": doc, "kind": "missed", "item": _brief(g)})
                continue
            score.tp += 1
            for attribute in ATTRIBUTES.get(category, ()):
                if (category, attribute) in STATED_ONLY and not g.get(attribute):
                    continue
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
    per_article: dict[str, dict[str, CategoryScore]] = field(default_factory=dict)
    scored: list[str] = field(default_factory=list)  # record file names that have a gold file
    unscored: list[str] = field(default_factory=list)  # paths of the records that have none: not scored

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "scored": self.scored,
            "unscored": self.unscored,
            "unmatched_gold": self.unmatched_gold,
            "micro": micro(self.scores).to_dict(),
            "categories": {k: v.to_dict() for k, v in self.scores.items()},
            "per_article": {
                name: {"micro_f1": round(micro(s).f1, 4), **{k: round(v.f1, 4) for k, v in s.items()}}
                for name, s in self.per_article.items()
            },
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
        m = micro(self.scores)
        lines.append(f"{'micro':<16}{m.precision:>8.3f}{m.recall:>8.3f}{m.f1:>8.3f}{m.tp:>6}{m.fp:>6}{m.fn:>6}")
        lines.append(
            f"articles {self.articles}; article_type {self.article_type[0]}/{self.article_type[1]}; "
            f"patient {self.patient[0]}/{self.patient[1]}"
        )
        if len(self.per_article) > 1:
            names = [c for c in CATEGORIES if c != "dose_changes"]
            lines.append("")
            lines.append(f"{'article':<24}{'micro':>7}" + "".join(f"{c[:9]:>10}" for c in names))
            for article, by_category in self.per_article.items():
                cells = "".join(
                    f"{by_category[c].f1:>10.2f}"
                    if by_category[c].tp + by_category[c].fp + by_category[c].fn
                    else f"{'-':>10}"
                    for c in names
                )
                lines.append(f"{Path(article).stem:<24}{micro(by_category).f1:>7.2f}{cells}")
            lines.append("")
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


def evaluate(gold_dir: Path, records_path: Path, subset: str | None = None) -> Report:
    gold = load_gold(gold_dir)
    records = list(read_records(records_path))
    by_stem: dict[str, ArticleRecord] = {Path(r.source.path).stem: r for r in records}
    scores: dict[str, CategoryScore] = {}
    per_article: dict[str, dict[str, CategoryScore]] = {}
    article_type, patient = [0, 0], [0, 0]
    unmatched, scored = [], []
    for name, g in gold.items():
        if subset and not in_subset(name, subset):
            continue
        record = by_stem.get(Path(name).stem)
        if record is None:
            unmatched.append(name)
            continue
        scored.append(Path(record.source.path).name)
        score_article(g, record, scores)
        score_article(g, record, per_article.setdefault(name, {}))
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
    return Report(scores, article_type[1], unmatched, article_type, patient, per_article, scored, unscored)


def in_subset(name: str, subset: str) -> bool:
    """'even' / 'odd': gold files whose name's number (the PMCID) is even / odd; the development and check halves."""
    digits = re.findall(r"\d+", Path(name).stem)
    if not digits:
        return True
    return (int(digits[-1]) % 2 == 0) == (subset == "even")


def micro(scores: dict[str, CategoryScore], categories: Iterable[str] = MICRO_CATEGORIES) -> CategoryScore:
    """One score over several categories (the headline figure)."""
    total = CategoryScore()
    for name in categories:
        if name in scores:
            total.tp += scores[name].tp
            total.fp += scores[name].fp
            total.fn += scores[name].fn
    return total
