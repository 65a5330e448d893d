"""Raw tabs -> typed tables, plus a list of problems that each point at a cell.

Every table keeps the contract's columns (in contract order), the derived columns of
`monitoring.model.config.Settings.derived_columns`, and two bookkeeping columns: `_row`, the row number in the
sheet, and `_origin`, the file or spreadsheet the row came from. Column dtypes by contract kind:
date -> datetime64 (NaT when empty or unreadable), int -> Int64, number/lat/lon -> float64,
ids -> tuple of str, everything else -> str or None.

Each table's `attrs` say where its columns are in the sheet, so a later check can point at a cell:
`attrs["letters"]` maps a contract column to its column letter, `attrs["link"]` is the link that
opens the tab ("" when the source has none; `cell_link` adds the cell).

Headers are found where people put them: in any of the first `HEADER_SEARCH_ROWS` rows (below a
title row or a merged banner), in any column, whatever their case, spacing, `-`/`_`, a trailing `*`
or a note in brackets ("Date (dd.mm.yyyy)"). Columns the contract does not know are ignored, and so
are rows with nothing in the contract's columns. A repeated id (or, in a tab without ids, a repeated row)
is dropped here, with its problem, so that every consumer counts each record once (`drop_repeats`).
Rules that need more than one tab (unknown references, cross-border...) live in `monitoring.sheet.checks`.

A cell that cannot be read is left empty in the table and reported as a Problem; nothing is guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import pandas as pd

from data_sources.base import RawTab, RawWorkbook
from monitoring.formatting import cell_ref, column_letter, name_some
from monitoring.model.config import Settings
from monitoring.model.contract import TABS, Column, Tab
from monitoring.sheet.parse import is_empty, normalise_header, parse_cell, parse_text

Level = Literal["error", "warning"]
HEADER_SEARCH_ROWS = 20
_HEADER_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]|[*:\ufeff\u200b]")


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
    vocabulary: str = ""  # an open vocabulary's name ("activity_types") when the value is outside it

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def to_line(self) -> str:
        where = f"{self.tab}!{self.cell}" if self.cell else self.tab
        column = f" {self.column}:" if self.column else ""
        got = f" (got {self.value!r})" if self.value != "" else ""
        return f"{self.level.upper()} {where}{column} {self.message}{got}"


def cell_link(tab_link: str, cell: str) -> str:
    """The link that opens `cell` ("B7", "5:5") of a tab whose link is `tab_link`; "" when there is none.

    Google Sheets tab links end in `#gid=<sheet id>`; `&range=B7` after it selects the cell.
    """
    if not tab_link or not cell:
        return tab_link
    return f"{tab_link}{'&' if '#' in tab_link else '#'}range={cell}"


def show_value(value: Any) -> str:
    """A raw cell value as a problem shows it: as text, cut to 80 characters."""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def cross_border(countries: pd.Series) -> pd.Series:
    """True for each activity or pilot whose organisations are in two or more countries: the one rule of
    cross-border (an unknown count, NaN, is not)."""
    return (countries.fillna(0) >= 2).astype(bool)


def sheet_of(frame: pd.DataFrame, origin: Any) -> dict[str, Any]:
    """The letters and link of the sheet a row came from: a table appended from several spreadsheets keeps each
    one's in `attrs["by_origin"]`."""
    return frame.attrs.get("by_origin", {}).get(origin) or frame.attrs


def record_cell(frame: pd.DataFrame, column: str, row: int, origin: Any = None) -> str:
    """The A1 reference of `column` in sheet row `row` of a cleaned table ("B7"), or the whole row ("7:7") when the
    column is not in the sheet."""
    letter = sheet_of(frame, origin).get("letters", {}).get(column)
    return f"{letter}{row}" if letter else f"{row}:{row}"


def problem_at(
    level: Level, frame: pd.DataFrame, tab: str, column: str, row: int, origin: Any, message: str, value: Any = ""
) -> Problem:
    """A problem at `column` of sheet row `row` of a cleaned table; the whole row ("7:7") when the column is not
    in the sheet (`record_cell`)."""
    cell = record_cell(frame, column, row, origin)
    link = cell_link(sheet_of(frame, origin).get("link", ""), cell)
    return Problem(level, tab, cell, column, message, show_value(value), str(origin or ""), link)


