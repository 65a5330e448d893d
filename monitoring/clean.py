"""Raw tabs -> typed tables, plus a list of problems that each point at a cell.

Every table keeps the contract's columns (in contract order), the derived columns listed in
`monitoring.config.DERIVED_COLUMNS`, and two bookkeeping columns: `_row`, the row number in the
sheet, and `_origin`, the file or spreadsheet the row came from. Column dtypes by contract kind:
date -> datetime64 (NaT when empty or unreadable), int -> Int64, number/lat/lon -> float64,
ids -> tuple of str, everything else -> str or None.

A cell that cannot be read is left empty in the table and reported as a Problem; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import pandas as pd

from data_sources.base import RawTab, RawWorkbook
from monitoring.config import Settings
from monitoring.contract import LAP_STAGES, TABS, Tab
from monitoring.parse import is_empty, normalise_header, parse_cell

Level = Literal["error", "warning"]
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, pointed at its cell."""

    level: Level
    tab: str  # the contract's tab name
    cell: str  # A1 reference ("C7"), a row ("5:5") or "" for the whole tab
    column: str
    message: str
    value: str = ""
    origin: str = ""  # file or spreadsheet
    link: str = ""  # opens the tab (and cell) where the source allows it

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def to_line(self) -> str:
        where = f"{self.tab}!{self.cell}" if self.cell else self.tab
        column = f" {self.column}:" if self.column else ""
        got = f" (got {self.value!r})" if self.value != "" else ""
        return f"{self.level.upper()} {where}{column} {self.message}{got}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _find_tab(raw: RawWorkbook, wanted: str) -> RawTab | None:
    if wanted in raw.tabs:
        return raw.tabs[wanted]
    key = normalise_header(wanted)
    return next((t for name, t in raw.tabs.items() if normalise_header(name) == key), None)


def _find_header(rows: list[list[Any]], expected: dict[str, str]) -> int | None:
    """Index of the row (among the first few) that holds the most expected column names."""
    best, best_hits = None, 0
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for cell in row if normalise_header(cell) in expected)
        if hits > best_hits:
            best, best_hits = r, hits
    return best


def empty_table(tab: Tab) -> pd.DataFrame:
    return _typed(tab, {c.name: [] for c in tab.columns}, [], [])


def _typed(tab: Tab, values: dict[str, list[Any]], rows: list[int], origins: list[str]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for col in tab.columns:
        vals = values[col.name]
        if col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(vals, dtype="object"), errors="coerce").astype("datetime64[ns]")
        elif col.kind in ("int", "period"):
            data[col.name] = pd.array(vals, dtype="Int64")
        elif col.kind in ("number", "lat", "lon"):
            data[col.name] = pd.array([float("nan") if v is None else v for v in vals], dtype="float64")
        else:
            data[col.name] = pd.Series(vals, dtype="object")
    frame = pd.DataFrame({k: pd.Series(v).reset_index(drop=True) for k, v in data.items()})
    frame["_row"] = pd.array(rows, dtype="int64")
    frame["_origin"] = pd.Series(origins, dtype="object")
    return frame


