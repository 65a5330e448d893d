"""Map: the project's countries by a chosen measure, its locations by stage, and the links between them."""

import streamlit as st

from monitoring import geo
from monitoring.cooperation import joint_activities
from monitoring.parse import country_name
from ui import components, maps
from ui.context import current

ctx = current()
data = ctx.data
tables = data.tables
project = ctx.settings.project

# Measure option -> (country_summary column, what it counts). Indicator codes are options too.
MEASURES = {
    "activities": ("activities", "joint activities involving the country"),
    "cross-border activities": ("cross_border_activities", "joint activities with organisations from 2+ countries"),
    "organisations": ("organisations", "organisations from the country taking part"),
    "participants": ("participants", "participants at activities held in the country"),
    "partner countries": ("partner_countries", "other countries it works with"),
}

st.markdown(f"## Where {project.name} works across the Danube Region")
if data.source.sample:
    components.sample_banner()
flt = maps.activity_filter(data, ctx.as_of)
acts = joint_activities(tables, flt)
countries = geo.country_summary(tables, acts)
places = geo.location_summary(tables, acts, ctx.as_of)
# With a country or place chosen, its own links: those with an end there.
links = geo.links_touching(
    geo.location_links(tables, acts, cross_border_only=flt.cross_border_only), flt.country, flt.location_id
)
st.caption(
    f"As of **{ctx.as_of:%d %b %Y}** · {components.escape_md(maps.describe_filter(flt, data))} · "
    f"**{len(acts):,}** joint activities · **{len(links):,}** links between locations"
)

if len(links) and len(acts):
    strongest_link, busiest_place, busiest_country = links.iloc[0], places.iloc[0], countries.iloc[0]
    st.markdown(
        f"**Strongest link** {components.escape_md(strongest_link['name_a'])} ↔ "
        f"{components.escape_md(strongest_link['name_b'])} ({strongest_link['activities']:,} joint activities) · "
        f"**busiest place** {components.escape_md(busiest_place['name'])} ({busiest_place['activities']:,}) · "
        f"**most active country** {busiest_country['name']} ({busiest_country['activities']:,})"
    )

map_column, side = st.columns([3, 1], gap="medium")
with side:
    measure = st.selectbox(
        "Colour countries by",
        [*MEASURES, *(p.code for p in ctx.progress)],
        key="measure",
        bind="query-params",
        help="A count from the joint activities below, or an indicator's value per country (as of the date).",
    )
    colour_by = st.pills(
        "Colour places by",
        list(maps.PLACE_COLOURINGS),
        default="Action plan",
        key="places",
        bind="query-params",
        required=True,
        help="The stage of the place's Local Action Plan or furthest pilot, or whether it is an advanced or developing hub.",
    )
    basemap = st.segmented_control(
        "Background",
        list(maps.BASEMAPS),
        default="Plain",
        key="basemap",
        bind="query-params",
        required=True,
        help="Plain works offline: the country shapes are bundled. Carto draws its light street map (online only).",
    )

if measure in MEASURES:
    column, meaning = MEASURES[measure]
    values = dict(zip(countries["country"], countries[column].astype(float), strict=True))
else:
    indicator = ctx.indicator(measure)
    column, meaning = measure, f"{indicator.name} ({indicator.unit}), as of the date" if indicator else measure
    by_country = geo.indicator_by_country(data.contributions[measure], ctx.as_of)
    values = {c: by_country.get(c, 0.0) for c in countries["country"]}
    countries[column] = countries["country"].map(values)

edges = maps.class_edges(values.values())
# Counts are already lines of the tooltip; an indicator's value comes first.
details = {
    code: (f"{measure}: {components.fmt(values[code])}\n" if measure not in MEASURES else "") + maps.country_detail(row)
    for code, row in zip(countries["country"], countries.to_dict("records"), strict=True)
}
shapes = maps.country_features(
    geo.load_countries(), values, details, edges, flt.country, alpha=200 if basemap == "Carto" else 255
)
points = maps.location_points(places, colour_by, flt.location_id)
arcs = maps.link_rows(links)
layers = [
    maps.country_layer(shapes),
    maps.link_layer(arcs),
    maps.country_labels(shapes, avoid=list(zip(points["lat"], points["lon"], strict=True))),
    maps.location_layer(points),
    maps.place_labels(points),
]
view = maps.view_for(places["lat"], places["lon"])
with map_column:
    st.pydeck_chart(
        maps.deck(layers, view, basemap),
        height=maps.MAP_HEIGHT,
        alt=f"Map of the {project.name} countries coloured by {measure}, its locations and the links between them",
    )
    missing_shapes = sorted(set(values) - {f["properties"]["code"] for f in shapes["features"]})
    unplaced = places.loc[places["lat"].isna() | places["lon"].isna(), "name"].tolist()
    notes = []
    if missing_shapes:
        notes.append("no shape for " + ", ".join(country_name(c) for c in missing_shapes))
    if unplaced:
        notes.append("not drawn, coordinates missing: " + ", ".join(unplaced))
    st.caption(
        "Hover over a country, place or link for its numbers. Drag to move, scroll to zoom."
        + (f" Note: {components.escape_md('; '.join(notes))}." if notes else "")
    )

