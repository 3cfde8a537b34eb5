"""BC5CDR chemical and disease NER: the IOB reader the training data is built from, and the published score.

`evaluate_bc5cdr_ner` is entity-level exact match on token spans, micro-averaged per label over all sentences of
a split — the figure scispaCy and others report on the BC5CDR test split. The IOB files keep no whitespace: the
tokens are joined by spaces, which the model's own tokenizer splits back into exactly the corpus tokens.
`evaluate_bc5cdr_text` scores the pipeline's NER component on the original abstracts (PubTator JSONL) by character
offsets, its entities widened to the project tokenizer's tokens: what the model is worth inside the pipeline.

    python -m extractor.eval.external.bc5cdr_ner /work/shared/data/bc5cdr/iob/test.tsv
    python -m extractor.eval.external.bc5cdr_ner --text /work/shared/data/bc5cdr/bc5cdr_test.subset.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language

LABELS = {"Chemical": "CHEMICAL", "Disease": "DISEASE"}

Entity = tuple[int, int, str]  # start, end (token or character offsets), label


def read_iob(path: str | Path) -> Iterator[tuple[list[str], list[str]]]:
    """(words, tags) per sentence of a token<TAB>tag file with blank lines between sentences."""
    words: list[str] = []
    tags: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                yield words, tags
            words, tags = [], []
            continue
        word, tag = line.split("\t")
        words.append(word)
        tags.append(tag)
    if words:
        yield words, tags


def iob_entities(tags: list[str]) -> list[Entity]:
    """Token spans of an IOB tag sequence, labels renamed to CHEMICAL/DISEASE; a stray I- opens an entity."""
    entities: list[Entity] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if label and (prefix != "I" or LABELS.get(kind) != label):
            entities.append((start, i, label))
            label = ""
        if prefix == "B" or (prefix == "I" and not label):
            start, label = i, LABELS[kind]
    return entities


def score(gold: Iterable[set[Entity]], predicted: Iterable[set[Entity]]) -> dict[str, dict[str, float]]:
    """Exact-match precision, recall, F1 per label and over all labels ("ALL"), paired per sentence/document."""
    counts: dict[str, list[int]] = {}
    for gold_set, pred_set in zip(gold, predicted, strict=True):
        for label in {e[2] for e in gold_set | pred_set} | {"ALL"}:
            g = {e for e in gold_set if label in ("ALL", e[2])}
            p = {e for e in pred_set if label in ("ALL", e[2])}
            c = counts.setdefault(label, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + len(g), c[1] + len(p), c[2] + len(g & p)
    result = {}
    for label, (n_gold, n_pred, n_correct) in sorted(counts.items()):
        precision = n_correct / n_pred if n_pred else 0.0
        recall = n_correct / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "predicted": n_pred}
    return result


def evaluate_bc5cdr_ner(iob_test_path: str | Path, nlp: Language | None = None) -> dict[str, dict[str, float]]:
    """Scores the packaged model (or `nlp`, any pipeline with an NER) on the corpus tokens of an IOB split."""
    if nlp is None:
        from extractor.nlp.components.ner import load_packaged_model

        nlp = load_packaged_model()
    sentences = list(read_iob(iob_test_path))
    predicted = []
    for (words, _), doc in zip(sentences, nlp.pipe(" ".join(words) for words, _ in sentences), strict=True):
        if len(doc) != len(words):  # the model's tokenizer must give back the corpus tokens
            raise ValueError(f"tokenization differs from the corpus: {words[:10]}")
        predicted.append({(e.start, e.end, e.label_) for e in doc.ents})
    return score(({*iob_entities(tags)} for _, tags in sentences), predicted)


def evaluate_bc5cdr_text(jsonl_path: str | Path, nlp: Language | None = None) -> dict[str, dict[str, float]]:
    """Scores the NER component of a project pipeline (default: the default pipeline) on whole abstracts."""
    from extractor.nlp.components.ner import ChemicalDiseaseNER
    from extractor.nlp.pipeline import load_pipeline

    ner = (nlp or load_pipeline("default")).get_pipe("extractor_ner")
    if not isinstance(ner, ChemicalDiseaseNER):
        raise TypeError("the pipeline's extractor_ner is not the packaged NER component")
    gold: list[set[Entity]] = []
    predicted: list[set[Entity]] = []
    for line in Path(jsonl_path).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold.append({(e["start"], e["end"], LABELS[e["type"]]) for e in record["entities"] if e["type"] in LABELS})
        doc = ner.nlp.make_doc(record["text"])
        predicted.append({(s.start_char, s.end_char, s.label_) for s in ner.predict(doc)})
    return score(gold, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="an IOB split (test.tsv), or with --text a PubTator JSONL file")
    parser.add_argument("--text", action="store_true", help="score whole abstracts through the project tokenizer")
    args = parser.parse_args()
    scores = evaluate_bc5cdr_text(args.path) if args.text else evaluate_bc5cdr_ner(args.path)
    print(json.dumps(scores, indent=1))


if __name__ == "__main__":
    main()
