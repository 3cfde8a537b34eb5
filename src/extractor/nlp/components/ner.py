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
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry
from spacy.vocab import Vocab
from thinc.api import Model, NumpyOps

from extractor.lexicons import iter_tsv
from extractor.nlp.doc_memo import doc_text
from extractor.nlp.layout import references_start
from extractor.nlp.result_values import SOFT_HYPHEN
from extractor.nlp.study_context import PLACEBO_WORD
from extractor.nlp.text.drug_lexicon import LABEL as DRUG
from extractor.nlp.text.drug_lexicon import DrugLexicon, packaged_lexicon

CHEMICAL = "CHEMICAL"
DISEASE = "DISEASE"
STOP = "STOP"  # the tag of pieces inside a stoplisted lexicon surface (DRUG: inside a drug surface)
MODEL_DIR = "models/ner_bc5cdr"
PIECE = re.compile(r"[^\W_]+|[^\s]")  # BC5CDR's tokenization: runs of letters and digits, and single marks
NAME = re.compile(r"[a-z][a-z-]{3,}[a-z]")
PERCENT_SIGN = re.compile("%")
LETTERS = re.compile("[A-Za-z]+")
MAX_SHORT_FORM = 4  # characters of a drug name read as a short form ('OT', 'rtv') by `relevant`
MAX_CHUNK_CHARS = 5000  # the most text the model reads at once, cut between sentences (about 1,000 pieces)


@runtime_checkable
class DiseaseReader(Protocol):
    """What `relevant` reads of the component that reads the model's diseases (`extractor_adverse_events`),
    asked of the pipeline's component by name: components do not import each other."""

    diseases_key: str | None
    cues: dict[str, re.Pattern[str]]
    matcher: TermFinder


class TermFinder(Protocol):
    def find(self, text: str) -> Sequence[FoundTerm]: ...


