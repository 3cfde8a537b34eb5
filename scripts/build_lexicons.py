"""Regenerate the drug lexicons in src/extractor/lexicons/ from drug-named-entity-recognition 2.0.9.

    python scripts/build_lexicons.py            # write drugs.tsv, drug_synonyms.tsv, drug_stoplist.tsv
    python scripts/build_lexicons.py --check    # exit 1 if the files on disk differ from a fresh build

Source: the PyPI package drug-named-entity-recognition==2.0.9 (MIT; `pip install -e .[lexicons]`). Its data file
`drug_ner_dictionary.pkl.bz2` compiles the DrugBank open vocabulary (CC0), MeSH descriptors (NLM, public domain),
MedlinePlus, NHS medicine pages and Wikipedia drug pages. The pickle is read directly: importing the package's
`drugs_finder` touches the home directory and the network. Hand-curated changes live in scripts/drug_additions.tsv.

What the build keeps, by rule:

Canonicals (one row of drugs.tsv each)
  1. Drug sources only: an entry must come from DrugBank, MedlinePlus, NHS or Wikipedia. Entries known only from
     MeSH are dropped: they are proteins, enzymes, genes, receptors, reagents and classes far more often than drugs.
  2. No pharmacological classes: entries with a MeSH tree number under D27 (Chemical Actions and Uses) are dropped.
  3. No combination products ("trimethoprim/sulfamethoxazole", "abacavir, lamivudine, and zidovudine"): names that
     join two or more known drug names with "/", ",", "and", "with" or "+" are dropped, so that each component is
     found on its own. Their brand names go with them.
  4. No wiki pages and no markup: names containing ":" ("template:...") or wiki/HTML markup.
  5. Names are normalised: a trailing parenthetical qualifier ("propranolol (cardiovascular)"), an FDA
     four-letter biologic suffix on MedlinePlus names ("risankizumab-rzaa") and a formulation word on MedlinePlus
     and NHS names ("timolol eye drops", "fentanyl patch") are removed; when the shorter name is already a drug
     (or a surface of one) the two are merged. A canonical whose name the source lists as a variant of another
     drug ("alpha-tocopherol" of "vitamin e") is merged into that drug.
  6. Hand-curated merges (USAN -> INN and the like), new canonicals and surfaces from drug_additions.tsv.

Surfaces (rows of drug_synonyms.tsv)
  Every variant the source lists for a kept canonical, lowercased, except (reasons are written to the stoplist):
  - shorter than 4 characters unless it contains a digit or a hyphen ("5-fu" and "s-1" stay);
  - only English stop words and numbers (spacy.lang.en.stop_words.STOP_WORDS: "at 10" is a brand of
    dihydrotachysterol);
  - an interleukin name ("il-10", "interleukin-2"): the endogenous cytokine, not a drug (aldesleukin is);
  - a hand-curated `stop` row of drug_additions.tsv (classes, targets, analytes, generic words);
  - a canonical name that the source itself removed as a surface because it is a common English word (its
    NLTK English-vocabulary filter: "glucose", "water", "progesterone"): a single alphabetic word that is not a
    variant in the source is stoplisted, since the drug matcher would otherwise add the canonical name back.
  Malformed variants are dropped without a stoplist entry, as they cannot match running text: MeSH permuted
  entry terms with ", " ("hydrochloride, ciprofloxacin"), wiki/HTML markup, punctuation at either end
  ("alcohol,"), no letter at all. Surfaces from drug_additions.tsv are taken as curated (no rule applies).

British spellings (rows of drug_synonyms.tsv)
  Every surface spelled the American way gets its British twin, resolving to the same canonical, unless that
  twin is stoplisted or already a surface of another drug: "sulf" -> "sulph" ("magnesium sulphate",
  "sulphasalazine", "ferrous sulphate"), "estr" at a word start -> "oestr" ("oestradiol", "ethinyl oestradiol"),
  "aluminum" -> "aluminium". UK and Commonwealth trial reports print these (BAN spellings before 2003).

drug_class comes from MeSH tree numbers: the names of the allow-listed structural MeSH descriptors in
DRUG_CLASS_DESCRIPTORS (classes that are also pharmacological classes, e.g. "antibodies, monoclonal",
"anthracyclines") above any of the drug's tree numbers. The source does not carry MeSH pharmacological actions.

The `mesh` column is left empty: the source's `mesh_id` is unreliable (its MeSH parser keeps the last DescriptorUI
seen inside a record, usually a pharmacological action: tamoxifen gets D050071, the id of "Bone Density
Conservation Agents"), and the real descriptor id cannot be recovered offline.
"""

