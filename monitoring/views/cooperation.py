"""What the Cooperation page shows: who works with whom under the filters, and the cooperation indicator over time.

Pure: the page reads its filters, calls these, and hands the frames to `ui.cooperation_charts` (Altair) and
`ui.map_layers` (the network map).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from monitoring.engine import cooperation as co
from monitoring.engine import geo
from monitoring.engine.measure import Period
from monitoring.engine.progress import IndicatorProgress, milestone_points
from monitoring.formatting import number
from monitoring.model.config import Indicator, Project
from monitoring.sheet.parse import country_name
from monitoring.views.map import (
    BORDER,
    COUNTRY_RAMP,
    NO_ORGANISATION,
    OTHER_COUNTRY,
    PROJECT_BORDER,
    pixel_size,
    rgba,
)

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
TIE_LEGEND = [(TIE_COLOURS[True], "across a border"), (TIE_COLOURS[False], "within one country")]
MOST_TIES = 60  # the network opens at the smallest threshold that shows at most this many ties


def cooperation_indicator(indicators: Iterable[Indicator]) -> Indicator | None:
    """The indicator of organisations cooperating: a distinct count of the activities' `partner_ids`; None if none."""
    return next(
        (
            ind
            for ind in indicators
            if ind.measure.tab == "activities"
            and ind.measure.agg == "count_distinct"
            and ind.measure.column == "partner_ids"
        ),
        None,
    )


# ---------------------------------------------------------------- the headline


@dataclass(frozen=True)
class CooperationNumbers:
    """What the page counts under a filter."""

    acts: pd.DataFrame  # cooperation.joint_activities
    countries: list[str]  # the project's countries (ISO codes), sorted
    directory: pd.DataFrame  # cooperation.directory (cooperation.DIRECTORY_COLUMNS)
    pairs: pd.DataFrame  # cooperation.country_pairs: country_a, country_b, activities; largest first
    taking_part: int  # organisations with at least one activity
    across_borders: int  # organisations with at least one cross-border activity
    possible_pairs: int  # pairs of project countries there could be
    hub_share: float | None  # share of the activities that link a developing hub with an advanced one; None if none


def cooperation_numbers(
    tables: dict[str, pd.DataFrame], flt: co.ActivityFilter, hubs: bool = True
) -> CooperationNumbers:
    """The activities under `flt`, the directory of organisations, the country pairs and the headline counts;
    `hubs` False (a project that declares no hub levels): no hub share."""
    acts = co.joint_activities(tables, flt)
    countries = geo.project_countries(tables)
    table = co.directory(tables, acts)
    return CooperationNumbers(
        acts=acts,
        countries=countries,
        directory=table,
        pairs=co.country_pairs(acts),
        taking_part=int((table["activities"] > 0).sum()),
        across_borders=int((table["cross_border_activities"] > 0).sum()),
        possible_pairs=len(countries) * (len(countries) - 1) // 2,
        hub_share=float(acts["hub_link"].mean()) if len(acts) and hubs else None,
    )


def strongest_pairs(pairs: pd.DataFrame, most: int = 8) -> list[tuple[str, str, int]]:
    """(country name, country name, joint activities) of the strongest country pairs."""
    return [(country_name(a), country_name(b), int(n)) for a, b, n in pairs.head(most).itertuples(index=False)]


# ---------------------------------------------------------------- hubs


def hub_link_shares(acts: pd.DataFrame, periods: list[Period], as_of: dt.date) -> pd.DataFrame:
    """cooperation.hub_links_by_period plus percent (0 when no activities) and label ('55% (12 of 22)')."""
    shares = co.hub_links_by_period(acts, periods, as_of)
    share = shares["share"].fillna(0)
    return shares.assign(
        percent=share * 100,
        label=[
            f"{s:.0%} ({h} of {a})" if a else "no activities"
            for s, h, a in zip(share, shares["hub_links"], shares["activities"], strict=True)
        ],
    )


# ---------------------------------------------------------------- the indicator over time


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator's cumulative value over the project, with its plan."""

    achieved: pd.DataFrame  # date, cumulative, series ("achieved"): from the baseline at the start to as_of
    planned: pd.DataFrame  # date, planned: the milestones (planned cumulative values at period ends)
    target: pd.DataFrame  # target, label ("target 30"): one row
    start: pd.Timestamp  # the project's start and end: the time axis
    end: pd.Timestamp


