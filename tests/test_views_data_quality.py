"""What the Data quality page shows, computed without Streamlit, on small workbooks with bad cells."""

from __future__ import annotations

import pytest

from monitoring.views.data_quality import by_tab, filtered, literal, quality, readable, scrollable
from tests.factories import dataset


def activity(aid: str, date: str = "2025-03-14") -> dict:
    return {"activity_id": aid, "date": date, "type": "exchange", "title": "Peer exchange", "partner_ids": "P1, P2"}


@pytest.fixture(scope="module")
def messy():
    """Two unreadable dates in activities and a pilot with an unknown lead organisation."""
    return quality(
        dataset(
            activities=[activity("A1", "soon"), activity("A2"), activity("A3", "never")],
            pilots=[{"pilot_id": "PIL1", "title": "Pilot", "location_id": "L1", "lead_partner_id": "P9"}],
        )
    )


def test_the_counts_add_up_per_tab_and_in_all(messy):
    per_tab = messy.per_tab.set_index("Tab")
    assert messy.errors == int(per_tab["Errors"].sum()) and messy.warnings == int(per_tab["Warnings"].sum())
    assert per_tab.loc["activities", "Errors"] == 2 and per_tab.loc["activities", "Rows read"] == 3
    assert messy.tabs_with_problems == len(set(messy.problems["tab"])) >= 2
    assert messy.rows_read == int(per_tab["Rows read"].sum())
    assert not messy.no_tab_read and not messy.has_links and not messy.several_files
    assert messy.tab_names[: len(per_tab)] == list(per_tab.index)


def test_the_filters_keep_the_chosen_tabs_and_level(messy):
    only = filtered(messy.problems, ["activities"], "errors")
    assert set(only["tab"]) == {"activities"} and set(only["level"]) == {"error"} and len(only) == 2
    assert filtered(messy.problems, [], "all").equals(messy.problems)
    assert filtered(messy.problems, ["activities"], "warnings").empty


def test_problems_are_grouped_by_tab_errors_first(messy):
    groups = {g.tab: g for g in by_tab(messy.problems)}
    activities = groups["activities"]
    assert (activities.errors, activities.warnings) == (2, 0)
    assert [level for level, _ in activities.levels] == ["error"]
    assert list(activities.levels[0][1]["where"]) == ["B2", "B4"]


def test_a_cell_value_is_shown_as_a_code_span_whatever_it_holds():
    assert literal("") == ""
    assert literal("twenty") == "`twenty`"
    assert literal("`x` www.example.org") == "`` `x` www.example.org ``"
    assert literal("``") == "``` `` ```"


def test_the_static_table_escapes_sheet_text_and_adds_file_and_link_only_when_they_say_something(messy):
    rows = filtered(messy.problems, ["activities"], "all")
    table = readable(rows, messy, lambda text: f"<{text}>")
    assert list(table.columns) == ["Cell", "Column", "Problem and what is expected", "The cell holds"]
    assert table.iloc[0]["Cell"] == "**B2**" and table.iloc[0]["Column"] == "<date>"
    assert table.iloc[0]["The cell holds"] == "`soon`"
    assert list(scrollable(rows, messy).columns) == ["where", "column", "message", "value"]
