"""The Indicator detail page on the sample: the headline above three tabs, each showing the engine's numbers."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from monitoring.engine.measure import achieved_as_of, by_dimension, per_period
from tests.conftest import chart_frames, open_page, tabs_of

END = dt.date(2026, 6, 30)  # the default as-of day: today is after the project's end


def dataset_with(at, column: str) -> pd.DataFrame:
    """The first chart dataset on the page that has `column`."""
    return next(df for chart in at.get("vega_lite_chart") for df in chart_frames(chart) if column in df)


def metrics(at) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


@pytest.fixture(scope="module")
def views():
    """RCO84 opened at each of the page's tabs (?view=...), each opened once for the module."""
    return tabs_of("indicator.py", indicator="RCO84")


def test_only_the_chosen_tab_is_computed_and_drawn(views):
    first = open_page("indicator.py", indicator="RCO84")  # the Overview's tile link: no view, the first tab
    assert len(first.get("vega_lite_chart")) == 1 and len(first.dataframe) == 1  # per period: chart and table
    assert "series" in dataset_with(first, "series") and "in_period" in first.dataframe[0].value
    labels = {c.get("label") for c in json.loads(first.dataframe[0].proto.columns).values()}
    assert "Records dated in the period" in labels and "Achieved in period" not in labels  # no Jems look-alike
    assert not [s for s in first.get("button_group") if s.key == "by"]
    assert [label for label, _ in metrics(first)] == [
        "Achieved",
        "Target",
        "Expected by now",
        "% of target",
        "Forecast at end",
    ]
    assert "view" not in first.query_params  # the first tab is the default and keeps the link clean
    breakdown = views("Breakdown")
    assert len(breakdown.get("vega_lite_chart")) == 1 and not breakdown.dataframe
    assert breakdown.segmented_control(key="by").value == "Country"
    records = views("Records")
    assert not records.get("vega_lite_chart") and len(records.dataframe) == 1
    assert "Evidence" in records.dataframe[0].value
    assert records.query_params["view"] == "Records"
    for other in (breakdown, records):  # the headline stays above the tabs
        assert metrics(other) == metrics(first)
        assert (
            other.title[0].value
            == first.title[0].value
            == "RCO84 · Pilot actions developed jointly and implemented in projects"
        )


def test_headline_shows_the_engines_achieved_number(views, sample):
    shown = dict(metrics(views("Per period")))
    assert shown["Achieved"] == f"{achieved_as_of(sample.contributions['RCO84'], END):g}" == "7"


def test_per_period_chart_and_table_match_the_engine(views, sample):
    at = views("Per period")
    expected = per_period(sample.contributions["RCO84"], sample.periods)
    table = at.dataframe[0].value
    assert table["period"].tolist() == expected["period"].tolist() == ["P1", "P2", "P3", "P4", "P5"]
    assert table["cumulative"].tolist() == expected["cumulative"].tolist() == [0, 0, 2, 4, 7]
    achieved = dataset_with(at, "series").query("series == 'achieved (cumulative)'")
    assert achieved["value"].tolist() == expected["cumulative"].tolist()


def test_a_shared_link_opens_the_breakdown_by_location(sample):
    at = open_page("indicator.py", indicator="RCR79", as_of="2025-12-31", by="Location", view="Breakdown")
    assert at.segmented_control(key="by").value == "Location"
    assert at.query_params["by"] == "Location" and at.query_params["view"] == "Breakdown"
    expected = by_dimension(sample.contributions["RCR79"], dt.date(2025, 12, 31), "location_id")
    shown = dataset_with(at, "location_id")
    assert dict(zip(shown["location_id"], shown["amount"], strict=True)) == {"L01": 1}
    assert shown["amount"].tolist() == expected["amount"].tolist()


def test_a_link_with_by_but_no_view_opens_the_first_tab_and_keeps_by_for_the_breakdown():
    at = open_page("indicator.py", indicator="RCR79", as_of="2025-12-31", by="Location")
    assert not at.get("button_group") and at.query_params["by"] == "Location"
    at.query_params["view"] = "Breakdown"
    at.run()
    assert at.segmented_control(key="by").value == "Location"


def test_breakdown_by_organisation_says_amounts_count_for_each_organisation(sample):
    at = open_page("indicator.py", indicator="RCO84", view="Breakdown")
    at.segmented_control(key="by").set_value("Organisation").run()
    shown = dataset_with(at, "partner_id")
    expected = by_dimension(sample.contributions["RCO84"], END, "partner_id")
    assert shown["amount"].tolist() == expected["amount"].tolist()
    assert any("add up to more than the total" in c.value for c in at.caption)


def test_records_behind_the_number_with_their_evidence(views, sample):
    at = views("Records")
    contribs = sample.contributions["RCO84"]
    expected = contribs[contribs["date"] <= pd.Timestamp(END)]
    table = at.dataframe[0].value
    assert table["Record"].tolist() == expected["record"].tolist() and len(table) == 7
    assert table["Evidence"].iloc[0] == "https://example.org/spinit/validation/PIL01.pdf"
    assert table["Organisation"].iloc[0] == "Someș Metropolitan Innovation Office (P01)"  # a name, its id beside it
    assert table["Place"].iloc[0] == "Cluj-Napoca (L01)"
    assert not any(c.startswith(("partner_id", "location_id", "_")) for c in table.columns)  # labels, not raw names
    assert any(
        c.value.startswith("7 records counted as of 30 Jun 2026; 4 without an evidence link") for c in at.caption
    )


def test_choosing_another_indicator_keeps_the_tab():
    at = open_page("indicator.py", indicator="RCO84", view="Records")
    at.selectbox(key="indicator").set_value("RCO87").run()
    assert at.title[0].value.startswith("RCO87")
    assert [h.value for h in at.subheader] == ["The records behind the number"]


def test_the_per_period_trend_marks_each_steering_committee_up_to_the_day(sample):
    at = open_page("indicator.py", indicator="RCO84", as_of="2025-06-30", view="Per period")
    meetings = dataset_with(at, "label")
    acts = sample.tables["activities"]
    held = acts[(acts["type"] == "steering committee") & (acts["date"] <= pd.Timestamp("2025-06-30"))]
    assert len(meetings) == len(held) > 0
    assert sorted(meetings["date"]) == sorted(d.date().isoformat() for d in held["date"])
