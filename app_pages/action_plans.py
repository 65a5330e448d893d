"""Local Action Plans: each location's path through the stages, what is stalled, the funnel, and RCO83/RCR79.

The headline (numbers, what is stalled) stays above three tabs, of which only the chosen one is computed
and drawn (?view=Stages|Reached|Plans)."""

import altair as alt
import pandas as pd
import streamlit as st

from monitoring import pipelines
from monitoring.contract import LAP_STAGE_LABELS, LAP_STAGES
from monitoring.parse import country_name
from ui import components
from ui.context import current

# Status -> colour (Okabe-Ito) and a symbol, so the status never depends on colour alone.
STATUS_STYLE = {
    pipelines.STALLED: ("#D55E00", "■"),
    pipelines.MOVING: ("#0072B2", "►"),
    pipelines.DONE: ("#009E73", "✔"),
    pipelines.NOT_STARTED: ("#999999", "○"),
}
STATUS_ORDER = [pipelines.STALLED, pipelines.MOVING, pipelines.NOT_STARTED, pipelines.DONE]

ctx = current()
data = ctx.data
as_of = ctx.as_of
stall_days = ctx.settings.stall_days
locations = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")
partners = data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")
place = components.place_namer(data)


st.markdown(f"## Local Action Plans · as of {as_of:%d %b %Y}")
st.caption(
    "A plan's stage on a day is the last stage dated on or before it. A plan is **stalled** when it has "
    f"spent more than {stall_days} days in a stage before 'Taken up' (`stall_days` in indicators.yaml)."
)
if data.source.sample:
    components.sample_banner()

plans = pipelines.plans_as_of(data.tables["action_plans"], as_of, stall_days)
if plans.empty:
    st.info("The action_plans tab has no plans yet.", icon=":material/info:")
    st.stop()

plans["place"] = plans["location_id"].map(place)
plans["label"] = plans["place"] + " · " + plans["lap_id"].astype(str)
plans["country"] = (
    plans["location_id"].map(locations["country"]).map(lambda c: country_name(c) if isinstance(c, str) else "")
)
plans = plans.sort_values(
    ["status", "days_in_stage", "lap_id"],
    key=lambda col: col.map(STATUS_ORDER.index) if col.name == "status" else col,
    ascending=[True, False, True],
    na_position="last",
    kind="stable",
)
funnel = pipelines.plan_funnel(data.tables["action_plans"], as_of)
reached = dict(zip(funnel["stage"], funnel["reached"], strict=True))

# --- Headline numbers ---
stalled = plans[plans["stalled"]]
cols = st.columns(5)
cols[0].metric("Plans", len(plans), help="Rows of the action_plans tab.")
cols[1].metric(
    "Stalled",
    len(stalled),
    help=f"More than {stall_days} days in a stage before 'Taken up'.",
)
cols[2].metric("Adopted", reached["lap_adopted"], help="Plans with a 'lap_adopted' date on or before the as-of day.")
cols[3].metric("Taken up", reached["taken_up"], help="Plans with a 'taken_up' date on or before the as-of day.")
cols[4].metric(
    "LDG members",
    int(plans["ldg_members"].fillna(0).sum()),
    help="Members of the Local Discovery Groups activated by the as-of day.",
)

# --- What is stuck, in words ---
if stalled.empty:
    st.success(f"No plan has spent more than {stall_days} days in a stage.", icon=":material/check_circle:")
else:
    lines = [
        f"**{components.escape_md(r.place)}** ({components.escape_md(r.country)}) · {components.escape_md(r.lap_id)}: "
        f"{r.stage_label} since {r.since:%d %b %Y}, **{r.days_in_stage} days**; next: {r.next_stage_label}"
        for r in stalled.itertuples()
    ]
    st.warning(
        f"**{len(stalled)} plan{'' if len(stalled) == 1 else 's'} stalled** (more than {stall_days} days in the same stage)  \n"
        + "  \n".join(lines),
        icon=":material/pause_circle:",
    )
not_started = plans[plans["status"] == pipelines.NOT_STARTED]
if not not_started.empty:
    names = ", ".join(components.escape_md(p) for p in not_started["label"])
    st.info(f"Not started by {as_of:%d %b %Y} (no stage dated yet): {names}", icon=":material/schedule:")