def header_key(cell: Any) -> str:
    """A header cell compared with the contract: " Partner-ID *" and "Date (dd.mm.yyyy)" -> partner_id, date."""
    if is_empty(cell):
        return ""
    return normalise_header(_HEADER_NOTES.sub(" ", str(cell)))


def _find_tab(raw: RawWorkbook, wanted: str) -> RawTab | None:
    if wanted in raw.tabs:
        return raw.tabs[wanted]
    key = normalise_header(wanted)
    return next((t for name, t in raw.tabs.items() if normalise_header(name) == key), None)


def _find_header(rows: list[list[Any]], expected: dict[str, str]) -> int | None:
    """Index of the row (among the first few) that holds the most expected column names."""
    best, best_hits = None, 0
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = len({header_key(cell) for cell in row} & expected.keys())
        if hits > best_hits:
            best, best_hits = r, hits
    return best


def _blank(value: Any) -> bool:
    if value is None or value == "":
        return True
    return is_empty(value) if isinstance(value, (str, float)) else False


def _repeats_header(cells: list[Any], header_text: list[str]) -> bool:
    """True for a copy of the header row pasted among the data (most cells equal their header)."""
    first = cells[0]
    if not isinstance(first, str) or first.strip().casefold() != header_text[0]:
        return False
    same = sum(isinstance(v, str) and v.strip().casefold() == h for v, h in zip(cells, header_text, strict=True))
    return same * 2 > len(cells)


def empty_table(tab: Tab) -> pd.DataFrame:
    """A tab with no rows, typed like a read one."""
    frame = _typed(tab, {c.name: [] for c in tab.columns}, [], [])
    frame.attrs.update(letters={}, link="")
    return frame


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


def _near_miss(wanted: str, unmatched: dict[str, tuple[int, Any]], header_row: int) -> str:
    """A hint naming the unknown header cell that looks like a missing column's name, or ""."""
    close = difflib.get_close_matches(wanted, list(unmatched), n=1, cutoff=0.75)
    if not close:
        return ""
    c, cell = unmatched[close[0]]
    return f"; is '{cell}' in {column_letter(c)}{header_row} meant to be it? Rename it to '{wanted}'"


