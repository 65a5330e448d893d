"""The Progress report page a project manager uses to fill in Jems: period 3 of the sample."""

import json

import pandas as pd
import pytest

from monitoring.outputs.report import report_table
from tests.conftest import open_page, tabs_of
from tests.test_report import p3_by_hand

DOWNLOADS = {"Excel workbook", "CSV of outputs and results", "PDF status pack"}


UNLINKED = "Programme Output Indicators not linked to a Programme Result Indicator"


def shown(at) -> pd.DataFrame:
    """The rows of a nested report table as shown: its tables, one after the other (a group's heading between)."""
    return pd.concat([d.value for d in at.dataframe], ignore_index=True)


@pytest.fixture(scope="module")
def views():
    """The page as of 1 Aug 2025, opened at each of its tabs (?view=...), each opened once for the module."""
    # As of 1 Aug 2025 the last period that has ended is P3, so the page opens on it.
    return tabs_of("reporting.py", as_of="2025-08-01")


@pytest.fixture(scope="module")
def page(views):
    return views("Indicators")


def test_only_the_chosen_tab_is_computed_and_drawn(views):
    first = open_page("reporting.py", as_of="2025-08-01")
    assert [t.label for t in first.tabs] == [
        "Overview",
        "Indicators",
        "Deviations",
        "Narratives",
        "Evidence",
        "Checks",
        "Records",
    ]
    assert len(first.dataframe) == 2 and "level" in first.dataframe[0].value.columns  # Jems' overview only
    assert f"**{UNLINKED}**" in [m.value for m in first.markdown]  # its second table's heading
    assert not first.get("vega_lite_chart") and not first.text_area
    assert [s.value for s in first.subheader] == ["Indicators and outputs at the end of P3"]
    evidence = views("Evidence")
    assert len(evidence.dataframe) == 1 and "indicators" in evidence.dataframe[0].value.columns
    assert evidence.query_params["view"] == "Evidence"
    records = views("Records")
    assert len(records.dataframe) == 1 and "amount" in records.dataframe[0].value.columns
    for other in (evidence, records, views("Checks")):
        assert [m.value for m in other.metric] == [m.value for m in first.metric]  # the headline stays above the tabs
        assert {b.proto.label for b in other.get("download_button")} == DOWNLOADS  # the exports need no tab


def test_the_page_opens_on_the_last_period_that_ended_and_says_its_as_of_date(page):
    assert page.segmented_control(key="report_period").value == "P3"
    caption = next(c.value for c in page.caption if "numbers as of" in c.value)
    assert "numbers as of **30 Jun 2025**, the end of the period" in caption and "(01 Aug 2025)" in caption
    assert any("Sample data" in i.value for i in page.info)


def test_the_table_shows_period_3_as_worked_out_by_hand_from_the_sheet(page, sample):
    table = shown(page).set_index("code")
    for code, numbers in p3_by_hand().items():
        for key, value in numbers.items():
            assert table.loc[code, key] == value, (code, key)
    engine = report_table(sample, 3).set_index("code")
    assert table["total_reported"].equals(engine["total_reported"]) and table["target"].equals(engine["target"])
    assert list(table.index) == ["RCR79", "RCO83", "RCR104", "RCO84", "RCO116", "RCR84", "RCO87", "RCO81", "RCO85"]
    assert table.loc["RCO83", "name"].startswith("↳ ")  # an output under its result
    assert table.loc["RCO116", "status"] == "▼ behind" and table.loc["RCO116", "below_milestone"] == "▼ below"
    assert table.loc["RCO85", "status"] == "▲ on track" and table.loc["RCO85", "below_milestone"] == "▼ below"
    assert table.loc["RCO87", "status"] == "▲ on track" and table.loc["RCO87", "records"] == "6 of 6"
    assert list(page.dataframe[1].value["code"]) == ["RCO81", "RCO85"]  # Jems' group of the unlinked ones
    assert not page.dataframe[1].value["name"].str.startswith("↳").any()
    assert f"**{UNLINKED}**" in [m.value for m in page.markdown]


def test_the_metrics_count_deviations_and_evidence(page):
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Behind or at risk"] == "1"
    assert metrics["Below the period's milestone"] == "2"
    assert metrics["Records dated in the period"] == "27"
    assert metrics["Records without evidence"] == "0"
    assert metrics["Points from the checks"] == "0"


def test_excel_csv_and_pdf_can_be_downloaded(page):
    buttons = {b.proto.label: b.proto for b in page.get("download_button")}
    assert set(buttons) == DOWNLOADS
    assert not any(b.disabled for b in buttons.values())


def test_each_flagged_indicator_has_a_prompt_and_a_place_for_the_explanation(views):
    deviations = views("Deviations")
    labels = [t.label for t in deviations.text_area]
    assert labels == ["Explanation for RCO116", "Explanation for RCO85"]
    assert any("0 solutions achieved, 1 expected by 30 Jun 2025" in m.value for m in deviations.markdown)
    assert any(m.value.startswith("RCO85 is below the period") for m in deviations.markdown)
    badges = [m.value for m in deviations.markdown if m.value.startswith(":")]
    assert sum("on track" in b for b in badges) == 1 and sum("Below the period" in b for b in badges) == 2


