"""Plans and pilots as pipelines: the stage on a day, what is stalled, and the inconsistencies in the sheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources.base import RawWorkbook
from monitoring.dataset import build_dataset
from monitoring.engine import pipelines
from monitoring.model.contract import LAP_STAGES, TABS
from tests import factories

DAY = dt.timedelta(days=1)
PLAN, PILOT = factories.settings().lifecycle("action_plans"), factories.settings().lifecycle("pilots")
# One plan's stage dates, a stage every two months.
PLAN_DATES = {stage: dt.date(2024, 2, 1) + dt.timedelta(days=61 * i) for i, stage in enumerate(LAP_STAGES)}


def plan(lap_id: str = "LAP1", **dates: str) -> dict[str, str]:
    return {"lap_id": lap_id, "location_id": "L1", "title": f"Plan {lap_id}", "lead_partner_id": "P1", **dates}


def pilot(pilot_id: str = "PIL1", stage: str = "validated", **cells: str) -> dict[str, str]:
    row = {
        "pilot_id": pilot_id,
        "title": f"Pilot {pilot_id}",
        "cluster": "IT",
        "location_id": "L1",
        "lead_partner_id": "P1",
        "partner_ids": "P2",
        "stage": stage,
    }
    return row | cells


# --- Action plans: the stage on a day -----------------------------------------------------------


@pytest.mark.parametrize("index", range(len(LAP_STAGES)))
def test_plan_stage_before_on_and_after_each_stage_date(index: int) -> None:
    stage = LAP_STAGES[index]
    day = PLAN_DATES[stage]
    before = LAP_STAGES[index - 1] if index else None
    assert pipelines.plan_stage_as_of(PLAN_DATES, day - DAY, PLAN) == before
    assert pipelines.plan_stage_as_of(PLAN_DATES, day, PLAN) == stage
    assert pipelines.plan_stage_as_of(PLAN_DATES, day + DAY, PLAN) == stage


def test_plan_with_a_skipped_stage_is_at_the_last_stage_dated() -> None:
    dates = {"stakeholders_identified": dt.date(2024, 3, 1), "workshops_held": dt.date(2024, 9, 1)}
    assert pipelines.plan_stage_as_of(dates, dt.date(2024, 8, 31), PLAN) == "stakeholders_identified"
    assert pipelines.plan_stage_as_of(dates, dt.date(2024, 9, 1), PLAN) == "workshops_held"


def test_plan_stage_reads_the_cleaners_timestamps_and_ignores_empty_dates() -> None:
    dates = {"stakeholders_identified": pd.Timestamp("2024-03-01"), "ldg_activated": pd.NaT, "mou_signed": None}
    assert pipelines.plan_stage_as_of(dates, dt.date(2030, 1, 1), PLAN) == "stakeholders_identified"


def test_plan_stalls_only_after_more_than_stall_days_in_a_stage_before_the_last() -> None:
    plans = factories.dataset(
        action_plans=[
            plan("LAP1", stakeholders_identified="2024-01-01", ldg_activated="2024-03-01"),
            plan("LAP2", **{s: d.isoformat() for s, d in PLAN_DATES.items()}),
        ]
    ).tables["action_plans"]
    activated = dt.date(2024, 3, 1)
    on_limit = pipelines.plans_as_of(plans, activated + dt.timedelta(days=120), PLAN)
    assert on_limit["days_in_stage"].tolist()[0] == 120
    assert not on_limit["stalled"].iloc[0]
    past = pipelines.plans_as_of(plans, activated + dt.timedelta(days=121), PLAN).set_index("lap_id")
    assert past.at["LAP1", "stalled"]
    assert past.at["LAP1", "status"] == pipelines.STALLED
    assert past.at["LAP1", "next_stage_label"] == "MoU signed"
    # LAP2 is taken up (the last stage) and is never stalled, however long ago.
    late = pipelines.plans_as_of(plans, dt.date(2026, 6, 30), PLAN).set_index("lap_id")
    assert late.at["LAP2", "stage"] == "taken_up"
    assert late.at["LAP2", "status"] == pipelines.DONE
    assert not late.at["LAP2", "stalled"]


def test_plan_not_started_before_its_first_date_has_no_stage_or_days() -> None:
    plans = factories.dataset(action_plans=[plan(stakeholders_identified="2024-05-01")]).tables["action_plans"]
    row = pipelines.plans_as_of(plans, dt.date(2024, 4, 30), PLAN).iloc[0]
    assert row["stage"] is None
    assert row["status"] == pipelines.NOT_STARTED
    assert pd.isna(row["days_in_stage"])
    assert row["step"] == 0


def test_a_tally_shows_only_once_its_stage_is_reached() -> None:
    plans = factories.dataset(action_plans=[plan(ldg_activated="2024-04-01", ldg_members="12")]).tables["action_plans"]
    before = pipelines.plans_as_of(plans, dt.date(2024, 3, 31), PLAN).iloc[0]
    assert pd.isna(before["ldg_members"])
    after = pipelines.plans_as_of(plans, dt.date(2024, 10, 1), PLAN).iloc[0]
    assert after["ldg_members"] == 12


def test_a_lifecycle_without_tallies_adds_no_column() -> None:
    plans = factories.dataset(action_plans=[plan(ldg_activated="2024-04-01", ldg_members="12")]).tables["action_plans"]
    bare = PLAN.model_copy(update={"tallies": []})
    assert "ldg_members" not in pipelines.plans_as_of(plans, dt.date(2024, 10, 1), bare)


def test_funnel_counts_plans_whose_stage_date_is_on_or_before_the_day() -> None:
    plans = factories.dataset(
        action_plans=[
            plan("LAP1", stakeholders_identified="2024-01-10", lap_drafted="2025-01-10", lap_adopted="2025-03-01"),
            plan("LAP2", stakeholders_identified="2024-02-10", lap_drafted="2025-02-10"),
            plan("LAP3"),
        ]
    ).tables["action_plans"]
    funnel = pipelines.plan_funnel(plans, dt.date(2025, 2, 10), PLAN).set_index("stage")["reached"]
    assert funnel.to_dict() == {
        "stakeholders_identified": 2,
        "ldg_activated": 0,
        "mou_signed": 0,
        "workshops_held": 0,
        "lap_drafted": 2,
        "lap_adopted": 0,
        "taken_up": 0,
    }
    assert pipelines.plan_funnel(plans, dt.date(2025, 3, 1), PLAN).set_index("stage").at["lap_adopted", "reached"] == 1


def test_timeline_hides_stage_dates_after_the_day() -> None:
    plans = factories.dataset(
        action_plans=[plan(stakeholders_identified="2024-01-10", ldg_activated="2024-06-01")]
    ).tables["action_plans"]
    timeline = pipelines.plan_timeline(plans, dt.date(2024, 5, 31), PLAN)
    assert timeline["stage"].tolist() == ["stakeholders_identified"]
    assert timeline["step"].tolist() == [1]


def test_local_workshops_and_ldg_meetings_are_counted_up_to_the_day() -> None:
    acts = factories.dataset(
        activities=[
            {"activity_id": "A1", "date": "2024-03-01", "type": "workshop", "title": "W", "partner_ids": "P1",
             "location_id": "L1", "participants": "10"},
            {"activity_id": "A2", "date": "2024-05-01", "type": "workshop", "title": "W", "partner_ids": "P1",
             "location_id": "L1", "participants": "5"},
            {"activity_id": "A3", "date": "2024-03-01", "type": "LDG meeting", "title": "M", "partner_ids": "P1",
             "location_id": "L2"},
            {"activity_id": "A4", "date": "2024-03-01", "type": "training", "title": "T", "partner_ids": "P1",
             "location_id": "L1", "participants": "30"},
        ]
    ).tables["activities"]  # fmt: skip
    counts = pipelines.local_activities(acts, dt.date(2024, 4, 30), ("workshop", "LDG meeting"))
    assert counts.to_dict("records") == [
        {"location_id": "L1", "type": "workshop", "held": 1, "participants": 10},
        {"location_id": "L2", "type": "LDG meeting", "held": 1, "participants": 0},
    ]


# --- Pilots: the stage on a day -----------------------------------------------------------------

START, END, VALIDATED = dt.date(2025, 1, 15), dt.date(2025, 6, 30), dt.date(2025, 9, 10)


def pilot_stage(recorded: str | None, start: object, end: object, validated_on: object, as_of: dt.date) -> str | None:
    record = {"stage": recorded, "start": start, "end": end, "validated_on": validated_on}
    return pipelines.pilot_stage_as_of(record, as_of, PILOT)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (START - DAY, "methodology"),
        (START, "implementation"),
        (START + DAY, "implementation"),
        (END - DAY, "implementation"),
        (END, "completed"),
        (END + DAY, "completed"),
        (VALIDATED - DAY, "completed"),
        (VALIDATED, "validated"),
        (VALIDATED + DAY, "validated"),
    ],
)
def test_validated_pilot_stage_before_on_and_after_each_date(as_of: dt.date, expected: str) -> None:
    assert pilot_stage("validated", START, END, VALIDATED, as_of) == expected


def test_dates_never_raise_a_pilot_above_its_recorded_stage() -> None:
    # Recorded "implementation" although an end date has passed: the sheet's stage wins.
    assert pilot_stage("implementation", START, END, None, dt.date(2026, 1, 1)) == "implementation"
    assert pilot_stage("selected", None, None, None, dt.date(2026, 1, 1)) == "selected"


def test_missing_dates_cap_nothing_and_a_later_date_caps_the_stage_below_it() -> None:
    assert pilot_stage("validated", None, None, None, dt.date(2024, 1, 1)) == "validated"
    assert pilot_stage("completed", None, END, None, END - DAY) == "implementation"
    assert pilot_stage("completed", None, END, None, END) == "completed"
    assert pilot_stage("requirements", START, None, None, START - DAY) == "requirements"
    assert pilot_stage(None, START, END, None, END) is None


def test_pilot_days_in_stage_count_from_the_date_that_marks_it() -> None:
    pilots = factories.dataset(
        pilots=[
            pilot("PIL1", "completed", start="2025-01-15", end="2025-06-30"),
            pilot("PIL2", "methodology"),
            pilot("PIL3", "validated", start="2025-01-15", end="2025-06-30", validated_on="2025-09-10"),
        ]
    ).tables["pilots"]
    rows = pipelines.pilots_as_of(pilots, dt.date(2025, 11, 1), PILOT).set_index("pilot_id")
    assert rows.at["PIL1", "days_in_stage"] == 124
    assert rows.at["PIL1", "stalled"]
    assert rows.at["PIL1", "status"] == pipelines.STALLED
    assert pd.isna(rows.at["PIL2", "days_in_stage"])
    assert rows.at["PIL2", "status"] == pipelines.NO_DATE
    assert not rows.at["PIL2", "stalled"]
    assert rows.at["PIL3", "status"] == pipelines.DONE
    assert not rows.at["PIL3", "stalled"]
    earlier = pipelines.pilots_as_of(pilots, dt.date(2025, 8, 1), PILOT).set_index("pilot_id")
    assert earlier.at["PIL3", "stage"] == "completed"
    assert earlier.at["PIL3", "days_in_stage"] == 32
    assert earlier.at["PIL3", "recorded_stage"] == "validated"


def test_a_pilot_is_jointly_developed_with_organisations_from_two_countries() -> None:
    pilots = factories.dataset(
        pilots=[
            pilot("PIL1", partner_ids="P4"),  # P1 and P4 are both Romanian
            pilot("PIL2", partner_ids="P2"),  # RO and RS
        ]
    ).tables["pilots"]
    rows = pipelines.pilots_as_of(pilots, dt.date(2025, 1, 1), PILOT).set_index("pilot_id")
    assert rows["jointly_developed"].to_dict() == {"PIL1": False, "PIL2": True}


def test_stage_matrix_lists_every_cluster_and_stage_with_zeros() -> None:
    pilots = factories.dataset(
        pilots=[
            pilot("PIL1", "completed", cluster="IT"),
            pilot("PIL2", "completed", cluster="IT"),
            pilot("PIL3", "selected", cluster="Industry 4.0"),
        ]
    ).tables["pilots"]
    matrix = pipelines.stage_matrix(
        pipelines.pilots_as_of(pilots, dt.date(2025, 1, 1), PILOT), PILOT, ("IT", "Cross-sector")
    )
    cells = {(r.cluster, r.stage): r.pilots for r in matrix.itertuples()}
    assert len(matrix) == 3 * 7
    assert cells[("IT", "completed")] == 2
    assert cells[("Industry 4.0", "selected")] == 1
    assert cells[("Cross-sector", "validated")] == 0
    assert matrix["cluster"].drop_duplicates().tolist() == ["IT", "Cross-sector", "Industry 4.0"]


def test_replication_matrix_marks_home_and_replications() -> None:
    pilots = factories.dataset(pilots=[pilot("PIL1", replicated_in="L2; L3")]).tables["pilots"]
    rows = pipelines.replication_matrix(pilots)
    assert rows.to_dict("records") == [
        {"pilot_id": "PIL1", "location_id": "L1", "role": "home"},
        {"pilot_id": "PIL1", "location_id": "L2", "role": "replicated"},
        {"pilot_id": "PIL1", "location_id": "L3", "role": "replicated"},
    ]


# --- Consistency problems -----------------------------------------------------------------------


def test_plan_adopted_before_it_was_drafted_is_reported_at_the_adoption_cell() -> None:
    data = factories.dataset(action_plans=[plan(lap_drafted="2025-03-01", lap_adopted="2025-02-01")])
    problems = pipelines.pipeline_problems(data.tables, data.settings)
    assert len(problems) == 1
    p = problems[0]
    assert (p.level, p.tab, p.cell, p.column, p.value) == ("warning", "action_plans", "K2", "lap_adopted", "2025-02-01")
    assert "LAP drafted" in p.message and "J2" in p.message


def test_plan_stage_order_problem_points_at_the_sheets_own_column_order() -> None:
    header = ["lap_adopted", "lap_id", "location_id", "title", "lap_drafted"]
    tabs = {name: factories.raw_tab(name, []) for name in TABS}
    tabs["partners"] = factories.raw_tab("partners", factories.PARTNERS)
    tabs["locations"] = factories.raw_tab("locations", factories.LOCATIONS)
    tabs["action_plans"] = factories.raw_tab(
        "action_plans", [plan(lap_drafted="2025-03-01", lap_adopted="2025-02-01")], header
    )
    data = build_dataset(factories.settings(), RawWorkbook(tabs, origin="test.xlsx", kind="excel"), sample=False)
    (p,) = pipelines.pipeline_problems(data.tables, data.settings)
    assert p.cell == "A2"
    assert "E2" in p.message


def test_plan_with_every_stage_in_order_has_no_problem() -> None:
    data = factories.dataset(action_plans=[plan(**{s: d.isoformat() for s, d in PLAN_DATES.items()})])
    assert pipelines.pipeline_problems(data.tables, data.settings) == []


def test_validated_pilot_without_a_validation_date_is_an_error_at_that_cell() -> None:
    data = factories.dataset(pilots=[pilot(stage="validated", start="2025-01-01", end="2025-06-01")])
    (p,) = pipelines.pipeline_problems(data.tables, data.settings)
    assert (p.level, p.tab, p.cell, p.column) == ("error", "pilots", "J2", "validated_on")
    assert "RCO116" in p.message


def test_completed_pilot_without_an_end_date_is_an_error_because_rco84_skips_it() -> None:
    data = factories.dataset(pilots=[pilot(stage="completed", start="2025-01-01")])
    (p,) = pipelines.pipeline_problems(data.tables, data.settings)
    assert (p.level, p.cell, p.column) == ("error", "I2", "end")
    assert "RCO84" in p.message


def test_pilot_ending_before_it_starts_is_reported_once_by_the_cross_checks() -> None:
    data = factories.dataset(pilots=[pilot(stage="completed", start="2025-06-01", end="2025-01-01")])
    found = [p for p in data.problems + pipelines.pipeline_problems(data.tables, data.settings) if p.column == "end"]
    assert len(found) == 1
    assert (found[0].level, found[0].cell, found[0].value) == ("warning", "I2", "2025-01-01")


def test_pilot_validated_before_it_ended_is_reported() -> None:
    data = factories.dataset(
        pilots=[pilot(stage="validated", start="2025-01-01", end="2025-06-01", validated_on="2025-05-01")]
    )
    (p,) = pipelines.pipeline_problems(data.tables, data.settings)
    assert (p.level, p.cell, p.column) == ("warning", "J2", "validated_on")


def test_replication_in_an_unknown_location_is_reported_once_by_the_cross_checks() -> None:
    data = factories.dataset(pilots=[pilot(stage="selected", replicated_in="L2, L9")])
    found = [
        p
        for p in data.problems + pipelines.pipeline_problems(data.tables, data.settings)
        if p.column == "replicated_in"
    ]
    assert len(found) == 1
    assert (found[0].cell, found[0].value) == ("M2", "L9")


def test_replication_in_the_pilots_own_location_is_a_warning() -> None:
    data = factories.dataset(pilots=[pilot(stage="selected", replicated_in="L1")])
    (p,) = pipelines.pipeline_problems(data.tables, data.settings)
    assert (p.level, p.cell, p.column, p.value) == ("warning", "M2", "replicated_in", "L1")


def test_pilot_led_by_an_organisation_missing_from_partners_is_reported_once_by_the_cross_checks() -> None:
    data = factories.dataset(pilots=[pilot(stage="selected", lead_partner_id="P99")])
    found = [
        p
        for p in data.problems + pipelines.pipeline_problems(data.tables, data.settings)
        if p.column == "lead_partner_id"
    ]
    assert len(found) == 1
    assert (found[0].cell, found[0].value) == ("E2", "P99")


def test_the_sample_has_no_pipeline_problem(sample) -> None:
    assert pipelines.pipeline_problems(sample.tables, sample.settings) == []


def test_problem_links_open_the_cell_in_the_row_s_own_spreadsheet() -> None:
    data = factories.dataset(pilots=[pilot(stage="validated", start="2025-01-01", end="2025-06-01")])
    tables = data.tables
    tables["pilots"].attrs["link"] = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7"
    (p,) = pipelines.pipeline_problems(tables, data.settings)
    assert p.link == "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7&range=J2"
    # A combined read keeps each spreadsheet's own column letters and link.
    tables["pilots"].attrs["by_origin"] = {"test.xlsx": {"letters": {"validated_on": "C"}, "link": ""}}
    (p,) = pipelines.pipeline_problems(tables, data.settings)
    assert (p.cell, p.link, p.origin) == ("C2", "", "test.xlsx")
