"""The Altair charts of the Cooperation page: the country heatmap, hub links per period and per pair of hubs,
and the cooperation indicator over time. Each takes a frame from `monitoring.engine.cooperation` or
`monitoring.views.cooperation` and returns the chart; the page draws it."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitoring.outputs.meetings import Meeting
from monitoring.views.cooperation import IndicatorLine
from monitoring.views.map import COUNTRY_RAMP
from ui.meeting_rules import meeting_layer


def country_heatmap(matrix: pd.DataFrame, countries: int) -> alt.LayerChart:
    """Countries × countries, each cell the joint activities between them, with its number (cooperation.country_matrix)."""
    top = max(int(matrix["activities"].max()) if len(matrix) else 0, 1)
    base = alt.Chart(matrix).encode(
        x=alt.X(
            "partner_name:N",
            title=None,
            sort="ascending",
            axis=alt.Axis(labelAngle=-40, orient="top", labelOverlap=False, labelLimit=180, labelFontSize=12),
        ),
        y=alt.Y("country_name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=220, labelFontSize=12)),
        tooltip=[
            alt.Tooltip("country_name:N", title="Country"),
            alt.Tooltip("partner_name:N", title="With"),
            alt.Tooltip("activities:Q", title="Joint activities"),
        ],
    )
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=1).encode(
        color=alt.Color(
            "activities:Q",
            title="Joint activities",
            scale=alt.Scale(range=[COUNTRY_RAMP[0], COUNTRY_RAMP[-1]], domain=[0, top]),
        )
    )
    numbers = base.mark_text(fontSize=13).encode(
        text=alt.Text("activities:Q", format=",d"),
        color=alt.condition(alt.datum.activities > top * 0.55, alt.value("#FFFFFF"), alt.value("#1F2933")),
    )
    return (cells + numbers).properties(height=max(240, 34 * countries + 110))


def hub_share_bars(shares: pd.DataFrame) -> alt.LayerChart:
    """The share of activities linking hubs per reporting period, labelled (views.cooperation.hub_link_shares)."""
    bars = alt.Chart(shares).encode(
        x=alt.X("period:N", title="Reporting period", sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("percent:Q", title="% of activities", scale=alt.Scale(domain=[0, 100])),
        tooltip=[
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("hub_links:Q", title="Linking hubs"),
            alt.Tooltip("activities:Q", title="All activities"),
            alt.Tooltip("label:N", title="Share"),
        ],
    )
    return (
        bars.mark_bar(color="#0072B2", size=38) + bars.mark_text(dy=-9, fontSize=12).encode(text="label:N")
    ).properties(height=260)


def hub_grid(hubs: pd.DataFrame) -> alt.LayerChart:
    """Developing hubs × advanced hubs, each cell the activities joining them (cooperation.hub_pairs)."""
    peak = max(int(hubs["activities"].max()), 1)
    grid = alt.Chart(hubs).encode(
        x=alt.X(
            "advanced_name:N",
            title="Advanced hub",
            axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=160, labelFontSize=12),
        ),
        y=alt.Y("developing_name:N", title="Developing hub", axis=alt.Axis(labelLimit=160, labelFontSize=12)),
        tooltip=[
            alt.Tooltip("developing_name:N", title="Developing"),
            alt.Tooltip("advanced_name:N", title="Advanced"),
            alt.Tooltip("activities:Q", title="Joint activities"),
        ],
    )
    return (
        grid.mark_rect(stroke="#FFFFFF").encode(
            color=alt.Color(
                "activities:Q",
                title="Joint activities",
                scale=alt.Scale(range=["#FFF3D6", "#D55E00"], domain=[0, peak]),
            )
        )
        + grid.mark_text(fontSize=13).encode(
            text=alt.Text("activities:Q", format=",d"),
            color=alt.condition(alt.datum.activities > peak * 0.6, alt.value("#FFFFFF"), alt.value("#1F2933")),
        )
    ).properties(height=260)


def indicator_over_time(line: IndicatorLine, unit: str, title: str, meetings: Sequence[Meeting] = ()) -> alt.LayerChart:
    """The achieved value as a step line, the target as a dashed rule, the milestones as diamonds, and each
    meeting (`monitoring.outputs.meetings.meetings`) as a labelled dotted rule.

    `unit` is the y axis title ('organisations'), `title` the line's tooltip name ('Organisations')."""
    x = alt.X("date:T", title=None, scale=alt.Scale(domain=[line.start.isoformat(), line.end.isoformat()]))
    achieved = (
        alt.Chart(line.achieved)
        .mark_line(interpolate="step-after", color="#0072B2", strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y("cumulative:Q", title=unit),
            tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("cumulative:Q", title=title)],
        )
    )
    rule = alt.Chart(line.target).mark_rule(color="#52606D", strokeDash=[6, 3], strokeWidth=2).encode(y="target:Q")
    rule_text = (
        alt.Chart(line.target)
        .mark_text(align="left", dx=4, dy=-8, color="#52606D", fontSize=12)
        .encode(y="target:Q", text="label:N", x=alt.value(0))
    )
    layers = [achieved, rule, rule_text]
    if not line.planned.empty:
        layers.append(
            alt.Chart(line.planned)
            .mark_point(shape="diamond", size=90, color="#999999", filled=True)
            .encode(x=x, y="planned:Q", tooltip=[alt.Tooltip("date:T", title="Period end"), "planned:Q"])
        )
    if meetings:
        layers.insert(0, meeting_layer(meetings))  # under the line
    return alt.layer(*layers).properties(height=260)
