"""Write monitoring workbooks (.xlsx) that follow the spreadsheet contract.

``write_template`` produces the empty template partners copy (or import into Google Sheets);
``write_workbook`` does the same and fills the tabs with rows, which is how the sample data is made.

Everything about tabs and columns (names, order, required, kind, allowed values, help text) comes
from :mod:`monitoring.model.contract`; this module only decides how the workbook looks:

* a ``README`` tab first, explaining the workbook and every column of every tab;
* one sheet per contract tab, in contract order, whose first row is exactly the contract's column
  names (bold, filled, frozen, with the column's help text as a note on the header cell);
* a drop-down list (data validation) on every enumerated column for rows 2..5000;
* dates written as real dates shown as ``yyyy-mm-dd``; lists of ids joined with ``", "``;
* text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) stored as text.

No Streamlit here: this is plain Python, usable from the command line and from tests.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.formatting import is_formula_like, xlsx_text
from monitoring.model.contract import TABS, Column, Tab

__all__ = ["DATE_FORMAT", "README_TAB", "VALIDATION_LAST_ROW", "template_bytes", "write_template", "write_workbook"]

README_TAB = "README"
"""Name of the explanatory first tab (the dashboard ignores tabs it does not know)."""

VALIDATION_LAST_ROW = 5000
"""Drop-down lists on enumerated columns cover rows 2 to this row."""

DATE_FORMAT = "yyyy-mm-dd"
"""Number format of every date cell."""

ID_SEPARATOR = ", "
"""How a list or tuple of ids is written into one cell."""

# Characters that make a spreadsheet treat typed text as a formula (CSV/formula injection).

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")  # light blue: optional column
_REQUIRED_FILL = PatternFill("solid", fgColor="9BC2E6")  # darker blue: required column
_TITLE_FONT = Font(bold=True, size=14)
_SECTION_FONT = Font(bold=True, size=12)
_WRAP = Alignment(wrap_text=True, vertical="top")

# Width (in characters) a column of each kind gets at least; long headers or values widen it.
_KIND_WIDTH: dict[str, int] = {
    "id": 12,
    "text": 30,
    "date": 12,
    "int": 10,
    "number": 10,
    "country": 12,
    "enum": 16,
    "ids": 20,
    "url": 40,
    "emails": 36,
    "lat": 10,
    "lon": 10,
}
_MAX_WIDTH = 60
_WIDTH_SAMPLE_ROWS = 200  # rows looked at when sizing a column to its content

# One example value per kind, used in the README when a column has no specific example below.
_KIND_EXAMPLE: dict[str, str] = {
    "id": "X01",
    "text": "Some text",
    "date": "2025-03-14",
    "int": "25",
    "number": "1",
    "country": "RS",
    "ids": "P01, P02",
    "url": "https://example.org/evidence.pdf",
    "emails": "office@example.org; pm@example.org",
    "lat": "45.2671",
    "lon": "19.8335",
}

# Column-specific examples for the README (illustrative content, not part of the contract).
# Keys are checked against the contract at import, so a renamed column cannot leave a stale entry.
INDICATOR_EXAMPLE = "(a code from indicators.yaml)"  # the README's example of an indicator column
_EXAMPLES: dict[str, dict[str, str]] = {
    "partners": {
        "partner_id": "P01",
        "name": "Petrovaradin Digital Bridge Hub",
        "country": "RS",
        "role": "PP",
        "city": "Novi Sad",
        "location_id": "L02",
        "org_type": "innovation agency",
        "lat": "45.2671",
        "lon": "19.8335",
        "email": "office@example.org; pm@example.org",
    },
    "locations": {
        "location_id": "L02",
        "name": "Novi Sad",
        "country": "Serbia",
        "lat": "45.2671",
        "lon": "19.8335",
        "hub": "developing",
    },
    "activities": {
        "activity_id": "A001",
        "date": "2025-03-14",
        "type": "study visit",
        "title": "Study visit to the Brno digital innovation hub",
        "partner_ids": "P01, P05, P12",
        "location_id": "L08",
        "participants": "18",
        "cluster": "Industry 4.0",
        "evidence_url": "https://example.org/evidence/A001",
    },
    "action_plans": {
        "lap_id": "LAP02",
        "location_id": "L02",
        "title": "Local Action Plan Novi Sad",
        "lead_partner_id": "P02",
        "stakeholders_identified": "2024-04-10",
        "ldg_activated": "2024-06-05",
        "ldg_members": "14",
        "mou_signed": "2024-10-21",
        "workshops_held": "2025-03-14",
        "lap_drafted": "2025-06-30",
        "lap_adopted": "2025-11-12",
        "taken_up": "2026-02-01",
        "document_url": "https://example.org/lap/LAP02.pdf",
    },
    "pilots": {
        "pilot_id": "PIL02",
        "title": "Shared data space for agri-food SMEs",
        "cluster": "Cross-sector",
        "location_id": "L02",
        "lead_partner_id": "P02",
        "partner_ids": "P05, P12",
        "stage": "implementation",
        "start": "2025-02-01",
        "end": "2025-12-15",
        "validated_on": "2026-03-10",
        "validation_url": "https://example.org/validation/PIL02.pdf",
        "solution": "Open-source data-sharing toolkit",
        "replicated_in": "L05, L06",
    },
    "indicator_values": {
        "indicator": INDICATOR_EXAMPLE,
        "date": "2026-03-18",
        "value": "2",
        "partner_id": "P07",
        "location_id": "L04",
        "evidence_url": "https://example.org/evidence/uptake-1.pdf",
        "comment": "Solution taken up by two municipalities",
        "output": "3.1",
    },
    "milestones": {
        "indicator": INDICATOR_EXAMPLE,
        "period": "3",
        "planned": "21",
    },
    "reported": {
        "period": "1",
        "code": "1.1",
        "value": "9",
        "submitted_on": "2024-07-20",
        "comment": "Submitted with the P1 report",
    },
}


def _check_examples() -> None:
    """Fail loudly at import if an example names a tab or column the contract does not have."""
    for tab_name, examples in _EXAMPLES.items():
        if tab_name not in TABS:
            raise RuntimeError(f"template example for unknown tab {tab_name!r}")
        unknown = set(examples) - set(TABS[tab_name].column_names)
        if unknown:
            raise RuntimeError(f"template examples for unknown columns of {tab_name!r}: {sorted(unknown)}")


_check_examples()


def example_value(tab: Tab, column: Column) -> str:
    """The example shown in the README for ``column`` of ``tab``; for an enumerated column, one of the project's
    values (SpinIT's example "implementation" is not a stage of a project whose pilots' lifecycle differs)."""
    specific = _EXAMPLES.get(tab.name, {}).get(column.name)
    fits = not column.choices or (specific or "").casefold() in {c.casefold() for c in column.choices}
    if specific is not None and fits:
        return specific
    if column.choices:
        return column.choices[0]
    return _KIND_EXAMPLE.get(column.kind, "")


def _is_missing(value: Any) -> bool:
    """True for values that leave a cell empty: None, "", NaN, NaT."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(value != value)  # NaN and NaT are the only values not equal to themselves
    except (TypeError, ValueError):
        return False


