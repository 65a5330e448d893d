"""Cross-tab checks on small workbooks: each problem found once, at its cell, with a message a partner understands."""

import csv
import dataclasses
import io

import pytest

from data_sources import RawTab, RawWorkbook
from monitoring.dataset import build_dataset
from monitoring.model.contract import TABS
from monitoring.sheet import checks
from monitoring.sheet.clean import Problem
from tests.factories import LOCATIONS, PARTNERS, dataset, settings, workbook

LINK = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=42"


def activity(aid: str, partners: str, type_: str = "exchange", title: str = "", date: str = "2025-03-14") -> dict:
    return {
        "activity_id": aid,
        "date": date,
        "type": type_,
        "title": title or f"Activity {aid}",
        "partner_ids": partners,
        "location_id": "L1",
        "participants": 10,
    }


def pilot(pid: str, lead: str = "P1", partners: str = "P2", start: str = "2025-01-10", end: str = "2025-09-30") -> dict:
    return {
        "pilot_id": pid,
        "title": f"Pilot {pid}",
        "cluster": "IT",
        "location_id": "L1",
        "lead_partner_id": lead,
        "partner_ids": partners,
        "stage": "completed",
        "start": start,
        "end": end,
    }


def found(data, tab: str | None = None) -> list[tuple[str, str, str, str]]:
    """(tab, cell, level, column) of every problem, in the order found."""
    return [(p.tab, p.cell, p.level, p.column) for p in data.problems if tab is None or p.tab == tab]


def message(data, cell: str) -> str:
    return next(p.message for p in data.problems if p.cell == cell)


def test_the_sample_has_no_problem_at_all(sample):
    assert sample.problems == []


def test_an_id_used_twice_is_reported_at_the_later_row_naming_the_first():
    data = dataset(activities=[activity("A1", "P1, P2"), activity("A2", "P1, P2"), activity("A1", "P2, P3")])
    assert found(data) == [("activities", "A4", "error", "activity_id")]
    assert message(data, "A4") == "this id is also used in row 2; ids must be unique, so this row is not counted"
    assert data.problems[0].value == "A1"


def test_references_to_unknown_organisations_and_locations_point_at_their_cells():
    acts = [activity("A1", "P1, P9"), {**activity("A2", "P1, P2"), "location_id": "L7"}]
    plans = [{"lap_id": "LAP1", "location_id": "L1", "title": "Plan", "lead_partner_id": "PX"}]
    data = dataset(activities=acts, pilots=[pilot("PIL1", lead="P77", partners="P2, P3")], action_plans=plans)
    assert sorted(found(data)) == [
        ("action_plans", "D2", "error", "lead_partner_id"),
        ("activities", "E2", "error", "partner_ids"),
        ("activities", "F3", "error", "location_id"),
        ("pilots", "E2", "error", "lead_partner_id"),
    ]
    assert message(data, "E2") == "no organisation with this id in the partners tab"
    assert next(p for p in data.problems if p.tab == "pilots").message == (
        "the lead organisation is not in the partners tab"
    )
    assert [p.value for p in data.problems if p.cell in ("E2", "F3")][:2] == ["P9", "L7"]


def test_references_are_not_checked_against_a_missing_partners_tab():
    book = workbook(activities=[activity("A1", "P1, P2")])
    tabs = {name: t for name, t in book.tabs.items() if name != "partners"}
    data = build_dataset(settings(), dataclasses.replace(book, tabs=tabs), sample=False)
    assert found(data) == [("partners", "", "error", "")]


def test_an_exchange_among_organisations_of_one_country_is_not_cross_border():
    data = dataset(activities=[activity("A1", "P1, P4"), activity("A2", "P1, P2")])  # P1, P4: both RO
    assert found(data) == [("activities", "E2", "warning", "partner_ids")]
    assert message(data, "E2") == (
        "not cross-border: all its organisations are in Romania (RO); it does not count for RCO87, RCO81"
    )


