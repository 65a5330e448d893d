"""Read a folder of CSV files, one per tab: `activities.csv` is the tab `activities`.

Accepted as spreadsheets save them: UTF-8 with or without a byte-order mark, UTF-16 with one
("Unicode text"), comma, semicolon or tab separators, and quoted cells that span lines. A tab whose
file is missing is reported by the cleaner, which knows which tabs the dashboard needs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from data_sources.base import RawTab, RawWorkbook, SourceError


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


def read_csv_rows(file: Path) -> list[list[str]]:
    """The rows of one CSV file, each a list of cell texts."""
    text = _decode(file)
    if "\x00" in text:
        raise SourceError(f"{file.name} is not a text file: save the tab as 'CSV UTF-8'.")
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), _sniff_dialect(text[:4096]))]
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
        tabs = {
            file.stem: RawTab(file.stem, read_csv_rows(file), origin=f"{self.folder.name}/{file.name}")
            for file in files
        }
        return RawWorkbook(tabs=tabs, origin=self.folder.name, kind="csv")
