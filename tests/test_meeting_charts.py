"""Charts a steering committee reads from the back of the room: meeting labels level and whole, breakdowns in whole
units with names."""

from __future__ import annotations

import datetime as dt

from monitoring.meetings import meetings
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
