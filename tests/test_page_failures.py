"""A page that fails must fail its test: app.py re-raises under test (SPINIT_RAISE_PAGE_ERRORS), and only
shows viewers the "could not be drawn" message when the variable is not set."""

import pytest
from streamlit.testing.v1 import AppTest

from monitoring.engine import progress
from tests.conftest import APP, open_page


def broken(*args, **kwargs):
    raise RuntimeError("broken on purpose")


def test_a_page_that_raises_fails_its_test(monkeypatch):
    monkeypatch.setattr(progress, "needs_attention", broken)
    with pytest.raises(AssertionError, match="encountered an error"):
        open_page("attention.py")


def test_viewers_see_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setattr(progress, "needs_attention", broken)
    monkeypatch.delenv("SPINIT_RAISE_PAGE_ERRORS")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("could not be drawn" in e.value for e in at.error)


def test_a_tab_whose_drawing_raises_fails_its_test_and_the_other_tabs_still_pass(monkeypatch):
    from ui import cooperation_charts

    monkeypatch.setattr(cooperation_charts, "hub_grid", broken)
    with pytest.raises(AssertionError, match="encountered an error"):
        open_page("cooperation.py", view="Hubs")
    open_page("cooperation.py", view="Countries")  # the tab that does not draw it is unaffected
