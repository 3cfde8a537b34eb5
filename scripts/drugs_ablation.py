"""Drugs on the seed gold with the drug lexicon alone, the NER model alone, and both (`make eval-drugs`).

    python scripts/drugs_ablation.py [--seeds corpus/seeds] [--gold corpus/gold] [--out build/drugs_ablation]

Writes two variants of the default pipeline (`pipelines/default.cfg`) to OUT/*.cfg, so they follow it:

- lexicon: the default pipeline without `extractor_ner` (the drug lexicon and its guards only);
- model:   the default pipeline with an empty drug lexicon (`extractor_drugs.lexicon = null`), so every drug is a
           model CHEMICAL that passed `extractor_ner`'s guards (INN stem, not a stoplisted surface), named by its
           lowercase text; the model still reads the lexicon's DRUG/STOP tags, a feature it was trained with;
- both:    the default pipeline unchanged.

Each runs `extractor run SEEDS -o OUT/NAME` and `extractor eval --gold GOLD --json`; prints one Markdown table of
drugs precision, recall and F1 (and the counts), and writes it with the full scores to OUT/drugs_ablation.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from spacy.util import load_config

from extractor.nlp.pipeline import config_path

CLI = [sys.executable, "-c", "from extractor.cli import main; main()"]


def variant_configs(out: Path) -> dict[str, Path]:
    """name -> config path: 'lexicon' and 'model' written to `out`, 'both' the packaged default."""
    out.mkdir(parents=True, exist_ok=True)
    default = config_path("default")
    lexicon = load_config(default)
    lexicon["nlp"]["pipeline"] = [p for p in lexicon["nlp"]["pipeline"] if p != "extractor_ner"]
    del lexicon["components"]["extractor_ner"]
    model = load_config(default)
    model["components"]["extractor_drugs"]["lexicon"] = None
    paths = {"lexicon": out / "lexicon.cfg", "model": out / "model.cfg"}
    lexicon.to_disk(paths["lexicon"])
    model.to_disk(paths["model"])
    return {**paths, "both": default}


def run_variant(config: Path, seeds: Path, gold: Path, out: Path) -> dict[str, Any]:
    """Extracts `seeds` with `config` into `out` and returns `extractor eval --json` of the records."""
    done = subprocess.run([*CLI, "run", str(seeds), "-o", str(out), "-p", str(config), "--workers", "1"], check=False)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"extractor run -p {config} failed ({done.returncode})")
    scores = subprocess.run(
        [*CLI, "eval", "--gold", str(gold), str(out / "records.jsonl"), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(scores.stdout)
    return result


def drugs_row(scores: dict[str, Any]) -> dict[str, Any]:
    """The drugs entry of `extractor eval --json`: tp, fp, fn, precision, recall, f1."""
    row: dict[str, Any] = scores["categories"]["drugs"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=Path("corpus/seeds"))
    parser.add_argument("--gold", type=Path, default=Path("corpus/gold"))
    parser.add_argument("--out", type=Path, default=Path("build/drugs_ablation"))
    args = parser.parse_args()
    rows: dict[str, dict[str, Any]] = {}
    full: dict[str, Any] = {}
    for name, config in variant_configs(args.out).items():
        full[name] = run_variant(config, args.seeds, args.gold, args.out / name)
        rows[name] = drugs_row(full[name])
    lines = ["| drugs | precision | recall | F1 | tp | fp | fn |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} "
            f"| {row['tp']} | {row['fp']} | {row['fn']} |"
        )
    print("\n".join(lines))
    (args.out / "drugs_ablation.json").write_text(json.dumps({"drugs": rows, "all": full}, indent=1) + "\n")


if __name__ == "__main__":
    main()
