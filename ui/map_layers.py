"""The pydeck maps of the Map and Cooperation pages: layers, the fitted view and the deck.

Every pickable layer's rows carry the same two keys, `name` and `detail`, so one tooltip fits them
all. Tooltips are plain text (never HTML), because names come from the sheet. Layer ids are fixed
("countries", "locations", "links", "organisations", "ties") so tests and selections can find them.
The rows themselves are made in `monitoring.views.map` and `monitoring.views.cooperation`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize
from pydeck.data_utils import compute_view
from pydeck.types import String

from monitoring.geo import label_point
from monitoring.views.map import SEA, rgba

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


def country_layer(features: dict[str, Any]) -> pdk.Layer:
    """The country shapes, filled and outlined by their own properties (fill, line, width)."""
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


def places_deck(shapes: dict[str, Any], points: pd.DataFrame, arcs: pd.DataFrame, basemap: str) -> pdk.Deck:
    """The Map: countries, links, the countries' names, places and their names, fitted to the places in the
    programme area (`in_area`; all of them when none is)."""
    layers = [
        country_layer(shapes),
        link_layer(arcs),
        country_labels(shapes, avoid=list(zip(points["lat"], points["lon"], strict=True))),
        location_layer(points),
        place_labels(points),
    ]
    inside = points[points["in_area"]] if "in_area" in points and points["in_area"].any() else points
    return deck(layers, fitted_view(inside), basemap)


def network_deck(shapes: dict[str, Any], lines: pd.DataFrame, nodes: pd.DataFrame, hubs: pd.DataFrame) -> pdk.Deck:
    """The organisations' network on the plain map: countries, ties, organisations and the places' names."""
    layers = [country_layer(shapes), tie_layer(lines), organisation_layer(nodes), place_labels(hubs.assign(radius=22))]
    return deck(layers, fitted_view(nodes), basemap="Plain")
