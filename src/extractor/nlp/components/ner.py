"""Chemicals and diseases from the packaged BC5CDR model (`models/ner_bc5cdr/`), combined with the drug lexicon.

What the model reads: its own tokenizer (`PieceTokenizer`) cuts the text into BC5CDR's tokens — runs of letters
and digits and single marks ("5 - FU", "0 . 5") — and tags each piece with what the drug lexicon says of it
(tag_ "DRUG" inside a drug surface, "STOP" inside a stoplisted one such as a class or an analyte), a gazetteer
feature the model embeds. Training and the pipeline share that tokenizer, so the features agree. The model's
entities are mapped back onto the pipeline's tokens, widened to whole tokens.

The combination rule (`combine`), run after `extractor_drugs`:
  1. DISEASE entities go to `doc.spans[diseases_key]` (candidates for adverse events). A disease is never a drug:
     a lexicon DRUG whose span is exactly a DISEASE entity is dropped (a drug surface that names a disease here).
  2. Otherwise the lexicon wins: a CHEMICAL overlapping a lexicon DRUG (or any other entity) is dropped, and the
     DRUG keeps its canonical name and ids.
  3. A CHEMICAL the lexicon does not know becomes a DRUG (kb_id = its lowercase text) only when it passes the
     guards of `is_new_drug_name`: not a lexicon surface (the lexicon matched or blocked it on purpose), not in the
     drug stoplist, not overlapping a DISEASE, and shaped like a drug name — one word ending in an INN stem
     (`lexicons/inn_stems.tsv`), since most BC5CDR chemicals (ions, metabolites, hormones, toxins) are no drugs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry
from spacy.vocab import Vocab
from thinc.api import Model, NumpyOps

from extractor.lexicons import iter_tsv
from extractor.nlp.components.drugs import LABEL as DRUG
from extractor.nlp.components.drugs import DrugLexicon, DrugMatcher, packaged_lexicon
from extractor.nlp.doc_memo import doc_text
from extractor.nlp.result_doc import REFERENCES

CHEMICAL = "CHEMICAL"
DISEASE = "DISEASE"
STOP = "STOP"  # the tag of pieces inside a stoplisted lexicon surface (DRUG: inside a drug surface)
MODEL_DIR = "models/ner_bc5cdr"
PIECE = re.compile(r"[^\W_]+|[^\s]")  # BC5CDR's tokenization: runs of letters and digits, and single marks
NAME = re.compile(r"[a-z][a-z-]{3,}[a-z]")
MAX_CHUNK_CHARS = 5000  # the most text the model reads at once, cut between sentences (about 1,000 pieces)


def word_pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the BC5CDR-style pieces of `text`: 'everolimus-induced' -> everolimus, -, induced."""
    return [m.span() for m in PIECE.finditer(text)]


class PieceTokenizer:
    """Text -> Doc of word pieces, each tagged DRUG / STOP / '' by the drug lexicon (longest match wins)."""

    def __init__(self, vocab: Vocab, lexicon: DrugLexicon) -> None:
        # A dict of surfaces and their lengths by first piece, not a PhraseMatcher: the lexicon's 48,000 surfaces
        # as Docs (each allocating room for 30 tokens) or as a matcher trie cost 100-300 MB of RSS per process; this
        # costs ~10 MB and tags the same pieces.
        self.vocab = vocab
        self.surfaces: dict[str, str] = {}  # lowercase pieces joined by " " -> DRUG or STOP
        lengths: dict[str, set[int]] = {}  # first piece -> numbers of pieces of the surfaces starting with it
        drugs = (s for s in lexicon.synonyms if s not in lexicon.stoplist)
        for tag, surfaces in ((DRUG, drugs), (STOP, iter(lexicon.stoplist))):
            for surface in surfaces:
                pieces = [surface[start:end].lower() for start, end in word_pieces(surface)]
                if pieces:
                    self.surfaces[" ".join(pieces)] = tag
                    lengths.setdefault(pieces[0], set()).add(len(pieces))
        self.lengths = {first: tuple(sorted(ns)) for first, ns in lengths.items()}

    def _pieces(self, text: str) -> Doc:
        spans = word_pieces(text)
        spaces = [end < next_start for (_, end), (next_start, _) in pairwise(spans)]
        return Doc(self.vocab, words=[text[s:e] for s, e in spans], spaces=[*spaces, False] if spans else [])

    def matches(self, lower: list[str]) -> list[tuple[str, int, int]]:
        """(tag, start, end) of every run of pieces that is a lexicon surface, by start, then by length."""
        found = []
        for i, first in enumerate(lower):
            for n in self.lengths.get(first, ()):
                if i + n > len(lower):
                    break
                tag = self.surfaces.get(" ".join(lower[i : i + n]))
                if tag:
                    found.append((tag, i, i + n))
        return found

    def __call__(self, text: str) -> Doc:
        doc = self._pieces(text)
        for tag, start, end in sorted(self.matches([t.lower_ for t in doc]), key=lambda m: m[2] - m[1]):
            for token in doc[start:end]:
                token.tag_ = tag  # longer matches are applied last, so the longest wins
        return doc

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        """Nothing to save: the lexicon is the packaged one, read when the model loads."""

    def from_disk(self, path: str | Path, **kwargs: Any) -> PieceTokenizer:
        return self


@registry.tokenizers("extractor.bc5cdr_pieces.v1")  # type: ignore[untyped-decorator]
def create_piece_tokenizer() -> Callable[[Language], PieceTokenizer]:
    return lambda nlp: PieceTokenizer(nlp.vocab, packaged_lexicon())


