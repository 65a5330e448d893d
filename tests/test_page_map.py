"""The Map page on the sample: the deck shows the engine's countries, places and links, and follows the filters."""

import json

import pytest

from monitoring.engine import geo
from monitoring.engine.cooperation import ActivityFilter, joint_activities
from monitoring.sheet.parse import country_name
from tests.conftest import open_page, tabs_of


def layers(at) -> dict[str, dict]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    return {layer["id"]: layer for layer in json.loads(charts[0].proto.json)["layers"]}


def as_of(at):
    return at.date_input(key="as_of").value


def engine(sample, day, **kwargs):
    acts = joint_activities(sample.tables, ActivityFilter(day, **kwargs))
    return acts, geo.location_links(sample.tables, acts, cross_border_only=kwargs.get("cross_border_only", False))


@pytest.fixture(scope="module")
def views():
    """The page opened at each of its tabs (?view=...), each opened once for the module."""
    return tabs_of("map.py")


@pytest.fixture(scope="module")
def page():
    """The page as it opens: the map, and the first tab (Most connected)."""
    return open_page("map.py")


def test_the_map_stays_above_the_tabs_and_only_the_chosen_tab_is_drawn(page, views):
    assert [t.label for t in page.tabs] == ["Most connected", "By country", "By place", "All links"]
    assert len(page.get("deck_gl_json_chart")) == 1 and not page.dataframe  # the map and three lists; no table
    assert [s.value for s in page.subheader] == ["Most connected"]
    assert not any(tab.get("deck_gl_json_chart") for tab in page.tabs)  # the map is not in a tab
    assert "view" not in page.query_params  # the first tab is the default: nothing in the link
    by_place = views("By place")
    assert by_place.query_params["view"] == "By place"
    assert [s.value for s in by_place.subheader] == ["By place"]
    assert len(by_place.dataframe) == 1 and "lap_stage" in by_place.dataframe[0].value.columns
    assert "Strongest links between places" not in "\n".join(md.value for md in by_place.markdown)
    assert layers(by_place).keys() == layers(page).keys()  # the headline and the map are the same on every tab
    assert [c.value for c in by_place.caption][:2] == [c.value for c in page.caption][:2]


def test_map_draws_every_country_shape_with_the_project_countries_emphasised(page, sample):
    shapes = layers(page)["countries"]["data"]["features"]
    # Every country around the programme area (project.area) is drawn; not the whole world
    sent = {f["properties"]["code"] for f in shapes}
    assert set(sample.settings.project.area) | {"IT", "PL", "GR", "TR"} <= sent and not sent & {"US", "BR", "AU"}
    project = sorted(f["properties"]["code"] for f in shapes if f["properties"]["project"])
    assert project == geo.project_countries(sample.tables) == ["BA", "BG", "CZ", "HR", "HU", "RO", "RS", "SI"]
    grey = {tuple(f["properties"]["fill"]) for f in shapes if not f["properties"]["project"]}
    assert grey == {(228, 228, 228, 255)}


def test_map_has_a_point_per_location_and_an_arc_per_linked_pair(page, sample):
    acts, links = engine(sample, as_of(page))
    places = geo.location_summary(sample.tables, acts, as_of(page), sample.settings)
    deck = layers(page)
    assert len(deck["locations"]["data"]) == places[["lat", "lon"]].notna().all(axis=1).sum() == 10
    assert len(deck["links"]["data"]) == len(links) == 45
    arcs = {a["name"]: a["detail"] for a in deck["links"]["data"]}
    assert arcs["Cluj-Napoca ↔ Ljubljana"].startswith("25 joint activities")
    busiest = {p["name"]: p["detail"] for p in deck["locations"]["data"]}["Cluj-Napoca"]
    assert "58 joint activities (29 held here, 393 participants)" in busiest


