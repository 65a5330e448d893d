"""Expected by now from delivery periods, and the change since the last period, by hand on their boundaries.

SpinIT's periods: P1 Jan-Jun 2024, P2 Jul-Dec 2024, ... P5 Jan-Jun 2026.
"""

import datetime as dt

import pandas as pd

from monitoring.engine.measure import reporting_periods
from monitoring.engine.progress import DUE_AFTER, delivered_by, previous_period_end, progress_of
from monitoring.model.config import Status
from tests.factories import settings

S = settings()
PROJECT = S.project
PERIODS = reporting_periods(PROJECT)
OUTPUT = S.report_outputs[4]  # 3.1: 6 pilot actions
RESULT = S.report_results[2]  # 3: due after the project
NO_MILESTONES = pd.DataFrame(
    {"indicator": pd.Series(dtype=object), "period": pd.Series(dtype="Int64"), "planned": pd.Series(dtype=float)}
)


def due_in(period: int | str) -> object:
    return OUTPUT.model_copy(update={"period": period})


def test_an_output_rises_through_its_delivery_period_to_its_target():
    p2 = due_in(2)
    assert delivered_by(p2, PROJECT, PERIODS, dt.date(2024, 6, 30)) == 0  # the day before P2
    assert delivered_by(p2, PROJECT, PERIODS, dt.date(2024, 7, 1)) == 6 * 1 / 184
    assert delivered_by(p2, PROJECT, PERIODS, dt.date(2024, 10, 1)) == 6 * 93 / 184
    assert delivered_by(p2, PROJECT, PERIODS, dt.date(2024, 12, 30)) == 6 * 183 / 184
    assert delivered_by(p2, PROJECT, PERIODS, dt.date(2024, 12, 31)) == 6


def test_preparation_is_due_at_the_start_a_late_period_at_the_end_and_after_the_project_never():
    assert delivered_by(due_in(0), PROJECT, PERIODS, dt.date(2023, 12, 30)) == 0
    assert delivered_by(due_in(0), PROJECT, PERIODS, dt.date(2023, 12, 31)) == 6
    assert delivered_by(due_in(0), PROJECT, [], dt.date(2023, 12, 31)) == 6
    assert delivered_by(due_in(9), PROJECT, PERIODS, dt.date(2026, 6, 29)) < 6  # P9 is read as the last, P5
    assert delivered_by(due_in(9), PROJECT, PERIODS, dt.date(2026, 6, 30)) == 6
    assert delivered_by(due_in(9), PROJECT, PERIODS, dt.date(2025, 12, 31)) == 0
    result = RESULT.model_copy(update={"baseline": 2.0})
    assert delivered_by(result, PROJECT, PERIODS, PROJECT.end) == 2
    assert delivered_by(due_in(None), PROJECT, PERIODS, PROJECT.end) == 0


def test_the_previous_period_is_the_last_one_ended_before_the_day():
    assert previous_period_end(PERIODS, dt.date(2024, 3, 1), PROJECT) == dt.date(2023, 12, 31)
    assert previous_period_end(PERIODS, dt.date(2024, 6, 30), PROJECT) == dt.date(2023, 12, 31)
    assert previous_period_end(PERIODS, dt.date(2024, 7, 1), PROJECT) == dt.date(2024, 6, 30)
    assert previous_period_end(PERIODS, dt.date(2025, 7, 1), PROJECT) == dt.date(2025, 6, 30)


def test_progress_counts_the_change_since_the_last_period_and_expects_from_delivery_periods():
    contribs = pd.DataFrame({"date": pd.to_datetime(["2024-06-30", "2024-07-01", "2024-10-01"]), "amount": 1.0})
    rco84 = S.indicator("RCO84")  # target 10
    p = progress_of(
        rco84, contribs, NO_MILESTONES, PROJECT, PERIODS, Status(), dt.date(2024, 10, 1), [due_in(2), due_in(3)]
    )
    assert (p.achieved, p.previous, p.change) == (3, 1, 2)
    assert (p.expected, p.expected_from) == (round(6 * 93 / 184, 2), "delivery periods")
    assert (p.percent_of_target, p.status, p.target, p.code) == (30.0, "on track", 10, "RCO84")
    assert p.forecast == round(3 + 3 / 180 * (PROJECT.end - dt.date(2024, 10, 1)).days, 1)
    after = progress_of(rco84, contribs, NO_MILESTONES, PROJECT, PERIODS, Status(), dt.date(2024, 10, 1), [RESULT])
    assert (after.expected_from, after.status) == ("after the project", DUE_AFTER)
