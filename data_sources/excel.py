"""Read an .xlsx (or .xlsm/.xls/.ods) workbook with python-calamine: fast, and cell positions kept.

python-calamine turns a cell holding a formula error (#REF!, #N/A...) into an empty cell. An
.xlsx file keeps those errors in its sheet XML (`<c r="B5" t="e"><v>#REF!</v></c>`), so they are
read back from there and handed over as the text "#REF!": a broken formula is then reported, not
silently taken for an empty cell.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from data_sources.base import RawTab, RawWorkbook, SourceError

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*\bt=\"e\"[^>]*)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_CELL_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def _attribute(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb"\s" + name + rb"=\"([^\"]*)\"", tag)
    return html.unescape(match[1].decode("utf-8")) if match else None


def _sheet_files(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    targets = {}
    for tag in _RELATION_TAG.findall(book.read("xl/_rels/workbook.xml.rels")):
        rel_id, target = _attribute(tag, b"Id"), _attribute(tag, b"Target")
        if rel_id and target:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            targets[rel_id] = path
    files = {}
    for tag in _SHEET_TAG.findall(book.read("xl/workbook.xml")):
        name, rel_id = _attribute(tag, b"name"), _attribute(tag, rb"\w+:id")
        if name and rel_id in targets:
            files[name] = targets[rel_id]
    return files


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def formula_errors(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, the cells (0-based row, column) that hold a formula error, and the error ("#REF!")."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(path) as book:
        for name, member in _sheet_files(book).items():
            xml = book.read(member)
            if b't="e"' not in xml:
                continue
            for attributes, inner in _ERROR_CELL.findall(xml):
                ref, value = _CELL_REF.search(attributes), _VALUE.search(inner)
                if ref and value:
                    position = (int(ref[2]) - 1, _column_index(ref[1]))
                    found.setdefault(name, {})[position] = html.unescape(value[1].decode("utf-8"))
    return found


def _with_errors(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> list[list[Any]]:
    for (r, c), code in errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = code
    return rows


@dataclass(frozen=True)
class ExcelSource:
    path: Path

    def read(self) -> RawWorkbook:
        name = self.path.name
        if not self.path.is_file():
            raise SourceError(f"The workbook {name} was not found at {self.path}.")
        if self.path.stat().st_size == 0:
            raise SourceError(f"{name} is an empty file (0 bytes): save the workbook again as .xlsx.")
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
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                errors = formula_errors(self.path)
            except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError):
                errors = {}  # calamine read it, so the cell values stand; only the error texts are lost
            for sheet_name, cells in errors.items():
                if sheet_name in tabs:
                    _with_errors(tabs[sheet_name].rows, cells)
        return RawWorkbook(tabs=tabs, origin=name, kind="excel")
