"""The Overview's indicator tiles as one block of HTML, each with its bullet chart as a picture.

Why not one Streamlit element per number: a tile made of a container, columns, a metric, a badge,
captions, a Vega-Lite chart and a page link is about ten elements, so nine tiles were ~90 elements
and 9 Vega views for the browser to build — 0.25–0.35 s of the Overview's time to settle, and most
of its cost when 20 people open it at once (README, performance). One HTML block draws in one go.

The bullet chart is `monitoring.charts.bullet_svg`, the drawing the PDF export uses, so the page and
the PDF cannot disagree. The picture has a text alternative with the three numbers. Every text is HTML-escaped; the block is also passed
through Streamlit's sanitiser.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlencode

from monitoring.charts import LIGHT_INK, bullet_svg, status_text_colour
from monitoring.engine.progress import STATUS_ICONS, IndicatorProgress
from monitoring.formatting import number as fmt

CSS = """
<style>
.spinit-tiles { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; margin-bottom: 0.5rem; }
@media (max-width: 760px) { .spinit-tiles { grid-template-columns: minmax(0, 1fr); } }
.spinit-tile { border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem; padding: 0.8rem 1rem;
  display: flex; flex-direction: column; gap: 0.25rem; }
.spinit-tile p { margin: 0; }
.spinit-tile .name { font-size: 0.95rem; }
.spinit-tile .row { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: 0.25rem 1rem; }
.spinit-tile .value { font-size: 2.25rem; line-height: 1.15; }
.spinit-tile .status { font-weight: 600; border: 1px solid currentColor; border-radius: 0.4rem;
  padding: 0 0.45rem; font-size: 0.9rem; white-space: nowrap; }
.spinit-tile .change, .spinit-tile .note, .spinit-tile .more { font-size: 0.85rem; opacity: 0.8; }
.spinit-tile .change.up { opacity: 1; }
.spinit-tile img { width: 100%; height: auto; display: block; }
.spinit-tile .more a { color: inherit; }
.spinit-tiles.compact { gap: 0.8rem; }
.spinit-counts { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 0.5rem 1rem; margin: 0.2rem 0; }
@media (max-width: 760px) { .spinit-counts { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
.spinit-counts .label { font-size: 0.875rem; display: block; }
.spinit-counts .count { font-size: 2.25rem; line-height: 1.2; display: block; }
.spinit-tiles.compact .spinit-tile { padding: 0.5rem 0.9rem; gap: 0.1rem; }
.spinit-tiles.compact .value { font-size: 30px; }
.spinit-tiles.compact .status { font-size: 20px; }
[data-testid="stMain"] .spinit-tiles.compact p.name { font-size: clamp(17px, 1.25vw, 24px) !important; }
</style>
"""


def bullet_alt(p: IndicatorProgress) -> str:
    return f"Bullet chart: achieved {fmt(p.achieved)}, expected {fmt(p.expected)} by now, target {fmt(p.target)}"


def _picture(p: IndicatorProgress, ink: dict[str, str], *, height: int, label_size: int, width: int) -> str:
    from base64 import b64encode

    svg = bullet_svg(p, ink=ink, height=height, label_size=label_size, width=width)
    data = b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(bullet_alt(p))
    return f'<img class="bullet" src="data:image/svg+xml;base64,{data}" alt="{alt}" title="{alt}">'


def _status(p: IndicatorProgress, ink: dict[str, str] = LIGHT_INK) -> str:
    colour = status_text_colour(p.status, ink)
    return f'<span class="status" style="color: {colour}">{STATUS_ICONS[p.status]} {html.escape(p.status)}</span>'


def _change(p: IndicatorProgress, previous_label: str, ink: dict[str, str] = LIGHT_INK) -> str:
    since = html.escape(previous_label)
    if not p.change:
        return f'<span class="change">no change since {since}</span>'
    arrow = "↑" if p.change > 0 else "↓"
    up = f' up" style="color: {status_text_colour("on track", ink)}' if p.change > 0 else ""
    return f'<span class="change{up}">{arrow} {p.change:+,.0f} since {since}</span>'


def tile(
    p: IndicatorProgress,
    previous_label: str,
    as_of: dt.date,
    ink: dict[str, str] = LIGHT_INK,
    *,
    shortfall: bool = False,
    chart_width: int = 340,
) -> str:
    """One indicator: name, achieved and its change, status in words and colour, % of target, the bullet
    chart, expected by now and forecast, and a link to the indicator's page. `shortfall` adds how far
    it is behind plan (for the Needs attention page)."""
    note = " · illustrative target" if p.illustrative else ""
    short = (
        f"<p>Short of plan by <b>{fmt(p.expected - p.achieved)}</b> ({html.escape(p.unit)}); forecast at the end "
        f"{fmt(p.forecast)} of {fmt(p.target)}.</p>"
        if shortfall
        else ""
    )
    link = "indicator?" + urlencode({"indicator": p.code, "as_of": as_of.isoformat()})
    return (
        f'<div class="spinit-tile" data-indicator="{html.escape(p.code)}">'
        f'<p class="name"><b>{html.escape(p.code)}</b> · {html.escape(p.name)}</p>'
        f'<div class="row"><span class="value" data-value="achieved">{fmt(p.achieved)}</span>{_status(p, ink)}</div>'
        f'<div class="row">{_change(p, previous_label, ink)}'
        f"<span><b>{p.percent_of_target:.0f} %</b> of target {fmt(p.target)}</span></div>"
        f"{_picture(p, ink, height=44, label_size=11, width=chart_width)}"
        f'<p class="note">{html.escape(p.unit).capitalize()} · expected by now {fmt(p.expected)} '
        f"({html.escape(p.expected_from)}) · forecast at end {fmt(p.forecast)}{note}</p>"
        f"{short}"
        f'<p class="more"><a href="{html.escape(link)}" target="_self">Details of {html.escape(p.code)} →</a></p>'
        "</div>"
    )


def compact_tile(p: IndicatorProgress, ink: dict[str, str] = LIGHT_INK) -> str:
    """The tile for a projector: code and name, achieved of target, status in words, the bullet chart."""
    return (
        f'<div class="spinit-tile" data-indicator="{html.escape(p.code)}">'
        f'<p class="name"><b>{html.escape(p.code)}</b> · {html.escape(p.name)}</p>'
        f'<div class="row"><span class="value" data-value="achieved">{fmt(p.achieved)} / {fmt(p.target)}</span>'
        f"{_status(p, ink)}</div>"
        f"{_picture(p, ink, height=34, label_size=14, width=400)}"
        "</div>"
    )


def grid(tiles: list[str], *, compact: bool = False, columns: int = 3) -> str:
    """Tiles in a grid, `columns` to a row (one on a phone)."""
    style = f' style="grid-template-columns: repeat({columns}, minmax(0, 1fr))"' if columns != 3 else ""
    return f'{CSS}<div class="spinit-tiles{" compact" if compact else ""}"{style}>{"".join(tiles)}</div>'


def counts(items: dict[str, int]) -> str:
    """The Overview's row of counts (organisations, countries, …) as one block: label above, number below."""
    cells = "".join(
        f'<div data-count="{html.escape(label)}"><span class="label">{html.escape(label)}</span>'
        f'<span class="count">{value:,}</span></div>'
        for label, value in items.items()
    )
    return f'{CSS}<div class="spinit-counts">{cells}</div>'