def test_a_title_that_says_cross_border_with_one_organisation_is_flagged():
    acts = [
        activity("A1", "P2", type_="workshop", title="Cross-border workshop on AI"),
        activity("A2", "P2", type_="workshop", title="Prekogranična radionica"),
        activity("A3", "P2", type_="workshop", title="Local workshop"),
    ]
    data = dataset(activities=acts)
    assert found(data) == [
        ("activities", "E2", "warning", "partner_ids"),
        ("activities", "E3", "warning", "partner_ids"),
    ]
    assert message(data, "E2").startswith(
        "not cross-border: the title says cross-border, but its only organisation is in Serbia (RS)"
    )


def test_local_meetings_of_one_country_are_not_flagged():
    acts = [activity("A1", "P1, P4", type_="LDG meeting"), activity("A2", "P1", type_="workshop")]
    assert dataset(activities=acts).problems == []


def test_dates_outside_the_project_and_a_pilot_ending_before_it_starts_are_warnings():
    data = dataset(
        activities=[activity("A1", "P1, P2", date="2023-12-31")],
        pilots=[pilot("PIL1", end="2026-07-01"), pilot("PIL2", start="2025-06-01", end="2025-05-01")],
    )
    assert found(data) == [
        ("activities", "B2", "warning", "date"),
        ("pilots", "I2", "warning", "end"),
        ("pilots", "I3", "warning", "end"),
    ]
    assert message(data, "B2") == "this date is before the project started (2024-01-01); check the year"
    assert message(data, "I2") == "this date is after the project ended (2026-06-30); check the year"
    assert message(data, "I3") == "the pilot ends before it starts on 2025-06-01"


def value(code: str, amount: float = 1, date: str = "2025-05-05") -> dict:
    return {"indicator": code, "date": date, "value": amount, "partner_id": "P1"}


def test_indicator_codes_not_in_the_catalogue_are_errors_with_the_right_spelling_when_close():
    data = dataset(
        indicator_values=[value("RCR 104"), value("XYZ"), value("RCR104")],
        milestones=[{"indicator": "rco87", "period": 1, "planned": 2}],
    )
    assert found(data) == [
        ("indicator_values", "A2", "error", "indicator"),
        ("indicator_values", "A3", "error", "indicator"),
        ("milestones", "A2", "error", "indicator"),
    ]
    assert message(data, "A2").startswith("write it as RCR104")
    assert message(data, "A3").startswith("no indicator with this code in indicators.yaml (the codes are RCO87, ")


def test_a_value_entered_for_a_derived_indicator_and_a_negative_value_are_warnings():
    data = dataset(indicator_values=[value("RCO87", 3), value("RCR104", -1)])
    assert found(data) == [
        ("indicator_values", "A2", "warning", "indicator"),
        ("indicator_values", "C3", "warning", "value"),
    ]
    assert message(data, "A2") == (
        "RCO87 is counted from the activities tab, so this value is not added to it (it is kept as a reported figure)"
    )
    assert data.problems[1].value == "-1"


def milestone(code: str, period: int, planned: float) -> dict:
    return {"indicator": code, "period": period, "planned": planned}


def test_milestones_that_go_down_go_beyond_the_last_period_or_repeat_a_period_are_errors():
    data = dataset(
        milestones=[
            milestone("RCO87", 1, 5),
            milestone("RCO87", 2, 12),
            milestone("RCO87", 3, 10),  # goes down
            milestone("RCO87", 4, 20),
            milestone("RCO83", 6, 3),  # the project has 5 periods
            milestone("RCO83", 2, 1),
            milestone("RCO83", 2, 2),  # P2 again
        ]
    )
    assert found(data) == [
        ("milestones", "B6", "error", "period"),
        ("milestones", "B8", "error", "period"),
        ("milestones", "C4", "error", "planned"),
    ]
    assert message(data, "C4") == (
        "RCO87 plans less for P3 than the 12 planned for P2; planned values are cumulative, so they cannot go down"
    )
    assert message(data, "B6") == "the project has 5 reporting periods, so this milestone is never used"
    assert message(data, "B8") == "RCO83 P2 is also planned in row 7; this row is the one used"