class FoundTerm(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def kind(self) -> str: ...


def word_pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the BC5CDR-style pieces of `text`: 'everolimus-induced' -> everolimus, -, induced."""
    return [m.span() for m in PIECE.finditer(text)]


def piece_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`word_pieces(text[start:end])` in `text`'s offsets."""
    return [m.span() for m in PIECE.finditer(text, start, end)]


class PieceTokenizer:
    """Text -> Doc of word pieces, each tagged DRUG / STOP / '' by the drug lexicon (longest match wins)."""

    def __init__(self, vocab: Vocab, lexicon: DrugLexicon) -> None:
        # A dict of surfaces and their lengths by first piece, not a PhraseMatcher: the lexicon's 48,000 surfaces
        # as Docs (each allocating room for 30 tokens) or as a matcher trie cost 100-300 MB of RSS per process; this
        # costs ~10 MB and tags the same pieces.
        self.vocab = vocab
        self.surfaces: dict[str, str] = {}  # lowercase pieces joined by " " -> DRUG or STOP
        self.pairs: set[tuple[str, str]] = set()  # the first two pieces of the surfaces of two or more
        lengths: dict[str, set[int]] = {}  # first piece -> numbers of pieces of the surfaces starting with it
        drugs = (s for s in lexicon.synonyms if s not in lexicon.stoplist)
        for tag, surfaces in ((DRUG, drugs), (STOP, iter(lexicon.stoplist))):
            for surface in surfaces:
                pieces = [surface[start:end].lower() for start, end in word_pieces(surface)]
                if pieces:
                    self.surfaces[" ".join(pieces)] = tag
                    lengths.setdefault(pieces[0], set()).add(len(pieces))
                    if len(pieces) > 1:
                        self.pairs.add((pieces[0], pieces[1]))
        self.lengths = {first: tuple(sorted(ns)) for first, ns in lengths.items()}

    def matches(self, lower: list[str]) -> list[tuple[str, int, int]]:
        """(tag, start, end) of every run of pieces that is a lexicon surface, by start, then by length.

        Only pieces that begin a surface are tried, and surfaces of two or more pieces only where the first two
        pieces begin one (`pairs`): most of the lengths tried before came to nothing on the second piece."""
        found = []
        size, lengths, surfaces, pairs = len(lower), self.lengths, self.surfaces, self.pairs
        for i in [i for i, piece in enumerate(lower) if piece in lengths]:
            for n in lengths[lower[i]]:
                if i + n > size or (n > 1 and (lower[i], lower[i + 1]) not in pairs):
                    break  # lengths are ascending: no longer surface starts here either
                tag = surfaces.get(" ".join(lower[i : i + n]))
                if tag:
                    found.append((tag, i, i + n))
        return found

    def __call__(self, text: str) -> Doc:
        spans = word_pieces(text)
        words = [text[s:e] for s, e in spans]
        spaces = [end < next_start for (_, end), (next_start, _) in pairwise(spans)]
        doc = Doc(self.vocab, words=words, spaces=[*spaces, False] if spans else [])
        # the pieces lowercased as spaCy's `lower_` does, without making a Token per piece
        for tag, start, end in sorted(self.matches([w.lower() for w in words]), key=lambda m: m[2] - m[1]):
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
    if _refused(lower, lexicon) or not NAME.fullmatch(lower):
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


def chunks(
    doc: Doc, max_chars: int = MAX_CHUNK_CHARS, read: Callable[[int, int], bool] | None = None
) -> list[tuple[int, int]]:
    """(start, end) character ranges of `doc` for the model to read one at a time: runs of consecutive sentences
    up to `max_chars` long (a longer sentence, or a doc without sentences, is cut between tokens where needed).
    BC5CDR trained the model on single sentences; an abstract (under 4,000 characters) is one chunk. With `read`,
    only the sentences it accepts (by their character range) are read; one it skips ends a run."""
    units: list[tuple[int, int, bool]] = []
    if doc.has_annotation("SENT_START"):
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            wanted = read is None or read(start, end)
            if end - start > max_chars:
                units += [(t.idx, t.idx + len(t), wanted) for t in sent]
            else:
                units.append((start, end, wanted))
    else:
        units = [(t.idx, t.idx + len(t), True) for t in doc]
    ranges: list[tuple[int, int]] = []
    running = False  # the last unit was read: the next may join its range
    for start, end, wanted in units:
        if not wanted:
            running = False
        elif running and end - ranges[-1][0] <= max_chars:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
            running = True
    return ranges


def batches(ranges: list[tuple[int, int]], max_chars: int) -> list[list[tuple[int, int]]]:
    """Consecutive ranges grouped up to `max_chars` in all, for the model to read as one text (joined by line
    breaks): a Doc costs the model about as much as 1,000 characters of text, so the short runs of sentences of
    `read = "relevant"` read one by one would cost a third more than together."""
    grouped: list[list[tuple[int, int]]] = []
    size = max_chars
    for start, end in ranges:
        if size + end - start > max_chars:
            grouped.append([])
            size = 0
        grouped[-1].append((start, end))
        size += end - start
    return grouped


def new_drug_words(text: str, lexicon: DrugLexicon | None = None) -> list[int]:
    """Starts of the runs of letters that end in an INN stem: where `is_new_drug_name` could accept a word.

    With `lexicon`, not a run it refuses by itself (a lexicon surface or a stoplisted one, or under five letters)
    unless a hyphen joins it to the letters before ('anti-everolimus' is no surface): a model entity can only be
    a new drug where its last run of letters is one of these, since `is_new_drug_name` wants letters and hyphens
    ending in the stem."""
    stems = inn_stems()
    return [
        m.start()
        for m in LETTERS.finditer(text)
        if m.group().lower().endswith(stems)
        and (
            lexicon is None
            or text[m.start() - 1 : m.start()] == "-"
            or (len(m.group()) >= 5 and not _refused(m.group().lower(), lexicon))
        )
    ]


def _refused(lower: str, lexicon: DrugLexicon) -> bool:
    return lower in lexicon.synonyms or lower in lexicon.stoplist


def _short_form(text: str) -> bool:
    """'OT', 'RTV', '5-FU', 'rtv': at most four characters, or no lowercase letter."""
    return len(text) <= MAX_SHORT_FORM or not any(ch.islower() for ch in text)


def _holds(positions: list[int], start: int, end: int) -> bool:
    """Whether the sorted `positions` hold one in [start, end)."""
    return bisect_left(positions, end) > bisect_left(positions, start)


READS = ("all", "relevant")


@Language.factory(
    "extractor_ner",
    requires=["doc.ents"],
    assigns=["doc.ents", "doc.spans"],
    default_config={
        "model": "default",
        "diseases_key": "diseases",
        "drug_component": "extractor_drugs",
        "read": "all",
        "events_component": "extractor_adverse_events",
    },
)
class ChemicalDiseaseNER:
    """Runs the packaged NER model on the text and merges its entities with the drug lexicon's.

    read = "all": every sentence before the reference list. read = "relevant": only the sentences where what the
    model finds can reach the record (`relevant`); the model is most of the pipeline's time, and in a trial
    article about half the sentences name no drug, treatment or percentage."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        model: str,
        diseases_key: str,
        drug_component: str,
        read: str = "all",
        events_component: str = "extractor_adverse_events",
    ) -> None:
        if read not in READS:
            raise ValueError(f"extractor_ner: read must be one of {', '.join(READS)}, not {read!r}")
        self.name = name
        self.nlp = nlp
        self.diseases_key = diseases_key
        self.drug_component = drug_component
        self.read = read
        self.events_component = events_component
        self.model = load_packaged_model(None if model == "default" else model)

    @property
    def lexicon(self) -> DrugLexicon:
        """The drug lexicon of the pipeline's drug component (its stoplist and surfaces guard new drugs)."""
        drugs = self.nlp.get_pipe(self.drug_component) if self.drug_component in self.nlp.pipe_names else None
        lexicon = getattr(drugs, "lexicon", None)
        return lexicon if isinstance(lexicon, DrugLexicon) else DrugLexicon()

    def relevant(self, doc: Doc) -> Callable[[int, int], bool]:
        """Whether the model's entities in a sentence (by its character range) can reach the record.

        Its CHEMICALs matter where a word ends in an INN stem (the only new drugs `is_new_drug_name` lets through)
        and where the lexicon found a drug (a drug surface that is exactly a DISEASE entity is dropped). Its
        DISEASEs are read by the adverse-event component (`events_component`, when it reads `diseases_key`) only
        in sentences that print a percentage (frequencies) or name placebo or a non-drug treatment (its `agents`
        cue), or name a drug together with a word of its attribution and case cues (`event_words`, or both halves
        of `given_people`/`given_words`) or a summary term ('side effects include ...'). Everything else the
        model would find goes nowhere, save one thing: in a sentence naming drugs without those words, a drug the
        model would call a DISEASE stays a drug. The drugs it did call diseases were short forms ('OT' for
        oxytocin, 'RTV'), so a sentence with a drug printed as one is read anyway. (Issue 17: the drug sentences
        without those words were a quarter of what the model read in the seed articles.)"""
        text = doc_text(doc)
        # a drug printed as a short form ('OT', 'RTV') is what the model may call a DISEASE (rule 1): always read
        short = [e.start_char for e in doc.ents if e.label_ == DRUG and _short_form(e.text)]
        marks = new_drug_words(text, self.lexicon) + short
        drugs = sorted(e.start_char for e in doc.ents if e.label_ == DRUG)
        events = self.nlp.get_pipe(self.events_component) if self.events_component in self.nlp.pipe_names else None
        if not isinstance(events, DiseaseReader) or events.diseases_key != self.diseases_key:
            marks.sort()
            return lambda start, end: _holds(drugs, start, end) or _holds(marks, start, end)
        marks += [m.start() for cue in (PERCENT_SIGN, PLACEBO_WORD, events.cues["agents"]) for m in cue.finditer(text)]
        marks.sort()
        if not all(key in events.cues for key in ("event_words", "given_people", "given_words")):
            return lambda start, end: _holds(drugs, start, end) or _holds(marks, start, end)
        # the adverse-event component reads 'progres- sion' joined (its TextView): a word cut so counts as a cue word
        words = [m.start() for cue in (events.cues["event_words"], SOFT_HYPHEN) for m in cue.finditer(text)]
        words += [t.start for t in events.matcher.find(text) if t.kind == "summary"]
        words.sort()
        people = [m.start() for m in events.cues["given_people"].finditer(text)]
        given = [m.start() for m in events.cues["given_words"].finditer(text)]

        def read(start: int, end: int) -> bool:
            return _holds(marks, start, end) or (
                _holds(drugs, start, end)
                and (_holds(words, start, end) or (_holds(people, start, end) and _holds(given, start, end)))
            )

        return read

    def predict(self, doc: Doc, read: Callable[[int, int], bool] | None = None) -> list[Span]:
        """The model's CHEMICAL and DISEASE entities, as spans of `doc` (whole pipeline tokens), in the sentences
        `read` accepts (by default all).

        The model reads the text in chunks of whole sentences (`chunks`): its working memory grows with the text
        it reads at once (~26 KB a piece: 300 MB for a 9,000-word article read whole)."""
        whole = doc_text(doc)
        stop = references_start(doc)  # a reference list is no evidence (assemble.NOT_EVIDENCE): not read
        ranges = []
        for start, end in chunks(doc, read=read):
            if start >= stop:
                break
            end = min(end, stop)  # the heading line starts the list: a sentence boundary
            if end - start <= MAX_CHUNK_CHARS:  # else a single token longer than a chunk (a 1 MB line): not a name
                ranges.append((start, end))
        spans = []
        for batch in batches(ranges, MAX_CHUNK_CHARS) if read is not None else [[r] for r in ranges]:
            # the model's tokens, by their offsets in `doc` and the range they are in: its Doc text has single
            # spaces, so its entities are mapped back by index
            pieces = [(a, b, k) for k, (start, end) in enumerate(batch) for a, b in piece_spans(whole, start, end)]
            for ent in self.model("\n".join(whole[start:end] for start, end in batch)).ents:
                first, last = pieces[ent.start], pieces[ent.end - 1]
                if first[2] == last[2]:  # not across two ranges, which are apart in the text
                    spans.append(doc.char_span(first[0], last[1], ent.label_, alignment_mode="expand"))
        return filter_spans([s for s in spans if s is not None])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.predict(doc, self.relevant(doc) if self.read == "relevant" else None))
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
