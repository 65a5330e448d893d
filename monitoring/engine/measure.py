"""Indicator catalogue + typed tables -> what each indicator has achieved, when, and where.

The core idea: every indicator is turned into *contributions*, one row per thing that adds to
it on a date (an activity's participants, an adopted plan, an organisation's first cross-border
activity). The cumulative value as of any date is the sum of the contributions dated on or
before it; a period's value is the sum of those dated inside it. So the overview, the per-period
report, the breakdowns and the drill-down all come from the same rows and always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.model.config import Condition, Indicator, Project, period_bounds
from monitoring.model.contract import TABS, Tab

# Columns of a contributions frame (see `contributions`).
CONTRIBUTION_COLUMNS = [
    "date",  # datetime64: when it counts
    "amount",  # float: how much it adds
    "record",  # the id of the row behind it (activity, plan, pilot, organisation...)
    "title",  # a readable label for the record
    "partner_id",  # the organisation it is attributed to, where there is one
    "partner_ids",  # tuple: every organisation involved
    "location_id",
    "country",  # ISO alpha-2
    "cluster",
    "evidence_url",
    "tab",  # the tab the row came from
    "_row",  # its row number in that tab
    "_origin",
]

DIMENSIONS = ("country", "location_id", "partner_id", "cluster")


@dataclass(frozen=True)
class Period:
    """A reporting period; `end` is inclusive."""

    number: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"P{self.number}"

    @property
    def long_label(self) -> str:
        return f"P{self.number} · {self.start:%d %b %Y} – {self.end:%d %b %Y}"


def reporting_periods(project: Project) -> list[Period]:
    """Periods of `period_months` counted from the project start; the last one may be shorter."""
    return [Period(number, start, end) for number, (start, end) in enumerate(period_bounds(project), start=1)]


def period_containing(periods: list[Period], day: dt.date) -> Period | None:
    return next((p for p in periods if p.start <= day <= p.end), None)


def _condition_mask(frame: pd.DataFrame, cond: Condition) -> pd.Series:
    col = frame[cond.column]
    if cond.not_empty is not None:
        mask = col.notna() & (col.astype("string").str.strip() != "")
        return mask if cond.not_empty else ~mask
    if cond.at_least is not None:
        return pd.to_numeric(col, errors="coerce").fillna(float("-inf")) >= cond.at_least
    if cond.equals is not None:
        return col == cond.equals
    if cond.not_equals is not None:
        return col != cond.not_equals
    if cond.in_ is not None:
        return col.isin(cond.in_)
    return ~col.isin(cond.not_in or [])


def condition_mask(frame: pd.DataFrame, cond: Condition) -> pd.Series:
    """True for the rows of `frame` that satisfy `cond`, as a measure's `where` applies it (an unknown is False)."""
    return _condition_mask(frame, cond).fillna(False).astype(bool)


