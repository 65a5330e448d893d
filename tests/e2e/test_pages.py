"""Every page in a real browser, normal and in presentation mode: drawn, no error box, the key numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.harness import error_boxes, settle

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def test_every_page_is_registered():
    assert URL_PATHS[0] == "overview" and len(URL_PATHS) >= 10


@pytest.mark.parametrize("present", [False, True], ids=["normal", "present"])
@pytest.mark.parametrize("path", URL_PATHS)
def test_page_draws_without_an_error_box(app_url, page, path, present):
    page.goto(f"{app_url}/{path}" + ("?present=1" if present else ""))
    settle(page)
    assert error_boxes(page) == []
    main = page.locator("[data-testid='stMain']")
    assert len(main.inner_text().strip()) > 40
    for chart in page.locator("[data-testid='stVegaLiteChart']").all():
        box = chart.locator("canvas, svg").first.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 20, f"a chart on /{path} was not drawn"
    for picture in page.locator(".spinit-tile img.bullet").all():  # the tiles' bullet charts (SVG pictures)
        assert picture.evaluate("img => img.complete && img.naturalWidth > 100"), f"a tile chart on /{path} is blank"
    view_bar = page.locator(".st-key-viewbar")
    assert view_bar.count() == 0 if present else view_bar.is_visible()


def test_overview_shows_rco87_target_and_every_status_in_words(app_url, page):
    page.goto(app_url)
    settle(page)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "RCO87" in text and "of target 30" in text and "Organisations · expected by now 30" in text
    for word in ("achieved", "on track", "at risk", "behind"):
        assert word in text
    assert "Sample data" in text
    pictures = page.locator(".spinit-tile img.bullet")
    assert pictures.count() == 9 and all(p.evaluate("img => img.naturalWidth > 100") for p in pictures.all())


def test_a_shared_link_reproduces_indicator_date_and_breakdown(app_url, page):
    page.goto(f"{app_url}/indicator?indicator=RCR79&as_of=2025-12-31&view=Breakdown&by=Location")
    settle(page)
    assert page.get_by_role("heading", name=re.compile("RCR79")).count() == 1
    assert "as of 31 Dec 2025" in page.locator("[data-testid='stMain']").inner_text()
    assert (
        page.get_by_role("radio", name="Location").get_attribute("aria-checked") == "true"
        or "Location"
        in page.locator(
            "[data-testid='stButtonGroup'] [aria-pressed='true'], [data-testid='stButtonGroup'] [aria-checked='true']"
        ).all_inner_texts()
    )


def test_the_as_of_date_is_kept_when_moving_to_another_page(app_url, page):
    page.goto(f"{app_url}/?as_of=2025-06-30")
    settle(page)
    page.get_by_text("Progress", exact=True).first.click()
    page.get_by_text("Indicator detail", exact=True).first.click()
    settle(page)
    assert "as of 30 Jun 2025" in page.locator("[data-testid='stMain']").inner_text()
    assert "as_of=2025-06-30" in page.url


def test_drilling_down_from_a_tile_opens_that_indicator(app_url, page):
    page.goto(app_url)
    settle(page)
    page.locator(".spinit-tile a[href*='indicator=RCO84']").click()
    settle(page)
    assert "indicator=RCO84" in page.url and "as_of=2026-06-30" in page.url
    assert page.get_by_role("heading", name=re.compile("RCO84")).count() == 1


def test_choosing_a_tab_draws_it_and_puts_it_in_the_link(app_url, page):
    page.goto(f"{app_url}/cooperation?as_of=2026-06-30&country=Serbia")
    settle(page)
    assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 0  # the Countries tab: no map sent
    page.get_by_role("tab", name="Network").click()
    settle(page)
    assert "view=Network" in page.url and "country=Serbia" in page.url
    deck = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    deck.wait_for(state="visible", timeout=30_000)
    box = deck.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    page.goto(page.url)  # the link opens on the same tab with the same filter
    settle(page)
    assert page.get_by_role("tab", name="Network").get_attribute("aria-selected") == "true"
    assert page.locator("[data-testid='stDeckGlJsonChart']").count() == 1
