"""The indicator engine on small workbooks whose numbers are worked out by hand."""

import datetime as dt

from monitoring.engine.measure import (
    achieved_as_of,
    by_dimension,
    contributions_as_of,
    per_period,
    period_containing,
    reporting_periods,
)
from tests.factories import dataset, settings

END = dt.date(2026, 6, 30)


def activity(aid: str, date: str, partners: str, participants: int = 10, type_: str = "exchange") -> dict:
    return {
        "activity_id": aid,
        "date": date,
        "type": type_,
        "title": f"Activity {aid}",
        "partner_ids": partners,
        "participants": participants,
        "location_id": "L1",
    }


def test_reporting_periods_are_six_months_from_the_start_and_the_last_ends_with_the_project():
    periods = reporting_periods(settings().project)
    assert [(p.start, p.end) for p in periods] == [
        (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        (dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
    ]


def test_organisation_in_twelve_cross_border_activities_counts_once_for_rco87():
    acts = [activity(f"A{i:02d}", f"2024-0{1 + i % 6}-10", "P1, P2") for i in range(12)]
    data = dataset(activities=acts)
    assert achieved_as_of(data.contributions["RCO87"], END) == 2  # P1 and P2, once each


def test_activity_whose_organisations_are_all_in_one_country_is_not_cross_border():
    data = dataset(activities=[activity("A1", "2024-03-01", "P1; P4")])  # both Romanian
    assert not data.tables["activities"]["cross_border"].iloc[0]
    assert achieved_as_of(data.contributions["RCO87"], END) == 0
    assert achieved_as_of(data.contributions["RCO81"], END) == 0


def test_organisation_counts_for_rco87_from_its_first_cross_border_activity():
    data = dataset(activities=[activity("A1", "2024-03-01", "P1, P2"), activity("A2", "2025-02-01", "P1, P3")])
    contribs = data.contributions["RCO87"]
    assert achieved_as_of(contribs, dt.date(2024, 12, 31)) == 2
    assert achieved_as_of(contribs, dt.date(2025, 2, 1)) == 3


def test_pilot_still_in_implementation_does_not_count_for_rco84():
    pilots = [
        {
            "pilot_id": "X1",
            "title": "Done",
            "cluster": "IT",
            "location_id": "L1",
            "lead_partner_id": "P1",
            "partner_ids": "P2",
            "stage": "completed",
            "end": "2025-05-01",
        },
        {
            "pilot_id": "X2",
            "title": "Running",
            "cluster": "IT",
            "location_id": "L2",
            "lead_partner_id": "P2",
            "partner_ids": "P3",
            "stage": "implementation",
            "end": "2025-05-01",
        },
        {
            "pilot_id": "X3",
            "title": "One country",
            "cluster": "IT",
            "location_id": "L1",
            "lead_partner_id": "P1",
            "partner_ids": "P4",
            "stage": "validated",
            "end": "2025-05-01",
        },
    ]
    data = dataset(pilots=pilots)
    assert achieved_as_of(data.contributions["RCO84"], END) == 1


def test_row_dated_on_the_last_day_of_a_period_counts_in_that_period_and_not_the_next():
    data = dataset(activities=[activity("A1", "30.06.2024", "P1, P2", participants=7)])
    table = per_period(data.contributions["RCO81"], data.periods)
    assert table["in_period"].tolist() == [7, 0, 0, 0, 0]
    assert table["cumulative"].tolist() == [7, 7, 7, 7, 7]


def test_training_participants_count_for_rco85_and_not_rco81():
    data = dataset(
        activities=[
            activity("A1", "2024-05-01", "P1, P2", 25, "training"),
            activity("A2", "2024-05-02", "P1, P3", 12, "workshop"),
        ]
    )
    assert achieved_as_of(data.contributions["RCO85"], END) == 25
    assert achieved_as_of(data.contributions["RCO81"], END) == 12


def test_entered_values_are_summed_per_indicator_and_only_up_to_the_as_of_date():
    values = [
        {"indicator": "RCR104", "date": "2025-03-01", "value": "1,5"},
        {"indicator": "RCR104", "date": "14.03.2025", "value": 2},
        {"indicator": "RCR84", "date": "2025-03-01", "value": 9},
    ]
    data = dataset(indicator_values=values)
    assert achieved_as_of(data.contributions["RCR104"], dt.date(2025, 3, 13)) == 1.5
    assert achieved_as_of(data.contributions["RCR104"], dt.date(2025, 3, 14)) == 3.5


def test_breakdown_by_country_attributes_organisations_to_their_own_country():
    data = dataset(activities=[activity("A1", "2024-03-01", "P1, P2, P4")])
    table = by_dimension(data.contributions["RCO87"], END, "country")
    assert dict(zip(table["country"], table["amount"], strict=True)) == {"RO": 2, "RS": 1}


def test_action_plan_counts_for_rco83_when_adopted_and_rcr79_when_taken_up():
    plans = [
        {
            "lap_id": "LAP1",
            "location_id": "L1",
            "title": "Cluj plan",
            "lap_drafted": "2025-01-10",
            "lap_adopted": "2025-04-01",
            "taken_up": "2025-09-01",
        },
        {"lap_id": "LAP2", "location_id": "L2", "title": "Novi Sad plan", "lap_drafted": "2025-02-10"},
    ]
    data = dataset(action_plans=plans)
    assert achieved_as_of(data.contributions["RCO83"], dt.date(2025, 3, 31)) == 0
    assert achieved_as_of(data.contributions["RCO83"], END) == 1
    assert achieved_as_of(data.contributions["RCR79"], END) == 1
    assert data.tables["action_plans"]["stage"].tolist() == ["taken_up", "lap_drafted"]


def test_row_dated_on_the_first_day_of_a_period_counts_in_that_period_and_not_the_one_before():
    data = dataset(activities=[activity("A1", "01.07.2024", "P1, P2", participants=7)])
    table = per_period(data.contributions["RCO81"], data.periods)
    assert table["in_period"].tolist() == [0, 7, 0, 0, 0]


def test_records_and_breakdowns_as_of_a_date_include_the_rows_dated_that_day():
    data = dataset(activities=[activity("A1", "14.03.2025", "P1, P2", participants=7)])
    contribs = data.contributions["RCO81"]
    assert len(contributions_as_of(contribs, dt.date(2025, 3, 14))) == 1
    assert len(contributions_as_of(contribs, dt.date(2025, 3, 13))) == 0
    assert by_dimension(contribs, dt.date(2025, 3, 14), "country")["amount"].sum() == 7
    assert by_dimension(contribs, dt.date(2025, 3, 13), "country").empty


def test_the_last_day_of_a_period_belongs_to_that_period():
    periods = reporting_periods(settings().project)
    assert period_containing(periods, dt.date(2024, 6, 30)).number == 1
    assert period_containing(periods, dt.date(2024, 7, 1)).number == 2
    assert period_containing(periods, dt.date(2026, 7, 1)) is None
