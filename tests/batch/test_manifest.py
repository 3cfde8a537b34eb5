"""The fingerprint that decides whether earlier lines may be reused: stable for the same pipeline and options,
different when the config text, a lexicon, the options or the version change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.api import ExtractOptions
from extractor.batch import manifest as manifest_module
from extractor.batch.manifest import fingerprint, pipeline_facts, read_manifest, write_manifest
from extractor.nlp.pipeline import config_path


def test_the_same_pipeline_and_options_give_the_same_fingerprint() -> None:
    facts = pipeline_facts("default")
    assert facts == pipeline_facts("default")
    assert fingerprint("1", facts["hash"], ExtractOptions()) == fingerprint("1", facts["hash"], ExtractOptions())


@pytest.mark.parametrize(
    ("version", "options"),
    [("2", ExtractOptions()), ("1", ExtractOptions(keep_text=False)), ("1", ExtractOptions(max_pages=3))],
)
def test_version_and_options_change_the_fingerprint(version: str, options: ExtractOptions) -> None:
    base = pipeline_facts("default")["hash"]
    assert fingerprint(version, base, options) != fingerprint("1", base, ExtractOptions())


def test_a_config_value_changes_the_hash_but_a_comment_does_not(tmp_path: Path) -> None:
    original = config_path("default").read_text(encoding="utf-8")
    commented, changed = tmp_path / "commented.cfg", tmp_path / "changed.cfg"
    commented.write_text("# a note\n" + original, encoding="utf-8")
    changed.write_text(original.replace("batch_size = 8", "batch_size = 9"), encoding="utf-8")
    base = pipeline_facts("default")
    assert pipeline_facts(str(commented))["config_sha256"] == base["config_sha256"]
    assert pipeline_facts(str(changed))["hash"] != base["hash"]


def test_a_changed_lexicon_file_changes_the_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexicons = tmp_path / "lexicons"
    shutil.copytree(Path(manifest_module.__file__).parents[1] / "lexicons", lexicons)
    monkeypatch.setattr(manifest_module, "files", lambda _package: lexicons)
    before = pipeline_facts("default")["hash"]
    (lexicons / "drugs.tsv").write_text((lexicons / "drugs.tsv").read_text(encoding="utf-8") + "\n", "utf-8")
    assert pipeline_facts("default")["hash"] != before


def test_the_manifest_round_trips_and_a_broken_one_reads_as_none(tmp_path: Path) -> None:
    write_manifest(tmp_path, {"fingerprint": "x", "counts": {"records": 1}})
    assert read_manifest(tmp_path) == {"fingerprint": "x", "counts": {"records": 1}}
    (tmp_path / "manifest.json").write_text("{torn", encoding="utf-8")
    assert read_manifest(tmp_path) is None
