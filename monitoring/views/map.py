"""What the Map page shows: the joint activities' countries, places and links, coloured and explained.

Everything here is pure: the page reads its filters, calls these, and hands the rows to `ui.map_layers`
(the pydeck layers) and `ui.map_panels` (legends, lists and tables). Rows for a pickable layer carry
`name` and `detail` (plain text, for the one tooltip); colours are RGBA lists.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from monitoring.engine import geo
from monitoring.engine.cooperation import ActivityFilter, joint_activities
from monitoring.engine.geo import NO_PILOT, NO_PLAN, NOT_STARTED
from monitoring.engine.progress import IndicatorProgress
from monitoring.formatting import number
from monitoring.model.config import Lifecycle, Settings
from monitoring.sheet.parse import country_name

RGBA = list[int]

# Countries: a sequential blue ramp (colour-blind safe: it varies in lightness) for the project's
# countries; the others light grey, so the project's stand out.
COUNTRY_RAMP = ["#DCE9F5", "#B0CFE8", "#7FB0D8", "#4A8CC2", "#1F65A3"]
OTHER_COUNTRY = "#E4E4E4"
NO_ORGANISATION = "No organisation of the project"  # a country's tooltip where the project has nobody
SEA = "#F4F7FA"
BORDER = "#FFFFFF"
PROJECT_BORDER = "#51606E"
SELECTED_BORDER = "#111111"
# Places: a light-to-dark yellow-orange-brown ramp by stage (stretched over a lifecycle's stages); white for
# "nothing yet".
STAGE_RAMP = ["#FEE391", "#FEC44F", "#FE9929", "#EC7014", "#CC4C02", "#993404", "#662506"]
NOTHING_YET = {NOT_STARTED: "Not started", NO_PILOT: "No pilot", NO_PLAN: "No plan"}
HUB_COLOURS = {"advanced": "#D55E00", "developing": "#F0E442"}  # vermillion, yellow (Okabe-Ito)
NO_HUB = "#FFFFFF"
LINK_COLOUR = "#3B3B6D"

# "Colour places by" option -> (location_summary column, the tab whose lifecycle colours it; none for hubs). A
# project is offered only those it keeps: `place_colourings`.
PLACE_COLOURINGS = {
    "Action plan": ("lap_stage", "action_plans"),
    "Pilot": ("pilot_stage", "pilots"),
    "Hub": ("hub", ""),
}


def place_colourings(settings: Settings) -> list[str]:
    """The "Colour places by" options of a project: its plans and pilots where it keeps those tabs, and hubs where it
    declares hub levels (`vocabularies.hubs`); none at all for a project with neither."""
    kept = {"Action plan": settings.has_tab("action_plans"), "Pilot": settings.has_tab("pilots")}
    return [option for option in PLACE_COLOURINGS if kept.get(option, settings.keeps_hubs)]


def colouring_help(options: list[str], settings: Settings) -> str:
    """What the "Colour places by" options mean, for those offered: 'The stage of the place's Local Action Plan or
    furthest pilot, or whether it is an advanced or developing hub.'"""
    stages = []
    if "Action plan" in options:
        title = settings.lifecycle("action_plans").title
        stages.append(f"its {title.removesuffix('s') if title else 'action plan'}")
    if "Pilot" in options:
        stages.append("its furthest pilot")
    said = f"The stage of {' or '.join(stages)}" if stages else ""
    hubs = f"whether it is an {' or '.join(settings.vocabulary('hubs'))} hub" if "Hub" in options else ""
    return (f"{said}, or {hubs}" if said and hubs else said or hubs[:1].upper() + hubs[1:]) + "."


# "Colour countries by" option -> (country_summary column, what it counts). Indicator codes are options too.
MEASURES = {
    "activities": ("activities", "joint activities involving the country"),
    "cross-border activities": ("cross_border_activities", "joint activities with organisations from 2+ countries"),
    "organisations": ("organisations", "organisations from the country taking part"),
    "participants": ("participants", "participants at activities held in the country"),
    "partner countries": ("partner_countries", "other countries it works with"),
}


