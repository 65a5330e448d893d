"""Charts a steering committee reads from the back of the room: meeting labels level and whole, breakdowns in whole
units with names."""

from __future__ import annotations

import datetime as dt

from monitoring.outputs.meetings import meetings
from ui.meeting_rules import meeting_layer


def text_layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]


def test_meeting_labels_are_horizontal_and_not_cut(sample):
    found = meetings(sample, sample.settings.project.start, dt.date(2026, 6, 30))
    spec = meeting_layer(found).to_dict()
    texts = text_layers(spec)
    assert texts and all(layer["mark"].get("angle", 0) == 0 for layer in texts)
    labels = [row["label"] for layer in texts for row in spec["datasets"][layer["data"]["name"]]]
    assert "Kick-off and steering committee meeting 1" in labels
    assert "Final conference and steering committee meeting 5" in labels
    assert not any(label.endswith("…") for label in labels)


def test_the_last_meeting_label_is_written_to_the_left_of_its_rule_so_it_stays_inside_the_chart(sample):
    found = meetings(sample, sample.settings.project.start, dt.date(2026, 6, 30))
    spec = meeting_layer(found).to_dict()
    right = [layer for layer in text_layers(spec) if layer["mark"]["align"] == "right"]
    assert [row["label"] for row in spec["datasets"][right[0]["data"]["name"]]] == [found[-1].label]


def test_a_breakdown_by_country_names_the_countries_and_counts_in_whole_units(sample):
    from monitoring.views.indicator import breakdown_rows
    from ui.indicator_charts import breakdown_chart

    rows = breakdown_rows(sample, "RCO84", dt.date(2026, 6, 30), "country")
    assert "Bulgaria" in set(rows["name"]) and not any(len(n) == 2 and n.isupper() for n in rows["name"])
    spec = breakdown_chart(rows, "Country", "pilot actions").to_dict()
    axis = spec["encoding"]["x"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"
    assert spec["encoding"]["y"]["axis"]["labelLimit"] >= 300


def test_names_of_places_close_together_are_written_on_opposite_sides_of_their_dots():
    import pandas as pd

    from ui.map_layers import label_offsets

    points = pd.DataFrame(
        {
            "name": ["Zenica", "Tuzla", "Sofia"],
            "lon": [17.91, 18.67, 23.32],
            "lat": [44.20, 44.54, 42.70],
            "radius": [12.0, 12.0, 12.0],
        }
    )
    zenica, tuzla, sofia = label_offsets(points)
    assert zenica[1] * tuzla[1] < 0  # one above, one below
    assert sofia[1] < 0  # alone: above its dot


def test_the_map_is_dark_in_the_dark_theme():
    from ui.map_layers import map_theme

    light, dark = map_theme(dark=False), map_theme(dark=True)
    assert sum(dark.sea[:3]) < 200 < sum(light.sea[:3]) and sum(dark.other_country[:3]) < 300
    assert "dark-matter" in dark.carto and "positron" in light.carto
    assert sum(dark.label[:3]) > 600 and sum(light.label[:3]) < 100


def test_the_network_names_its_most_connected_organisations_without_hovering(sample):
    import pandas as pd

    from ui.map_layers import NAMED_ORGANISATIONS, map_theme, organisation_labels

    nodes = pd.DataFrame(
        {
            "name": [f"Org {k}" for k in range(10)],
            "activities": list(range(10)),
            "lon": [15.0 + k for k in range(10)],
            "lat": [45.0] * 10,
            "radius": [8.0] * 10,
        }
    )
    layer = organisation_labels(nodes, map_theme(False))
    assert [row["text"] for row in layer.data] == [f"Org {k}" for k in range(9, 9 - NAMED_ORGANISATIONS, -1)]
