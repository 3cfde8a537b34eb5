"""Printed statistics read with what the labels say they are (cells of real trial tables and results prose)."""

from __future__ import annotations

import pytest

from extractor.nlp.text.stats import StatHint, interpret, read_stat

# (cell as printed, label hint, group size) -> (measure, value, sd, events, low, high)
CASES = [
    # PMC1174877 Table 1 'Mean ± SD age (years)'
    ("56.2 ± 11.0", "Mean ± SD age (years)", 20, ("mean", 56.2, 11.0, None, None, None)),
    # PMC3606470 Table 1 'Baseline (SD)'
    ("8.12 (0.96)", "Baseline (SD)", 137, ("mean", 8.12, 0.96, None, None, None)),
    # PMC3606470 Table 1 'Change at week 24 (95% CI)'
    ("-0.31 (-0.45 to -0.16)", "Change at week 24 (95% CI)", 137, ("mean", -0.31, None, None, -0.45, -0.16)),
    # PMC2365957 Table 2, adverse events 'n (%)' in the header
    ("28 (53%)", "", 53, ("rate", 53.0, None, 28, None, None)),
    # PMC2529259 Table 1 'Episiotomy %(n)': the percent first
    ("75.9 (22)", "Episiotomy %(n)", 29, ("rate", 75.9, None, 22, None, None)),
    # PMC1913915 Table 1 'Male, n (%)'
    ("96 (50.3)", "Male, n (%)", 191, ("rate", 50.3, None, 96, None, None)),
    # PMC1913915 Table 5: events of a group printed with their denominator
    ("6/88 (6.8)", "Mild (FEV1 ≥50% predicted)", None, ("rate", 6.8, None, 6, None, None)),
    # PMC1891439 Table 2 'Age (yrs)': a median with its range
    ("18 (2.75–45)", "median (range)", 92, ("median", 18.0, None, None, 2.75, 45.0)),
    # a count consistent with the group size and no label: n (%), not mean (SD)
    ("14 (35.0)", "", 40, ("rate", 35.0, None, 14, None, None)),
    # PMC3606470 Table 1 'Percentage of patients with HbA1c <7.0% (95% CI)': a share of the people and its interval
    (
        "24.2 (17.4 to 30.9)",
        "Percentage of patients with HbA1c <7.0% (95% CI)",
        137,
        ("rate", 24.2, None, None, 17.4, 30.9),
    ),
    # ... but a change of HbA1c in % with its interval stays a mean
    ("-0.31 (-0.45 to -0.16)", "HbA1c (%) Change at week 24 (95% CI)", 137, ("mean", -0.31, None, None, -0.45, -0.16)),
    # footnote marks after the value are not part of it
    ("2.19*", "", None, ("value", 2.19, None, None, None, None)),
    ("17.32^x^", "", None, ("value", 17.32, None, None, None, None)),
]


@pytest.mark.parametrize(("cell", "label", "n", "expected"), CASES)
def test_cells_read_as_the_statistic_the_labels_name(
    cell: str, label: str, n: int | None, expected: tuple[object, ...]
) -> None:
    stat = read_stat(cell)
    assert stat is not None
    r = interpret(stat, StatHint.of(label), n)
    assert (r.measure, r.value, r.sd, r.events, r.low, r.high) == expected


@pytest.mark.parametrize("cell", ["NS", "-", "n = 20", "Losartan (n = 20)", "Grade 3–4", ""])
def test_labels_and_markers_are_no_values(cell: str) -> None:
    assert read_stat(cell) is None


def test_hints_read_from_labels() -> None:
    assert StatHint.of("median (IQR)") == StatHint("median", "iqr")
    assert StatHint.of("Data are means +/- SD") == StatHint("mean", "sd")
    assert StatHint.of("Hypertension, %").center == "percent"


def test_a_count_row_under_a_caption_naming_a_spread() -> None:
    """PMC1913915 Table 1 'Male, n (%)' under 'mean (SD)' in the caption; PMC2430617 Table 2 '(No.;%)' rows under
    footnotes giving a difference's 95% CI. A '(%)' unit row whose percent is no share of the group stays a mean."""
    caption = StatHint("mean", "sd")
    for cell, label, n in [("96 (50.3)", "Male, n (%)", 191), ("8 (10.3)", "HBeAg loss (No.;%)", 78)]:
        stat = read_stat(cell)
        assert stat is not None
        r = interpret(stat, StatHint.of(label).over(caption), n)
        assert (r.measure, r.events) == ("rate", int(stat.value))
    stat = read_stat("128 (15)")
    assert stat is not None
    assert interpret(stat, StatHint.of("Hematocrit (%)").over(caption), 137).measure == "mean"
    assert interpret(stat, StatHint.of("HBeAg loss (No.;%)").over(StatHint(None, "ci")), 78).measure == "mean"
