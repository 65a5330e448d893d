"""Presentation mode as the steering committee sees it: one screen, large type, light and dark."""

from __future__ import annotations

import pytest

from tests.e2e.harness import error_boxes, settle

MAIN_SCROLLS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return main.scrollHeight - main.clientHeight;
}"""
BODY_FONT_PX = """() => {
  const p = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
  return parseFloat(getComputedStyle(p).fontSize);
}"""
AGENDA = ["overview", "map", "cooperation", "action-plans", "pilots", "attention", "changes"]


@pytest.fixture
def big_page(browser, request):
    scheme = getattr(request, "param", "light")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, color_scheme=scheme)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("big_page", ["light", "dark"], indirect=True)
def test_overview_fits_one_1920x1080_screen_with_24px_text(app_url, big_page):
    big_page.goto(f"{app_url}/?present=1")
    settle(big_page)
    assert error_boxes(big_page) == []
    assert big_page.evaluate(MAIN_SCROLLS) <= 2, "the Overview scrolls in presentation mode"
    assert big_page.evaluate(BODY_FONT_PX) >= 24
    assert "As of 30 Jun 2026" in big_page.locator(".spinit-corner").inner_text()


@pytest.mark.parametrize("big_page", ["light", "dark"], indirect=True)
def test_every_agenda_screen_has_no_error_box_and_keeps_the_date(app_url, big_page):
    for path in AGENDA:
        big_page.goto(f"{app_url}/{path}?present=1&as_of=2025-12-31")
        settle(big_page)
        assert error_boxes(big_page) == [], path
        assert "As of 31 Dec 2025" in big_page.locator(".spinit-corner").inner_text(), path


def test_next_moves_through_the_agenda_in_presentation_mode(app_url, big_page):
    big_page.goto(f"{app_url}/?present=1&as_of=2025-12-31&agenda=overview,map,report:P3")
    settle(big_page)
    big_page.get_by_text("Next: Map").click()
    settle(big_page)
    assert "/map" in big_page.url and "present=1" in big_page.url and "agenda=" in big_page.url
    assert "2 / 3" in big_page.locator("[data-testid='stMain']").inner_text()
    big_page.get_by_text("Next: Progress report P3").click()
    settle(big_page)
    assert "/report-slide" in big_page.url and "report_period=P3" in big_page.url
    assert "Progress report P3" in big_page.locator("[data-testid='stMain']").inner_text()


def test_overview_fits_a_1366x768_projector_too(app_url, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{app_url}/?present=1")
    settle(page)
    assert error_boxes(page) == []
    assert page.evaluate(MAIN_SCROLLS) <= 2, "the Overview scrolls in presentation mode at 1366×768"
    assert page.locator(".spinit-tile img.bullet").count() == 9
    context.close()
