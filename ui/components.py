"""Shared Streamlit pieces: KPI tiles, bullet charts, status badges, banners.

Sheet text is always passed to Streamlit as plain text or Markdown-escaped, never as HTML.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from monitoring.progress import STATUS_COLOURS, STATUS_ICONS, IndicatorProgress

BADGE_COLOURS = {"achieved": "blue", "on track": "green", "at risk": "orange", "behind": "red"}


def fmt(value: float) -> str:
    """12 -> '12', 12.5 -> '12.5', 1234 -> '1,234'."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def escape_md(text: object) -> str:
    """Text from a sheet, safe inside Markdown: no formatting, links or HTML take effect."""
    out = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    return out


def status_badge(status: str) -> None:
    st.badge(status, icon=None, color=BADGE_COLOURS[status], help=f"{STATUS_ICONS[status]} {status}")


def status_label(status: str) -> str:
    return f"{STATUS_ICONS[status]} {status}"


LIGHT_INK = {"ink": "#1F2933", "band": "#E4E7EB", "rule": "#52606D"}
DARK_INK = {"ink": "#F5F7FA", "band": "#3E4C59", "rule": "#CBD2D9"}


def ink() -> dict[str, str]:
    """Neutral colours for marks that must read on the viewer's theme: ink, band (background bar), rule."""
    return DARK_INK if st.context.theme.type == "dark" else LIGHT_INK


def bullet_chart(p: IndicatorProgress, height: int = 56, label_size: int = 11) -> alt.LayerChart:
    """Achieved as a bar, target as the grey band's end and a dark rule, expected by now as a tick."""
    top = max(p.target, p.achieved, p.expected) * 1.05
    row = pd.DataFrame(
        [
            {
                "indicator": p.code,
                "achieved": p.achieved,
                "target": p.target,
                "expected": p.expected,
                "top": top,
                "status": p.status,
            }
        ]
    )
    x = alt.X(
        "target:Q",
        scale=alt.Scale(domain=[0, top], nice=False),
        title=None,
        axis=alt.Axis(grid=False, tickCount=4, labelFontSize=label_size),
    )
    colours = ink()
    band = alt.Chart(row).mark_bar(color=colours["band"], size=26).encode(x=x)
    bar = (
        alt.Chart(row)
        .mark_bar(size=14, color=STATUS_COLOURS[p.status])
        .encode(x="achieved:Q", tooltip=[alt.Tooltip("achieved:Q", title="Achieved")])
    )
    expected = (
        alt.Chart(row)
        .mark_tick(color=colours["ink"], thickness=3, size=30)
        .encode(x="expected:Q", tooltip=[alt.Tooltip("expected:Q", title="Expected by now")])
    )
    target = (
        alt.Chart(row)
        .mark_rule(color=colours["rule"], strokeDash=[4, 2], strokeWidth=2)
        .encode(x="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target")])
    )
    return (
        alt.layer(band, bar, expected, target)
        .properties(height=height, title=alt.TitleParams("", fontSize=1))
        .configure_view(stroke=None)
    )


def kpi_tile(p: IndicatorProgress, previous_label: str) -> None:
    """One indicator: name, achieved of target, status in words and colour, bullet chart, change and forecast."""
    with st.container(border=True):
        st.markdown(f"**{p.code}** · {escape_md(p.name)}")
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.metric(
            "Achieved",
            fmt(p.achieved),
            delta=f"{p.change:+,.0f} since {previous_label}" if p.change else f"no change since {previous_label}",
            delta_color="normal" if p.change else "off",
            help=f"Cumulative {p.unit} from the monitoring records, as of the chosen date.",
        )
        with right:
            st.badge(status_label(p.status), color=BADGE_COLOURS[p.status])
            st.markdown(f"**{p.percent_of_target:.0f} %** of target {fmt(p.target)} {escape_md(p.unit)}")
        st.altair_chart(bullet_chart(p), width="stretch")
        note = " · illustrative target" if p.illustrative else ""
        st.caption(f"Expected by now {fmt(p.expected)} ({p.expected_from}) · forecast at end {fmt(p.forecast)}{note}")


def kpi_tile_compact(p: IndicatorProgress) -> None:
    """The tile for a projector: code and name, achieved of target, status in words, the bullet chart."""
    with st.container(border=True):
        st.markdown(f"**{p.code}** · {escape_md(p.name)}")
        left, right = st.columns([1, 1], vertical_alignment="center")
        left.markdown(f"### {fmt(p.achieved)} / {fmt(p.target)}")
        right.badge(status_label(p.status), color=BADGE_COLOURS[p.status])
        st.altair_chart(bullet_chart(p, height=44, label_size=16), width="stretch")


def sample_banner() -> None:
    st.info(
        "**Sample data.** Organisation names and all numbers are invented, for demonstration.",
        icon=":material/science:",
    )
