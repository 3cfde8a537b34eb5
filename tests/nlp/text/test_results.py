"""Results in prose, any endpoint: real sentences from the Yun et al. 2024 articles of even PMCID (CC BY)."""

from __future__ import annotations

import re

from extractor.nlp.text.results import ArmSpan, StatMention, endpoint_of, find_stats, read_statements
from extractor.nlp.text.stats import Reading


def _arms(text: str, *names: tuple[str, str]) -> list[ArmSpan]:
    found = []
    for surface, arm in names:
        at = text.index(surface)
        found.append(ArmSpan(at, at + len(surface), arm))
    return found


def test_a_comparison_named_before_its_values_and_the_endpoint_after_no_difference() -> None:
    # PMC3321528
    text = (
        "No difference was observed between the EMS and the control group in handgrip strength either in absolute "
        "(21.4 ± 10.8 versus 14.8 ± 10.7 kg, resp., P = 0.18) or relative values."
    )
    got = read_statements(text, 0, len(text), _arms(text, ("EMS", "ems"), ("control group", "control")))
    assert [(s.endpoint, s.arm, s.mention.reading.value, s.mention.reading.sd) for s in got] == [
        ("handgrip strength", "ems", 21.4, 10.8),
        ("handgrip strength", "control", 14.8, 10.7),
    ]


def test_values_listed_with_respectively() -> None:
    # PMC1216327
    text = (
        "The mean ± SD fecal excretion in g/kg/h was 3.94 ± 2.35, 3.59 ± 2.35, and 2.19 ± 1.63 in AJ, WGJ and WA "
        "respectively."
    )
    arms = _arms(text, ("AJ,", "aj"), ("WGJ and", "wgj"), ("WA r", "wa"))
    got = read_statements(text, 0, len(text), arms)
    assert [(s.endpoint, s.arm, s.mention.reading.value) for s in got] == [
        ("fecal excretion", "aj", 3.94),
        ("fecal excretion", "wgj", 3.59),
        ("fecal excretion", "wa", 2.19),
    ]


def test_counts_of_people_per_arm_and_what_they_had() -> None:
    # PMC5062234
    text = (
        "At 12 h, six patients (28.5%) in the TAP group and 18 patients (85.7%) in the control group had moderate "
        "to severe pain on coughing (P < 0.001*)."
    )
    got = read_statements(text, 0, len(text), _arms(text, ("the TAP group", "tap"), ("the control group", "control")))
    assert [(s.endpoint, s.arm, s.mention.reading.events, s.mention.reading.percent) for s in got] == [
        ("moderate to severe pain on coughing", "tap", 6, 28.5),
        ("moderate to severe pain on coughing", "control", 18, 85.7),
    ]
    # the same article: 'the number of patients ... was N'
    text = (
        "The number of patients requiring intraoperative supplemental fentanyl in TAP group was 8 and in local "
        "infiltration group was 16 (P = 0.028)."
    )
    got = read_statements(text, 0, len(text), _arms(text, ("TAP group", "tap"), ("local infiltration group", "local")))
    assert [(s.arm, s.mention.reading.events) for s in got] == [("tap", 8), ("local", 16)]


def test_effect_estimates_in_their_common_forms() -> None:
    for text, effect, value, low, high in [
        ("HR 0.93 (95% CI 0.71-1.21)", "HR", 0.93, 0.71, 1.21),
        ("odds ratio (OR), 4.342, 95% CI 1.764–10.687", "OR", 4.342, 1.764, 10.687),
        ("HR 0.390; 95% CI 0.130–1.173; P = 0.0401", "HR", 0.39, 0.13, 1.173),
        ("mean difference −0.42 (95% CI −0.62 to −0.23; p<0.001)", "difference", -0.42, -0.62, -0.23),
        # a CI label between the measure and its value (11 EI and Yun articles; PMC1891439, CC BY)
        ("OR[95%CI] = 0.049 [0.011–0.207], p<0.001", "OR", 0.049, 0.011, 0.207),
        ("Hazard Ratio[95%Confidence Interval] = 1.821 [1.466–2.263]", "HR", 1.821, 1.466, 2.263),
        ("odds ratio (95% CI) of 0.33 (0.08, 1.48)", "OR", 0.33, 0.08, 1.48),
    ]:
        (stat,) = find_stats(text, 0, len(text))
        assert (stat.effect, stat.reading.value, stat.reading.low, stat.reading.high) == (effect, value, low, high)


def test_a_ci_bound_and_a_threshold_are_no_results_and_sd_is_no_endpoint() -> None:
    text = "The HbA1c was reduced in 45% of patients with HbA1c ≥ 7% (SD = 2.5)."
    values = [s.reading.value for s in find_stats(text, 0, len(text))]
    assert 7.0 not in values
    assert all(s.endpoint.lower() != "sd" for s in read_statements(text, 0, len(text), []))


def test_sample_size_assumptions_are_no_results() -> None:
    text = "Assuming an SD of 235 ml, 174 patients per group were needed to detect a difference of 100 ml."
    assert read_statements(text, 0, len(text), []) == []


