"""The drug lexicon: surfaces resolved to generic names, their ids and classes, stoplisted surfaces, standard
abbreviations and the context patterns of laboratory materials (`lexicons/drugs.tsv`, `drug_synonyms.tsv`,
`drug_stoplist.tsv`, `drug_abbreviations.tsv`, `drug_context.json`).

Read by `extractor_drugs` (the matcher), `extractor_arms` (drug mentions of arm labels) and the NER model's
tokenizer (`extractor.bc5cdr_pieces.v1`). No spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from extractor.lexicons import iter_tsv
from extractor.nlp.rules import drug_context

LABEL = "DRUG"  # the entity label of a drug mention in `doc.ents`


@dataclass
class DrugLexicon:
    """surface (lowercase) -> canonical; canonical -> ids and class; surfaces that are never drugs;
    case-sensitive abbreviations -> (canonical, whether it is a drug standing alone); reagent context patterns."""

    synonyms: dict[str, str] = field(default_factory=dict)
    info: dict[str, dict[str, str]] = field(default_factory=dict)
    stoplist: set[str] = field(default_factory=set)
    abbreviations: dict[str, tuple[str, bool]] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)

    @classmethod
    def packaged(cls) -> DrugLexicon:
        lex = cls()
        for row in iter_tsv("drugs.tsv"):
            lex.info[row["canonical"]] = {k: v for k, v in row.items() if k != "canonical" and v}
        for row in iter_tsv("drug_synonyms.tsv"):
            lex.synonyms[row["surface"].lower()] = row["canonical"]
        for row in iter_tsv("drug_stoplist.tsv"):
            lex.stoplist.add(row["surface"].lower())
        for canonical in lex.info:
            lex.synonyms.setdefault(canonical, canonical)
        for row in iter_tsv("drug_abbreviations.tsv"):
            lex.abbreviations[row["abbreviation"]] = (row["canonical"], row["alone"] == "yes")
        lex.context = drug_context().model_dump(exclude={"meta"})
        return lex

    def to_dict(self) -> dict[str, Any]:
        return {
            "synonyms": self.synonyms,
            "info": self.info,
            "stoplist": sorted(self.stoplist),
            "abbreviations": {k: list(v) for k, v in self.abbreviations.items()},
            "context": self.context,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DrugLexicon:
        abbreviations = {k: (str(v[0]), bool(v[1])) for k, v in data.get("abbreviations", {}).items()}
        return cls(
            dict(data["synonyms"]), dict(data["info"]), set(data["stoplist"]), abbreviations, data.get("context", {})
        )


@lru_cache(maxsize=1)
def packaged_lexicon() -> DrugLexicon:
    """The packaged lexicon, read once per process and shared by `extractor_drugs` and the NER model's tokenizer
    (`extractor.bc5cdr_pieces.v1`): treat it as read-only."""
    return DrugLexicon.packaged()
