"""One indicator in depth: per period, by country, location, organisation and cluster, and the records behind it.

The headline (achieved, target, status) stays above three tabs, of which only the chosen one is computed and
drawn: ?view=Per+period (the default, so a link without view opens it), ?view=Breakdown&by=Location, ?view=Records."""

import streamlit as st

from monitoring.formatting import plural
from monitoring.outputs.meetings import meetings
from monitoring.views import indicator as view
from ui import components, indicator_charts
from ui.context import current

ctx = current()
data = ctx.data
names = view.indicator_names(ctx.progress)

# No format_func: a bound widget writes its label into the URL, and ?indicator=<code> should stay short.
code = st.selectbox("Indicator", list(names), key="indicator", bind="query-params", help="Pick an indicator code.")
p = ctx.indicator(code)

st.title(names[code])
st.caption(
    f"{p.kind.capitalize()} indicator · unit: {p.unit} · as of **{ctx.as_of:%d %b %Y}**"
    + (" · illustrative target" if p.illustrative else "")
)
if data.source.sample:
    components.sample_banner()

cols = st.columns(5)
cols[0].metric("Achieved", components.fmt(p.achieved))
cols[1].metric("Target", components.fmt(p.target))
cols[2].metric("Expected by now", components.fmt(p.expected), help=f"From {p.expected_from}.")
cols[3].metric("% of target", f"{p.percent_of_target:.0f} %")
cols[4].metric("Forecast at end", components.fmt(p.forecast), help="The pace of the recent months, continued.")
st.badge(components.status_label(p.status), color=components.BADGE_COLOURS[p.status])


def period_view() -> None:
    """Cumulative per reporting period against the milestones, as a chart and a table."""
    st.subheader("Per reporting period")
    periods = view.period_view(data, code, ctx.as_of)
    held = meetings(data, ctx.settings.project.start, ctx.as_of)
    components.altair_chart(indicator_charts.period_chart(periods.series, p.unit, held), width="stretch")
    st.dataframe(
        periods.table,
        hide_index=True,
        column_config={
            "in_period": "Records dated in the period",
            "cumulative": "Cumulative",
            "planned": "Planned (milestone)",
        },
    )


def breakdown_view() -> None:
    """The amount as of the day by country, location, organisation or cluster."""
    st.subheader("Breakdown")
    labels = list(view.BREAKDOWNS)  # the option labels are what a bound widget writes into the URL: ?by=Country
    label = st.segmented_control("By", labels, default=labels[0], key="by", bind="query-params", required=True)
    dimension = view.BREAKDOWNS[label]
    breakdown = view.breakdown_rows(data, code, ctx.as_of, dimension)
    if dimension == "partner_id":
        st.caption(
            "An activity's amount counts for each organisation involved, so the bars add up to more than the total."
        )
    components.altair_chart(indicator_charts.breakdown_chart(breakdown, label, p.unit), width="stretch")


def records_view() -> None:
    """The contributions counted as of the day, with their evidence links."""
    st.subheader("The records behind the number")
    records = view.records_as_of(data, code, ctx.as_of)
    st.caption(
        f"{plural(len(records), 'record')} counted as of {ctx.as_of:%d %b %Y}; "
        f"{view.without_evidence(records)} without an evidence link."
    )
    st.dataframe(
        view.readable_records(data, records),
        hide_index=True,
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "Evidence": st.column_config.LinkColumn("Evidence"),
            "Sheet row": st.column_config.NumberColumn("Sheet row", format="%d"),
        },
    )


components.lazy_tabs({"Per period": period_view, "Breakdown": breakdown_view, "Records": records_view}, key="view")
