"""Map: the project's countries by a chosen measure, its locations by stage, and the links between them."""

import streamlit as st

from monitoring.engine import geo
from monitoring.views import map as view
from ui import components, map_filters, map_layers, map_panels
from ui.context import current

ctx = current()
data = ctx.data
project = ctx.settings.project

st.markdown(f"## Where {project.name} works" + (f" across {project.region}" if project.region else ""))
if data.source.sample:
    components.sample_banner()
flt = map_filters.activity_filter(data.tables, ctx.as_of, ctx.settings)
numbers = view.map_numbers(data.tables, flt, ctx.settings)
st.caption(
    f"As of **{ctx.as_of:%d %b %Y}** · {components.escape_md(geo.describe_filter(flt, data.tables))} · "
    f"**{len(numbers.acts):,}** joint activities · **{len(numbers.links):,}** links between locations"
)
if line := view.headline(numbers):
    map_panels.headline(line)

map_column, side = st.columns([3, 1], gap="medium")
with side:
    measure, colour_by, basemap = map_filters.map_choices(view.measure_options(ctx.progress), ctx.settings)
colouring = view.country_colouring(numbers.countries, measure, data.contributions, ctx.as_of, ctx.indicator(measure))
shapes = view.country_features(
    view.map_shapes(ctx.settings, colouring, numbers.places),
    colouring,
    flt.country,
    alpha=200 if basemap == "Carto" else 255,
)
points = view.location_points(numbers.places, colour_by, ctx.settings, flt.location_id)
arcs = view.link_rows(numbers.links)
with map_column:
    st.pydeck_chart(
        map_layers.places_deck(shapes, points, arcs, basemap),
        height=map_layers.MAP_HEIGHT,
        alt=f"Map of the {project.name} countries coloured by {measure}, its locations and the links between them",
    )
    notes = view.map_notes(colouring.values, shapes, numbers.places)
    st.caption(
        "Hover over a country, place or link for its numbers. Drag to move, scroll to zoom."
        + (f" Note: {components.escape_md('; '.join(notes))}." if notes else "")
    )

with side:
    map_panels.legend(f"Countries: {measure}", view.country_legend(colouring.edges))
    st.caption(colouring.meaning.capitalize() + ".")
    if colour_by:
        map_panels.legend(*view.place_legend(numbers.places, colour_by, ctx.settings), shape="circle")
    st.caption("Dot size: joint activities involving the place.")
    if samples := view.width_samples(arcs):
        map_panels.width_legend("Links: joint activities", samples)


def most_connected_view() -> None:
    """The strongest links, the busiest places and the countries with most cross-border work."""
    st.subheader("Most connected")
    map_panels.most_connected(
        view.strongest_links(numbers.links),
        view.busiest_places(numbers.places, hubs=ctx.settings.keeps_hubs),
        view.most_cross_border(numbers.countries),
    )


def by_country_view() -> None:
    """Each country's numbers, with the measure the map is coloured by."""
    st.subheader("By country")
    map_panels.country_table(colouring.table, measure, colouring.meaning)


def by_place_view() -> None:
    """Each place's numbers and stages."""
    st.subheader("By place")
    map_panels.place_table(view.place_table(numbers.places, ctx.settings))


def all_links_view() -> None:
    """Every link between two places under the filters, strongest first."""
    st.subheader(f"All {len(numbers.links):,} links between places")
    map_panels.link_table(view.link_table(numbers.links))


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

st.page_link(
    "app_pages/cooperation.py",
    label="Who works with whom: organisations, country pairs" + (" and hub links" if ctx.settings.keeps_hubs else ""),
    icon=":material/hub:",
    query_params=view.cooperation_query(flt, st.session_state.get("location")),
)
