"""The Data quality page a partner opens to fix the sheet: which tab, which cell, what it holds, what it should."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from data_sources import RawWorkbook
from monitoring.dataset import Dataset, build_dataset
from tests.conftest import APP, open_page
from tests.factories import settings, workbook

WRONG_TYPES = "tests/data/bad/wrong_types/workbook.xlsx"
LINK = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7"


def activity(aid: str, date: str = "2025-03-14", title: str = "Peer exchange", partners: str = "P1, P2") -> dict:
    return {"activity_id": aid, "date": date, "type": "exchange", "title": title, "partner_ids": partners}


def google_dataset(**tabs: list[dict]) -> Dataset:
    """A dataset read as from a Google Sheet: every tab has a link, so every problem has one."""
    book = workbook(**tabs)
    linked = {name: dataclasses.replace(t, origin="Monitoring sheet", link=LINK) for name, t in book.tabs.items()}
    raw = RawWorkbook(linked, "Monitoring sheet", "google_sheets")
    return build_dataset(settings(), raw, sample=False)


def page_with(data: Dataset, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr("ui.context.dataset", lambda: data)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_sample_has_no_problem_and_the_page_says_so_with_rows_read_per_tab(sample):
    at = open_page("data_quality.py", rows_per_tab="true")
    assert metrics(at) == {
        "Errors": "0",
        "Warnings": "0",
        "Tabs with problems": "0",
        "Rows read": f"{sum(len(t) for t in sample.tables.values()):,}",
    }
    assert any("no problems found" in s.value for s in at.success)
    counts = at.dataframe[0].value
    assert dict(zip(counts["Tab"], counts["Rows read"], strict=True))["activities"] == len(sample.tables["activities"])
    assert not at.table  # no problem list
    assert any("Sample data" in i.value for i in at.info)


def test_a_messy_workbook_lists_every_bad_cell_under_its_tab_with_what_it_holds(monkeypatch):
    monkeypatch.setenv("SPINIT_SOURCE", WRONG_TYPES)
    at = open_page("data_quality.py")
    assert metrics(at)["Errors"] == "8" and metrics(at)["Warnings"] == "1"  # the unknown activity type is kept
    assert [h.value for h in at.subheader] == ["partners", "locations", "activities", "action\\_plans", "pilots"]
    activities = at.table[2].value
    assert list(activities.columns) == ["Cell", "Column", "Problem and what is expected", "The cell holds"]
    assert list(activities["Cell"]) == ["**G5**", "**B6**", "**I8**"]  # C7's unknown type is a warning
    first = activities.iloc[0]
    assert (first["Column"], first["Problem and what is expected"], first["The cell holds"]) == (
        "participants",
        "expected a whole number",
        "`twenty`",
    )
    assert "expected a date like 2025\\-03\\-14 or 14\\.03\\.2025" in activities.iloc[1]["Problem and what is expected"]
    assert not at.dataframe  # the rows per tab are drawn only when their expander is opened
    at.session_state["rows_per_tab"] = True
    at.run()
    counts = at.dataframe[0].value.set_index("Tab")
    assert counts.loc["activities", "Errors"] == 3 and counts.loc["locations", "Errors"] == 2
    assert any("Name Box" in c.value for c in at.caption)  # no links for a file: how to jump to a cell instead
    assert any("checked" in c.value and "workbook.xlsx" in c.value for c in at.caption)


def test_filters_show_one_tab_and_one_level(monkeypatch):
    monkeypatch.setenv("SPINIT_SOURCE", "tests/data/bad/indicator_codes/workbook.xlsx")
    at = open_page("data_quality.py")
    assert [h.value for h in at.subheader] == ["indicator\\_values", "milestones"]
    at.multiselect(key="tab").select("milestones").run()
    assert [h.value for h in at.subheader] == ["milestones"]
    at.multiselect(key="tab").unselect("milestones").run()
    at.segmented_control(key="level").set_value("warnings").run()
    assert [h.value for h in at.subheader] == ["indicator\\_values"]
    assert list(at.table[0].value["Cell"]) == ["**C4**", "**A25**"]


def test_on_a_google_sheet_each_problem_opens_its_cell(monkeypatch):
    data = google_dataset(activities=[activity("A1"), activity("A2", date="soon")])
    at = page_with(data, monkeypatch)
    listed = at.table[0].value
    assert list(listed.columns)[-1] == "Open"
    assert listed.iloc[0]["Open"] == f"[Open the cell]({LINK}&range=B3)"
    assert not any("Name Box" in c.value for c in at.caption)


def test_sheet_text_in_a_problem_is_shown_as_text_never_as_html_or_markdown(monkeypatch):
    data = google_dataset(activities=[activity("A1", date="<script>alert(1)</script> [x](javascript:alert(1))")])
    at = page_with(data, monkeypatch)
    held = at.table[0].value.iloc[0]["The cell holds"]
    assert held == "`<script>alert(1)</script> [x](javascript:alert(1))`"  # a code span: shown, never run


def test_a_value_with_backticks_or_a_web_address_is_shown_literally(monkeypatch):
    data = google_dataset(activities=[activity("A1", date="`x` www.example.org"), activity("A2", date="``")])
    at = page_with(data, monkeypatch)
    assert list(at.table[0].value["The cell holds"]) == ["`` `x` www.example.org ``", "``` `` ```"]


def test_hundreds_of_problems_go_into_a_scrollable_table(monkeypatch):
    data = google_dataset(activities=[activity(f"A{i}", date="14/3/25") for i in range(250)])
    at = page_with(data, monkeypatch)
    assert metrics(at)["Errors"] == "250"
    many = at.dataframe[0].value
    assert len(many) == 250 and list(many["where"][:2]) == ["B2", "B3"]
    assert any("250 problems" in c.value for c in at.caption)


def test_problems_from_several_files_say_which_file(monkeypatch):
    first = workbook(activities=[activity("A1", date="soon")])
    others = workbook(activities=[activity("A2", date="never")]).tabs
    second = RawWorkbook({n: dataclasses.replace(t, origin="b.xlsx") for n, t in others.items()}, "b.xlsx", "excel")
    data = build_dataset(settings(), RawWorkbook({}, "test.xlsx + b.xlsx", "combined", parts=(first, second)), False)
    at = page_with(data, monkeypatch)
    at.multiselect(key="tab").select("activities").run()
    activities = at.table[0].value
    assert list(activities["Cell"]) == ["**B2**", "**B2**"]
    assert list(activities["File"]) == ["test\\.xlsx", "b\\.xlsx"]


def test_the_problem_list_can_be_downloaded(monkeypatch):
    monkeypatch.setenv("SPINIT_SOURCE", WRONG_TYPES)
    at = open_page("data_quality.py")
    buttons = at.get("download_button")
    assert len(buttons) == 1 and "Download the problem list (CSV)" in buttons[0].proto.label
