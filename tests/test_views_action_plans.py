"""What the Local Action Plans page shows, computed without Streamlit: plans as of a day, the headline, what is
stalled, the timeline and funnel rows, the plan table, and how each indicator of the tab is counted."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from monitoring.views import action_plans as view
from monitoring.views import common
from tests import factories

DAY = dt.date(2024, 12, 31)


def plan(lap_id: str, location_id: str, **dates: str) -> dict[str, str]:
    return {"lap_id": lap_id, "location_id": location_id, "title": f"Plan {lap_id}", "lead_partner_id": "P1", **dates}


def activity(activity_id: str, kind: str, location_id: str, day: str) -> dict[str, str]:
    return {"activity_id": activity_id, "date": day, "type": kind, "title": kind, "partner_ids": "P1",
            "location_id": location_id, "participants": "5"}  # fmt: skip


def sample_plans():
    """LAP1 adopted and taken up; LAP2 stuck in MoU signed since March; LAP3 not started by the day."""
    return factories.dataset(
        action_plans=[
            plan("LAP1", "L1", stakeholders_identified="2024-01-10", ldg_activated="2024-02-01", ldg_members="9",
                 mou_signed="2024-03-01", workshops_held="2024-04-01", lap_drafted="2024-05-01",
                 lap_adopted="2024-06-01", taken_up="2024-09-01"),
            plan("LAP2", "L2", stakeholders_identified="2024-01-10", ldg_activated="2024-02-01", ldg_members="4",
                 mou_signed="2024-03-01"),
            plan("LAP3", "L3", stakeholders_identified="2025-02-01", lap_adopted="2025-06-01"),
        ],
        activities=[
            activity("A1", "workshop", "L1", "2024-04-01"),
            activity("A2", "workshop", "L1", "2025-04-01"),  # after the day
            activity("A3", "LDG meeting", "L2", "2024-03-01"),
        ],
    )  # fmt: skip


def test_plans_are_labelled_by_place_and_stalled_first() -> None:
    plans = view.plans_on(sample_plans(), DAY)
    assert plans["label"].tolist() == ["Novi Sad · LAP2", "Sofia · LAP3", "Cluj-Napoca · LAP1"]
    assert plans.set_index("lap_id").at["LAP2", "country"] == "Serbia"


def test_headline_counts_adopted_taken_up_and_ldg_members() -> None:
    data = sample_plans()
    plans = view.plans_on(data, DAY)
    numbers = view.headline(plans, view.reached(data, DAY), view.lifecycle(data))
    assert (numbers.plans, numbers.stalled) == (3, 1)
    assert [(label, total) for label, _, total in numbers.tallies] == [("LDG members", 13)]
    assert numbers.last_stages == [("lap_adopted", "LAP adopted", 1), ("taken_up", "Taken up", 1)]


def test_stalled_and_not_started_plans_are_written_with_sheet_text_escaped() -> None:
    plans = view.plans_on(sample_plans(), DAY)
    assert view.stalled_lines(plans, lambda t: f"<{t}>") == [
        "**<Novi Sad>** (<Serbia>) · <LAP2>: MoU signed since 01 Mar 2024, **305 days**; next: Workshops held"
    ]
    assert view.not_started_names(plans, lambda t: f"<{t}>") == "<Sofia · LAP3>"


def test_timeline_rows_stop_at_the_day_and_say_the_status() -> None:
    data = sample_plans()
    rows = view.timeline_rows(data, view.plans_on(data, DAY), DAY)
    assert len(rows.stages) == 7 + 3  # LAP3's dates are after the day
    assert set(rows.stages["plan"]) == {"Cluj-Napoca · LAP1", "Novi Sad · LAP2"}
    assert rows.in_stage["plan"].tolist() == ["Novi Sad · LAP2"]
    words = dict(zip(rows.words["plan"], rows.words["chart_text"], strict=True))
    assert words == {
        "Novi Sad · LAP2": "■ stalled · 305 days in MoU signed",
        "Sofia · LAP3": "○ not started",
        "Cluj-Napoca · LAP1": "✔ done",
    }


def test_funnel_rows_carry_the_total_and_the_text() -> None:
    bars = view.funnel_rows(sample_plans(), DAY, total=3).set_index("stage")
    assert bars.at["mou_signed", "text"] == "2 of 3"
    assert bars.at["lap_adopted", "reached"] == 1


def test_each_indicator_is_counted_from_the_stage_its_measure_dates() -> None:
    data = sample_plans()
    adopted, taken = common.explanations(data, view.TAB, DAY)
    place = common.place_namer(data)
    stages = view.reached(data, DAY)
    assert (adopted.date_column, taken.date_column) == ("lap_adopted", "taken_up")
    assert view.stage_notes(adopted, stages, view.lifecycle(data).labels, str, place) == [
        "Counted from the 'LAP adopted' date: Cluj-Napoca."
    ]
    assert adopted.reasons["LAP3"] == "not counted: lap_adopted after the as-of day"
    assert adopted.reasons["LAP2"] == "not counted: fails lap_adopted not empty"
    # Were an indicator's conditions to count fewer plans than reached its stage, the page would say so.
    fewer = dataclasses.replace(adopted, counted=adopted.counted.iloc[0:0])
    assert view.stage_notes(fewer, stages, view.lifecycle(data).labels, str, place) == [
        "Counted from the 'LAP adopted' date: none yet.",
        "The funnel shows 1 plan at 'LAP adopted'; RCO83's filter in indicators.yaml counts only some of them.",
    ]


def test_plan_table_counts_workshops_and_ldg_meetings_by_the_day() -> None:
    data = sample_plans()
    table = view.plan_table(data, view.plans_on(data, DAY), DAY).set_index("lap_id")
    assert table.at["LAP1", "held: workshop"] == 1
    assert table.at["LAP2", "held: LDG meeting"] == 1 and table.at["LAP3", "held: workshop"] == 0
    assert table.at["LAP1", "status_word"] == "✔ done"
    assert table.at["LAP2", "lead"] == "Cluj Hub"


def test_stage_dates_after_the_day_are_hidden() -> None:
    dates = view.stage_dates(sample_plans(), DAY).set_index("lap_id")
    assert dates.at["LAP1", "taken_up"] == pd.Timestamp("2024-09-01")
    assert pd.isna(dates.at["LAP3", "lap_adopted"])
