"""The filter row the Map and Cooperation pages share, and the Map's own choices beside the map.

Every widget is bound to the URL (?country=Serbia&location=Novi+Sad&cluster=IT&type=workshop&cross_border=true,
?measure=…&places=…&basemap=…), with readable option values and no format_func, so a link reproduces the view.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from monitoring.engine.cooperation import ActivityFilter
from monitoring.engine.geo import chosen_filter, filter_choices
from monitoring.model.config import Settings
from monitoring.views.map import colouring_help, place_colourings
from ui.map_layers import BASEMAPS


def activity_filter(tables: dict[str, pd.DataFrame], as_of: dt.date, settings: Settings) -> ActivityFilter:
    """The shared filter row: country, location, cluster, activity type, cross-border only."""
    choices = filter_choices(tables, settings)
    cols = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
    country = cols[0].selectbox(
        "Country",
        sorted(choices.countries),
        index=None,
        placeholder="All countries",
        key="country",
        bind="query-params",
        help="Only the activities involving this country: one of its organisations took part, or it was held there.",
    )
    place = cols[1].selectbox(
        "Location",
        sorted(choices.places),
        index=None,
        placeholder="All locations",
        key="location",
        bind="query-params",
        help="Only the activities involving this location: one of its organisations took part, or it was held there.",
    )
    with cols[2].popover("Cluster and type", icon=":material/filter_list:", width="stretch"):
        clusters = st.pills(
            "Cluster",
            choices.clusters,
            selection_mode="multi",
            key="cluster",
            bind="query-params",
            help="None chosen: every cluster.",
        )
        types = st.multiselect(
            "Activity type",
            choices.types,
            key="type",
            bind="query-params",
            placeholder="All types",
            help="None chosen: every type.",
        )
    cross_border = cols[3].toggle(
        "Cross-border only",
        key="cross_border",
        bind="query-params",
        help="Only activities with organisations from two or more countries, and only links between countries.",
    )
    return chosen_filter(
        choices, as_of, country=country, place=place, clusters=clusters, types=types, cross_border=cross_border
    )


def map_choices(measures: list[str], settings: Settings) -> tuple[str, str, str]:
    """The Map's choices beside it: (colour countries by, colour places by — '' when the project keeps no plans,
    pilots or hubs —, background)."""
    measure = st.selectbox(
        "Colour countries by",
        measures,
        key="measure",
        bind="query-params",
        help="A count from the joint activities below, or an indicator's value per country (as of the date).",
    )
    options = place_colourings(settings)
    colour_by = (
        st.pills(
            "Colour places by",
            options,
            default=options[0],
            key="places",
            bind="query-params",
            required=True,
            help=colouring_help(options, settings),
        )
        or options[0]  # `?places=` (empty) gives None despite required=True
        if options
        else ""
    )
    basemap = st.segmented_control(
        "Background",
        list(BASEMAPS),
        default="Plain",
        key="basemap",
        bind="query-params",
        required=True,
        help="Plain works offline: the country shapes are bundled. Carto draws its light street map (online only).",
    )
    return measure, colour_by, basemap
