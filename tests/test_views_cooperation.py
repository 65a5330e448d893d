"""What the Cooperation page shows, computed without Streamlit: on the hand-counted workbook and on the sample."""

import pandas as pd
import pytest

from monitoring.engine.cooperation import ActivityFilter
from monitoring.views import cooperation as view
from tests.factories import dataset
from tests.test_cooperation import ACTIVITIES, AS_OF


@pytest.fixture(scope="module")
def data():
    return dataset(activities=ACTIVITIES)


@pytest.fixture(scope="module")
def numbers(data):
    return view.cooperation_numbers(data.tables, ActivityFilter(AS_OF))


def test_the_cooperation_indicator_is_found_by_its_measure_not_its_code(data):
    found = view.cooperation_indicator(data.settings.indicators)
    assert (found.measure.tab, found.measure.agg, found.measure.column) == (
        "activities",
        "count_distinct",
        "partner_ids",
    )
    others = [i for i in data.settings.indicators if i is not found]
    assert view.cooperation_indicator(others) is None


def test_headline_counts(numbers):
    assert (numbers.taking_part, numbers.across_borders, len(numbers.directory)) == (4, 4, 4)
    assert numbers.countries == ["BG", "RO", "RS"] and numbers.possible_pairs == 3
    assert numbers.hub_share == 0.5  # A1 and A3 join Novi Sad (developing) with an advanced hub; A2 and A4 do not
    assert view.strongest_pairs(numbers.pairs, 1) == [("Bulgaria", "Romania", 2)]


def test_no_activities_means_no_hub_share(data):
    empty = view.cooperation_numbers(data.tables, ActivityFilter(AS_OF, types=("steering committee",)))
    assert empty.hub_share is None and empty.taking_part == 0


def test_hub_link_shares_are_labelled(data, numbers):
    shares = view.hub_link_shares(numbers.acts, data.periods, AS_OF)
    assert shares["label"].tolist() == ["50% (1 of 2)", "100% (1 of 1)", "0% (0 of 1)"]
    assert shares["percent"].tolist() == [50.0, 100.0, 0.0]


def test_the_indicator_line_runs_from_the_baseline_to_the_achieved_value(data):
    ind = view.cooperation_indicator(data.settings.indicators)
    progress = next(p for p in data.progress(AS_OF) if p.code == ind.code)
    line = view.indicator_line(
        progress, data.contributions[ind.code], data.tables["milestones"], data.periods, data.settings.project, AS_OF
    )
    assert line.achieved["cumulative"].tolist() == [0.0, 2.0, 4.0, 4.0]
    assert line.achieved["date"].iloc[-1] == pd.Timestamp(AS_OF)
    assert line.target.to_dict("records") == [{"target": progress.target, "label": f"target {progress.target:g}"}]
    assert line.planned.empty  # the workbook has no milestones
    assert (line.start, line.end) == (
        pd.Timestamp(data.settings.project.start),
        pd.Timestamp(data.settings.project.end),
    )


def test_the_network_opens_at_the_smallest_readable_threshold(sample):
    acts = view.cooperation_numbers(sample.tables, ActivityFilter(sample.default_as_of())).acts
    ties = view.network_ties(sample.tables, acts, cross_border_only=False)
    assert ties.default_least == 6
    assert (ties.ties["activities"] >= 6).sum() <= view.MOST_TIES < (ties.ties["activities"] >= 5).sum()


def test_cross_border_network_keeps_only_ties_across_borders(data, numbers):
    every = view.network_ties(data.tables, numbers.acts, cross_border_only=False)
    across = view.network_ties(data.tables, numbers.acts, cross_border_only=True)
    assert len(every.ties) == 6 and len(across.ties) == 5
    assert across.most == 2 and across.default_least == 1


def test_network_map_draws_the_ties_of_at_least_the_threshold(data, numbers):
    ties = view.network_ties(data.tables, numbers.acts, cross_border_only=False).ties
    shown = view.network_map(data.tables, numbers.directory, ties, 1, numbers.countries)
    assert len(shown.nodes) == 4 and len(shown.lines) == 6  # every pair of the four met once
    assert view.network_map(data.tables, numbers.directory, ties, 2, numbers.countries).lines.empty
    assert sorted(f["properties"]["code"] for f in shown.shapes["features"] if f["properties"]["project"]) == [
        "BG",
        "RO",
        "RS",
    ]
    assert shown.hubs["name"].tolist() == ["Cluj-Napoca", "Novi Sad", "Sofia"]


def test_org_type_legend_lists_types_present_then_others(numbers):
    typed = numbers.directory.assign(org_type=["university", "NGO", "space agency", "university"])
    assert view.org_type_legend(typed) == [
        (view.ORG_TYPE_COLOURS["university"], "university"),
        (view.ORG_TYPE_COLOURS["NGO"], "NGO"),
        (view.OTHER_ORG_TYPE, "other or not given"),
    ]


def test_directory_table_leaves_out_codes(numbers):
    assert {"country", "partner_id"}.isdisjoint(view.directory_table(numbers.directory).columns)
