"""The output contract: one `ArticleRecord` per input document.

Field names follow `docs/record-contract.md` and are a public interface. This is the only module that
defines output shapes; components annotate spaCy Docs and `assemble.py` turns those into these models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

SectionName = Literal[
    "abstract",
    "introduction",
    "methods",
    "results",
    "discussion",
    "conclusion",
    "references",
    "figure_caption",
    "table",
    "other",
]


class SourceFormat(StrEnum):
    pdf = "pdf"
    text = "text"
    html = "html"
    xml = "xml"


class ArticleType(StrEnum):
    case_report = "case_report"
    rct = "rct"
    cohort = "cohort"
    review = "review"
    other = "other"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Evidence: where in `ArticleRecord.text` an item was read."""

    text: str
    start: int = Field(ge=0, description="character offset into ArticleRecord.text")
    end: int = Field(ge=0, description="end offset (exclusive) into ArticleRecord.text")
    section: SectionName | None = None
    page: int | None = Field(default=None, ge=1, description="1-based page number, when the source has pages")


class Source(_Model):
    path: str
    format: SourceFormat
    sha256: str
    pages: int | None = None
    chars: int = Field(ge=0, description="characters in the normalized text")


class Metadata(_Model):
    title: str | None = None
    doi: str | None = None
    pmid: str | None = None
    journal: str | None = None
    year: int | None = None
    article_type: ArticleType | None = None


class Section(_Model):
    name: SectionName
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    heading: str | None = Field(default=None, description="the heading as printed, when there is one")


class Drug(_Model):
    name: str = Field(description="lowercase generic (INN) name")
    mentions: list[Span]
    ids: dict[str, str] = Field(default_factory=dict, description="drugbank, mesh, rxnorm ... where known")
    drug_class: str | None = None
    negated: bool = Field(default=False, description="true when every mention is negated")


class Dose(_Model):
    drug: str | None
    amount: float | None = None
    amount_max: float | None = None
    unit: str | None = None
    per: Literal["m2", "kg"] | None = None
    frequency: str | None = None
    route: Literal["oral", "iv", "sc", "im"] | None = None
    duration: str | None = None
    change_percent: float | None = Field(
        default=None, description="dose changes: negative for a reduction ('reduced by 20%' -> -20)"
    )
    span: Span


OutcomeType = Literal["binary", "continuous", "time_to_event"]


class Arm(_Model):
    """One of the study's groups, as the article names it ("clonidine", "placebo + metformin", "group A")."""

    name: str
    n: int | None = Field(default=None, ge=0, description="participants randomized or analysed in the group")
    drugs: list[str] = Field(default_factory=list, description="generic names of the drugs the group received")
    aliases: list[str] = Field(
        default_factory=list, description="other names the text gives the group ('group A', 'WGJ', a table header)"
    )
    span: Span


class Outcome(_Model):
    endpoint: str
    outcome_type: OutcomeType | None = None
    measure: str | None = None
    value: float | None = None
    unit: str | None = None
    sd: float | None = Field(default=None, description="standard deviation of a per-arm mean")
    se: float | None = Field(default=None, description="standard error of a per-arm mean, where one is printed")
    events: int | None = Field(default=None, ge=0, description="participants with the event (binary outcomes)")
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float | None = None
    p_value: str | float | None = None
    arm: str | None = None
    comparator: str | None = None
    study: str | None = None
    subgroup: str | None = None
    timepoint: str | None = None
    cited: bool = Field(default=False, description="a result quoted from another study, not this article's own")
    span: Span


class Characteristic(_Model):
    """A group's characteristic at baseline (age, sex, history, baseline severity) as a baseline table gives it."""

    name: str
    measure: str | None = Field(default=None, description="mean | median | rate | count")
    value: float | None = None
    unit: str | None = None
    sd: float | None = None
    se: float | None = None
    events: int | None = Field(default=None, ge=0, description="participants with the characteristic")
    n: int | None = Field(default=None, ge=0)
    arm: str | None = None
    span: Span


