"""What the Indicator detail page shows, computed without Streamlit, for RCO84 on the sample."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.engine.measure import contributions_as_of
from monitoring.views.indicator import (
    ACHIEVED,
    BREAKDOWNS,
    PLANNED,
    indicator_names,
    period_view,
    records_as_of,
    without_evidence,
)

END = dt.date(2026, 6, 30)


def test_each_indicator_is_titled_with_its_code_and_name(sample):
    names = indicator_names(sample.progress(END))
    assert names["RCO84"] == "RCO84 · Pilot actions developed jointly and implemented in projects"
    assert list(names) == [i.code for i in sample.settings.indicators]


def test_per_period_shows_the_periods_started_by_the_day_with_cumulative_and_milestones(sample):
    shown = period_view(sample, "RCO84", END)
    assert list(shown.table.columns) == ["period", "start", "end", "in_period", "cumulative", "planned"]
    assert shown.table["cumulative"].tolist() == [0, 0, 2, 4, 7]
    early = period_view(sample, "RCO84", dt.date(2025, 3, 31))
    assert early.table["period"].tolist() == ["P1", "P2", "P3"]  # P3 has started, P4 has not


def test_the_chart_rows_are_the_achieved_line_then_the_milestones(sample):
    shown = period_view(sample, "RCO84", END)
    achieved = shown.series[shown.series["series"] == ACHIEVED]
    planned = shown.series[shown.series["series"] == PLANNED]
    assert achieved["value"].tolist() == [0, 0, 2, 4, 7]
    assert planned["value"].tolist() == shown.table["planned"].dropna().tolist()
    assert list(shown.series["series"]) == [ACHIEVED] * 5 + [PLANNED] * len(planned)


def test_the_breakdown_choices_are_contribution_columns():
    assert BREAKDOWNS == {
        "Country": "country",
        "Location": "location_id",
        "Organisation": "partner_id",
        "Cluster": "cluster",
    }


def test_the_records_are_those_counted_by_the_day_with_how_many_lack_evidence(sample):
    records = records_as_of(sample, "RCO84", END)
    assert len(records) == 7 and without_evidence(records) == 4
    assert "evidence_url" in records and "partner_ids" not in records
    assert len(records_as_of(sample, "RCO84", dt.date(2025, 6, 30))) == 2


def test_contributions_as_of_keeps_the_rows_dated_on_or_before_the_day():
    contribs = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]), "amount": 1.0})
    assert len(contributions_as_of(contribs, dt.date(2025, 1, 2))) == 2
    assert contributions_as_of(contribs, dt.date(2024, 12, 31)).empty
