"""The metadata evaluation: comparison rules, reference reading, and a run on a one-article data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from extractor.eval.metadata import (
    evaluate_metadata,
    evaluate_seed_types,
    normalize,
    reference_metadata,
    same,
    table,
    type_right,
)
from tests.conftest import CORPUS, ROOT


def test_comparison_rules() -> None:
    assert normalize("Journal of Trauma Management & Outcomes") == normalize(
        "Journal of trauma management and outcomes"
    )
    assert same("title", "Type-2 Diabetes: A Study", "type 2 diabetes a study")
    assert not same("title", "Type 2 Diabetes", "Type 2 Diabetes: A Study")
    assert same("doi", "10.1155/2016/7245947", "10.1155/2016/7245947 ")
    assert same("year", 2016, [2015, 2016])  # online in December 2015, in the 2016 volume
    assert not same("year", 2014, [2015, 2016])
    assert not same("journal", None, "Case Reports in Surgery")


def test_article_type_against_the_jats_attribute() -> None:
    assert type_right("case_report", "case-report")
    assert type_right("review", "review-article")
    assert type_right("cohort", "research-article")
    assert type_right("other", "research-article")
    assert not type_right("review", "research-article")
    assert type_right("rct", None) is None


def test_reference_metadata_from_jats() -> None:
    reference = reference_metadata(ROOT / "tests" / "fixtures" / "PMC4735920.fulltext.xml")
    assert (
        reference["title"]
        == "Pentobarbital Toxicity after Self-Administration of Euthasol Veterinary Euthanasia Medication"
    )
    assert reference["journal"] == "Case Reports in Emergency Medicine"
    assert reference["doi"] == "10.1155/2016/6270491"
    assert reference["years"] == [2016]
    assert reference["article_type_attr"] == "case-report"


def test_evaluate_a_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "PMC4738698"
    folder.mkdir()
    shutil.copy(CORPUS / "pdfs" / "PMC4738698.pdf", folder / "fulltext.pdf")
    shutil.copy(CORPUS / "pdfs" / "PMC4738698.xml", folder / "fulltext.xml")
    head = "id\tcollection\tpdf\tground_truth\tarticle_type\tjournal\tdoi\ttitle"
    row = "PMC4738698\thindawi_epmc\tPMC4738698/fulltext.pdf\tPMC4738698/fulltext.xml (JATS)\tcase-report\t\t\t"
    (tmp_path / "manifest.tsv").write_text(f"{head}\n{row}\n", encoding="utf-8")
    summary = evaluate_metadata(tmp_path)
    assert {name: f["accuracy"] for name, f in summary["fields"].items()} == {
        "title": 1.0,
        "doi": 1.0,
        "year": 1.0,
        "year_epub": 1.0,
        "journal": 1.0,
        "article_type": 1.0,
    }
    assert table(summary).splitlines()[0].split() == ["field", "n", "predicted", "correct", "accuracy"]


def test_seed_types() -> None:
    """The scoring rule on the five seeds; how many are right is a floor of `make eval` (article_type=1.0)."""
    from extractor.eval.gold import ARTICLE_TYPE_EQUIVALENTS

    seeds = evaluate_seed_types(CORPUS / "gold", CORPUS / "seeds")
    assert seeds["n"] == len(seeds["rows"]) == 5
    by_doc = {row["doc"]: row for row in seeds["rows"]}
    # 003 is gold 'abstract_page' (a PubMed page of a case report): case_report or other counts as right
    assert by_doc["003_a421c88d45a70224.txt"]["expected"] == "abstract_page"
    for row in seeds["rows"]:
        allowed = {row["expected"], *ARTICLE_TYPE_EQUIVALENTS.get(row["expected"], set())}
        assert row["right"] == (row["predicted"] in allowed), row
    assert seeds["correct"] == sum(row["right"] for row in seeds["rows"])
