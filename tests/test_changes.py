"""What changed between two dates (and between two reads of the sheet), checked against the workbook by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.engine.pipelines import NOT_STARTED
from monitoring.model.contract import LAP_STAGE_LABELS, LAP_STAGES, PILOT_STAGES
from monitoring.outputs.changes import (
    Snapshot,
    changes_between,
    compare,
    pilot_stages_as_of,
    plan_stages_as_of,
    quick_picks,
)
from tests.factories import dataset, settings
from tests.test_report import by_hand, sample_tabs

SINCE, UNTIL = dt.date(2025, 6, 30), dt.date(2025, 12, 31)
PLAN, PILOT = settings().lifecycle("action_plans"), settings().lifecycle("pilots")


@pytest.fixture(scope="module")
def changes(sample):
    return changes_between(sample, SINCE, UNTIL)


@pytest.fixture(scope="module")
def tabs():
    return sample_tabs()


def test_indicator_changes_equal_the_difference_worked_out_by_hand(changes, tabs):
    before, after = by_hand(tabs, pd.Timestamp(SINCE)), by_hand(tabs, pd.Timestamp(UNTIL))
    got = changes.indicators.set_index("code")
    for code in before:
        assert got.loc[code, "before"] == before[code], code
        assert got.loc[code, "after"] == after[code], code
        assert got.loc[code, "change"] == after[code] - before[code], code
    assert got.loc["RCO87", ["before", "after", "change"]].tolist() == [22, 26, 4]
    assert got.loc["RCR79", ["status_before", "status_after"]].tolist() == ["on track", "behind"]
    assert set(changes.moved["code"]) == {c for c in before if after[c] != before[c]}


def test_new_activities_are_those_dated_after_the_first_day_up_to_the_second(changes, tabs):
    acts = tabs["activities"].assign(date=lambda d: pd.to_datetime(d["date"]))
    expected = acts[(acts["date"] > pd.Timestamp(SINCE)) & (acts["date"] <= pd.Timestamp(UNTIL))]
    assert (
        changes.activities["activity_id"].tolist()
        == expected.sort_values(["date", "activity_id"])["activity_id"].tolist()
    )
    assert len(changes.activities) == 38
    first = changes.activities.iloc[0]
    assert (first["activity_id"], first["location"]) == ("A085", "Ljubljana")


def stage_by_hand(plan: pd.Series, day: dt.date) -> str:
    reached = [s for s in LAP_STAGES if pd.notna(plan[s]) and pd.Timestamp(plan[s]) <= pd.Timestamp(day)]
    return LAP_STAGE_LABELS[reached[-1]] if reached else NOT_STARTED


def test_plans_that_changed_stage_are_those_whose_last_dated_stage_differs(changes, tabs):
    plans = tabs["action_plans"]
    expected = {
        row["lap_id"]: (stage_by_hand(row, SINCE), stage_by_hand(row, UNTIL))
        for _, row in plans.iterrows()
        if stage_by_hand(row, SINCE) != stage_by_hand(row, UNTIL)
    }
    got = {r.id: (r.before, r.after) for r in changes.plans.itertuples()}
    assert got == expected
    assert got["LAP01"] == ("LAP adopted", "Taken up")
    assert changes.plans.set_index("id").loc["LAP01", "reached"] == pd.Timestamp("2025-11-05")


def test_pilots_that_changed_stage_follow_the_one_stage_as_of_rule(changes, tabs):
    pilots = tabs["pilots"]

    def phase(row: pd.Series, day: dt.date) -> str:
        """The recorded stage, stepped back past every stage whose date is after the day."""
        stage = row["stage"]
        for column, cap in (("validated_on", "completed"), ("end", "implementation"), ("start", "methodology")):
            later = pd.notna(row[column]) and pd.Timestamp(row[column]) > pd.Timestamp(day)
            if later and PILOT_STAGES.index(stage) > PILOT_STAGES.index(cap):
                stage = cap
        return stage

    expected = {r["pilot_id"]: (phase(r, SINCE), phase(r, UNTIL)) for _, r in pilots.iterrows()}
    expected = {k: v for k, v in expected.items() if v[0] != v[1]}
    assert {r.id: (r.before, r.after) for r in changes.pilots.itertuples()} == expected
    assert expected["PIL01"] == ("completed", "validated")


def test_a_pilot_before_its_start_is_at_most_in_methodology_as_on_the_pilots_page():
    pilots = pd.DataFrame(
        {
            "pilot_id": ["A", "B"],
            "stage": ["methodology", "completed"],
            "start": pd.to_datetime([None, "2025-01-10"]),
            "end": pd.to_datetime([None, "2025-05-01"]),
            "validated_on": pd.to_datetime([None, None]),
        }
    )
    assert pilot_stages_as_of(pilots, dt.date(2024, 12, 31), PILOT)["stage"].tolist() == ["methodology", "methodology"]
    assert pilot_stages_as_of(pilots, dt.date(2025, 3, 1), PILOT)["stage"].tolist() == ["methodology", "implementation"]


def test_a_plan_before_its_first_stage_has_not_started():
    plans = dataset(
        action_plans=[{"lap_id": "LAP1", "location_id": "L1", "title": "P", "stakeholders_identified": "2024-03-01"}]
    ).tables["action_plans"]
    assert plan_stages_as_of(plans, dt.date(2024, 2, 1), PLAN)["stage"].tolist() == [None]
    assert plan_stages_as_of(plans, dt.date(2024, 3, 1), PLAN)["stage"].tolist() == ["stakeholders_identified"]


def test_two_reads_of_the_sheet_show_a_late_entry_as_new():
    first = {
        "activity_id": "A1",
        "date": "2024-03-01",
        "type": "workshop",
        "title": "One",
        "partner_ids": "P1, P2",
        "participants": 10,
    }
    late = {
        "activity_id": "A2",
        "date": "2024-02-01",
        "type": "workshop",
        "title": "Entered late",
        "partner_ids": "P1, P3",
        "participants": 5,
    }
    before, after = dataset(activities=[first]), dataset(activities=[first, late])
    day = dt.date(2024, 3, 31)
    changes = compare(Snapshot(before, day), Snapshot(after, day))
    assert changes.activities["activity_id"].tolist() == ["A2"]  # dated before, but new in the second read
    got = changes.indicators.set_index("code")
    assert got.loc["RCO87", ["before", "after", "change"]].tolist() == [2, 3, 1]
    assert got.loc["RCO81", "change"] == 5
    assert changes_between(after, day, day).activities.empty  # one read at one date: nothing new


def test_quick_picks_are_the_last_steering_committee_and_the_period_ends_before_the_date(sample):
    picks = quick_picks(sample, dt.date(2025, 12, 31))
    assert picks == {
        "Last steering committee": picks["Last steering committee"],
        "End of P1": dt.date(2024, 6, 30),
        "End of P2": dt.date(2024, 12, 31),
        "End of P3": dt.date(2025, 6, 30),
    }
    acts = sample.tables["activities"]
    meetings = acts.loc[acts["type"] == "steering committee", "date"]
    assert picks["Last steering committee"] == meetings[meetings < pd.Timestamp("2025-12-31")].max().date()
