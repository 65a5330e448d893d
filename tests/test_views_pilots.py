"""What the Pilots page shows, computed without Streamlit: the explanation of each indicator from its own
conditions in indicators.yaml, the filters, the headline, what is stalled, and the rows of its tabs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from monitoring.model.config import Condition
from monitoring.model.contract import CLUSTERS
from monitoring.views import common
from monitoring.views import pilots as view
from tests import factories
from tests.test_pipelines import pilot

DAY = dt.date(2025, 6, 30)


def sample_pilots():
    """PIL1 Romanian only; PIL2 counted; PIL3 still running; PIL4 ends after the day; PIL5 has no dates."""
    return factories.dataset(
        pilots=[
            pilot("PIL1", "completed", partner_ids="P4", start="2024-06-01", end="2025-03-01"),
            pilot("PIL2", "validated", start="2024-06-01", end="2025-03-01", validated_on="2025-04-01",
                  solution="Data toolkit", replicated_in="L3"),
            pilot("PIL3", "implementation", location_id="L2", cluster="Industry 4.0", start="2024-09-01"),
            pilot("PIL4", "completed", start="2024-06-01", end="2025-09-01"),
            pilot("PIL5", "methodology", title="Pilot *bold* in Sofia", location_id="L3"),
        ]
    )  # fmt: skip


def explanation(data, code: str) -> common.Explanation:
    return next(ex for ex in common.explanations(data, view.TAB, DAY) if ex.code == code)


def test_the_indicators_explained_are_those_measured_on_the_tab_and_their_results() -> None:
    settings = factories.settings()
    assert [i.code for i in common.indicators_on(settings, "pilots")] == ["RCO84", "RCO116", "RCR104"]
    assert [i.code for i in common.indicators_on(settings, "action_plans")] == ["RCO83", "RCR79"]


def test_each_pilot_is_told_which_condition_of_the_indicator_it_fails() -> None:
    ex = explanation(sample_pilots(), "RCO84")
    assert ex.value == 1 and ex.target == 10
    assert ex.name == "Pilot actions developed jointly and implemented in projects"
    stage, countries = ex.conditions
    assert stage.text == "stage in completed, validated"
    assert stage.failed == ("PIL3", "PIL5")
    assert countries.text == "countries at least 2"
    assert countries.failed == ("PIL1",)  # P1 and P4 are both Romanian
    assert ex.reasons == {
        "PIL1": "not counted: fails countries at least 2",
        "PIL2": "counted",
        "PIL3": "not counted: fails stage in completed, validated",
        "PIL4": "not counted: end after the as-of day",
        "PIL5": "not counted: fails stage in completed, validated",
    }


def test_condition_notes_list_who_fails_and_who_waits_for_its_date() -> None:
    notes = common.condition_notes(explanation(sample_pilots(), "RCO84"), str)
    assert notes == [
        "*stage in completed, validated*: 3 of 5 pass; fail: PIL3, PIL5",
        "*countries at least 2*: 4 of 5 pass; fail: PIL1",
        "Not counted yet, end after the as-of day: PIL4",
    ]


def test_conditions_are_described_as_declared() -> None:
    assert common.describe(Condition(column="cross_border", equals=True)) == "cross_border equals true"
    assert common.describe(Condition(column="type", not_in=["training"])) == "type not in training"
    assert common.describe(Condition(column="lap_adopted", not_empty=True)) == "lap_adopted not empty"
    assert common.describe(Condition(column="countries", at_least=2.5)) == "countries at least 2.5"


def test_headline_shows_the_code_name_value_and_target_with_the_name_escaped() -> None:
    ex = explanation(sample_pilots(), "RCO116")
    line = common.headline(ex, lambda text: f"<{text}>")
    assert line == "**RCO116** <Jointly developed solutions>: **1** of 6"


def test_solutions_are_named_by_their_item_and_reported_results_by_date_and_place() -> None:
    data = sample_pilots()
    place = common.place_namer(data)
    assert view.counted_names(explanation(data, "RCO116"), str, place) == "Data toolkit (PIL2)"
    assert view.counted_names(explanation(data, "RCR104"), str, place) == "none yet"


def test_filters_keep_pilots_replicated_in_a_place_and_sort_stalled_first() -> None:
    data = sample_pilots()
    pilots = view.pilots_on(data, DAY)
    assert view.place_options(data, pilots) == ["Cluj-Napoca", "Novi Sad", "Sofia"]
    assert view.cluster_options(data, pilots) == list(CLUSTERS)
    assert view.chosen(pilots, [], ["Sofia"], [])["pilot_id"].tolist() == ["PIL5", "PIL2"]
    everything = view.chosen(pilots, [], [], [])
    # Stalled first, longest in the stage first: PIL4 394 days, PIL3 302, PIL1 121 awaiting validation.
    assert everything["pilot_id"].tolist() == ["PIL4", "PIL3", "PIL1", "PIL5", "PIL2"]
    stages = view.lifecycle(data)
    assert view.headline(view.chosen(pilots, ["IT"], [], []), len(pilots), stages).pilots == "4 of 5"
    numbers = view.headline(everything, len(pilots), stages)
    assert (numbers.pilots, numbers.stalled, numbers.groups[0]) == ("5", 3, ("In implementation", 2))  # PIL4 too


def test_stalled_and_undated_pilots_are_written_with_sheet_text_escaped() -> None:
    data = sample_pilots()
    pilots = view.pilots_on(data, DAY)
    shown = pilots[pilots["pilot_id"].isin(["PIL1", "PIL3"])]
    lines = view.stalled_lines(shown, lambda t: f"<{t}>", view.lifecycle(data))
    assert lines == [
        "**<PIL1>** <Pilot PIL1> · <Cluj-Napoca> · <IT>: completed 01 Mar 2025, **121 days** without validation",
        "**<PIL3>** <Pilot PIL3> · <Novi Sad> · <Industry 4.0>: implementation since 01 Sep 2024, **302 days**",
    ]
    assert view.undated_names(pilots, lambda t: f"<{t}>") == "**<PIL5>** <Sofia> (methodology)"


def test_gantt_bars_stop_at_the_as_of_day() -> None:
    data = sample_pilots()
    gantt, waits = view.gantt_rows(view.pilots_on(data, DAY), DAY, view.lifecycle(data))
    rows = gantt.set_index("label")
    assert rows.at["PIL4 · Cluj-Napoca", "bar_end"] == pd.Timestamp(DAY)  # ends in September
    assert rows.at["PIL2 · Cluj-Napoca", "done_on"] == pd.Timestamp("2025-04-01")
    assert pd.isna(rows.at["PIL5 · Sofia", "bar_start"])
    assert sorted(waits["label"]) == ["PIL1 · Cluj-Napoca", "PIL2 · Cluj-Napoca"]


def test_partnership_table_has_a_column_per_indicator_of_the_tab() -> None:
    data = sample_pilots()
    pilots = view.pilots_on(data, DAY)
    table = view.partnership_table(data, pilots, common.explanations(data, view.TAB, DAY)).set_index("pilot_id")
    assert [c for c in table.columns if c.startswith("RC")] == ["RCO84", "RCO116"]
    assert table.at["PIL1", "countries"] == 1
    assert table.at["PIL1", "country_names"] == "Romania"
    assert table.at["PIL1", "organisations"] == "Cluj Hub (lead), Timisoara Uni"
    assert table.at["PIL2", "RCO116"] == "counted"


def test_validation_table_waits_and_reports() -> None:
    data = sample_pilots()
    table = view.finished_table(data, view.pilots_on(data, DAY), DAY).set_index("pilot_id")
    assert sorted(table.index) == ["PIL1", "PIL2"]
    assert table.at["PIL1", "waiting"] == 121
    assert pd.isna(table.at["PIL2", "waiting"])
    assert table.at["PIL2", "lead"] == "Cluj Hub" and table.at["PIL2", "team"] == "Novi Sad Lab"


def test_replication_counts_replicas_and_orders_places_as_the_locations_tab() -> None:
    data = sample_pilots()
    rep = view.replication(data, view.pilots_on(data, DAY))
    assert rep.places == ["Cluj-Napoca", "Novi Sad", "Sofia"]
    assert (rep.replications, rep.replicated_pilots) == (1, 1)
    replica = rep.rows[rep.rows["role"] == "replicated"].iloc[0]
    assert (replica["pilot"], replica["place"], replica["text"]) == ("PIL2 · Cluj-Napoca", "Sofia", "replica")
