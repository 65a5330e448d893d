"""The Indicator detail page's charts: cumulative per period against the milestones, and a breakdown."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitoring.outputs.meetings import Meeting
from ui.meeting_rules import meeting_layer


def period_chart(series: pd.DataFrame, unit: str, meetings: Sequence[Meeting] = ()) -> alt.Chart | alt.LayerChart:
    """Lines of the achieved cumulative and the milestones at each period's end (`views.indicator.period_view`),
    with the meetings (steering committees) as labelled rules so a committee sees what happened since its last."""
    rows = series.assign(end=series["end"].map(lambda day: day.isoformat()))
    lines = (
        alt.Chart(rows)
        .mark_line(point=True)
        .encode(
            x=alt.X("end:T", title="End of reporting period", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color("series:N", scale=alt.Scale(range=["#0072B2", "#999999"]), title=None),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=["period", "series", "value"],
        )
        .properties(height=260)
    )
    return alt.layer(lines, meeting_layer(meetings)).properties(height=260) if meetings else lines


def breakdown_chart(breakdown: pd.DataFrame, label: str, unit: str) -> alt.Chart:
    """Bars of the amount per name (`views.indicator.breakdown_rows`), largest first, every name written in full; an
    axis in whole units when every amount is whole (pilot actions, organisations), as a room counts them."""
    whole = bool((breakdown["amount"] % 1 == 0).all())
    return (
        alt.Chart(breakdown)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("amount:Q", title=unit, axis=alt.Axis(tickMinStep=1, format="d") if whole else alt.Axis()),
            y=alt.Y("name:N", sort="-x", title=label, axis=alt.Axis(labelLimit=320)),
            tooltip=[alt.Tooltip("name:N", title=label), alt.Tooltip("amount:Q", title=unit)],
        )
        .properties(height=max(120, 28 * len(breakdown)))
    )
