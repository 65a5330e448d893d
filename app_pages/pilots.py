"""Pilots: the portfolio by cluster and stage, what is stuck, the finished pilots, replication, and the indicators
they feed. The stages, the headline and the words for the wait come from `lifecycles.pilots`."""

import streamlit as st

from monitoring.formatting import plural
from monitoring.views import common
from monitoring.views import pilots as view
from ui import components, pipeline_charts, presentation
from ui.context import current

ctx = current()
data = ctx.data
as_of = ctx.as_of
stages = view.lifecycle(data)
phase = view.phases(stages)
stall_days = stages.stall_limit
dated = [stages.labels[s] for s in stages.dated_stages]
awaited = view.finished_title(stages)

place = common.place_namer(data)
esc = components.escape_md

st.markdown(f"## {components.escape_md(stages.title or 'Pilots')} · as of {as_of:%d %b %Y}")
st.caption(
    "The sheet records each pilot's current stage; its stage on a past day is derived from the dates of "
    f"{', '.join(map(repr, dated)) or 'no stage'} (a date after the day means that stage was not reached "
    "yet). A pilot is **stalled** after "
    f"more than {stall_days} days in a stage before '{stages.labels[stages.final]}' "
    "(`lifecycles.pilots` in indicators.yaml)."
)
if data.source.sample:
    components.sample_banner()

everything = view.pilots_on(data, as_of)
if everything.empty:
    st.info("The pilots tab has no pilots yet.", icon=":material/info:")
    st.stop()

# --- Filters (bound to the URL: ?pilot_cluster=IT&pilot_location=Sofia&pilot_stage=completed) ---
cluster_options = view.cluster_options(data, everything)
f1, f2, f3 = st.columns(3)
chosen_clusters = f1.multiselect(
    "Cluster", cluster_options, key="pilot_cluster", bind="query-params", placeholder="All clusters"
)
chosen_places = f2.multiselect(
    "Location",
    view.place_options(data, everything),
    key="pilot_location",
    bind="query-params",
    placeholder="All locations",
    help="Pilots that run in, or were replicated in, these locations.",
)
chosen_stages = f3.multiselect(
    "Stage on the as-of day", list(stages.names), key="pilot_stage", bind="query-params", placeholder="All stages"
)
presentation.filters_line(
    [
        ", ".join(map(esc, chosen_clusters)) or "all clusters",
        ", ".join(map(esc, chosen_places)) or "all locations",
        ", ".join(map(esc, chosen_stages)) or "every stage",
    ]
)
shown = view.chosen(everything, chosen_clusters, chosen_places, chosen_stages)
order = shown["label"].tolist()

# --- Headline numbers ---
numbers = view.headline(shown, len(everything), stages)
cols = st.columns(2 + len(numbers.groups))
cols[0].metric("Pilots", numbers.pilots)
cols[1].metric("Stalled", numbers.stalled, help=f"More than {stall_days} days in the same stage.")
for col, (label, count) in zip(cols[2:], numbers.groups, strict=True):
    col.metric(label, count)

# --- What is stuck, in words ---
stalled = view.stalled_lines(shown, esc, stages)
if not stalled:
    st.success(f"No pilot has spent more than {stall_days} days in a stage.", icon=":material/check_circle:")
else:
    st.warning(
        f"**{len(stalled)} pilot{'' if len(stalled) == 1 else 's'} stalled** (more than {stall_days} days in the same stage)  \n"
        + "  \n".join(stalled),
        icon=":material/pause_circle:",
    )
undated = view.undated_names(shown, esc)
if undated and not presentation.is_on():  # on a slide the chart comes first
    first = f"'{dated[0]}'" if dated else "the last"
    st.info(
        f"In a stage without a date on {as_of:%d %b %Y}: {undated}. The sheet has no dates for the stages before "
        f"{first}, so their time in the stage cannot be counted.",
        icon=":material/schedule:",
    )


