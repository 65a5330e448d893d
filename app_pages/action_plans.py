"""Action plans (SpinIT: Local Action Plans): each location's path through the stages, what is stalled, the funnel,
and the indicators; the title and what is counted beside each plan come from `lifecycles.action_plans`.

The headline (numbers, what is stalled) stays above three tabs, of which only the chosen one is computed
and drawn (?view=Stages|Reached|Plans)."""

import streamlit as st

from monitoring.views import action_plans as view
from monitoring.views import common
from ui import components, pipeline_charts
from ui.context import current

ctx = current()
data = ctx.data
as_of = ctx.as_of
stages = view.lifecycle(data)
stall_days = stages.stall_limit
esc = components.escape_md

st.markdown(f"## {components.escape_md(view.title(stages))} · as of {as_of:%d %b %Y}")
st.caption(
    "A plan's stage on a day is the last stage dated on or before it. A plan is **stalled** when it has "
    f"spent more than {stall_days} days in a stage before '{stages.labels[stages.final]}' "
    "(`lifecycles.action_plans` in indicators.yaml)."
)
if data.source.sample:
    components.sample_banner()

plans = view.plans_on(data, as_of)
if plans.empty:
    st.info("The action_plans tab has no plans yet.", icon=":material/info:")
    st.stop()
reached = view.reached(data, as_of)

# --- Headline numbers ---
numbers = view.headline(plans, reached, stages)
cols = st.columns(4 + len(numbers.tallies))
cols[0].metric("Plans", numbers.plans, help="Rows of the action_plans tab.")
cols[1].metric(
    "Stalled", numbers.stalled, help=f"More than {stall_days} days in a stage before '{stages.labels[stages.final]}'."
)
for col, (stage, label, n) in zip(cols[2:4], numbers.last_stages, strict=False):
    col.metric(label, n, help=f"Plans with a '{stage}' date on or before the as-of day.")
for col, (label, about, total) in zip(cols[4:], numbers.tallies, strict=True):
    col.metric(label, total, help=about or None)

# --- What is stuck, in words ---
stalled = view.stalled_lines(plans, esc)
if not stalled:
    st.success(f"No plan has spent more than {stall_days} days in a stage.", icon=":material/check_circle:")
else:
    st.warning(
        f"**{len(stalled)} plan{'' if len(stalled) == 1 else 's'} stalled** (more than {stall_days} days in the same stage)  \n"
        + "  \n".join(stalled),
        icon=":material/pause_circle:",
    )
not_started = view.not_started_names(plans, esc)
if not_started:
    st.info(f"Not started by {as_of:%d %b %Y} (no stage dated yet): {not_started}", icon=":material/schedule:")


def stages_view() -> None:
    """Each plan's path through the stages up to the as-of day."""
    st.subheader("Each plan's path through the stages")
    rows = view.timeline_rows(data, plans, as_of)
    chart = pipeline_charts.plan_timeline(
        rows.stages,
        rows.in_stage,
        rows.words,
        plans["label"].tolist(),
        view.STATUS_ORDER,
        ctx.settings.project.start,
        as_of,
    )
    components.altair_chart(chart, width="stretch")
    st.caption(
        "Numbered dots are the stages reached by the as-of day: "
        + " · ".join(f"{i} {label}" for i, label in enumerate(stages.labels.values(), start=1))
        + ". The thick line runs from the current stage's date to the as-of day (dashed): the time spent in it."
    )


def reached_view() -> None:
    """How many plans reached each stage, and how the stages add up to the indicators of the action_plans tab."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("How many plans reached each stage")
        components.altair_chart(pipeline_charts.plan_funnel(view.funnel_rows(data, as_of, len(plans))), width="stretch")
    with right:
        st.subheader("How the stages add up to the indicators")
        place = common.place_namer(data)
        for ex in common.explanations(data, view.TAB, as_of):
            st.markdown(common.headline(ex, esc))
            for note in view.stage_notes(ex, reached, stages.labels, esc, place):
                st.caption(note)
        st.caption(
            "Each indicator counts a plan from the date of one stage (`date` in indicators.yaml); a plan passes "
            "the stages in order, so a later stage never counts more plans than an earlier one."
        )


def plans_view() -> None:
    """Every plan as of the day, and all its stage dates on demand."""
    st.subheader("Every plan as of the day")
    st.dataframe(
        view.plan_table(data, plans, as_of),
        hide_index=True,
        column_config={
            "place": "Location",
            "lap_id": "Plan",
            "status_word": "Status",
            "stage_label": "Current stage",
            "since": st.column_config.DateColumn("Since", format="YYYY-MM-DD"),
            "days_in_stage": st.column_config.NumberColumn("Days in stage", format="%d"),
            "next_stage_label": "Next stage",
            **{
                t.column: st.column_config.NumberColumn(t.label, format="%d", help=t.help or None)
                for t in stages.tallies
            },
            **{
                view.local_column(local.type): st.column_config.NumberColumn(
                    local.label,
                    format="%d",
                    help=f"Activities of type '{local.type}' at the location, by the as-of day.",
                )
                for local in stages.local_activities
            },
            "lead": "Lead organisation",
            "document_url": st.column_config.LinkColumn("Plan document", display_text="open"),
        },
    )
    all_dates = components.lazy_expander("All stage dates", "stage_dates")
    if all_dates.open:
        all_dates.dataframe(
            view.stage_dates(data, as_of),
            hide_index=True,
            column_config={
                "lap_id": "Plan",
                **{s: st.column_config.DateColumn(label, format="YYYY-MM-DD") for s, label in stages.labels.items()},
            },
        )
        st.caption(f"Dates after {as_of:%d %b %Y} are hidden: the page shows the plans as they stood that day.")
    if stages.local_activities:
        counted = " and ".join(local.label for local in stages.local_activities)
        st.caption(f"{counted} are counted from the activities tab up to {as_of:%d %b %Y}.")


components.lazy_tabs({"Stages": stages_view, "Reached": reached_view, "Plans": plans_view}, key="view")
