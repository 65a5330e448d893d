"""What the Overview shows, computed without Streamlit: the counts row, the needs-attention lines, the tile groups."""

from __future__ import annotations

import datetime as dt

from monitoring.views.overview import attention_lines, overview, previous_period_label

END = dt.date(2026, 6, 30)


def test_the_counts_row_has_every_count_in_order_with_its_label(sample):
    shown = overview(sample, sample.progress(END), END)
    assert list(shown.counts) == ["Organisations", "Countries", "Locations", "Pilots", "Action plans", "Activities"]
    assert [shown.counts[k] for k in ("Organisations", "Countries", "Locations", "Pilots")] == [30, 8, 10, 10]
    assert shown.counts["Activities"] == sample.counts()["activities"]


def test_the_needs_attention_lines_name_the_indicators_behind_or_at_risk_with_their_numbers(sample):
    lines = {line.code: line for line in attention_lines(sample.progress(END))}
    assert {"RCO84", "RCO116", "RCR79", "RCR104"} <= set(lines) and "RCO87" not in lines
    assert lines["RCO84"].status == "at risk"
    assert lines["RCO84"].numbers == "7 of 10, expected 10 by now"
    assert lines["RCO116"].status == "behind"


def test_the_tiles_come_in_groups_outputs_first_and_an_empty_group_is_left_out(sample):
    progress = sample.progress(END)
    shown = overview(sample, progress, END)
    assert [heading for heading, _ in shown.groups] == ["Output indicators", "Result indicators"]
    assert [p.code for p in shown.groups[0][1]][:3] == ["RCO87", "RCO83", "RCO84"]
    outputs_only = overview(sample, [p for p in progress if p.kind == "output"], END)
    assert [heading for heading, _ in outputs_only.groups] == ["Output indicators"]


def test_the_change_is_measured_from_the_last_period_that_ended_before_the_day(sample):
    assert previous_period_label(sample, END) == "the end of P4 (31 Dec 2025)"  # P5 ends on the day itself
    assert previous_period_label(sample, dt.date(2025, 7, 1)) == "the end of P3 (30 Jun 2025)"
    assert previous_period_label(sample, dt.date(2024, 3, 1)) == "the start"
