"""Per organisation: what it recorded, what it adds to each indicator, and what it still owes before a report.

A row *involves* an organisation when the organisation is its lead or one of its partners: the columns
`monitoring.engine.measure` attributes contributions by, declared on each tab (`Tab.lead_column`: `partner_id`,
`lead_partner_id`; `Tab.partners_column`: `partner_ids`; a tab of the project's own declares its own). A row of
the partners tab involves its own organisation. So:

- an organisation's *records* are the rows of those tabs that involve it; a record's dates are its date
  columns in the contract (an activity's date, a plan's stage dates, a pilot's start, end and validation);
- its *share* of an indicator is the amount of the indicator's contributions that involve it: exactly the
  indicator's records with the organisation as lead or partner. An indicator that counts organisations
  (`count_distinct` over a partner list) credits each organisation only with its own entry;
- a row's *owner* is the one organisation that can fix it (`owners`): a plan's, a pilot's or an entered
  value's lead (`Tab.lead_column`); an activity's *first* organisation in `partner_ids` — the sheet has no
  "recorded by" column, and the template asks whoever records an activity to put their own organisation
  first; a row of the partners tab, its own organisation. A row with none of these belongs to the manager;
- its *problems* are the data problems whose cell is in a row it owns (a pilot's missing report is its
  lead's, not every partner's), except warnings about a value outside an open vocabulary: those are the
  manager's own list (`checks.is_vocabulary_warning`), grouped on Data quality and in `validate`;
- its *to-do list* before a report: every problem with its cell, every counted record it owns without
  evidence (with the evidence cell), and "nothing recorded" when none of its records has a date in the period.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period, contributions_as_of, record_names
from monitoring.formatting import blank, neutralise, number, plural, with_id, xlsx_text, xlsx_value
from monitoring.model.config import Indicator, Settings
from monitoring.model.contract import TABS, Tab
from monitoring.sheet.checks import cell_position, describe_cell, is_vocabulary_warning, sorted_problems
from monitoring.sheet.clean import Problem, cell_link, record_cell

PARTNERS = "partners"


def record_tabs(settings: Settings) -> list[Tab]:
    """The project's tabs whose rows name organisations (a lead or partners column), in the contract's order."""
    return [tab for tab in settings.contract.values() if tab.lead_column or tab.partners_column]


# Columns of `records`.
RECORD_COLUMNS = [
    "partner_id",  # the organisation involved (one row per organisation a record involves)
    "tab",
    "record",  # the row's id, or "<tab> row <n>" in a tab without ids
    "title",
    "date",  # datetime64: the record's last date on or before the as-of day
    "in_period",  # bool: one of its dates falls in the period (up to the as-of day)
    "evidence_url",
    "_row",
    "_origin",
]


def involved(lead: object, many: object) -> tuple[str, ...]:
    """The organisations a row involves: its lead (when given), then its partners, each once."""
    ids = [lead] if isinstance(lead, str) else []
    ids += [p for p in (many if isinstance(many, tuple) else ()) if isinstance(p, str)]
    return tuple(dict.fromkeys(ids))


def _row_partners(frame: pd.DataFrame, tab: Tab) -> pd.Series:
    """Per row of `tab`, the organisations it involves (a tuple)."""
    if tab.name == PARTNERS:
        return frame["partner_id"].map(lambda p: (p,) if isinstance(p, str) else ())
    lead = frame[tab.lead_column] if tab.lead_column else pd.Series(None, index=frame.index)
    many = frame[tab.partners_column] if tab.partners_column else pd.Series(None, index=frame.index)
    return pd.Series([involved(a, b) for a, b in zip(lead, many, strict=True)], index=frame.index, dtype="object")


def _first(ids: object) -> str | None:
    return next((p for p in ids if isinstance(p, str)), None) if isinstance(ids, tuple) else None


def owners(frame: pd.DataFrame, tab: Tab) -> pd.Series:
    """Per row of `tab`, the organisation that can fix it (None: nobody but the manager); see the module doc."""
    if tab.name == PARTNERS:
        return frame["partner_id"].where(frame["partner_id"].map(lambda p: isinstance(p, str)), None)
    lead = frame[tab.lead_column] if tab.lead_column else pd.Series(None, index=frame.index)
    many = frame[tab.partners_column] if tab.partners_column else pd.Series(None, index=frame.index)
    return pd.Series(
        [a if isinstance(a, str) else _first(b) for a, b in zip(lead, many, strict=True)],
        index=frame.index,
        dtype="object",
    )


def organisations(data: Dataset) -> pd.DataFrame:
    """The partners tab, one row per organisation id (the first row of an id used twice), in sheet order."""
    partners = data.tables[PARTNERS]
    return partners[partners["partner_id"].notna()].drop_duplicates("partner_id").reset_index(drop=True)


def records(data: Dataset, as_of: dt.date, period: Period | None = None) -> pd.DataFrame:
    """Every record with a date on or before `as_of`, once per organisation it involves (RECORD_COLUMNS)."""
    cutoff = pd.Timestamp(as_of)
    frames = []
    for tab in record_tabs(data.settings):
        if tab.name not in data.tables or data.tables[tab.name].empty:
            continue
        frame = data.tables[tab.name]
        dates = frame[[c.name for c in tab.columns if c.kind == "date"]]
        dates = dates.where(dates <= cutoff)
        if period is not None:
            inside = ((dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))).any(axis=1)
        else:
            inside = pd.Series(False, index=frame.index)
        frames.append(
            pd.DataFrame(
                {
                    "partner_id": _row_partners(frame, tab),
                    "tab": tab.name,
                    "record": record_names(frame, tab),
                    "title": frame[tab.title_column] if tab.title_column else None,
                    "date": dates.max(axis=1),
                    "in_period": inside,
                    "evidence_url": frame[tab.evidence_column] if tab.evidence_column else None,
                    "_row": frame["_row"],
                    "_origin": frame["_origin"],
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    out = pd.concat(frames, ignore_index=True).explode("partner_id")
    out = out[out["partner_id"].notna() & out["date"].notna()]
    return out.sort_values(["date", "tab", "_row"], kind="stable")[RECORD_COLUMNS].reset_index(drop=True)


def counts_organisations(indicator: Indicator, tab: Tab | None = None) -> bool:
    """True when the indicator counts organisations (count_distinct over its tab's partners column; `tab` as the
    project's contract has it, default the spreadsheet contract's): each contribution is one organisation's own
    entry, credited to it alone."""
    measure = indicator.measure
    tab = tab or TABS.get(measure.tab)
    return measure.agg == "count_distinct" and tab is not None and measure.column == tab.partners_column


def credited(contribs: pd.DataFrame, indicator: Indicator, tab: Tab | None = None) -> pd.DataFrame:
    """The contributions once per organisation they involve, in a column `who` (same rows otherwise)."""
    if counts_organisations(indicator, tab):
        who = contribs["partner_id"].map(lambda p: (p,) if isinstance(p, str) else ())
    else:
        who = pd.Series(
            [involved(a, b) for a, b in zip(contribs["partner_id"], contribs["partner_ids"], strict=True)],
            index=contribs.index,
            dtype="object",
        )
    out = contribs.assign(who=who).explode("who")
    return out[out["who"].notna()]


def indicator_records(data: Dataset, indicator: Indicator, partner_id: str, as_of: dt.date) -> pd.DataFrame:
    """The indicator's contributions by `as_of` that involve the organisation (CONTRIBUTION_COLUMNS)."""
    counted = credited(
        contributions_as_of(data.contributions[indicator.code], as_of),
        indicator,
        data.settings.contract.get(indicator.measure.tab),
    )
    return counted[counted["who"] == partner_id].drop(columns="who")


