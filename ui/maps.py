"""Map builders (pydeck) and the filters the Map and Cooperation pages share.

Every pickable layer's rows carry the same two keys, `name` and `detail`, so one tooltip fits them
all. Tooltips are plain text (never HTML), because names come from the sheet. Layer ids are fixed
("countries", "locations", "links", "organisations", "ties") so tests and selections can find them.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize
from pydeck.types import String

from monitoring.contract import ACTIVITY_TYPES, CLUSTERS, LAP_STAGE_LABELS, LAP_STAGES, PILOT_STAGES
from monitoring.cooperation import ActivityFilter
from monitoring.dataset import Dataset
from monitoring.formatting import number
from monitoring.geo import NO_PILOT, NOT_STARTED, project_countries
from monitoring.parse import country_name

RGBA = list[int]

TOOLTIP = {
    "text": "{name}\n{detail}",
    "style": {"backgroundColor": "#1F2933", "color": "#FFFFFF", "fontSize": "14px", "whiteSpace": "pre-line"},
}
# Countries: a sequential blue ramp (colour-blind safe: it varies in lightness) for the project's
# countries; the others light grey, so the project's stand out.
COUNTRY_RAMP = ["#DCE9F5", "#B0CFE8", "#7FB0D8", "#4A8CC2", "#1F65A3"]
OTHER_COUNTRY = "#E4E4E4"
SEA = "#F4F7FA"
BORDER = "#FFFFFF"
PROJECT_BORDER = "#51606E"
SELECTED_BORDER = "#111111"
# Places: a light-to-dark yellow-orange-brown ramp by stage; white for "nothing yet".
STAGE_RAMP = ["#FEE391", "#FEC44F", "#FE9929", "#EC7014", "#CC4C02", "#993404", "#662506"]
LAP_COLOURS = {NOT_STARTED: "#FFFFFF"} | dict(zip(LAP_STAGES, STAGE_RAMP, strict=True))
PILOT_COLOURS = {NO_PILOT: "#FFFFFF"} | dict(zip(PILOT_STAGES, STAGE_RAMP, strict=True))
STAGE_LABELS = {NOT_STARTED: "Not started", NO_PILOT: "No pilot"} | LAP_STAGE_LABELS
HUB_COLOURS = {"advanced": "#D55E00", "developing": "#F0E442"}  # vermillion, yellow (Okabe-Ito)
NO_HUB = "#FFFFFF"
LINK_COLOUR = "#3B3B6D"
# Organisations by type (Okabe-Ito); anything else grey.
ORG_TYPE_COLOURS = {
    "public authority": "#0072B2",
    "university": "#009E73",
    "innovation agency": "#56B4E9",
    "business support organisation": "#E69F00",
    "SME": "#D55E00",
    "start-up": "#CC79A7",
    "NGO": "#F0E442",
}
OTHER_ORG_TYPE = "#999999"
TIE_COLOURS = {True: "#0072B2", False: "#999999"}  # cross-border ties blue, ties within a country grey

# "Colour places by" option -> (location_summary column, value -> colour)
PLACE_COLOURINGS = {
    "Action plan": ("lap_stage", LAP_COLOURS),
    "Pilot": ("pilot_stage", PILOT_COLOURS),
    "Hub": ("hub", HUB_COLOURS),
}

MAP_HEIGHT = 500
FONT = "'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"
BASEMAPS = ("Plain", "Carto")  # Plain: no basemap, only the bundled country shapes; Carto: Carto's light map


def rgba(colour: str, alpha: int = 255) -> RGBA:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage.capitalize())


# ---------------------------------------------------------------- filters


def activity_filter(data: Dataset, as_of: dt.date) -> ActivityFilter:
    """The shared filter row: country, location, cluster, activity type, cross-border only.

    Bound to the URL (?country=Serbia&location=Novi+Sad&cluster=IT&type=workshop&cross_border=true),
    with readable option values and no format_func, so a link reproduces the view.
    """
    tables = data.tables
    countries = {country_name(c): c for c in project_countries(tables)}
    locations = tables["locations"].drop_duplicates("location_id")
    names = locations["name"].where(
        ~locations["name"].duplicated(keep=False), locations["name"] + " (" + locations["location_id"] + ")"
    )
    places = dict(zip(names, locations["location_id"], strict=True))
    present = set(tables["activities"]["type"].dropna())
    types = [t for t in ACTIVITY_TYPES if t in present]

    cols = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
    country = cols[0].selectbox(
        "Country",
        sorted(countries),
        index=None,
        placeholder="All countries",
        key="country",
        bind="query-params",
        help="Only the activities involving this country: one of its organisations took part, or it was held there.",
    )
    place = cols[1].selectbox(
        "Location",
        sorted(places),
        index=None,
        placeholder="All locations",
        key="location",
        bind="query-params",
        help="Only the activities involving this location: one of its organisations took part, or it was held there.",
    )
    with cols[2].popover("Cluster and type", icon=":material/filter_list:", width="stretch"):
        clusters = st.pills(
            "Cluster",
            list(CLUSTERS),
            selection_mode="multi",
            key="cluster",
            bind="query-params",
            help="None chosen: every cluster.",
        )
        chosen_types = st.multiselect(
            "Activity type",
            types,
            key="type",
            bind="query-params",
            placeholder="All types",
            help="None chosen: every type.",
        )
    cross_border = cols[3].toggle(
        "Cross-border only",
        key="cross_border",
        bind="query-params",
        help="Only activities with organisations from two or more countries, and only links between countries.",
    )
    return ActivityFilter(
        as_of=as_of,
        types=tuple(chosen_types),
        clusters=tuple(clusters or ()),
        cross_border_only=bool(cross_border),
        country=countries.get(country) if country else None,
        location_id=places.get(place) if place else None,
    )


def describe_filter(flt: ActivityFilter, data: Dataset) -> str:
    """The filter in words, for captions: 'workshop, training · IT · cross-border only'."""
    locations = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")["name"]
    parts = []
    if flt.country:
        parts.append(f"involving {country_name(flt.country)}")
    if flt.location_id:
        parts.append(f"involving {locations.get(flt.location_id, flt.location_id)}")
    if flt.types:
        parts.append(", ".join(flt.types))
    if flt.clusters:
        parts.append("cluster " + ", ".join(flt.clusters))
    if flt.cross_border_only:
        parts.append("cross-border only")
    return " · ".join(parts) if parts else "all joint activities"


# ---------------------------------------------------------------- scales


def class_edges(values: Iterable[float], most: int = len(COUNTRY_RAMP)) -> list[float]:
    """Edges of at most `most` equal classes with round bounds, covering the values' range.

    [44, 75] -> [40, 50, 60, 70, 80]; all equal (or none) -> one class.
    """
    found = [float(v) for v in values if pd.notna(v)]
    low, high = (min(found), max(found)) if found else (0.0, 0.0)
    if high <= low:
        return [low, low]
    magnitude = 10 ** math.floor(math.log10((high - low) / most))
    for step in (m * magnitude for m in (1, 2, 2.5, 5, 10, 20, 25, 50, 100)):
        start = math.floor(low / step) * step
        classes = max(1, math.ceil((high - start) / step))
        if classes <= most:
            return [start + i * step for i in range(classes + 1)]
    return [low, high]


def class_of(value: float, edges: Sequence[float]) -> int:
    """The class a value falls in: edges[i] <= value < edges[i + 1]; the top edge belongs to the last class."""
    classes = max(len(edges) - 1, 1)
    return next((i for i in range(classes) if value < edges[i + 1]), classes - 1)


def class_colours(edges: Sequence[float]) -> list[str]:
    """Ramp colours for the classes, spread from light to dark."""
    classes = max(len(edges) - 1, 1)
    if classes == 1:
        return [COUNTRY_RAMP[2]]
    top = len(COUNTRY_RAMP) - 1
    return [COUNTRY_RAMP[round(i * top / (classes - 1))] for i in range(classes)]


def class_labels(edges: Sequence[float]) -> list[str]:
    """'40 – 50', ... ('40 – 50' holds 40 up to, not including, 50; the last one holds its top)."""
    if len(edges) < 2 or edges[0] == edges[-1]:
        return [number(edges[0]) if edges else "0"]
    return [f"{number(a)} – {number(b)}" for a, b in itertools.pairwise(edges)]


def pixel_size(value: float, top: float, smallest: float, largest: float) -> float:
    """Area-true sizing: a value `top` gets `largest`, 0 gets `smallest`."""
    if top <= 0:
        return smallest
    return round(smallest + (largest - smallest) * math.sqrt(max(value, 0) / top), 2)


def view_for(lats: Iterable[float], lons: Iterable[float], width: int = 660, height: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view that fits the points with a margin (Web Mercator maths)."""
    lats = [x for x in lats if pd.notna(x)]
    lons = [x for x in lons if pd.notna(x)]
    if not lats:
        return pdk.ViewState(latitude=45.5, longitude=19.5, zoom=4.6)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    span_x = max(east - west, 4.0) * 1.35
    span_y = max(merc(north) - merc(south), 0.07) * 1.45
    zoom_x = math.log2(width * 360 / (512 * span_x))  # deck.gl: the world is 512 pixels wide at zoom 0
    zoom_y = math.log2(height * 2 * math.pi / (512 * span_y))
    mid = math.degrees(2 * math.atan(math.exp((merc(north) + merc(south)) / 2)) - math.pi / 2)
    return pdk.ViewState(
        latitude=round(mid, 4), longitude=round((west + east) / 2, 4), zoom=round(min(zoom_x, zoom_y, 8), 2)
    )


