"""What changed between two dates: per indicator, new activities, plans and pilots that changed stage.
The steering committee's first agenda item."""

import datetime as dt

import altair as alt
import streamlit as st

from monitoring.changes import Snapshot, changes_between, compare, quick_picks
from monitoring.dataset import stored_reads
from monitoring.progress import STATUS_COLOURS, previous_period_end
from ui import components
from ui.context import current, source_plan, stored_dataset

ctx = current()
data = ctx.data
project = ctx.settings.project
first_day = project.start - dt.timedelta(days=1)  # the end of this day: nothing achieved yet


def pick_date(picks: dict[str, dt.date]) -> None:
    """A quick pick sets the first date, then lets go so it works like a button."""
    label = st.session_state.get("changes_pick")
    if label in picks:
        st.session_state["since"] = picks[label]
    st.session_state["changes_pick"] = None


st.markdown("## What changed")
st.caption(
    "Between the end of two days: how far each indicator moved, the activities that took place, and the action "
    "plans and pilots that reached a new stage."
)
plan = source_plan()
reads = stored_reads(plan)
mode = "Two dates"
if len(reads) >= 2:
    mode = st.segmented_control(
        "Compare",
        ["Two dates", "Two reads of the sheet"],
        default="Two dates",
        key="compare_mode",
        bind="query-params",
        required=True,
        help="Two reads of the Google Sheet as they were stored: what partners changed in the sheet in between.",
    )
if mode == "Two reads of the sheet":
    labels = {f"{r.last_read_at:%d %b %Y, %H:%M} UTC (read {r.id})": r.id for r in reads}
    left, right = st.columns(2)
    earlier = left.selectbox("The sheet as read on", list(labels), index=1, key="read_before")
    later = right.selectbox("Compared with the read of", list(labels), index=0, key="read_after")
    before, after = stored_dataset(labels[earlier]), stored_dataset(labels[later])
    changes = compare(Snapshot(before, ctx.as_of), Snapshot(after, ctx.as_of))
    heading = f"#### The sheet on {earlier} → {later}, both as of {ctx.as_of:%d %b %Y}"
    then, now = f"read {labels[earlier]}", f"read {labels[later]}"
else:
    picks = {"Project start": first_day, **quick_picks(data, ctx.as_of)}
    st.pills(
        "Compare with",
        list(picks),
        key="changes_pick",
        on_change=pick_date,
        args=(picks,),
        help="Sets the first date. The second date starts as the “As of” date above.",
    )
    left, right = st.columns(2)
    since = left.date_input(
        "From the end of",
        value=previous_period_end(data.periods, ctx.as_of, project),
        min_value=first_day,
        max_value=project.end,
        key="since",
        bind="query-params",
        format="YYYY-MM-DD",
    )
    until = right.date_input(
        "To the end of",
        value=ctx.as_of,
        min_value=first_day,
        max_value=project.end,
        key="until",
        bind="query-params",
        format="YYYY-MM-DD",
    )
    if since > until:
        since, until = until, since
        st.info(
            "The first date was after the second; they are compared the other way round.", icon=":material/swap_horiz:"
        )
    changes = changes_between(data, since, until)
    heading = f"#### From {since:%d %b %Y} to {until:%d %b %Y}"
    then, now = f"{since:%d %b %Y}", f"{until:%d %b %Y}"
if data.source.sample:
    components.sample_banner()

st.markdown(heading)
cols = st.columns(4)
cols[0].metric("Indicators that moved", f"{len(changes.moved)} of {len(changes.indicators)}")
cols[1].metric("New activities", len(changes.activities))
cols[2].metric("Plans that changed stage", len(changes.plans))
cols[3].metric("Pilots that changed stage", len(changes.pilots))


