"""Places for the map, on a hand-counted workbook; and the bundled country shapes."""

import datetime as dt
import json

import pytest

from monitoring.engine import geo
from monitoring.engine.cooperation import ActivityFilter, joint_activities
from tests.factories import LOCATIONS, PARTNERS, dataset, settings
from tests.test_cooperation import ACTIVITIES, AS_OF

# A second Romanian location, so a link can stay inside one country.
TIMISOARA = {"location_id": "L4", "name": "Timișoara", "country": "RO", "lat": 45.75, "lon": 21.23, "hub": "developing"}
P5 = {"partner_id": "P5", "name": "Bega Labs", "country": "RO", "role": "other", "location_id": "L4"}


@pytest.fixture(scope="module")
def data():
    return dataset(activities=ACTIVITIES)


def acts_of(data, **kwargs):
    return joint_activities(data.tables, ActivityFilter(kwargs.pop("as_of", AS_OF), **kwargs))


def test_country_numbers_follow_the_activities(data):
    table = geo.country_summary(data.tables, acts_of(data)).set_index("country")
    assert table.index.tolist() == ["RO", "RS", "BG"]  # most activities first
    assert table["name"].tolist() == ["Romania", "Serbia", "Bulgaria"]
    assert table["activities"].tolist() == [4, 3, 2]  # RS: A1, A3 and A4 (held in Novi Sad)
    assert table["cross_border_activities"].tolist() == [3, 3, 2]
    assert table["organisations"].tolist() == [2, 1, 1]
    assert table["participants"].tolist() == [15, 8, 20]  # of the activities held in the country
    assert table["partner_countries"].tolist() == [2, 2, 2]
    assert table["locations"].tolist() == [1, 1, 1]


def test_a_country_with_nothing_yet_is_listed_with_zeros(data):
    table = geo.country_summary(data.tables, acts_of(data, as_of=dt.date(2024, 2, 15))).set_index("country")
    assert table.loc["BG", ["activities", "organisations", "participants", "partner_countries"]].tolist() == [
        0,
        0,
        0,
        0,
    ]


def test_location_numbers_follow_the_activities(data):
    table = geo.location_summary(data.tables, acts_of(data), AS_OF, data.settings).set_index("location_id")
    assert table.index.tolist() == ["L1", "L2", "L3"]
    assert table["activities"].tolist() == [4, 3, 2]
    assert table["held"].tolist() == [2, 1, 1]
    assert table["participants"].tolist() == [15, 8, 20]
    assert table["linked_locations"].tolist() == [2, 2, 2]
    assert table["organisations"].tolist() == [2, 1, 1]
    assert table.at["L2", "hub"] == "developing"


def test_links_between_locations_count_joint_activities(data):
    links = geo.location_links(data.tables, acts_of(data))
    assert list(links[["location_a", "location_b", "activities"]].itertuples(index=False, name=None)) == [
        ("L1", "L2", 2),
        ("L1", "L3", 2),
        ("L2", "L3", 1),
    ]
    first = links.iloc[0]
    assert (first["name_a"], first["name_b"], first["lat_b"], first["lon_b"]) == (
        "Cluj-Napoca",
        "Novi Sad",
        45.27,
        19.83,
    )


def test_cross_border_links_leave_out_pairs_inside_one_country():
    data = dataset(
        partners=[*PARTNERS, P5],
        locations=[*LOCATIONS, TIMISOARA],
        activities=[
            {"activity_id": "B1", "date": "2024-05-01", "type": "workshop", "title": "x", "partner_ids": "P1, P5, P2"},
            {"activity_id": "B2", "date": "2024-06-01", "type": "workshop", "title": "y", "partner_ids": "P1, P5"},
        ],
    )
    acts = acts_of(data)
    every = geo.location_links(data.tables, acts).set_index(["location_a", "location_b"])["activities"]
    assert every.to_dict() == {("L1", "L4"): 2, ("L1", "L2"): 1, ("L2", "L4"): 1}
    cross = geo.location_links(data.tables, acts, cross_border_only=True)
    assert cross["cross_border"].all()
    assert set(zip(cross["location_a"], cross["location_b"], strict=True)) == {("L1", "L2"), ("L2", "L4")}


