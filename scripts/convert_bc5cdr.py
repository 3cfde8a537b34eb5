"""Convert the BC5CDR IOB splits into spaCy DocBin files for `spacy train` (used by `make train`).

    python scripts/convert_bc5cdr.py ../shared/data/bc5cdr/iob build/bc5cdr

writes OUT/train/train.spacy and OUT/train/devel.spacy (the training corpus: a directory, so spaCy reads both
splits) and OUT/dev/devel.spacy (the corpus spaCy reports its scores on while training). One Doc per sentence,
on the corpus tokens, labels CHEMICAL and DISEASE. Data: BC5CDR (public domain), IOB conversion by Crichton et al.
2017 (CC BY 4.0); see /work/shared/data/bc5cdr/README.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from extractor.eval.external.bc5cdr_ner import iob_entities, read_iob


def convert(iob_path: Path, out_path: Path) -> int:
    vocab = Vocab()
    docs = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
    for words, tags in read_iob(iob_path):
        # Spaces are stated, so spaCy re-tokenizes the text with the model's tokenizer (which sets the lexicon tags)
        doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 1) + [False])
        doc.ents = [Span(doc, start, end, label=label) for start, end, label in iob_entities(tags)]
        docs.add(doc)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(out_path)
    return len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("iob_dir", type=Path, help="directory with train.tsv and devel.tsv")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args()
    for split, target in (("train", "train"), ("devel", "train"), ("devel", "dev")):
        n = convert(args.iob_dir / f"{split}.tsv", args.out_dir / target / f"{split}.spacy")
        print(f"{split}.tsv -> {args.out_dir / target / f'{split}.spacy'}: {n} sentences")


if __name__ == "__main__":
    main()