def _set_text(cell: Cell, text: str) -> None:
    """Store ``text`` in ``cell`` as a string, never as a formula."""
    text = xlsx_text(text)
    cell.value = text
    if is_formula_like(text):
        # openpyxl turns text starting with "=" into a formula; force it back to a plain string.
        cell.data_type = "s"


def _set_value(cell: Cell, value: Any) -> None:
    """Write one Python value into ``cell`` following the workbook's conventions.

    * ``None``, ``""``, NaN and NaT leave the cell empty;
    * dates and datetimes become real dates formatted ``yyyy-mm-dd`` (a time of day, if any, is kept
      and shown as ``yyyy-mm-dd hh:mm``);
    * lists, tuples and sets of ids are joined with ``", "`` (sets sorted, so output is stable);
    * bools, ints, floats and Decimals are written as numbers (non-finite floats leave the cell empty);
    * anything else is written as text, never as a formula.
    """
    if _is_missing(value):
        return
    if isinstance(value, dt.datetime):
        naive = value.replace(tzinfo=None)
        if naive.time() == dt.time(0, 0):
            cell.value = naive.date()
            cell.number_format = DATE_FORMAT
        else:
            cell.value = naive
            cell.number_format = DATE_FORMAT + " hh:mm"
        return
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, (list, tuple)):
        _set_text(cell, ID_SEPARATOR.join(str(v).strip() for v in value if not _is_missing(v)))
        return
    if isinstance(value, bool):
        cell.value = value
        return
    if isinstance(value, (int, Decimal)):
        cell.value = value
        return
    if isinstance(value, float):
        if math.isfinite(value):
            cell.value = value
        return
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        _set_value(cell, value.item())
        return
    _set_text(cell, str(value))