def test_a_count_in_words_whose_parenthesis_goes_on_after_the_percentage() -> None:
    # PMC3263860
    text = (
        "Three participants (4%, three total events) in the CGM group and five participants (7%, six total events) "
        "in the control group experienced at least one severe hypoglycemic event."
    )
    got = read_statements(text, 0, len(text), _arms(text, ("the CGM group", "cgm"), ("the control group", "control")))
    assert [(s.arm, s.mention.reading.events, s.mention.reading.percent) for s in got] == [
        ("cgm", 3, 4.0),
        ("control", 5, 7.0),
    ]
    assert all("severe hypoglycemic event" in (s.endpoint or "") for s in got)


def test_percentages_with_their_intervals_are_rates_and_the_list_shares_the_first_ones_statistic() -> None:
    # PMC1866019 (Evidence Inference): three arms' relapse rates, each with its 95% CI
    text = (
        "Life-table estimates (95% confidence intervals) of the proportion of patients with relapse at 6 months "
        "(pooled population) were placebo, 39.1% (32.2% to 46.0%); esomeprazole 20 mg, 29.3% (22.3% to 36.2%)"
    )
    got = [
        (s.reading.measure, s.reading.value, s.reading.low, s.reading.high, s.unit)
        for s in find_stats(text, 0, len(text))
    ]
    assert got == [("rate", 39.1, 32.2, 46.0, "%"), ("rate", 29.3, 22.3, 36.2, "%")]


def test_the_change_from_baseline_of_a_measure_is_that_measures_change() -> None:
    # PMC1570354 (Evidence Inference)
    text = (
        "For diary card parameters, the adjusted mean change from baseline in morning PEF was 25 L/min in both the "
        "SFC and FBC groups"
    )
    at = text.index("25 L/min")
    value = StatMention(at, at + len("25 L/min"), Reading("mean", 25.0), "L/min")
    assert endpoint_of(text, 0, len(text), [value], []) == "morning PEF change"


def test_a_label_before_its_values_is_their_endpoint_and_a_bare_pair_follows_the_articles_arm_order() -> None:
    # PMC2365957 (Evidence Inference, CC BY); a two-arm study whose clause names no arm: the arms in the order
    # the article first names them
    text = "HIV-1 RNA < 50 copies/mL: 75% (40/53) vs 83% (44/53), p = 0.34."
    got = read_statements(text, 0, len(text), [], ["fosamprenavir", "atazanavir"])
    assert [(s.endpoint, s.arm, s.mention.reading.events, s.mention.reading.n) for s in got] == [
        ("HIV-1 RNA < 50 copies/mL", "fosamprenavir", 40, 53),
        ("HIV-1 RNA < 50 copies/mL", "atazanavir", 44, 53),
    ]
    # a label naming the arms compared is no endpoint; a pair joined by 'and' is no comparison of two arms
    text = "(control vs doxycycline 10 μg/ml: 100 ± 8 vs 48 ± 16)"
    assert all("doxycycline" not in (s.endpoint or "") for s in read_statements(text, 0, len(text), []))
    text = "Blood pressure decreased by 2.1 and 5.1 mmHg."
    assert read_statements(text, 0, len(text), [], ["fosamprenavir", "atazanavir"]) == []


def test_an_opening_phrase_set_off_by_a_comma_is_no_part_of_the_endpoint() -> None:
    # PMC1177952 (Evidence Inference, CC BY)
    text = (
        "In a predefined subgroup of patients without heart-failure at admission, mortality was 1.2% in GIK "
        "patients versus 4.2% in controls."
    )
    stats = find_stats(text, 0, len(text))
    assert endpoint_of(text, 0, len(text), stats, []) == "mortality"


def test_the_analysis_population_opening_a_sentence_is_no_endpoint() -> None:
    # PMC1891439 (Evidence Inference, CC BY)
    text = (
        "In the PP group, 19 out of 70 (27%) patients who completed the 7-day trial had acute clinical failure in "
        "the cefixime recipients as compared to 1 out of 88 (1%) in the gatifloxacin recipients (Odds Ratio "
        "[95%CI] = 0.031 [0.004 – 0.237], p<0.001)."
    )
    arms = _arms(text, ("the cefixime recipients", "cefixime"), ("the gatifloxacin recipients", "gatifloxacin"))
    got = read_statements(text, 0, len(text), arms, ["gatifloxacin", "cefixime"])
    assert [(s.arm, s.mention.reading.events, s.mention.effect) for s in got] == [
        ("cefixime", 19, None),
        ("gatifloxacin", 1, None),
        ("gatifloxacin", None, "OR"),  # 1% against 27%: the OR is gatifloxacin's
    ]
    assert all(s.endpoint == "acute clinical failure" for s in got)  # the object ends where an arm is named
    # a count after the verb is no object: 'we had 50 out of 187 (27%) in the Cefixime group'
    text = (
        "Similarly, treating drop-out as treatment failures, we had 50 out of 187 (27%) in the Cefixime group and "
        "15 out of 203 (7%) in the Gatifloxacin group acute treatment failures, OR[95%CI] = 0.219 [0.118–0.405]."
    )
    arms = _arms(text, ("the Cefixime group", "cefixime"), ("the Gatifloxacin group", "gatifloxacin"))
    assert not any(s.endpoint[0].isdigit() for s in read_statements(text, 0, len(text), arms))