from __future__ import annotations

import argparse
import bz2
import importlib.metadata
import importlib.util
import pickle
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

SOURCE_DISTRIBUTION = "drug-named-entity-recognition"
SOURCE_VERSION = "2.0.9"
SOURCE_PACKAGE = "drug_named_entity_recognition"
SOURCE_FILE = "drug_ner_dictionary.pkl.bz2"

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
LEXICONS = ROOT / "src" / "extractor" / "lexicons"
ADDITIONS = SCRIPTS / "drug_additions.tsv"

SOURCE_LINE = (
    f"{SOURCE_DISTRIBUTION} {SOURCE_VERSION} (PyPI, MIT), compiling DrugBank open vocabulary (CC0), "
    "MeSH (NLM, public domain), MedlinePlus, Wikipedia; plus hand-curated additions in scripts/drug_additions.tsv"
)
LICENCE_LINE = "MIT (package); CC0 (DrugBank vocabulary); public domain (MeSH)"
BUILT_BY_LINE = "python scripts/build_lexicons.py   (regenerate, do not edit)"

# Records of the source that count as drug sources (rule 1); MeSH alone does not.
DRUG_SOURCE_KEYS = ("drugbank_id", "medline_plus_id", "nhs_url", "wikipedia_url")

# MeSH structural descriptors that are also pharmacological classes; a drug under one of them gets its name as
# drug_class. Names, not tree numbers: tree numbers move between MeSH years, names are looked up in the source.
DRUG_CLASS_DESCRIPTORS = (
    "anthracyclines",
    "antibodies, bispecific",
    "antibodies, monoclonal",
    "barbiturates",
    "benzodiazepines",
    "benzothiadiazines",
    "biguanides",
    "carbapenems",
    "cephalosporins",
    "colony-stimulating factors",
    "digitalis glycosides",
    "dihydropyridines",
    "diphosphonates",
    "estradiol congeners",
    "fluoroquinolones",
    "glucocorticoids",
    "gonadotropin-releasing hormone",
    "heparin, low-molecular-weight",
    "immunoconjugates",
    "insulins",
    "interferons",
    "interleukins",
    "monobactams",
    "nitrogen mustard compounds",
    "penicillins",
    "progesterone congeners",
    "retinoids",
    "sulfonylurea compounds",
    "taxoids",
    "testosterone congeners",
    "tetracyclines",
    "thiazolidinediones",
    "vinca alkaloids",
)

# Rule 5: qualifiers removed from MedlinePlus and NHS product names.
PARENTHETICAL = re.compile(r"\s+\([^()]*\)")
FDA_SUFFIX = re.compile(r"(?<=[a-z]{3})-[a-z]{4}$")
FORMULATION = re.compile(
    r"\s+(?:eye drops|ear drops|nasal spray and drops|nasal spray|nasal solution|nasal gel|nasal powder|nasal"
    r"|inhalers?|inhalation|injections?|capsules|tablets|cream|gel|patch|implant|vaginal|buccal"
    r"|sublingual spray|sublingual|otic|intramuscular|spray)$"
)
# Rule 3: separators between the components of a combination product.
COMBINATION_SEPARATOR = re.compile(r"\s*/\s*|,\s*(?:and\s+)?|\s+and\s+|\s+with\s+|\s*\+\s*")
HAS_LETTER = re.compile(r"[^\W\d_]")
HAS_DIGIT_OR_HYPHEN = re.compile(r"[\d-]")
EDGE_PUNCTUATION = re.compile(r"^[^\w(\[]|[^\w)\]'+]$")
WORD_SEPARATOR = re.compile(r"[\s-]+")
INTERLEUKIN = re.compile(r"(?:interleukin|il)[- ]?\d+(?:[- ]?(?:[a-z]|alpha|beta|α|β))?")
SINGLE_WORD = re.compile(r"[a-z]+")
MARKUP = re.compile(r"[{}<>=|]|&[a-z]+;|\[\[")
MIN_SURFACE_LENGTH = 4