def _display_width(value: Any) -> int:
    """Approximate number of characters a value takes when shown."""
    if _is_missing(value):
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(ID_SEPARATOR.join(str(v) for v in value))
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_readme(ws: Worksheet, contract: dict[str, Tab]) -> None:
    """Fill the README tab: how the workbook works, then every tab and column of the contract."""
    ws.title = README_TAB
    intro = [
        "This workbook holds the monitoring data the dashboard reads. Each tab below has one row per "
        "record; the first row of each tab is its header. Keep the header names as they are (or remap "
        "them in indicators.yaml).",
        "Required columns must be filled on every row; the others may stay empty. Blank rows are "
        "ignored. You may add your own columns to the right and your own tabs: the dashboard ignores them.",
        "Dates: 2025-03-14 (14.03.2025 and 14/03/2025 are also read, day first). Numbers: 1.5 or 1,5. "
        "Several ids in one cell: separate them with , or ; (e.g. P01, P05).",
        "Countries: ISO code (RS), English name (Serbia) or local name (Srbija). "
        "Columns with a fixed list of values have a drop-down; choose from it.",
        "A header in dark blue is required, light blue is optional; hover over a header to see what it holds.",
        "Problems are reported by the dashboard with the tab and cell (e.g. activities!E12), "
        "and everything that is right is still shown.",
    ]
    row = 1
    title = ws.cell(row=row, column=1)
    _set_text(title, "Monitoring workbook: how to fill it in")
    title.font = _TITLE_FONT
    row += 2
    for line in intro:
        cell = ws.cell(row=row, column=1)
        _set_text(cell, line)
        row += 1
    row += 1
    headers = ("column", "required", "what it holds", "allowed values", "example")
    for tab in contract.values():
        section = ws.cell(row=row, column=1)
        optional = " (optional tab)" if tab.optional else ""
        _set_text(section, f"Tab {tab.name}{optional}: one row per {tab.one_row_per}")
        section.font = _SECTION_FONT
        row += 1
        for col_idx, header in enumerate(headers, start=1):
            cell = ws.cell(row=row, column=col_idx)
            _set_text(cell, header)
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
        row += 1
        for column in tab.columns:
            values = (
                column.name,
                "yes" if column.required else "no",
                column.help,
                ", ".join(column.choices) + (", or another (kept, with a warning)" if column.open else ""),
                example_value(tab, column),
            )
            for col_idx, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col_idx)
                _set_value(cell, value)
                cell.alignment = _WRAP
            row += 1
        row += 1
    for col_idx, width in enumerate((24, 10, 60, 40, 36), start=1):
        ws.column_dimensions[get_column_letter(col_idx)].width = width


def _write_tab(ws: Worksheet, tab: Tab, rows: Sequence[Mapping[str, Any]]) -> None:
    """Fill one contract tab: styled header, drop-downs, rows, column widths."""
    names = tab.column_names
    known = set(names)
    for index, row in enumerate(rows, start=1):
        unknown = [key for key in row if key not in known]
        if unknown:
            raise ValueError(f"row {index} of tab {tab.name!r} has columns not in the contract: {unknown}")

    for col_idx, column in enumerate(tab.columns, start=1):
        cell = ws.cell(row=1, column=col_idx)
        _set_text(cell, column.name)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        note = ("Required. " if column.required else "Optional. ") + column.help
        if column.choices:
            note += (" Usual values: " if column.open else " Allowed: ") + ", ".join(column.choices) + "."
        cell.comment = Comment(note, "template")
    ws.freeze_panes = "A2"

    for col_idx, column in enumerate(tab.columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(col_idx)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices) + '"',
            allow_blank=not column.required,
            showDropDown=False,  # (sic) False means the in-cell arrow IS shown
            showErrorMessage=True,
            errorStyle="warning" if column.open else "stop",  # an open list lets another value in, after asking
            errorTitle=f"{column.name}: value not in the list",
            error=("Not one of: " if column.open else "Choose one of: ") + ", ".join(column.choices),
        )
        validation.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
        ws.add_data_validation(validation)

    for row_idx, row in enumerate(rows, start=2):
        for col_idx, name in enumerate(names, start=1):
            if name in row:
                _set_value(ws.cell(row=row_idx, column=col_idx), row[name])

    for col_idx, column in enumerate(tab.columns, start=1):
        content = max((_display_width(r.get(column.name)) for r in rows[:_WIDTH_SAMPLE_ROWS]), default=0)
        width = max(len(column.name) + 4, _KIND_WIDTH.get(column.kind, 12), content + 2)
        ws.column_dimensions[get_column_letter(col_idx)].width = min(width, _MAX_WIDTH)


def write_workbook(
    path: str | os.PathLike[str] | BinaryIO,
    rows: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
    contract: dict[str, Tab] | None = None,
) -> None:
    """Write a contract workbook to ``path`` (.xlsx, a file name or a binary file), optionally filled with ``rows``.

    ``contract`` is the project's (``Settings.contract``: its tabs, and its vocabularies as drop-downs);
    the default contract when not given.

    ``rows`` maps a contract tab name to its rows; each row maps contract column names to values
    (missing keys leave the cell empty). Tabs not given are written with their header only.
    Raises ``ValueError`` for a tab or column name that is not in the contract, so a typo in a
    generator cannot silently drop data.
    """
    given = dict(rows or {})
    contract = contract or TABS
    unknown_tabs = [name for name in given if name not in contract]
    if unknown_tabs:
        raise ValueError(f"tabs not in the contract: {unknown_tabs}")

    wb = Workbook()
    _write_readme(wb.active, contract)
    for tab in contract.values():
        ws = wb.create_sheet(tab.name)
        _write_tab(ws, tab, list(given.get(tab.name, ())))
    wb.save(path if hasattr(path, "write") else os.fspath(path))


def template_bytes(contract: dict[str, Tab] | None = None) -> bytes:
    """The empty template as the bytes of an .xlsx file."""
    out = io.BytesIO()
    write_workbook(out, contract=contract)
    return out.getvalue()


def write_template(path: str | os.PathLike[str], contract: dict[str, Tab] | None = None) -> None:
    """Write the empty template: README plus every contract tab with its header and drop-downs."""
    write_workbook(path, contract=contract)