def shifted(records: list[dict], link: str = "", origin: str = "test.xlsx") -> RawTab:
    """An activities tab whose header starts in column B, behind a notes column."""
    header = ["notes", *TABS["activities"].column_names]
    rows = [header, *(["", *(r.get(h, "") for h in header[1:])] for r in records)]
    return RawTab("activities", rows, origin=origin, link=link)


def test_cross_tab_problems_point_at_the_column_where_the_header_really_is_and_link_to_it():
    book = workbook()
    tabs = dict(book.tabs) | {"activities": shifted([activity("A1", "P1, P4")], LINK)}
    data = build_dataset(settings(), dataclasses.replace(book, tabs=tabs), sample=False)
    assert found(data) == [("activities", "F2", "warning", "partner_ids")]
    assert data.problems[0].link == f"{LINK}&range=F2"


def test_a_combined_read_points_each_row_at_its_own_spreadsheet_and_cell():
    first = workbook(activities=[activity("A1", "P1, P2")])
    second = RawWorkbook({"activities": shifted([activity("A2", "P1, P9")], LINK, "b")}, "b", "google_sheets")
    combined = RawWorkbook({}, "test.xlsx + b", "combined", parts=(first, second))
    data = build_dataset(settings(), combined, sample=False)
    unknown = [p for p in data.problems if p.tab == "activities"]
    assert [(p.cell, p.origin, p.link, p.value) for p in unknown] == [("F2", "b", f"{LINK}&range=F2", "P9")]


def test_problems_are_sorted_by_tab_in_contract_order_errors_first_then_down_and_across():
    problems = [
        Problem("warning", "activities", "B2", "date", "w"),
        Problem("error", "activities", "AA3", "x", "e"),
        Problem("error", "activities", "C3", "x", "e"),
        Problem("error", "partners", "10:10", "", "e"),
        Problem("error", "source", "", "", "e"),
        Problem("error", "partners", "", "", "e"),
    ]
    ordered = [(p.tab, p.cell) for p in checks.sorted_problems(problems)]
    assert ordered == [
        ("partners", ""),
        ("partners", "10:10"),
        ("activities", "C3"),
        ("activities", "AA3"),
        ("activities", "B2"),
        ("source", ""),
    ]
    assert [checks.describe_cell(c) for c in ("B7", "5:5", "")] == ["B7", "row 5", "whole tab"]


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_the_csv_export_never_lets_a_spreadsheet_run_a_cell(text):
    problems = [Problem("error", "activities", "D2", "title", "expected text", text, "book.xlsx")]
    exported = checks.problems_csv(problems)
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0] == ["level", "tab", "cell", "column", "problem", "value in the cell", "file", "link"]
    assert rows[1][5] == "'" + text
    assert rows[1][:5] == ["error", "activities", "D2", "title", "expected text"]


def test_a_partner_or_place_outside_the_programme_area_is_a_warning_at_its_country_cell():
    lyon = {"location_id": "L9", "name": "Lyon", "country": "FR", "lat": 45.76, "lon": 4.84}
    partners = [
        *PARTNERS,
        {"partner_id": "P9", "name": "Lyon Lab", "country": "France", "role": "PP", "location_id": "L9"},
    ]
    data = dataset(partners=partners, locations=[*LOCATIONS, lyon])
    outside = [(tab, cell, level) for tab, cell, level, column in found(data) if column == "country"]
    assert outside == [("partners", "C6", "warning"), ("locations", "C5", "warning")]
    assert message(data, "C6").startswith("France (FR) is outside the programme area (AT, BA, BG, CZ, DE, HR")
    assert "P9" in set(data.tables["partners"]["partner_id"])  # kept and counted as written
