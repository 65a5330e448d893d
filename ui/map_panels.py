"""The Map page's words around the map: the headline, the legends, the "Most connected" lists and the tables.

Sheet text (place names) is Markdown-escaped or drawn as HTML-escaped text, never as Markdown or HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from monitoring.views.map import LINK_COLOUR, Headline
from ui.components import escape_md


def headline(line: Headline) -> None:
    """**Strongest link** A ↔ B (n joint activities) · **busiest place** … · **most active country** …"""
    a, b = line.link
    st.markdown(
        f"**Strongest link** {escape_md(a)} ↔ {escape_md(b)} ({line.link_activities:,} joint activities) · "
        f"**busiest place** {escape_md(line.place)} ({line.place_activities:,}) · "
        f"**most active country** {line.country} ({line.country_activities:,})"
    )


def legend(title: str, items: Sequence[tuple[str, str]], shape: str = "square") -> None:
    """A legend: colour swatches with words beside them. Titles and labels are escaped (never sheet HTML)."""
    radius = "50%" if shape == "circle" else "2px"
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5em;margin:.1em 0">'
        f'<span style="flex:none;width:.95em;height:.95em;border-radius:{radius};background:{html.escape(colour)};'
        f'border:1px solid #51606E"></span><span>{html.escape(label)}</span></div>'
        for colour, label in items
    )
    st.markdown(
        f'<div style="font-size:.9rem;line-height:1.35"><b>{html.escape(title)}</b>{rows}</div>',
        unsafe_allow_html=True,
    )


def width_legend(title: str, samples: Sequence[tuple[float, str]], colour: str = LINK_COLOUR) -> None:
    """Line widths with their numbers: `samples` is (pixels, label)."""
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
        f'<span style="flex:none;width:2.2em;height:{px:.1f}px;background:{html.escape(colour)};border-radius:2px"></span>'
        f"<span>{html.escape(label)}</span></div>"
        for px, label in samples
    )
    st.markdown(
        f'<div style="font-size:.9rem;line-height:1.35"><b>{html.escape(title)}</b>{rows}</div>',
        unsafe_allow_html=True,
    )


def numbered(title: str, lines: list[str], empty: str = "") -> None:
    """A bold title over a numbered list of Markdown lines (`empty` when there are none)."""
    st.markdown(f"**{title}**")
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)) or empty)


def most_connected(
    links: list[tuple[str, str, int]],
    places: list[tuple[str, str, str, int, int]],
    countries: list[tuple[str, int, int]],
) -> None:
    """The three "Most connected" lists side by side (from monitoring.views.map)."""
    first, second, third = st.columns(3)
    with first:
        numbered(
            "Strongest links between places",
            [f"{escape_md(a)} ↔ {escape_md(b)}: **{n:,}** joint activities" for a, b, n in links],
            "No links under these filters.",
        )
    with second:
        numbered(
            "Busiest places",
            [
                f"{escape_md(name)} ({country}{', ' + hub if hub else ''}): **{n:,}** activities, linked with {k} places"
                for name, country, hub, n, k in places
            ],
            "No activities under these filters.",
        )
    with third:
        numbered(
            "Countries with most cross-border work",
            [f"{name}: **{n:,}** cross-border activities with {k} countries" for name, n, k in countries],
        )


def country_table(table: pd.DataFrame, measure: str, meaning: str) -> None:
    """The "By country" table (monitoring.views.map.CountryColouring.table)."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn("Country", width="medium"),
            "measure": st.column_config.NumberColumn(f"Map colour: {measure}", help=meaning),
            "activities": "Joint activities",
            "cross_border_activities": "Cross-border",
            "organisations": "Organisations taking part",
            "participants": "Participants (held here)",
            "partner_countries": "Partner countries",
            "locations": "Locations",
        },
    )


def place_table(table: pd.DataFrame) -> None:
    """The "By place" table (monitoring.views.map.place_table)."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            name: config
            for name, config in {
                "name": "Place",
                "country": "Country",
                "hub": "Hub",
                "activities": "Joint activities",
                "held": "Held here",
                "participants": "Participants (held here)",
                "linked_locations": "Linked places",
                "organisations": "Organisations based here",
                "lap_stage": "Action plan stage",
                "pilot_stage": "Pilot stage",
            }.items()
            if name in table.columns  # a column the project does not keep (the hub) is not configured either
        },
    )


def link_table(table: pd.DataFrame) -> None:
    """The "All links" table (monitoring.views.map.link_table)."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "name_a": "One place",
            "name_b": "The other place",
            "countries": "Countries",
            "activities": "Joint activities",
        },
    )
