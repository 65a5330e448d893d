"""The `reported` tab holds what each Jems report submitted as "Achieved in this reporting period": a value Jems
could not have held is an error at its cell and stays out of the report; a negative one is a correction, kept
and pointed out."""

from __future__ import annotations

from monitoring.outputs.export import csv_bytes
from monitoring.outputs.jems import submissions
from monitoring.outputs.report import build_report
from monitoring.sheet.parse import parse_number
from tests.factories import dataset


def reported(*rows: tuple[int, str, object]) -> list[dict]:
    return [{"period": p, "code": code, "value": value, "submitted_on": f"2024-0{6 + p}-20"} for p, code, value in rows]


def at(data, tab: str = "reported") -> list[tuple[str, str]]:
    return [(p.cell, p.level) for p in data.problems if p.tab == tab]


def test_a_value_beyond_a_hundred_times_the_target_is_an_error_and_stays_out_of_the_report():
    # 1.2 (RCO81) has a target of 1 200; 1.3 (RCO85) of 300.
    data = dataset(reported=reported((1, "1.1", 7), (1, "1.2", 1e15), (1, "1.3", "1e308"), (2, "1.3", 30_001)))
    assert at(data) == [("C3", "error"), ("C4", "error"), ("C5", "error")]
    message = next(p.message for p in data.problems if p.cell == "C3")
    assert message == (
        "1.2's target is 1200; a submitted value beyond 100 times the target (120000) cannot be right, "
        "so it is left out of the report"
    )
    submitted = submissions(data)
    assert submitted.values == {("1.1", 1): 7.0}
    assert submitted.submitted_on.keys() == {1, 2}  # the reports were submitted, whatever their values
    text = csv_bytes(build_report(data, 3)).decode("utf-8-sig")
    assert "e+" not in text and "999" not in text


def test_a_negative_value_is_kept_as_a_correction_and_pointed_out():
    data = dataset(reported=reported((1, "1.1", 7), (2, "1.1", -2)))
    assert at(data) == [("C3", "warning")]
    assert next(p.message for p in data.problems if p.cell == "C3") == (
        "a negative value corrects what earlier reports submitted for 1.1 (Jems accepts it in "
        "'Achieved in this reporting period'); check that it is meant: 1.1's total submitted is now 5"
    )
    assert submissions(data).before("1.1", 3) == 5


def test_a_negative_value_that_takes_the_total_submitted_below_zero_is_an_error():
    data = dataset(reported=reported((1, "1.1", 3), (2, "1.1", -5), (3, "RCO87", -1)))
    assert at(data) == [("C3", "error"), ("C4", "warning")]
    assert next(p.message for p in data.problems if p.cell == "C3") == (
        "with this value the total submitted for 1.1 up to P2 would be -2, below zero, so it is left out of the report"
    )
    assert submissions(data).before("1.1", 4) == 2  # 3, the -5 left out, then -1


def test_a_number_too_large_to_be_real_is_not_read():
    assert parse_number("1e309") == (None, "a number too large to be real")
    assert parse_number("9" * 400) == (None, "a number too large to be real")
    assert parse_number("-1e308") == (-1e308, None)
