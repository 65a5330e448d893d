"""Who works with whom: joint activities filtered, organisations, country pairs, hub links, ties.

Everything starts from `joint_activities(tables, ActivityFilter(...))`: the activities dated on or
before the as-of date that pass the page's filters, each with the organisations, locations and
countries involved. The Map and Cooperation pages compute every number from that one frame, so a
filter changes the map, the tables and the charts the same way.

Rules, in words:
- an activity *involves* an organisation when the organisation is in its `partner_ids`;
- it involves a country (a location) when one of its organisations is from that country (based at
  that location), or when it took place there;
- two organisations, locations or countries are *joined* by an activity when both are involved
  through its organisations; an activity joins each pair once, however many organisations it has;
- an activity is a *hub link* when its organisations include one based at a developing hub and one
  based at an advanced hub (the locations tab's `hub` column).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from monitoring.engine.measure import Period
from monitoring.sheet.parse import country_name


@dataclass(frozen=True)
class ActivityFilter:
    """Which joint activities count. Empty `types`/`clusters` mean every type/cluster."""

    as_of: dt.date
    types: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()  # an activity without a cluster is left out once clusters are chosen
    cross_border_only: bool = False
    country: str | None = None  # ISO alpha-2
    location_id: str | None = None


# Columns `joint_activities` adds to the activities table's own.
ACTIVITY_EXTRA_COLUMNS = [
    "orgs",  # tuple: the organisations involved, as listed, without repeats
    "org_locations",  # tuple: sorted distinct locations of those organisations
    "org_countries",  # tuple: sorted distinct countries of those organisations
    "held_country",  # the country of the location it took place at, or None
    "hub_link",  # bool: joins an organisation at a developing hub with one at an advanced hub
]


def organisations(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per organisation, indexed by partner_id.

    Columns: name, country, role, org_type, city, location_id, location (its name), hub, lat, lon.
    lat/lon are the organisation's own, else its location's, else NaN.
    """
    partners = tables["partners"].drop_duplicates("partner_id").set_index("partner_id")
    locations = tables["locations"].drop_duplicates("location_id").set_index("location_id")
    at = partners["location_id"]
    own = partners["lat"].notna() & partners["lon"].notna()
    out = pd.DataFrame(
        {
            "name": partners["name"],
            "country": partners["country"],
            "role": partners["role"],
            "org_type": partners["org_type"],
            "city": partners["city"],
            "location_id": at,
            "location": at.map(locations["name"]),
            "hub": at.map(locations["hub"]),
            "lat": partners["lat"].where(own, at.map(locations["lat"])).astype(float),
            "lon": partners["lon"].where(own, at.map(locations["lon"])).astype(float),
        }
    )
    return out


def _distinct(values: list[object]) -> tuple:
    return tuple(sorted({v for v in values if isinstance(v, str) and v}))


def joint_activities(tables: dict[str, pd.DataFrame], flt: ActivityFilter) -> pd.DataFrame:
    """The activities that count under `flt`, with the columns in ACTIVITY_EXTRA_COLUMNS added; sorted by date."""
    acts = tables["activities"]
    orgs = organisations(tables)
    where = tables["locations"].drop_duplicates("location_id").set_index("location_id")
    acts = acts[acts["date"].notna() & (acts["date"] <= pd.Timestamp(flt.as_of))]
    if flt.types:
        acts = acts[acts["type"].isin(flt.types)]
    if flt.clusters:
        acts = acts[acts["cluster"].isin(flt.clusters)]
    if flt.cross_border_only:
        acts = acts[acts["cross_border"].astype(bool)]
    acts = acts.copy()
    members = [tuple(dict.fromkeys(ids)) if isinstance(ids, tuple) else () for ids in acts["partner_ids"]]
    acts["orgs"] = pd.Series(members, index=acts.index, dtype=object)
    # Plain dicts: a pandas lookup per organisation per activity is ~100x slower at 100 000 activities.
    location_of, country_of, hub_of = (orgs[c].to_dict() for c in ("location_id", "country", "hub"))
    acts["org_locations"] = [_distinct([location_of.get(p) for p in m]) for m in members]
    acts["org_countries"] = [_distinct([country_of.get(p) for p in m]) for m in members]
    acts["held_country"] = acts["location_id"].map(where["country"])
    hubs = [{hub_of.get(p) for p in m} for m in members]
    acts["hub_link"] = [{"advanced", "developing"} <= h for h in hubs]
    if flt.country:
        involved = [flt.country in c for c in acts["org_countries"]]
        acts = acts[pd.Series(involved, index=acts.index) | (acts["held_country"] == flt.country)]
    if flt.location_id:
        involved = [flt.location_id in loc for loc in acts["org_locations"]]
        acts = acts[pd.Series(involved, index=acts.index) | (acts["location_id"] == flt.location_id)]
    return acts.sort_values(["date", "activity_id"], kind="stable")


def pair_counts(groups: pd.Series) -> Counter[tuple[str, str]]:
    """(a, b) with a < b -> number of rows whose group (a tuple) holds both."""
    counts: Counter[tuple[str, str]] = Counter()
    for members in groups:
        counts.update(itertools.combinations(sorted(set(members)), 2))
    return counts