ADDITION_KINDS = ("merge", "drug", "synonym", "stop")


@dataclass
class Drug:
    """What the lexicon keeps about one canonical drug."""

    drugbank: str = ""
    mesh_trees: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)

    def absorb(self, other: Drug) -> None:
        self.drugbank = self.drugbank or other.drugbank
        self.mesh_trees |= other.mesh_trees
        self.sources |= other.sources


@dataclass(frozen=True)
class Addition:
    kind: str
    surface: str
    canonical: str
    drugbank: str
    note: str
    line: int


@dataclass
class Lexicon:
    """canonical -> Drug, surface -> canonical (and its inverse), surface -> reason it is never a drug."""

    drugs: dict[str, Drug] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    by_canonical: dict[str, set[str]] = field(default_factory=dict)
    stoplist: dict[str, str] = field(default_factory=dict)

    def add_drug(self, canonical: str, drug: Drug) -> None:
        self.drugs[canonical] = drug
        self.by_canonical.setdefault(canonical, set())

    def set_surface(self, surface: str, canonical: str) -> None:
        previous = self.surfaces.get(surface)
        if previous is not None:
            self.by_canonical[previous].discard(surface)
        self.surfaces[surface] = canonical
        self.by_canonical.setdefault(canonical, set()).add(surface)

    def remove_surface(self, surface: str) -> None:
        canonical = self.surfaces.pop(surface, None)
        if canonical is not None:
            self.by_canonical[canonical].discard(surface)

    def merge(self, old: str, new: str) -> None:
        """Move the group of `old` (ids and surfaces) into `new`, creating `new` if needed."""
        if old == new:
            return
        drug = self.drugs.pop(old)
        if new in self.drugs:
            self.drugs[new].absorb(drug)
        else:
            self.add_drug(new, drug)
        moved = self.by_canonical.pop(old, set())
        for surface in moved:
            self.surfaces[surface] = new
        self.by_canonical.setdefault(new, set()).update(moved)

    def drop(self, canonical: str) -> None:
        del self.drugs[canonical]
        for surface in sorted(self.by_canonical.pop(canonical, set())):
            del self.surfaces[surface]

    def stop(self, surface: str, reason: str) -> None:
        self.stoplist.setdefault(surface, reason)
        self.remove_surface(surface)


# --- source -------------------------------------------------------------------------------------------------


def source_path() -> Path:
    """The pickle inside the installed package, found without importing the package."""
    version = importlib.metadata.version(SOURCE_DISTRIBUTION)
    if version != SOURCE_VERSION:
        raise SystemExit(f"{SOURCE_DISTRIBUTION}=={SOURCE_VERSION} is needed (found {version}): the build is pinned")
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{SOURCE_PACKAGE} is not installed: pip install -e '.[lexicons]'")
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE


def load_source(path: Path) -> dict[str, Any]:
    with bz2.open(path, "rb") as handle:
        data: dict[str, Any] = pickle.load(handle)  # the file of a pinned, installed package
    return data


def source_drug(record: dict[str, Any]) -> Drug:
    sources = {key.removesuffix("_id").removesuffix("_url") for key in DRUG_SOURCE_KEYS if key in record}
    if "mesh_tree" in record:
        sources.add("mesh")
    return Drug(
        drugbank=str(record.get("drugbank_id", "")),
        mesh_trees={str(tree) for tree in record.get("mesh_tree", []) if tree},
        sources=sources,
    )


def lexicon_from_source(data: dict[str, Any]) -> Lexicon:
    lexicon = Lexicon()
    for canonical, record in sorted(data["drug_canonical_to_data"].items()):
        lexicon.add_drug(canonical.strip().lower(), source_drug(record))
    for variant, canonicals in sorted(data["drug_variant_to_canonical"].items()):
        canonical = canonicals[0].strip().lower()
        surface = " ".join(variant.lower().split())
        if canonical in lexicon.drugs and surface:
            lexicon.set_surface(surface, canonical)
    return lexicon


