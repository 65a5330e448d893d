"""Cooperation: which countries, hubs and organisations work together, and how RCO87 grows."""

import altair as alt
import pandas as pd
import streamlit as st

from monitoring import cooperation as co
from monitoring import geo
from monitoring.parse import country_name
from monitoring.progress import milestone_points
from ui import components, maps
from ui.context import current

ctx = current()
data = ctx.data
tables = data.tables
project = ctx.settings.project
RCO87 = "RCO87"

st.markdown(f"## Who works with whom in {project.name}")
if data.source.sample:
    components.sample_banner()
flt = maps.activity_filter(data, ctx.as_of)
acts = co.joint_activities(tables, flt)
countries = geo.project_countries(tables)
table = co.directory(tables, acts)
pairs = co.country_pairs(acts)
st.caption(
    f"As of **{ctx.as_of:%d %b %Y}** · {components.escape_md(maps.describe_filter(flt, data))} · "
    f"**{len(acts):,}** joint activities"
)

taking_part = int((table["activities"] > 0).sum())
cross_border = int((table["cross_border_activities"] > 0).sum())
hub_share = acts["hub_link"].mean() if len(acts) else None
cols = st.columns(4)
cols[0].metric("Organisations taking part", f"{taking_part} of {len(table)}")
cols[1].metric(
    "Working across borders",
    f"{cross_border} of {len(table)}",
    help="Organisations with at least one activity under these filters together with an organisation from another country.",
)
possible = len(countries) * (len(countries) - 1) // 2
cols[2].metric(
    "Country pairs working together",
    f"{len(pairs)} of {possible}",
    help="Pairs of the project's countries joined by at least one activity.",
)
cols[3].metric(
    "Activities linking hubs",
    "–" if hub_share is None else f"{hub_share:.0%}",
    help="Share of the activities that join an organisation at a developing hub with one at an advanced hub.",
)


def countries_view() -> None:
    """The country matrix and the strongest pairs."""
    st.subheader("Countries working together")
    matrix = co.country_matrix(acts, countries)
    left, right = st.columns([3, 2], gap="medium")
    with left:
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
                scale=alt.Scale(range=[maps.COUNTRY_RAMP[0], maps.COUNTRY_RAMP[-1]], domain=[0, top]),
            )
        )
        numbers = base.mark_text(fontSize=13).encode(
            text=alt.Text("activities:Q", format=",d"),
            color=alt.condition(alt.datum.activities > top * 0.55, alt.value("#FFFFFF"), alt.value("#1F2933")),
        )
        components.altair_chart(
            (cells + numbers).properties(height=max(240, 34 * len(countries) + 110)),
            width="stretch",
        )
    with right:
        st.markdown("**Strongest country pairs**")
        st.markdown(
            "\n".join(
                f"{i}. {country_name(a)} – {country_name(b)}: **{n:,}** joint activities"
                for i, (a, b, n) in enumerate(pairs.head(8).itertuples(index=False, name=None), 1)
            )
            or "No activities joining two countries under these filters."
        )
        st.caption(
            "Each cell counts the activities with organisations from both countries; an activity with three countries "
            "counts once in each of its pairs."
        )


