"""Data sources: read a workbook's raw tabs. `source_for` picks the reader for a path."""

from __future__ import annotations

from pathlib import Path

from data_sources.base import DataSource, RawTab, RawWorkbook, SourceError
from data_sources.csv_folder import CsvFolderSource
from data_sources.excel import ExcelSource

__all__ = ["CsvFolderSource", "DataSource", "ExcelSource", "RawTab", "RawWorkbook", "SourceError", "source_for"]


def source_for(location: str | Path) -> DataSource:
    """The reader for an .xlsx file or a folder of CSV files."""
    path = Path(location)
    if path.is_dir():
        return CsvFolderSource(path)
    if path.suffix.lower() == ".csv":
        return CsvFolderSource(path.parent)
    return ExcelSource(path)
