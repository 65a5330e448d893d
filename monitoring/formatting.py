"""How numbers, cells and sheet text are written for people and spreadsheets: one definition of each.

- `number`: 12 -> "12", 12.5 -> "12.5", 1234 -> "1,234" (every page, tile, chart, export and message);
- `FORMULA_PREFIXES` / `is_formula_like` / `neutralise`: text a spreadsheet would run as a formula (it starts
  with = + - or @, after any leading tabs and carriage returns, and is not a plain number) and the apostrophe
  that makes it inert; the exact rule is in docs/reporting.md ("Text that looks like a formula");
- `column_letter` / `cell_ref`: A1 references, with openpyxl's own column letters.
"""

from __future__ import annotations

import math
import re

from openpyxl.utils import get_column_letter

MISSING = "–"  # a value that is not there (no milestone, no target), shown as a dash
FORMULA_PREFIXES = ("=", "+", "-", "@")  # what a spreadsheet reads as the start of a formula
_LEADING_CONTROLS = "\t\r"  # OWASP: some spreadsheets drop these before reading the rest as a formula
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")  # "-5", "+3.5", "-1e3": read as a number


def number(value: float | None) -> str:
    """12 -> '12', 12.5 -> '12.5', 1234 -> '1,234'; None or NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def is_formula_like(value: object) -> bool:
    """True for text that a spreadsheet would run as a formula when opened: it starts with = + - or @ (after any
    leading tabs and carriage returns), unless it is a plain number such as "-5" (read as the number it is).
    Everything else, "- " bullets included, starts a formula in Excel, so it is caught."""
    if not isinstance(value, str):
        return False
    text = value.lstrip(_LEADING_CONTROLS)
    return text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    return "'" + text if is_formula_like(text) else text


def column_letter(index: int) -> str:
    """0-based column index -> its letters: 0 -> A, 25 -> Z, 26 -> AA."""
    return get_column_letter(index + 1)


def cell_ref(row: int, column: int) -> str:
    """1-based sheet row and 0-based column index -> an A1 reference: (7, 1) -> 'B7'."""
    return f"{column_letter(column)}{row}"
