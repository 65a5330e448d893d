"""Read a folder of CSV files, one per tab: `activities.csv` is the tab `activities`.

Accepted as spreadsheets save them: UTF-8 with or without a byte-order mark, UTF-16 with one
("Unicode text"), comma, semicolon or tab separators, and quoted cells that span lines. A tab whose
file is missing is reported by the cleaner, which knows which tabs the dashboard needs.

Limits, so that one folder cannot exhaust the server (a 200 MB CSV took 2.7 GB): a file has at most
`MAX_CSV_BYTES` (32 MB; the 100 000-row activities tab is 15 MB) and the folder's .csv files together at
most `MAX_FOLDER_BYTES` (64 MB), checked before anything is read; a file's values lie within the
workbook limits (`MAX_ROWS` rows, `MAX_COLUMNS` columns, `MAX_CELLS` cells, see `data_sources.excel`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from data_sources.base import RawTab, RawWorkbook, SourceError
from data_sources.excel import LAST_CELL, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, cell_name

MAX_CSV_BYTES = 32 * 2**20
MAX_FOLDER_BYTES = 64 * 2**20


def _sniff_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _decode(file: Path) -> str:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise SourceError(f"{file.name} cannot be read ({exc.strerror}).") from None
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{file.name} is not UTF-8 text: save it as 'CSV UTF-8'.") from None


def _too_large(file: Path, size: int, limit: int, what: str) -> SourceError:
    return SourceError(
        f"{file.name} is too large to read: {what} {size / 2**20:,.1f} MB, more than the {limit // 2**20} MB the "
        "dashboard reads. Delete the empty rows and columns after the data, or keep older records in another "
        "file outside the folder.",
        summary=f"{file.name} is larger than {limit // 2**20} MB",
    )


def _checked_size(file: Path) -> int:
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise SourceError(f"{file.name} cannot be read ({exc.strerror}).") from None
    if size > MAX_CSV_BYTES:
        raise _too_large(file, size, MAX_CSV_BYTES, "it has")
    return size


def _too_far(file: Path, row: int, column: int, why: str) -> SourceError:
    cell = cell_name(row, column)
    return SourceError(
        f"{file.name} has a value in cell {cell} (row {row + 1}, column {column + 1}), {why}. Delete it and "
        "anything else after the data, and save the file again.",
        summary=f"{file.name} has a value in {cell}, too far from A1",
    )


def _bounded(file: Path, reader: Iterator[list[str]]) -> list[list[str]]:
    """The rows, refusing a value outside A1:CV200000 or more cells than MAX_CELLS (naming the file and cell)."""
    rows: list[list[str]] = []
    cells = 0
    for row in reader:
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            column = next(c for c in range(len(row) - 1, MAX_COLUMNS - 1, -1) if row[c])
            raise _too_far(file, len(rows), column, f"outside A1:{LAST_CELL}, the most the dashboard reads")
        if len(rows) >= MAX_ROWS and any(row):
            raise _too_far(file, len(rows), 0, f"outside A1:{LAST_CELL}, the most the dashboard reads")
        cells += len(row)
        if cells > MAX_CELLS:
            raise _too_far(file, len(rows), len(row) - 1, f"beyond the {MAX_CELLS:,} cells the dashboard reads")
        rows.append(row)
    return rows


def read_csv_rows(file: Path) -> list[list[str]]:
    """The rows of one CSV file, each a list of cell texts."""
    _checked_size(file)
    text = _decode(file)
    if "\x00" in text:
        raise SourceError(f"{file.name} is not a text file: save the tab as 'CSV UTF-8'.")
    try:
        return _bounded(file, csv.reader(io.StringIO(text, newline=""), _sniff_dialect(text[:4096])))
    except csv.Error:
        raise SourceError(f"{file.name} is not a readable CSV file: save the tab as 'CSV UTF-8'.") from None


@dataclass(frozen=True)
class CsvFolderSource:
    folder: Path

    def read(self) -> RawWorkbook:
        if not self.folder.is_dir():
            raise SourceError(f"The folder {self.folder} was not found.")
        files = sorted(f for f in self.folder.iterdir() if f.suffix.lower() == ".csv" and f.is_file())
        if not files:
            raise SourceError(f"The folder {self.folder.name} has no .csv files (one per tab, e.g. partners.csv).")
        sizes = {file: _checked_size(file) for file in files}
        if sum(sizes.values()) > MAX_FOLDER_BYTES:
            largest = max(files, key=sizes.__getitem__)
            raise SourceError(
                f"The folder {self.folder.name} is too large to read: its .csv files have "
                f"{sum(sizes.values()) / 2**20:,.1f} MB together, more than the {MAX_FOLDER_BYTES // 2**20} MB the "
                f"dashboard reads; the largest is {largest.name} ({sizes[largest] / 2**20:,.1f} MB). Move the "
                "files that are not tabs of the workbook out of the folder.",
                summary=f"the folder {self.folder.name} has more than {MAX_FOLDER_BYTES // 2**20} MB of .csv files",
            )
        tabs = {
            file.stem: RawTab(file.stem, read_csv_rows(file), origin=f"{self.folder.name}/{file.name}")
            for file in files
        }
        return RawWorkbook(tabs=tabs, origin=self.folder.name, kind="csv")
