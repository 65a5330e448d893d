"""How numbers, cells and sheet text are written for people and spreadsheets: one definition of each.

- `number`: 12 -> "12", 12.5 -> "12.5", 1234 -> "1,234" (every page, tile, chart, export and message);
- `FORMULA_PREFIXES` / `is_formula_like` / `neutralise`: text a spreadsheet would run as a formula (it starts
  with = + - or @, after any leading tabs and carriage returns, and is not a plain number) and the apostrophe
  that makes it inert; the exact rule is in docs/reporting.md ("Text that looks like a formula");
- `xlsx_text` / `xlsx_value`: text an .xlsx file can hold: every control character XML forbids (BEL, VT,
  FF, ESC... which calamine decodes from `_x0007_`, and text pasted from PDFs brings) becomes U+FFFD "�",
  visibly; every .xlsx the app writes passes its text through it;
- `name_some`: a list in a message, the first few and how many ("a, b, c, … (100,000 in all)");
- `column_letter` / `cell_ref`: A1 references, with openpyxl's own column letters;
- `plural`: "1 item", "3 items" — a count with its noun written out, never "item(s)";
- `with_id`: "Sava Business Acceleration Network (P07)" — a name with its id beside it, never an id alone;
- `blank`: a cell with nothing in it shown empty, never "None", "nan" or "NaT".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

MISSING = "–"  # a value that is not there (no milestone, no target), shown as a dash
FORMULA_PREFIXES = ("=", "+", "-", "@")  # what a spreadsheet reads as the start of a formula
_LEADING_CONTROLS = "\t\r"  # OWASP: some spreadsheets drop these before reading the rest as a formula
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")  # "-5", "+3.5", "-1e3": read as a number
REPLACEMENT = "\ufffd"  # shown instead of a character an .xlsx cannot hold


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


def name_some(values: Sequence[str], shown: int = 8) -> str:
    """`values` joined with commas; a long list as its first `shown` values and the count, so a message about
    a 100 000-value vocabulary stays one short line."""
    if len(values) <= shown:
        return ", ".join(values)
    return ", ".join(values[:shown]) + f", … ({len(values):,} in all)"


def xlsx_text(text: str) -> str:
    """`text` with each control character an .xlsx cannot hold (all below U+0020 but tab, LF and CR) as U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, text)


def xlsx_value(value: object) -> object:
    """A cell value as an .xlsx can hold it: text through `xlsx_text`, anything else as it is."""
    return xlsx_text(value) if isinstance(value, str) else value


def column_letter(index: int) -> str:
    """0-based column index -> its letters: 0 -> A, 25 -> Z, 26 -> AA."""
    return get_column_letter(index + 1)


def cell_ref(row: int, column: int) -> str:
    """1-based sheet row and 0-based column index -> an A1 reference: (7, 1) -> 'B7'."""
    return f"{column_letter(column)}{row}"


def plural(count: int, singular: str, plural_form: str = "") -> str:
    """'1 item', '3 items', '2 entries' (with `plural_form`): the count and its noun, written out."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number(count)} {word}"


def blank(value: object) -> object:
    """`value`, or "" when it is empty (None, NaN, NaT, pandas' NA): shown as an empty cell."""
    try:
        empty = value is None or bool(value != value)  # NaN, NaT and NA are not equal to themselves
    except (TypeError, ValueError):  # NA's comparison cannot be a bool
        empty = True
    return "" if empty else value


def with_id(name: object, ident: object) -> str:
    """'Sava Business Acceleration Network (P07)'; the id alone when it has no name; '' without an id."""
    ident, name = blank(ident), blank(name)
    if ident == "":
        return ""
    return f"{name} ({ident})" if name != "" and str(name) != str(ident) else str(ident)
