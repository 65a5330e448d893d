"""The pydeck maps of the Map and Cooperation pages: layers, the fitted view and the deck.

Every pickable layer's rows carry the same two keys, `name` and `detail`, so one tooltip fits them
all. Tooltips are plain text (never HTML), because names come from the sheet. Layer ids are fixed
("countries", "locations", "links", "organisations", "ties") so tests and selections can find them.
The rows themselves are made in `monitoring.views.map` and `monitoring.views.cooperation`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize
from pydeck.data_utils import compute_view
from pydeck.types import String

from monitoring.engine.geo import label_point
from monitoring.views.map import BORDER, OTHER_COUNTRY, SEA, rgba

TOOLTIP = {
    "text": "{name}\n{detail}",
    "style": {"backgroundColor": "#1F2933", "color": "#FFFFFF", "fontSize": "14px", "whiteSpace": "pre-line"},
}
MAP_HEIGHT = 500
FONT = "'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif"
BASEMAPS = ("Plain", "Carto")  # Plain: no basemap, only the bundled country shapes; Carto: Carto's light map
# compute_view fits the points edge to edge (at a whole zoom level; from 20 points, the 95 % nearest the centre);
# half a level out keeps the outer dots and their names inside the map. One place alone is not zoomed in on a street.
VIEW_PROPORTION = 0.95
ZOOM_MARGIN = 0.5
MAX_ZOOM = 8
# Two names closer than this (degrees) are written on opposite sides of their dots (Zenica and Tuzla, Ljubljana and
# Zagreb overlapped at the fitted zoom).
NEAR_LON, NEAR_LAT = 2.0, 1.0
NAMED_ORGANISATIONS = 6  # the network names its most connected organisations without hovering


@dataclass(frozen=True)
class MapTheme:
    """The map's colours for the viewer's theme: the sea, the countries outside the project, borders, Carto's style,
    and the names (text, outline)."""

    sea: list[int]
    other_country: list[int]
    border: list[int]
    carto: str
    label: list[int]
    outline: list[int]
    country_label: list[int]


def map_theme(dark: bool) -> MapTheme:
    """Light: a pale sea and grey neighbours; dark: a dark sea and dark neighbours, so the project's blue countries
    stand out on a projector in a dark room too."""
    if dark:
        return MapTheme(
            rgba("#16202A"),
            rgba("#3A4550"),
            rgba("#16202A"),
            pdk.map_styles.CARTO_DARK,
            rgba("#FFFFFF"),
            rgba("#111111", 230),
            rgba("#D5DCE3"),
        )
    return MapTheme(
        rgba(SEA),
        rgba(OTHER_COUNTRY),
        rgba(BORDER),
        pdk.map_styles.CARTO_LIGHT,
        rgba("#111111"),
        rgba("#FFFFFF", 230),
        rgba("#44505C"),
    )


def _viewer_theme() -> MapTheme:
    return map_theme(st.context.theme.type == "dark")


def fitted_view(points: pd.DataFrame) -> pdk.ViewState:
    """A view on the points (columns lon, lat; rows without both are left out): pydeck's compute_view, zoomed
    out by ZOOM_MARGIN, at most MAX_ZOOM; the middle of Europe when no point is placed."""
    placed = points[["lon", "lat"]].dropna().astype(float)
    if placed.empty:
        return pdk.ViewState(latitude=45.5, longitude=19.5, zoom=4.6)
    # Under 20 points, 95 % would leave out a whole point, perhaps the only one: fit them all.
    proportion = VIEW_PROPORTION if len(placed) * (1 - VIEW_PROPORTION) >= 1 else 1
    fitted = compute_view(placed, view_proportion=proportion)
    return pdk.ViewState(
        latitude=round(fitted.latitude, 4),
        longitude=round(fitted.longitude, 4),
        zoom=min(fitted.zoom, MAX_ZOOM) - ZOOM_MARGIN,
    )


def _themed(features: dict[str, Any], theme: MapTheme) -> dict[str, Any]:
    """The shapes with the countries outside the project in the theme's colours (a copy: the shapes are shared)."""
    if theme.other_country == rgba(OTHER_COUNTRY):
        return features
    return {
        **features,
        "features": [
            f
            if f["properties"].get("project")
            else {**f, "properties": {**f["properties"], "fill": theme.other_country, "line": theme.border}}
            for f in features["features"]
        ],
    }


def country_layer(features: dict[str, Any], theme: MapTheme | None = None) -> pdk.Layer:
    """The country shapes, filled and outlined by their own properties (fill, line, width)."""
    return pdk.Layer(
        "GeoJsonLayer",
        _themed(features, theme) if theme else features,
        id="countries",
        pickable=True,
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color="properties.line",
        get_line_width="properties.width",
        line_width_units=String("pixels"),
    )


def sea_layer(theme: MapTheme) -> pdk.Layer:
    """The sea behind the countries when there is no basemap: pale, or dark in the dark theme."""
    return pdk.Layer(
        "PolygonLayer",
        [{"polygon": [[-40, 20], [60, 20], [60, 75], [-40, 75]]}],
        id="sea",
        get_polygon="polygon",
        get_fill_color=theme.sea,
        stroked=False,
        pickable=False,
    )


