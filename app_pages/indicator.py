"""One indicator in depth: per period, by country, location, organisation and cluster, and the records behind it.

The headline (achieved, target, status) stays above three tabs, of which only the chosen one is computed and
drawn: ?view=Per+period (the default, so a link without view opens it), ?view=Breakdown&by=Location, ?view=Records."""

import altair as alt
import pandas as pd
import streamlit as st

from monitoring.measure import by_dimension, per_period
from monitoring.progress import milestone_points
from ui import components
from ui.context import current

ctx = current()
data = ctx.data
codes = [p.code for p in ctx.progress]
names = {p.code: f"{p.code} · {p.name}" for p in ctx.progress}

# No format_func: a bound widget writes its label into the URL, and ?indicator=<code> should stay short.
code = st.selectbox("Indicator", codes, key="indicator", bind="query-params", help="Pick an indicator code.")
p = ctx.indicator(code)
contribs = data.contributions[code]
indicator = ctx.settings.indicator(code)

st.title(names[code])
st.caption(
    f"{indicator.kind.capitalize()} indicator · unit: {p.unit} · as of **{ctx.as_of:%d %b %Y}**"
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
    table = per_period(contribs, data.periods)
    planned = dict(milestone_points(data.tables["milestones"], code, data.periods))
    table["planned"] = [planned.get(end) for end in table["end"]]
    shown = table[table["start"] <= ctx.as_of]
    chart_rows = pd.concat(
        [
            shown.assign(series="achieved (cumulative)", value=shown["cumulative"]),
            shown.dropna(subset=["planned"]).assign(series="planned (milestone)", value=lambda d: d["planned"]),
        ]
    )
    components.altair_chart(
        alt.Chart(chart_rows)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:N", title="Reporting period", sort=None),
            y=alt.Y("value:Q", title=p.unit),
            color=alt.Color("series:N", scale=alt.Scale(range=["#0072B2", "#999999"]), title=None),
            strokeDash=alt.StrokeDash("series:N", legend=None),
            tooltip=["period", "series", "value"],
        )
        .properties(height=260),
        width="stretch",
    )
    st.dataframe(
        shown[["period", "start", "end", "in_period", "cumulative", "planned"]],
        hide_index=True,
        column_config={"in_period": "Achieved in period", "cumulative": "Cumulative", "planned": "Planned (milestone)"},
    )


def breakdown_view() -> None:
    """The amount as of the day by country, location, organisation or cluster."""
    st.subheader("Breakdown")
    # The option labels are what a bound widget writes into the URL: ?by=Country.
    labels = {"Country": "country", "Location": "location_id", "Organisation": "partner_id", "Cluster": "cluster"}
    label = st.segmented_control("By", list(labels), default="Country", key="by", bind="query-params", required=True)
    dimension = labels[label]
    breakdown = by_dimension(contribs, ctx.as_of, dimension)
    if dimension == "partner_id":
        st.caption(
            "An activity's amount counts for each organisation involved, so the bars add up to more than the total."
        )
    components.altair_chart(
        alt.Chart(breakdown)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("amount:Q", title=p.unit),
            y=alt.Y(f"{dimension}:N", sort="-x", title=label),
            tooltip=[dimension, "amount"],
        )
        .properties(height=max(120, 24 * len(breakdown))),
        width="stretch",
    )


def records_view() -> None:
    """The contributions counted as of the day, with their evidence links."""
    st.subheader("The records behind the number")
    records = contribs[contribs["date"] <= pd.Timestamp(ctx.as_of)]
    st.caption(
        f"{len(records)} record(s) counted as of {ctx.as_of:%d %b %Y}; "
        f"{int(records['evidence_url'].isna().sum())} without an evidence link."
    )
    st.dataframe(
        records[
            ["date", "record", "title", "amount", "partner_id", "location_id", "country", "evidence_url", "tab", "_row"]
        ],
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "evidence_url": st.column_config.LinkColumn("Evidence"),
            "_row": st.column_config.NumberColumn("Sheet row", format="%d"),
            "tab": "Tab",
        },
    )


components.lazy_tabs({"Per period": period_view, "Breakdown": breakdown_view, "Records": records_view}, key="view")