# --- additions ----------------------------------------------------------------------------------------------


def read_additions(path: Path) -> list[Addition]:
    columns: list[str] = []
    additions: list[Addition] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# columns:"):
            columns = line.split(":", 1)[1].strip().split("\t")
        if line.startswith("#") or not line.strip():
            continue
        values = dict(zip(columns, [*line.split("\t"), "", "", "", ""], strict=False))
        kind, surface, canonical = values["kind"], values["surface"].strip(), values["canonical"].strip()
        if kind not in ADDITION_KINDS:
            raise SystemExit(f"{path.name}:{number}: unknown kind {kind!r}")
        if surface != surface.lower() or canonical != canonical.lower():
            raise SystemExit(f"{path.name}:{number}: surfaces and canonicals are lowercase")
        if (kind == "stop") == bool(canonical):
            raise SystemExit(f"{path.name}:{number}: 'stop' rows have no canonical, other rows need one")
        additions.append(Addition(kind, surface, canonical, values["drugbank"].strip(), values["note"].strip(), number))
    stopped = {a.surface for a in additions if a.kind == "stop"}
    conflicts = sorted(a.surface for a in additions if a.kind == "synonym" and a.surface in stopped)
    if conflicts:
        raise SystemExit(f"{path.name}: both a synonym and a stop: {', '.join(conflicts)}")
    return additions


def of_kind(additions: Iterable[Addition], kind: str) -> Iterator[Addition]:
    return (addition for addition in additions if addition.kind == kind)


def apply_merges(lexicon: Lexicon, additions: list[Addition]) -> None:
    for addition in of_kind(additions, "merge"):
        if addition.surface not in lexicon.drugs:
            raise SystemExit(f"{ADDITIONS.name}:{addition.line}: {addition.surface!r} is not a canonical of the source")
        lexicon.merge(addition.surface, addition.canonical)


def apply_drugs_and_synonyms(lexicon: Lexicon, additions: list[Addition]) -> set[str]:
    """New canonicals and curated surfaces; returns the curated surfaces (exempt from the surface rules)."""
    for addition in of_kind(additions, "drug"):
        drug = lexicon.drugs.get(addition.canonical)
        if drug is None:
            lexicon.add_drug(addition.canonical, Drug(drugbank=addition.drugbank, sources={"hand"}))
        elif addition.drugbank:
            drug.drugbank = addition.drugbank
    curated: set[str] = set()
    for addition in of_kind(additions, "synonym"):
        if addition.canonical not in lexicon.drugs:
            raise SystemExit(f"{ADDITIONS.name}:{addition.line}: {addition.canonical!r} is not a canonical")
        lexicon.set_surface(addition.surface, addition.canonical)
        curated.add(addition.surface)
    return curated


# --- rules --------------------------------------------------------------------------------------------------


def normalised_name(canonical: str, drug: Drug) -> str:
    """Rule 5: the name without a parenthetical qualifier, FDA suffix or formulation word."""
    name = PARENTHETICAL.sub("", canonical).strip()
    if drug.sources & {"medline_plus", "nhs"}:
        previous = None
        while previous != name:
            previous = name
            name = FORMULATION.sub("", name).strip()
            if "medline_plus" in drug.sources:
                name = FDA_SUFFIX.sub("", name)
    return name


def normalise_names(lexicon: Lexicon, curated: set[str]) -> None:
    """Rule 5, then: a canonical whose name the source lists as a variant of another drug joins that drug.

    Canonicals named in drug_additions.tsv (`curated`) are left as they are.
    """
    for canonical in sorted(lexicon.drugs.keys() - curated):
        name = normalised_name(canonical, lexicon.drugs[canonical])
        if name and name != canonical:
            target = name if name in lexicon.drugs else lexicon.surfaces.get(name, name)
            lexicon.merge(canonical, target)
    for canonical in sorted(lexicon.drugs.keys() - curated):
        owner = lexicon.surfaces.get(canonical, canonical)
        if canonical in lexicon.drugs and owner != canonical and owner in lexicon.drugs:
            lexicon.merge(canonical, owner)


