"""What the Map page shows, computed without Streamlit: on the hand-counted workbook and on the sample."""

import datetime as dt

import pandas as pd
import pytest

from monitoring.engine import geo
from monitoring.engine.cooperation import ActivityFilter
from monitoring.engine.geo import chosen_filter, describe_filter, filter_choices
from monitoring.views import map as view
from tests.factories import LOCATIONS, dataset
from tests.test_cooperation import ACTIVITIES, AS_OF
from ui.map_layers import fitted_view


@pytest.fixture(scope="module")
def data():
    return dataset(activities=ACTIVITIES)


@pytest.fixture(scope="module")
def numbers(data):
    return view.map_numbers(data.tables, ActivityFilter(AS_OF), data.settings)


def test_filter_options_are_readable_names_that_map_back_to_codes(data):
    choices = filter_choices(data.tables, data.settings)
    assert choices.countries == {"Bulgaria": "BG", "Romania": "RO", "Serbia": "RS"}
    assert choices.places == {"Cluj-Napoca": "L1", "Novi Sad": "L2", "Sofia": "L3"}
    assert choices.types == ["exchange", "training", "workshop", "event"]  # present ones, in the contract's order
    flt = chosen_filter(choices, AS_OF, country="Serbia", place="Sofia", types=["workshop"], cross_border=True)
    assert flt == ActivityFilter(AS_OF, types=("workshop",), cross_border_only=True, country="RS", location_id="L3")
    assert chosen_filter(choices, AS_OF) == ActivityFilter(AS_OF)


def test_two_places_with_one_name_are_told_apart_by_their_id():
    twin = {**LOCATIONS[1], "location_id": "L9", "name": "Cluj-Napoca"}
    twins = dataset(locations=[*LOCATIONS, twin])
    choices = filter_choices(twins.tables, twins.settings)
    assert choices.places["Cluj-Napoca (L1)"] == "L1" and choices.places["Cluj-Napoca (L9)"] == "L9"


def test_the_filter_in_words(data):
    assert describe_filter(ActivityFilter(AS_OF), data.tables) == "all joint activities"
    flt = ActivityFilter(
        AS_OF, types=("workshop", "training"), clusters=("IT",), cross_border_only=True, location_id="L2"
    )
    assert (
        describe_filter(flt, data.tables) == "involving Novi Sad · workshop, training · cluster IT · cross-border only"
    )


def test_headline_names_the_strongest_link_busiest_place_and_country(numbers):
    line = view.headline(numbers)
    assert line.link == ("Cluj-Napoca", "Novi Sad") and line.link_activities == 2
    assert (line.place, line.place_activities) == ("Cluj-Napoca", 4)
    assert (line.country, line.country_activities) == ("Romania", 4)


def test_no_headline_without_links(data):
    assert view.headline(view.map_numbers(data.tables, ActivityFilter(dt.date(2024, 1, 1)), data.settings)) is None


def test_choosing_a_place_keeps_only_its_links(data):
    numbers = view.map_numbers(data.tables, ActivityFilter(AS_OF, location_id="L3"), data.settings)
    assert set(zip(numbers.links["location_a"], numbers.links["location_b"], strict=True)) == {
        ("L1", "L3"),
        ("L2", "L3"),
    }


def test_countries_coloured_by_a_count_show_it_in_the_table(data, numbers):
    colouring = view.country_colouring(numbers.countries, "activities", data.contributions, AS_OF)
    assert colouring.values == {"RO": 4.0, "RS": 3.0, "BG": 2.0}
    assert colouring.table.set_index("name")["measure"].to_dict() == {"Romania": 4, "Serbia": 3, "Bulgaria": 2}
    assert colouring.details["RS"].startswith("3 joint activities (3 cross-border)")
    assert colouring.meaning == "joint activities involving the country"


def test_countries_coloured_by_an_indicator_put_its_value_first(data, numbers):
    code = next(i.code for i in data.settings.indicators if i.measure.column == "partner_ids")
    colouring = view.country_colouring(numbers.countries, code, data.contributions, AS_OF)
    # A1 brings P1 (RO), P2 (RS); A3 brings P3 (BG), P4 (RO): distinct organisations per country
    assert colouring.values == {"RO": 2.0, "RS": 1.0, "BG": 1.0}
    assert colouring.details["RO"].startswith(f"{code}: 2\n4 joint activities")
    assert colouring.meaning == code  # no progress given: the code itself


