"""Free-text phrases matched to a record's names (`extractor.query_words`)."""

from __future__ import annotations

from extractor.query_time import time_key
from extractor.query_words import (
    MIN_ENDPOINT_SIMILARITY,
    defined_terms,
    similarity,
    text_abbreviations,
    words,
)


def test_a_hyphenated_compound_is_its_words() -> None:
    assert words("side-effects") == words("side effects") == ["side", "effect"]
    assert words("1-week group") == ["1-week"]  # a number stays joined: it tells the arms apart
    assert words("Bayley-III") == ["bayley-iii"]
    assert similarity("side effects", "Side-effects") == 1.0
    # a hyphenated word against the same word closed up
    assert similarity("HBeAg sero-conversion rate", "HBeAg seroconversion (No.;%)") > 0.7
    assert similarity("post-operative pain", "Postoperative pain") == 1.0
    assert similarity("Interleukin 2", "interleukin-2") == 1.0  # a number joined by a hyphen, or not
    assert similarity("CA-125 levels", "ca 125") == 1.0


def test_a_question_whose_words_a_long_name_holds_names_it() -> None:
    assert similarity("ER visits", "Acute asthma-related PCP or ER visit in prior 2 months") >= MIN_ENDPOINT_SIMILARITY
    assert similarity("pain", "Acute asthma-related PCP or pain visit in prior 2 months") < MIN_ENDPOINT_SIMILARITY
    assert time_key("Mean change at 6 months") == time_key("Mean Change at 6 month")  # one time, two spellings
    assert time_key("week 24") != time_key("week 48")


def test_an_abbreviation_the_question_defines_names_its_long_form() -> None:
    question = "the incidence of postoperative nausea and vomiting (PONV)"
    assert defined_terms(question) == (("PONV", "postoperative nausea and vomiting"),)
    assert defined_terms("H1(haloperidol 1 mg)") == ()
    assert similarity(question, "Late time: Total PONV") >= MIN_ENDPOINT_SIMILARITY
    assert similarity("the incidence of nausea", "Late time: Total PONV") < MIN_ENDPOINT_SIMILARITY


def test_an_abbreviation_the_article_defines_names_its_long_form() -> None:
    # PMC5380326 (Yun et al. 2024 set, even PMCID; CC BY) defines its markers in the methods
    text = "Serum interferon gamma-induced protein 10 (IP-10) and heart rate variability (HRV) were measured."
    defined = text_abbreviations(text)
    # the shortest long form holding the short form's letters in order (Schwartz & Hearst), from a word's start:
    # not inside 'gamma-induced'
    assert defined == {"ip-10": "interferon gamma-induced protein 10", "hrv": "heart rate variability"}
    assert similarity("Interferon gamma-induced protein 10", "IP-10", defined) >= MIN_ENDPOINT_SIMILARITY
    assert similarity("Interferon gamma-induced protein 10", "IP-10") < MIN_ENDPOINT_SIMILARITY
    # a section's abbreviation the question does not spell out does not dilute the name
    assert similarity("pNN50", "HRV and Heart Rate: pNN50", defined) == similarity("pNN50", "HRV and Heart Rate: pNN50")