with side:
    maps.legend(
        f"Countries: {measure}",
        [
            *zip(maps.class_colours(edges), maps.class_labels(edges), strict=True),
            (maps.OTHER_COUNTRY, "not a project country"),
        ],
    )
    st.caption(meaning.capitalize() + ".")
    column_of_places, palette = maps.PLACE_COLOURINGS[colour_by]
    counts = places[column_of_places].value_counts()
    kinds = "hub" if colour_by == "Hub" else f"{colour_by.lower()} stage"
    legend_rows = [(c, f"{maps.stage_label(s)} ({counts.get(s, 0)})") for s, c in palette.items()]
    if colour_by == "Hub" and places["hub"].isna().any():
        legend_rows.append((maps.NO_HUB, f"Not given ({int(places['hub'].isna().sum())})"))
    maps.legend(f"Places: {kinds} (how many)", legend_rows, shape="circle")
    st.caption("Dot size: joint activities involving the place.")
    if len(arcs):
        top = int(arcs["activities"].max())
        samples = sorted({1, max(1, top // 2), top})
        maps.width_legend("Links: joint activities", [(maps.link_width(n, top), f"{n:,}") for n in samples])


def most_connected_view() -> None:
    """The strongest links, the busiest places and the countries with most cross-border work."""
    st.subheader("Most connected")
    first, second, third = st.columns(3)
    with first:
        st.markdown("**Strongest links between places**")
        strongest = links.head(5)
        st.markdown(
            "\n".join(
                f"{i}. {components.escape_md(a)} ↔ {components.escape_md(b)}: **{n:,}** joint activities"
                for i, (a, b, n) in enumerate(
                    zip(strongest["name_a"], strongest["name_b"], strongest["activities"], strict=True), 1
                )
            )
            or "No links under these filters."
        )
    with second:
        st.markdown("**Busiest places**")
        busiest = places[places["activities"] > 0].head(5)
        st.markdown(
            "\n".join(
                f"{i}. {components.escape_md(name)} ({country_name(c)}, {hub or 'hub not given'}): "
                f"**{n:,}** activities, linked with {k} places"
                for i, (name, c, hub, n, k) in enumerate(
                    zip(
                        busiest["name"],
                        busiest["country"],
                        busiest["hub"],
                        busiest["activities"],
                        busiest["linked_locations"],
                        strict=True,
                    ),
                    1,
                )
            )
            or "No activities under these filters."
        )
    with third:
        st.markdown("**Countries with most cross-border work**")
        ranked = countries.sort_values(["cross_border_activities", "name"], ascending=[False, True]).head(5)
        st.markdown(
            "\n".join(
                f"{i}. {name}: **{n:,}** cross-border activities with {k} countries"
                for i, (name, n, k) in enumerate(
                    zip(ranked["name"], ranked["cross_border_activities"], ranked["partner_countries"], strict=True), 1
                )
            )
        )


def by_country_view() -> None:
    """Each country's numbers, with the measure the map is coloured by."""
    st.subheader("By country")
    shown = countries.assign(measure=countries[column])
    st.dataframe(
        shown[
            [
                "name",
                "measure",
                "activities",
                "cross_border_activities",
                "organisations",
                "participants",
                "partner_countries",
                "locations",
            ]
        ],
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn("Country", width="medium"),
            "measure": st.column_config.NumberColumn(f"Map colour: {measure}", help=meaning),
            "activities": "Joint activities",
            "cross_border_activities": "Cross-border",
            "organisations": "Organisations taking part",
            "participants": "Participants (held here)",
            "partner_countries": "Partner countries",
            "locations": "Locations",
        },
    )


def by_place_view() -> None:
    """Each place's numbers and stages."""
    st.subheader("By place")
    table = places.assign(
        country=places["country"].map(lambda c: country_name(c) if isinstance(c, str) else None),
        lap_stage=places["lap_stage"].map(maps.stage_label),
        pilot_stage=places["pilot_stage"].map(maps.stage_label),
    )
    st.dataframe(
        table[
            [
                "name",
                "country",
                "hub",
                "activities",
                "held",
                "participants",
                "linked_locations",
                "organisations",
                "lap_stage",
                "pilot_stage",
            ]
        ],
        hide_index=True,
        column_config={
            "name": "Place",
            "country": "Country",
            "hub": "Hub",
            "activities": "Joint activities",
            "held": "Held here",
            "participants": "Participants (held here)",
            "linked_locations": "Linked places",
            "organisations": "Organisations based here",
            "lap_stage": "Action plan stage",
            "pilot_stage": "Pilot stage",
        },
    )


def all_links_view() -> None:
    """Every link between two places under the filters, strongest first."""
    st.subheader(f"All {len(links):,} links between places")
    links_shown = links.assign(
        countries=[f"{a}–{b}" for a, b in zip(links["country_a"], links["country_b"], strict=True)]
    )[["name_a", "name_b", "countries", "activities"]]
    st.dataframe(
        links_shown,
        hide_index=True,
        column_config={
            "name_a": "Place",
            "name_b": "Place",
            "countries": "Countries",
            "activities": "Joint activities",
        },
    )


# The list of links used to be an expander kept open by ?all_links=true: such a link opens its tab.
components.lazy_tabs(
    {
        "Most connected": most_connected_view,
        "By country": by_country_view,
        "By place": by_place_view,
        "All links": all_links_view,
    },
    key="view",
    old_links={"all_links": "All links"},
)

query = {"as_of": ctx.as_of.isoformat()}
if flt.country:
    query["country"] = country_name(flt.country)
if flt.location_id:
    query["location"] = st.session_state.get("location", "")
st.page_link(
    "app_pages/cooperation.py",
    label="Who works with whom: organisations, country pairs and hub links",
    icon=":material/hub:",
    query_params=query,
)