def test_class_edges_are_round_and_cover_the_values():
    assert view.class_edges([44, 75]) == [40, 50, 60, 70, 80]
    assert view.class_edges([3, 3]) == [3.0, 3.0]
    assert view.class_labels([40, 50, 60]) == ["40 – 50", "50 – 60"]
    assert [view.class_of(v, [40, 50, 60]) for v in (40, 49.9, 50, 60)] == [0, 0, 1, 1]
    assert view.country_legend([40, 50, 60])[-1] == (view.OTHER_COUNTRY, "not a project country")


def test_places_legend_counts_the_hubs(data, numbers):
    title, rows = view.place_legend(numbers.places, "Hub", data.settings)
    assert title == "Places: hub (how many)"
    assert rows == [(view.HUB_COLOURS["advanced"], "Advanced (2)"), (view.HUB_COLOURS["developing"], "Developing (1)")]


def test_link_widths_run_from_one_to_six_pixels_so_links_do_not_cover_the_places(numbers):
    arcs = view.link_rows(numbers.links)
    assert arcs["width"].tolist() == [6.0, 6.0, 3.5]
    assert view.width_samples(arcs) == [(3.5, "1"), (6.0, "2")]
    assert view.width_samples(arcs.iloc[0:0]) == []


def test_a_place_without_coordinates_is_noted_not_drawn():
    unplaced = {**LOCATIONS[2], "lat": "", "lon": ""}
    data = dataset(locations=[*LOCATIONS[:2], unplaced], activities=ACTIVITIES)
    numbers = view.map_numbers(data.tables, ActivityFilter(AS_OF), data.settings)
    assert "Sofia" not in view.location_points(numbers.places, "Action plan", data.settings)["name"].tolist()
    notes = view.map_notes({"RO": 1.0, "XX": 1.0}, geo.load_countries(), numbers.places)
    assert notes == ["no shape for XX", "not drawn, coordinates missing: Sofia"]


def test_most_connected_lists(numbers):
    assert view.strongest_links(numbers.links, 2) == [("Cluj-Napoca", "Novi Sad", 2), ("Cluj-Napoca", "Sofia", 2)]
    assert view.busiest_places(numbers.places, 1) == [("Cluj-Napoca", "Romania", "advanced", 4, 2)]
    assert view.most_cross_border(numbers.countries, 1) == [("Romania", 3, 2)]


def test_the_cooperation_link_keeps_date_country_and_place():
    flt = ActivityFilter(AS_OF, country="RS", location_id="L2")
    assert view.cooperation_query(flt, "Novi Sad") == {
        "as_of": "2025-06-30",
        "country": "Serbia",
        "location": "Novi Sad",
    }
    assert view.cooperation_query(ActivityFilter(AS_OF), None) == {"as_of": "2025-06-30"}


def test_the_view_is_fitted_by_pydeck_to_the_samples_places(sample):
    places = sample.tables["locations"]
    fitted = fitted_view(places)
    assert places["lat"].min() < fitted.latitude < places["lat"].max()
    assert places["lon"].min() < fitted.longitude < places["lon"].max()
    assert fitted.zoom == pytest.approx(4.54, abs=0.25)  # what the hand-written Web Mercator fit gave


def test_a_map_without_places_shows_the_danube_region_and_one_place_is_not_a_street():
    places = pd.DataFrame(LOCATIONS)
    assert fitted_view(places.iloc[0:0]).zoom == 4.6
    assert fitted_view(places.iloc[0:1]).zoom <= 8


def test_the_map_fits_the_programme_area_not_a_place_outside_it():
    from ui.map_layers import places_deck

    lyon = {"location_id": "L9", "name": "Lyon", "country": "FR", "lat": 45.76, "lon": 4.84}
    data = dataset(activities=ACTIVITIES, locations=[*LOCATIONS, lyon])
    numbers = view.map_numbers(data.tables, ActivityFilter(AS_OF), data.settings)
    points = view.location_points(numbers.places, "Pilot", data.settings)
    assert dict(zip(points["name"], points["in_area"], strict=True))["Lyon"] == False  # noqa: E712
    deck = places_deck({"type": "FeatureCollection", "features": []}, points, view.link_rows(numbers.links), "Plain")
    inside = fitted_view(points[points["name"] != "Lyon"])
    assert (deck.initial_view_state.longitude, deck.initial_view_state.zoom) == (inside.longitude, inside.zoom)