def country_labels(
    features: dict[str, Any], avoid: Sequence[tuple[float, float]] = (), theme: MapTheme | None = None
) -> pdk.Layer:
    """Names of the project's countries, in small grey capitals, moved off any (lat, lon) place in `avoid`."""
    rows = []
    for feature in features["features"]:
        props = feature["properties"]
        if not props.get("project"):
            continue
        lon, lat = label_point(feature)
        if any(abs(lon - x) < 1.2 and abs(lat - y) < 0.45 for y, x in avoid):
            lat -= 0.6
        rows.append({"text": props["name"].upper(), "position": [lon, lat]})
    theme = theme or map_theme(False)
    return _text_layer(
        rows,
        "country-names",
        size=12,
        colour=theme.country_label,
        weight=600,
        outline=(2, 200),
        outline_rgb=theme.outline,
    )


def label_offsets(points: pd.DataFrame) -> list[list[float]]:
    """Pixel offsets of the places' names (points: lon, lat, radius): above each dot, or below it when a name already
    placed above a dot nearby would overlap it."""
    offsets: list[list[float]] = []
    above: list[tuple[float, float]] = []
    for x, y, r in zip(points["lon"], points["lat"], points["radius"], strict=True):
        crowded = any(abs(x - ax) < NEAR_LON and abs(y - ay) < NEAR_LAT for ax, ay in above)
        if crowded:
            offsets.append([0.0, float(r) + 9])
        else:
            above.append((x, y))
            offsets.append([0.0, -(float(r) + 9)])
    return offsets


def place_labels(points: pd.DataFrame, theme: MapTheme | None = None) -> pdk.Layer:
    """Location names beside their dots (points: name, lon, lat, radius), on opposite sides where crowded."""
    theme = theme or map_theme(False)
    rows = [
        {"text": n, "position": [x, y], "offset": offset}
        for n, x, y, offset in zip(points["name"], points["lon"], points["lat"], label_offsets(points), strict=True)
    ]
    return _text_layer(
        rows,
        "place-names",
        size=15,
        colour=theme.label,
        weight=700,
        outline=(3, 230),
        outline_rgb=theme.outline,
        get_pixel_offset="offset",
    )


def _text_layer(
    rows: list[dict[str, Any]],
    layer_id: str,
    *,
    size: int,
    colour: Any,
    weight: int,
    outline: tuple[int, int],
    outline_rgb: list[int] | None = None,
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
        outline_color=outline_rgb or rgba("#FFFFFF", outline[1]),
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


def deck(layers: list[pdk.Layer], view: pdk.ViewState, basemap: str, theme: MapTheme | None = None) -> pdk.Deck:
    """Plain: no basemap (the sea and country layers give the map its shape); Carto: Carto's map (light or dark, as
    the theme), no token."""
    theme = theme or map_theme(False)
    if basemap == "Carto":
        return CompactDeck(
            layers=layers, initial_view_state=view, map_provider="carto", map_style=theme.carto, tooltip=TOOLTIP
        )
    return CompactDeck(layers=[sea_layer(theme), *layers], initial_view_state=view, map_provider=None, tooltip=TOOLTIP)


def places_deck(shapes: dict[str, Any], points: pd.DataFrame, arcs: pd.DataFrame, basemap: str) -> pdk.Deck:
    """The Map: countries, links, the countries' names, places and their names, fitted to the places in the
    programme area (`in_area`; all of them when none is), in the viewer's theme."""
    theme = _viewer_theme()
    layers = [
        country_layer(shapes, theme),
        link_layer(arcs),
        country_labels(shapes, avoid=list(zip(points["lat"], points["lon"], strict=True)), theme=theme),
        location_layer(points),
        place_labels(points, theme),
    ]
    inside = points[points["in_area"]] if "in_area" in points and points["in_area"].any() else points
    return deck(layers, fitted_view(inside), basemap, theme)


def network_deck(shapes: dict[str, Any], lines: pd.DataFrame, nodes: pd.DataFrame, hubs: pd.DataFrame) -> pdk.Deck:
    """The organisations' network on the plain map: countries, ties, organisations, the places' names and the names of
    the most connected organisations (a room cannot hover), in the viewer's theme."""
    theme = _viewer_theme()
    layers = [
        country_layer(shapes, theme),
        tie_layer(lines),
        organisation_layer(nodes),
        place_labels(hubs.assign(radius=22), theme),
        organisation_labels(nodes, theme),
    ]
    return deck(layers, fitted_view(nodes), "Plain", theme)


def organisation_labels(nodes: pd.DataFrame, theme: MapTheme, most: int = NAMED_ORGANISATIONS) -> pdk.Layer:
    """The names of the `most` organisations with the most joint activities, beside their dots."""
    top = nodes.sort_values("activities", ascending=False, kind="stable").head(most)
    rows = [
        {"text": name, "position": [x, y], "offset": offset}
        for name, x, y, offset in zip(top["name"], top["lon"], top["lat"], label_offsets(top), strict=True)
    ]
    return _text_layer(
        rows,
        "organisation-names",
        size=13,
        colour=theme.label,
        weight=600,
        outline=(3, 230),
        outline_rgb=theme.outline,
        get_pixel_offset="offset",
    )