def hubs_view() -> None:
    """Hub links per period and the developing x advanced grid."""
    st.subheader("Connecting developing hubs with advanced ones")
    periods = co.hub_links_by_period(acts, data.periods, ctx.as_of)
    hubs = co.hub_pairs(tables, acts)
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Share of activities linking a developing hub with an advanced one**")
        shown = periods.assign(
            percent=periods["share"].fillna(0) * 100,
            label=[
                f"{s:.0%} ({h} of {a})" if a else "no activities"
                for s, h, a in zip(periods["share"].fillna(0), periods["hub_links"], periods["activities"], strict=True)
            ],
        )
        bars = alt.Chart(shown).encode(
            x=alt.X("period:N", title="Reporting period", sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("percent:Q", title="% of activities", scale=alt.Scale(domain=[0, 100])),
            tooltip=[
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("hub_links:Q", title="Linking hubs"),
                alt.Tooltip("activities:Q", title="All activities"),
                alt.Tooltip("label:N", title="Share"),
            ],
        )
        components.altair_chart(
            (
                bars.mark_bar(color="#0072B2", size=38) + bars.mark_text(dy=-9, fontSize=12).encode(text="label:N")
            ).properties(height=260),
            width="stretch",
        )
    with right:
        st.markdown("**Activities joining each developing hub with each advanced hub**")
        if hubs.empty:
            st.info("The locations tab marks no developing and advanced hubs, so there is nothing to pair.")
        else:
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
            components.altair_chart(
                (
                    grid.mark_rect(stroke="#FFFFFF").encode(
                        color=alt.Color(
                            "activities:Q",
                            title="Joint activities",
                            scale=alt.Scale(range=["#FFF3D6", "#D55E00"], domain=[0, peak]),
                        )
                    )
                    + grid.mark_text(fontSize=13).encode(
                        text=alt.Text("activities:Q", format=",d"),
                        color=alt.condition(
                            alt.datum.activities > peak * 0.6, alt.value("#FFFFFF"), alt.value("#1F2933")
                        ),
                    )
                ).properties(height=260),
                width="stretch",
            )


def rco87_view() -> None:
    """RCO87 over time against its milestones and target."""
    st.subheader("Organisations cooperating across borders (RCO87)")
    indicator = ctx.indicator(RCO87)
    if indicator is None or RCO87 not in data.contributions:
        st.info("The configuration has no RCO87 indicator.")
    else:
        running = co.cumulative_by_date(data.contributions[RCO87], ctx.as_of)
        start = pd.Timestamp(project.start)
        line = pd.concat(
            [
                pd.DataFrame({"date": [start], "cumulative": [indicator.baseline]}),
                running[["date", "cumulative"]],
                pd.DataFrame({"date": [pd.Timestamp(ctx.as_of)], "cumulative": [indicator.achieved]}),
            ]
        ).assign(series="achieved")
        planned = pd.DataFrame(
            [
                {"date": pd.Timestamp(day), "planned": value}
                for day, value in milestone_points(tables["milestones"], RCO87, data.periods)
            ],
            columns=["date", "planned"],
        )
        target = pd.DataFrame({"target": [indicator.target], "label": [f"target {components.fmt(indicator.target)}"]})
        x = alt.X(
            "date:T", title=None, scale=alt.Scale(domain=[start.isoformat(), pd.Timestamp(project.end).isoformat()])
        )
        chart = (
            alt.Chart(line)
            .mark_line(interpolate="step-after", color="#0072B2", strokeWidth=3)
            .encode(
                x=x,
                y=alt.Y("cumulative:Q", title="organisations"),
                tooltip=[alt.Tooltip("date:T", title="Date"), alt.Tooltip("cumulative:Q", title="Organisations")],
            )
        )
        rule = alt.Chart(target).mark_rule(color="#52606D", strokeDash=[6, 3], strokeWidth=2).encode(y="target:Q")
        rule_text = (
            alt.Chart(target)
            .mark_text(align="left", dx=4, dy=-8, color="#52606D", fontSize=12)
            .encode(y="target:Q", text="label:N", x=alt.value(0))
        )
        layers = [chart, rule, rule_text]
        if not planned.empty:
            layers.append(
                alt.Chart(planned)
                .mark_point(shape="diamond", size=90, color="#999999", filled=True)
                .encode(x=x, y="planned:Q", tooltip=[alt.Tooltip("date:T", title="Period end"), "planned:Q"])
            )
        left, right = st.columns([3, 1], gap="medium")
        with left:
            components.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
        with right:
            st.metric("Achieved", components.fmt(indicator.achieved), help="Same number as on the Overview.")
            st.markdown(f"of target **{components.fmt(indicator.target)}**")
            st.badge(components.status_label(indicator.status), color=components.BADGE_COLOURS[indicator.status])
            st.caption(
                "Distinct organisations from their first cross-border activity: the indicator's own records, for the "
                "whole project (the filters above do not apply). Blue line: achieved; diamonds: planned milestones; "
                "dashed line: target."
            )


def network_view() -> None:
    """The organisations on a map, tied by their joint activities."""
    st.subheader("The organisations' network")
    ties = co.organisation_ties(tables, acts)
    if flt.cross_border_only:
        ties = ties[ties["cross_border"]]
    spots = geo.organisation_positions(tables)
    names = dict(zip(table["partner_id"], table["name"], strict=True))
    strongest = int(ties["activities"].max()) if len(ties) else 1
    default_min = next((n for n in range(1, strongest + 1) if (ties["activities"] >= n).sum() <= 60), strongest)
    net_left, net_right = st.columns([3, 1], gap="medium")
    with net_right:
        least = st.slider(
            "Show ties of at least",
            min_value=1,
            max_value=max(strongest, 2),
            value=default_min,
            key="least_ties",
            help="Joint activities two organisations took part in together. Raise it to see only the strongest ties.",
        )
    shown_ties = ties[ties["activities"] >= least]
    hubs_places = tables["locations"].dropna(subset=["lat", "lon"])
    nodes = maps.organisation_nodes(table, spots)
    lines = maps.tie_rows(shown_ties, spots, names)
    details = {c: country_name(c) for c in countries}
    shapes = maps.project_shapes(geo.load_countries(), details)
    view = maps.view_for(nodes["lat"], nodes["lon"])
    with net_left:
        st.pydeck_chart(
            maps.deck(
                [
                    maps.country_layer(shapes),
                    maps.tie_layer(lines),
                    maps.organisation_layer(nodes),
                    maps.place_labels(hubs_places.assign(radius=22)),
                ],
                view,
                basemap="Plain",
            ),
            height=maps.MAP_HEIGHT,
            alt="Network of the organisations: each dot an organisation near its location, each line a tie",
        )
        st.caption(
            f"{len(nodes)} organisations, {len(lines)} of {len(ties)} ties shown (at least {least} joint activities). "
            "Organisations of one place sit in a ring around it. Hover for names and numbers."
        )
    with net_right:
        maps.legend(
            "Organisations by type",
            [(c, t) for t, c in maps.ORG_TYPE_COLOURS.items() if t in set(table["org_type"])]
            + (
                [(maps.OTHER_ORG_TYPE, "other or not given")]
                if (~table["org_type"].isin(maps.ORG_TYPE_COLOURS)).any()
                else []
            ),
            shape="circle",
        )
        st.caption("Dot size: joint activities.")
        maps.legend(
            "Ties", [(maps.TIE_COLOURS[True], "across a border"), (maps.TIE_COLOURS[False], "within one country")]
        )
        st.caption("Line width: joint activities together.")


def directory_view() -> None:
    """Every organisation with its activity under the filters."""
    st.subheader("Directory of organisations")
    st.dataframe(
        table.drop(columns=["country", "partner_id"]),
        hide_index=True,
        column_config={
            "name": "Organisation",
            "role": "Role",
            "org_type": "Type",
            "country_name": "Country",
            "city": "City",
            "location": "Location",
            "hub": "Hub",
            "activities": st.column_config.NumberColumn("Joint activities", help="Under the filters above."),
            "cross_border_activities": "Cross-border",
            "cross_border_partners": st.column_config.NumberColumn(
                "Partners abroad", help="Distinct organisations from other countries it took part with."
            ),
            "partner_countries": "Partner countries",
            "first_cross_border": st.column_config.DateColumn("First cross-border", format="YYYY-MM-DD"),
        },
    )


components.lazy_tabs(
    {
        "Countries": countries_view,
        "Hubs": hubs_view,
        "RCO87": rco87_view,
        "Network": network_view,
        "Directory": directory_view,
    },
    key="view",
)