def indicators_view() -> None:
    """Each indicator on both days: the chart in % of target and the table."""
    st.subheader("Indicators")
    table = changes.indicators
    shares = table.assign(
        label=table["code"],
        before_pct=100 * table["before"] / table["target"],
        after_pct=100 * table["after"] / table["target"],
        change_text=[
            f"+{components.fmt(c)}" if c > 0 else components.fmt(c) if c else "no change" for c in table["change"]
        ],
        status=table["status_after"],
    )
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelFontSize=13, labelFontWeight="bold"))
    x_max = max(100.0, float(shares["after_pct"].max()), float(shares["before_pct"].max())) * 1.12
    x = alt.X(
        "before_pct:Q",
        title="% of target",
        scale=alt.Scale(domain=[0, x_max], nice=False),
        axis=alt.Axis(values=list(range(0, int(x_max) + 1, 25))),
    )
    before_bar = alt.Chart(shares).mark_bar(color="#C5CCD3", size=18).encode(x=x, y=y)
    gained = (
        alt.Chart(shares)
        .mark_bar(size=18)
        .encode(
            x="before_pct:Q",
            x2="after_pct:Q",
            y=y,
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(title="Status now", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Indicator"),
                alt.Tooltip("before:Q", title=f"On {then}"),
                alt.Tooltip("after:Q", title=f"On {now}"),
                alt.Tooltip("change_text:N", title="Change"),
            ],
        )
    )
    labels = (
        alt.Chart(shares)
        .mark_text(align="left", dx=6, fontSize=13, color="#1F2933")
        .encode(x="after_pct:Q", y=y, text="change_text:N")
    )
    target = alt.Chart(shares).mark_rule(color="#52606D", strokeDash=[4, 2]).encode(x=alt.datum(100))
    components.altair_chart(
        alt.layer(before_bar, gained, labels, target).properties(height=36 * len(shares) + 40), width="stretch"
    )
    st.caption(
        "Grey: where each indicator stood on the first date; coloured: what was added since, in the colour of its status "
        "now; the dashed line is the target. The number is the change, in the indicator's unit."
    )
    st.dataframe(
        table.assign(
            status_before=table["status_before"].map(components.status_label, na_action="ignore"),
            status_after=table["status_after"].map(components.status_label),
        ),
        hide_index=True,
        column_config={
            "code": st.column_config.TextColumn("Code", pinned=True),
            "name": st.column_config.TextColumn("Indicator", width="medium"),
            "unit": "Unit",
            "target": st.column_config.NumberColumn("Target", format="localized"),
            "before": st.column_config.NumberColumn(then, format="localized"),
            "after": st.column_config.NumberColumn(now, format="localized"),
            "change": st.column_config.NumberColumn("Change", format="%+g"),
            "status_before": "Status then",
            "status_after": "Status now",
        },
    )


def activities_view() -> None:
    """The activities dated after the first day, up to the second."""
    st.subheader(f"New activities ({len(changes.activities)})")
    if changes.activities.empty:
        st.caption("No activity took place between the two dates.")
    else:
        st.dataframe(
            changes.activities,
            hide_index=True,
            column_config={
                "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                "activity_id": "Activity",
                "type": "Type",
                "title": st.column_config.TextColumn("Title", width="large"),
                "location": "Where",
                "participants": st.column_config.NumberColumn("Participants"),
                "cross_border": st.column_config.CheckboxColumn("Cross-border"),
                "evidence_url": st.column_config.LinkColumn("Evidence"),
            },
        )


def stages_view() -> None:
    """The action plans and pilots that reached a new stage."""
    stage_columns = {
        "id": "Id",
        "title": st.column_config.TextColumn("Title", width="large"),
        "location": "Where",
        "before": f"Stage on {then}",
        "after": f"Stage on {now}",
        "reached": st.column_config.DateColumn("Reached on", format="YYYY-MM-DD"),
    }
    for what, frame, nothing in (
        ("Action plans that changed stage", changes.plans, "No action plan reached a new stage."),
        ("Pilots that changed stage", changes.pilots, "No pilot reached a new stage."),
    ):
        st.subheader(f"{what} ({len(frame)})")
        if frame.empty:
            st.caption(nothing)
        else:
            st.dataframe(frame, hide_index=True, column_config=stage_columns)
    st.caption(
        "A plan's stage on a day is the last stage dated on or before it. A pilot's stage on a day is the stage the "
        "sheet records, stepped back past any stage whose date (start, end, validation) is after that day — the same "
        "rule as on the Pilots and Map pages."
    )


components.lazy_tabs(
    {"Indicators": indicators_view, "Activities": activities_view, "Plans and pilots": stages_view},
    key="view",
)
