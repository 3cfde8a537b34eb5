"""Outcomes from results prose, any endpoint: per-arm statistics and effect estimates (`text.results`).

Runs after the table reader and the oncology outcome reader: a value either already read is left to them.
Arms are found in the text by every name `extractor_arms` knows for them (names, aliases, a drug only one
arm has, 'the X group'); endpoints are what each clause reports on, normalized only where the endpoint
lexicon knows the name. Results quoted from other studies (a citation or 'et al' in the sentence, outside the
article's own results) are kept with `cited` true, so a meta-analyst never pools them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import abbreviations, set_extensions
from extractor.nlp.layout import layout, references_start
from extractor.nlp.prose import item_spans, sentence_bounds
from extractor.nlp.result_doc import DocFacts, arm_registry
from extractor.nlp.text.arms import ArmRegistry
from extractor.nlp.text.results import Statement, arm_spans, read_statements

Item = dict[str, Any]
EFFECT_MEASURES = {"HR": "HR", "OR": "OR", "RR": "RR", "difference": "difference"}
ENRICHING = ("events", "n", "sd", "ci_low", "ci_high", "ci_level", "p_value", "timepoint")


@Language.factory(
    "extractor_results",
    requires=["doc.spans"],
    assigns=["doc.spans"],
    default_config={"spans_key": "outcomes", "arms_key": "arms"},
)
class ResultReader:
    def __init__(self, nlp: Language, name: str, *, spans_key: str, arms_key: str) -> None:
        set_extensions()
        self.name, self.spans_key, self.arms_key = name, spans_key, arms_key

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[Item, tuple[int, int]]]:
        text = doc_text(doc)
        registry = arm_registry(doc, self.arms_key)
        arms = arm_spans(text, registry)
        limit = references_start(doc)
        tables = [(t.start, t.end) for t in layout(doc).tables]
        existing = [s._.item or {} for s in doc.spans.get(self.spans_key, [])]
        taken = [(s.start_char, s.end_char, (s._.item or {}).get("value")) for s in doc.spans.get(self.spans_key, [])]
        seen: dict[tuple[Any, ...], Item] = {_fact(i): i for i in existing}
        sections = layout(doc).sections
        short = {s.text: lf.text for s, lf in abbreviations(doc)}
        facts = DocFacts.of(doc)
        found: list[tuple[Item, tuple[int, int]]] = []
        # the arms in the order the article first names them (its title first): 'A vs B' lists them so
        first_named: dict[str, int] = {}
        for span in arms:
            first_named.setdefault(span.arm, span.start)
        study_arms = sorted((a.name for a in registry.arms), key=lambda name: first_named.get(name, len(text)))
        previous: str | None = None
        for start, end in sentence_bounds(text):
            if start >= limit:
                break
            for statement in read_statements(text, start, end, arms, study_arms):
                mention = statement.mention
                if any(lo <= mention.start < hi for lo, hi in tables):
                    continue  # `extractor_tables` reads table cells
                if any(lo <= mention.start < hi and value == mention.reading.value for lo, hi, value in taken):
                    continue
                section = next((s.name for s in sections if s.start <= start < s.end), None)
                anchor = facts.context.anchor_at(facts.view.to_view[mention.start])
                study = anchor.study if anchor is not None and not anchor.own else None
                if (anchor is not None and not anchor.own) or (
                    statement.cited and section not in ("results", "abstract")
                ):
                    # another study's result: its arms are not this article's; effects are kept, marked cited
                    if mention.effect is None:
                        continue
                    statement = replace(statement, arm=None, comparator=None, cited=True)
                item = self._item(statement, registry, short, section)
                if item is not None:
                    item["study"] = study
                if item is None:
                    continue
                known = seen.get(_fact(item))
                if known is not None:
                    # a fact stated twice (abstract and results, prose and table) is one outcome; what the
                    # second statement adds ('87% (26/30)' after a table's '87%') completes the first
                    for key in ENRICHING:
                        if known.get(key) is None and item.get(key) is not None:
                            known[key] = item[key]
                    continue
                seen[_fact(item)] = item
                previous = item["endpoint"]
                found.append((item, (statement.start, statement.end)))
        del previous
        return found

    def _item(
        self, statement: Statement, registry: ArmRegistry, short: dict[str, str], section: str | None
    ) -> Item | None:
        mention, reading = statement.mention, statement.mention.reading
        arm = next((a for a in registry.arms if a.name == statement.arm), None)
        endpoint = _expand(statement.endpoint, short)
        measure: str | None
        if mention.effect is not None:
            measure = EFFECT_MEASURES[mention.effect]
            outcome_type = (
                "time_to_event" if measure == "HR" else ("binary" if measure in ("OR", "RR") else "continuous")
            )
        else:
            measure = {"value": None, "count": "count"}.get(reading.measure, reading.measure)
            if endpoint.endswith(" change") and (
                measure == "mean" or (measure == "rate" and reading.events is None and reading.n is None)
            ):
                # 'FPG change', from 'adjusted mean change from baseline in FPG'; 'HbA1c change ... -0.67%'
                measure = "mean change"
            outcome_type = "binary" if reading.binary and measure != "mean change" else "continuous"
        if measure is None or (measure == "rate" and reading.value is not None and reading.value < 0):
            return None  # '(−39% men)': a relative change of no endpoint's change, no share of patients
        ci = reading.interval == "ci"
        cited = statement.cited
        return {
            "endpoint": endpoint,
            "outcome_type": outcome_type,
            "measure": measure,
            "value": reading.value,
            "unit": "%" if reading.measure == "rate" else mention.unit,
            "sd": reading.sd,
            "se": reading.se,
            "events": reading.events,
            "n": reading.n or (arm.n if arm else None),
            "ci_low": reading.low if ci else None,
            "ci_high": reading.high if ci else None,
            "ci_level": 95.0 if ci else None,
            "p_value": mention.p_value,
            "arm": statement.arm,
            "comparator": statement.comparator,
            "study": None,
            "subgroup": None,
            "timepoint": statement.timepoint,
            "cited": cited,
        }

    def set_annotations(self, doc: Doc, found: list[tuple[Item, tuple[int, int]]]) -> None:
        spans = item_spans(doc, found, "OUTCOME")
        doc.spans[self.spans_key] = [*doc.spans.get(self.spans_key, []), *spans]


def _fact(item: Item) -> tuple[Any, ...]:
    """What makes two outcome items the same fact: the endpoint's head word, the value, the arm, the measure."""
    words = re.findall(r"[a-z0-9]+", str(item.get("endpoint", "")).lower())
    head = words[-1].rstrip("s") if words else ""
    return (head, item.get("value"), item.get("arm"), item.get("measure"))


def _expand(endpoint: str, short: dict[str, str]) -> str:
    """'FPG' alone -> 'fasting plasma glucose (FPG)'."""
    long_form = short.get(endpoint)
    return f"{long_form} ({endpoint})" if long_form else endpoint