def country_pairs(acts: pd.DataFrame) -> pd.DataFrame:
    """Columns: country_a, country_b (a < b), activities joining them. Largest first."""
    rows = [
        {"country_a": a, "country_b": b, "activities": n} for (a, b), n in pair_counts(acts["org_countries"]).items()
    ]
    frame = pd.DataFrame(rows, columns=["country_a", "country_b", "activities"])
    return frame.sort_values(["activities", "country_a", "country_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def country_matrix(acts: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """Every ordered pair of different `countries` with the joint activities between them (0 when none).

    Columns: country, partner_country, country_name, partner_name, activities. Symmetric; no diagonal.
    """
    counts = pair_counts(acts["org_countries"])
    rows = [
        {
            "country": a,
            "partner_country": b,
            "country_name": country_name(a),
            "partner_name": country_name(b),
            "activities": counts.get((min(a, b), max(a, b)), 0),
        }
        for a in countries
        for b in countries
        if a != b
    ]
    return pd.DataFrame(rows, columns=["country", "partner_country", "country_name", "partner_name", "activities"])


def organisation_ties(tables: dict[str, pd.DataFrame], acts: pd.DataFrame) -> pd.DataFrame:
    """Columns: partner_a, partner_b (a < b), activities they took part in together, cross_border (other countries).

    Only organisations in the partners tab; largest first.
    """
    country_of = organisations(tables)["country"].to_dict()
    groups = acts["orgs"].map(lambda m: tuple(p for p in m if p in country_of))
    rows = [
        {
            "partner_a": a,
            "partner_b": b,
            "activities": n,
            "cross_border": country_of[a] != country_of[b],
        }
        for (a, b), n in pair_counts(groups).items()
    ]
    frame = pd.DataFrame(rows, columns=["partner_a", "partner_b", "activities", "cross_border"])
    return frame.sort_values(["activities", "partner_a", "partner_b"], ascending=[False, True, True]).reset_index(
        drop=True
    )


DIRECTORY_COLUMNS = [
    "partner_id",
    "name",
    "role",
    "org_type",
    "country",  # ISO alpha-2
    "country_name",
    "city",
    "location",
    "hub",
    "activities",  # joint activities it took part in
    "cross_border_activities",  # of which with organisations from 2+ countries
    "cross_border_partners",  # distinct organisations from other countries it took part with
    "partner_countries",  # distinct other countries of those
    "first_cross_border",  # date of its first cross-border activity (NaT when none)
]


def directory(tables: dict[str, pd.DataFrame], acts: pd.DataFrame) -> pd.DataFrame:
    """Every organisation of the partners tab with its activity under the filter: DIRECTORY_COLUMNS.

    Sorted by activities (most first), then name.
    """
    orgs = organisations(tables)
    country_of = orgs["country"].to_dict()
    activities: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    partners: dict[str, set[str]] = {p: set() for p in orgs.index}
    first: dict[str, pd.Timestamp] = {}
    for members, is_cross, day in zip(acts["orgs"], acts["cross_border"].astype(bool), acts["date"], strict=True):
        known = [p for p in members if p in country_of]
        for p in known:
            activities[p] += 1
            if is_cross:
                cross[p] += 1
                first.setdefault(p, day)
            home = country_of[p]
            partners[p].update(q for q in known if country_of[q] != home)
    out = orgs.reset_index()
    out["country_name"] = out["country"].map(lambda c: country_name(c) if isinstance(c, str) else None)
    out["activities"] = out["partner_id"].map(activities).fillna(0).astype(int)
    out["cross_border_activities"] = out["partner_id"].map(cross).fillna(0).astype(int)
    out["cross_border_partners"] = out["partner_id"].map(lambda p: len(partners[p]))
    out["partner_countries"] = out["partner_id"].map(lambda p: len({country_of[q] for q in partners[p]}))
    out["first_cross_border"] = pd.to_datetime(out["partner_id"].map(first))
    out = out.sort_values(["activities", "name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[DIRECTORY_COLUMNS]


def hub_links_by_period(acts: pd.DataFrame, periods: list[Period], as_of: dt.date) -> pd.DataFrame:
    """Per reporting period started by `as_of`: activities, hub_links and share (hub_links / activities; NaN if none).

    Columns: period (P1..), start, end, activities, hub_links, share. `acts` is already cut at `as_of`.
    """
    rows = []
    for p in periods:
        if p.start > as_of:
            break
        inside = acts[(acts["date"] >= pd.Timestamp(p.start)) & (acts["date"] <= pd.Timestamp(p.end))]
        total, links = len(inside), int(inside["hub_link"].sum())
        rows.append(
            {
                "period": p.label,
                "start": p.start,
                "end": min(p.end, as_of),
                "activities": total,
                "hub_links": links,
                "share": links / total if total else None,
            }
        )
    return pd.DataFrame(rows, columns=["period", "start", "end", "activities", "hub_links", "share"])


def hub_pairs(tables: dict[str, pd.DataFrame], acts: pd.DataFrame) -> pd.DataFrame:
    """Every developing hub × advanced hub with the activities joining their organisations (0 when none).

    Columns: developing, advanced (location ids), developing_name, advanced_name, activities.
    """
    locations = tables["locations"].drop_duplicates("location_id")
    names = dict(zip(locations["location_id"], locations["name"], strict=True))
    developing = locations.loc[locations["hub"] == "developing", "location_id"].tolist()
    advanced = locations.loc[locations["hub"] == "advanced", "location_id"].tolist()
    counts = pair_counts(acts["org_locations"])
    rows = [
        {
            "developing": d,
            "advanced": a,
            "developing_name": names[d],
            "advanced_name": names[a],
            "activities": counts.get((min(d, a), max(d, a)), 0),
        }
        for d in developing
        for a in advanced
    ]
    return pd.DataFrame(rows, columns=["developing", "advanced", "developing_name", "advanced_name", "activities"])


def cumulative_by_date(contribs: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """An indicator's contributions as a running total: one row per date up to `as_of`.

    Columns: date, added, cumulative. The last cumulative value equals `measure.achieved_as_of`.
    """
    rows = contribs[contribs["date"] <= pd.Timestamp(as_of)]
    daily = rows.groupby("date", sort=True)["amount"].sum().rename("added").reset_index()
    daily["cumulative"] = daily["added"].cumsum()
    return daily
