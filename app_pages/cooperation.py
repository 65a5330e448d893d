"""Cooperation: which countries, hubs (where the project declares hub levels) and organisations work together, and how
the cooperation indicator grows."""

import streamlit as st

from monitoring.engine import cooperation as co
from monitoring.engine import geo
from monitoring.outputs.meetings import meetings
from monitoring.views import cooperation as view
from ui import components, cooperation_charts, cooperation_panels, map_filters, map_layers, map_panels
from ui.context import current

ctx = current()
data = ctx.data
tables = data.tables
project = ctx.settings.project
indicator = view.cooperation_indicator(ctx.settings.indicators)

st.markdown(f"## Who works with whom in {project.name}")
if data.source.sample:
    components.sample_banner()
flt = map_filters.activity_filter(tables, ctx.as_of, ctx.settings)
hubs = ctx.settings.keeps_hubs
numbers = view.cooperation_numbers(tables, flt, hubs)
st.caption(
    f"As of **{ctx.as_of:%d %b %Y}** · {components.escape_md(geo.describe_filter(flt, tables))} · "
    f"**{len(numbers.acts):,}** joint activities"
)

cooperation_panels.headline(numbers, hubs)


def countries_view() -> None:
    """The country matrix and the strongest pairs."""
    st.subheader("Countries working together")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        matrix = co.country_matrix(numbers.acts, numbers.countries)
        components.altair_chart(cooperation_charts.country_heatmap(matrix, len(numbers.countries)), width="stretch")
    with right:
        map_panels.numbered(
            "Strongest country pairs",
            [f"{a} – {b}: **{n:,}** joint activities" for a, b, n in view.strongest_pairs(numbers.pairs)],
            "No activities joining two countries under these filters.",
        )
        st.caption(
            "Each cell counts the activities with organisations from both countries; an activity with three countries "
            "counts once in each of its pairs."
        )


def hubs_view() -> None:
    """Hub links per period and the developing x advanced grid."""
    st.subheader("Connecting developing hubs with advanced ones")
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Share of activities linking a developing hub with an advanced one**")
        shares = view.hub_link_shares(numbers.acts, data.periods, ctx.as_of)
        components.altair_chart(cooperation_charts.hub_share_bars(shares), width="stretch")
    with right:
        st.markdown("**Activities joining each developing hub with each advanced hub**")
        hubs = co.hub_pairs(tables, numbers.acts)
        if hubs.empty:
            st.info("The locations tab marks no developing and advanced hubs, so there is nothing to pair.")
        else:
            components.altair_chart(cooperation_charts.hub_grid(hubs), width="stretch")


def indicator_view() -> None:
    """The cooperation indicator over time against its milestones and target."""
    st.subheader(f"{indicator.name} ({indicator.code})")
    progress = ctx.indicator(indicator.code)
    line = view.indicator_line(
        progress, data.contributions[indicator.code], tables["milestones"], data.periods, project, ctx.as_of
    )
    left, right = st.columns([3, 1], gap="medium")
    with left:
        held = meetings(data, project.start, ctx.as_of)
        chart = cooperation_charts.indicator_over_time(line, indicator.unit, indicator.unit.capitalize(), held)
        components.altair_chart(chart, width="stretch")
    with right:
        st.metric("Achieved", components.fmt(progress.achieved), help="Same number as on the Overview.")
        st.markdown(f"of target **{components.fmt(progress.target)}**")
        st.badge(components.status_label(progress.status), color=components.BADGE_COLOURS[progress.status])
        st.caption(
            "Distinct organisations from their first cross-border activity: the indicator's own records, for the "
            "whole project (the filters above do not apply). Blue line: achieved; diamonds: planned milestones; "
            "dashed line: target; dotted grey lines: meetings (meeting_types in indicators.yaml)."
        )


def network_view() -> None:
    """The organisations on a map, tied by their joint activities."""
    st.subheader("The organisations' network")
    ties = view.network_ties(tables, numbers.acts, flt.cross_border_only)
    net_left, net_right = st.columns([3, 1], gap="medium")
    with net_right:
        least = st.slider(
            "Show ties of at least",
            min_value=1,
            max_value=ties.most,
            value=ties.default_least,
            key="least_ties",
            help="Joint activities two organisations took part in together. Raise it to see only the strongest ties.",
        )
    shown = view.network_map(tables, numbers.directory, ties.ties, least, numbers.countries)
    with net_left:
        st.pydeck_chart(
            map_layers.network_deck(shown.shapes, shown.lines, shown.nodes, shown.hubs),
            height=map_layers.MAP_HEIGHT,
            alt="Network of the organisations: each dot an organisation near its location, each line a tie",
        )
        st.caption(
            f"{len(shown.nodes)} organisations, {len(shown.lines)} of {len(ties.ties)} ties shown (at least {least} "
            "joint activities). Organisations of one place sit in a ring around it. Hover for names and numbers."
        )
    with net_right:
        map_panels.legend("Organisations by type", view.org_type_legend(numbers.directory), shape="circle")
        st.caption("Dot size: joint activities.")
        map_panels.legend("Ties", view.TIE_LEGEND)
        st.caption("Line width: joint activities together.")


def directory_view() -> None:
    """Every organisation with its activity under the filters."""
    st.subheader("Directory of organisations")
    cooperation_panels.directory_table(view.directory_table(numbers.directory, hubs))


# The indicator's tab is labelled by its code, so ?view=<code> links keep opening it.
over_time = {indicator.code: indicator_view} if indicator else {}
hub_tab = {"Hubs": hubs_view} if hubs else {}
components.lazy_tabs(
    {"Countries": countries_view, **hub_tab, **over_time, "Network": network_view, "Directory": directory_view},
    key="view",
)