def shares(data: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Columns: partner_id, code, amount (what its records add to the indicator by `as_of`), records."""
    frames = []
    for ind in data.settings.indicators:
        counted = credited(
            contributions_as_of(data.contributions[ind.code], as_of), ind, data.settings.contract.get(ind.measure.tab)
        )
        grouped = counted.groupby("who").agg(amount=("amount", "sum"), records=("amount", "size")).reset_index()
        frames.append(grouped.rename(columns={"who": "partner_id"}).assign(code=ind.code))
    columns = ["partner_id", "code", "amount", "records"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def _owner_of_rows(data: Dataset, tab: str) -> dict[tuple[str, int], str]:
    """(origin, sheet row) -> the organisation owning that row of `tab` (rows without an owner left out)."""
    frame = data.tables[tab]
    return {
        (origin, row): who
        for origin, row, who in zip(
            frame["_origin"], frame["_row"], owners(frame, data.settings.contract[tab]), strict=True
        )
        if isinstance(who, str)
    }


def evidence_cell(data: Dataset, tab: str, row: int) -> tuple[str, str]:
    """The A1 reference of a row's evidence cell ("H12", or "12:12" when the column is unknown) and its link."""
    frame = data.tables[tab]
    column = data.settings.contract[tab].evidence_column if tab in data.settings.contract else None
    cell = record_cell(frame, column or "", row)
    return cell, cell_link(frame.attrs.get("link", ""), cell)


def without_evidence(data: Dataset, as_of: dt.date) -> pd.DataFrame:
    """The records counted for an indicator by `as_of` that have no evidence link, once, with their owner.

    Columns: partner_id (the row's owner, `owners`), tab, record, title, codes (the indicators it counts for,
    comma-separated), _row, _origin. A record without an owner is left out (it is the manager's).
    """
    frames = []
    for ind in data.settings.indicators:
        counted = contributions_as_of(data.contributions[ind.code], as_of)
        missing = counted[counted["evidence_url"].isna() | (counted["evidence_url"].astype("string").str.strip() == "")]
        frames.append(missing.assign(code=ind.code))
    columns = ["partner_id", "tab", "record", "title", "codes", "_row", "_origin"]
    if not frames:
        return pd.DataFrame(columns=columns)
    rows = pd.concat(frames, ignore_index=True).drop(columns="partner_id")
    keys = ["tab", "_origin", "_row"]
    grouped = rows.groupby(keys, sort=False, dropna=False).agg(
        record=("record", "first"), title=("title", "first"), codes=("code", lambda c: ", ".join(dict.fromkeys(c)))
    )
    out = grouped.reset_index()
    owned = {tab: _owner_of_rows(data, tab) for tab in dict.fromkeys(out["tab"]) if tab in data.tables}
    out["partner_id"] = [
        owned.get(tab, {}).get((origin, row))
        for tab, origin, row in zip(out["tab"], out["_origin"], out["_row"], strict=True)
    ]
    return out[out["partner_id"].notna()][columns].reset_index(drop=True)


def problems_by_partner(data: Dataset) -> dict[str, list[Problem]]:
    """Organisation id -> the problems whose cell is in a row it owns (`owners`), sorted as on the Data quality page.

    A warning about a value outside an open vocabulary is the manager's, never an organisation's.
    """
    found: dict[str, list[Problem]] = {}
    rows: dict[str, tuple[dict[tuple[str, int], str], dict[int, str]]] = {}
    tabs = {tab.name for tab in record_tabs(data.settings)}
    for problem in sorted_problems(data.problems):
        row = cell_position(problem.cell)[0]
        if not row or (problem.tab != PARTNERS and problem.tab not in tabs) or problem.tab not in data.tables:
            continue
        if is_vocabulary_warning(problem):
            continue
        if problem.tab not in rows:
            owned = _owner_of_rows(data, problem.tab)
            rows[problem.tab] = owned, {r: w for (_, r), w in reversed(owned.items())}
        owned, by_row = rows[problem.tab]
        who = owned.get((problem.origin, row)) if problem.origin else by_row.get(row)
        if who is not None:
            found.setdefault(who, []).append(problem)
    return found


def partner_table(data: Dataset, as_of: dt.date, period: Period) -> pd.DataFrame:
    """One row per organisation, in the partners tab's order.

    Columns: partner_id, name, country (ISO code as written), role, origin (the sheet its row comes from),
    in_period (records with a date in the period), records (with a date by `as_of`), one column per indicator
    code (what its records add by `as_of`), without_evidence and problems (in the rows it owns, `owners`: its
    to-dos), last_record (date or NaT), silent (True: nothing recorded in the period), to_fix (items on its
    to-do list).
    """
    orgs = organisations(data)
    recs = records(data, as_of, period)
    distinct = recs.drop_duplicates(["partner_id", "tab", "_origin", "_row"])
    per = distinct.groupby("partner_id")
    share = shares(data, as_of).pivot_table(index="partner_id", columns="code", values="amount", aggfunc="sum")
    missing = without_evidence(data, as_of).groupby("partner_id").size()
    problems = {who: len(found) for who, found in problems_by_partner(data).items()}
    ids = orgs["partner_id"]
    table = pd.DataFrame(
        {
            "partner_id": ids,
            "name": orgs["name"],
            "country": orgs["country"],
            "role": orgs["role"],
            "origin": orgs["_origin"],
            "in_period": ids.map(per["in_period"].sum()).fillna(0).astype("int64"),
            "records": ids.map(per.size()).fillna(0).astype("int64"),
        }
    )
    for ind in data.settings.indicators:
        column = share[ind.code] if ind.code in share else pd.Series(dtype="float64")
        table[ind.code] = ids.map(column).fillna(0.0).astype("float64")
    table["without_evidence"] = ids.map(missing).fillna(0).astype("int64")
    table["problems"] = ids.map(problems).fillna(0).astype("int64")
    table["last_record"] = ids.map(per["date"].max()).astype("datetime64[ns]")
    table["silent"] = table["in_period"] == 0
    table["to_fix"] = table["problems"] + table["without_evidence"] + table["silent"].astype("int64")
    return table


# The to-do list


# A to-do item's kind, in words (the to-do workbook's "What" column).
KIND_WORDS = {"problem": "Data problem", "evidence": "Evidence missing", "silent": "Nothing recorded"}


@dataclass(frozen=True)
class TodoItem:
    """One thing an organisation should fix or send before the period's report."""

    kind: Literal["problem", "evidence", "silent"]
    text: str  # what to do, in words (sheet text as written: escape it where it is shown)
    where: str  # "activities!C7", "activities row 12" or "" (nothing recorded)
    link: str = ""  # opens the cell where the source is a Google Sheet
    record: str = ""  # the row it is about: 'A045 “Study visit to Brno”' ("" for nothing recorded)


def record_label(record: object, title: object) -> str:
    """'PIL02 “Open data for agri-food producers (Novi Sad)”', or the id alone when there is no title."""
    ident = str(record) if isinstance(record, str) and record else ""
    named = f"“{title}”" if isinstance(title, str) and title.strip() else ""
    return " ".join(part for part in (ident, named) if part)


def _record_labels(data: Dataset, tab: str) -> dict[tuple[str, int], str]:
    """(origin, sheet row) -> the row's record label, for a tab with ids or titles."""
    frame = data.tables[tab]
    declared = data.settings.contract.get(tab)
    id_column = declared.id_column if declared else None
    ids = frame[id_column] if id_column else pd.Series(None, index=frame.index)
    title_column = "name" if tab == PARTNERS else (declared.title_column or "" if declared else "")
    titles = frame[title_column] if title_column in frame else pd.Series(None, index=frame.index)
    return {
        (origin, row): record_label(i, t)
        for origin, row, i, t in zip(frame["_origin"], frame["_row"], ids, titles, strict=True)
    }


def _where(origin: str, tab: str, cell: str) -> str:
    """'activities!C7' or 'activities row 7', after its file when `origin` is given."""
    prefix = f"{origin}: " if origin else ""
    return prefix + (f"{tab}!{cell}" if cell and ":" not in cell else f"{tab} {describe_cell(cell)}")


def _problem_item(p: Problem, record: str, several: bool) -> TodoItem:
    got = f" (the cell holds {p.value!r})" if p.value != "" else ""
    column = f"{p.column}: " if p.column else ""
    where = _where(p.origin if several else "", p.tab, p.cell)
    return TodoItem("problem", f"{p.level}: {column}{p.message}{got}", where, p.link, record)


def todo_lists(data: Dataset, as_of: dt.date, period: Period) -> dict[str, list[TodoItem]]:
    """Organisation id -> its to-do list before `period`'s report; an organisation with nothing to fix is left out.

    Items, in order: the data problems in the rows it owns, with their cells; the records it owns counted by
    `as_of` without evidence (with the evidence cell, and for which indicators); "nothing recorded" when none of
    its records has a date in the period.
    """
    problems = problems_by_partner(data)
    missing = without_evidence(data, as_of)
    silent = set(partner_table(data, as_of, period).query("silent")["partner_id"])
    end = min(period.end, as_of)
    labels: dict[str, dict[tuple[str, int], str]] = {}
    several = data.source.kind == "combined"  # the file is said only when the data comes from several

    def label(tab: str, origin: str, row: int) -> str:
        if tab not in labels:
            labels[tab] = _record_labels(data, tab) if tab in data.tables else {}
        found = labels[tab].get((origin, row))
        if found is None and not origin:
            found = next((lab for (_, r), lab in labels[tab].items() if r == row), None)
        return found or f"{tab} row {row}"

    lists: dict[str, list[TodoItem]] = {}
    for who in organisations(data)["partner_id"]:
        items = [
            _problem_item(p, label(p.tab, p.origin, cell_position(p.cell)[0]), several) for p in problems.get(who, [])
        ]
        for r in missing[missing["partner_id"] == who].to_dict("records"):
            record = record_label(r["record"], r["title"]) or f"{r['tab']} row {r['_row']}"
            text = f"add the evidence link for {record}; it counts for {r['codes']}"
            cell, link = evidence_cell(data, r["tab"], r["_row"])
            where = _where(r["_origin"] if several else "", r["tab"], cell)
            items.append(TodoItem("evidence", text, where, link, record))
        if who in silent:
            text = f"nothing recorded in {period.label} ({period.start:%d %b %Y} – {end:%d %b %Y}): add what you did"
            items.append(TodoItem("silent", text, ""))
        if items:
            lists[who] = items
    return lists


def todo_text(lists: dict[str, list[TodoItem]], names: dict[str, str], period: Period, project: str) -> str:
    """The to-do lists as plain text to paste into an e-mail: one block per organisation."""
    if not lists:
        return f"{project}: no organisation has anything to fix before the {period.label} report.\n"
    blocks = [f"{project}: what each organisation still owes before the {period.label} report ({len(lists)})"]
    for who, items in lists.items():
        lines = [f"{who} · {names.get(who, who)} — {plural(len(items), 'item')}"]
        for item in items:
            where = f"[{item.where}] " if item.where else ""
            link = f"\n      {item.link}" if item.link else ""
            lines.append(f"  - {where}{item.text}{link}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _sheet_title(who: str, used: set[str]) -> str:
    """An Excel sheet title for an organisation id: no []:*?/\\ characters, at most 31, unique."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in who)[:28] or "partner"
    title, n = base, 2
    while title.casefold() in used:
        title, n = f"{base[:26]}~{n}", n + 1
    used.add(title.casefold())
    return title


def _append(sheet: Any, values: list[Any]) -> None:
    sheet.append([xlsx_value(v) for v in values])


def todo_workbook(lists: dict[str, list[TodoItem]], names: dict[str, str], period: Period, project: str) -> bytes:
    """An Excel workbook: a Summary sheet, then one sheet per organisation with something to fix. Sheet text
    that a spreadsheet would run as a formula is made inert (`neutralise`); a control character an .xlsx cannot
    hold becomes U+FFFD (`xlsx_value`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    _append(summary, [neutralise(f"{project}: to-do lists before the {period.label} report")])
    summary["A1"].font = Font(bold=True, size=14)
    _append(summary, [])
    _append(summary, ["Organisation", "Name", "Items", "Data problems", "Without evidence", "Nothing recorded"])
    for who, items in lists.items():
        kinds = [i.kind for i in items]
        _append(
            summary,
            [
                neutralise(who),
                neutralise(names.get(who, who)),
                len(items),
                kinds.count("problem"),
                kinds.count("evidence"),
                "yes" if "silent" in kinds else "no",
            ],
        )
    if not lists:
        _append(summary, ["No organisation has anything to fix."])
    used = {"summary"}
    for who, items in lists.items():
        sheet = book.create_sheet(_sheet_title(xlsx_text(who), used))
        _append(sheet, [neutralise(f"{who} · {names.get(who, who)}")])
        sheet["A1"].font = Font(bold=True, size=13)
        _append(sheet, [])
        _append(sheet, ["What", "Where", "Record", "To do", "Link"])
        for item in items:
            _append(
                sheet,
                [
                    KIND_WORDS[item.kind],
                    neutralise(item.where),
                    neutralise(item.record),
                    neutralise(item.text),
                    neutralise(item.link),
                ],
            )
            if item.link.startswith("https://"):
                sheet.cell(row=sheet.max_row, column=5).hyperlink = item.link
        for column, width in zip("ABCDE", (18, 24, 40, 90, 40), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=4, min_col=4, max_col=4):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for cell in summary[3]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def share_words(amount: float, total: float) -> str:
    """'12 of 120 (10 %)', or '0 of 0'."""
    percent = f" ({amount / total * 100:.0f} %)" if total else ""
    return f"{number(amount)} of {number(total)}{percent}"


def names_of(data: Dataset) -> dict[str, str]:
    """Organisation id -> its name (the id when the name is empty)."""
    orgs = organisations(data)
    return {
        who: name if isinstance(name, str) and name else who
        for who, name in zip(orgs["partner_id"], orgs["name"], strict=True)
    }


def id_labels(data: Dataset) -> dict[str, str]:
    """Every organisation and place id -> its name with the id beside it: 'Sava Business Acceleration Network (P07)',
    'Zagreb (L07)' (`formatting.with_id`), for a table that would otherwise show the id alone."""
    labels = {}
    for tab, id_column in ((PARTNERS, "partner_id"), ("locations", "location_id")):
        frame = data.tables[tab].drop_duplicates(id_column)
        labels.update(
            {i: with_id(n, i) for i, n in zip(frame[id_column], frame["name"], strict=True) if isinstance(i, str)}
        )
    return labels


def labelled(
    frame: pd.DataFrame, data: Dataset, columns: tuple[str, ...] = ("partner_id", "location_id")
) -> pd.DataFrame:
    """`frame` with its organisation and place id columns as names with ids ('Zagreb (L07)'); empty stays empty."""
    labels = id_labels(data)
    out = frame.copy()
    for column in columns:
        if column in out:
            out[column] = [labels.get(v, v) if isinstance(v, str) else blank(v) for v in out[column]]
    return out
