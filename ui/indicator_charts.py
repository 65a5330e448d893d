"""The Indicator detail page's charts: cumulative per period against the milestones, and a breakdown."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitoring.meetings import Meeting
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


def breakdown_chart(breakdown: pd.DataFrame, dimension: str, label: str, unit: str) -> alt.Chart:
    """Bars of the amount per value of `dimension` (`measure.by_dimension`), largest first."""
    return (
        alt.Chart(breakdown)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("amount:Q", title=unit),
            y=alt.Y(f"{dimension}:N", sort="-x", title=label),
            tooltip=[dimension, "amount"],
        )
        .properties(height=max(120, 24 * len(breakdown)))
    )
