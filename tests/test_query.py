"""The meta-analyst's question answered from a record: `query`, and `extractor query` over a folder's records."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from extractor import ArticleRecord
from extractor.cli import app
from extractor.query import query

# Sentences of PMC4928400 (Yun et al. 2024 set, even PMCID; CC BY), with its results table as the JATS reader
# writes a table (cells joined by " | ", empty cells left out).
ARTICLE = """Abstract
To compare the safety and effectiveness of flexible ureteroscopy (F-URS) with transperitoneal laparoscopic
ureterolithotomy (TPLU) in cases of obstructive pyelonephritis secondary to large proximal ureteral stones. After
drainage of pyonephrosis and resolution of sepsis, 22 patients treated with TPLU (Group I), and 20 patients were
treated with F-URS (Group II).

Results
Table 2 Operative and postoperative data
TPLU Group (Group I) | F-URS Group (Group II) | p value
Mean operation time, min | 74.1±12.2 | 78±6.4 | 0.2
Stone-free rate | 100% | 80% | 0.04
Complications | 5 (22.7%) | 7 (35%) | 0.3
"""


def test_binary_and_continuous_answers_with_their_evidence(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract(ARTICLE)
    binary = query(record, "Stone-free rate", "Transperitoneal laparoscopic ureterolithotomy", "Flexible ureteroscopy")
    assert binary.outcome_type == "binary"
    fields = binary.fields()
    assert (fields["intervention_events"], fields["intervention_group_size"]) == (22, 22)
    assert (fields["comparator_events"], fields["comparator_group_size"]) == (16, 20)
    assert binary.intervention.derived  # 100% of 22: derived, and said so
    assert all(record.text and record.text[s.start : s.end] == s.text for s in binary.intervention.evidence)
    continuous = query(record, "Operative time", "TPLU", "F-URS")
    assert continuous.outcome_type == "continuous"
    assert (continuous.intervention.mean, continuous.intervention.sd) == (74.1, 12.2)
    assert (continuous.comparator.mean, continuous.comparator.sd) == (78.0, 6.4)
    unknown = query(record, "Quality of life", "TPLU", "F-URS")
    assert unknown.intervention.mean is None and unknown.intervention.group_size == 22


def test_the_query_command_writes_one_answer_per_question(
    tmp_path: Path, extract: Callable[[str], ArticleRecord]
) -> None:
    record = extract(ARTICLE).model_copy(
        update={"source": extract(ARTICLE).source.model_copy(update={"path": "a/PMC1.txt"})}
    )
    records = tmp_path / "records.jsonl"
    records.write_text(record.model_dump_json() + "\n", encoding="utf-8")
    questions = tmp_path / "q.csv"
    questions.write_text(
        "id,doc,outcome,intervention,comparator\n1,PMC1,Complications,TPLU,F-URS\n2,PMC9,Complications,A,B\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["query", str(records), "-q", str(questions), "-o", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [a["id"] for a in answers] == ["1", "2"]
    assert (answers[0]["intervention_events"], answers[0]["comparator_events"]) == (5, 7)
    assert answers[1]["intervention_events"] is None
    result = CliRunner().invoke(
        app, ["query", str(records), "-q", str(questions), "-o", str(tmp_path / "a.csv"), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert rows[0]["comparator_group_size"] == "20" and rows[0]["intervention_evidence"]


def test_a_questions_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text("", encoding="utf-8")
    questions = tmp_path / "q.csv"
    questions.write_text("id,outcome\n1,x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["query", str(records), "-q", str(questions), "-o", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())
    assert "missing column(s) doc, intervention, comparator" in said


def test_week_0_is_baseline() -> None:
    from extractor.query_time import BASELINE

    assert BASELINE.search("Week 0") and BASELINE.search("day 0")
    assert not BASELINE.search("Week 11") and not BASELINE.search("day 10")


# The adverse-event table of PMC4230312 (Yun et al. 2024 set, even PMCID; CC BY) as the JATS reader writes it.
EVENTS = """Methods
Patients were randomized to quetiapine 300 mg/day (n = 298), quetiapine 600 mg/day (n = 307) or placebo (n = 214).

Results
Table 3 Common adverse events (≥5% of patients in any group; safety population)
Adverse event, N (%) | Quetiapine 300 mg/day (n = 298) | Quetiapine 600 mg/day (n = 307) | Placebo (n = 214)
Dry mouth | 94 (31.5) | 90 (29.3) | 21 (9.8)
Somnolence | 65 (21.8) | 60 (19.5) | 18 (8.4)
Sedation | 60 (20.1) | 59 (19.2) | 12 (5.6)
"""


def test_an_adverse_event_table_answers_events_per_arm(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract(EVENTS)
    answer = query(record, "adverse event of dry mouth", "quetiapine 600 mg/day", "placebo")
    assert answer.outcome_type == "binary"
    fields = answer.fields()
    assert (fields["intervention_events"], fields["intervention_group_size"]) == (90, 307)
    assert (fields["comparator_events"], fields["comparator_group_size"]) == (21, 214)
    # an event's name that is only part of what is asked answers nothing
    assert query(record, "Sedation recovery time", "quetiapine 600 mg/day", "placebo").intervention.events is None


def test_a_later_time_point_is_the_result_unless_the_question_names_one() -> None:
    from extractor.query_time import prefer_time, time_in_days

    assert time_in_days("24 weeks") == time_in_days("week 24") == 168.0
    assert time_in_days("at 4 h") == 4 / 24 and time_in_days("posttreatment") is None
    week_24 = "median (q1, q3) change from baseline to week 24"  # a change to week 24 is no baseline value
    week_48 = "median (q1, q3) change from baseline to week 48"
    assert prefer_time(week_48, False, None) > prefer_time(week_24, False, None) > prefer_time("baseline", False, None)
    assert prefer_time(week_24, False, 168.0) > prefer_time(week_48, False, 168.0)  # 'HbA1c at week 24'
    assert prefer_time("baseline", True, None) > prefer_time(week_48, True, None)


# PMC4574984 (Yun et al. 2024 set, even PMCID; CC BY), its allocation and mortality sentences.
MORTALITY = """Methods
The final sample consisted of 652 patients. Of these, 326 patients were assigned to the intervention-group and 326
patients were assigned to the control-group.