# ---------------------------------------------------------------- layers


def label_point(feature: dict[str, Any]) -> list[float]:
    """The centroid of the feature's largest polygon: where its name goes."""

    def centroid(ring: list[list[float]]) -> tuple[float, float, float]:
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
        area /= 2
        return (cx / (6 * area), cy / (6 * area), abs(area)) if area else (ring[0][0], ring[0][1], 0.0)

    x, y, _ = max((centroid(poly[0]) for poly in feature["geometry"]["coordinates"]), key=lambda c: c[2])
    return [round(x, 3), round(y, 3)]


def country_features(
    collection: dict[str, Any],
    values: dict[str, float],
    details: dict[str, str],
    edges: Sequence[float],
    selected: str | None = None,
    alpha: int = 255,
) -> dict[str, Any]:
    """The bundled shapes with name, detail, fill, line, width and project (bool) set for drawing.

    `values` holds the project's countries (coloured on the ramp); every other country is grey.
    """
    colours = class_colours(edges)
    for feature in collection["features"]:
        props = feature["properties"]
        code = props["code"]
        project = code in values
        props["project"] = project
        props["detail"] = details.get(
            code, "Danube Region, no SpinIT organisation" if props.get("danube") else "Not in the Danube Region"
        )
        props["fill"] = rgba(colours[class_of(values[code], edges)] if project else OTHER_COUNTRY, alpha)
        props["line"] = rgba(SELECTED_BORDER if code == selected else PROJECT_BORDER if project else BORDER)
        props["width"] = 3 if code == selected else 1.2 if project else 0.8
    return collection


