"""What every data source hands over: raw tabs as rows of cell values, and where they came from.

A source knows nothing of indicators or of the contract: it reads cells, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol


class SourceError(Exception):
    """The source cannot be read at all. The message says what and how to fix it, without secrets."""


@dataclass(frozen=True)
class RawTab:
    """One tab as read: `rows[0]` is the sheet's row 1, `rows[r][c]` the cell at row r+1, column c+1.

    Cell values are str, int, float, bool, datetime.date/datetime or "" / None for an empty cell.
    """

    name: str
    rows: list[list[Any]]
    origin: str  # the file or spreadsheet it came from, as shown to users
    link: str = ""  # a URL that opens this tab, where the source has one (Google Sheets)


@dataclass(frozen=True)
class RawWorkbook:
    tabs: dict[str, RawTab]  # keyed by the tab's name as written in the workbook
    origin: str
    kind: str  # "excel", "csv", "google_sheets"
    read_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class DataSource(Protocol):
    """Anything that reads a workbook's tabs."""

    def read(self) -> RawWorkbook: ...
