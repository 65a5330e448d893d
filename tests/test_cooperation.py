"""Who works with whom, on a hand-counted workbook: filters, country pairs, hub links, the directory, ties."""

import datetime as dt

import pandas as pd
import pytest

from monitoring.engine import cooperation as co
from monitoring.engine.measure import achieved_as_of
from tests.factories import dataset

AS_OF = dt.date(2025, 6, 30)
# P1 Cluj Hub (RO, L1 advanced), P2 Novi Sad Lab (RS, L2 developing), P3 Sofia Cluster (BG, L3 advanced),
# P4 Timisoara Uni (RO, L1): the factory's partners and locations.
ACTIVITIES = [
    {"activity_id": "A1", "date": "2024-02-01", "type": "workshop", "title": "W", "partner_ids": "P1, P2",
     "location_id": "L1", "participants": 10, "cluster": "IT"},
    {"activity_id": "A2", "date": "2024-03-01", "type": "training", "title": "T", "partner_ids": "P1; P4",
     "location_id": "L1", "participants": 5, "cluster": "Industry 4.0"},
    {"activity_id": "A3", "date": "2024-08-01", "type": "exchange", "title": "E", "partner_ids": "P2, P3, P4",
     "location_id": "L3", "participants": 20, "cluster": "IT"},
    {"activity_id": "A4", "date": "10.01.2025", "type": "workshop", "title": "W2", "partner_ids": "P1, P3",
     "location_id": "L2", "participants": 8, "cluster": "Cross-sector"},
    {"activity_id": "A5", "date": "2026-05-01", "type": "event", "title": "Ev", "partner_ids": "P2, P3",
     "location_id": "L2", "participants": 30, "cluster": "IT"},
]  # fmt: skip


@pytest.fixture(scope="module")
def data():
    return dataset(activities=ACTIVITIES)


def ids(acts: pd.DataFrame) -> list[str]:
    return acts["activity_id"].tolist()


def test_only_activities_dated_by_the_as_of_date_count(data):
    assert ids(co.joint_activities(data.tables, co.ActivityFilter(AS_OF))) == ["A1", "A2", "A3", "A4"]
    assert ids(co.joint_activities(data.tables, co.ActivityFilter(dt.date(2024, 2, 29)))) == ["A1"]
    assert len(co.joint_activities(data.tables, co.ActivityFilter(dt.date(2026, 6, 30)))) == 5


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (co.ActivityFilter(AS_OF, types=("workshop",)), ["A1", "A4"]),
        (co.ActivityFilter(AS_OF, clusters=("IT",)), ["A1", "A3"]),
        (co.ActivityFilter(AS_OF, cross_border_only=True), ["A1", "A3", "A4"]),
        # A4 has no Serbian organisation but was held in Novi Sad
        (co.ActivityFilter(AS_OF, country="RS"), ["A1", "A3", "A4"]),
        (co.ActivityFilter(AS_OF, location_id="L3"), ["A3", "A4"]),
        (co.ActivityFilter(AS_OF, types=("workshop",), country="BG"), ["A4"]),
    ],
)
def test_filters_pick_the_activities_a_user_asked_for(data, flt, expected):
    assert ids(co.joint_activities(data.tables, flt)) == expected


def test_each_activity_knows_its_organisations_places_and_whether_it_links_hubs(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF)).set_index("activity_id")
    assert acts.at["A3", "org_locations"] == ("L1", "L2", "L3")
    assert acts.at["A3", "org_countries"] == ("BG", "RO", "RS")
    assert acts.at["A4", "held_country"] == "RS"
    assert acts["hub_link"].to_dict() == {"A1": True, "A2": False, "A3": True, "A4": False}


def test_country_pairs_count_each_activity_once_per_pair(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF))
    pairs = co.country_pairs(acts)
    assert list(pairs.itertuples(index=False, name=None)) == [("BG", "RO", 2), ("RO", "RS", 2), ("BG", "RS", 1)]