def country_layer(features: dict[str, Any]) -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer",
        features,
        id="countries",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.width",
        line_width_units=String("pixels"),
    )


def sea_layer() -> pdk.Layer:
    """A pale background behind the countries when there is no basemap."""
    return pdk.Layer(
        "PolygonLayer",
        [{"polygon": [[-40, 20], [60, 20], [60, 75], [-40, 75]]}],
        id="sea",
        get_polygon="polygon",
        get_fill_color=rgba(SEA),
        stroked=False,
        pickable=False,
    )


def country_labels(features: dict[str, Any], avoid: Sequence[tuple[float, float]] = ()) -> pdk.Layer:
    """Names of the project's countries, in small grey capitals, moved off any place in `avoid`."""
    rows = []
    for feature in features["features"]:
        props = feature["properties"]
        if not props.get("project"):
            continue
        lon, lat = label_point(feature)
        if any(abs(lon - x) < 1.2 and abs(lat - y) < 0.45 for y, x in avoid):
            lat -= 0.6
        rows.append({"text": props["name"].upper(), "position": [lon, lat]})
    return _text_layer(rows, "country-names", size=11, colour=rgba("#44505C"), weight=600, outline=(2, 200))


def place_labels(points: pd.DataFrame) -> pdk.Layer:
    """Location names beside their dots (points: name, lon, lat, radius)."""
    rows = [
        {"text": n, "position": [x, y], "offset": [0, -(r + 9)]}
        for n, x, y, r in zip(points["name"], points["lon"], points["lat"], points["radius"], strict=True)
    ]
    return _text_layer(
        rows, "place-names", size=14, colour=rgba("#111111"), weight=700, outline=(3, 230), get_pixel_offset="offset"
    )