def counting_rows(indicator: Indicator, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of the measure's tab that pass its filters and have a date, whenever that is."""
    measure = indicator.measure
    frame = tables[measure.tab]
    mask = frame[measure.date].notna()
    if measure.tab == "indicator_values":
        mask &= frame["indicator"] == indicator.code
    for cond in measure.where:
        mask &= condition_mask(frame, cond)
    return frame[mask]


def record_names(frame: pd.DataFrame, tab: Tab) -> pd.Series | list[str]:
    """What names each row of a tab: its id (`Tab.id_column`), else '<tab> row <n>'."""
    if tab.id_column:
        return frame[tab.id_column]
    return [f"{tab.name} row {r}" for r in frame["_row"]]


def contributions(indicator: Indicator, tables: dict[str, pd.DataFrame], tab: Tab | None = None) -> pd.DataFrame:
    """One row per contribution to the indicator, with the columns in CONTRIBUTION_COLUMNS, sorted by date.

    `tab`: the measure's tab as the project's contract has it (its id, title, evidence, lead and partners columns);
    default the spreadsheet contract's."""
    measure = indicator.measure
    tab = tab or TABS.get(measure.tab) or Tab(measure.tab, "", ())
    rows = counting_rows(indicator, tables).sort_values(measure.date, kind="stable")
    partners = tables["partners"].drop_duplicates("partner_id").set_index("partner_id")
    locations = tables["locations"].drop_duplicates("location_id").set_index("location_id")

    def column(name: str | None) -> object:
        return rows[name].to_numpy() if name else None

    out = pd.DataFrame(
        {
            "date": rows[measure.date].to_numpy(),
            "record": pd.Series(record_names(rows, tab)).to_numpy(),
            "title": column(tab.title_column),
            "partner_id": column(tab.lead_column),
            "partner_ids": column(tab.partners_column),
            "location_id": rows["location_id"].to_numpy() if "location_id" in rows else None,
            "cluster": rows["cluster"].to_numpy() if "cluster" in rows else None,
            "evidence_url": column(tab.evidence_column),
            "tab": tab.name,
            "_row": rows["_row"].to_numpy(),
            "_origin": rows["_origin"].to_numpy(),
            "item": rows[measure.column].to_numpy() if measure.column else None,
        }
    )
    if measure.agg == "count":
        out["amount"] = 1.0
    elif measure.agg == "sum":
        out["amount"] = pd.to_numeric(out["item"], errors="coerce").fillna(0.0).astype(float)
    else:  # count_distinct: an item counts once, on the first date it appears
        organisations = measure.column is not None and measure.column == tab.partners_column
        out = out.explode("item") if organisations else out
        out = out[out["item"].notna()].drop_duplicates("item", keep="first")
        out["amount"] = 1.0
        if organisations:
            out["partner_id"] = out["item"]
            out["location_id"] = out["item"].map(partners["location_id"])
    out = out.reset_index(drop=True)
    # Where the row has no location, an organisation's country stands in.
    by_location = out["location_id"].map(locations["country"])
    by_partner = out["partner_id"].map(partners["country"])
    out["country"] = by_location.where(by_location.notna(), by_partner)
    return out[CONTRIBUTION_COLUMNS]


def _cutoff(as_of: dt.date) -> pd.Timestamp:
    return pd.Timestamp(as_of)


def contributions_as_of(contributions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The contributions dated on or before the end of `as_of` (same columns): the rows `achieved_as_of` adds up."""
    return contributions[contributions["date"] <= _cutoff(as_of)]


def achieved_as_of(contribs: pd.DataFrame, as_of: dt.date) -> float:
    """Cumulative value of the contributions dated on or before `as_of`."""
    return float(contribs.loc[contribs["date"] <= _cutoff(as_of), "amount"].sum())


def achieved_between(contribs: pd.DataFrame, start: dt.date, end: dt.date) -> float:
    """Value added from `start` to `end`, both inclusive."""
    dates = contribs["date"]
    return float(contribs.loc[(dates >= _cutoff(start)) & (dates <= _cutoff(end)), "amount"].sum())


def per_period(contribs: pd.DataFrame, periods: list[Period]) -> pd.DataFrame:
    """Columns: period (P1..), number, start, end, in_period, cumulative (at the period's end)."""
    rows = []
    for p in periods:
        rows.append(
            {
                "period": p.label,
                "number": p.number,
                "start": p.start,
                "end": p.end,
                "in_period": achieved_between(contribs, p.start, p.end),
                "cumulative": achieved_as_of(contribs, p.end),
            }
        )
    return pd.DataFrame(rows)


def by_dimension(contribs: pd.DataFrame, as_of: dt.date, dimension: str) -> pd.DataFrame:
    """Columns: `dimension`, amount. Sorted by amount, largest first; rows with no value are '(not given)'."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    rows = contribs[contribs["date"] <= _cutoff(as_of)]
    if dimension == "partner_id":
        # An activity's amount counts for each organisation involved in it.
        who = rows["partner_id"].where(rows["partner_id"].notna(), rows["partner_ids"])
        rows = rows.assign(partner_id=who).explode("partner_id")
    keys = rows[dimension].fillna("(not given)")
    grouped = rows.groupby(keys, sort=False)["amount"].sum().rename_axis(dimension).reset_index()
    return grouped.sort_values(["amount", dimension], ascending=[False, True], kind="stable").reset_index(drop=True)
