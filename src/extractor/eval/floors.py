"""Accuracy floors: the lowest score an evaluation accepts before it exits non-zero.

Floors belong to the evaluation commands (`make eval` passes them to `extractor eval --floor`), not to the unit
tests: a score on a development set is a measurement that accuracy work moves on purpose, while a unit test checks
one behaviour on one real snippet. A floor names what it bounds: a gold category's F1 (drugs, doses, outcomes ...),
"micro" (the micro-averaged F1 over the headline categories), or the accuracy of "article_type" or "patient".
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.eval.gold import CATEGORIES, Report, micro

FLOOR_NAMES = (*CATEGORIES, "micro", "article_type", "patient")


class FloorError(ValueError):
    """A floor that cannot be read: unknown name, or a minimum that is not a number in [0, 1]."""


@dataclass(frozen=True)
class Floor:
    name: str
    minimum: float

    @classmethod
    def parse(cls, spec: str) -> Floor:
        """'drugs=0.95' -> Floor('drugs', 0.95)."""
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep or name not in FLOOR_NAMES:
            raise FloorError(f"{spec!r}: expected NAME=MIN with NAME one of {', '.join(FLOOR_NAMES)}")
        try:
            minimum = float(value)
        except ValueError:
            raise FloorError(f"{spec!r}: {value!r} is not a number") from None
        if not 0.0 <= minimum <= 1.0:
            raise FloorError(f"{spec!r}: the minimum must lie in [0, 1]")
        return cls(name, minimum)

    def measure(self, report: Report) -> float | None:
        """The score this floor bounds; None when the report has nothing to measure it on."""
        if self.name == "micro":
            return micro(report.scores).f1
        if self.name in ("article_type", "patient"):
            correct, total = report.article_type if self.name == "article_type" else report.patient
            return correct / total if total else None
        score = report.scores.get(self.name)
        return score.f1 if score is not None and score.tp + score.fp + score.fn else None

    def label(self) -> str:
        return f"{self.name} {'accuracy' if self.name in ('article_type', 'patient') else 'F1'}"


def check_floors(report: Report, floors: list[Floor]) -> tuple[list[str], bool]:
    """One line per floor ('ok' or 'BELOW'), and whether all held. A floor with nothing to measure fails: a gold
    set that lost its items must not pass for a good score."""
    lines, held = [], True
    for floor in floors:
        score = floor.measure(report)
        if score is None:
            lines.append(f"BELOW floor: {floor.label()} has nothing to measure (floor {floor.minimum:.3f})")
            held = False
        elif score < floor.minimum:
            lines.append(f"BELOW floor: {floor.label()} {score:.3f} < {floor.minimum:.3f}")
            held = False
        else:
            lines.append(f"floor ok: {floor.label()} {score:.3f} >= {floor.minimum:.3f}")
    return lines, held