def portfolio_view() -> None:
    """The cluster x stage matrix, and how the pilots add up to the indicators they feed."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Portfolio: cluster × stage")
        clusters = [c for c in cluster_options if not chosen_clusters or c in chosen_clusters]
        components.altair_chart(pipeline_charts.stage_matrix(view.matrix_rows(data, shown, clusters)), width="stretch")
        st.caption(f"Number of pilots at each stage on {as_of:%d %b %Y}; '·' is none.")
    with right:
        st.subheader("How pilots add up to the indicators")
        st.caption("All pilots: the filters do not change the indicators.")
        for ex in common.explanations(data, view.TAB, as_of):
            st.markdown(common.headline(ex, esc))
            for note in common.condition_notes(ex, esc):
                st.caption(note)
            origin = "Counted" if ex.tab == view.TAB else f"Reported in the {ex.tab} tab, with evidence"
            st.caption(f"{origin}: {view.counted_names(ex, esc, place)}.")


def timeline_view() -> None:
    """Each pilot's bar from its first dated stage to the next, then its wait for the done stage."""
    first, then = [*dated, "", ""][:2]
    st.subheader(f"{first}: start to end" if first else "Timeline")
    gantt, waits = view.gantt_rows(shown, as_of, stages)
    chart = pipeline_charts.pilot_gantt(gantt, waits, order, view.STATUS_ORDER, ctx.settings.project.start, as_of)
    components.altair_chart(chart, width="stretch")
    done = stages.labels[stages.final]
    st.caption(
        f"Bars run from '{first}' to '{then}', or to the as-of day (dashed line) while it runs; the thin line after "
        f"a bar is the wait for {stages.awaited}, and a diamond marks '{done}'. The colour is the status of the "
        "current stage, also written on the right."
    )


def partnerships_view() -> None:
    """Who develops each pilot, and whether each indicator of the pilots tab counts it, by its own conditions."""
    st.subheader("Who develops each pilot: the 'jointly developed' check")
    explanations = [ex for ex in common.explanations(data, view.TAB, as_of) if ex.tab == view.TAB]
    st.dataframe(
        view.partnership_table(data, shown, explanations),
        hide_index=True,
        column_config={
            "pilot_id": "Pilot",
            "title": st.column_config.TextColumn("Title", width="medium"),
            "cluster": "Cluster",
            "place": "Location",
            "stage": "Stage",
            "countries": st.column_config.NumberColumn("Countries", help="Countries its organisations come from."),
            "country_names": st.column_config.TextColumn("Which countries", width="medium"),
            "organisations": st.column_config.TextColumn("Organisations", width="large"),
            **{ex.code: st.column_config.TextColumn(ex.code, width="medium", help=ex.name) for ex in explanations},
        },
    )
    st.caption(
        "Each indicator column applies that indicator's own conditions (`where` in indicators.yaml) and its date: "
        "a pilot is counted once it passes them all and its date is on or before the as-of day."
    )


def finished_view() -> None:
    """The pilots past the bar's last stage: when it ended, how long awaiting the done stage, the link."""
    st.subheader(awaited)
    table = view.finished_table(data, shown, as_of)
    if table.empty:
        st.caption(f"No pilot reached '{phase.ended}' by {as_of:%d %b %Y}.")
        return
    done = stages.labels[stages.final]
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "pilot_id": "Pilot",
            "place": "Location",
            "stage": "Stage",
            "ended_on": st.column_config.DateColumn(phase.ended, format="YYYY-MM-DD"),
            "done_on": st.column_config.DateColumn(done, format="YYYY-MM-DD"),
            "waiting": st.column_config.NumberColumn(f"Days awaiting {stages.awaited}", format="%d"),
            "report": st.column_config.LinkColumn(f"{awaited} report", display_text="open"),
            "lead": "Lead organisation",
            "team": st.column_config.TextColumn("Partner organisations", width="large"),
        },
    )
    st.caption(
        f"The sheet has no column for who gave '{done}'; each pilot's lead and partner organisations are shown, and "
        "the linked report names them."
    )


def replication_view() -> None:
    """Which pilot runs or was replicated in which location."""
    st.subheader("Replication: pilot × location")
    rep = view.replication(data, shown)
    if rep.rows.empty:
        st.caption("No pilot to show.")
        return
    components.altair_chart(pipeline_charts.replication_matrix(rep.rows, rep.places, order), width="stretch")
    st.caption(
        f"{plural(rep.replications, 'replication')} of {plural(rep.replicated_pilots, 'pilot')}. Replications have no date in the "
        "sheet, so they are shown as recorded, whatever the as-of day."
    )


components.lazy_tabs(
    {
        "Portfolio": portfolio_view,
        "Timeline": timeline_view,
        "Partnerships": partnerships_view,
        awaited: finished_view,
        "Replication": replication_view,
    },
    key="view",
)
