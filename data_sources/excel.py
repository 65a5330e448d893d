"""Read an .xlsx (or .xlsm/.xls/.ods) workbook with python-calamine: fast, and cell positions kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import python_calamine

from data_sources.base import RawTab, RawWorkbook, SourceError


@dataclass(frozen=True)
class ExcelSource:
    path: Path

    def read(self) -> RawWorkbook:
        name = self.path.name
        if not self.path.is_file():
            raise SourceError(f"The workbook {name} was not found at {self.path}.")
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(self.path))
        except python_calamine.PasswordError:
            raise SourceError(f"{name} is password-protected: save a copy without a password.") from None
        except Exception:  # calamine raises several unrelated types for files that are not workbooks
            raise SourceError(
                f"{name} is not a readable Excel workbook (.xlsx): open it and save it as .xlsx."
            ) from None
        tabs = {}
        try:
            for sheet_name in workbook.sheet_names:
                rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
                tabs[sheet_name] = RawTab(sheet_name, rows, origin=name)
        except Exception:
            raise SourceError(
                f"{name} could not be read completely: it may be damaged; save it again as .xlsx."
            ) from None
        finally:
            workbook.close()
        return RawWorkbook(tabs=tabs, origin=name, kind="excel")
