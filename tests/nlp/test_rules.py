"""Every rule file loads through its typed model, and a typo in one is an error naming the file and the key."""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from extractor.lexicons import load_json
from extractor.nlp.rules import RULE_FILES, DoseRules, RuleFile, RuleFileError, read_rule_file, read_rules

# One key per rule file that holds a regular expression (a path into the file's JSON).
REGEX_AT: dict[str, tuple[str | int, ...]] = {
    "ae_cues.json": ("grade",),
    "arm_rules.json": ("sized_groups", 0),
    "article_type_cues.json": ("rules", "rct", 0),
    "dose_rules.json": ("frequencies", 0, "pattern"),
    "drug_context.json": ("reagent_before",),
    "endpoints.json": ("cues", "median"),
    "lab_rules.json": ("series_element",),
    "patient_rules.json": ("statements", 0),
    "result_rules.json": ("effect", "HR"),
    "stat_rules.json": ("center", "mean"),
    "table_rules.json": ("p_column",),
    "trial_rules.json": ("registries", "ISRCTN", "pattern"),
}
# The rule files without patterns, and a value each refuses.
BAD_VALUE_AT: dict[str, tuple[tuple[str | int, ...], Any]] = {
    "negation_rules.json": (("rules", 0, "direction"), "SIDEWAYS"),
    "outcome_synonyms.json": (("groups", 0), []),
    "section_headings.json": (("rules", "methods"), 3),
    "web_boilerplate.json": (("min_markers",), 0),
}


def _model(name: str) -> type[RuleFile]:
    return type(RULE_FILES[name]())


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    here = changed
    for part in path[:-1]:
        here = here[part]
    here[path[-1]] = value
    return changed


def _key(path: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in path)


def test_every_rule_file_has_a_model() -> None:
    packaged = sorted(p.name for p in files("extractor.lexicons").iterdir() if p.name.endswith(".json"))
    assert sorted(RULE_FILES) == packaged
    assert REGEX_AT.keys() | BAD_VALUE_AT.keys() == RULE_FILES.keys() and not REGEX_AT.keys() & BAD_VALUE_AT.keys()


@pytest.mark.parametrize("name", sorted(RULE_FILES))
def test_rule_file_loads_with_its_provenance(name: str) -> None:
    rules = RULE_FILES[name]()
    assert rules is RULE_FILES[name]()  # read once
    assert name == rules.FILE
    assert rules.meta is not None and rules.meta.source and rules.meta.licence


@pytest.mark.parametrize("name", sorted(RULE_FILES))
def test_unknown_key_is_refused_by_name(name: str) -> None:
    data = load_json(name)
    with pytest.raises(RuleFileError, match=rf"rule file lexicons/{name}: key 'frequncies': unknown key"):
        read_rules(_model(name), {**data, "frequncies": []}, f"lexicons/{name}")
    with pytest.raises(RuleFileError, match=r"key 'meta\.licenze': unknown key"):
        read_rules(_model(name), {**data, "meta": {**data["meta"], "licenze": "MIT"}}, name)


@pytest.mark.parametrize("name", sorted(REGEX_AT))
def test_bad_regex_is_refused_by_name(name: str) -> None:
    path = REGEX_AT[name]
    data = _set(load_json(name), path, r"\b(?:unclosed")
    with pytest.raises(RuleFileError, match=rf"key '{_key(path)}': not a regular expression \(missing \)"):
        read_rules(_model(name), data, name)


@pytest.mark.parametrize("name", sorted(BAD_VALUE_AT))
def test_bad_value_is_refused_by_name(name: str) -> None:
    path, value = BAD_VALUE_AT[name]
    with pytest.raises(RuleFileError, match=rf"rule file {name}: key '{_key(path)}"):
        read_rules(_model(name), _set(load_json(name), path, value), name)


def test_placeholders_stand_for_numbers() -> None:
    """'<NUM>' is filled by the dose reader; the pattern around it must still compile."""
    data = load_json("dose_rules.json")
    good = _set(data, ("durations", 0, "pattern"), r"\bfor\s+(?P<n><NUM>)\s+days?")
    assert read_rules(DoseRules, good, "dose_rules.json").durations[0].pattern.endswith("days?")
    with pytest.raises(RuleFileError, match=r"key 'durations\.0\.pattern': not a regular expression"):
        read_rules(DoseRules, _set(data, ("durations", 0, "pattern"), r"\bfor\s+(<NUM>\s+days?"), "dose_rules.json")


def test_missing_key_is_named() -> None:
    data = load_json("dose_rules.json")
    del data["auc"]
    with pytest.raises(RuleFileError, match=r"key 'auc': missing"):
        read_rules(DoseRules, data, "dose_rules.json")


def test_a_user_rule_file_is_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "my_dose_rules.json"
    path.write_text(json.dumps({**load_json("dose_rules.json"), "auc": "AUC ("}), encoding="utf-8")
    with pytest.raises(RuleFileError, match=rf"rule file {path}: key 'auc': not a regular expression"):
        read_rule_file(DoseRules, path)
    del_meta = {k: v for k, v in load_json("dose_rules.json").items() if k != "meta"}
    path.write_text(json.dumps(del_meta), encoding="utf-8")
    assert read_rule_file(DoseRules, path).meta is None  # a user's file may leave its header out


def test_a_component_refuses_a_rule_file_with_a_typo(tmp_path: Path) -> None:
    import spacy

    import extractor.nlp.components.patient  # noqa: F401  (registers the factory)

    path = tmp_path / "patient_rules.json"
    path.write_text(json.dumps({**load_json("patient_rules.json"), "case_reprot": "x"}), encoding="utf-8")
    nlp = spacy.blank("en")
    with pytest.raises(RuleFileError, match=r"patient_rules\.json: key 'case_reprot': unknown key"):
        nlp.add_pipe("extractor_patient", config={"rules": str(path)})
