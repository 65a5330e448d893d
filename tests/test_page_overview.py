"""The Overview a project manager opens: the tiles show the engine's numbers for the sample."""

import base64
import datetime as dt
import re

from monitoring import charts
from tests.conftest import open_page, overview_counts

END = dt.date(2026, 6, 30)


def tile_html(at) -> dict[str, str]:
    """Each tile's HTML by indicator code, in page order."""
    body = "".join(h.proto.body for h in at.get("html") if "spinit-tile" in h.proto.body)
    parts = body.split('<div class="spinit-tile" data-indicator="')[1:]
    return {part.split('"', 1)[0]: part for part in parts}


def tiles(at) -> dict[str, str]:
    """Achieved value per indicator code, as the tiles show it."""
    return {code: re.search(r'data-value="achieved">([^<]+)<', part).group(1) for code, part in tile_html(at).items()}


def test_overview_counts_come_from_the_data(sample):
    at = open_page()
    counts = overview_counts(at)
    assert counts == {
        "Organisations": "30",
        "Countries": "8",
        "Locations": "10",
        "Pilots": "10",
        "Action plans": "10",
        "Activities": str(sample.counts()["activities"]),
    }


def test_every_indicator_has_a_tile_with_the_engines_number_outputs_first(sample):
    at = open_page()
    expected = {p.code: f"{p.achieved:,.0f}" for p in sample.progress(END)}
    shown = tiles(at)
    assert shown == expected
    assert list(shown)[:6] == ["RCO87", "RCO83", "RCO84", "RCO116", "RCO81", "RCO85"]


def bullet_svg(part: str) -> str:
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', part).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_every_tile_has_a_bullet_chart_of_achieved_expected_and_target(sample):
    at = open_page()
    shown = tile_html(at)
    assert len(shown) == len(sample.settings.indicators)
    rco84 = shown["RCO84"]  # 7 of 10, expected 10
    assert 'alt="Bullet chart: achieved 7, expected 10 by now, target 10"' in rco84
    svg = bullet_svg(rco84)
    assert svg.startswith("<svg") and "<title>RCO84: achieved 7, expected 10 by now, target 10</title>" in svg
    assert 'fill="#E69F00"' in svg  # RCO84 is at risk: its bar in the at-risk colour
    assert re.findall(r">([0-9,]+)</text>", svg) == ["0", "2", "4", "6", "8", "10"]
    # The very drawing the PDF status pack uses.
    assert svg == charts.bullet_svg(sample.progress(END)[2], height=44, width=340)


def test_a_tile_links_to_its_indicator_at_the_same_date():
    at = open_page(as_of="2025-06-30")
    assert 'href="indicator?indicator=RCO87&amp;as_of=2025-06-30"' in tile_html(at)["RCO87"]


def test_sheet_text_in_a_tile_is_escaped():
    from monitoring.engine.progress import IndicatorProgress
    from ui.tiles import tile

    p = IndicatorProgress(
        "RCO87", "<script>x</script>", "orgs & <b>", "output", 0, 30, False, 3, 2, "linear", 10, "on track", 1, 2, 30
    )
    out = tile(p, "P1", END)
    assert "<script>" not in out and "&lt;script&gt;" in out and "orgs &amp; &lt;b&gt;" in out.lower()


def test_status_is_shown_in_words_and_behind_indicators_need_attention():
    at = open_page()
    shown = tile_html(at)
    words = {
        code: re.search(r'<span class="status"[^>]*>[^ ]+ ([^<]+)</span>', part).group(1)
        for code, part in shown.items()
    }
    assert words["RCO87"] == "achieved" and words["RCO83"] == "on track"
    assert words["RCO84"] == "at risk" and words["RCO116"] == "behind"
    attention = next(md.value for md in at.markdown if md.value.startswith("**Needs attention**"))
    assert "RCO84" in attention and "RCO116" in attention and "RCR79" in attention and "RCR104" in attention
    assert "RCO87" not in attention


def test_sample_data_is_said_on_the_page():
    at = open_page()
    assert any("Sample data" in i.value for i in at.info)


def test_as_of_in_the_url_shows_the_project_as_it_stood_then(sample):
    at = open_page(as_of="2024-12-31")
    expected = {p.code: f"{p.achieved:,.0f}" for p in sample.progress(dt.date(2024, 12, 31))}
    assert tiles(at) == expected
    assert tiles(at)["RCO87"] == "16"


def test_picking_a_reporting_period_moves_the_as_of_date_to_its_end():
    at = open_page()
    at.selectbox(key="period").select(3).run()
    assert at.date_input(key="as_of").value == dt.date(2025, 6, 30)
    assert tiles(at)["RCO87"] == "22"
