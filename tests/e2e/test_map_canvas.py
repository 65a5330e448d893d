"""The map is really drawn in a browser with no basemap: the bundled country shapes, places and links fill the canvas."""

from __future__ import annotations

import io

import pytest

from monitoring.views.map import COUNTRY_RAMP, SEA
from tests.e2e.harness import error_boxes, settle

Image = pytest.importorskip("PIL.Image", reason="Pillow counts the canvas colours")


def near(pixel: tuple[int, ...], colour: str, tolerance: int = 14) -> bool:
    target = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return all(abs(p - t) <= tolerance for p, t in zip(pixel[:3], target, strict=True))


def canvas_pixels(page) -> list[tuple[int, ...]]:
    chart = page.locator("[data-testid='stDeckGlJsonChart']").first
    chart.wait_for(state="visible", timeout=30_000)
    canvas = chart.locator("canvas").first
    canvas.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
    raw = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB").tobytes()
    return [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]


def test_map_canvas_is_drawn_offline_without_a_basemap(app_url, page):
    page.goto(f"{app_url}/map?basemap=Plain&as_of=2026-06-30")
    settle(page)
    assert error_boxes(page) == []
    pixels = canvas_pixels(page)
    colours = set(pixels)
    assert len(colours) > 200, f"only {len(colours)} colours: the canvas looks blank"
    background = sum(near(p, SEA, 3) or p == (255, 255, 255) for p in pixels) / len(pixels)
    assert background < 0.6, f"{background:.0%} of the map is empty background"
    project_blue = sum(any(near(p, c) for c in COUNTRY_RAMP) for p in pixels) / len(pixels)
    assert project_blue > 0.1, f"the project's countries cover only {project_blue:.1%} of the map"


def test_map_canvas_still_shows_countries_when_the_carto_basemap_cannot_load(app_url, page):
    page.goto(f"{app_url}/map?basemap=Carto&as_of=2026-06-30")  # the test browser has no internet
    settle(page)
    pixels = canvas_pixels(page)
    assert len(set(pixels)) > 200
    project_blue = sum(any(near(p, c, 30) for c in COUNTRY_RAMP) for p in pixels) / len(pixels)
    assert project_blue > 0.1
