"""The bar above every page: the as-of date kept in the URL, the period jump, source, refresh, present."""

import datetime as dt

from tests.conftest import open_page


def test_the_date_from_a_shared_link_is_shown_and_kept_in_the_url():
    at = open_page("indicator.py", as_of="2025-06-30")
    assert at.date_input(key="as_of").value == dt.date(2025, 6, 30)
    assert at.query_params["as_of"] == "2025-06-30"
    at.switch_page("app_pages/overview.py").run()
    assert at.date_input(key="as_of").value == dt.date(2025, 6, 30)
    assert at.query_params["as_of"] == "2025-06-30"


def test_without_a_date_in_the_link_the_default_date_is_written_into_the_url():
    at = open_page()
    assert at.query_params["as_of"] == at.date_input(key="as_of").value.isoformat() == "2026-06-30"


def test_a_new_date_goes_into_the_url_and_every_page_uses_it():
    at = open_page()
    at.date_input(key="as_of").set_value(dt.date(2024, 12, 31)).run()
    assert at.query_params["as_of"] == "2024-12-31"
    assert any("as of **31 Dec 2024**" in c.value for c in at.caption)


def test_picking_a_reporting_period_jumps_to_its_end():
    at = open_page()
    at.selectbox(key="period").set_value(2).run()
    assert at.date_input(key="as_of").value == dt.date(2024, 12, 31)
    assert at.query_params["as_of"] == "2024-12-31"


def test_a_date_outside_the_project_is_clamped_not_an_error():
    at = open_page(as_of="2031-01-01")
    assert not at.exception
    assert at.date_input(key="as_of").value == dt.date(2026, 6, 30)


def test_the_bar_names_the_source_offers_refresh_and_a_present_link():
    at = open_page("pilots.py", as_of="2025-06-30")
    assert any(c.value.startswith("Source: spinit\\-sample\\.xlsx") for c in at.caption)
    assert [b.label for b in at.button if b.label == "Refresh now"] == ["Refresh now"]
    present = [link.proto for link in at.get("page_link") if link.proto.label == "Present"]
    assert present and present[0].page == "pilots"
    assert present[0].query_string == "as_of=2025-06-30&present=1"
    link = next(t for t in at.text_input if t.label == "Link to this view")
    assert link.value.endswith("?as_of=2025-06-30")