def rgba(colour: str, alpha: int = 255) -> RGBA:
    """'#1F65A3' -> [31, 101, 163, alpha]."""
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def stage_ramp(n: int) -> list[str]:
    """`n` colours from light to dark along STAGE_RAMP (exactly STAGE_RAMP when n is its length)."""
    if n <= 1:
        return STAGE_RAMP[-1:] * n
    points = [[int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)] for c in STAGE_RAMP]
    out = []
    for k in range(n):
        at = k * (len(points) - 1) / (n - 1)
        low, share = min(int(at), len(points) - 2), at - min(int(at), len(points) - 2)
        mixed = [round(a + (b - a) * share) for a, b in zip(points[low], points[low + 1], strict=True)]
        out.append("#" + "".join(f"{v:02X}" for v in mixed))
    return out


def place_palette(colour_by: str, settings: Settings) -> dict[str, str]:
    """Value -> colour for a "Colour places by" option: white for nothing yet, then the lifecycle's stages."""
    _, tab = PLACE_COLOURINGS[colour_by]
    if not tab:
        return HUB_COLOURS
    names = settings.lifecycle(tab).names
    nothing = {NO_PLAN: "#FFFFFF", NOT_STARTED: "#FFFFFF"} if tab == "action_plans" else {NO_PILOT: "#FFFFFF"}
    return nothing | dict(zip(names, stage_ramp(len(names)), strict=True))


def stage_label(stage: str, lifecycle: Lifecycle) -> str:
    """A stage in words: 'LAP drafted', 'Not started', 'Implementation' (the lifecycle's label)."""
    return NOTHING_YET.get(stage) or lifecycle.labels.get(stage) or stage.capitalize()


def measure_options(progress: Iterable[IndicatorProgress]) -> list[str]:
    """The "Colour countries by" options: the counts of MEASURES, then every indicator's code."""
    return [*MEASURES, *(p.code for p in progress)]


# ---------------------------------------------------------------- the numbers


@dataclass(frozen=True)
class MapNumbers:
    """What the Map counts under a filter."""

    acts: pd.DataFrame  # cooperation.joint_activities
    countries: pd.DataFrame  # geo.country_summary (geo.COUNTRY_COLUMNS), most activities first
    places: pd.DataFrame  # geo.location_summary (geo.LOCATION_COLUMNS), every location, most activities first
    links: pd.DataFrame  # geo.location_links with an end in the chosen country/place (geo.LINK_COLUMNS)


def map_numbers(tables: dict[str, pd.DataFrame], flt: ActivityFilter, settings: Settings) -> MapNumbers:
    """The activities under `flt` and their countries, places and links (as of `flt.as_of`)."""
    acts = joint_activities(tables, flt)
    links = geo.location_links(tables, acts, cross_border_only=flt.cross_border_only)
    return MapNumbers(
        acts=acts,
        countries=geo.country_summary(tables, acts),
        places=geo.location_summary(tables, acts, flt.as_of, settings),
        links=geo.links_touching(links, flt.country, flt.location_id),
    )


@dataclass(frozen=True)
class Headline:
    """The line above the map: the strongest link, the busiest place, the most active country."""

    link: tuple[str, str]  # the two places' names (sheet text)
    link_activities: int
    place: str  # sheet text
    place_activities: int
    country: str
    country_activities: int


def headline(numbers: MapNumbers) -> Headline | None:
    """The headline, or None when there are no activities or no links under the filter."""
    if not len(numbers.links) or not len(numbers.acts):
        return None
    link, place, country = numbers.links.iloc[0], numbers.places.iloc[0], numbers.countries.iloc[0]
    return Headline(
        link=(link["name_a"], link["name_b"]),
        link_activities=int(link["activities"]),
        place=place["name"],
        place_activities=int(place["activities"]),
        country=country["name"],
        country_activities=int(country["activities"]),
    )


