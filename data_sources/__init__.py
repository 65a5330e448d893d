"""Data sources: read a workbook's raw tabs. `source_for` picks the reader for a location.

A location is a path (an .xlsx file, a CSV file or a folder of them) or a Google Sheet (its URL or
its key). `locate` adds the names a source is known by (store key, label, link) and `read_all`
reads one or several sources with their last good copies (`data_sources.store`).
"""

from __future__ import annotations

from pathlib import Path

from data_sources.base import (
    CredentialsError,
    DataSource,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    NotSharedError,
    RateLimitedError,
    RawTab,
    RawWorkbook,
    ReadFailure,
    ServerError,
    SourceError,
    SourceTimeoutError,
)
from data_sources.combine import Located, combine, read_all
from data_sources.csv_folder import CsvFolderSource
from data_sources.excel import ExcelSource
from data_sources.google_sheets import GoogleAccess, GoogleSheetsSource, SheetsClient, spreadsheet_id, spreadsheet_link
from data_sources.store import ReadStore, StoredRead, open_store

__all__ = [
    "CredentialsError",
    "CsvFolderSource",
    "DataSource",
    "ExcelSource",
    "GoogleAccess",
    "GoogleSheetsSource",
    "Located",
    "MalformedResponseError",
    "NetworkError",
    "NotFoundError",
    "NotSharedError",
    "RateLimitedError",
    "RawTab",
    "RawWorkbook",
    "ReadFailure",
    "ReadStore",
    "ServerError",
    "SheetsClient",
    "SourceError",
    "SourceTimeoutError",
    "StoredRead",
    "combine",
    "google_key",
    "locate",
    "open_store",
    "read_all",
    "source_for",
]


def google_key(location: str | Path) -> str | None:
    """The spreadsheet key when `location` is a Google Sheets URL or key (and not an existing path), else None."""
    if not isinstance(location, str) or Path(location).exists():
        return None
    return spreadsheet_id(location)


def source_for(location: str | Path, client: SheetsClient | None = None) -> DataSource:
    """The reader for a Google Sheet (URL or key), an .xlsx file, or a folder of CSV files.

    `client` reads Google Sheets; without one, credentials come from the environment.
    """
    if key := google_key(location):
        return GoogleSheetsSource(key, client)
    path = Path(location)
    if path.is_dir():
        return CsvFolderSource(path)
    if path.suffix.lower() == ".csv":
        return CsvFolderSource(path.parent)
    return ExcelSource(path)


def locate(location: str | Path, client: SheetsClient | None = None) -> Located:
    """The source for `location` with its store key, the label users know it by, and its link.

    Google Sheets keep their last good copies; local files are their own copy.
    """
    if key := google_key(location):
        return Located(
            f"google:{key}", f"the Google Sheet {key}", GoogleSheetsSource(key, client), spreadsheet_link(key)
        )
    path = Path(location).resolve()
    return Located(f"file:{path}", path.name, source_for(path), keep_copies=False)
