"""Crossover trials: every participant receives every treatment, so each arm is everyone who took part.

A crossover trial's arms are its treatments ('single doses of MDMA (125 mg), methylphenidate (60 mg), modafinil
(600 mg), and placebo in a double-blind, cross-over study in 24 healthy participants'), and the number a
meta-analyst pools for each is the number of participants, not a share of them. The sentence that names the
design in the article's own abstract or methods says both. Pure functions over the text; the arms component
(`components/arms.py`) feeds them. Patterns are data (`lexicons/arm_rules.json`: crossover_design,
crossover_participants).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.ingest.document import Section
from extractor.nlp.prose import sentence_at
from extractor.nlp.text.arms import ArmDraft, ArmRegistry, DrugMention, arm_patterns
from extractor.nlp.text.numbers import as_count, parse_number

OWN_SECTIONS = {"abstract", "methods", "other", None}  # where an article states its own design (a title is "other")


@dataclass(frozen=True)
class Crossover:
    """The sentence naming the design, the participants it counts, and the treatments it names."""

    start: int
    end: int
    participants: int | None
    treatments: tuple[DrugMention, ...]  # the first mention of each drug the sentence names


def crossover(text: str, mentions: list[DrugMention], sections: Sequence[Section] = ()) -> Crossover | None:
    """The article's own crossover design, or None (a trial that lets patients 'cross over' to the other arm
    on progression is no crossover trial: the pattern wants the design named)."""
    p = arm_patterns()
    found: Crossover | None = None
    for m in p.crossover_design.finditer(text):
        section = next((s.name for s in sections if s.start <= m.start() < s.end), None)
        if section not in OWN_SECTIONS:
            continue
        start, end = sentence_at(text, m.start())
        # the participants in the sentence, else in the next ('A randomized, cross-over design was utilized.
        # Twenty healthy volunteers took part.')
        counted = p.crossover_participants.search(text, start, end) or p.crossover_participants.search(
            text, end, sentence_at(text, end)[1]
        )
        participants = as_count(parse_number(counted.group("n"))) if counted else None
        first = {d.name: d for d in reversed(mentions) if start <= d.start < end}
        treatments = tuple(sorted(first.values(), key=lambda d: d.start))
        if found is None:
            found = Crossover(start, end, participants, treatments)
        if participants is not None:  # the title names the design; the abstract counts who took part
            return Crossover(start, end, participants, treatments if counted and counted.start() < end else ())
    return found


def add_crossover_arms(
    registry: ArmRegistry, text: str, mentions: list[DrugMention], sections: Sequence[Section]
) -> None:
    """In a crossover trial every arm without a size is everyone who took part; the treatments its design
    sentence names are the arms when nothing else named two."""
    design = crossover(text, mentions, sections)
    if design is None or design.participants is None:
        return
    if len(registry.arms) < 2 and len(design.treatments) >= 2 and _listed(text, design.treatments):
        # the sentence that counts the participants lists the treatments they all received
        for d in design.treatments:
            registry.add(ArmDraft(d.name, (d.name,), design.participants, d.start, d.end, "crossover"))
    for arm in registry.arms:
        if arm.n is None:
            arm.n = design.participants


_BETWEEN_LISTED = re.compile(
    r"\s*(?:\([^()]{0,30}\)\s*)?(?:,\s*(?:and\s+|or\s+)?|(?:and|or|versus|vs\.?)\s+)(?:(?:a|an|the|oral|iv|single|doses?|of)\s+)*"
)


def _listed(text: str, treatments: tuple[DrugMention, ...]) -> bool:
    """'MDMA (125 mg), methylphenidate (60 mg), modafinil (600 mg), and placebo': the treatments are one list,
    not drugs a sentence relates ('whether ketamine potentiated the effect of fentanyl')."""
    return all(_BETWEEN_LISTED.fullmatch(text, a.end, b.start) is not None for a, b in itertools.pairwise(treatments))