def indicator_line(
    progress: IndicatorProgress,
    contribs: pd.DataFrame,
    milestones: pd.DataFrame,
    periods: list[Period],
    project: Project,
    as_of: dt.date,
) -> IndicatorLine:
    """The indicator's running total (ending at its achieved value on `as_of`), milestones and target."""
    running = co.cumulative_by_date(contribs, as_of)
    start = pd.Timestamp(project.start)
    achieved = pd.concat(
        [
            pd.DataFrame({"date": [start], "cumulative": [progress.baseline]}),
            running[["date", "cumulative"]],
            pd.DataFrame({"date": [pd.Timestamp(as_of)], "cumulative": [progress.achieved]}),
        ]
    ).assign(series="achieved")
    planned = pd.DataFrame(
        [
            {"date": pd.Timestamp(day), "planned": value}
            for day, value in milestone_points(milestones, progress.code, periods)
        ],
        columns=["date", "planned"],
    )
    target = pd.DataFrame({"target": [progress.target], "label": [f"target {number(progress.target)}"]})
    return IndicatorLine(achieved, planned, target, start, pd.Timestamp(project.end))


# ---------------------------------------------------------------- the network


@dataclass(frozen=True)
class NetworkTies:
    """The ties between organisations under the filter, and the threshold the network opens at."""

    ties: pd.DataFrame  # cooperation.organisation_ties (only those across borders with the cross-border filter)
    most: int  # the threshold's top: the strongest tie's joint activities, at least 2
    default_least: int  # the smallest threshold that shows at most MOST_TIES ties


def network_ties(tables: dict[str, pd.DataFrame], acts: pd.DataFrame, cross_border_only: bool) -> NetworkTies:
    """The organisations' ties and the network's threshold choices."""
    ties = co.organisation_ties(tables, acts)
    if cross_border_only:
        ties = ties[ties["cross_border"]]
    strongest = int(ties["activities"].max()) if len(ties) else 1
    least = next((n for n in range(1, strongest + 1) if (ties["activities"] >= n).sum() <= MOST_TIES), strongest)
    return NetworkTies(ties, max(strongest, 2), least)


@dataclass(frozen=True)
class NetworkMap:
    """The rows of the network map (ui.map_layers.network_deck)."""

    shapes: dict[str, Any]  # the country shapes, the project's slightly blue (project_shapes)
    lines: pd.DataFrame  # tie_rows of the ties shown
    nodes: pd.DataFrame  # organisation_nodes
    hubs: pd.DataFrame  # the placed locations (name, lat, lon): their names go on the map


def network_map(
    tables: dict[str, pd.DataFrame], directory: pd.DataFrame, ties: pd.DataFrame, least: int, countries: list[str]
) -> NetworkMap:
    """The organisations near their locations and the ties of at least `least` joint activities between them."""
    spots = geo.organisation_positions(tables)
    names = dict(zip(directory["partner_id"], directory["name"], strict=True))
    around = geo.shapes_around(geo.load_countries(), countries, zip(spots["lon"], spots["lat"], strict=True))
    return NetworkMap(
        shapes=project_shapes(around, {c: country_name(c) for c in countries}),
        lines=tie_rows(ties[ties["activities"] >= least], spots, names),
        nodes=organisation_nodes(directory, spots),
        hubs=tables["locations"].dropna(subset=["lat", "lon"]),
    )


def project_shapes(collection: dict[str, Any], details: dict[str, str]) -> dict[str, Any]:
    """The shapes in two quiet tones, the project's countries (those in `details`) slightly blue: a backdrop."""
    for feature in collection["features"]:
        props = feature["properties"]
        project = props["code"] in details
        props["project"] = project
        props["detail"] = details.get(props["code"], NO_ORGANISATION)
        props["fill"] = rgba(COUNTRY_RAMP[0] if project else OTHER_COUNTRY)
        props["line"] = rgba(PROJECT_BORDER if project else BORDER)
        props["width"] = 1.0 if project else 0.8
    return collection


def organisation_nodes(table: pd.DataFrame, spots: pd.DataFrame) -> pd.DataFrame:
    """The organisations to draw: cooperation.directory's rows with a position (geo.organisation_positions), plus
    lat, lon, radius (pixels, by joint activities), fill (RGBA by organisation type) and detail."""
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
    """The ties to draw (cooperation.organisation_ties between placed organisations), plus name, detail, source
    and target ([lon, lat]), width (pixels, by joint activities) and colour (RGBA, blue across borders)."""
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


def org_type_legend(directory: pd.DataFrame) -> list[tuple[str, str]]:
    """(colour, type) for the organisation types present, then grey for the others when there are any."""
    present = set(directory["org_type"])
    rows = [(c, t) for t, c in ORG_TYPE_COLOURS.items() if t in present]
    if (~directory["org_type"].isin(ORG_TYPE_COLOURS)).any():
        rows.append((OTHER_ORG_TYPE, "other or not given"))
    return rows


def directory_table(directory: pd.DataFrame, hubs: bool = True) -> pd.DataFrame:
    """The "Directory" table: cooperation.directory without the country code and the partner id (and without the
    hub when the project declares no hub levels)."""
    return directory.drop(columns=["country", "partner_id", *(() if hubs else ("hub",))])
