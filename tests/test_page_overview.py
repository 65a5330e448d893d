"""The Overview a project manager opens: the tiles show the engine's numbers for the sample."""

import datetime as dt

from tests.conftest import chart_rows, chart_spec, open_page

END = dt.date(2026, 6, 30)


def tiles(at) -> dict[str, str]:
    """Achieved value per indicator code, read from the tile metrics in page order."""
    achieved = [m.value for m in at.metric if m.label == "Achieved"]
    codes = [md.value.split("**")[1] for md in at.markdown if md.value.startswith("**RC")]
    return dict(zip(codes, achieved, strict=True))


def test_overview_counts_come_from_the_data(sample):
    at = open_page()
    counts = {m.label: m.value for m in at.metric[:6]}
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


def test_bullet_charts_show_achieved_expected_and_target(sample):
    at = open_page()
    charts = at.get("vega_lite_chart")
    assert len(charts) == len(sample.settings.indicators)
    spec = chart_spec(charts[2])  # RCO84: 7 of 10, expected 10
    row = chart_rows(charts[2])[0]
    assert (row["indicator"], row["achieved"], row["expected"], row["target"]) == ("RCO84", 7, 10, 10)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "bar", "tick", "rule"]


def test_status_is_shown_in_words_and_behind_indicators_need_attention():
    at = open_page()
    badges = [md.value for md in at.main.markdown if "-badge[" in md.value]
    assert len(badges) == 9
    for word, colour in (("achieved", "blue"), ("on track", "green"), ("at risk", "orange"), ("behind", "red")):
        assert any(b.startswith(f":{colour}-badge[") and word in b for b in badges)
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
