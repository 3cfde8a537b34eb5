"""Builds the spaCy pipeline from a config in `pipelines/` (or any .cfg path)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path
from typing import Any

import scispacy.abbreviation  # noqa: F401  (registers scispaCy's abbreviation_detector factory)
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

import extractor.nlp.components.abbreviations
import extractor.nlp.components.adverse_events
import extractor.nlp.components.arms
import extractor.nlp.components.doses
import extractor.nlp.components.drugs
import extractor.nlp.components.labs
import extractor.nlp.components.negation
import extractor.nlp.components.ner
import extractor.nlp.components.outcomes
import extractor.nlp.components.patient
import extractor.nlp.components.results
import extractor.nlp.components.sentences
import extractor.nlp.components.tables
import extractor.nlp.components.trials
import extractor.nlp.tokenizer  # noqa: F401  (registers the tokenizer and factories)
from extractor.errors import ExtractorError

SCISPACY_MODEL_ENV = "EXTRACTOR_SCISPACY_MODEL"


class PipelineError(ExtractorError):
    code = "E100"


def config_path(name: str) -> Path:
    """A packaged pipeline name ('default', 'sci') or a path to a .cfg file."""
    if name.endswith(".cfg"):
        path = Path(name)
        if not path.is_file():
            raise PipelineError(f"pipeline config not found: {name}")
        return path
    resource = files("extractor.pipelines").joinpath(f"{name}.cfg")
    if not resource.is_file():
        available = sorted(
            p.name.removesuffix(".cfg") for p in files("extractor.pipelines").iterdir() if p.name.endswith(".cfg")
        )
        raise PipelineError(f"unknown pipeline {name!r}; packaged pipelines: {', '.join(available)}")
    return Path(str(resource))


def load_pipeline(name: str = "default", overrides: dict[str, Any] | None = None) -> Language:
    """overrides: dotted config keys, as spaCy takes them ({"components.extractor_drugs.lexicon": None})."""
    path = config_path(name)
    config = load_config(path, overrides=overrides or {})
    for component in config["components"].values():
        source = component.get("source")
        if source and os.environ.get(SCISPACY_MODEL_ENV):
            component["source"] = os.environ[SCISPACY_MODEL_ENV]
    try:
        nlp = load_model_from_config(config, auto_fill=True, validate=True)
    except OSError as err:
        raise PipelineError(
            f"pipeline {name!r} needs a model that is not installed here ({err}). scispaCy's trained models are "
            f"not on PyPI: install a local copy with pip, or set {SCISPACY_MODEL_ENV} to its directory."
        ) from err
    return nlp
