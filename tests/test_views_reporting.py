"""What the Progress report page shows, computed without Streamlit: period 3 of the sample."""

from __future__ import annotations

import datetime as dt

import pytest

from monitoring.report import build_report
from monitoring.views.reporting import (
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
    assert (head.behind, head.records, head.without_evidence, head.findings) == (2, 27, 0, 0)
    assert head.explained == 1


def test_the_table_nests_outputs_under_their_result_and_says_which_to_explain(p3):
    table = indicator_table(p3, lambda status: status.upper())
    rows = table.rows.set_index("code")
    assert rows.loc["RCO83", "name"].startswith("↳ ") and not rows.loc["RCR79", "name"].startswith("↳")
    assert rows.loc["RCO116", "status"] == "BEHIND · explain"
    assert rows.loc["RCO87", "status"] == "ON TRACK" and rows.loc["RCO87", "records"] == "6 of 6"
    assert table.zero_baselines and "baseline" not in table.columns and table.columns[:2] == ["code", "name"]
    assert table.illustrative == list(p3.indicators.loc[p3.indicators["illustrative"], "code"])


def test_each_deviation_carries_its_prompt_and_its_key(p3):
    shown = deviations(p3)
    assert [(d.code, d.key) for d in shown] == [("RCO116", "explain_P3_RCO116"), ("RCO85", "explain_P3_RCO85")]
    assert "0 solutions achieved, 1 planned by the milestone" in shown[0].prompt


def test_the_downloads_are_excel_csv_and_pdf(p3):
    files = downloads(p3)
    assert [(f.label, f.kind) for f in files] == [
        ("Excel workbook", "xlsx"),
        ("CSV of the outputs", "csv"),
        ("PDF status pack", "pdf"),
    ]
    assert files[1].content.decode("utf-8-sig").startswith("Period,As of,Output,Output title,Indicator,")
    assert files[2].problem is None  # the fonts are installed for the tests


def test_the_overview_nests_result_indicators_output_indicators_and_outputs_with_jems_columns(p3):
    from monitoring.views.reporting import overview_table

    shown = overview_table(p3, lambda status: status.upper())
    rows = shown.rows.set_index("code")
    assert list(shown.rows["code"][:3]) == ["RCR79", "RCO83", "2.1"]
    assert rows.loc["RCO83", "name"].startswith("↳ ") and rows.loc["2.1", "name"].endswith("Local Discovery Groups")
    assert rows.loc["RCR84", "status"] == "DUE AFTER THE PROJECT" and rows.loc["RCR84", "delivery_period"] == (
        "after implementation"
    )
    assert rows.loc["2.1", "status"] == "" and rows.loc["2.1", "delivery_period"] == "P5"
    assert (rows.loc["1.1", ["previously_reported", "current_report", "total_reported"]] == [16, 6, 22]).all()
    assert "end of the previous period" in shown.previously