PLANS = [
    {"lap_id": "LAP1", "location_id": "L1", "title": "Cluj plan", "stakeholders_identified": "2024-02-01",
     "ldg_activated": "2024-04-01", "mou_signed": "2024-09-01", "lap_adopted": "2025-05-01"},
    {"lap_id": "LAP2", "location_id": "L2", "title": "Novi Sad plan"},
]  # fmt: skip
PILOTS = [
    {"pilot_id": "PIL1", "title": "a", "cluster": "IT", "location_id": "L1", "lead_partner_id": "P1",
     "stage": "validated", "start": "2024-05-01", "end": "2025-03-01", "validated_on": "2025-09-01"},
    {"pilot_id": "PIL2", "title": "b", "cluster": "IT", "location_id": "L1", "lead_partner_id": "P1", "stage": "selected"},
    {"pilot_id": "PIL3", "title": "c", "cluster": "IT", "location_id": "L3", "lead_partner_id": "P3", "stage": "completed"},
]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 1, 15), {"L1": "not started", "L2": "not started"}),
        (dt.date(2024, 6, 30), {"L1": "ldg_activated", "L2": "not started"}),
        (dt.date(2025, 6, 30), {"L1": "lap_adopted", "L2": "not started"}),  # a skipped stage does not matter
    ],
)
def test_an_action_plans_stage_is_the_furthest_one_dated_by_then(day, expected):
    data = dataset(action_plans=PLANS)
    assert geo.lap_stage_as_of(data.tables["action_plans"], day, data.settings.lifecycle("action_plans")) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 3, 1), "methodology"),  # before its start: not yet implementing
        (dt.date(2024, 12, 31), "implementation"),
        (dt.date(2025, 6, 30), "completed"),
        (dt.date(2025, 10, 1), "validated"),
    ],
)
def test_a_pilots_stage_steps_back_to_what_its_dates_say_on_the_day(day, expected):
    pilots = dataset(pilots=PILOTS).tables["pilots"].set_index("pilot_id")
    assert geo.pilot_stage(pilots.loc["PIL1"], day, settings().lifecycle("pilots")) == expected


def test_a_location_shows_its_furthest_pilot_and_undated_stages_as_the_sheet_says():
    pilots = dataset(pilots=PILOTS).tables["pilots"]
    assert geo.pilot_stage_as_of(pilots, dt.date(2024, 3, 1), settings().lifecycle("pilots")) == {
        "L1": "methodology",
        "L3": "completed",
    }
    assert geo.pilot_stage_as_of(pilots, dt.date(2025, 6, 30), settings().lifecycle("pilots")) == {
        "L1": "completed",
        "L3": "completed",
    }


def test_location_summary_carries_the_stages_as_of_the_date():
    data = dataset(action_plans=PLANS, pilots=PILOTS)
    table = geo.location_summary(data.tables, acts_of(data), AS_OF, data.settings).set_index("location_id")
    # L2's plan has no stage dated yet; L3 has no plan at all, so it is not drawn as a plan "not started".
    assert table["lap_stage"].to_dict() == {"L1": "lap_adopted", "L2": "not started", "L3": "no plan"}
    assert table["pilot_stage"].to_dict() == {"L1": "completed", "L2": "no pilot", "L3": "completed"}


def test_indicator_by_country_matches_the_breakdown(data):
    # RCO87: P1, P2 (A1), P3, P4 (A3): two Romanian organisations
    assert geo.indicator_by_country(data.contributions["RCO87"], AS_OF) == {"RO": 2.0, "RS": 1.0, "BG": 1.0}


def test_organisations_sharing_a_location_are_spread_around_it():
    data = dataset(partners=[*PARTNERS, {**P5, "location_id": "", "lat": 45.0, "lon": 21.0}])
    spots = geo.organisation_positions(data.tables, radius=0.5)
    assert spots.index.tolist() == ["P1", "P2", "P3", "P4", "P5"]
    assert tuple(spots.loc["P2"]) == (45.27, 19.83)  # alone at Novi Sad: on it
    assert tuple(spots.loc["P5"]) == (45.0, 21.0)  # no location: its own coordinates
    p1, p4 = spots.loc["P1"], spots.loc["P4"]  # both at Cluj-Napoca (46.77, 23.6)
    assert p1["lat"] == pytest.approx(46.77 + 0.5) and p1["lon"] == pytest.approx(23.6)
    assert p4["lat"] == pytest.approx(46.77 - 0.5) and p4["lon"] == pytest.approx(23.6, abs=1e-6)


