"""The "What changed" page the steering committee opens first: the sample between two dates."""

import datetime as dt
import json

import pytest

from monitoring.outputs.changes import changes_between
from tests.conftest import chart_rows, open_page, tabs_of
from tests.test_changes_reads import page_on_two_reads


@pytest.fixture(scope="module")
def views():
    """The page as of 31 Dec 2025, opened at each of its tabs (?view=...), each opened once for the module."""
    return tabs_of("changes.py", as_of="2025-12-31")


@pytest.fixture(scope="module")
def page(views):
    return views("Indicators")


def test_only_the_chosen_tab_is_computed_and_drawn(views):
    first = open_page("changes.py", as_of="2025-12-31")
    assert len(first.get("vega_lite_chart")) == 1 and len(first.dataframe) == 1  # the chart and the indicator table
    assert "code" in first.dataframe[0].value.columns and [s.value for s in first.subheader] == ["Indicators"]
    assert [t.label for t in first.tabs] == ["Indicators", "Activities", "Plans and pilots"]
    assert [m.label for m in first.metric] == [
        "Indicators that moved",
        "New activities",
        "Plans that changed stage",
        "Pilots that changed stage",
    ]
    activities = views("Activities")
    assert not activities.get("vega_lite_chart") and len(activities.dataframe) == 1
    assert "activity_id" in activities.dataframe[0].value.columns
    assert activities.query_params["view"] == "Activities"
    stages = views("Plans and pilots")
    assert not stages.get("vega_lite_chart")
    assert [s.value.split(" (")[0] for s in stages.subheader] == [
        "Action plans that changed stage",
        "Pilots that changed stage",
    ]
    for other in (activities, stages):
        assert [m.value for m in other.metric] == [m.value for m in first.metric]  # the headline stays above the tabs


def test_by_default_it_compares_the_previous_period_end_with_the_as_of_date(page):
    dates = {d.label: d.value for d in page.date_input}
    assert dates["From the end of"] == dt.date(2025, 6, 30)
    assert dates["To the end of"] == dt.date(2025, 12, 31)
    assert any("Sample data" in i.value for i in page.info)


def test_the_numbers_are_the_difference_between_the_two_dates(views, sample):
    expected = changes_between(sample, dt.date(2025, 6, 30), dt.date(2025, 12, 31))
    page = views("Indicators")
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Indicators that moved"] == f"{len(expected.moved)} of 9"
    assert metrics["New activities"] == "38"
    assert metrics["Plans that changed stage"] == str(len(expected.plans))
    assert metrics["Pilots that changed stage"] == str(len(expected.pilots))
    table = page.dataframe[0].value.set_index("code")
    assert table.loc["RCO87", ["before", "after", "change"]].tolist() == [22, 26, 4]
    assert table["change"].equals(expected.indicators.set_index("code")["change"])
    activities = views("Activities").dataframe[0].value
    assert activities["activity_id"].tolist() == expected.activities["activity_id"].tolist()
    plans = views("Plans and pilots").dataframe[0].value
    assert plans["id"].tolist() == expected.plans["id"].tolist()


def test_the_chart_shows_where_each_indicator_stood_and_what_was_added(page):
    rows = {r["code"]: r for r in chart_rows(page.get("vega_lite_chart")[0])}
    assert rows["RCO87"]["before_pct"] == pytest.approx(100 * 22 / 30)
    assert rows["RCO87"]["after_pct"] == pytest.approx(100 * 26 / 30)
    assert rows["RCO87"]["change_text"] == "+4"


def test_a_quick_pick_sets_the_first_date(page):
    page.pills(key="changes_pick").set_value("End of P2").run()
    dates = {d.label: d.value for d in page.date_input}
    assert dates["From the end of"] == dt.date(2024, 12, 31)
    assert page.pills(key="changes_pick").value is None  # works like a button
    table = page.dataframe[0].value.set_index("code")
    assert table.loc["RCO87", ["before", "after"]].tolist() == [16, 26]


def test_dates_in_the_wrong_order_are_swapped(page):
    page.date_input(key="since").set_value(dt.date(2026, 3, 31)).run()
    assert any("the other way round" in i.value for i in page.info)
    table = page.dataframe[0].value.set_index("code")
    assert table.loc["RCO87", "before"] == 26  # 31 Dec 2025 is now the first date


def test_two_reads_name_the_reads_where_the_dates_would_be(tmp_path, monkeypatch):
    """Comparing two stored reads draws the chart and the tables (they used to ask for dates never chosen)."""
    at, (old, new) = page_on_two_reads(tmp_path, monkeypatch)
    assert not at.error and len(at.get("vega_lite_chart")) == 1
    columns = json.loads(at.dataframe[0].proto.columns)
    assert (columns["before"]["label"], columns["after"]["label"]) == (f"read {old}", f"read {new}")
    at.session_state["view"] = "Plans and pilots"
    at.run()
    assert not at.error and [s.value for s in at.subheader] == [
        "Action plans that changed stage (0)",
        "Pilots that changed stage (0)",
    ]