def _text_layer(
    rows: list[dict[str, Any]],
    layer_id: str,
    *,
    size: int,
    colour: Any,
    weight: int,
    outline: tuple[int, int],
    **extra: Any,
) -> pdk.Layer:
    """Labels on the map: text at a position, in the app's font with a white outline (width, alpha)."""
    return pdk.Layer(
        "TextLayer",
        rows,
        id=layer_id,
        get_position="position",
        get_text="text",
        get_size=size,
        get_color=colour,
        font_weight=weight,
        font_family=String(FONT),
        character_set=String("auto"),
        outline_width=outline[0],
        outline_color=rgba("#FFFFFF", outline[1]),
        font_settings={"sdf": True},
        pickable=False,
        **extra,
    )


def location_layer(points: pd.DataFrame) -> pdk.Layer:
    """points: name, detail, lon, lat, radius (pixels), fill (RGBA), line_width (pixels)."""
    return pdk.Layer(
        "ScatterplotLayer",
        points[["name", "detail", "lon", "lat", "radius", "fill", "line_width"]].to_dict("records"),
        id="locations",
        pickable=True,
        stroked=True,
        filled=True,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units=String("pixels"),
        get_fill_color="fill",
        get_line_color=rgba("#1F2933"),
        get_line_width="line_width",
        line_width_units=String("pixels"),
    )


def link_layer(links: pd.DataFrame) -> pdk.Layer:
    """links: name, detail, source [lon, lat], target [lon, lat], width (pixels), colour (RGBA)."""
    return pdk.Layer(
        "ArcLayer",
        links[["name", "detail", "source", "target", "width", "colour"]].to_dict("records"),
        id="links",
        pickable=True,
        get_source_position="source",
        get_target_position="target",
        get_width="width",
        width_units=String("pixels"),
        get_source_color="colour",
        get_target_color="colour",
        get_height=0.15,
        get_tilt=90,
        auto_highlight=True,
        highlight_color=rgba("#D55E00", 230),
    )


def tie_layer(ties: pd.DataFrame) -> pdk.Layer:
    """ties: name, detail, source, target, width (pixels), colour (RGBA)."""
    return pdk.Layer(
        "LineLayer",
        ties[["name", "detail", "source", "target", "width", "colour"]].to_dict("records"),
        id="ties",
        pickable=True,
        get_source_position="source",
        get_target_position="target",
        get_width="width",
        width_units=String("pixels"),
        get_color="colour",
        auto_highlight=True,
        highlight_color=rgba("#D55E00", 230),
    )


def organisation_layer(nodes: pd.DataFrame) -> pdk.Layer:
    """nodes: name, detail, lon, lat, radius (pixels), fill (RGBA)."""
    return pdk.Layer(
        "ScatterplotLayer",
        nodes[["name", "detail", "lon", "lat", "radius", "fill"]].to_dict("records"),
        id="organisations",
        pickable=True,
        stroked=True,
        filled=True,
        get_position=["lon", "lat"],
        get_radius="radius",
        radius_units=String("pixels"),
        get_fill_color="fill",
        get_line_color=rgba("#1F2933"),
        get_line_width=1.5,
        line_width_units=String("pixels"),
    )


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: a quarter of the size st.pydeck_chart sends on every run."""

    def to_json(self) -> str:
        # pydeck's own to_json indents and sorts; parsing that back to compact it cost twice the time.
        return json.dumps(self, default=default_serialize, separators=(",", ":"))


def deck(layers: list[pdk.Layer], view: pdk.ViewState, basemap: str) -> pdk.Deck:
    """Plain: no basemap (the sea and country layers give the map its shape); Carto: Carto's light map, no token."""
    if basemap == "Carto":
        return CompactDeck(
            layers=layers,
            initial_view_state=view,
            map_provider="carto",
            map_style=pdk.map_styles.CARTO_LIGHT,
            tooltip=TOOLTIP,
        )
    return CompactDeck(layers=[sea_layer(), *layers], initial_view_state=view, map_provider=None, tooltip=TOOLTIP)


