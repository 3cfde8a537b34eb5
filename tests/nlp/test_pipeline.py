"""The pipeline as spaCy sees it: built from config, serializable, multiprocess-safe; the optional sci pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from extractor.nlp.pipeline import PipelineError, config_path, load_pipeline
from tests.conftest import SEEDS

TEXTS = [
    "Everolimus 10 mg daily plus exemestane 25 mg daily prolonged PFS in BOLERO-2 (NCT00863655).",
    "She had no prior exposure to fulvestrant; zoledronic acid (ZA) was given and ZA was stopped.",
]


def _annotations(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, bool]]:
    return [(e.text, e.label_, e.kb_id_, e._.negated) for e in doc.ents] + [
        (s.text, s.label_, s.kb_id_, False) for s in doc.spans.get("trials", [])
    ]


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_pipeline()


def test_default_pipeline_has_its_components(nlp: spacy.language.Language) -> None:
    for name in ("sentencizer", "abbreviation_detector", "extractor_drugs", "extractor_trials", "extractor_negation"):
        assert name in nlp.pipe_names
    assert nlp.pipe_names[-1] == "extractor_negation", "negation reads what the other components found"


@pytest.mark.slow
def test_to_disk_and_load_give_the_same_annotations(nlp: spacy.language.Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    reloaded = spacy.load(tmp_path / "pipeline")
    for text in TEXTS:
        assert _annotations(reloaded(text)) == _annotations(nlp(text))


def test_two_processes_find_what_one_finds(nlp: spacy.language.Language) -> None:
    texts = [*TEXTS, SEEDS[0].read_text(encoding="utf-8")[:3000]]
    one = [_annotations(doc) for doc in nlp.pipe(texts, n_process=1)]
    two = [_annotations(doc) for doc in nlp.pipe(texts, n_process=2)]
    assert one == two


def test_unknown_pipeline_is_a_clear_error() -> None:
    with pytest.raises(PipelineError, match="unknown pipeline 'nope'"):
        config_path("nope")


def test_sci_pipeline_loads_the_local_model_or_says_what_is_missing() -> None:
    try:
        nlp = load_pipeline("sci")
    except PipelineError as err:
        assert "not installed" in str(err) and "EXTRACTOR_SCISPACY_MODEL" in str(err)
        pytest.skip("scispaCy's en_ner_bc5cdr_md is not installed here (optional)")
    doc = nlp("Cisplatin-induced nephrotoxicity was treated.")
    assert {e.label_ for e in doc.ents} & {"CHEMICAL", "DRUG"}
