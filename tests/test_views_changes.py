"""What the What changed page shows, computed without Streamlit: the sample between two dates and two reads."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from monitoring.views.changes import (
    between_dates,
    between_reads,
    change_text,
    date_picks,
    date_range,
    indicator_shares,
    indicator_table,
    read_labels,
)

SINCE, UNTIL = dt.date(2025, 6, 30), dt.date(2025, 12, 31)


def test_the_dates_start_at_the_previous_period_end_and_the_as_of_date(sample):
    dates = date_range(sample, UNTIL)
    assert (dates.since, dates.until) == (SINCE, UNTIL)
    assert (dates.first, dates.last) == (dt.date(2023, 12, 31), dt.date(2026, 6, 30))


def test_the_quick_picks_start_with_the_project_start(sample):
    picks = date_picks(sample, UNTIL)
    assert next(iter(picks)) == "Project start" and picks["Project start"] == dt.date(2023, 12, 31)
    assert picks["End of P2"] == dt.date(2024, 12, 31) and "End of P4" not in picks


def test_dates_in_the_wrong_order_are_compared_the_other_way_round(sample):
    right = between_dates(sample, SINCE, UNTIL)
    wrong = between_dates(sample, UNTIL, SINCE)
    assert not right.swapped and wrong.swapped
    assert (wrong.then, wrong.now) == (right.then, right.now) == ("30 Jun 2025", "31 Dec 2025")
    assert wrong.heading == "#### From 30 Jun 2025 to 31 Dec 2025"
    assert wrong.changes.indicators.equals(right.changes.indicators)


def test_the_chart_rows_are_shares_of_the_target_with_the_change_in_words(sample):
    shares = indicator_shares(between_dates(sample, SINCE, UNTIL).changes).set_index("code")
    assert shares.loc["RCO87", "before_pct"] == pytest.approx(100 * 22 / 30)
    assert shares.loc["RCO87", "after_pct"] == pytest.approx(100 * 26 / 30)
    assert shares.loc["RCO87", "change_text"] == "+4" and shares.loc["RCO87", "label"] == "RCO87"
    assert (change_text(0), change_text(-1), change_text(1234)) == ("no change", "-1", "+1,234")


def test_the_table_shows_both_statuses_in_words_and_none_where_there_was_none(sample):
    table = indicator_table(between_dates(sample, SINCE, UNTIL).changes, str.upper).set_index("code")
    assert table.loc["RCR79", ["status_before", "status_after"]].tolist() == ["ON TRACK", "BEHIND"]


def test_two_reads_are_labelled_by_when_they_were_read_and_named_by_id(sample):
    reads = [
        SimpleNamespace(id=2, last_read_at=dt.datetime(2026, 11, 2, 10, 30)),
        SimpleNamespace(id=1, last_read_at=dt.datetime(2026, 11, 1, 9, 0)),
    ]
    labels = read_labels(reads)
    assert labels == {"02 Nov 2026, 10:30 UTC (read 2)": 2, "01 Nov 2026, 09:00 UTC (read 1)": 1}
    later, earlier = list(labels)
    shown = between_reads({1: sample, 2: sample}.__getitem__, labels, earlier, later, UNTIL)
    assert (shown.then, shown.now) == ("read 1", "read 2") and not shown.swapped
    assert shown.heading == f"#### The sheet on {earlier} → {later}, both as of 31 Dec 2025"
    assert shown.changes.moved.empty and shown.changes.activities.empty  # the same data twice: nothing changed
