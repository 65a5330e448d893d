"""The Partners page, computed: one row per organisation with what it recorded and owes, the filters' choices,
the headline numbers, and one organisation's records, problems and share of each indicator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period, achieved_as_of, period_containing
from monitoring.outputs import export
from monitoring.outputs import partners as pa
from monitoring.outputs.partner_digest import contacts
from monitoring.sheet.checks import problem_table
from monitoring.sheet.parse import country_name


def periods_until(data: Dataset, as_of: dt.date) -> list[Period]:
    """The reporting periods that started by `as_of` (the first one when none has)."""
    started = [p for p in data.periods if p.start <= as_of]
    return started or data.periods[:1]


def default_period(data: Dataset, as_of: dt.date) -> Period:
    """The period of the as-of day, else the last one that started."""
    return period_containing(data.periods, as_of) or periods_until(data, as_of)[-1]


def _country(code: object) -> str:
    return country_name(code) if isinstance(code, str) and code else ""


def overview(data: Dataset, as_of: dt.date, period: Period) -> pd.DataFrame:
    """`partners.partner_table` with country as its name ('Romania'), role '' when empty, and a flag column
    'silent_word' ('⚠ nothing recorded' when nothing was recorded in the period, '' otherwise)."""
    table = pa.partner_table(data, as_of, period)
    return table.assign(
        country=table["country"].map(_country),
        role=table["role"].fillna(""),
        silent_word=table["silent"].map({True: "⚠ nothing recorded", False: ""}),
    )


def choices(table: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The countries and roles present, for the filters (sorted; roles in the order they first appear)."""
    countries = sorted(c for c in table["country"].unique() if c)
    roles = [r for r in dict.fromkeys(table["role"]) if r]
    return countries, roles


def chosen(table: pd.DataFrame, countries: list[str], roles: list[str], only_to_fix: bool) -> pd.DataFrame:
    """The rows the filters keep: in one of `countries` and `roles` (all when empty), with something to fix."""
    keep = pd.Series(True, index=table.index)
    if countries:
        keep &= table["country"].isin(countries)
    if roles:
        keep &= table["role"].isin(roles)
    if only_to_fix:
        keep &= table["to_fix"] > 0
    return table[keep]


@dataclass(frozen=True)
class Headline:
    organisations: int
    silent: int  # nothing recorded in the period
    with_problems: int
    without_evidence: int  # records without evidence, over the organisations shown
    to_fix: int  # organisations with something to fix


def headline(shown: pd.DataFrame) -> Headline:
    return Headline(
        organisations=len(shown),
        silent=int(shown["silent"].sum()),
        with_problems=int((shown["problems"] > 0).sum()),
        without_evidence=int(shown["without_evidence"].sum()),
        to_fix=int((shown["to_fix"] > 0).sum()),
    )


def several_origins(table: pd.DataFrame) -> bool:
    """True when the organisations come from more than one spreadsheet (the sheet column is worth showing)."""
    return table["origin"].nunique() > 1


@dataclass(frozen=True)
class Detail:
    """One organisation: who it is, its records, its problems and its share of each indicator."""

    partner_id: str
    name: str
    country: str
    role: str
    origin: str
    records: pd.DataFrame  # partners.RECORD_COLUMNS: its records by the as-of day, newest first
    problems: pd.DataFrame  # checks.problem_table of the problems in its rows (with where and link)
    shares: pd.DataFrame  # code, name, unit, amount, total, share ('12 of 120 (10 %)'), records
    todo: list[pa.TodoItem]
    contacts: tuple[str, ...] = ()  # its e-mail addresses: personal data, for a manager's eyes only


def detail(data: Dataset, partner_id: str, as_of: dt.date, period: Period) -> Detail | None:
    """Everything the page shows for one organisation; None when no organisation has this id."""
    orgs = pa.organisations(data)
    row = orgs[orgs["partner_id"] == partner_id]
    if row.empty:
        return None
    org = row.iloc[0]
    recs = pa.records(data, as_of, period)
    mine = recs[recs["partner_id"] == partner_id].sort_values("date", ascending=False, kind="stable")
    share_rows = []
    for ind in data.settings.indicators:
        counted = pa.indicator_records(data, ind, partner_id, as_of)
        amount = float(counted["amount"].sum())
        total = achieved_as_of(data.contributions[ind.code], as_of)
        share_rows.append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "amount": amount,
                "total": total,
                "share": pa.share_words(amount, total),
                "records": ", ".join(dict.fromkeys(str(r) for r in counted["record"])),
            }
        )
    return Detail(
        partner_id=partner_id,
        name=str(org["name"] if isinstance(org["name"], str) else partner_id),
        country=_country(org["country"]),
        role=str(org["role"] or ""),
        origin=str(org["_origin"] or ""),
        records=mine.reset_index(drop=True),
        problems=problem_table(pa.problems_by_partner(data).get(partner_id, [])),
        shares=pd.DataFrame(share_rows),
        todo=pa.todo_lists(data, as_of, period).get(partner_id, []),
        contacts=contacts(data).get(partner_id, ()),
    )


def partner_options(table: pd.DataFrame) -> list[str]:
    """Organisation ids, in the partners tab's order (the ?partner= values)."""
    return table["partner_id"].tolist()


def todo_file(
    lists: dict[str, list[pa.TodoItem]], names: dict[str, str], period: Period, project: str
) -> tuple[bytes, str | None]:
    """The to-do workbook's bytes, or (b"", why it cannot be made): the page then offers it disabled with the reason."""
    return export.made(lambda: pa.todo_workbook(lists, names, period, project), "Excel to-do list")
