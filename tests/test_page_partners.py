"""The Partners page on the sample, and the meetings on the Cooperation trend."""

from __future__ import annotations

from monitoring.outputs import partners as pa
from monitoring.views.cooperation import cooperation_indicator
from tests.conftest import chart_spec, open_page
from tests.test_access import app_with


def _table(at):
    return at.dataframe[0].value


def test_partners_page_lists_thirty_organisations_with_a_column_per_indicator(sample):
    at = open_page("partners.py")
    table = _table(at)
    assert len(table) == 30
    assert {i.code for i in sample.settings.indicators} <= set(table.columns)
    assert at.metric[0].value == "30"


def test_filters_are_in_the_link_and_narrow_the_list():
    at = open_page("partners.py", partner_country="Serbia", partner_role="PP")
    table = _table(at)
    assert len(table) > 0 and set(table["country"]) == {"Serbia"} and set(table["role"]) == {"PP"}
    fixing = _table(open_page("partners.py", to_fix="true"))
    assert 0 < len(fixing) < 30


def test_one_organisation_opens_with_its_share_of_every_indicator_and_the_indicator_page_agrees(sample):
    at = open_page("partners.py", partner="P07")
    assert any("P07" in h.value for h in at.subheader)
    shares = _table(at)
    assert list(shares["code"]) == [i.code for i in sample.settings.indicators]
    pilots = next(i for i in sample.settings.indicators if i.measure.tab == "pilots" and i.measure.agg == "count")
    records = open_page("indicator.py", indicator=pilots.code, view="Records").dataframe[0].value
    table = sample.tables["pilots"].set_index("_row")
    involving = [
        str(r)
        for r, row in zip(records["Record"], records["Sheet row"], strict=True)
        if table.at[row, "lead_partner_id"] == "P07" or "P07" in table.at[row, "partner_ids"]
    ]
    shown = shares.loc[shares["code"] == pilots.code, "records"].iloc[0]
    assert [r for r in shown.split(", ") if r] == involving


def test_one_organisation_records_tab_lists_what_names_it():
    at = open_page("partners.py", partner="P07", view="Records")
    records = _table(at)
    assert len(records) > 0 and set(records["tab"]) <= {"activities", "action_plans", "pilots", "indicator_values"}


def test_an_unknown_organisation_id_says_so():
    at = open_page("partners.py", partner="P99")
    assert any("P99" in i.value for i in at.info)


def test_to_do_downloads_are_for_managers_only():
    at = open_page("partners.py", view="To-do")
    assert len(at.get("download_button")) == 2
    assert "P02" in at.code[0].value
    viewer = app_with({"is_logged_in": True, "email": "someone@cluj.example"})
    viewer.switch_page("app_pages/partners.py")
    viewer.query_params["view"] = "To-do"
    viewer.run()
    assert not viewer.exception
    assert len(viewer.get("download_button")) == 0
    assert any("for the project's managers" in c.value for c in viewer.caption)


def test_the_cooperation_trend_marks_every_steering_committee(sample):
    at = open_page("cooperation.py", view=cooperation_indicator(sample.settings.indicators).code)
    specs = [chart_spec(c) for c in at.get("vega_lite_chart")]
    titles = set(sample.tables["activities"].query("type == 'steering committee'")["title"])
    labels = {row.get("label") for spec in specs for rows in spec["datasets"].values() for row in rows}
    assert all(any(label and title.startswith(label.rstrip("…")) for label in labels) for title in titles)


def test_a_to_do_workbook_that_cannot_be_made_is_disabled_with_the_reason_shown(monkeypatch):
    def failing(*_args):
        raise ValueError("cannot be used in worksheets")

    monkeypatch.setattr(pa, "todo_workbook", failing)
    at = open_page("partners.py", view="To-do")
    excel = next(b.proto for b in at.get("download_button") if b.proto.label.startswith("Excel"))
    assert excel.disabled and "cannot be used in worksheets" in excel.help
    assert any(c.value.endswith("cannot be used in worksheets") for c in at.caption)
