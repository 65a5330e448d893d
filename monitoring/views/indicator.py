"""What the Indicator detail page shows: one indicator per period, by a dimension, and the records behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.measure import by_dimension, contributions_as_of, per_period
from monitoring.engine.progress import IndicatorProgress, milestone_points
from monitoring.outputs import partners as pa
from monitoring.sheet.parse import country_name
from monitoring.views.common import place_namer

# The Breakdown's choices: label (what a bound widget writes into the URL, ?by=Country) -> contributions column.
BREAKDOWNS = {"Country": "country", "Location": "location_id", "Organisation": "partner_id", "Cluster": "cluster"}
# The columns of `records_as_of`, in the order shown.
RECORD_COLUMNS = [
    "date",
    "record",
    "title",
    "amount",
    "partner_id",
    "location_id",
    "country",
    "evidence_url",
    "tab",
    "_row",
]
PERIOD_COLUMNS = ["period", "start", "end", "in_period", "cumulative", "planned"]
ACHIEVED, PLANNED = "achieved (cumulative)", "planned (milestone)"


def breakdown_rows(data: Dataset, code: str, as_of: dt.date, dimension: str) -> pd.DataFrame:
    """The Breakdown's bars (`measure.by_dimension`) with `name`: a country's name (not its ISO code), a location's
    or an organisation's name; a cluster as written."""
    rows = by_dimension(data.contributions[code], as_of, dimension)
    values = set(rows[dimension])
    names: dict[object, str] = {}
    if dimension == "country":
        names = {v: country_name(v) for v in values if isinstance(v, str) and len(v) == 2}
    elif dimension == "location_id":
        place = place_namer(data)
        names = {v: place(v) for v in values}
    elif dimension == "partner_id":
        names = data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")["name"].to_dict()
    return rows.assign(name=[str(names.get(v, v)) for v in rows[dimension]])


def indicator_names(progress: list[IndicatorProgress]) -> dict[str, str]:
    """Indicator code -> its title on the page ("<code> · <name>"), in catalogue order."""
    return {p.code: f"{p.code} · {p.name}" for p in progress}


@dataclass(frozen=True)
class PeriodView:
    table: pd.DataFrame  # period, start, end, in_period, cumulative, planned: per period that started by the day
    series: pd.DataFrame  # the chart's rows: every column of `measure.per_period` and planned, plus series and value


def period_view(data: Dataset, code: str, as_of: dt.date) -> PeriodView:
    """The indicator per reporting period started by `as_of`: `measure.per_period` plus `planned`, the milestone
    at the period's end (None where there is none); as a table, and as the chart's long rows (the achieved
    cumulative of every period, series ACHIEVED, then the milestones where there is one, series PLANNED)."""
    table = per_period(data.contributions[code], data.periods)
    planned = dict(milestone_points(data.tables["milestones"], code, data.periods))
    table["planned"] = [planned.get(end) for end in table["end"]]
    shown = table[table["start"] <= as_of]
    series = pd.concat(
        [
            shown.assign(series=ACHIEVED, value=shown["cumulative"]),
            shown.dropna(subset=["planned"]).assign(series=PLANNED, value=lambda d: d["planned"]),
        ]
    )
    return PeriodView(shown[PERIOD_COLUMNS], series)


def records_as_of(data: Dataset, code: str, as_of: dt.date) -> pd.DataFrame:
    """The contributions counted as of `as_of`, in RECORD_COLUMNS, by date."""
    return contributions_as_of(data.contributions[code], as_of)[RECORD_COLUMNS]


# Indicator › Records: the column labels, in RECORD_COLUMNS order.
RECORD_LABELS = {
    "date": "Date",
    "record": "Record",
    "title": "Title",
    "amount": "Amount",
    "partner_id": "Organisation",
    "location_id": "Place",
    "country": "Country",
    "evidence_url": "Evidence",
    "tab": "Tab",
    "_row": "Sheet row",
}


def readable_records(data: Dataset, records: pd.DataFrame) -> pd.DataFrame:
    """`records` as the page shows them: organisations and places by name with their id, column labels."""
    return pa.labelled(records, data).rename(columns=RECORD_LABELS)


def without_evidence(records: pd.DataFrame) -> int:
    """How many of `records` have no evidence link."""
    return int(records["evidence_url"].isna().sum())