def clean_tab(raw_tab: RawTab, tab: Tab, column_map: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one raw tab against its contract. `column_map` maps contract column -> workbook header."""
    problems: list[Problem] = []

    def report(level: Level, cell: str, column: str, message: str, value: Any = "") -> None:
        problems.append(Problem(level, tab.name, cell, column, message, _show(value), raw_tab.origin, raw_tab.link))

    expected = {normalise_header(column_map.get(c, c)): c for c in tab.column_names}
    rows = raw_tab.rows
    header_index = _find_header(rows, expected)
    if header_index is None:
        names = ", ".join(column_map.get(c, c) for c in tab.required_columns)
        report("error", "", "", f"no header row found in the first {HEADER_SEARCH_ROWS} rows; expected {names}")
        return empty_table(tab), problems

    positions: dict[str, int] = {}
    header_row = header_index + 1
    for c, cell in enumerate(rows[header_index]):
        name = expected.get(normalise_header(cell))
        if name is None:
            continue
        if name in positions:
            report(
                "error",
                f"{column_letter(c)}{header_row}",
                name,
                "this header appears twice; the first one is used",
                cell,
            )
            continue
        positions[name] = c
    for name in tab.required_columns:
        if name not in positions:
            report(
                "error",
                f"{header_row}:{header_row}",
                name,
                f"required column '{column_map.get(name, name)}' is missing",
            )

    values: dict[str, list[Any]] = {c.name: [] for c in tab.columns}
    row_numbers: list[int] = []
    memo: dict[str, dict[tuple[type, Any], tuple[Any, str | None]]] = {c.name: {} for c in tab.columns}
    present = [(c, positions[c.name]) for c in tab.columns if c.name in positions]
    absent = [c.name for c in tab.columns if c.name not in positions]
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        if all(is_empty(v) for v in row):
            continue
        sheet_row = r + 1
        row_numbers.append(sheet_row)
        for col, pos in present:
            raw = row[pos] if pos < len(row) else None
            key = (type(raw), raw)
            cache = memo[col.name]
            try:
                parsed, error = cache[key]
            except KeyError:
                parsed, error = cache[key] = parse_cell(raw, col.kind, col.choices)
            except TypeError:  # an unhashable cell value
                parsed, error = parse_cell(raw, col.kind, col.choices)
            if error:
                report("error", f"{column_letter(pos)}{sheet_row}", col.name, error, raw)
                parsed = None
            elif parsed is None and col.required:
                report("error", f"{column_letter(pos)}{sheet_row}", col.name, "required value is missing")
            values[col.name].append(parsed)
        for name in absent:
            values[name].append(None)
    frame = _typed(tab, values, row_numbers, [raw_tab.origin] * len(row_numbers))
    frame.attrs["letters"] = {name: column_letter(pos) for name, pos in positions.items()}
    return frame, problems


def _check_ids(tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Duplicate ids within a tab, and references to partners and locations that do not exist."""

    def cell(tab: str, column: str, row: int) -> str:
        letter = tables[tab].attrs.get("letters", {}).get(column)
        return f"{letter}{row}" if letter else f"{row}:{row}"

    for tab in TABS.values():
        frame = tables[tab.name]
        if tab.id_column and not frame.empty:
            ids = frame[tab.id_column]
            for _, dup in frame[ids.notna() & ids.duplicated(keep="first")].iterrows():
                problems.append(
                    Problem(
                        "error",
                        tab.name,
                        cell(tab.name, tab.id_column, dup["_row"]),
                        tab.id_column,
                        "this id is used by an earlier row too; ids must be unique",
                        str(dup[tab.id_column]),
                        dup["_origin"],
                    )
                )
    known = {
        "partner": set(tables["partners"]["partner_id"].dropna()),
        "location": set(tables["locations"]["location_id"].dropna()),
    }
    refs = [
        ("partners", "location_id", "location"),
        ("activities", "partner_ids", "partner"),
        ("activities", "location_id", "location"),
        ("action_plans", "location_id", "location"),
        ("action_plans", "lead_partner_id", "partner"),
        ("pilots", "location_id", "location"),
        ("pilots", "lead_partner_id", "partner"),
        ("pilots", "partner_ids", "partner"),
        ("pilots", "replicated_in", "location"),
        ("indicator_values", "partner_id", "partner"),
        ("indicator_values", "location_id", "location"),
    ]
    for tab_name, column, kind in refs:
        frame = tables[tab_name]
        if frame.empty:
            continue
        target = "partners" if kind == "partner" else "locations"
        for value, row, origin in zip(frame[column], frame["_row"], frame["_origin"], strict=True):
            items = value if isinstance(value, tuple) else ((value,) if value is not None else ())
            for item in items:
                if item not in known[kind]:
                    problems.append(
                        Problem(
                            "error",
                            tab_name,
                            cell(tab_name, column, row),
                            column,
                            f"no {kind} with this id in the {target} tab",
                            item,
                            origin,
                        )
                    )


def _add_derived(tables: dict[str, pd.DataFrame]) -> None:
    """Columns computed from the sheet: cross-border activities, a pilot's countries, a plan's stage."""
    country = dict(zip(tables["partners"]["partner_id"], tables["partners"]["country"], strict=True))

    def n_countries(ids: Any, lead: Any = None) -> int:
        members = (tuple(ids) if isinstance(ids, tuple) else ()) + ((lead,) if isinstance(lead, str) else ())
        return len({country[p] for p in members if country.get(p)})

    acts = tables["activities"]
    acts["countries"] = pd.array([n_countries(ids) for ids in acts["partner_ids"]], dtype="int64")
    acts["cross_border"] = acts["countries"] >= 2
    pilots = tables["pilots"]
    pilots["countries"] = pd.array(
        [n_countries(ids, lead) for ids, lead in zip(pilots["partner_ids"], pilots["lead_partner_id"], strict=True)],
        dtype="int64",
    )
    plans = tables["action_plans"]
    stage = pd.Series([None] * len(plans), dtype="object", index=plans.index)
    for name in LAP_STAGES:
        stage = stage.where(plans[name].isna(), name)
    plans["stage"] = stage


def clean_workbook(raw: RawWorkbook, settings: Settings) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every contract tab as a typed table, and every problem found on the way."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for tab in TABS.values():
        wanted = settings.source.tabs.get(tab.name, tab.name)
        raw_tab = _find_tab(raw, wanted)
        if raw_tab is None:
            if not tab.optional:
                problems.append(
                    Problem(
                        "error", tab.name, "", "", f"the tab '{wanted}' is missing from the workbook", origin=raw.origin
                    )
                )
            tables[tab.name] = empty_table(tab)
            continue
        tables[tab.name], found = clean_tab(raw_tab, tab, settings.source.columns.get(tab.name, {}))
        problems.extend(found)
    _check_ids(tables, problems)
    _add_derived(tables)
    return tables, problems