def test_every_pickable_layer_answers_the_one_tooltip(page):
    deck = layers(page)
    tooltip = json.loads(page.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["text"] == "{name}\n{detail}"
    assert all({"name", "detail"} <= set(p) for p in deck["locations"]["data"] + deck["links"]["data"])
    assert all({"name", "detail"} <= set(f["properties"]) for f in deck["countries"]["data"]["features"])
    assert [k for k, layer in deck.items() if layer.get("pickable")] == ["countries", "links", "locations"]


def test_plain_background_is_the_default_and_needs_no_basemap(page):
    spec = json.loads(page.get("deck_gl_json_chart")[0].proto.json)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # pydeck's "no basemap"
    assert next(iter(layers(page))) == "sea"


def test_carto_background_uses_cartos_light_style_without_a_token():
    at = open_page("map.py")
    at.segmented_control(key="basemap").set_value("Carto").run()
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert spec["mapStyle"] == "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"
    assert "sea" not in layers(at)


def test_cross_border_filter_leaves_only_links_between_countries(sample):
    at = open_page("map.py")
    at.toggle(key="cross_border").set_value(True).run()
    _, links = engine(sample, as_of(at), cross_border_only=True)
    arcs = layers(at)["links"]["data"]
    assert len(arcs) == len(links) == 43  # Sofia–Haskovo and Zenica–Tuzla drop out
    assert all("cross-border" in a["detail"] for a in arcs)
    assert "Sofia ↔ Haskovo" not in {a["name"] for a in arcs} and "Haskovo ↔ Sofia" not in {a["name"] for a in arcs}


def test_choosing_a_country_filters_the_map_and_the_tables(sample):
    at = open_page("map.py", view="By country")
    at.selectbox(key="country").select("Serbia").run()
    acts, links = engine(sample, as_of(at), country="RS")
    serbias = geo.links_touching(links, country="RS")
    arcs = layers(at)["links"]["data"]
    assert len(arcs) == len(serbias) == 9  # Novi Sad with each other place
    assert all("Novi Sad" in a["name"] for a in arcs)
    by_country = at.dataframe[0].value.set_index("name")
    expected = geo.country_summary(sample.tables, acts).set_index("name")
    assert by_country["activities"].to_dict() == expected["activities"].to_dict()
    assert by_country.at["Serbia", "activities"] == len(acts) == 44
    selected = next(f for f in layers(at)["countries"]["data"]["features"] if f["properties"]["code"] == "RS")
    assert selected["properties"]["width"] == 3


def test_activity_type_filter_changes_the_links(sample):
    at = open_page("map.py")
    at.multiselect(key="type").set_value(["workshop", "training"]).run()
    _, links = engine(sample, as_of(at), types=("workshop", "training"))
    assert len(layers(at)["links"]["data"]) == len(links)
    assert {a["name"].split(" ↔ ")[0] for a in layers(at)["links"]["data"]} <= set(links["name_a"])


def test_country_table_holds_the_same_numbers_as_the_map(views, sample):
    page = views("By country")
    acts, _ = engine(sample, as_of(page))
    table = page.dataframe[0].value.set_index("name")
    expected = geo.country_summary(sample.tables, acts).set_index("name")
    for column in ("activities", "cross_border_activities", "organisations", "participants", "partner_countries"):
        assert table[column].to_dict() == expected[column].to_dict(), column
    assert table["measure"].to_dict() == expected["activities"].to_dict()
    details = {
        f["properties"]["name"]: f["properties"]["detail"] for f in layers(page)["countries"]["data"]["features"]
    }
    assert details["Bosnia and Herzegovina"].startswith("75 joint activities (61 cross-border)\n6 organisations")


def test_colouring_countries_by_an_indicator_uses_its_breakdown(sample):
    at = open_page("map.py", view="By country")
    at.selectbox(key="measure").select("RCO87").run()
    values = geo.indicator_by_country(sample.contributions["RCO87"], as_of(at))
    table = at.dataframe[0].value.set_index("name")
    assert table["measure"].to_dict() == {
        country_name(c): values.get(c, 0.0) for c in geo.project_countries(sample.tables)
    }
    assert table.at["Bulgaria", "measure"] == 6
    details = {f["properties"]["name"]: f["properties"]["detail"] for f in layers(at)["countries"]["data"]["features"]}
    assert details["Bulgaria"].startswith("RCO87: 6\n72 joint activities")


def test_places_can_be_coloured_by_pilot_stage_or_hub():
    at = open_page("map.py")
    at.pills(key="places").set_value("Hub").run()
    fills = {p["name"]: tuple(p["fill"]) for p in layers(at)["locations"]["data"]}
    assert fills["Novi Sad"] == (240, 228, 66, 255)  # developing: yellow
    assert fills["Brno"] == (213, 94, 0, 255)  # advanced: vermillion
    legend = " ".join(md.value for md in at.markdown)
    assert "Advanced (6)" in legend and "Developing (4)" in legend


def test_most_connected_lists_name_the_strongest_link_and_busiest_place(page):
    text = "\n".join(md.value for md in page.markdown)
    assert "Cluj\\-Napoca ↔ Ljubljana: **25** joint activities" in text
    assert "Cluj\\-Napoca (Romania, advanced): **58** activities" in text


def test_map_page_says_sample_data(page):
    assert any("Sample data" in i.value for i in page.info)


def test_the_list_of_all_links_is_its_own_tab(page, views, sample):
    assert not [d for d in page.dataframe if "name_b" in d.value.columns]
    opened = views("All links")
    _, expected = engine(sample, as_of(opened))
    links = next(d.value for d in opened.dataframe if "name_b" in d.value.columns)
    assert len(links) == len(expected) == 45 and (links["activities"] > 0).all()
    assert links["activities"].tolist() == expected["activities"].tolist()
    assert [s.value for s in opened.subheader] == ["All 45 links between places"]


def test_the_old_all_links_link_opens_the_all_links_tab():
    opened = open_page("map.py", all_links="true")
    assert [s.value for s in opened.subheader] == ["All 45 links between places"]
    assert len(opened.dataframe) == 1 and "name_b" in opened.dataframe[0].value.columns
    assert opened.query_params["view"] == "All links" and "all_links" not in opened.query_params
    opened.run()  # and it stays there on the next run
    assert [s.value for s in opened.subheader] == ["All 45 links between places"]


@pytest.mark.parametrize("empty", ["places", "basemap", "measure"])
def test_an_empty_choice_in_the_link_falls_back_to_the_default(empty):
    at = open_page("map.py", **{empty: ""})
    assert not at.exception
    assert len(at.get("deck_gl_json_chart")) == 1
