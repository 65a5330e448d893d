"""The Indicator detail page's charts: cumulative per period against the milestones, and a breakdown."""

from __future__ import annotations

import altair as alt
import pandas as pd


def period_chart(series: pd.DataFrame, unit: str) -> alt.Chart:
    """Lines of the achieved cumulative and the milestones per period (`views.indicator.period_view`)."""
    return (
        alt.Chart(series)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:N", title="Reporting period", sort=None),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color("series:N", scale=alt.Scale(range=["#0072B2", "#999999"]), title=None),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=["period", "series", "value"],
        )
        .properties(height=260)
    )


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
