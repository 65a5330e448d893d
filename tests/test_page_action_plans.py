"""The Action plans page on the sample: the funnel and the indicator tie-in are the engine's numbers, as of the day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from monitoring.engine.measure import achieved_as_of
from tests.conftest import chart_frames, open_page, tabs_of

END = dt.date(2026, 6, 30)  # the default as-of day: today is after the project's end
MID = dt.date(2025, 6, 30)


def dataset_with(at, column: str) -> pd.DataFrame:
    """The first chart dataset on the page that has `column`."""
    return next(df for chart in at.get("vega_lite_chart") for df in chart_frames(chart) if column in df)


def funnel(at) -> dict[str, int]:
    df = dataset_with(at, "reached")
    return dict(zip(df["label"], df["reached"].astype(int), strict=True))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def at_day(day: dt.date):
    at = open_page("action_plans.py")
    at.date_input(key="as_of").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def views():
    """The page opened at each of its tabs (?view=...), each opened once for the module."""
    return tabs_of("action_plans.py")


def test_only_the_chosen_tab_is_computed_and_drawn(views) -> None:
    first = open_page("action_plans.py")
    assert len(first.get("vega_lite_chart")) == 1 and not first.dataframe  # the timeline; no funnel, no table
    assert "stage_no" in dataset_with(first, "stage_no")  # the timeline
    assert [m.label for m in first.metric] == ["Plans", "Stalled", "LAP adopted", "Taken up", "LDG members"]
    assert "view" not in first.query_params  # the first tab is the default and keeps the link clean
    reached = views("Reached")
    assert len(reached.get("vega_lite_chart")) == 1 and not reached.dataframe  # the funnel only
    assert "reached" in dataset_with(reached, "reached")
    plans = views("Plans")
    assert not plans.get("vega_lite_chart") and len(plans.dataframe) == 1  # the table; stage dates stay closed
    assert plans.query_params["view"] == "Plans"
    for other in (reached, plans):  # the headline stays above the tabs
        assert [(m.label, m.value) for m in other.metric] == [(m.label, m.value) for m in first.metric]
        assert [w.value for w in other.warning] == [w.value for w in first.warning]


def test_funnel_adopted_and_taken_up_equal_rco83_and_rcr79(views, sample) -> None:
    at = views("Reached")
    shown = funnel(at)
    assert shown["LAP adopted"] == achieved_as_of(sample.contributions["RCO83"], END) == 9
    assert shown["Taken up"] == achieved_as_of(sample.contributions["RCR79"], END) == 5
    assert [shown[s] for s in ("Stakeholders identified", "LDG activated", "MoU signed", "LAP drafted")] == [10] * 4
    lines = [md.value for md in at.markdown]
    assert "**RCO83** Strategies and action plans jointly developed: **9** of 10" in lines
    assert "**RCR79** Joint strategies and action plans taken up by organisations: **5** of 8" in lines
    captions = [c.value.replace("\\", "") for c in at.caption]  # Markdown escapes removed
    # Each indicator is counted from the stage its measure.date names in indicators.yaml.
    assert any(c.startswith("Counted from the 'LAP adopted' date: ") for c in captions)
    assert any(c.startswith("Counted from the 'Taken up' date: ") for c in captions)
    assert metrics(at)["LAP adopted"] == "9"


def test_earlier_as_of_day_shrinks_the_funnel_to_what_had_happened_then(sample) -> None:
    at = at_day(MID)
    timeline = dataset_with(at, "stage_no")
    assert pd.to_datetime(timeline["date"]).max() <= pd.Timestamp(MID)
    at.query_params["view"] = "Reached"  # the date is kept when moving to another tab
    at.run()
    assert at.date_input(key="as_of").value == MID
    shown = funnel(at)
    assert shown["LAP adopted"] == achieved_as_of(sample.contributions["RCO83"], MID) == 1
    assert shown["Taken up"] == achieved_as_of(sample.contributions["RCR79"], MID) == 0
    assert shown["Workshops held"] == 9
    assert shown["LAP drafted"] == 1
    assert "**RCO83** Strategies and action plans jointly developed: **1** of 10" in [md.value for md in at.markdown]


def test_stalled_plan_is_named_with_its_location_stage_and_days(views) -> None:
    at = views("Stages")
    assert metrics(at)["Stalled"] == "1"
    (warning,) = at.warning
    assert "**Tuzla** (Bosnia and Herzegovina) · LAP06" in warning.value
    assert "LAP drafted since 20 Feb 2026, **130 days**" in warning.value
    table = views("Plans").dataframe[0].value.set_index("lap_id")
    assert table.at["LAP06", "status_word"] == "■ stalled"
    assert table.at["LAP06", "days_in_stage"] == 130
    assert table.at["LAP01", "status_word"] == "✔ done"


def test_five_plans_were_stalled_at_the_end_of_period_three() -> None:
    at = at_day(MID)
    assert metrics(at)["Stalled"] == "5"
    warning = at.warning[0].value
    for place in ("Novi Sad", "Haskovo", "Tuzla", "Zagreb", "Budapest"):
        assert f"**{place}**" in warning
    assert "Haskovo** (Bulgaria) · LAP04: MoU signed since 28 Aug 2024, **306 days**" in warning


def test_plan_table_has_ldg_members_workshops_and_document_links(views) -> None:
    at = views("Plans")
    table = at.dataframe[0].value.set_index("lap_id")
    assert len(table) == 10
    assert table.at["LAP01", "ldg_members"] == 9
    assert table.at["LAP01", "held: workshop"] == 5  # workshop activities in Cluj-Napoca
    assert table.at["LAP07", "held: workshop"] == 0
    assert table.at["LAP01", "document_url"] == "https://example.org/spinit/lap/LAP01.pdf"
    assert metrics(at)["LDG members"] == str(int(table["ldg_members"].sum()))


def test_timeline_draws_each_reached_stage_and_the_as_of_rule(views) -> None:
    at = views("Stages")
    timeline = dataset_with(at, "stage_no")
    assert len(timeline) == 10 * 5 + 9 + 5  # five stages for every plan, adopted for nine, taken up for five
    rule = dataset_with(at, "as_of")
    assert pd.to_datetime(rule["as_of"]).max() == pd.Timestamp(END)


def test_all_stage_dates_open_on_demand_and_from_a_link(views):
    closed = views("Plans")
    assert not [d for d in closed.dataframe if "mou_signed" in d.value.columns]
    opened = open_page("action_plans.py", view="Plans", stage_dates="true")
    dates = next(d.value for d in opened.dataframe if "mou_signed" in d.value.columns)
    assert len(dates) == 10 and dates["lap_id"].is_unique