# ---------------------------------------------------------------- legends


def legend(title: str, items: Sequence[tuple[str, str]], shape: str = "square") -> None:
    """A legend: colour swatches with words beside them. Titles and labels are escaped (never sheet HTML)."""
    radius = "50%" if shape == "circle" else "2px"
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5em;margin:.1em 0">'
        f'<span style="flex:none;width:.95em;height:.95em;border-radius:{radius};background:{html.escape(colour)};'
        f'border:1px solid #51606E"></span><span>{html.escape(label)}</span></div>'
        for colour, label in items
    )
    st.markdown(
        f'<div style="font-size:.9rem;line-height:1.35"><b>{html.escape(title)}</b>{rows}</div>',
        unsafe_allow_html=True,
    )


def width_legend(title: str, samples: Sequence[tuple[float, str]], colour: str = LINK_COLOUR) -> None:
    """Line widths with their numbers: `samples` is (pixels, label)."""
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:.5em;margin:.15em 0">'
        f'<span style="flex:none;width:2.2em;height:{px:.1f}px;background:{html.escape(colour)};border-radius:2px"></span>'
        f"<span>{html.escape(label)}</span></div>"
        for px, label in samples
    )
    st.markdown(
        f'<div style="font-size:.9rem;line-height:1.35"><b>{html.escape(title)}</b>{rows}</div>',
        unsafe_allow_html=True,
    )


# ---------------------------------------------------------------- rows for the layers


def country_detail(row: pd.Series) -> str:
    return "\n".join(
        [
            f"{row['activities']:,} joint activities ({row['cross_border_activities']:,} cross-border)",
            f"{row['organisations']:,} organisations taking part · {row['partner_countries']:,} partner countries",
            f"{row['participants']:,} participants at activities held here",
        ]
    )


def location_points(summary: pd.DataFrame, colour_by: str, selected: str | None = None) -> pd.DataFrame:
    """Rows for `location_layer` from `geo.location_summary`: sized by activities, coloured by LAP or pilot stage.

    Locations without coordinates are left out. `colour_by`: one of PLACE_COLOURINGS.
    """
    rows = summary[summary["lat"].notna() & summary["lon"].notna()].copy()
    top = float(rows["activities"].max()) if len(rows) else 0.0
    column, colours = PLACE_COLOURINGS[colour_by]
    rows["radius"] = [pixel_size(v, top, 6, 20) for v in rows["activities"]]
    rows["fill"] = [rgba(colours.get(s, NO_HUB) if isinstance(s, str) else NO_HUB) for s in rows[column]]
    rows["line_width"] = [3.5 if loc == selected else 1.5 for loc in rows["location_id"]]
    rows["detail"] = [
        "\n".join(
            [
                f"{country_name(c)} · {hub + ' hub' if isinstance(hub, str) else 'hub not given'}",
                f"{a:,} joint activities ({h:,} held here, {p:,} participants)",
                f"linked with {k:,} other locations · {o:,} organisations based here",
                f"Action plan: {stage_label(lap)} · pilot: {stage_label(pil)}",
            ]
        )
        for c, hub, a, h, p, k, o, lap, pil in zip(
            rows["country"],
            rows["hub"],
            rows["activities"],
            rows["held"],
            rows["participants"],
            rows["linked_locations"],
            rows["organisations"],
            rows["lap_stage"],
            rows["pilot_stage"],
            strict=True,
        )
    ]
    return rows.reset_index(drop=True)


def link_rows(links: pd.DataFrame) -> pd.DataFrame:
    """Rows for `link_layer` from `geo.location_links`: width by joint activities (1 to 14 pixels)."""
    rows = links[links[["lat_a", "lon_a", "lat_b", "lon_b"]].notna().all(axis=1)].copy()
    top = float(rows["activities"].max()) if len(rows) else 0.0
    rows["name"] = rows["name_a"] + " ↔ " + rows["name_b"]
    rows["detail"] = [
        f"{n:,} joint activities" + (" · cross-border" if cb else " · same country")
        for n, cb in zip(rows["activities"], rows["cross_border"], strict=True)
    ]
    rows["source"] = [[x, y] for x, y in zip(rows["lon_a"], rows["lat_a"], strict=True)]
    rows["target"] = [[x, y] for x, y in zip(rows["lon_b"], rows["lat_b"], strict=True)]
    rows["width"] = [link_width(n, top) for n in rows["activities"]]
    rows["colour"] = [link_colour(n, top) for n in rows["activities"]]
    return rows.reset_index(drop=True)