class AdverseEvent(_Model):
    event: str = Field(description="lowercase preferred term")
    grade: str | None = None
    percent: float | None = None
    n: int | None = None
    group_size: int | None = Field(
        default=None, ge=0, description="the group the count is out of, when a table prints it ('134/394', 'n = 394')"
    )
    arm: str | None = None
    study: str | None = None
    drug: str | None = None
    span: Span


class LabValue(_Model):
    analyte: str
    value: float
    unit: str | None = None
    value_si: float | None = None
    unit_si: str | None = None
    raw: str | None = None
    measure: str | None = Field(default=None, description="of a group value: mean | median | mean change ...")
    sd: float | None = Field(default=None, description="standard deviation of a group mean")
    se: float | None = Field(default=None, description="standard error of a group mean, when the table prints one")
    n: int | None = Field(default=None, ge=0, description="size of the group a group value describes")
    arm: str | None = None
    timepoint: str | None = None
    span: Span


class Trial(_Model):
    name: str | None = None
    nct_id: str | None = None
    span: Span


class Patient(_Model):
    age: int | None = None
    sex: Literal["female", "male"] | None = None


class ArticleRecord(_Model):
    _html_view: ClassVar[Callable[[ArticleRecord], str] | None] = None  # set by `use_html_view`

    schema_version: str = SCHEMA_VERSION
    doc_id: str
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    drugs: list[Drug] = Field(default_factory=list)
    doses: list[Dose] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    adverse_events: list[AdverseEvent] = Field(default_factory=list)
    lab_values: list[LabValue] = Field(default_factory=list)
    trials: list[Trial] = Field(default_factory=list)
    arms: list[Arm] = Field(default_factory=list)
    characteristics: list[Characteristic] = Field(default_factory=list)
    patient: Patient | None = None
    warnings: list[str] = Field(default_factory=list)
    text: str | None = Field(default=None, description="the normalized text every span indexes into")

    def iter_spans(self) -> Iterator[Span]:
        for drug in self.drugs:
            yield from drug.mentions
        categories = (self.doses, self.outcomes, self.adverse_events, self.lab_values, self.trials, self.arms)
        for items in (*categories, self.characteristics):
            for item in items:
                yield item.span

    @model_validator(mode="after")
    def _spans_point_at_text(self) -> Self:
        if self.text is None:
            return self
        for span in self.iter_spans():
            if span.end < span.start or span.end > len(self.text):
                raise ValueError(f"span {span.start}:{span.end} lies outside the text ({len(self.text)} chars)")
            if self.text[span.start : span.end] != span.text:
                raise ValueError(f"span {span.start}:{span.end} is not {span.text!r}")
        return self

    def counts(self) -> dict[str, int]:
        """Items per category, for summaries."""
        return {name: len(getattr(self, name)) for name in CATEGORIES}

    @classmethod
    def use_html_view(cls, view: Callable[[ArticleRecord], str]) -> None:
        """Sets the HTML that Jupyter shows for a record: output/render.py registers its compact summary when it
        is imported (so does `import extractor`), and this module never imports its presentation."""
        cls._html_view = view

    def _repr_html_(self) -> str | None:
        """Jupyter's rich display: the registered view, or None (the plain repr) when there is none."""
        view = type(self)._html_view
        return view(self) if view is not None else None


CATEGORIES = ("drugs", "doses", "outcomes", "adverse_events", "lab_values", "trials", "arms", "characteristics")
# The item model of each category: one row per item in tables (output/flatten.py).
CATEGORY_MODELS: dict[str, type[_Model]] = {
    "drugs": Drug,
    "doses": Dose,
    "outcomes": Outcome,
    "adverse_events": AdverseEvent,
    "lab_values": LabValue,
    "trials": Trial,
    "arms": Arm,
    "characteristics": Characteristic,
}


def json_schema() -> dict[str, Any]:
    schema = ArticleRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://github.com/extractor/extractor/schemas/article_record.v{SCHEMA_VERSION}.json"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
