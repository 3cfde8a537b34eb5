"""Run facts that must not go inside records: OUT/manifest.json, and the fingerprint that decides reuse.

Records carry no timestamps, host names or worker counts, so the same inputs give the same bytes on any
machine. What a run was — extractor version, pipeline config hash, options, counts, timings, peak memory —
is written here instead. A later run with the same OUT reuses earlier lines only when its fingerprint
(extractor version + pipeline hash + extraction options) is the one this file names.
"""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from spacy.util import load_config

from extractor.api import ExtractOptions
from extractor.batch.journal import write_atomic
from extractor.nlp.pipeline import config_path
from extractor.record import SCHEMA_VERSION

MANIFEST = "manifest.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lexicon_hashes() -> dict[str, str]:
    """sha256 of every data file the components read (src/extractor/lexicons/)."""
    folder = files("extractor.lexicons")
    return {
        entry.name: _sha256(entry.read_bytes())
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.is_file() and not entry.name.endswith((".py", ".pyc"))
    }


def pipeline_facts(pipeline: str) -> dict[str, Any]:
    """The pipeline's identity: sha256 of the resolved config text (variables interpolated, comments gone)
    plus its lexicon files, and one hash over both."""
    config_text = load_config(config_path(pipeline), interpolate=True).to_str()
    lexicons = lexicon_hashes()
    combined = _sha256(json.dumps({"config": config_text, "lexicons": lexicons}, sort_keys=True).encode("utf-8"))
    config_sha = _sha256(config_text.encode("utf-8"))
    return {"name": pipeline, "config_sha256": config_sha, "lexicons": lexicons, "hash": combined}


def fingerprint(version: str, pipeline_hash: str, options: ExtractOptions) -> str:
    facts = {"version": version, "schema": SCHEMA_VERSION, "pipeline": pipeline_hash, "options": options.model_dump()}
    return _sha256(json.dumps(facts, sort_keys=True).encode("utf-8"))


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
