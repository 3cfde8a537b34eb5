"""Every rule file's schema: the JSON files of `lexicons/` are read through these models only.

A rule file is data a curator edits by hand, so it is checked where it is read: an unknown key (a typo, or a
rule the code no longer reads) and a pattern that does not compile are errors naming the file and the key, not a
silent miss at run time. Each model takes the file's provenance header (`meta`) and its rules; each file has one
cached loader (`dose_rules()`, ...), and `RULE_FILES` lists them all. Models only check and type the rules:
components compile the patterns with the flags they need (most case-insensitively).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from extractor.lexicons import load_json
from extractor.record import ArticleType, SectionName

# Stand-ins in patterns, filled by the component that compiles them: <NUM> a number or number word of
# dose_rules.json, <NUMBER> lab_rules.json's printed number, {NUM} and {WORD_NUM} nlp/text/numbers.py's.
_PLACEHOLDER = re.compile(r"<NUM>|<NUMBER>|\{NUM\}|\{WORD_NUM\}")


def _compiles(pattern: str) -> str:
    try:
        re.compile(_PLACEHOLDER.sub("(?:0)", pattern))
    except re.error as error:
        raise ValueError(f"not a regular expression ({error})") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A Python regular expression, checked by compiling it (placeholders stood in for)."""


class RuleFileError(ValueError):
    """A rule file that does not fit its schema; the message names the file and each key at fault."""

    def __init__(self, source: str, error: ValidationError) -> None:
        self.source = source
        self.problems = [_problem(detail) for detail in error.errors()]
        super().__init__(f"rule file {source}: " + "; ".join(self.problems))


def _problem(detail: ErrorDetails) -> str:
    key = ".".join(str(part) for part in detail["loc"]) or "(top level)"
    if detail["type"] == "extra_forbidden":
        return f"key '{key}': unknown key"
    if detail["type"] == "missing":
        return f"key '{key}': missing"
    if detail["type"] == "value_error":
        return f"key '{key}': {detail['ctx']['error']}"
    return f"key '{key}': {detail['msg']}"


class Meta(BaseModel):
    """A rule file's provenance header: where its rules come from, under which licence, notes on reading them."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    name: str
    source: str
    licence: str
    curated_by: str | None = Field(default=None, alias="curated-by")
    note: str | None = None


class RuleFile(BaseModel):
    """The part every rule file shares: its header. A file given by a user may leave it out."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    FILE: ClassVar[str]
    meta: Meta | None = None


M = TypeVar("M", bound=RuleFile)


