"""Drug mentions from a lexicon: generic names, brand names and research codes, resolved to the generic name.

The lexicon is data (`lexicons/drugs.tsv`, `drug_synonyms.tsv`, `drug_stoplist.tsv`, built by
`scripts/build_lexicons.py` with their sources and licences). Matching is a case-insensitive PhraseMatcher,
then four guards: the longest match wins, stoplisted surfaces (classes, genes, analytes) are dropped, a drug
inside a longer stoplisted phrase ("target of rapamycin", "insulin-like growth factor") is dropped, and
abbreviations defined in the text are resolved both ways ("zoledronic acid (ZA)" makes "ZA" a drug; an
abbreviation whose long form is not a drug is not one either; "tenofovir/emtricitabine (TDF/FTC)" makes each
part a drug). Standard abbreviations used undefined ('MTX', 'PTU', 'LPV') are matched case-sensitively from
`lexicons/drug_abbreviations.tsv`, some only as a part of a combination ('ABC/3TC'). A mention that the context
makes a laboratory material ('EDTA tubes', '40 mM EDTA', 'as an internal standard') is no drug mention
(`lexicons/drug_context.json`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans, from_disk, to_disk

from extractor.nlp.doc_memo import doc_text
from extractor.nlp.extensions import abbreviations, set_extensions
from extractor.nlp.positions import Cover, between
from extractor.nlp.text.drug_lexicon import LABEL, DrugLexicon, packaged_lexicon

COMBINATION_MARKS = frozenset({"/", "-", "–", "+"})
REAGENT_BEFORE = 120  # the words that make a drug a laboratory material: 'blood was drawn into tubes coated with'


@Language.factory(
    "extractor_drugs",
    requires=["doc.sents"],
    assigns=["doc.ents", "token.ent_kb_id"],
    default_config={"lexicon": "default", "resolve_abbreviations": True},
)
class DrugMatcher:
    """Adds DRUG entities to `doc.ents` (kb_id_ = lowercase generic name), keeping entities set before."""

    def __init__(self, nlp: Language, name: str, *, lexicon: str | None, resolve_abbreviations: bool) -> None:
        set_extensions()
        self.name = name
        self.nlp = nlp
        self.resolve_abbreviations = resolve_abbreviations
        self.lexicon = packaged_lexicon() if lexicon == "default" else DrugLexicon()
        if lexicon not in ("default", None):
            self.lexicon = DrugLexicon.from_dict(srsly.read_json(lexicon))
        self._build()

    def _build(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        surfaces = sorted(s for s in self.lexicon.synonyms if s not in self.lexicon.stoplist)
        for surface in surfaces:
            self.matcher.add(surface, [self.nlp.make_doc(surface)])
        # Stoplisted phrases are matched too: a drug name inside one ("target of rapamycin") is no mention.
        self.blocker = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.blocker.add("STOP", [self.nlp.make_doc(s) for s in sorted(self.lexicon.stoplist) if " " in s or "-" in s])
        context = self.lexicon.context
        self.reagent_before = re.compile(context["reagent_before"], re.I) if "reagent_before" in context else None
        self.reagent_after = re.compile(context["reagent_after"], re.I) if "reagent_after" in context else None

    def info(self, canonical: str) -> dict[str, str]:
        return self.lexicon.info.get(canonical, {})

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Span]:
        spans = []
        for key, start, end in self.matcher(doc):
            surface = self.nlp.vocab.strings[key]
            canonical = self.lexicon.synonyms.get(surface)
            if canonical is None:
                continue
            spans.append(Span(doc, start, end, label=LABEL, kb_id=canonical))
        blockers = Cover((start, end) for _, start, end in self.blocker(doc))
        # inside a longer blocker: one that starts before the span, or at it and ends after it
        spans = [
            s
            for s in filter_spans(spans)
            if not (blockers.contains(s.start - 1, s.end) or blockers.contains(s.start, s.end + 1))
        ]
        spans = self._add_abbreviations(doc, spans)
        if self.resolve_abbreviations:
            spans = self._resolve_abbreviations(doc, spans)
        text = doc_text(doc)
        return [s for s in spans if not self._is_reagent(text, s)]

    def _add_abbreviations(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """'MTX', 'PTU': standard abbreviations, case-sensitive; 'ABC', 'TMP' only beside another drug across
        '/', '-' or '+' ('ABC/3TC', 'TMP-SMX')."""
        known = self.lexicon.abbreviations
        if not known:
            return spans
        taken = {i for s in spans for i in range(s.start, s.end)}
        found = {t.i: known[t.text] for t in doc if t.text in known and t.i not in taken}
        drug_at = taken | {i for i, (_, alone) in found.items() if alone}
        added = []
        for i, (canonical, alone) in found.items():
            beside = any(
                0 <= i + 2 * step < len(doc) and doc[i + step].text in COMBINATION_MARKS and i + 2 * step in drug_at
                for step in (-1, 1)
            )
            if alone or beside:
                added.append(Span(doc, i, i + 1, label=LABEL, kb_id=canonical))
        return sorted([*spans, *added], key=lambda s: s.start)

    def _is_reagent(self, text: str, span: Span) -> bool:
        """'EDTA tubes', 'tubes containing 400 kIU of aprotinin', '40 mM EDTA', 'as an internal standard'."""
        start, end = span.start_char, span.end_char
        return bool(
            (self.reagent_before and self.reagent_before.search(text, max(0, start - REAGENT_BEFORE), start))
            or (self.reagent_after and self.reagent_after.match(text, end))
        )

    def _resolve_abbreviations(self, doc: Doc, spans: list[Span]) -> list[Span]:
        by_start = {s.start: s for s in spans}
        short_to_drug: dict[str, str] = {}
        not_drugs: set[str] = set()
        with_drug: set[str] = set()
        for short, long_form in abbreviations(doc):
            inside = [s for s in between(spans, long_form.start, long_form.end) if s.end <= long_form.end]
            if inside:
                # "zoledronic acid (ZA)": the long form is exactly one drug
                if len(inside) == 1 and inside[0].end - inside[0].start >= len(long_form) - 1:
                    short_to_drug[short.text] = inside[0].kb_id_
                # "tenofovir/emtricitabine (TDF/FTC)": one drug per part, in order
                parts = [t.text for t in short if t.text not in COMBINATION_MARKS]
                if len(parts) == len(inside) > 1 and len(short) == 2 * len(parts) - 1:
                    short_to_drug.update((part, s.kb_id_) for part, s in zip(parts, inside, strict=True))
                with_drug.add(short.text)
            else:
                not_drugs.add(short.text)
        # a short form defined once with a drug inside is a drug, whatever another (mis-detected) pair says
        not_drugs -= with_drug
        kept = [s for s in spans if s.text not in not_drugs]
        if short_to_drug:
            taken = {i for s in kept for i in range(s.start, s.end)}
            for token in doc:
                canonical = short_to_drug.get(token.text)
                if canonical and token.i not in taken and token.i not in by_start:
                    kept.append(Span(doc, token.i, token.i + 1, label=LABEL, kb_id=canonical))
        return sorted(kept, key=lambda s: s.start)

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        doc.ents = filter_spans([*spans, *[e for e in doc.ents if e.label_ != LABEL]])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        to_disk(ensure_path(path), {"lexicon.json": lambda p: srsly.write_json(p, self.lexicon.to_dict())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> DrugMatcher:
        def read(p: Path) -> None:
            self.lexicon = DrugLexicon.from_dict(srsly.read_json(p))
            self._build()

        from_disk(ensure_path(path), {"lexicon.json": read}, exclude)
        return self
