"""The bullet chart drawn in plain Python: the same axis steps Vega would choose, and sane edge cases."""

import re

import pytest

from monitoring.charts import DARK_INK, bullet_svg, nice_ticks
from monitoring.engine.progress import STATUS_COLOURS, IndicatorProgress


def progress(achieved: float, target: float, expected: float, status: str = "on track") -> IndicatorProgress:
    return IndicatorProgress("RCO87", "Organisations", "organisations", "output", 0, target, False, achieved,
                             expected, "linear", 0, status, 0, 0, 0)  # fmt: skip


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (31.5, [0, 10, 20, 30]),
        (10.5, [0, 2, 4, 6, 8, 10]),
        (1312.5, [0, 500, 1000]),
        (5.25, [0, 1, 2, 3, 4, 5]),
        (0.84, [0, 0.2, 0.4, 0.6000000000000001, 0.8]),
        (0, [0]),
    ],
)
def test_axis_steps_are_1_2_or_5_times_a_power_of_ten(top, ticks):
    assert nice_ticks(top) == pytest.approx(ticks)


def bars(svg: str) -> list[tuple[float, float]]:
    """(x, width) of each rect: band, achieved bar, expected tick."""
    return [(float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)]


def test_achieved_bar_expected_tick_and_target_rule_sit_where_the_numbers_say():
    svg = bullet_svg(progress(15, 30, 20), width=340, height=44, label_size=10)
    (band_x, band_w), (bar_x, bar_w), (tick_x, _) = bars(svg)
    assert bar_x == band_x and bar_w == pytest.approx(band_w / 2, abs=0.05)  # 15 of 30
    assert tick_x + 1.5 == pytest.approx(band_x + band_w * 20 / 30, abs=0.05)  # expected 20
    assert f'fill="{STATUS_COLOURS["on track"]}"' in svg
    assert re.findall(r">([0-9,.]+)</text>", svg) == ["0", "10", "20", "30"]


def test_over_achievement_runs_past_the_target_and_zero_draws_no_bar():
    over = bars(bullet_svg(progress(1250, 1200, 1200, "achieved")))
    assert over[1][1] > over[0][1]
    nothing = bullet_svg(progress(0, 0, 0))
    assert bars(nothing)[1][1] == 0 and "nan" not in nothing.lower()


def test_dark_theme_ink_and_the_text_alternative():
    svg = bullet_svg(progress(3, 6, 4, "behind"), ink=DARK_INK)
    assert f'fill="{DARK_INK["ink"]}"' in svg
    assert "<title>RCO87: achieved 3, expected 4 by now, target 6</title>" in svg
    assert "<title>" not in bullet_svg(progress(3, 6, 4), title=False)