@pytest.mark.parametrize("period", ["P3", "P5"])
def test_each_headline_count_equals_the_rows_the_tables_mark(period):
    indicators = open_page("reporting.py", report_period=period, view="Indicators")
    metrics = {m.label: int(m.value) for m in indicators.metric}
    table = shown(indicators)
    behind = table["status"].str.contains("behind|at risk")
    assert metrics["Behind or at risk"] == behind.sum()
    assert metrics["Below the period's milestone"] == (table["below_milestone"] == "▼ below").sum()
    assert not (behind & table["status"].str.contains("on track")).any()
    deviations = open_page("reporting.py", report_period=period, view="Deviations")
    marked = set(table.loc[behind | (table["below_milestone"] == "▼ below"), "code"])
    assert {t.label.removeprefix("Explanation for ") for t in deviations.text_area} == marked


def test_an_explanation_is_kept_across_pages_and_counted_for_the_downloads():
    at = open_page("reporting.py", as_of="2025-08-01", view="Deviations")
    at.text_area(key="explain_P3_RCO116").input("Validation moved to September.").run()
    assert any("(1 of 2 so far)" in c.value for c in at.caption)
    at.switch_page("app_pages/overview.py").run()
    at.switch_page("app_pages/reporting.py").run()
    assert at.text_area(key="explain_P3_RCO116").value == "Validation moved to September."


def test_an_explanation_is_kept_and_counted_while_another_tab_is_open():
    at = open_page("reporting.py", as_of="2025-08-01")
    at.session_state["view"] = "Deviations"
    at.run()
    at.text_area(key="explain_P3_RCO116").input("Validation moved to September.").run()
    at.session_state["view"] = "Indicators"
    at.run()
    assert not at.text_area and [s.value for s in at.subheader] == ["Indicators at the end of P3"]
    assert any("(1 of 2 so far)" in c.value for c in at.caption)  # the downloads still carry it
    at.session_state["view"] = "Deviations"
    at.run()
    assert at.text_area(key="explain_P3_RCO116").value == "Validation moved to September."


def test_evidence_links_and_the_checks_are_listed(views):
    evidence = views("Evidence").dataframe[0]
    assert len(evidence.value) == 27
    columns = json.loads(evidence.proto.columns)
    assert columns["evidence_url"]["type_config"]["type"] == "link"
    assert views("Checks").success[0].value.startswith("Nothing found.")


def test_another_period_shows_its_own_numbers(page, sample):
    page.segmented_control(key="report_period").set_value("P4").run()
    table = shown(page).set_index("code")
    assert table["total_reported"].equals(report_table(sample, 4).set_index("code")["total_reported"])
    assert table.loc["RCO87", "previously_reported"] == 22
    assert any("numbers as of **31 Dec 2025**" in c.value for c in page.caption)


def test_the_records_behind_the_numbers_add_up_to_the_records_dated_in_the_period(views, sample):
    records = views("Records").dataframe[0].value
    in_period = records.groupby("indicator")["amount"].sum()
    achieved = report_table(sample, 3).set_index("code")["dated_in_period"]
    assert in_period["RCO87"] > 0 and len(records) == int(records["_row"].notna().sum())
    assert set(in_period.index) <= set(achieved.index)
    assert (in_period == achieved[in_period.index]).all()
    assert (achieved.drop(in_period.index) == 0).all()


def test_the_old_records_link_opens_the_records_tab():
    at = open_page("reporting.py", as_of="2025-08-01", records="true")
    assert len(at.dataframe) == 1 and "amount" in at.dataframe[0].value.columns
    assert at.query_params["view"] == "Records" and "records" not in at.query_params
    chosen = open_page("reporting.py", as_of="2025-08-01", records="true", view="Checks")
    assert [s.value for s in chosen.subheader] == ["Checks a programme officer would make"]


def test_the_report_is_built_once_per_period_and_one_viewers_explanations_stay_their_own(monkeypatch):
    import monitoring.outputs.report as report_module
    from ui import context

    context._report.clear()
    calls = []
    real = report_module.build_report
    monkeypatch.setattr(context, "build_report", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    writer = open_page("reporting.py", report_period="P3", view="Deviations")
    writer.text_area(key="explain_P3_RCO116").input("Validation moved to September.").run()
    assert any("(1 of 2 so far)" in c.value for c in writer.caption)
    reader = open_page("reporting.py", report_period="P3")
    assert any("(0 of 2 so far)" in c.value for c in reader.caption)
    assert calls == [3]  # two viewers, three runs, one build of P3's report


def test_a_file_that_cannot_be_made_is_disabled_with_the_reason_shown(monkeypatch):
    import streamlit as st

    from monitoring.outputs import export

    def failing(_report):
        raise ValueError("The row with index 5 is too high")

    monkeypatch.setattr(export, "pdf_bytes", failing)
    st.cache_resource.clear()  # the files are made once per read and period
    at = open_page("reporting.py", as_of="2025-08-01")
    st.cache_resource.clear()
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert buttons["PDF status pack"].disabled and not buttons["Excel workbook"].disabled
    assert "row with index 5 is too high" in buttons["PDF status pack"].help
    assert any(c.value.endswith("index 5 is too high") for c in at.caption)
