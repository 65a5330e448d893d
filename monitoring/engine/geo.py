"""Places for the map: country shapes, countries and locations with their numbers, links between locations.

Every function takes the joint activities of `monitoring.engine.cooperation.joint_activities`, so the map's
numbers follow the same filters and the same as-of date as the rest of the page. The country shapes
are bundled (data/geo/countries.geojson, made by scripts/make_countries.py from Natural Earth), so
the map works offline.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from monitoring.engine import pipelines
from monitoring.engine.cooperation import ActivityFilter, organisations, pair_counts
from monitoring.engine.measure import by_dimension
from monitoring.engine.pipelines import NOT_STARTED  # a location whose plan has reached no stage yet
from monitoring.model.config import Lifecycle, Settings
from monitoring.sheet.parse import country_name

COUNTRIES_PATH = Path(__file__).resolve().parents[2] / "data" / "geo" / "countries.geojson"
NO_PILOT = "no pilot"
NO_PLAN = "no plan"  # a location without an action plan (not "not started": it has none)


@lru_cache(maxsize=2)
def _read_countries(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_countries(path: Path = COUNTRIES_PATH) -> dict[str, Any]:
    """The bundled GeoJSON FeatureCollection, every country of the world (Natural Earth 1:50m); each feature's
    properties: code (ISO alpha-2), name. Which are the programme's is configuration (`project.area`).

    A fresh copy on every call, so callers may add properties.
    """
    return json.loads(_read_countries(str(path)))


def _bounds(rings: Iterable[list[list[float]]]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def shapes_around(
    collection: dict[str, Any], codes: Iterable[str], points: Iterable[tuple[float, float]], margin: float = 12.0
) -> dict[str, Any]:
    """The countries worth sending with a map: those whose shapes come within `margin` degrees of the mainland of
    the countries `codes` (each one's largest polygon: France without French Guiana) and of the (lon, lat)
    `points`. The whole world is bundled; a map of one region sends a few dozen countries, not all of them."""
    wanted = set(codes)
    boxes = [
        _bounds([max(f["geometry"]["coordinates"], key=lambda poly: len(poly[0]))[0]])
        for f in collection["features"]
        if f["properties"]["code"] in wanted
    ]
    boxes += [(x, y, x, y) for x, y in points if pd.notna(x) and pd.notna(y)]
    if not boxes:
        return collection
    x0, y0 = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    x1, y1 = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin

    def near(feature: dict[str, Any]) -> bool:
        return any(
            bx0 <= x1 and bx1 >= x0 and by0 <= y1 and by1 >= y0
            for bx0, by0, bx1, by1 in (_bounds([poly[0]]) for poly in feature["geometry"]["coordinates"])
        )

    return collection | {"features": [f for f in collection["features"] if near(f)]}


def label_point(feature: dict[str, Any]) -> list[float]:
    """[lon, lat]: the centroid of the feature's largest polygon, where its name goes."""

    def centroid(ring: list[list[float]]) -> tuple[float, float, float]:
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
        area /= 2
        return (cx / (6 * area), cy / (6 * area), abs(area)) if area else (ring[0][0], ring[0][1], 0.0)

    x, y, _ = max((centroid(poly[0]) for poly in feature["geometry"]["coordinates"]), key=lambda c: c[2])
    return [round(x, 3), round(y, 3)]


def project_countries(tables: dict[str, pd.DataFrame]) -> list[str]:
    """ISO codes of the countries of the organisations and locations, sorted."""
    found = set(tables["partners"]["country"].dropna()) | set(tables["locations"]["country"].dropna())
    return sorted(found)


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter row the Map and Cooperation pages share, as its widgets show them.

    Option values are readable words (they go in the link: ?country=Serbia&location=Novi+Sad).
    """

    countries: dict[str, str]  # country name -> ISO code
    places: dict[str, str]  # location name (with its id when two share a name) -> location_id
    clusters: list[str]  # the project's clusters (vocabulary `clusters`)
    types: list[str]  # the activity types found in the activities tab, in the vocabulary's order


def filter_choices(tables: dict[str, pd.DataFrame], settings: Settings) -> FilterChoices:
    """The filter row's options from the tables: their countries, locations and activity types."""
    locations = tables["locations"].drop_duplicates("location_id")
    names = locations["name"].where(
        ~locations["name"].duplicated(keep=False), locations["name"] + " (" + locations["location_id"] + ")"
    )
    present = set(tables["activities"]["type"].dropna())
    return FilterChoices(
        countries={country_name(c): c for c in project_countries(tables)},
        places=dict(zip(names, locations["location_id"], strict=True)),
        clusters=list(settings.vocabulary("clusters")),
        types=[t for t in settings.vocabulary("activity_types") if t in present],
    )


def chosen_filter(
    choices: FilterChoices,
    as_of: dt.date,
    *,
    country: str | None = None,
    place: str | None = None,
    clusters: list[str] | None = None,
    types: list[str] | None = None,
    cross_border: bool = False,
) -> ActivityFilter:
    """The ActivityFilter for the filter row's values (a country name and a place as the options show them)."""
    return ActivityFilter(
        as_of=as_of,
        types=tuple(types or ()),
        clusters=tuple(clusters or ()),
        cross_border_only=bool(cross_border),
        country=choices.countries.get(country) if country else None,
        location_id=choices.places.get(place) if place else None,
    )


def describe_filter(flt: ActivityFilter, tables: dict[str, pd.DataFrame]) -> str:
    """The filter in words, for captions: 'workshop, training · cluster IT · cross-border only'."""
    locations = tables["locations"].drop_duplicates("location_id").set_index("location_id")["name"]
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


COUNTRY_COLUMNS = [
    "country",  # ISO alpha-2
    "name",
    "locations",  # project locations in the country (locations tab)
    "organisations",  # organisations from the country that took part in the activities
    "activities",  # activities involving the country (an organisation from there, or held there)
    "cross_border_activities",  # of which with organisations from 2+ countries
    "participants",  # participants of the activities held in the country
    "partner_countries",  # other countries joined with it by an activity
]


def country_summary(tables: dict[str, pd.DataFrame], acts: pd.DataFrame) -> pd.DataFrame:
    """One row per project country (COUNTRY_COLUMNS), most activities first."""
    codes = project_countries(tables)
    country_of = organisations(tables)["country"].to_dict()
    locations = tables["locations"].drop_duplicates("location_id")
    activities: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    active: dict[str, set[str]] = {c: set() for c in codes}
    partners: dict[str, set[str]] = {c: set() for c in codes}
    for members, countries, held, is_cross in zip(
        acts["orgs"], acts["org_countries"], acts["held_country"], acts["cross_border"].astype(bool), strict=True
    ):
        involved = set(countries) | ({held} if isinstance(held, str) else set())
        for c in involved & set(codes):
            activities[c] += 1
            cross[c] += is_cross
            if c in countries:
                partners[c].update(set(countries) - {c})
        for p in members:
            c = country_of.get(p)
            if c in active:
                active[c].add(p)
    participants = pd.to_numeric(acts["participants"], errors="coerce").groupby(acts["held_country"]).sum()
    out = pd.DataFrame({"country": codes})
    out["name"] = out["country"].map(country_name)
    out["locations"] = out["country"].map(locations["country"].value_counts()).fillna(0).astype(int)
    out["organisations"] = out["country"].map(lambda c: len(active[c]))
    out["activities"] = out["country"].map(activities).fillna(0).astype(int)
    out["cross_border_activities"] = out["country"].map(cross).fillna(0).astype(int)
    out["participants"] = out["country"].map(participants).fillna(0).astype(int)
    out["partner_countries"] = out["country"].map(lambda c: len(partners[c]))
    return out.sort_values(["activities", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def indicator_by_country(contribs: pd.DataFrame, as_of: dt.date) -> dict[str, float]:
    """An indicator's value per country as of a date (measure.by_dimension), without '(not given)'."""
    table = by_dimension(contribs, as_of, "country")
    return {c: float(v) for c, v in zip(table["country"], table["amount"], strict=True) if c != "(not given)"}


def lap_stage_as_of(plans: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> dict[str, str]:
    """location_id -> the furthest Local Action Plan stage dated on or before `as_of` (NOT_STARTED when none).

    With several plans at one location, the furthest of them. The rule is `pipelines.plan_stage_as_of`.
    """
    out: dict[str, str] = {}
    for plan in plans.to_dict("records"):
        stage = pipelines.plan_stage_as_of(plan, as_of, lifecycle) or NOT_STARTED
        place = plan["location_id"]
        if isinstance(place, str) and lifecycle.index(stage) >= lifecycle.index(out.get(place, NOT_STARTED)):
            out[place] = stage
    return out


def pilot_stage(pilot: pd.Series, as_of: dt.date, lifecycle: Lifecycle) -> str | None:
    """A pilot's stage as it stood on `as_of`, by the one rule of `pipelines.pilot_stage_as_of`."""
    return pipelines.pilot_stage_as_of(pilot, as_of, lifecycle)


def pilot_stage_as_of(pilots: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> dict[str, str]:
    """location_id -> the furthest stage of the pilots there, as of `as_of`."""
    out: dict[str, str] = {}
    for _, pilot in pilots.iterrows():
        stage, place = pilot_stage(pilot, as_of, lifecycle), pilot["location_id"]
        furthest = out.get(place)
        if stage and isinstance(place, str) and (not furthest or lifecycle.index(stage) > lifecycle.index(furthest)):
            out[place] = stage
    return out


LOCATION_COLUMNS = [
    "location_id",
    "name",
    "country",
    "lat",
    "lon",  # NaN when the sheet's coordinates could not be read: such a location is not drawn
    "hub",
    "organisations",  # organisations based there (partners tab)
    "activities",  # activities involving it (one of its organisations, or held there)
    "held",  # activities held there
    "participants",  # participants of the activities held there
    "linked_locations",  # other locations joined with it by an activity
    "lap_stage",  # the action plan's stage as of the date (NOT_STARTED before its first stage, NO_PLAN without one)
    "pilot_stage",  # the furthest pilot stage there as of the date (NO_PILOT when none)
]


def location_summary(
    tables: dict[str, pd.DataFrame], acts: pd.DataFrame, as_of: dt.date, settings: Settings
) -> pd.DataFrame:
    """One row per location of the locations tab (LOCATION_COLUMNS), most activities first; the stages by the
    lifecycles of action_plans and pilots."""
    locations = tables["locations"].drop_duplicates("location_id")
    orgs = organisations(tables)
    activities: Counter[str] = Counter()
    linked: dict[str, set[str]] = {loc: set() for loc in locations["location_id"]}
    for places, held in zip(acts["org_locations"], acts["location_id"], strict=True):
        for loc in set(places) | ({held} if isinstance(held, str) else set()):
            activities[loc] += 1
        for loc in places:
            if loc in linked:
                linked[loc].update(set(places) - {loc})
    held = acts["location_id"].value_counts()
    participants = pd.to_numeric(acts["participants"], errors="coerce").groupby(acts["location_id"]).sum()
    laps = lap_stage_as_of(tables["action_plans"], as_of, settings.lifecycle("action_plans"))
    pilots = pilot_stage_as_of(tables["pilots"], as_of, settings.lifecycle("pilots"))
    out = locations[["location_id", "name", "country", "lat", "lon", "hub"]].reset_index(drop=True)
    ids = out["location_id"]
    out["organisations"] = ids.map(orgs["location_id"].value_counts()).fillna(0).astype(int)
    out["activities"] = ids.map(activities).fillna(0).astype(int)
    out["held"] = ids.map(held).fillna(0).astype(int)
    out["participants"] = ids.map(participants).fillna(0).astype(int)
    out["linked_locations"] = ids.map(lambda loc: len(linked[loc]))
    out["lap_stage"] = ids.map(lambda loc: laps.get(loc, NO_PLAN))
    out["pilot_stage"] = ids.map(lambda loc: pilots.get(loc, NO_PILOT))
    out = out.sort_values(["activities", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[LOCATION_COLUMNS]


LINK_COLUMNS = [
    "location_a",
    "location_b",  # location ids, a < b
    "name_a",
    "name_b",
    "country_a",
    "country_b",
    "lat_a",
    "lon_a",
    "lat_b",
    "lon_b",
    "activities",  # activities joining organisations based at the two locations
    "cross_border",  # the two locations are in different countries
]


def location_links(
    tables: dict[str, pd.DataFrame], acts: pd.DataFrame, cross_border_only: bool = False
) -> pd.DataFrame:
    """Pairs of locations joined by activities (LINK_COLUMNS), most activities first.

    With `cross_border_only`, only pairs of locations in different countries.
    """
    locations = tables["locations"].drop_duplicates("location_id").set_index("location_id")
    rows = []
    for (a, b), n in pair_counts(acts["org_locations"]).items():
        if a not in locations.index or b not in locations.index:
            continue
        la, lb = locations.loc[a], locations.loc[b]
        cross = la["country"] != lb["country"]
        if cross_border_only and not cross:
            continue
        rows.append(
            {
                "location_a": a,
                "location_b": b,
                "name_a": la["name"],
                "name_b": lb["name"],
                "country_a": la["country"],
                "country_b": lb["country"],
                "lat_a": la["lat"],
                "lon_a": la["lon"],
                "lat_b": lb["lat"],
                "lon_b": lb["lon"],
                "activities": n,
                "cross_border": bool(cross),
            }
        )
    frame = pd.DataFrame(rows, columns=LINK_COLUMNS)
    return frame.sort_values(["activities", "location_a", "location_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def organisation_positions(tables: dict[str, pd.DataFrame], radius: float = 0.3) -> pd.DataFrame:
    """Where to draw each organisation on a network map: index partner_id, columns lat, lon.

    Organisations at one location are spread evenly on a circle of `radius` degrees around it (the
    first, by id, due north), so each stays visible at the zoom of the whole region. One alone at a
    location sits on it. An organisation without a location keeps its own coordinates; one with no
    coordinates at all is left out.
    """
    orgs = organisations(tables)
    orgs = orgs[orgs["lat"].notna() & orgs["lon"].notna()]
    locations = tables["locations"].drop_duplicates("location_id").set_index("location_id")
    placed = orgs["location_id"].isin(locations.index[locations["lat"].notna() & locations["lon"].notna()])
    centre_lat = orgs["location_id"].map(locations["lat"]).where(placed, orgs["lat"]).astype(float)
    centre_lon = orgs["location_id"].map(locations["lon"]).where(placed, orgs["lon"]).astype(float)
    group = orgs["location_id"].where(placed, orgs.index.to_series())
    rows = {}
    for _, members in orgs.groupby(group, sort=False):
        ids = sorted(members.index)
        for k, pid in enumerate(ids):
            lat, lon = centre_lat[pid], centre_lon[pid]
            if len(ids) > 1:
                angle = 2 * math.pi * k / len(ids)
                lat += radius * math.cos(angle)
                lon += radius * math.sin(angle) / math.cos(math.radians(lat))
            rows[pid] = (round(lat, 4), round(lon, 4))
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["lat", "lon"])
    out.index.name = "partner_id"
    return out.sort_index()


def links_touching(links: pd.DataFrame, country: str | None = None, location_id: str | None = None) -> pd.DataFrame:
    """The links (LINK_COLUMNS) with an end in `country` and at `location_id`; all of them when neither is given."""
    keep = pd.Series(True, index=links.index)
    if country:
        keep &= (links["country_a"] == country) | (links["country_b"] == country)
    if location_id:
        keep &= (links["location_a"] == location_id) | (links["location_b"] == location_id)
    return links[keep].reset_index(drop=True)