def is_pharmacological_class(drug: Drug) -> bool:
    """Rule 2: a MeSH descriptor of Chemical Actions and Uses (D27)."""
    return any(tree.startswith("D27") for tree in drug.mesh_trees)


def is_combination(canonical: str, lexicon: Lexicon) -> bool:
    """Rule 3: two or more known drug names joined by a separator."""
    parts = [part.strip() for part in COMBINATION_SEPARATOR.split(canonical) if part.strip()]
    known = [part for part in parts if part in lexicon.drugs or part in lexicon.surfaces]
    return len(parts) >= 2 and len(known) >= 2


def drop_non_drugs(lexicon: Lexicon, keep: set[str]) -> None:
    """Rules 1-4 (canonicals named in drug_additions.tsv are kept)."""
    for canonical in sorted(lexicon.drugs):
        if canonical in keep:
            continue
        drug = lexicon.drugs[canonical]
        if (
            not drug.sources & {"drugbank", "medline_plus", "nhs", "wikipedia", "hand"}
            or is_pharmacological_class(drug)
            or ":" in canonical
            or MARKUP.search(canonical)
            or is_combination(canonical, lexicon)
        ):
            lexicon.drop(canonical)


def is_malformed(surface: str) -> bool:
    """A variant that cannot match running text (dropped without a stoplist entry)."""
    return bool(
        ", " in surface or MARKUP.search(surface) or EDGE_PUNCTUATION.search(surface) or not HAS_LETTER.search(surface)
    )


def surface_rule(surface: str) -> str | None:
    """Why a surface must never be tagged (written to the stoplist), or None if it may be."""
    if len(surface) < MIN_SURFACE_LENGTH and not HAS_DIGIT_OR_HYPHEN.search(surface):
        return f"rule: shorter than {MIN_SURFACE_LENGTH} characters without a digit or hyphen"
    if all(word in STOP_WORDS or not HAS_LETTER.search(word) for word in WORD_SEPARATOR.split(surface)):
        return "rule: English stop words and numbers only (spaCy STOP_WORDS)"
    if INTERLEUKIN.fullmatch(surface):
        return "rule: interleukin name (endogenous cytokine)"
    return None


def apply_surface_rules(lexicon: Lexicon, curated: set[str], source_variants: set[str]) -> None:
    for surface in sorted(lexicon.surfaces):
        if surface in curated:
            continue
        if is_malformed(surface):
            lexicon.remove_surface(surface)
            continue
        reason = surface_rule(surface)
        if reason is not None:
            lexicon.stop(surface, reason)
    # The matcher adds every canonical name as a surface: each must be a valid surface or be stoplisted.
    for canonical in sorted(lexicon.drugs):
        if canonical in lexicon.surfaces or canonical in lexicon.stoplist:
            continue
        if is_malformed(canonical):
            continue
        reason = surface_rule(canonical)
        if reason is None and canonical not in source_variants and SINGLE_WORD.fullmatch(canonical):
            reason = "rule: common English word (removed as a surface by the source's English-vocabulary filter)"
        if reason is None:
            lexicon.set_surface(canonical, canonical)
        else:
            lexicon.stop(canonical, reason)


BRITISH_SPELLINGS = (
    (re.compile(r"sulf"), "sulph"),
    (re.compile(r"\bestr"), "oestr"),
    (re.compile(r"aluminum"), "aluminium"),
)


def add_british_spellings(lexicon: Lexicon) -> None:
    for surface, canonical in sorted(lexicon.surfaces.items()):
        british = surface
        for pattern, replacement in BRITISH_SPELLINGS:
            british = pattern.sub(replacement, british)
        if british != surface and british not in lexicon.surfaces and british not in lexicon.stoplist:
            lexicon.set_surface(british, canonical)


def apply_stops(lexicon: Lexicon, additions: list[Addition]) -> None:
    for addition in of_kind(additions, "stop"):
        lexicon.stoplist[addition.surface] = addition.note or "hand-curated"
        lexicon.remove_surface(addition.surface)