def clean_tab(raw_tab: RawTab, tab: Tab, column_map: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse one raw tab against its contract. `column_map` maps contract column -> workbook header."""
    problems: list[Problem] = []

    def report(level: Level, cell: str, column: str, message: str, value: Any = "", vocabulary: str = "") -> None:
        link = cell_link(raw_tab.link, cell)
        problems.append(
            Problem(level, tab.name, cell, column, message, show_value(value), raw_tab.origin, link, vocabulary)
        )

    expected = {header_key(column_map.get(c, c)): c for c in tab.column_names}
    rows = raw_tab.rows
    header_index = _find_header(rows, expected)
    if header_index is None:
        empty = not any(not _blank(v) for row in rows for v in row)
        if not (empty and tab.optional):
            names = ", ".join(column_map.get(c, c) for c in tab.required_columns)
            where = "the tab is empty" if empty else f"no header row found in the first {HEADER_SEARCH_ROWS} rows"
            report("error", "", "", f"{where}; expected a header row with {names}")
        table = empty_table(tab)
        table.attrs["link"] = raw_tab.link
        return table, problems

    positions: dict[str, int] = {}
    unmatched: dict[str, tuple[int, Any]] = {}
    header_row = header_index + 1
    for c, cell in enumerate(rows[header_index]):
        key = header_key(cell)
        name = expected.get(key)
        if name is None:
            if key:
                unmatched.setdefault(key, (c, cell))
            continue
        if name in positions:
            first = f"{column_letter(positions[name])}{header_row}"
            report(
                "error",
                f"{column_letter(c)}{header_row}",
                name,
                f"this header is also in {first}; {first} is used",
                cell,
            )
            continue
        positions[name] = c
    for name in tab.required_columns:
        if name not in positions:
            wanted = column_map.get(name, name)
            hint = _near_miss(header_key(wanted), unmatched, header_row)
            report("error", f"{header_row}:{header_row}", name, f"required column '{wanted}' is missing{hint}")

    present = [(c, positions[c.name]) for c in tab.columns if c.name in positions]
    spots = [pos for _, pos in present]
    header_text = [str(rows[header_index][pos]).strip().casefold() for pos in spots]
    last = max(spots)
    kept: list[list[Any]] = []
    row_numbers: list[int] = []
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        if len(row) <= last:  # CSV and Google Sheets rows stop at their last filled cell
            row = row + [None] * (last + 1 - len(row))
        if all(_blank(row[pos]) for pos in spots):
            continue
        if _repeats_header([row[pos] for pos in spots], header_text):
            report("warning", f"{r + 1}:{r + 1}", "", "the header row is repeated here; this row is skipped")
            continue
        kept.append(row)
        row_numbers.append(r + 1)

    values: dict[str, list[Any]] = {c.name: [None] * len(kept) for c in tab.columns}
    bad_cells: list[tuple[int, int, Level, str, str, Any]] = []  # (sheet row, column index, level, column, ...)
    for col, pos in present:
        parsed_column, errors = _parse_column([row[pos] for row in kept], col)
        values[col.name] = parsed_column
        bad_cells.extend((row_numbers[i], pos, level, col.name, message, raw) for i, level, message, raw in errors)
    for sheet_row, pos, level, name, message, raw in sorted(bad_cells, key=lambda bad: bad[:2]):
        column = tab.column(name)
        vocabulary = column.vocabulary if level == "warning" and column.open else ""  # kept: the manager's list
        shown = "" if column.kind == "emails" else raw  # personal data: never repeated in a problem
        report(level, cell_ref(sheet_row, pos), name, message, shown, vocabulary)
    frame = _typed(tab, values, row_numbers, [raw_tab.origin] * len(row_numbers))
    frame.attrs.update(letters={name: column_letter(pos) for name, pos in positions.items()}, link=raw_tab.link)
    return frame, problems


def _parse_column(cells: list[Any], col: Column) -> tuple[list[Any], list[tuple[int, Level, str, Any]]]:
    """Every cell of one column parsed (None where it cannot be), and (index, level, message, raw value) per bad cell.

    An open vocabulary's unknown value is kept as written and warned about; a closed one's is an error.
    Each distinct value is parsed once: a column of 100 000 rows holds far fewer distinct values.
    """
    memo: dict[Any, tuple[Any, str | None]] = {}
    parsed: list[Any] = []
    errors: list[tuple[int, Level, str, Any]] = []
    for i, raw in enumerate(cells):
        key = raw if type(raw) is str else (type(raw), raw)  # 1, 1.0 and True are equal keys otherwise
        try:
            value, error = memo[key]
        except KeyError:
            value, error = memo[key] = parse_cell(raw, col.kind, col.choices)
        except TypeError:  # an unhashable cell value
            value, error = parse_cell(raw, col.kind, col.choices)
        if error and col.open:
            kept, unreadable = parse_text(raw)
            if kept is not None and not unreadable:
                what = col.vocabulary.replace("_", " ")
                errors.append(
                    (
                        i,
                        "warning",
                        f"not one of the declared {what} ({name_some(col.choices)}); kept as written and counted",
                        raw,
                    )
                )
                parsed.append(kept)
                continue
        if error:
            errors.append((i, "error", error, raw))
            value = None
        elif value is None and col.required:
            errors.append((i, "error", "required value is missing", ""))
        parsed.append(value)
    return parsed, errors


def add_derived(tables: dict[str, pd.DataFrame], settings: Settings) -> None:
    """Columns computed from the sheet: cross-border activities, a pilot's countries, and `stage` on every tab
    whose lifecycle is made of date columns (a plan's stage: the last of its lifecycle's dates filled in)."""
    country = dict(zip(tables["partners"]["partner_id"], tables["partners"]["country"], strict=True))
    counted: dict[tuple[str, ...], int] = {}

    def n_countries(ids: Any, lead: Any = None) -> int:
        members = (tuple(ids) if isinstance(ids, tuple) else ()) + ((lead,) if isinstance(lead, str) else ())
        if members not in counted:
            counted[members] = len({country[p] for p in members if country.get(p)})
        return counted[members]

    acts = tables["activities"]
    acts["countries"] = pd.array([n_countries(ids) for ids in acts["partner_ids"]], dtype="int64")
    acts["cross_border"] = cross_border(acts["countries"])
    pilots = tables["pilots"]
    pilots["countries"] = pd.array(
        [n_countries(ids, lead) for ids, lead in zip(pilots["partner_ids"], pilots["lead_partner_id"], strict=True)],
        dtype="int64",
    )
    for tab, lifecycle in settings.all_lifecycles.items():
        if not lifecycle.dated or tab not in tables:
            continue
        rows = tables[tab]
        stage = pd.Series([None] * len(rows), dtype="object", index=rows.index)
        for name in lifecycle.names:
            stage = stage.where(rows[name].isna(), name)
        rows["stage"] = stage


def _row_keys(frame: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """Each row's values in `columns`, an empty cell (None, NaN, NaT, NA) as None, so equal rows have equal keys."""
    return [
        tuple(None if not isinstance(v, tuple) and pd.isna(v) else v for v in values)
        for values in zip(*(frame[c] for c in columns), strict=True)
    ]


def drop_repeats(tables: dict[str, pd.DataFrame], contract: dict[str, Tab]) -> list[Problem]:
    """Each record counted once: the repeats are taken out of `tables` (in place), and each is a problem.

    In a tab with an id column, the first row of an id is the record; a later row with that id (pasted twice,
    or the same id in another spreadsheet of a combined read) is an error at its id cell and counts nowhere.
    In a tab without ids, a row equal to an earlier one in every column is counted once, with a warning at the
    repeat naming the first row (if both are meant, making them differ in any column counts both).
    """
    problems: list[Problem] = []
    for tab in contract.values():
        frame = tables.get(tab.name)
        if frame is None or frame.empty:
            continue
        column = tab.id_column or ""
        subset = [column] if column else tab.column_names
        repeated = (
            frame[column].notna() & frame[column].duplicated(keep=False)
            if column
            else frame.duplicated(subset, keep=False)
        )
        involved = frame[repeated]  # the first rows and their repeats; usually none
        if involved.empty:
            continue
        first: dict[tuple[Any, ...], tuple[Any, int]] = {}
        repeats = []
        for i, key, row, origin in zip(
            involved.index, _row_keys(involved, subset), involved["_row"], involved["_origin"], strict=True
        ):
            if key not in first:
                first[key] = (origin, int(row))
                continue
            repeats.append(i)
            seen_in, seen_row = first[key]
            where = f"row {seen_row}" if seen_in == origin else f"{seen_in} (row {seen_row})"
            if column:
                unique = "ids must be unique" + ("" if seen_in == origin else " across spreadsheets")
                message = f"this id is also used in {where}; {unique}, so this row is not counted"
                problems.append(problem_at("error", frame, tab.name, column, row, origin, message, key[0]))
            else:
                message = (
                    f"this row repeats {where} exactly, so it is counted once; "
                    "if both are meant, make them differ (in a comment or a date)"
                )
                problems.append(problem_at("warning", frame, tab.name, "", row, origin, message))
        attrs = frame.attrs
        tables[tab.name] = frame.drop(index=repeats).reset_index(drop=True)
        tables[tab.name].attrs = attrs
    return problems


def _missing_tab(raw: RawWorkbook, tab: Tab, wanted: str, measured: list[str]) -> Problem:
    if raw.kind == "csv":
        message = f"the file '{wanted}.csv' is missing from the folder"
        found = [f"{name}.csv" for name in raw.tabs]
    else:
        message = f"the tab '{wanted}' is missing from the workbook"
        found = list(raw.tabs)
    if found:
        shown = ", ".join(found[:12]) + (", ..." if len(found) > 12 else "")
        message += f" (it has {shown})"
    if measured:
        message += f"; {', '.join(measured)} {'is' if len(measured) == 1 else 'are'} measured on it"
    return Problem("error", tab.name, "", "", message, origin=raw.origin)


def clean_workbook(raw: RawWorkbook, settings: Settings) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every contract tab as a typed table, and every problem found in its cells."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for tab in settings.contract.values():
        wanted = settings.source.tabs.get(tab.name, tab.name)
        raw_tab = _find_tab(raw, wanted)
        measured = [i.code for i in settings.measured_on(tab.name)]
        if measured:  # an optional tab that an indicator is measured on is needed
            tab = replace(tab, optional=False)
        if raw_tab is None:
            if not tab.optional:
                problems.append(_missing_tab(raw, tab, wanted, measured))
            tables[tab.name] = empty_table(tab)
            tables[tab.name].attrs["missing"] = True
            continue
        tables[tab.name], found = clean_tab(raw_tab, tab, settings.source.columns.get(tab.name, {}))
        problems.extend(found)
    for name, tab in TABS.items():  # a default tab the project does not keep: empty, so every rule still reads it
        if name not in tables:
            tables[name] = empty_table(tab)
            tables[name].attrs["missing"] = True
    problems.extend(drop_repeats(tables, settings.contract))
    add_derived(tables, settings)
    return tables, problems