# ---------------------------------------------------------------- countries


@dataclass(frozen=True)
class CountryColouring:
    """The countries coloured by one measure."""

    measure: str  # the option chosen: a MEASURES key or an indicator code
    meaning: str  # what the measure counts, in words
    values: dict[str, float]  # project country (ISO code) -> value
    edges: list[float]  # class edges (class_edges)
    details: dict[str, str]  # project country -> tooltip text (the value first when it is an indicator's)
    table: pd.DataFrame  # the "By country" table: name, measure, then the counts of geo.COUNTRY_COLUMNS


def country_colouring(
    countries: pd.DataFrame,
    measure: str,
    contributions: dict[str, pd.DataFrame],
    as_of: dt.date,
    indicator: IndicatorProgress | None = None,
) -> CountryColouring:
    """The countries (geo.country_summary) coloured by a count of MEASURES or by an indicator's value as of `as_of`."""
    if measure in MEASURES:
        column, meaning = MEASURES[measure]
        shown = countries[column]
        values = dict(zip(countries["country"], shown.astype(float), strict=True))
    else:
        meaning = f"{indicator.name} ({indicator.unit}), as of the date" if indicator else measure
        by_country = geo.indicator_by_country(contributions[measure], as_of)
        values = {c: by_country.get(c, 0.0) for c in countries["country"]}
        shown = countries["country"].map(values)
    details = {
        code: (f"{measure}: {number(values[code])}\n" if measure not in MEASURES else "") + country_detail(row)
        for code, row in zip(countries["country"], countries.to_dict("records"), strict=True)
    }
    table = countries.assign(measure=shown)[
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
    ]
    return CountryColouring(measure, meaning, values, class_edges(values.values()), details, table)


def country_detail(row: dict[str, Any]) -> str:
    """A country's tooltip lines: its activities, organisations and participants."""
    return "\n".join(
        [
            f"{row['activities']:,} joint activities ({row['cross_border_activities']:,} cross-border)",
            f"{row['organisations']:,} organisations taking part · {row['partner_countries']:,} partner countries",
            f"{row['participants']:,} participants at activities held here",
        ]
    )


def country_features(
    collection: dict[str, Any], colouring: CountryColouring, selected: str | None = None, alpha: int = 255
) -> dict[str, Any]:
    """The shapes (geo.load_countries) with name, detail, fill, line, width and project (bool) set for drawing.

    The project's countries (those in `colouring.values`) are coloured on the ramp; every other country is grey.
    """
    colours = class_colours(colouring.edges)
    for feature in collection["features"]:
        props = feature["properties"]
        code = props["code"]
        project = code in colouring.values
        props["project"] = project
        props["detail"] = colouring.details.get(code, NO_ORGANISATION)
        props["fill"] = rgba(
            colours[class_of(colouring.values[code], colouring.edges)] if project else OTHER_COUNTRY, alpha
        )
        props["line"] = rgba(SELECTED_BORDER if code == selected else PROJECT_BORDER if project else BORDER)
        props["width"] = 3 if code == selected else 1.2 if project else 0.8
    return collection


def map_shapes(settings: Settings, colouring: CountryColouring, places: pd.DataFrame) -> dict[str, Any]:
    """The country shapes the Map sends (geo.shapes_around): around the programme area (`project.area`), else
    around the countries with a value, and the places inside the area."""
    area = settings.project.area or tuple(colouring.values)
    inside = places[places["country"].isin(area)] if settings.project.area else places
    return geo.shapes_around(geo.load_countries(), area, zip(inside["lon"], inside["lat"], strict=True))


def country_legend(edges: Sequence[float]) -> list[tuple[str, str]]:
    """(colour, label) for each class, then the grey of the other countries."""
    return [*zip(class_colours(edges), class_labels(edges), strict=True), (OTHER_COUNTRY, "not a project country")]