def drug_classes(lexicon: Lexicon, source: dict[str, Any]) -> dict[str, str]:
    """canonical -> '|'-joined names of the allow-listed MeSH descriptors above its tree numbers."""
    class_trees: dict[str, str] = {}
    records = source["drug_canonical_to_data"]
    for name in DRUG_CLASS_DESCRIPTORS:
        record = records.get(name)
        if record is None:
            raise SystemExit(f"drug class descriptor {name!r} is not in the source")
        for tree in record.get("mesh_tree", []):
            class_trees[str(tree)] = name
    classes: dict[str, str] = {}
    for canonical, drug in lexicon.drugs.items():
        found = {
            name
            for tree in drug.mesh_trees
            for class_tree, name in class_trees.items()
            if tree.startswith(class_tree + ".")
        }
        if found:
            classes[canonical] = "|".join(sorted(found))
    return classes


def build(source: dict[str, Any], additions: list[Addition]) -> tuple[Lexicon, dict[str, str]]:
    lexicon = lexicon_from_source(source)
    source_variants = set(lexicon.surfaces)
    hand_canonicals = {a.canonical for a in additions if a.kind in ("merge", "drug", "synonym")}
    apply_merges(lexicon, additions)
    normalise_names(lexicon, curated=hand_canonicals)
    drop_non_drugs(lexicon, keep=hand_canonicals)
    curated = apply_drugs_and_synonyms(lexicon, additions)
    apply_stops(lexicon, additions)
    apply_surface_rules(lexicon, curated, source_variants)
    add_british_spellings(lexicon)
    return lexicon, drug_classes(lexicon, source)


# --- output -------------------------------------------------------------------------------------------------


def header(name: str, columns: Iterable[str], notes: Iterable[str] = ()) -> list[str]:
    lines = [
        f"# name: {name}",
        f"# source: {SOURCE_LINE}",
        f"# licence: {LICENCE_LINE}",
        f"# built-by: {BUILT_BY_LINE}",
    ]
    lines += [f"# note: {note}" for note in notes]
    lines.append("# columns: " + "\t".join(columns))
    return lines


def tsv_row(*values: str) -> str:
    for value in values:
        if "\t" in value or "\n" in value:
            raise ValueError(f"tab or newline in lexicon value {value!r}")
    return "\t".join(values)


def render(lexicon: Lexicon, classes: dict[str, str]) -> dict[str, str]:
    drugs = header(
        "drugs",
        ("canonical", "drugbank", "mesh", "drug_class"),
        (
            "canonical = lowercase generic (INN) name; drug_class = allow-listed MeSH structural class names above "
            "the drug's MeSH tree numbers ('|'-joined), empty when none",
            "mesh is empty: the source's MeSH descriptor ids are unreliable (see scripts/build_lexicons.py)",
        ),
    )
    drugs += [tsv_row(c, lexicon.drugs[c].drugbank, "", classes.get(c, "")) for c in sorted(lexicon.drugs)]
    synonyms = header(
        "drug_synonyms",
        ("surface", "canonical"),
        ("lowercase surface forms (generic, brand, research code, spelling variant) -> canonical in drugs.tsv",),
    )
    synonyms += [tsv_row(s, lexicon.surfaces[s]) for s in sorted(lexicon.surfaces)]
    stoplist = header(
        "drug_stoplist",
        ("surface", "reason"),
        (
            "surfaces never tagged as drugs: 'rule:' reasons come from the build rules, the others from "
            "'stop' rows of scripts/drug_additions.tsv",
        ),
    )
    stoplist += [tsv_row(s, lexicon.stoplist[s]) for s in sorted(lexicon.stoplist)]
    return {
        "drugs.tsv": "\n".join(drugs) + "\n",
        "drug_synonyms.tsv": "\n".join(synonyms) + "\n",
        "drug_stoplist.tsv": "\n".join(stoplist) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the lexicons differ from a fresh build")
    args = parser.parse_args(argv)

    lexicon, classes = build(load_source(source_path()), read_additions(ADDITIONS))
    outputs = render(lexicon, classes)
    stale = []
    for name, text in outputs.items():
        path = LEXICONS / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.write_text(text, encoding="utf-8")
        rows = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
        print(f"{path.relative_to(ROOT)}: {rows} rows, {path.stat().st_size / 1e6:.2f} MB")
    if stale:
        print("out of date (run python scripts/build_lexicons.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