def test_a_ratio_names_first_the_arm_its_direction_points_at() -> None:
    # PMC3718642 (evidence-inference set, CC BY): the RR is everolimus against MMF though MMF is named first
    text = (
        "Viral infections were more frequent in the MMF group (80.3%) compared with the everolimus group (27.9%) "
        "(RR = 0.35 (95% CI = 0.227, 0.529))."
    )
    got = read_statements(text, 0, len(text), _arms(text, ("MMF group", "mmf"), ("everolimus group", "everolimus")))
    assert [(s.arm, s.comparator) for s in got if s.mention.effect == "RR"] == [("everolimus", "mmf")]
    # PMC4987981 (evidence-inference set, CC BY): each ratio after the 'A vs B' it compares, in that order
    text = (
        "In metformin, pioglitazone and placebo group, 52.4 %, 50 % and 17.4 % of the patients had complete "
        "improvement in MS respectively (metformin vs placebo – OR (95 % CI), 5.2 (1.3–20.7), P value = 0.019; "
        "pioglitazone vs placebo – (OR (95 % CI) = 4.8 (1.1–20.4), P value = 0.036; metformin vs pioglitazone – "
        "(OR (95 % CI) = 0.9 (0.2–3.3), P value = 0.9)."
    )
    arms = [ArmSpan(m.start(), m.end(), m.group()) for m in re.finditer("metformin|pioglitazone|placebo", text)]
    got = read_statements(text, 0, len(text), arms)
    assert [(s.arm, s.comparator, s.mention.reading.value) for s in got if s.mention.effect == "OR"] == [
        ("metformin", "placebo", 5.2),
        ("pioglitazone", "placebo", 4.8),
        ("metformin", "pioglitazone", 0.9),
    ]


def test_who_was_evaluated_or_allocated_is_no_result() -> None:
    # PMC3580671 (Evidence Inference): patients selected for an analysis, per arm
    text = (
        "Because of the failure to identify causative pathogen in 10 patients from the Infusion and in 6 patients "
        "from the Bolus group, only 96 patients in the Infusion group and 102 patients in the Bolus group were "
        "selected for microbiological evaluation."
    )
    arms = _arms(text, ("the Infusion group", "infusion"), ("the Bolus group", "bolus"))
    assert read_statements(text, 0, len(text), arms) == []
    # PMC4218766 (Evidence Inference): the shares allocated to each arm
    text = (
        "Overall, 3630 patients from the four SMILE Studies were included in the pooled analysis, of which 1808 (50%) "
        "randomized to zofenopril, 951 (26%) to placebo, 520 (14%) to lisinopril and 351 (10%) to ramipril."
    )
    arms = _arms(text, ("zofenopril", "zofenopril"), ("placebo", "placebo"), ("lisinopril", "lisinopril"))
    assert read_statements(text, 0, len(text), arms) == []
    # ... while what happened to the patients randomized is one
    text = "Of the 200 patients who were randomized, 40 (20%) in the placebo group died."
    got = read_statements(text, 0, len(text), _arms(text, ("the placebo group", "placebo")))
    assert [(s.arm, s.mention.reading.events) for s in got] == [("placebo", 40)]


def test_an_effect_abbreviation_inside_a_study_code_is_no_effect() -> None:
    # PMC3580327 (Evidence Inference): 'MEM-MD-02' names a study, not a mean difference of -2
    text = "A total of 510 patients (339 from MEM-MD-02, and 171 from MEM-MD-12) were included in the ITT set."
    assert [s.effect for s in find_stats(text, 0, len(text))] == [None] * len(find_stats(text, 0, len(text)))
    text = "HbA1c fell more with the drug: MD -0.42 (95% CI -0.62 to -0.23)."
    assert [s.effect for s in find_stats(text, 0, len(text))] == ["difference"]


def test_values_before_what_an_arm_achieved_and_respectively_over_analyses() -> None:
    # PMC3493722 (Yun et al. 2024 set, even PMCID; CC BY): the endpoint follows the values; 'respectively' lists
    # the analyses, so the second value is the same arm's (per protocol), never the other arm's
    text = (
        "The 1-week group achieved 83.5% (71/85) and 87.7% (71/81) eradication rates in the intention to treat "
        "(ITT) and per-protocol (PP) analyses, respectively."
    )
    arms = _arms(text, ("The 1-week group", "1-week"))
    got = read_statements(text, 0, len(text), arms, study_arms=["1-week", "2-week"])
    assert [(s.endpoint, s.arm, s.mention.reading.events, s.mention.reading.n) for s in got] == [
        ("eradication rates", "1-week", 71, 85)
    ]
