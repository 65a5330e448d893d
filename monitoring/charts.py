"""The bullet chart shared by the pages and the PDF: SVG drawn in plain Python (no Streamlit, no browser).

One drawing for the Overview's tiles and the PDF status pack, so the two cannot disagree. It was a
Vega-Lite spec rendered by vl-convert; that renderer kept ~90 MB in the server process and took
0.5 s on its first chart, for four rectangles, two lines and an axis."""

from __future__ import annotations

import html
import math

from monitoring.engine.progress import STATUS_COLOURS, IndicatorProgress
from monitoring.formatting import number

# Neutral colours for marks that must read on the background: ink (expected tick), band, rule (target).
LIGHT_INK = {"ink": "#1F2933", "band": "#E4E7EB", "rule": "#52606D"}
DARK_INK = {"ink": "#F5F7FA", "band": "#3E4C59", "rule": "#CBD2D9"}
# The status colours as *text* on the page (the tiles' status words, "↑ +4 since P4"): the Okabe-Ito marks of
# STATUS_COLOURS are too light for text on white (green 3.4:1, orange 2.3:1) or too dark on black (blue, red);
# these keep each hue at 4.5:1 or more (WCAG AA) on Streamlit's light and dark backgrounds.
STATUS_TEXT_LIGHT = {
    "achieved": "#0072B2",
    "on track": "#007A5A",
    "at risk": "#8A5A00",
    "behind": "#B34700",
    "due after the project": "#9E4A7D",
}
STATUS_TEXT_DARK = {
    "achieved": "#56B4E9",
    "on track": "#00B386",
    "at risk": "#E69F00",
    "behind": "#F07E26",
    "due after the project": "#CC79A7",
}


def status_text_colour(status: str, ink: dict[str, str] = LIGHT_INK) -> str:
    """The colour for a status word on the background that `ink` is made for (light unless DARK_INK)."""
    text = STATUS_TEXT_DARK if ink == DARK_INK else STATUS_TEXT_LIGHT
    return text.get(status, STATUS_COLOURS.get(status, ink["ink"]))


# Quoted: an unquoted family name with a digit ("Source Sans 3") voids the whole list in a browser.
FONTS = "'Source Sans Pro', 'Source Sans 3', 'DejaVu Sans', Arial, sans-serif"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to `top`, about `count` steps (the rule Vega and d3 use: steps of 1, 2 or 5
    times a power of ten)."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    error = raw / power
    factor = 10 if error >= math.sqrt(50) else 5 if error >= math.sqrt(10) else 2 if error >= math.sqrt(2) else 1
    step = factor * power
    return [i * step for i in range(int(top / step + 1e-9) + 1)]


def bullet_svg(
    p: IndicatorProgress,
    *,
    ink: dict[str, str] = LIGHT_INK,
    width: int = 340,
    height: int = 44,
    label_size: int = 11,
    title: bool = True,
) -> str:
    """The bullet chart as SVG: the band up to the target, achieved as a bar in the status colour, expected
    by the date as a tick, the target as a dashed rule, and an axis. Transparent, scales to its box."""
    top = max(p.target, p.achieved, p.expected, 0) * 1.05 or 1.0
    left, right = label_size * 0.9, label_size * 1.6
    plot = width - left - right

    def x(value: float) -> float:
        return round(left + plot * max(value, 0) / top, 2)

    mid = height / 2
    band, bar, tick = height * 0.6, height * 0.32, height * 0.7
    axis_y = height + 2
    total = round(axis_y + label_size * 1.6)
    label = html.escape(
        f"{p.code}: achieved {number(p.achieved)}, expected {number(p.expected)} by now, target {number(p.target)}"
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total}" width="{width}" height="{total}" '
        f'role="img" font-family="{FONTS}">',
        f"<title>{label}</title>" if title else "",
        f'<rect x="{left}" y="{mid - band / 2}" width="{x(p.target) - left}" height="{band}" fill="{ink["band"]}"/>',
        f'<rect x="{left}" y="{mid - bar / 2}" width="{x(p.achieved) - left}" height="{bar}" '
        f'fill="{STATUS_COLOURS[p.status]}"/>',
        f'<rect x="{x(p.expected) - 1.5}" y="{mid - tick / 2}" width="3" height="{tick}" fill="{ink["ink"]}"/>',
        f'<line x1="{x(p.target)}" y1="0" x2="{x(p.target)}" y2="{height}" stroke="{ink["rule"]}" '
        'stroke-width="2" stroke-dasharray="4 2"/>',
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot}" y2="{axis_y}" stroke="{ink["rule"]}" stroke-width="1"/>',
    ]
    for value in nice_ticks(top):
        at = x(value)
        parts.append(f'<line x1="{at}" y1="{axis_y}" x2="{at}" y2="{axis_y + 4}" stroke="{ink["rule"]}"/>')
        parts.append(
            f'<text x="{at}" y="{axis_y + 4 + label_size}" font-size="{label_size}" fill="{ink["ink"]}" '
            f'text-anchor="middle">{number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