def packaged_model_path() -> Path:
    return Path(str(files("extractor").joinpath(MODEL_DIR)))


def load_packaged_model(path: str | Path | None = None) -> Language:
    """The trained piece tokenizer + NER pipeline, from local files only.

    Its matrix products go through numpy's BLAS (OpenBLAS), not thinc's default blis: the blis wheel runs a
    generic kernel here (~27 GFLOP/s on one core of the project's machine, OpenBLAS ~85), so the model reads
    text about 2x faster, with the same entities (tests/nlp/components/test_ner.py)."""
    nlp = spacy.load(path or packaged_model_path())
    ops = NumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        for node in model.walk() if isinstance(model, Model) else ():
            node.ops = ops
    return nlp


@lru_cache(maxsize=1)
def inn_stems() -> tuple[str, ...]:
    return tuple(row["stem"] for row in iter_tsv("inn_stems.tsv"))


def is_new_drug_name(text: str, lexicon: DrugLexicon) -> bool:
    """Guards for a model CHEMICAL the lexicon does not know (rule 3 of the module docstring)."""
    lower = text.lower()
    if lower in lexicon.synonyms or lower in lexicon.stoplist or not NAME.fullmatch(lower):
        return False
    return lower.endswith(inn_stems())


def combine(doc: Doc, predicted: Iterable[Span], lexicon: DrugLexicon) -> tuple[list[Span], list[Span]]:
    """(doc.ents to set, disease spans): the lexicon's entities plus the model's new drugs; the model's diseases."""
    predicted = list(predicted)
    diseases = [s for s in predicted if s.label_ == DISEASE]
    disease_bounds = {(s.start, s.end) for s in diseases}
    kept = [e for e in doc.ents if e.label_ != DRUG or (e.start, e.end) not in disease_bounds]
    taken = {i for e in [*kept, *diseases] for i in range(e.start, e.end)}
    new_drugs = [
        Span(doc, s.start, s.end, label=DRUG, kb_id=s.text.lower())
        for s in predicted
        if s.label_ == CHEMICAL
        and not any(i in taken for i in range(s.start, s.end))
        and is_new_drug_name(s.text, lexicon)
    ]
    return filter_spans([*kept, *new_drugs]), diseases


def chunks(doc: Doc, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) character ranges of `doc` for the model to read one at a time: runs of consecutive sentences
    up to `max_chars` long (a longer sentence, or a doc without sentences, is cut between tokens where needed).
    BC5CDR trained the model on single sentences; an abstract (under 4,000 characters) is one chunk."""
    if doc.has_annotation("SENT_START"):
        units = []
        for sent in doc.sents:
            long = sent.end_char - sent.start_char > max_chars
            units += [(t.idx, t.idx + len(t)) for t in sent] if long else [(sent.start_char, sent.end_char)]
    else:
        units = [(t.idx, t.idx + len(t)) for t in doc]
    ranges: list[tuple[int, int]] = []
    for start, end in units:
        if ranges and end - ranges[-1][0] <= max_chars:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


@Language.factory(
    "extractor_ner",
    requires=["doc.ents"],
    assigns=["doc.ents", "doc.spans"],
    default_config={"model": "default", "diseases_key": "diseases", "drug_component": "extractor_drugs"},
)
class ChemicalDiseaseNER:
    """Runs the packaged NER model on the text and merges its entities with the drug lexicon's."""

    def __init__(self, nlp: Language, name: str, *, model: str, diseases_key: str, drug_component: str) -> None:
        self.name = name
        self.nlp = nlp
        self.diseases_key = diseases_key
        self.drug_component = drug_component
        self.model = load_packaged_model(None if model == "default" else model)

    @property
    def lexicon(self) -> DrugLexicon:
        """The drug lexicon of the pipeline's drug component (its stoplist and surfaces guard new drugs)."""
        drugs = self.nlp.get_pipe(self.drug_component) if self.drug_component in self.nlp.pipe_names else None
        return drugs.lexicon if isinstance(drugs, DrugMatcher) else DrugLexicon()

    def predict(self, doc: Doc) -> list[Span]:
        """The model's CHEMICAL and DISEASE entities, as spans of `doc` (whole pipeline tokens).

        The model reads the text in chunks of whole sentences (`chunks`): its working memory grows with the text
        it reads at once (~26 KB a piece: 300 MB for a 9,000-word article read whole)."""
        spans = []
        whole = doc_text(doc)
        references = REFERENCES.search(whole)  # a reference list is no evidence (assemble.NOT_EVIDENCE): not read
        stop = references.start() if references else len(whole)
        for start, end in chunks(doc):
            if start >= stop:
                break
            end = min(end, stop)  # the heading line starts the list: a sentence boundary
            if end - start > MAX_CHUNK_CHARS:
                continue  # a single token longer than a chunk (a 1 MB line, a 200,000-digit run): not a name
            text = whole[start:end]
            pieces = word_pieces(text)  # the model's tokens; its Doc text has single spaces, so map by index
            for ent in self.model(text).ents:
                first, last = start + pieces[ent.start][0], start + pieces[ent.end - 1][1]
                spans.append(doc.char_span(first, last, ent.label_, alignment_mode="expand"))
        return filter_spans([s for s in spans if s is not None])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.predict(doc))
        return doc

    def set_annotations(self, doc: Doc, predicted: list[Span]) -> None:
        doc.ents, doc.spans[self.diseases_key] = combine(doc, predicted, self.lexicon)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        self.model.to_disk(directory / "model")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ChemicalDiseaseNER:
        self.model = load_packaged_model(Path(path) / "model")
        return self
