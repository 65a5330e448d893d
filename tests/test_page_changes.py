"""The "What changed" page the steering committee opens first: the sample between two dates."""

import datetime as dt

import pytest

from monitoring.changes import changes_between
from tests.conftest import chart_rows, open_page


@pytest.fixture(scope="module")
def page():
    return open_page("changes.py", as_of="2025-12-31")


def test_by_default_it_compares_the_previous_period_end_with_the_as_of_date(page):
    dates = {d.label: d.value for d in page.date_input}
    assert dates["From the end of"] == dt.date(2025, 6, 30)
    assert dates["To the end of"] == dt.date(2025, 12, 31)
    assert any("Sample data" in i.value for i in page.info)


def test_the_numbers_are_the_difference_between_the_two_dates(page, sample):
    expected = changes_between(sample, dt.date(2025, 6, 30), dt.date(2025, 12, 31))
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Indicators that moved"] == f"{len(expected.moved)} of 9"
    assert metrics["New activities"] == "38"
    assert metrics["Plans that changed stage"] == str(len(expected.plans))
    assert metrics["Pilots that changed stage"] == str(len(expected.pilots))
    table = page.dataframe[0].value.set_index("code")
    assert table.loc["RCO87", ["before", "after", "change"]].tolist() == [22, 26, 4]
    assert table["change"].equals(expected.indicators.set_index("code")["change"])
    assert page.dataframe[1].value["activity_id"].tolist() == expected.activities["activity_id"].tolist()
    assert page.dataframe[2].value["id"].tolist() == expected.plans["id"].tolist()


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
