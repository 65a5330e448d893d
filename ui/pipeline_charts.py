"""The Altair charts of the Pilots and Local Action Plans pages: built from the rows monitoring.views computes.

Statuses are coloured Okabe-Ito and always written beside the mark too, so a status never depends on colour alone.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from monitoring.engine import pipelines
from monitoring.views.pilots import PAST

STATUS_COLOURS = {
    pipelines.STALLED: "#D55E00",
    pipelines.MOVING: "#0072B2",
    pipelines.DONE: "#009E73",
    pipelines.NOT_STARTED: "#999999",
    pipelines.NO_DATE: "#999999",
}
PAST_COLOUR = "#9AA5B1"
INK = "#1F2933"


def _time_axis(start: dt.date, as_of: dt.date) -> tuple[alt.Scale, alt.Axis]:
    """From the project start to the as-of day, with room on the right for the status words; a tick per quarter."""
    first, cutoff = pd.Timestamp(start), pd.Timestamp(as_of)
    span = max((cutoff - first).days, 60)
    scale = alt.Scale(domain=[first.isoformat(), (cutoff + pd.Timedelta(days=span * 0.45)).isoformat()])
    ticks = [alt.DateTime(year=d.year, month=d.month, date=1) for d in pd.date_range(first, cutoff, freq="QS")]
    return scale, alt.Axis(values=ticks, format="%b %y", title=None, grid=True)


def _as_of_rule(as_of: dt.date, scale: alt.Scale) -> alt.Chart:
    """The dashed vertical line at the as-of day."""
    return (
        alt.Chart(pd.DataFrame({"as_of": [pd.Timestamp(as_of)]}))
        .mark_rule(color=INK, strokeDash=[4, 3])
        .encode(x=alt.X("as_of:T", scale=scale))
    )


def stage_matrix(matrix: pd.DataFrame) -> alt.LayerChart:
    """Cluster x stage heat map with the count in each cell (`monitoring.views.pilots.matrix_rows`), the stages in
    the matrix's (the lifecycle's) order."""
    x_stage = alt.X(
        "stage:N",
        sort=matrix["stage"].drop_duplicates().tolist(),
        title=None,
        axis=alt.Axis(labelAngle=-35, orient="top", labelOverlap=False, labelFontSize=12),
    )
    y_cluster = alt.Y("cluster:N", sort=None, title=None)
    top = max(int(matrix["pilots"].max()), 1)
    return alt.layer(
        alt.Chart(matrix)
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x_stage,
            y=y_cluster,
            color=alt.Color("pilots:Q", scale=alt.Scale(domain=[0, top], range=["#F5F7FA", "#0072B2"]), legend=None),
            tooltip=["cluster:N", "stage:N", "pilots:Q"],
        ),
        alt.Chart(matrix)
        .mark_text(fontSize=16, fontWeight="bold")
        .encode(
            x=x_stage,
            y=y_cluster,
            text="text:N",
            color=alt.condition(f"datum.pilots > {top / 2}", alt.value("white"), alt.value(INK)),
        ),
    ).properties(height=50 * matrix["cluster"].nunique() + 100)


def pilot_gantt(
    gantt: pd.DataFrame, waits: pd.DataFrame, order: list[str], status_order: list[str], start: dt.date, as_of: dt.date
) -> alt.LayerChart:
    """Bars (first to second dated stage), waits for the done stage, its diamonds, status words and the as-of line
    (`monitoring.views.pilots.gantt_rows`); pilots in `order`, the legend lists the statuses present."""
    x_scale, x_axis = _time_axis(start, as_of)
    y_pilot = alt.Y("label:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=200))
    colour_scale = alt.Scale(
        domain=[*status_order, PAST], range=[*(STATUS_COLOURS[s] for s in status_order), PAST_COLOUR]
    )
    present = set(gantt["status"])
    legend = alt.Legend(title=None, orient="top", values=[x for x in status_order if x in present])
    return alt.layer(
        alt.Chart(gantt)
        .mark_bar(height=14, cornerRadius=3)
        .encode(
            x=alt.X("bar_start:T", scale=x_scale, axis=x_axis),
            x2="bar_end:T",
            y=y_pilot,
            color=alt.Color("bar_status:N", scale=colour_scale, legend=legend),
            tooltip=[
                alt.Tooltip("label:N", title="Pilot"),
                alt.Tooltip("title:N", title="Title"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("bar_start:T", title="Start", format="%d %b %Y"),
                alt.Tooltip("bar_end:T", title="End (or as-of day)", format="%d %b %Y"),
            ],
        ),
        alt.Chart(waits)
        .mark_rule(strokeWidth=4)
        .encode(
            x=alt.X("bar_end:T", scale=x_scale),
            x2="wait_end:T",
            y=y_pilot,
            color=alt.Color("wait_status:N", scale=colour_scale, legend=None),
        ),
        alt.Chart(gantt)
        .mark_point(shape="diamond", size=140, filled=True, color="#009E73", opacity=1)
        .encode(
            x=alt.X("done_on:T", scale=x_scale),
            y=y_pilot,
            tooltip=[alt.Tooltip("done_on:T", title="Done", format="%d %b %Y")],
        ),
        alt.Chart(gantt)
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(
            x=alt.X("text_at:T", scale=x_scale),
            y=y_pilot,
            text="status_text:N",
            color=alt.Color("status:N", scale=colour_scale, legend=None),
        ),
        _as_of_rule(as_of, x_scale),
    ).properties(height=30 * max(len(order), 1) + 90)


def replication_matrix(rows: pd.DataFrame, places: list[str], order: list[str]) -> alt.LayerChart:
    """Pilot x location cells, 'home' grey and 'replica' blue (`monitoring.views.pilots.replication`)."""
    x_place = alt.X(
        "place:N", sort=places, scale=alt.Scale(domain=places), title=None, axis=alt.Axis(orient="top", labelAngle=-30)
    )
    y_rep = alt.Y("pilot:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=200))
    role_colour = alt.Color(
        "role:N", scale=alt.Scale(domain=["home", "replicated"], range=["#E4E7EB", "#0072B2"]), legend=None
    )
    return alt.layer(
        alt.Chart(rows).mark_rect(stroke="white", strokeWidth=2).encode(x=x_place, y=y_rep, color=role_colour),
        alt.Chart(rows)
        .mark_text(fontSize=11)
        .encode(
            x=x_place,
            y=y_rep,
            text="text:N",
            color=alt.condition("datum.role == 'replicated'", alt.value("white"), alt.value(INK)),
        ),
    ).properties(height=30 * max(len(order), 1) + 100)


def plan_timeline(
    timeline: pd.DataFrame,
    waiting: pd.DataFrame,
    words: pd.DataFrame,
    order: list[str],
    status_order: list[str],
    start: dt.date,
    as_of: dt.date,
) -> alt.LayerChart:
    """Each plan's numbered stage dots joined by a line, the time in the current stage as a thick line to the
    as-of day, the status in words, and the as-of line (`monitoring.views.action_plans.timeline_rows`)."""
    x_scale, x_axis = _time_axis(start, as_of)
    y = alt.Y("plan:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=220))
    present = set(words["status"])
    status_colour = alt.Color(
        "status:N",
        scale=alt.Scale(domain=status_order, range=[STATUS_COLOURS[s] for s in status_order]),
        legend=alt.Legend(title=None, orient="top", values=[x for x in status_order if x in present]),
    )
    path = (
        alt.Chart(timeline)
        .mark_line(color=PAST_COLOUR, strokeWidth=2)
        .encode(x=alt.X("date:T", scale=x_scale, axis=x_axis), y=y, detail="plan:N")
    )
    in_stage = (
        alt.Chart(waiting)
        .mark_rule(strokeWidth=5, opacity=0.8)
        .encode(
            x=alt.X("since:T", scale=x_scale),
            x2="as_of:T",
            y=y,
            color=status_colour,
            tooltip=[
                alt.Tooltip("plan:N", title="Plan"),
                alt.Tooltip("stage_label:N", title="Current stage"),
                alt.Tooltip("since:T", title="Since", format="%d %b %Y"),
                alt.Tooltip("days_in_stage:Q", title="Days in stage"),
            ],
        )
    )
    points = (
        alt.Chart(timeline)
        .mark_circle(size=150, color=INK, opacity=1)
        .encode(
            x=alt.X("date:T", scale=x_scale),
            y=y,
            tooltip=[
                alt.Tooltip("plan:N", title="Plan"),
                alt.Tooltip("stage_name:N", title="Stage"),
                alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
            ],
        )
    )
    numbers = (
        alt.Chart(timeline)
        .mark_text(color="white", fontSize=10, fontWeight="bold")
        .encode(x=alt.X("date:T", scale=x_scale), y=y, text="stage_no:Q")
    )
    status_words = (
        alt.Chart(words)
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(x=alt.X("as_of:T", scale=x_scale), y=y, text="chart_text:N", color=status_colour)
    )
    return alt.layer(path, in_stage, points, numbers, status_words, _as_of_rule(as_of, x_scale)).properties(
        height=32 * len(order) + 90
    )


def plan_funnel(bars: pd.DataFrame) -> alt.LayerChart:
    """How many plans reached each stage, on a grey bar of all plans (`monitoring.views.action_plans.funnel_rows`)."""
    total = int(bars["total"].max()) if len(bars) else 0
    y_stage = alt.Y("label:N", sort=bars["label"].tolist(), title=None, axis=alt.Axis(labelLimit=200))
    count_scale = alt.Scale(domain=[0, max(total, 1) * 1.15])
    return alt.layer(
        alt.Chart(bars).mark_bar(color="#E4E7EB", size=22).encode(x=alt.X("total:Q", scale=count_scale), y=y_stage),
        alt.Chart(bars)
        .mark_bar(color="#0072B2", size=22)
        .encode(
            x=alt.X("reached:Q", title="plans", scale=count_scale),
            y=y_stage,
            tooltip=[alt.Tooltip("label:N", title="Stage"), "reached:Q"],
        ),
        alt.Chart(bars).mark_text(align="left", dx=6, fontSize=13).encode(x="total:Q", y=y_stage, text="text:N"),
    ).properties(height=36 * len(bars) + 40)
