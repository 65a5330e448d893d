"""Auto-advance in presentation mode: off unless `auto=` asks for it, bounded, and pausable from the agenda bar."""

from __future__ import annotations

from tests.e2e.harness import error_boxes, settle

MAIN = "[data-testid='stMain']"
AGENDA = "agenda=overview,map,cooperation"  # this meeting's, whatever the project declares


def test_presentation_stays_on_the_overview_without_auto(app_url, page):
    page.goto(f"{app_url}/?present=1&{AGENDA}")
    settle(page)
    page.wait_for_timeout(12_000)
    assert "/map" not in page.url
    assert "1 / 3" in page.locator(MAIN).inner_text()
    assert page.get_by_role("button", name="Pause").count() == 0


def test_auto_advances_and_pause_stops_it(app_url, page):
    page.goto(f"{app_url}/?present=1&{AGENDA}&auto=10")
    settle(page)
    page.wait_for_url("**/map?**", timeout=30_000)
    settle(page)
    assert "auto=10" in page.url and error_boxes(page) == []
    page.get_by_role("button", name="Pause").click()
    settle(page)
    assert "pause=1" in page.url
    page.wait_for_timeout(13_000)
    assert "/map" in page.url and "2 / 3" in page.locator(MAIN).inner_text()
    assert page.get_by_role("button", name="Resume").count() == 1