Results
Within 30 days after surgery, 4 patients in the intervention and 3 patients in the control group had died (p = 0.75).
One year after surgery, 45 patients in the intervention group compared to 58 patients in the control group had died
(p = 0.19).
"""


def test_a_time_spelled_out_is_a_later_time_point(extract: Callable[[str], ArticleRecord]) -> None:
    from extractor.query_time import time_in_days

    assert time_in_days("one year after surgery") == 365.25 and time_in_days("Forty-two weeks") == 294.0
    assert time_in_days("tend") is None
    fields = query(extract(MORTALITY), "overall mortality", "intervention group", "control group").fields()
    assert (fields["intervention_events"], fields["comparator_events"]) == (45, 58)


def test_no_cases_in_the_study_is_none_in_either_arm(extract: Callable[[str], ArticleRecord]) -> None:
    """PMC3263860 (Yun et al. 2024 set, even PMCID; CC BY), results sentence."""
    record = extract(
        "Methods\nPatients were randomized to real-time CGM (n = 74) or control (n = 72).\n\nResults\n"
        "There were no cases of diabetic ketoacidosis and no serious adverse events attributable to the study "
        "interventions.\n"
    )
    fields = query(record, "Diabetic ketoacidosis", "CGM", "Control").fields()
    assert (fields["intervention_events"], fields["comparator_events"]) == (0, 0)


# PMC5614421 (Yun et al. 2024 set, odd PMCID; CC BY): a side-effects row counting the safety population.
SIDE_EFFECTS = """Methods
Women were randomized to vaginal progesterone (n = 398) or placebo (n = 389).

Results
Table 3 Side effects
Side effect | Progesterone | Placebo
Women reporting side effects | 134/394 (34.0) | 118/382 (30.9)
"""


def test_side_effects_are_adverse_events_counted_in_the_group_the_table_prints(
    extract: Callable[[str], ArticleRecord],
) -> None:
    fields = query(extract(SIDE_EFFECTS), "side effects", "vaginal progesterone pessaries", "placebo").fields()
    assert (fields["intervention_events"], fields["intervention_group_size"]) == (134, 394)
    assert (fields["comparator_events"], fields["comparator_group_size"]) == (118, 382)


# PMC5380326 (Yun et al. 2024 set, even PMCID; CC BY): means printed with their standard errors.
STANDARD_ERRORS = """Methods
Participants were randomized to vitamin D (n = 40) or placebo (n = 40) for 8 weeks.

Results
Table 2 Inflammatory markers after supplementation
Marker | Placebo (n = 40) | Vitamin D (n = 40)
IP-10, mean (SE) | 748.88 (87.12) | 636.47 (70.91)
25(OH)D, mean (SE) | 21.87 (0.84) | 45.93 (2.43)
IL-2, mean (SE) | 28.69 (16.29) | 4.49 (2.11)
"""


def test_an_sd_is_derived_from_a_printed_se_and_says_so(extract: Callable[[str], ArticleRecord]) -> None:
    record = extract(STANDARD_ERRORS)
    assert {o.se for o in record.outcomes if o.endpoint.startswith("IP-10")} == {87.12, 70.91}
    answer = query(record, "IP-10", "Vitamin D supplementation", "Control")
    assert (answer.intervention.mean, answer.intervention.sd) == (636.47, 448.4742)  # 70.91 x sqrt(40); gold 448.47
    assert answer.intervention.derived == ["sd = se 70.91 x sqrt(40)"]
    # 'Vitamin D levels' and 'Interleukin 2' name what the table prints as 25(OH)D ('D' after the bracket is no
    # footnote mark) and IL-2
    assert {o.endpoint for o in record.outcomes} >= {"25(OH)D", "IL-2"}
    answer = query(record, "Vitamin D levels", "Vitamin D supplementation", "Control")
    assert (answer.intervention.mean, answer.intervention.sd) == (45.93, 15.3687)  # gold 15.37
    answer = query(record, "Interleukin 2", "Vitamin D supplementation", "Control")
    assert (answer.comparator.mean, answer.comparator.sd) == (28.69, 103.027)  # gold 103.03


# After PMC5079604 (Yun et al. 2024 set, even PMCID; CC BY): three arms, a question on the two active ones together.
POOLED = (
    "Methods\nSubjects were randomized to metformin 1,000 mg daily (n = 17), sitagliptin 100 mg daily (n = 16), or "
    "placebo (n = 15).\n"
)


def test_an_intervention_listing_two_arms_asks_for_them_pooled(extract: Callable[[str], ArticleRecord]) -> None:
    from extractor.query import pooled_arms

    record = extract(POOLED)
    fields = query(
        record, "Hyperglycemia relapse-free survival", "metformin 1,000 mg daily, sitagliptin 100 mg daily", "placebo"
    ).fields()
    assert (fields["intervention_group_size"], fields["comparator_group_size"]) == (33, 15)
    assert fields["intervention_mean"] is None  # no pooled mean is printed
    # one arm given two drugs, or a description with a comma inside brackets, is no list of arms
    assert pooled_arms(record.arms, "metformin (1,000 mg, daily)", None) == []
    assert len(pooled_arms(record.arms, "metformin or sitagliptin", None)) == 2
