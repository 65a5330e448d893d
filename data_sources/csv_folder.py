"""Read a folder of CSV files, one per tab: `activities.csv` is the tab `activities`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from data_sources.base import RawTab, RawWorkbook, SourceError


def _sniff_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


@dataclass(frozen=True)
class CsvFolderSource:
    folder: Path

    def read(self) -> RawWorkbook:
        if not self.folder.is_dir():
            raise SourceError(f"The folder {self.folder} was not found.")
        files = sorted(self.folder.glob("*.csv"))
        if not files:
            raise SourceError(f"The folder {self.folder.name} has no .csv files (one per tab, e.g. partners.csv).")
        tabs = {}
        for file in files:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise SourceError(f"{file.name} is not UTF-8 text: save it as 'CSV UTF-8'.") from None
            except OSError as exc:
                raise SourceError(f"{file.name} cannot be read ({exc.strerror}).") from None
            rows = [list(r) for r in csv.reader(text.splitlines(), _sniff_dialect(text[:4096]))]
            tabs[file.stem] = RawTab(file.stem, rows, origin=f"{self.folder.name}/{file.name}")
        return RawWorkbook(tabs=tabs, origin=self.folder.name, kind="csv")