def test_country_matrix_is_symmetric_with_zeros_and_no_diagonal(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF, types=("workshop",)))  # A1 RO-RS, A4 BG-RO
    matrix = co.country_matrix(acts, ["BG", "RO", "RS"]).set_index(["country", "partner_country"])["activities"]
    assert matrix.to_dict() == {
        ("BG", "RO"): 1,
        ("BG", "RS"): 0,
        ("RO", "BG"): 1,
        ("RO", "RS"): 1,
        ("RS", "BG"): 0,
        ("RS", "RO"): 1,
    }


def test_hub_links_share_per_reporting_period_up_to_the_as_of_date(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF))
    table = co.hub_links_by_period(acts, data.periods, AS_OF)
    assert table["period"].tolist() == ["P1", "P2", "P3"]  # P4 starts after the as-of date
    assert table["activities"].tolist() == [2, 1, 1]
    assert table["hub_links"].tolist() == [1, 1, 0]
    assert table["share"].tolist() == [0.5, 1.0, 0.0]


def test_a_period_without_activities_has_no_share_rather_than_zero(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF, types=("training",)))  # only A2, in P1
    table = co.hub_links_by_period(acts, data.periods, AS_OF)
    assert table["share"].iloc[0] == 0.0
    assert pd.isna(table["share"].iloc[1])


def test_hub_pairs_join_every_developing_hub_with_every_advanced_one(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF))
    table = co.hub_pairs(data.tables, acts)
    assert list(table[["developing", "advanced", "activities"]].itertuples(index=False, name=None)) == [
        ("L2", "L1", 2),
        ("L2", "L3", 1),
    ]


def test_directory_counts_activities_and_partners_abroad(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF))
    table = co.directory(data.tables, acts).set_index("partner_id")
    assert table.index.tolist() == ["P1", "P2", "P3", "P4"]  # most activities first, then by name
    assert table["activities"].tolist() == [3, 2, 2, 2]
    assert table["cross_border_activities"].tolist() == [2, 2, 2, 1]
    assert table["cross_border_partners"].tolist() == [2, 3, 3, 2]  # P4's Romanian partner P1 does not count
    assert table["partner_countries"].tolist() == [2, 2, 2, 2]
    assert table.at["P4", "first_cross_border"] == pd.Timestamp("2024-08-01")
    assert table.at["P2", "country_name"] == "Serbia"


def test_an_organisation_without_activities_is_still_in_the_directory(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(dt.date(2024, 2, 29)))
    table = co.directory(data.tables, acts).set_index("partner_id")
    assert table.at["P3", "activities"] == 0
    assert pd.isna(table.at["P3", "first_cross_border"])


def test_ties_between_organisations_say_whether_they_cross_a_border(data):
    acts = co.joint_activities(data.tables, co.ActivityFilter(AS_OF))
    ties = co.organisation_ties(data.tables, acts).set_index(["partner_a", "partner_b"])
    assert ties["activities"].to_dict() == {
        ("P1", "P2"): 1,
        ("P1", "P3"): 1,
        ("P1", "P4"): 1,
        ("P2", "P3"): 1,
        ("P2", "P4"): 1,
        ("P3", "P4"): 1,
    }
    assert not ties.at[("P1", "P4"), "cross_border"]
    assert ties["cross_border"].sum() == 5


def test_cross_border_organisations_over_time_end_at_the_indicators_value(data):
    contribs = data.contributions["RCO87"]
    table = co.cumulative_by_date(contribs, AS_OF)
    # A1 brings P1, P2; A3 brings P3, P4 (A2 is Romanian only)
    assert table["date"].dt.date.tolist() == [dt.date(2024, 2, 1), dt.date(2024, 8, 1)]
    assert table["cumulative"].tolist() == [2.0, 4.0]
    assert table["cumulative"].iloc[-1] == achieved_as_of(contribs, AS_OF)
