"""Several spreadsheets combined: rows appended, each keeping its origin and cell; shared ids reported."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
import responses

from data_sources import GoogleAccess, SheetsClient, SourceError
from data_sources.google_sheets import RetryPolicy
from monitoring.dataset import Dataset, load_dataset, stale_notices
from monitoring.model.config import ConfigError, load_settings
from monitoring.model.contract import TABS
from tests.factories import LOCATIONS, PARTNERS, raw_tab
from tests.fixtures.sheets.fake_api import FakeSheetsAPI, Sheet, api_rows, write_config

REPO = Path(__file__).resolve().parents[1]
KEY_A = "1ClujHubMonitoringSheetForTheCombineTests00"
KEY_B = "1SofiaClusterMonitoringSheetForCombineTest0"
ACTIVITY = {"type": "workshop", "participants": 10}


def tabs(**records: list[dict]) -> dict[str, list[list]]:
    """Every contract tab with its header row, and the given records."""
    return {name: api_rows(raw_tab(name, records.get(name, [])).rows) for name in TABS}


def lead_sheet(key: str = KEY_A, title: str = "Cluj hub monitoring") -> Sheet:
    activities = [{"activity_id": "A1", "date": "2025-01-15", "title": "Kick-off", "partner_ids": "P1, P2", **ACTIVITY}]
    return Sheet(key, title, tabs(partners=PARTNERS, locations=LOCATIONS, activities=activities))


def partner_sheet(key: str = KEY_B, title: str = "Sofia cluster monitoring") -> Sheet:
    activities = [
        {"activity_id": "A2", "date": 45731, "title": "Study visit Sofia", "partner_ids": "P3, P1", **ACTIVITY},
        {"activity_id": "A1", "date": "2025-02-01", "title": "Same id as in Cluj", "partner_ids": "P3", **ACTIVITY},
        {"activity_id": "A3", "date": "31.02.2025", "title": "Impossible date", "partner_ids": "P3", **ACTIVITY},
    ]
    return Sheet(key, title, tabs(activities=activities))


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def config(folder: Path, spreadsheets: list[str]) -> Path:
    return write_config(folder, spreadsheets=spreadsheets)


def load(config: Path) -> Dataset:
    sheets = SheetsClient(GoogleAccess(api_key="AIzaSyFAKE-combine-tests"), RetryPolicy(), sleep=lambda s: None)
    return load_dataset(load_settings(config), config, client=sheets)


def rows_of(data: Dataset, tab: str) -> list[tuple]:
    frame = data.tables[tab]
    return list(zip(frame[TABS[tab].id_column], frame["_origin"], frame["_row"], strict=True))


def test_rows_of_the_same_tab_are_appended_and_keep_their_spreadsheet_and_row(mock, tmp_path):
    api = FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    data = load(config(tmp_path, [KEY_A, f"https://docs.google.com/spreadsheets/d/{KEY_B}/edit"]))
    assert rows_of(data, "activities") == [
        ("A1", "Cluj hub monitoring", 2),
        ("A2", "Sofia cluster monitoring", 2),
        ("A3", "Sofia cluster monitoring", 4),
    ]  # A1 in Sofia's row 3 repeats Cluj's A1: an error, and not counted
    assert api.count("batch") == 2 and api.count("sheets") == 4  # one batched request per spreadsheet
    assert data.source.label == "Cluj hub monitoring + Sofia cluster monitoring" and data.source.kind == "combined"


def test_a_problem_in_the_second_spreadsheet_points_at_its_own_cell(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    (bad,) = [p for p in data.problems if p.value == "31.02.2025"]
    date_letter = "ABCDEFGHIJ"[TABS["activities"].column_names.index("date")]
    assert (bad.origin, bad.cell) == ("Sofia cluster monitoring", f"{date_letter}4")
    assert bad.link.startswith(f"https://docs.google.com/spreadsheets/d/{KEY_B}/edit#gid=")


def test_an_id_used_in_two_spreadsheets_is_reported_naming_both(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    shared = [p for p in data.problems if "also used in" in p.message]
    assert len(shared) == 1
    (problem,) = shared
    assert problem.level == "error" and problem.tab == "activities" and problem.value == "A1"
    assert problem.origin == "Sofia cluster monitoring" and problem.cell == "A3"
    assert "Cluj hub monitoring (row 2)" in problem.message


def test_cross_border_counts_partners_listed_in_another_spreadsheet(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    acts = data.tables["activities"].set_index("activity_id")
    assert bool(acts.loc["A2", "cross_border"])  # P3 (BG) and P1 (RO): partners only in the Cluj sheet


def test_spreadsheets_are_read_at_the_same_time(mock, tmp_path):
    api = FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    both_waiting = threading.Barrier(2, timeout=10)
    api.on_batch = lambda key: both_waiting.wait()  # breaks (and the read fails) if the reads were one after another
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    assert data.source.live and len(data.tables["activities"]) == 3  # A1 once


def test_a_google_sheet_and_an_xlsx_file_combine(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet())
    xlsx = tmp_path / "sofia.xlsx"
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in partner_sheet().tabs.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(xlsx)
    data = load(config(tmp_path, [KEY_A, str(xlsx)]))
    assert [origin for _, origin, _ in rows_of(data, "activities")] == ["Cluj hub monitoring"] + ["sofia.xlsx"] * 2


def test_a_spreadsheet_that_fails_shows_its_last_good_copy_and_a_warning(mock, tmp_path):
    api = FakeSheetsAPI(mock, lead_sheet(), partner_sheet())
    path = config(tmp_path, [KEY_A, KEY_B])
    load(path)
    api.sheets[KEY_A] = lead_sheet()
    api.sheets[KEY_A].tabs["activities"].append(["A9", "2025-03-01", "exchange", "New in Cluj", "P1, P2"])
    api.sheets.pop(KEY_B)  # now a 404 for the Sofia sheet
    data = load(path)
    assert (
        len(data.tables["activities"]) == 4
    )  # Cluj live (2 rows), Sofia from its copy (2 rows, its A1 repeats Cluj's)
    (failure,) = data.source.failures
    assert failure.origin == "Sofia cluster monitoring" and failure.reason == "not_found"
    (problem,) = [p for p in data.problems if p.tab == "source"]
    assert problem.level == "warning" and problem.origin == "Sofia cluster monitoring"
    assert "live data unavailable since" in problem.message and "is shown" in problem.message
    (line,) = stale_notices(data.source)
    assert line.startswith("Sofia cluster monitoring: live data unavailable since")
    assert "(no spreadsheet has this key); showing data read at" in line


def test_a_spreadsheet_never_read_is_missing_and_reported_as_an_error(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet())  # the Sofia sheet's key is unknown: 404, and it was never read
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    assert [o for _, o, _ in rows_of(data, "activities")] == ["Cluj hub monitoring"]
    (problem,) = [p for p in data.problems if p.tab == "source"]
    assert problem.level == "error" and "rows are missing" in problem.message
    assert problem.origin == f"the Google Sheet {KEY_B}"
    (line,) = stale_notices(data.source)
    assert line.endswith("(no spreadsheet has this key); no earlier copy exists, so its rows are missing.")


def test_when_no_spreadsheet_can_be_read_the_error_explains_each(mock, tmp_path):
    FakeSheetsAPI(mock)  # knows no spreadsheet: 404 for both
    with pytest.raises(SourceError) as info:
        load(config(tmp_path, [KEY_A, KEY_B]))
    assert "None of the 2 spreadsheets could be read" in str(info.value)
    assert KEY_A in str(info.value) and KEY_B in str(info.value)


def test_two_spreadsheets_with_the_same_title_are_told_apart(mock, tmp_path):
    FakeSheetsAPI(mock, lead_sheet(title="Monitoring"), partner_sheet(title="Monitoring"))
    data = load(config(tmp_path, [KEY_A, KEY_B]))
    assert {origin for _, origin, _ in rows_of(data, "activities")} == {"Monitoring", "Monitoring (2)"}


def test_a_google_source_without_a_spreadsheet_is_a_config_mistake_with_its_line(tmp_path):
    text = (REPO / "indicators.yaml").read_text(encoding="utf-8").replace("kind: excel", "kind: google_sheets", 1)
    config = tmp_path / "indicators.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert any(p.startswith("source (line") and "spreadsheet" in p for p in info.value.problems)