def link_width(activities: float, top: float) -> float:
    """1 pixel for the weakest, 10 for the strongest link."""
    return round(1 + 9 * activities / top, 2) if top else 1.0


def link_colour(activities: float, top: float) -> RGBA:
    """Stronger links are also more opaque, so the weak ones recede."""
    return rgba(LINK_COLOUR, round(50 + 190 * activities / top) if top else 200)


def project_shapes(collection: dict[str, Any], details: dict[str, str]) -> dict[str, Any]:
    """The shapes in two quiet tones, the project's countries (those in `details`) slightly blue: a backdrop."""
    for feature in collection["features"]:
        props = feature["properties"]
        project = props["code"] in details
        props["project"] = project
        props["detail"] = details.get(props["code"], "No SpinIT organisation")
        props["fill"] = rgba(COUNTRY_RAMP[0] if project else OTHER_COUNTRY)
        props["line"] = rgba(PROJECT_BORDER if project else BORDER)
        props["width"] = 1.0 if project else 0.8
    return collection


def organisation_nodes(table: pd.DataFrame, spots: pd.DataFrame) -> pd.DataFrame:
    """Rows for `organisation_layer` from `cooperation.directory` and `geo.organisation_positions`.

    Sized by joint activities, coloured by organisation type; organisations without a position are left out.
    """
    rows = table[table["partner_id"].isin(spots.index)].copy()
    rows["lat"] = rows["partner_id"].map(spots["lat"])
    rows["lon"] = rows["partner_id"].map(spots["lon"])
    top = float(rows["activities"].max()) if len(rows) else 0.0
    rows["radius"] = [pixel_size(v, top, 4, 13) for v in rows["activities"]]
    rows["fill"] = [rgba(ORG_TYPE_COLOURS.get(t, OTHER_ORG_TYPE)) for t in rows["org_type"]]
    rows["detail"] = [
        "\n".join(
            [
                f"{c or 'country not given'} · {t or 'type not given'} · {r}",
                f"{a:,} joint activities ({x:,} cross-border)",
                f"{p:,} partners abroad, in {k:,} other countries",
            ]
        )
        for c, t, r, a, x, p, k in zip(
            rows["country_name"],
            rows["org_type"],
            rows["role"],
            rows["activities"],
            rows["cross_border_activities"],
            rows["cross_border_partners"],
            rows["partner_countries"],
            strict=True,
        )
    ]
    return rows.reset_index(drop=True)


def tie_rows(ties: pd.DataFrame, spots: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Rows for `tie_layer` from `cooperation.organisation_ties`: width by joint activities, blue across borders."""
    rows = ties[ties["partner_a"].isin(spots.index) & ties["partner_b"].isin(spots.index)].copy()
    top = float(rows["activities"].max()) if len(rows) else 0.0
    rows["name"] = [
        f"{names.get(a, a)} ↔ {names.get(b, b)}" for a, b in zip(rows["partner_a"], rows["partner_b"], strict=True)
    ]
    rows["detail"] = [
        f"{n:,} joint activities · " + ("cross-border" if cb else "same country")
        for n, cb in zip(rows["activities"], rows["cross_border"], strict=True)
    ]
    where = {p: [lon, lat] for p, lon, lat in zip(spots.index, spots["lon"], spots["lat"], strict=True)}
    rows["source"] = [where[p] for p in rows["partner_a"]]
    rows["target"] = [where[p] for p in rows["partner_b"]]
    rows["width"] = [round(0.5 + 5.5 * n / top, 2) if top else 1.0 for n in rows["activities"]]
    rows["colour"] = [
        rgba(TIE_COLOURS[bool(cb)], round(60 + 160 * n / top) if top else 180)
        for n, cb in zip(rows["activities"], rows["cross_border"], strict=True)
    ]
    return rows.reset_index(drop=True)