def read_rules(model: type[M], data: Any, source: str) -> M:
    """`data` checked against `model`; a RuleFileError naming `source` and the keys at fault if it does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(source, error) from None


def read_rule_file(model: type[M], path: str | Path) -> M:
    """A rule file given by path (a component's config or its serialized state)."""
    return read_rules(model, json.loads(Path(path).read_text(encoding="utf-8")), str(path))


def _packaged(model: type[M]) -> M:
    return read_rules(model, load_json(model.FILE), f"lexicons/{model.FILE}")


# --- lexicons/ae_cues.json -------------------------------------------------------------------------------------


class AeCues(RuleFile):
    """Cues around an adverse-event term: grade, cause, listing, frequency, what is not an adverse event."""

    FILE = "ae_cues.json"
    grade: Regex
    induced_before: Regex
    induced_after: Regex
    effect_of: Regex
    cause_verb: Regex
    list_end: Regex
    such_as: Regex
    pronoun: Regex
    patient_event: Regex
    treatment_after: Regex
    singular_subject: Regex
    discontinuation: Regex
    not_adverse_after: Regex
    frequency_after: Regex
    frequency_context: Regex
    baseline_context: Regex
    each: Regex
    agents: Regex
    class_agents: Regex
    grade_free: list[str]
    discontinuation_event: str
    summary_any: str
    patient_given: Regex
    event_occurred: Regex
    listing: Regex
    listed_owner: Regex
    frequency_follows: Regex
    not_event_disease: Regex
    none_before: Regex
    none_reported: Regex
    none_not_after: Regex
    none_every_arm: Regex
    none_counted: Regex
    most_common: Regex
    # where a drug sentence can give a disease a reader (extractor_ner reads no other); absent: every drug sentence
    event_words: Regex | None = None
    given_people: Regex | None = None
    given_words: Regex | None = None


# --- lexicons/arm_rules.json -----------------------------------------------------------------------------------


class ArmRules(RuleFile):
    """How allocation sentences and table headers name study arms; {WORD_NUM} a number in words."""

    FILE = "arm_rules.json"
    allocation: Regex
    list_separator: Regex
    group_size: Regex
    count_before: Regex
    label_noise: Regex
    group_name: Regex
    control_words: Regex
    generic_words: Regex
    label_edges: Regex
    sized_groups: list[Regex]
    named_group: Regex
    each_group: Regex
    equal_split: list[Regex]
    generic_group: Regex
    not_arm_phrase: Regex
    strong_separator: Regex
    appositive: Regex
    item_lead: Regex
    control_placebo: Regex
    size_breakdown: list[Regex]
    time_list_before: Regex
    breakdown_people: Regex
    not_group_label: Regex
    crossover_design: Regex
    crossover_participants: Regex
    dose_list: Regex
    breakdown_lost: Regex
    breakdown_time: Regex


# --- lexicons/article_type_cues.json ---------------------------------------------------------------------------


class ArticleTypeCues(RuleFile):
    """Patterns per article type, tried in `order`."""

    FILE = "article_type_cues.json"
    order: list[ArticleType]
    rules: dict[ArticleType, list[Regex]]


# --- lexicons/dose_rules.json ----------------------------------------------------------------------------------


class PatternRule(BaseModel):
    """A pattern and the canonical value of its match ('every {n} weeks', filled from its named groups)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: Regex
    canonical: str


class DoseRules(RuleFile):
    """Frequencies, routes, durations, dose changes and the words between a drug and its dose; <NUM> a number."""

    FILE = "dose_rules.json"
    number_words: dict[str, int]
    frequencies: list[PatternRule]
    unit_frequencies: dict[str, str]
    routes: list[PatternRule]
    durations: list[PatternRule]
    changes: list[PatternRule]
    change_negation: Regex
    anaphora_cue: Regex
    not_given: Regex
    dosing_cue: Regex
    drug_then_dose: Regex
    plural_anaphora: Regex
    left_bridge: Regex
    right_bridge: Regex
    list_bridge: Regex
    coordination_bridge: Regex
    complement_before_drug: Regex
    radiation_units: list[str]
    radiation_drug: str
    dose_units: list[str]
    body_size_units: dict[str, str]
    auc: Regex
    combination_amounts: Regex


# --- lexicons/drug_context.json --------------------------------------------------------------------------------


class DrugContext(RuleFile):
    """Words around a drug name that make it a laboratory material (an EDTA tube), not a drug given."""

    FILE = "drug_context.json"
    reagent_before: Regex
    reagent_after: Regex


# --- lexicons/endpoints.json -----------------------------------------------------------------------------------


class Endpoint(BaseModel):
    """An endpoint's name, kind and the terms that name it; `strong` False for words that name it only when no
    explicit endpoint is near ('died')."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    kind: Literal["time", "response", "event"]
    strong: bool = True
    terms: list[str]


class EndpointRules(RuleFile):
    """Endpoint terms and the cues around an outcome value."""

    FILE = "endpoints.json"
    endpoints: list[Endpoint]
    response_rate_abbreviation: str = "RR"
    cues: dict[str, Regex]
    ambiguous_abbreviations: list[str] = []


# --- lexicons/lab_rules.json -----------------------------------------------------------------------------------


class LabRules(RuleFile):
    """What makes a number near an analyte a measured value, and how values and analytes are listed."""

    FILE = "lab_rules.json"
    not_measurement: Regex
    change_before_analyte: Regex
    difference_before_value: Regex
    difference_after_value: Regex
    restated_value: Regex
    table_cell_between: Regex
    assay_limit: Regex
    window_before_value: int
    arm: Regex
    timepoint: Regex
    from_word: Regex
    series_element: Regex
    analyte_separator: Regex
    value_separator: Regex
    pressure_pair: Regex
    pressure_parts: tuple[str, str]


# --- lexicons/negation_rules.json ------------------------------------------------------------------------------

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


class NegationRules(RuleFile):
    """ConText triggers."""

    FILE = "negation_rules.json"
    rules: list[Rule]


# --- lexicons/outcome_synonyms.json ----------------------------------------------------------------------------


class OutcomeSynonyms(RuleFile):
    """Groups of words naming the same outcome; a group's first word stands for it."""

    FILE = "outcome_synonyms.json"
    groups: list[Annotated[list[str], Field(min_length=1)]]


# --- lexicons/patient_rules.json -------------------------------------------------------------------------------


class PatientRules(RuleFile):
    """How a case report introduces its patient ('A 56-year-old woman')."""

    FILE = "patient_rules.json"
    case_report: Regex
    case_report_window: int
    statements: list[Regex]
    sex_words: dict[str, str]
    age_bounds: tuple[int, int]


# --- lexicons/result_rules.json --------------------------------------------------------------------------------


class ResultRules(RuleFile):
    """Effect sizes, p-values and the words around a result; {NUM} an unsigned number, {WORD_NUM} one in words."""

    FILE = "result_rules.json"
    unit: Regex
    effect: dict[str, Regex]
    p_value: Regex
    respectively: Regex
    comparison: Regex
    versus: Regex
    arm_after: Regex
    arm_before: Regex
    subject_stop: Regex
    subject_lead: Regex
    subject_trail: Regex
    not_endpoint: Regex
    object_verbs: Regex
    clause_break: Regex
    not_result: Regex
    cited: Regex
    endpoint_in: Regex
    weak_subject: Regex
    timepoint: Regex
    stat_paren: Regex
    hypothetical: Regex
    when_subject: Regex
    arm_adjacent: Regex
    none_occurred: Regex
    change_subject: Regex
    change_before_in: Regex
    change_by: Regex
    change_verb: Regex
    participant_flow: Regex
    allocated: Regex


# --- lexicons/section_headings.json ----------------------------------------------------------------------------


class SectionHeadings(RuleFile):
    """Heading forms per contract section name, and the forms that open a top-level part."""

    FILE = "section_headings.json"
    rules: dict[SectionName, list[str]]
    top_level: list[str]


# --- lexicons/stat_rules.json ----------------------------------------------------------------------------------

Center = Literal["mean", "median", "count", "percent", "percent_count", "proportion"]
Spread = Literal["sd", "se", "iqr", "range", "ci"]


class StatRules(RuleFile):
    """Which statistic a printed value is, from a row label or column header."""

    FILE = "stat_rules.json"
    center: dict[Center, Regex]
    spread: dict[Spread, Regex]


# --- lexicons/table_rules.json ---------------------------------------------------------------------------------


class TableRules(RuleFile):
    """Table kinds, column roles and row labels of trial tables."""

    FILE = "table_rules.json"
    kind_baseline: Regex
    kind_baseline_rows: Regex
    kind_adverse: Regex
    p_column: Regex
    effect_column: Regex
    total_column: Regex
    stat_label: Regex
    spread_only: Regex
    count_only: Regex
    timepoint: Regex
    baseline_time: Regex
    change: Regex
    difference: Regex
    n_row: Regex
    kind_labs: Regex
    qualifier_row: Regex
    label_noise: Regex
    topic_not_endpoint: Regex
    footnote_abbreviation: Regex
    subgroup_row: Regex


# --- lexicons/trial_rules.json ---------------------------------------------------------------------------------


class Registry(BaseModel):
    """A trial registry's id pattern (group `id`) and how its ids are written ('ISRCTN{id}')."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: Regex
    format: str


class TrialRules(RuleFile):
    """Cues that make an acronym a trial name, registries, and acronyms that are not trials."""

    FILE = "trial_rules.json"
    cues_after: list[Regex]
    cues_before: list[Regex]
    arms_after: Regex
    listed_trials: Regex
    long_form_cues: list[Regex]
    long_form_not_heads: list[Regex]
    defined_after: Regex
    reported_after: Regex
    reported_before: Regex
    cited_before: Regex
    cited_after: Regex
    opening_before: Regex
    opening_after: Regex
    registry_between: Regex
    registries: dict[str, Registry]
    not_trials: list[str]


# --- lexicons/web_boilerplate.json -----------------------------------------------------------------------------


class WebBoilerplate(RuleFile):
    """Lines of saved web pages that are site chrome, compared lowercased with spaces squeezed."""

    FILE = "web_boilerplate.json"
    min_markers: int = Field(ge=1)
    markers: list[str]
    drop: list[str]
    stop_after: list[str]


# --- one cached loader per packaged file -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def ae_cues() -> AeCues:
    return _packaged(AeCues)


@lru_cache(maxsize=1)
def arm_rules() -> ArmRules:
    return _packaged(ArmRules)


@lru_cache(maxsize=1)
def article_type_cues() -> ArticleTypeCues:
    return _packaged(ArticleTypeCues)


@lru_cache(maxsize=1)
def dose_rules() -> DoseRules:
    return _packaged(DoseRules)


@lru_cache(maxsize=1)
def drug_context() -> DrugContext:
    return _packaged(DrugContext)


@lru_cache(maxsize=1)
def endpoint_rules() -> EndpointRules:
    return _packaged(EndpointRules)


@lru_cache(maxsize=1)
def lab_rules() -> LabRules:
    return _packaged(LabRules)


@lru_cache(maxsize=1)
def negation_rules() -> NegationRules:
    return _packaged(NegationRules)


@lru_cache(maxsize=1)
def outcome_synonyms() -> OutcomeSynonyms:
    return _packaged(OutcomeSynonyms)


@lru_cache(maxsize=1)
def patient_rules() -> PatientRules:
    return _packaged(PatientRules)


@lru_cache(maxsize=1)
def result_rules() -> ResultRules:
    return _packaged(ResultRules)


@lru_cache(maxsize=1)
def section_headings() -> SectionHeadings:
    return _packaged(SectionHeadings)


@lru_cache(maxsize=1)
def stat_rules() -> StatRules:
    return _packaged(StatRules)


@lru_cache(maxsize=1)
def table_rules() -> TableRules:
    return _packaged(TableRules)


@lru_cache(maxsize=1)
def trial_rules() -> TrialRules:
    return _packaged(TrialRules)


@lru_cache(maxsize=1)
def web_boilerplate() -> WebBoilerplate:
    return _packaged(WebBoilerplate)


RULE_FILES: dict[str, Callable[[], RuleFile]] = {
    AeCues.FILE: ae_cues,
    ArmRules.FILE: arm_rules,
    ArticleTypeCues.FILE: article_type_cues,
    DoseRules.FILE: dose_rules,
    DrugContext.FILE: drug_context,
    EndpointRules.FILE: endpoint_rules,
    LabRules.FILE: lab_rules,
    NegationRules.FILE: negation_rules,
    OutcomeSynonyms.FILE: outcome_synonyms,
    PatientRules.FILE: patient_rules,
    ResultRules.FILE: result_rules,
    SectionHeadings.FILE: section_headings,
    StatRules.FILE: stat_rules,
    TableRules.FILE: table_rules,
    TrialRules.FILE: trial_rules,
    WebBoilerplate.FILE: web_boilerplate,
}
"""Each packaged rule file's name to its loader."""


def load_rules(rules: str | list[dict[str, Any]] | None) -> list[Rule]:
    """Negation rules: 'default': the packaged file; a path ending in .json: that file; a list: those rules;
    None: no rules."""
    if rules is None:
        return []
    if isinstance(rules, list):
        return [Rule.model_validate(r) for r in rules]
    if rules == "default":
        return negation_rules().rules
    return read_rule_file(NegationRules, rules).rules
