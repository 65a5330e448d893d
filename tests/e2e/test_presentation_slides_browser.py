"""Every slide of the project's agenda as a steering committee sees it on a projector: at 1366×768 and 1920×1080, light
and dark, no text is cut, nothing lies under the corner badge, no filter widget or configuration name is shown, and
the slide's main chart starts on the first screen. A screenshot of each slide is kept (E2E_ARTIFACTS)."""

from __future__ import annotations

import urllib.parse

import pytest

from monitoring.model.config import load_settings
from monitoring.outputs.agenda import parse_agenda
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import error_boxes, settle
from ui.presentation import FILTER_WIDGETS

SCREENS = [(1366, 768, "light"), (1366, 768, "dark"), (1920, 1080, "light"), (1920, 1080, "dark")]
MAIN_CHART = (
    "[data-testid='stMain'] :is([data-testid='stVegaLiteChart'], [data-testid='stDeckGlJsonChart'], "
    ".spinit-tiles, table.spinit-slide)"
)
# Text cut by its box: an element holding text whose content is wider than its box (ellipsis or hidden overflow).
CLIPPED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const style = getComputedStyle(el);
    if (style.overflowX === 'visible' && style.textOverflow !== 'ellipsis') continue;
    if (el.closest('[data-testid="stDataFrame"], [data-testid="stDeckGlJsonChart"], [data-testid="stVegaLiteChart"]'))
      continue;
    const text = (el.innerText || '').trim();
    if (text && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push(text.slice(0, 60));
  }
  return out;
}"""
# What lies under the corner badge: visible parts of text, images, charts and canvases inside the main area.
UNDER_BADGE = """() => {
  const badge = document.querySelector('.spinit-corner').getBoundingClientRect();
  const main = document.querySelector('[data-testid="stMain"]').getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!text && !['IMG', 'CANVAS', 'svg'].includes(el.tagName)) continue;
    if (el.closest('.spinit-corner')) continue;
    const r = el.getBoundingClientRect();
    const top = Math.max(r.top, main.top), bottom = Math.min(r.bottom, main.bottom);
    const left = Math.max(r.left, main.left), right = Math.min(r.right, main.right);
    if (bottom <= top || right <= left) continue;
    if (left < badge.right && right > badge.left && top < badge.bottom && bottom > badge.top)
      out.push(el.tagName + ': ' + (el.textContent || '').trim().slice(0, 40));
  }
  return out;
}"""
VISIBLE_WIDGETS = """(ids) => ids.filter(id => [...document.querySelectorAll(`[data-testid="stMain"] [data-testid="${id}"]`)]
  .some(el => el.getClientRects().length > 0))"""


def slide_urls() -> list[tuple[str, str]]:
    """(agenda word, address) of every slide of the project's agenda, as the agenda bar links them."""
    items = parse_agenda(load_settings("indicators.yaml").meeting.agenda)
    return [
        (item.word, f"/{item.page}?" + urllib.parse.urlencode({"present": "1", "slide": k, **dict(item.params)}))
        for k, item in enumerate(items, start=1)
    ]


@pytest.mark.parametrize(("width", "height", "scheme"), SCREENS, ids=[f"{w}x{h}-{s}" for w, h, s in SCREENS])
def test_every_agenda_slide_reads_on_a_projector(app_url, browser, width, height, scheme):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for word, url in slide_urls():
        page.goto(app_url + url)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"slide-{word.replace(':', '_')}-{width}-{scheme}.png"))
        found = [f"error box: {e}" for e in error_boxes(page)]
        found += [f"cut: {t}" for t in page.evaluate(CLIPPED)]
        found += [f"under the badge: {t}" for t in page.evaluate(UNDER_BADGE)]
        found += [f"filter widget: {w}" for w in page.evaluate(VISIBLE_WIDGETS, list(FILTER_WIDGETS))]
        if "indicators.yaml" in page.locator("[data-testid='stMain']").inner_text():
            found.append("a configuration name is shown")
        if "sample data." in page.locator("[data-testid='stMain']").inner_text().lower():
            found.append("the sample banner is shown")
        chart = page.locator(MAIN_CHART).first
        band = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').getBoundingClientRect().bottom")
        if chart.count() == 0:
            found.append("no chart")
        elif chart.bounding_box()["y"] >= band:
            found.append(f"the main chart starts at {chart.bounding_box()['y']:.0f} px, below the first screen")
        if found:
            problems[word] = found
    context.close()
    assert problems == {}
