"""What changed between two dates: per indicator, new activities, plans and pilots that changed stage.
The steering committee's first agenda item."""

import datetime as dt

import streamlit as st

from monitoring.dataset import stored_reads
from monitoring.views import changes as view
from ui import components, report_charts, report_tables
from ui.context import current, source_plan, stored_dataset

ctx = current()
data = ctx.data


def pick_date(picks: dict[str, dt.date]) -> None:
    """A quick pick sets the first date, then lets go so it works like a button."""
    label = st.session_state.get("changes_pick")
    if label in picks:
        st.session_state["since"] = picks[label]
    st.session_state["changes_pick"] = None


st.markdown("## What changed")
stages_tab = view.stages_tab(data)
st.caption(
    "Between the end of two days: how far each indicator moved, the activities that took place"
    + (f", and the {stages_tab.lower()} that reached a new stage." if stages_tab else ".")
)
reads = stored_reads(source_plan())
mode = view.TWO_DATES
if len(reads) >= 2:
    mode = st.segmented_control(
        "Compare",
        [view.TWO_DATES, view.TWO_READS],
        default=view.TWO_DATES,
        key="compare_mode",
        bind="query-params",
        required=True,
        help="Two reads of the Google Sheet as they were stored: what partners changed in the sheet in between.",
    )
if mode == view.TWO_READS:
    labels = view.read_labels(reads)
    left, right = st.columns(2)
    earlier = left.selectbox("The sheet as read on", list(labels), index=1, key="read_before")
    later = right.selectbox("Compared with the read of", list(labels), index=0, key="read_after")
    shown = view.between_reads(stored_dataset, labels, earlier, later, ctx.as_of)
else:
    picks = view.date_picks(data, ctx.as_of)
    st.pills(
        "Compare with",
        list(picks),
        key="changes_pick",
        on_change=pick_date,
        args=(picks,),
        help="Sets the first date. The second date starts as the “As of” date above.",
    )
    dates = view.date_range(data, ctx.as_of)
    left, right = st.columns(2)
    bounds = {"min_value": dates.first, "max_value": dates.last, "bind": "query-params", "format": "YYYY-MM-DD"}
    since = left.date_input("From the end of", value=dates.since, key="since", **bounds)
    until = right.date_input("To the end of", value=dates.until, key="until", **bounds)
    shown = view.between_dates(data, since, until)
    if shown.swapped:
        st.info(
            "The first date was after the second; they are compared the other way round.", icon=":material/swap_horiz:"
        )
changes, then, now = shown.changes, shown.then, shown.now
if data.source.sample:
    components.sample_banner()

st.markdown(shown.heading)
sections = view.stage_sections(data, changes)
cols = st.columns(2 + len(sections))
cols[0].metric("Indicators that moved", f"{len(changes.moved)} of {len(changes.indicators)}")
cols[1].metric("New activities", len(changes.activities))
for col, section in zip(cols[2:], sections, strict=True):
    col.metric(section.metric, len(section.rows))


def indicators_view() -> None:
    """Each indicator on both days: the chart in % of target and the table."""
    st.subheader("Indicators")
    chart = report_charts.change_chart(view.indicator_shares(changes), then, now)
    components.altair_chart(chart, width="stretch")
    st.caption(
        "Grey: where each indicator stood on the first date; coloured: what was added since, in the colour of its status "
        "now; the dashed line is the target. The number is the change, in the indicator's unit."
    )
    st.dataframe(
        view.indicator_table(changes, components.status_label),
        hide_index=True,
        column_config=report_tables.indicator_changes(then, now),
    )


def activities_view() -> None:
    """The activities dated after the first day, up to the second."""
    st.subheader(f"New activities ({len(changes.activities)})")
    if changes.activities.empty:
        st.caption("No activity took place between the two dates.")
    else:
        st.dataframe(changes.activities, hide_index=True, column_config=report_tables.NEW_ACTIVITIES)


def stages_view() -> None:
    """The action plans and pilots (those the project keeps) that reached a new stage."""
    for section in sections:
        st.subheader(f"{section.title} ({len(section.rows)})")
        if section.rows.empty:
            st.caption(section.nothing)
        else:
            st.dataframe(section.rows, hide_index=True, column_config=report_tables.stage_changes(then, now))
    st.caption(view.stage_rule(data))


components.lazy_tabs(
    {"Indicators": indicators_view, "Activities": activities_view, **({stages_tab: stages_view} if stages_tab else {})},
    key="view",
)
