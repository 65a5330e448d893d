"""Shared Streamlit pieces: KPI tiles, bullet charts, status badges, banners.

Sheet text is always passed to Streamlit as plain text or Markdown-escaped, never as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from monitoring.charts import DARK_INK, LIGHT_INK, bullet_spec
from monitoring.dataset import Dataset
from monitoring.measure import achieved_as_of
from monitoring.progress import STATUS_ICONS, IndicatorProgress

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


def ink() -> dict[str, str]:
    """Neutral mark colours that read on the viewer's theme."""
    return DARK_INK if st.context.theme.type == "dark" else LIGHT_INK


def bullet_chart(p: IndicatorProgress, height: int = 56, label_size: int = 11) -> None:
    """Draw the indicator's bullet chart (the same spec the PDF export uses)."""
    st.vega_lite_chart(bullet_spec(p, ink=ink(), height=height, label_size=label_size), width="stretch")


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
            st.markdown(f"**{p.percent_of_target:.0f} %** of target {fmt(p.target)}")
        bullet_chart(p)
        note = " · illustrative target" if p.illustrative else ""
        st.caption(
            f"{escape_md(p.unit).capitalize()} · expected by now {fmt(p.expected)} ({p.expected_from}) · "
            f"forecast at end {fmt(p.forecast)}{note}"
        )


def kpi_tile_compact(p: IndicatorProgress) -> None:
    """The tile for a projector: code and name, achieved of target, status in words, the bullet chart."""
    with st.container(border=True):
        st.markdown(f"**{p.code}** · {escape_md(p.name)}")
        left, right = st.columns([1, 1], vertical_alignment="center")
        left.markdown(f"### {fmt(p.achieved)} / {fmt(p.target)}")
        right.badge(status_label(p.status), color=BADGE_COLOURS[p.status])
        bullet_chart(p, height=44, label_size=16)


def indicator_tie(data: Dataset, code: str, as_of: dt.date, one: str, many: str) -> str | None:
    """'**7** pilots completed = **RCO84** 7 of 10', from the engine's contributions; None if not configured."""
    if code not in data.contributions:
        return None
    value = achieved_as_of(data.contributions[code], as_of)
    target = data.settings.indicator(code).target
    return f"**{fmt(value)}** {one if value == 1 else many} = **{code}** {fmt(value)} of {fmt(target)}"


def place_namer(data: Dataset) -> Callable[[object], str]:
    """A function: location id -> its name ('Tuzla'), the id as written when unknown, '(no location)' when empty."""
    names = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")["name"].to_dict()

    def place(location_id: object) -> str:
        if isinstance(location_id, str) and location_id in names:
            return str(names[location_id])
        return str(location_id) if location_id else "(no location)"

    return place


def sample_banner() -> None:
    st.info(
        "**Sample data.** Organisation names and all numbers are invented, for demonstration.",
        icon=":material/science:",
    )