def test_bundled_country_shapes_cover_every_country_micro_states_included_in_at_most_2_mb():
    assert geo.COUNTRIES_PATH.stat().st_size < 2_000_000
    shapes = geo.load_countries()
    codes = [f["properties"]["code"] for f in shapes["features"]]
    assert len(codes) == len(set(codes))
    # Every shape of Natural Earth 1:50m with an ISO 3166-1 code (world-atlas 2.0.2 countries-50m: 241 shapes, 5
    # without a code, Kosovo given XK, Australia's two merged): 236 countries.
    assert len(codes) == 236
    assert {"LI", "MC", "SM", "VA", "AD", "MT", "LU", "SG", "FR", "US", "JP", "BR"} <= set(codes)
    # Natural Earth draws Kosovo apart from Serbia; both are kept, under their own codes
    assert {"RS", "XK"} <= set(codes)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in shapes["features"]}
    assert names["XK"] == "Kosovo" and names["BA"] == "Bosnia and Herzegovina" and names["LI"] == "Liechtenstein"
    # Which countries are a programme's is configuration (project.area), not a flag in the data
    assert {key for f in shapes["features"] for key in f["properties"]} == {"code", "name"}


def test_bundled_shapes_are_closed_rounded_polygons_on_the_globe():
    for feature in geo.load_countries()["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for lon, lat in ring:
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                    assert round(lon, 3) == lon and round(lat, 3) == lat


def test_a_map_sends_only_the_countries_around_its_area():
    shapes = geo.shapes_around(geo.load_countries(), ["LI", "MC", "AT"], [(9.52, 47.14)])
    codes = {f["properties"]["code"] for f in shapes["features"]}
    assert {"LI", "MC", "AT", "CH", "FR", "IT"} <= codes
    assert not codes & {"US", "JP", "BR", "AU"}
    assert len(geo.shapes_around(geo.load_countries(), [], [])["features"]) == 236  # nothing to go by: all


def test_load_countries_gives_a_fresh_copy_each_time():
    first = geo.load_countries()
    first["features"][0]["properties"]["fill"] = [1, 2, 3]
    assert "fill" not in geo.load_countries()["features"][0]["properties"]
    assert json.loads(geo.COUNTRIES_PATH.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_the_shapes_script_decodes_topojson_arcs_and_simplifies_rings():
    from scripts import make_countries as mc

    topology = {
        "transform": {"scale": [0.5, 0.5], "translate": [10, 40]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    }
    arcs = mc.decoded_arcs(topology)
    assert arcs[0] == [(10.0, 40.0), (11.0, 40.0), (11.0, 41.0)]
    assert mc.ring_of([0, 1], arcs) == [(10.0, 40.0), (11.0, 40.0), (11.0, 41.0), (10.0, 41.0), (10.0, 40.0)]
    assert mc.ring_of([~1], arcs)[0] == (10.0, 40.0)
    wiggly = [(0.0, 0.0), (1.0, 0.001), (2.0, -0.001), (3.0, 0.0), (3.0, 3.0)]
    assert mc.simplify(wiggly, 0.01) == [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0)]
    tiny = [(7.411, 43.72), (7.416, 43.72), (7.418, 43.725), (7.412, 43.726), (7.411, 43.72)]  # a Monaco
    assert mc.tidy(tiny, keep_small=True) is not None and mc.tidy(tiny, keep_small=False) is None


def test_a_chosen_country_or_place_keeps_only_its_own_links(data):
    links = geo.location_links(data.tables, acts_of(data))
    assert geo.links_touching(links)["activities"].tolist() == [2, 2, 1]
    serbia = geo.links_touching(links, country="RS")
    assert set(zip(serbia["location_a"], serbia["location_b"], strict=True)) == {("L1", "L2"), ("L2", "L3")}
    assert geo.links_touching(links, country="RS", location_id="L3")[["location_a", "location_b"]].values.tolist() == [
        ["L2", "L3"]
    ]
