"""The Cooperation page on the sample: matrix, hub links, RCO87 and the network show the engine's numbers."""

import json

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from monitoring.engine import cooperation as co
from monitoring.engine import geo
from monitoring.engine.measure import achieved_as_of
from monitoring.views.cooperation import cooperation_indicator
from tests.conftest import open_page, tabs_of


def as_of(at):
    return at.date_input(key="as_of").value


def chart_tables(chart) -> list[list[dict]]:
    """Every data table of a vega-lite chart: inline in the spec, or sent beside it as Arrow."""
    tables = list(json.loads(chart.proto.spec).get("datasets", {}).values())
    arrow = [d.data.data for d in chart.proto.datasets] + ([chart.proto.data.data] if chart.proto.data.data else [])
    tables += [convert_arrow_bytes_to_pandas_df(b).to_dict("records") for b in arrow]
    return tables


def chart_rows(at, key: str) -> list[dict]:
    """The rows of the one vega-lite chart whose data has column `key`."""
    found = [rows for chart in at.get("vega_lite_chart") for rows in chart_tables(chart) if rows and key in rows[0]]
    assert len(found) == 1, f"{len(found)} charts with {key}"
    return found[0]


def network(at) -> dict[str, list]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return {layer["id"]: layer["data"] for layer in json.loads(charts[0].proto.json)["layers"]}


@pytest.fixture(scope="module")
def views():
    """The page opened at each of its tabs (?view=...), each opened once for the module."""
    return tabs_of("cooperation.py")


@pytest.fixture(scope="module")
def page(views):
    return views("Countries")


def test_only_the_chosen_tab_is_computed_and_drawn(views):
    first = open_page("cooperation.py")
    assert len(first.get("vega_lite_chart")) == 1  # the country matrix; no map, no other chart, no table
    assert not first.get("deck_gl_json_chart") and not first.dataframe
    assert [m.label for m in first.metric][:2] == ["Organisations taking part", "Working across borders"]
    network = views("Network")
    assert len(network.get("deck_gl_json_chart")) == 1 and not network.get("vega_lite_chart")
    assert network.query_params["view"] == "Network"
    assert [m.value for m in network.metric] == [m.value for m in first.metric]  # the headline stays above the tabs


def test_country_matrix_shows_the_engines_joint_activities(page, sample):
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(page)))
    expected = co.country_matrix(acts, geo.project_countries(sample.tables))
    shown = {(r["country"], r["partner_country"]): r["activities"] for r in chart_rows(page, "partner_country")}
    assert shown == dict(
        zip(zip(expected["country"], expected["partner_country"], strict=True), expected["activities"], strict=True)
    )
    assert len(shown) == 8 * 7
    assert shown[("BA", "BG")] == shown[("BG", "BA")] == 34


def test_matrix_cells_carry_their_number_as_text(page):
    spec = next(json.loads(c.proto.spec) for c in page.get("vega_lite_chart") if "partner_name" in c.proto.spec)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "text"]
    assert spec["layer"][1]["encoding"]["text"]["field"] == "activities"


def test_hub_links_share_per_period_matches_the_engine(views, sample):
    page = views("Hubs")
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(page)))
    expected = co.hub_links_by_period(acts, sample.periods, as_of(page))
    rows = chart_rows(page, "hub_links")
    assert [(r["period"], r["hub_links"], r["activities"]) for r in rows] == list(
        zip(expected["period"], expected["hub_links"], expected["activities"], strict=True)
    )
    assert rows[0]["label"] == "55% (12 of 22)"


def test_hub_pairs_grid_matches_the_engine(views, sample):
    page = views("Hubs")
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(page)))
    expected = co.hub_pairs(sample.tables, acts)
    rows = chart_rows(page, "developing_name")
    assert [(r["developing"], r["advanced"], r["activities"]) for r in rows] == list(
        zip(expected["developing"], expected["advanced"], expected["activities"], strict=True)
    )
    assert len(rows) == 4 * 6


def test_rco87_line_ends_at_the_overviews_number(views, sample):
    page = views("RCO87")
    rows = chart_rows(page, "cumulative")
    expected = achieved_as_of(sample.contributions["RCO87"], as_of(page))
    assert rows[-1]["cumulative"] == expected == 30
    assert chart_rows(page, "target")[0]["target"] == 30
    assert [m.value for m in page.metric if m.label == "Achieved"] == ["30"]


def test_network_has_every_placed_organisation_and_the_strongest_ties(views, sample):
    page = views("Network")
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(page)))
    ties = co.organisation_ties(sample.tables, acts)
    least = page.slider(key="least_ties").value
    layers = network(page)
    assert len(layers["organisations"]) == len(geo.organisation_positions(sample.tables)) == 30
    assert len(layers["ties"]) == int((ties["activities"] >= least).sum()) <= 60
    assert least == 6  # the smallest threshold that keeps the picture readable (60 ties or fewer)


def test_lowering_the_threshold_shows_more_ties(sample):
    at = open_page("cooperation.py", view="Network")
    at.slider(key="least_ties").set_value(2).run()
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(at)))
    ties = co.organisation_ties(sample.tables, acts)
    assert len(network(at)["ties"]) == int((ties["activities"] >= 2).sum()) == 242


def test_directory_lists_every_organisation_with_its_activity(views, sample):
    page = views("Directory")
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(page)))
    expected = co.directory(sample.tables, acts)
    table = page.dataframe[0].value
    assert table["name"].tolist() == expected["name"].tolist()
    assert table["activities"].tolist() == expected["activities"].tolist()
    assert table["cross_border_partners"].tolist() == expected["cross_border_partners"].tolist()
    assert len(table) == 30


def test_choosing_a_country_filters_matrix_network_and_directory(sample):
    at = open_page("cooperation.py")
    at.selectbox(key="country").select("Croatia").run()
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(at), country="HR"))
    expected = co.country_matrix(acts, geo.project_countries(sample.tables))
    shown = {(r["country"], r["partner_country"]): r["activities"] for r in chart_rows(at, "partner_country")}
    assert shown == dict(
        zip(zip(expected["country"], expected["partner_country"], strict=True), expected["activities"], strict=True)
    )
    assert any("47" in c.value and "joint activities" in c.value for c in at.caption)
    at.query_params["view"] = "Directory"  # the filter is kept when moving to another tab
    at.run()
    assert at.selectbox(key="country").value == "Croatia"
    assert at.dataframe[0].value["activities"].tolist() == co.directory(sample.tables, acts)["activities"].tolist()


def test_cross_border_filter_keeps_only_ties_across_borders(sample):
    at = open_page("cooperation.py", view="Network")
    at.toggle(key="cross_border").set_value(True).run()
    at.slider(key="least_ties").set_value(1).run()
    acts = co.joint_activities(sample.tables, co.ActivityFilter(as_of(at), cross_border_only=True))
    ties = co.organisation_ties(sample.tables, acts)
    shown = network(at)["ties"]
    assert len(shown) == int(ties["cross_border"].sum())
    assert all("cross-border" in t["detail"] for t in shown)


def test_cooperation_page_says_sample_data(page):
    assert any("Sample data" in i.value for i in page.info)


def test_the_indicator_tab_is_labelled_by_the_configured_cooperation_indicator(views, sample):
    indicator = cooperation_indicator(sample.settings.indicators)
    assert indicator.code == "RCO87"
    page = views("RCO87")  # links from before keep opening the tab
    assert [t.label for t in page.tabs] == ["Countries", "Hubs", "RCO87", "Network", "Directory"]
    assert [s.value for s in page.subheader] == [f"{indicator.name} (RCO87)"]
