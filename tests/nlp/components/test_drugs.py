"""Drug mentions: generic, brand and code names resolved; classes, targets and named proteins are not drugs."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

import pytest

from extractor import ArticleRecord
from extractor.lexicons import provenance

CASES = [
    # 000_0a971266401ee98e.txt, case presentation (line-end hyphen inside the drug name, as printed)
    (
        "eventually formed a large mass with a skin ulcer (Fig. 1a). Everoli-\nmus and exemestane were administered",
        {"everolimus", "exemestane"},
    ),
    # 002_e5b7ac3fa1a98ba6.txt: a research code and a class next to each other
    ("RAD001 (everolimus) is an oral mTOR inhibitor; aromatase inhibitors were given before.", {"everolimus"}),
    ("Afinitor plus Aromasin was compared with Faslodex.", {"everolimus", "exemestane", "fulvestrant"}),
    # 000: a kinase named after a drug is not the drug
    ("Everolimus is a mechanistic-target-of-rapamycin (mTOR) inhibitor", {"everolimus"}),
    # 000: an organism phenotype named after a drug
    (
        "The wound was infected with methicillin-resistant Staphylococcus epidermidis, so vancomycin was given.",
        {"vancomycin"},
    ),
    # 002: a growth factor named after a drug
    ("activation of insulin-like growth factor-1 may cause resistance to everolimus.", {"everolimus"}),
    # 001_1fbf8c8289c92d00.txt: drugs joined by slashes, and a USAN name mapped to its INN
    (
        "She was treated with 5-FU and leuprolide, then with gimeracil/oteracil.",
        {"fluorouracil", "leuprorelin", "gimeracil", "oteracil"},
    ),
    # classes, genes and receptors only
    ("HER2-negative, estrogen receptor-positive disease after CDK4/6 inhibitors and taxanes.", set()),
    # fixed combinations written with a slash or hyphen: each component (evidence-inference HIV and PPH trials)
    (
        "then lopinavir-ritonavir or abacavir/lamivudine once daily",
        {"lopinavir", "ritonavir", "abacavir", "lamivudine"},
    ),
    # an abbreviated combination defined by its long form: each part is its component
    (
        "plus tenofovir/emtricitabine (TDF/FTC) 300 mg/200 mg QD. Patients stayed on TDF/FTC for 48 weeks.",
        {"tenofovir", "emtricitabine"},
    ),
    # standard abbreviations used undefined (PHEE case reports); 'ABC' and 'TMP' only inside a combination
    ("Antithyroid treatment with PTU resulted in hepatitis; MTX was stopped.", {"propylthiouracil", "methotrexate"}),
    (
        "ABC in 40% of patients; TMP-SMX prophylaxis and ASA/clopidogrel were given.",
        {"trimethoprim", "sulfamethoxazole", "acetylsalicylic acid", "clopidogrel"},
    ),
    # insulin preparations
    (
        "Insulin glargine (Lantus) replaced NPH insulin at bedtime; insulin aspart replaced regular insulin.",
        {"insulin isophane", "insulin human", "insulin glargine", "insulin aspart"},
    ),
    # insulin as a measured hormone is no treatment
    ("Fasting insulin and plasma insulin levels fell; insulin secretion was unchanged.", set()),
    # British spellings of salts and hormones
    ("Magnesium sulphate 3 g was infused; sulphasalazine was continued.", {"magnesium sulfate", "sulfasalazine"}),
    # laboratory materials: tube additives, buffers, internal standards (evidence-inference methods sections)
    (
        "The CD4+ cell count was detected from Ethylenediaminetetraacetic acid (EDTA)-anticoagulated whole blood.",
        set(),
    ),
    ("Blood samples (EDTA treated) were collected pre-dose; plasma was stored at -80 °C.", set()),
    ("Samples were suspended in 100 mM Tris–HCl (pH 9.0) and 40 mM EDTA after washing.", set()),
    ("analyzed by LC/MS/MS, using tetramethoxycurcumin as an internal standard", set()),
    ("Blood was drawn into EDTA tubes; heparin was given as a 5000 IU bolus.", {"heparin"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_drug_names(extract: Callable[[str], ArticleRecord], text: str, expected: set[str]) -> None:
    assert {d.name for d in extract(text).drugs} == expected


def test_abbreviation_defined_in_the_text_is_resolved(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract("Patients received zoledronic acid (ZA) every 4 weeks. ZA was well tolerated.")
    drug = next(d for d in record.drugs if d.name == "zoledronic acid")
    assert [m.text for m in drug.mentions] == ["zoledronic acid", "ZA", "ZA"]


def test_mentions_carry_evidence_and_ids(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract("Everolimus 10 mg daily was combined with exemestane.")
    everolimus = next(d for d in record.drugs if d.name == "everolimus")
    assert everolimus.ids.get("drugbank", "").startswith("DB")
    span = everolimus.mentions[0]
    assert record.text is not None and record.text[span.start : span.end] == "Everolimus"


def test_mentions_in_the_reference_list_are_not_drugs(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract(
        "Introduction\nLetrozole was given.\n\nReferences\n1. Smith J. Tamoxifen in 1990. J Clin. 1991;1:1-2."
    )
    assert {d.name for d in record.drugs} == {"letrozole"}


LEXICON_FILES = sorted(p.name for p in files("extractor.lexicons").iterdir() if p.name.endswith((".tsv", ".json")))


@pytest.mark.parametrize("name", LEXICON_FILES)
def test_every_lexicon_states_source_and_licence(name: str) -> None:
    meta = provenance(name)
    assert meta.get("source") and meta.get("licence")
