"""Expected by now, status words and forecasts, by hand."""

import datetime as dt

import pandas as pd

from monitoring.engine.measure import reporting_periods
from monitoring.engine.progress import expected_by, forecast_at_end, milestone_points, previous_period_end, status_of
from monitoring.model.config import Status
from tests.factories import settings

S = settings()
PROJECT = S.project
PERIODS = reporting_periods(PROJECT)
RCO84 = S.indicator("RCO84")  # target 10
NO_MILESTONES = pd.DataFrame(
    {"indicator": pd.Series(dtype=object), "period": pd.Series(dtype="Int64"), "planned": pd.Series(dtype=float)}
)


def test_expected_is_linear_from_start_to_end_without_milestones():
    assert expected_by(RCO84, PROJECT, [], dt.date(2023, 12, 31))[0] == 0
    assert expected_by(RCO84, PROJECT, [], PROJECT.end) == (10, "linear")
    middle, _ = expected_by(RCO84, PROJECT, [], dt.date(2025, 3, 31))
    assert abs(middle - 10 * 456 / 912) < 1e-9  # 456 of the project's 912 days (incl. the day before start)


def test_expected_follows_back_loaded_milestones():
    milestones = pd.DataFrame({"indicator": ["RCO84"] * 3, "period": [3, 4, 5], "planned": [0.0, 4.0, 10.0]})
    points = milestone_points(milestones, "RCO84", PERIODS)
    assert points == [(dt.date(2025, 6, 30), 0.0), (dt.date(2025, 12, 31), 4.0), (dt.date(2026, 6, 30), 10.0)]
    assert expected_by(RCO84, PROJECT, points, dt.date(2025, 6, 30)) == (0.0, "milestones")
    assert expected_by(RCO84, PROJECT, points, dt.date(2025, 12, 31))[0] == 4.0
    assert expected_by(RCO84, PROJECT, points, dt.date(2026, 6, 30))[0] == 10.0


def test_status_words_follow_the_configured_thresholds():
    t = Status(on_track=0.9, at_risk=0.7)
    assert status_of(10, 8, 10, t) == "achieved"
    assert status_of(9, 10, 10, t) == "on track"
    assert status_of(7, 10, 10, t) == "at risk"
    assert status_of(6.9, 10, 10, t) == "behind"
    assert status_of(0, 0, 10, t) == "on track"


def test_forecast_continues_the_recent_pace_to_the_end():
    contribs = pd.DataFrame({"date": pd.to_datetime(["2025-07-01", "2025-09-29"]), "amount": [1.0, 1.0]})
    # 2 in the 180 days to 2025-12-27, 185 days left to 2026-06-30: 2 + 2/180*185
    assert abs(forecast_at_end(contribs, PROJECT, dt.date(2025, 12, 27), 180) - (2 + 2 / 180 * 185)) < 1e-9
    assert forecast_at_end(contribs, PROJECT, PROJECT.end, 180) == 2


def test_the_change_since_the_last_period_on_a_periods_last_day_is_measured_from_the_period_before():
    assert previous_period_end(PERIODS, dt.date(2024, 12, 31), PROJECT) == dt.date(2024, 6, 30)
    assert previous_period_end(PERIODS, dt.date(2025, 1, 1), PROJECT) == dt.date(2024, 12, 31)
    assert previous_period_end(PERIODS, dt.date(2024, 6, 30), PROJECT) == dt.date(2023, 12, 31)


def test_forecast_the_day_before_the_project_starts_is_what_is_achieved():
    contribs = pd.DataFrame({"date": pd.to_datetime(["2023-12-01"]), "amount": [1.0]})
    assert forecast_at_end(contribs, PROJECT, dt.date(2023, 12, 31), 180) == 1