def map_notes(values: dict[str, float], shapes: dict[str, Any], places: pd.DataFrame) -> list[str]:
    """What the map cannot draw: project countries without a shape, places without coordinates (sheet names)."""
    missing_shapes = sorted(set(values) - {f["properties"]["code"] for f in shapes["features"]})
    unplaced = places.loc[places["lat"].isna() | places["lon"].isna(), "name"].tolist()
    notes = []
    if missing_shapes:
        notes.append("no shape for " + ", ".join(country_name(c) for c in missing_shapes))
    if unplaced:
        notes.append("not drawn, coordinates missing: " + ", ".join(unplaced))
    return notes


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


# ---------------------------------------------------------------- places and links


def location_points(
    summary: pd.DataFrame, colour_by: str, settings: Settings, selected: str | None = None
) -> pd.DataFrame:
    """The places to draw: geo.location_summary's rows with coordinates, plus radius (pixels, by activities),
    fill (RGBA by LAP stage, pilot stage or hub: `colour_by` is one of `place_colourings`, or '' for one colour),
    line_width, detail (naming only the plans, pilots and hubs the project keeps), in_area (bool: in the programme
    area, `project.area`; every place when none is declared)."""
    rows = summary[summary["lat"].notna() & summary["lon"].notna()].copy()
    top = float(rows["activities"].max()) if len(rows) else 0.0
    column = PLACE_COLOURINGS[colour_by][0] if colour_by else "name"
    colours = place_palette(colour_by, settings) if colour_by else {}
    kept = place_colourings(settings)
    plans, pilots = settings.lifecycle("action_plans"), settings.lifecycle("pilots")

    def stages(lap: str, pil: str) -> list[str]:
        said = [f"Action plan: {stage_label(lap, plans)}"] if "Action plan" in kept else []
        said += [f"pilot: {stage_label(pil, pilots)}"] if "Pilot" in kept else []
        return [" · ".join(said)] if said else []

    def where(c: str, hub: object) -> str:
        if "Hub" not in kept:
            return country_name(c)
        return f"{country_name(c)} · {hub + ' hub' if isinstance(hub, str) else 'hub not given'}"

    area = settings.project.area
    rows["in_area"] = rows["country"].isin(area) if area else True  # the map fits these (not an outlier)
    rows["radius"] = [pixel_size(v, top, 6, 20) for v in rows["activities"]]
    rows["fill"] = [rgba(colours.get(s, NO_HUB) if isinstance(s, str) else NO_HUB) for s in rows[column]]
    rows["line_width"] = [3.5 if loc == selected else 1.5 for loc in rows["location_id"]]
    rows["detail"] = [
        "\n".join(
            [
                where(c, hub),
                f"{a:,} joint activities ({h:,} held here, {p:,} participants)",
                f"linked with {k:,} other locations · {o:,} organisations based here",
                *stages(lap, pil),
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


def place_legend(places: pd.DataFrame, colour_by: str, settings: Settings) -> tuple[str, list[tuple[str, str]]]:
    """The places' legend: its title and (colour, 'Stage (how many places)') per colour; 'No plan' only where a
    place has none. Without a colouring (`colour_by` ''), no legend rows."""
    if not colour_by:
        return "Places", []
    column, tab = PLACE_COLOURINGS[colour_by]
    palette = place_palette(colour_by, settings)
    counts = places[column].value_counts()
    kinds = "hub" if colour_by == "Hub" else f"{colour_by.lower()} stage"

    def label(value: str) -> str:
        return stage_label(value, settings.lifecycle(tab)) if tab else value.capitalize()

    rows = [(c, f"{label(s)} ({counts.get(s, 0)})") for s, c in palette.items() if s != NO_PLAN or counts.get(s, 0)]
    if colour_by == "Hub" and places["hub"].isna().any():
        rows.append((NO_HUB, f"Not given ({int(places['hub'].isna().sum())})"))
    return f"Places: {kinds} (how many)", rows


def link_rows(links: pd.DataFrame) -> pd.DataFrame:
    """The links to draw: geo.location_links' rows with both ends placed, plus name, detail, source and
    target ([lon, lat]), width (1 to 10 pixels by joint activities) and colour (RGBA)."""
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
    """1 pixel for the weakest, 6 for the strongest link (wider ones covered the places and the countries' names)."""
    return round(1 + 5 * activities / top, 2) if top else 1.0


def link_colour(activities: float, top: float) -> RGBA:
    """Stronger links are also more opaque, so the weak ones recede."""
    return rgba(LINK_COLOUR, round(40 + 160 * activities / top) if top else 160)


def width_samples(arcs: pd.DataFrame) -> list[tuple[float, str]]:
    """(pixels, label) for the link-width legend: the weakest, a middle and the strongest link; none without links."""
    if not len(arcs):
        return []
    top = int(arcs["activities"].max())
    return [(link_width(n, top), f"{n:,}") for n in sorted({1, max(1, top // 2), top})]


# ---------------------------------------------------------------- the tabs


def strongest_links(links: pd.DataFrame, most: int = 5) -> list[tuple[str, str, int]]:
    """(place, place, joint activities) of the strongest links, strongest first (names are sheet text)."""
    top = links.head(most)
    return [(a, b, int(n)) for a, b, n in zip(top["name_a"], top["name_b"], top["activities"], strict=True)]


def busiest_places(places: pd.DataFrame, most: int = 5, hubs: bool = True) -> list[tuple[str, str, str, int, int]]:
    """(place, country name, hub or 'hub not given' — '' when the project declares no `hubs` —, activities, linked
    places) of the busiest places."""
    busy = places[places["activities"] > 0].head(most)
    return [
        (name, country_name(c), (hub or "hub not given") if hubs else "", int(n), int(k))
        for name, c, hub, n, k in zip(
            busy["name"], busy["country"], busy["hub"], busy["activities"], busy["linked_locations"], strict=True
        )
    ]


def most_cross_border(countries: pd.DataFrame, most: int = 5) -> list[tuple[str, int, int]]:
    """(country, cross-border activities, partner countries) of the countries with most cross-border work."""
    ranked = countries.sort_values(["cross_border_activities", "name"], ascending=[False, True]).head(most)
    return [
        (name, int(n), int(k))
        for name, n, k in zip(
            ranked["name"], ranked["cross_border_activities"], ranked["partner_countries"], strict=True
        )
    ]


def place_table(places: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The "By place" table: name, country (its name), hub, the counts, and the stages in words (the hub and the
    stages only where the project keeps them: `place_colourings`)."""
    plans, pilots = settings.lifecycle("action_plans"), settings.lifecycle("pilots")
    kept = place_colourings(settings)
    table = places.assign(
        country=places["country"].map(lambda c: country_name(c) if isinstance(c, str) else None),
        lap_stage=places["lap_stage"].map(lambda s: stage_label(s, plans)),
        pilot_stage=places["pilot_stage"].map(lambda s: stage_label(s, pilots)),
    )
    columns = ["name", "country", "hub", "activities", "held", "participants", "linked_locations", "organisations"]
    dropped = {"hub": "Hub", "lap_stage": "Action plan", "pilot_stage": "Pilot"}
    columns += ["lap_stage", "pilot_stage"]
    return table[[c for c in columns if c not in dropped or dropped[c] in kept]]


def link_table(links: pd.DataFrame) -> pd.DataFrame:
    """The "All links" table: name_a, name_b, countries ('RO–SI'), activities; strongest first."""
    return links.assign(countries=[f"{a}–{b}" for a, b in zip(links["country_a"], links["country_b"], strict=True)])[
        ["name_a", "name_b", "countries", "activities"]
    ]


def cooperation_query(flt: ActivityFilter, place: str | None) -> dict[str, str]:
    """The link to the Cooperation page with the same date, country and place (`place` as the filter shows it)."""
    query = {"as_of": flt.as_of.isoformat()}
    if flt.country:
        query["country"] = country_name(flt.country)
    if flt.location_id:
        query["location"] = place or ""
    return query