def stages_view() -> None:
    """Each plan's path through the stages up to the as-of day."""
    order = plans["label"].tolist()
    status_text = [
        f"{STATUS_STYLE[s][1]} {s}" + (f" · {d} days in {label}" if s in (pipelines.STALLED, pipelines.MOVING) else "")
        for s, d, label in zip(plans["status"], plans["days_in_stage"], plans["stage_label"], strict=True)
    ]
    st.subheader("Each plan's path through the stages")
    timeline = pipelines.plan_timeline(data.tables["action_plans"], as_of)
    timeline["label"] = timeline["lap_id"].map(dict(zip(plans["lap_id"], plans["label"], strict=True)))
    timeline = timeline.rename(columns={"label": "plan", "step": "stage_no"}).assign(
        stage_name=lambda t: t["stage"].map(LAP_STAGE_LABELS)
    )
    waiting_rows = plans[plans["status"].isin([pipelines.STALLED, pipelines.MOVING])].assign(
        as_of=pd.Timestamp(as_of), plan=lambda d: d["label"]
    )[["plan", "since", "as_of", "status", "stage_label", "days_in_stage"]]
    start = pd.Timestamp(ctx.settings.project.start)
    end = pd.Timestamp(as_of)
    span = max((end - start).days, 60)
    x_scale = alt.Scale(domain=[start.isoformat(), (end + pd.Timedelta(days=span * 0.45)).isoformat()])
    ticks = [alt.DateTime(year=d.year, month=d.month, date=1) for d in pd.date_range(start, end, freq="QS")]
    x_axis = alt.Axis(values=ticks, format="%b %y", title=None, grid=True)
    y = alt.Y("plan:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=alt.Axis(labelLimit=220))
    status_colour = alt.Color(
        "status:N",
        scale=alt.Scale(domain=STATUS_ORDER, range=[STATUS_STYLE[s][0] for s in STATUS_ORDER]),
        legend=alt.Legend(title=None, orient="top", values=[x for x in STATUS_ORDER if x in set(plans["status"])]),
    )
    path = (
        alt.Chart(timeline)
        .mark_line(color="#9AA5B1", strokeWidth=2)
        .encode(x=alt.X("date:T", scale=x_scale, axis=x_axis), y=y, detail="plan:N")
    )
    waiting = (
        alt.Chart(waiting_rows)
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
        .mark_circle(size=150, color="#1F2933", opacity=1)
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
    words = (
        alt.Chart(
            plans.assign(as_of=pd.Timestamp(as_of), plan=plans["label"], chart_text=status_text)[
                ["plan", "as_of", "status", "chart_text"]
            ]
        )
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(x=alt.X("as_of:T", scale=x_scale), y=y, text="chart_text:N", color=status_colour)
    )
    rule = (
        alt.Chart(pd.DataFrame({"as_of": [pd.Timestamp(as_of)]}))
        .mark_rule(color="#1F2933", strokeDash=[4, 3])
        .encode(x=alt.X("as_of:T", scale=x_scale))
    )
    components.altair_chart(
        alt.layer(path, waiting, points, numbers, words, rule).properties(height=32 * len(order) + 90),
        width="stretch",
    )
    st.caption(
        "Numbered dots are the stages reached by the as-of day: "
        + " · ".join(f"{i} {LAP_STAGE_LABELS[s]}" for i, s in enumerate(LAP_STAGES, start=1))
        + ". The thick line runs from the current stage's date to the as-of day (dashed): the time spent in it."
    )


def reached_view() -> None:
    """How many plans reached each stage, and how the stages add up to RCO83 and RCR79."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("How many plans reached each stage")
        total = len(plans)
        bars = funnel.assign(total=total, text=lambda f: f["reached"].astype(str) + f" of {total}")
        y_stage = alt.Y("label:N", sort=funnel["label"].tolist(), title=None, axis=alt.Axis(labelLimit=200))
        count_scale = alt.Scale(domain=[0, max(total, 1) * 1.15])
        x_count = alt.X("reached:Q", title="plans", scale=count_scale)
        components.altair_chart(
            alt.layer(
                alt.Chart(bars)
                .mark_bar(color="#E4E7EB", size=22)
                .encode(x=alt.X("total:Q", scale=count_scale), y=y_stage),
                alt.Chart(bars)
                .mark_bar(color="#0072B2", size=22)
                .encode(x=x_count, y=y_stage, tooltip=[alt.Tooltip("label:N", title="Stage"), "reached:Q"]),
                alt.Chart(bars)
                .mark_text(align="left", dx=6, fontSize=13)
                .encode(x="total:Q", y=y_stage, text="text:N"),
            ).properties(height=36 * len(funnel) + 40),
            width="stretch",
        )
    with right:
        st.subheader("How the stages add up to the indicators")
        adopted = components.indicator_tie(data, "RCO83", as_of, "plan adopted", "plans adopted")
        taken = components.indicator_tie(data, "RCR79", as_of, "plan taken up", "plans taken up")
        for line, stage, code in ((adopted, "lap_adopted", "RCO83"), (taken, "taken_up", "RCR79")):
            if line is None:
                continue
            counted = data.contributions[code]
            counted = counted[counted["date"] <= pd.Timestamp(as_of)]
            st.markdown(line)
            where = ", ".join(components.escape_md(place(loc)) for loc in counted["location_id"])
            st.caption(f"Counted: {where or 'none yet'}.")
            if len(counted) != reached[stage]:
                st.caption(
                    f"The funnel shows {reached[stage]} plan(s) at '{LAP_STAGE_LABELS[stage]}'; {code}'s filter in "
                    "indicators.yaml counts only some of them."
                )
        st.caption(
            "RCO83 counts a plan when it is adopted (finalised), RCR79 when its implementation has started "
            "(taken up); a plan is never taken up before it is adopted, so RCR79 never exceeds RCO83."
        )


def plans_view() -> None:
    """Every plan as of the day, and all its stage dates on demand."""
    local = pipelines.local_activities(data.tables["activities"], as_of)
    per_type = local.pivot_table(index="location_id", columns="type", values="held", aggfunc="sum", fill_value=0)
    st.subheader("Every plan as of the day")
    table = plans.assign(
        status_word=[f"{STATUS_STYLE[s][1]} {s}" for s in plans["status"]],
        workshops=plans["location_id"]
        .map(per_type.get("workshop", pd.Series(dtype="int64")))
        .fillna(0)
        .astype("int64"),
        ldg_meetings=plans["location_id"]
        .map(per_type.get("LDG meeting", pd.Series(dtype="int64")))
        .fillna(0)
        .astype("int64"),
        lead=plans["lead_partner_id"].map(partners["name"]).fillna(plans["lead_partner_id"]),
    )
    st.dataframe(
        table[
            [
                "place",
                "lap_id",
                "status_word",
                "stage_label",
                "since",
                "days_in_stage",
                "next_stage_label",
                "ldg_members",
                "ldg_meetings",
                "workshops",
                "workshops_held",
                "lead",
                "document_url",
            ]
        ],
        hide_index=True,
        column_config={
            "place": "Location",
            "lap_id": "Plan",
            "status_word": "Status",
            "stage_label": "Current stage",
            "since": st.column_config.DateColumn("Since", format="YYYY-MM-DD"),
            "days_in_stage": st.column_config.NumberColumn("Days in stage", format="%d"),
            "next_stage_label": "Next stage",
            "ldg_members": st.column_config.NumberColumn(
                "LDG members", format="%d", help="Empty until the LDG is activated."
            ),
            "ldg_meetings": st.column_config.NumberColumn(
                "LDG meetings", format="%d", help="Activities of type 'LDG meeting' at the location, by the as-of day."
            ),
            "workshops": st.column_config.NumberColumn(
                "Workshops", format="%d", help="Activities of type 'workshop' at the location, by the as-of day."
            ),
            "workshops_held": st.column_config.DateColumn(
                "Workshop stage done", format="YYYY-MM-DD", help="The plan's 'workshops_held' date."
            ),
            "lead": "Lead organisation",
            "document_url": st.column_config.LinkColumn("Plan document", display_text="open"),
        },
    )
    all_dates = components.lazy_expander("All stage dates", "stage_dates")
    if all_dates.open:
        stage_dates = data.tables["action_plans"][["lap_id", *LAP_STAGES]].copy()
        for stage in LAP_STAGES:
            stage_dates[stage] = stage_dates[stage].where(stage_dates[stage] <= pd.Timestamp(as_of))
        all_dates.dataframe(
            stage_dates,
            hide_index=True,
            column_config={
                "lap_id": "Plan",
                **{s: st.column_config.DateColumn(LAP_STAGE_LABELS[s], format="YYYY-MM-DD") for s in LAP_STAGES},
            },
        )
        st.caption(f"Dates after {as_of:%d %b %Y} are hidden: the page shows the plans as they stood that day.")
    st.caption(f"Workshop and LDG meeting counts come from the activities tab up to {as_of:%d %b %Y}.")


components.lazy_tabs({"Stages": stages_view, "Reached": reached_view, "Plans": plans_view}, key="view")
