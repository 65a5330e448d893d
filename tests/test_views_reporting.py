"""What the Progress report page shows, computed without Streamlit: period 3 of the sample."""

from __future__ import annotations

import datetime as dt

import pytest

from monitoring.outputs.report import build_report
from monitoring.views.reporting import (
    BELOW_MARK,
    deviations,
    downloads,
    explanation_keys,
    headline,
    indicator_table,
    period_choice,
    period_labelled,
)


@pytest.fixture(scope="module")
def p3(sample):
    return build_report(sample, 3)


def test_the_page_opens_on_the_last_period_that_ended(sample):
    choice = period_choice(sample, dt.date(2025, 8, 1))
    assert choice.labels == ["P1", "P2", "P3", "P4", "P5"] and choice.default == "P3"
    assert period_choice(sample, dt.date(2024, 3, 1)).default == "P1"  # none has ended yet
    assert period_labelled(sample, "P4").end == dt.date(2025, 12, 31)


def test_each_indicator_has_its_own_explanation_key_per_period(sample):
    keys = explanation_keys(sample.settings, period_labelled(sample, "P3"))
    assert list(keys) == [i.code for i in sample.settings.indicators]
    assert keys["RCO116"] == "explain_P3_RCO116"


def test_the_headline_counts_the_indicators_behind_plan_the_records_and_the_explanations(p3):
    head = headline(p3, {"RCO116": "Validation moved to September.", "RCO85": ""})
    assert (head.behind_or_at_risk, head.below_milestone, head.to_explain) == (1, 2, 2)
    assert (head.records, head.without_evidence, head.findings) == (27, 0, 0)
    assert head.explained == 1


@pytest.mark.parametrize("period", [3, 5])
def test_each_headline_count_equals_the_rows_the_tables_mark_for_it(sample, period):
    report = build_report(sample, period)
    head = headline(report, {})
    rows = indicator_table(report, str).rows
    shown = rows[rows["code"] != ""]  # the group heading row has no status
    assert head.behind_or_at_risk == shown["status"].isin(["behind", "at risk"]).sum()
    assert head.below_milestone == (shown["below_milestone"] == BELOW_MARK).sum()
    assert head.to_explain == len(deviations(report))
    on_track = set(shown.loc[shown["status"] == "on track", "code"])
    counted_behind = set(shown.loc[shown["status"].isin(["behind", "at risk"]), "code"])
    assert not on_track & counted_behind
    for d in deviations(report):  # an on-track indicator is to explain only for its milestone, and says so
        assert d.status in ("behind", "at risk") or (d.below_milestone and "below the period's milestone" in d.prompt)


def test_the_table_nests_outputs_under_their_result_and_puts_the_unlinked_ones_in_jems_group(p3):
    table = indicator_table(p3, lambda status: status.upper())
    rows = table.rows.set_index("code")
    assert rows.loc["RCO83", "name"].startswith("↳ ") and not rows.loc["RCR79", "name"].startswith("↳")
    assert rows.loc["RCO116", "status"] == "BEHIND" and rows.loc["RCO116", "below_milestone"] == BELOW_MARK
    assert rows.loc["RCO85", "status"] == "ON TRACK" and rows.loc["RCO85", "below_milestone"] == BELOW_MARK
    assert rows.loc["RCO87", "status"] == "ON TRACK" and rows.loc["RCO87", "records"] == "6 of 6"
    codes = list(table.rows["code"])
    assert codes[codes.index("RCO87") + 1 :] == ["", "RCO81", "RCO85"]
    assert rows.loc["", "name"] == "Programme Output Indicators not linked to a Programme Result Indicator"
    assert not rows.loc["RCO81", "name"].startswith("↳")
    assert table.zero_baselines and "baseline" not in table.columns and table.columns[:2] == ["code", "name"]
    assert table.illustrative == list(p3.indicators.loc[p3.indicators["illustrative"], "code"])


def test_each_deviation_carries_its_prompt_and_its_key(p3):
    shown = deviations(p3)
    assert [(d.code, d.key) for d in shown] == [("RCO116", "explain_P3_RCO116"), ("RCO85", "explain_P3_RCO85")]
    assert "0 solutions achieved, 1 expected by 30 Jun 2025" in shown[0].prompt
    assert (shown[0].status, shown[0].below_milestone) == ("behind", True)
    assert (shown[1].status, shown[1].below_milestone) == ("on track", True)


def test_the_downloads_are_excel_csv_and_pdf(p3):
    files = downloads(p3)
    assert [(f.label, f.kind) for f in files] == [
        ("Excel workbook", "xlsx"),
        ("CSV of outputs and results", "csv"),
        ("PDF status pack", "pdf"),
    ]
    assert files[1].content.decode("utf-8-sig").startswith("Period,As of,Jems tab,Nr.,Title,Programme indicator,")
    assert files[2].problem is None  # the fonts are installed for the tests


def test_the_overview_has_jems_groups_labels_and_delivery_periods(p3):
    from monitoring.views.reporting import overview_table

    shown = overview_table(p3, lambda status: status.upper())
    rows = shown.rows.set_index("code")
    assert list(shown.rows["code"][:3]) == ["RCR79", "RCO83", "2.1"]
    assert rows.loc["RCR79", "name"] == (
        "Programme Result Indicator RCR79: Joint strategies and action plans taken up by organisations"
    )
    assert rows.loc["RCO83", "name"].startswith("↳ ")
    assert rows.loc["2.1", "name"].endswith(
        "· Output 2.1: Local Action Plans developed with the Local Discovery Groups"
    )
    assert rows.loc["RCR84", "status"] == "DUE AFTER THE PROJECT"
    assert rows.loc["RCR84", "delivery_period"] == "After project implementation"
    assert rows.loc["2.1", "status"] == "" and rows.loc["2.1", "delivery_period"] == "Period 5, month 25 - 30"
    assert (rows.loc["1.1", ["previously_reported", "current_report", "total_reported"]] == [16, 6, 22]).all()
    assert "end of the previous period" in shown.previously


def test_unlinked_output_indicators_stand_in_jems_own_group_not_under_the_last_result(p3):
    from monitoring.views.reporting import overview_table

    rows = overview_table(p3, str).rows
    levels = list(zip(rows["level"], rows["code"], strict=True))
    heading = levels.index(("group", ""))
    assert levels[heading - 2 : heading] == [("output indicator", "RCO87"), ("output", "1.1")]  # RCR84's group ends
    assert levels[heading + 1 :] == [
        ("output indicator", "RCO81"),
        ("output", "1.2"),
        ("output indicator", "RCO85"),
        ("output", "1.3"),
    ]
    assert rows["name"][heading] == "Programme Output Indicators not linked to a Programme Result Indicator"


def test_no_indicator_is_listed_twice_when_a_project_declares_no_outputs():
    from pathlib import Path

    from monitoring.dataset import load_dataset
    from monitoring.model.config import load_settings
    from monitoring.views.reporting import overview_table

    config = Path(__file__).resolve().parents[1] / "examples" / "greenports" / "indicators.yaml"
    data = load_dataset(load_settings(config), config)
    assert not data.settings.outputs  # GreenPorts declares none: one implicit output per output indicator
    report = build_report(data, 2)
    rows = overview_table(report, str).rows
    named = rows[rows["level"] != "group"]
    assert not named["code"].duplicated().any() and not named["name"].duplicated().any()
    assert set(named["code"]) == {i.code for i in data.settings.indicators}
    assert not indicator_table(report, str).rows["code"].replace("", None).dropna().duplicated().any()
