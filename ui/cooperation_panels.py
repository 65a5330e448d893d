"""The Cooperation page's headline numbers and its directory table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitoring.views.cooperation import CooperationNumbers


def headline(numbers: CooperationNumbers, hubs: bool) -> None:
    """Four numbers: organisations taking part, working across borders, country pairs, activities linking hubs (only
    where the project declares hub levels: `hubs`)."""
    organisations = len(numbers.directory)
    cols = st.columns(4 if hubs else 3)
    cols[0].metric("Organisations taking part", f"{numbers.taking_part} of {organisations}")
    cols[1].metric(
        "Working across borders",
        f"{numbers.across_borders} of {organisations}",
        help="Organisations with at least one activity under these filters together with an organisation from another "
        "country.",
    )
    cols[2].metric(
        "Country pairs working together",
        f"{len(numbers.pairs)} of {numbers.possible_pairs}",
        help="Pairs of the project's countries joined by at least one activity.",
    )
    if hubs:
        cols[3].metric(
            "Activities linking hubs",
            "–" if numbers.hub_share is None else f"{numbers.hub_share:.0%}",
            help="Share of the activities that join an organisation at a developing hub with one at an advanced hub.",
        )


def directory_table(table: pd.DataFrame) -> None:
    """The directory of organisations (monitoring.views.cooperation.directory_table)."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            name: config
            for name, config in {
                "name": "Organisation",
                "role": "Role",
                "org_type": "Type",
                "country_name": "Country",
                "city": "City",
                "location": "Location",
                "hub": "Hub",
                "activities": st.column_config.NumberColumn("Joint activities", help="Under the filters above."),
                "cross_border_activities": "Cross-border",
                "cross_border_partners": st.column_config.NumberColumn(
                    "Partners abroad", help="Distinct organisations from other countries it took part with."
                ),
                "partner_countries": "Partner countries",
                "first_cross_border": st.column_config.DateColumn("First cross-border", format="YYYY-MM-DD"),
            }.items()
            if name in table.columns  # a column the project does not keep (the hub) is not configured either
        },
    )
