"""Read an .xlsx (or .xlsm/.xls/.ods) workbook with python-calamine: fast, and cell positions kept.

python-calamine turns a cell holding a formula error (#REF!, #N/A...) into an empty cell. An
.xlsx file keeps those errors in its sheet XML (`<c r="B5" t="e"><v>#REF!</v></c>`), so they are
read back from there and handed over as the text "#REF!": a broken formula is then reported, not
silently taken for an empty cell.

Limits, so that one workbook cannot exhaust the server. python-calamine holds a tab as the whole
rectangle from A1 to its farthest value: one value in XFD1048576 of a 42 KB file asks for 512 GiB and
aborts the process. So, before calamine sees an .xlsx, its XML is checked in one streaming pass:

- `MAX_XML_BYTES`: the workbook's XML, uncompressed, is at most 200 MB (the zip's own sizes are looked
  at before anything is decompressed; a real monitoring workbook has a few MB, a zip bomb has GBs);
- `MAX_ROWS` × `MAX_COLUMNS`: a tab's values lie within A1:CV200000 (200 000 rows, 100 columns; the
  monitoring tabs have at most 13 columns and thousands of rows; 100 000 rows are tested), and
  `MAX_CELLS`: the rectangle from A1 to a tab's farthest value has at most 5 million cells (calamine
  holds it whole, 32 bytes a cell: 160 MB). A value beyond is refused, naming the tab and the cell;
  an *empty* cell beyond (only formatted, or left over from a deleted value) is ignored, as calamine
  ignores it too.

The same pass collects the formula errors. Formats that are not XML (.xls, .xlsb) are checked after
calamine opens a tab (so they are bounded only by their format: an .xls tab has at most 65 536 × 256
cells, about 540 MB in calamine).
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import python_calamine

from data_sources.base import RawTab, RawWorkbook, SourceError

MAX_ROWS = 200_000
MAX_COLUMNS = 100  # A..CV
MAX_CELLS = 5_000_000  # of the rectangle from A1 to a tab's farthest value: about 160 MB in calamine
MAX_XML_BYTES = 200 * 2**20
_CHUNK = 2**20
_READ_PARTS = (".xml", ".rels", ".bin", ".vml")  # what calamine may decompress (not images or embedded files)

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")


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


def column_letters(index: int) -> str:
    """0-based column index -> its letters (0 -> A, 16383 -> XFD)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    return f"{column_letters(column)}{row + 1}"


LAST_CELL = cell_name(MAX_ROWS - 1, MAX_COLUMNS - 1)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _too_far(origin: str, tab: str, row: int, column: int, extent: tuple[int, int] | None = None) -> SourceError:
    """A value in (row, column) is beyond the limits; `extent` (last row, last column) when the area is the problem."""
    cell = cell_name(row, column)
    if extent is None:
        why = f"outside A1:{LAST_CELL} ({MAX_ROWS:,} rows, {MAX_COLUMNS} columns), the most the dashboard reads"
    else:
        cells = (extent[0] + 1) * (extent[1] + 1)
        why = (
            f"which makes the tab span A1:{cell_name(*extent)}, {cells:,} cells, more than the {MAX_CELLS:,} "
            "the dashboard reads"
        )
    return SourceError(
        f"{origin}: the tab '{tab}' has a value in cell {cell}, {why}. Clear that cell (and anything else "
        "right of the last column or below the last row of the data) and save the workbook again.",
        summary=f"the tab '{tab}' has a value in {cell}, too far from A1",
    )


def _too_big(origin: str, book: zipfile.ZipFile, total: int) -> SourceError:
    biggest = max((i for i in book.infolist() if i.filename.endswith(_READ_PARTS)), key=lambda i: i.file_size)
    tabs = {member: tab for tab, member in _safe_sheet_files(book).items()}
    part = f"the tab '{tabs[biggest.filename]}'" if biggest.filename in tabs else biggest.filename
    return SourceError(
        f"{origin} is too large to read: its content is {total / 2**20:,.0f} MB uncompressed (at most "
        f"{MAX_XML_BYTES // 2**20} MB is read), most of it in {part} ({biggest.file_size / 2**20:,.0f} MB "
        f"uncompressed, {biggest.compress_size / 2**20:,.1f} MB in the file). Open the workbook, delete the "
        "empty rows and columns after the data, and save it again.",
        summary=f"{origin} is {total / 2**20:,.0f} MB uncompressed, most of it in {part}",
    )


def _safe_sheet_files(book: zipfile.ZipFile) -> dict[str, str]:
    try:
        return _sheet_files(book)
    except (KeyError, UnicodeDecodeError, ValueError):
        return {}


class _SheetScan:
    """One streaming pass over a sheet's XML: refuses a value beyond the limits; keeps the formula errors."""

    def __init__(self, origin: str, tab: str) -> None:
        self.origin, self.tab = origin, tab
        self.row, self.column = -1, -1
        self.last_row, self.last_column = 0, 0
        self.cell: tuple[int, int] | None = None
        self.has_value = self.is_error = self.in_value = False
        self.text: list[str] = []
        self.errors: dict[tuple[int, int], str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            number = attrs.get("r", "")
            self.row = int(number) - 1 if number.isdigit() else self.row + 1
            self.column = -1
        elif local == "c":
            match = _REF.fullmatch(attrs.get("r", ""))
            if match:
                self.row, self.column = int(match[2]) - 1, _column_index(match[1].encode())
            else:
                self.column += 1
            self.cell = (self.row, self.column)
            self.has_value, self.is_error, self.text = False, attrs.get("t") == "e", []
        elif self.cell is not None and local in ("v", "is", "f"):
            self.has_value = True
            self.in_value = local == "v"

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "v":
            self.in_value = False
        elif local == "c" and self.cell is not None:
            row, column = self.cell
            if self.has_value:
                if row >= MAX_ROWS or column >= MAX_COLUMNS or row < 0 or column < 0:
                    raise _too_far(self.origin, self.tab, row, column)
                self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)
                if (self.last_row + 1) * (self.last_column + 1) > MAX_CELLS:
                    raise _too_far(self.origin, self.tab, row, column, (self.last_row, self.last_column))
            if self.is_error and self.text:
                self.errors[self.cell] = "".join(self.text)
            self.cell = None

    def characters(self, data: str) -> None:
        if self.in_value and self.is_error:
            self.text.append(data)

    @staticmethod
    def no_doctype(*_: object) -> None:
        raise ValueError("a sheet's XML has a DOCTYPE")

    def scan(self, stream: Any) -> dict[tuple[int, int], str]:
        parser = expat.ParserCreate()
        parser.StartElementHandler, parser.EndElementHandler = self.start, self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.no_doctype
        read = 0
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > MAX_XML_BYTES:  # the zip said less than it holds
                raise SourceError(f"{self.origin}: the tab '{self.tab}' holds more than {MAX_XML_BYTES // 2**20} MB.")
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return self.errors


def check_workbook(path: Path, origin: str = "") -> dict[str, dict[tuple[int, int], str]]:
    """Refuse a zipped workbook too large to read safely (SourceError naming the tab and why) before any
    reader decompresses it; for an .xlsx, return its formula errors, per tab: (0-based row, column) -> "#REF!".

    A file that is not a zip (.xls) is left to calamine.
    """
    origin = origin or path.name
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}
    with book:
        total = sum(i.file_size for i in book.infolist() if i.filename.endswith(_READ_PARTS))
        if total > MAX_XML_BYTES:
            raise _too_big(origin, book, total)
        found: dict[str, dict[tuple[int, int], str]] = {}
        for tab, member in _safe_sheet_files(book).items():
            if member not in book.NameToInfo:
                continue  # calamine reports a missing sheet
            try:
                with book.open(member) as stream:
                    errors = _SheetScan(origin, tab).scan(stream)
            except (expat.ExpatError, ValueError, zipfile.BadZipFile, EOFError, OSError, RuntimeError):
                raise SourceError(
                    f"{origin}: the tab '{tab}' could not be read: the workbook may be damaged; save it again as .xlsx."
                ) from None
            if errors:
                found[tab] = errors
        return found


def formula_errors(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, the cells (0-based row, column) that hold a formula error, and the error ("#REF!")."""
    return check_workbook(path)


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
        errors = check_workbook(self.path, name)  # before calamine: it would hold a too-large tab whole
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
                sheet = workbook.get_sheet_by_name(sheet_name)
                last_row, last_column = sheet.end or (0, 0)  # .xls/.ods are not checked beforehand
                if last_row >= MAX_ROWS or last_column >= MAX_COLUMNS:
                    raise _too_far(name, sheet_name, last_row, last_column)
                if (last_row + 1) * (last_column + 1) > MAX_CELLS:
                    raise _too_far(name, sheet_name, last_row, last_column, (last_row, last_column))
                rows = sheet.to_python(skip_empty_area=False)
                tabs[sheet_name] = RawTab(sheet_name, rows, origin=name)
        except SourceError:
            raise
        except Exception:
            raise SourceError(
                f"{name} could not be read completely: it may be damaged; save it again as .xlsx."
            ) from None
        finally:
            workbook.close()
        for sheet_name, cells in errors.items():
            if sheet_name in tabs:
                _with_errors(tabs[sheet_name].rows, cells)
        return RawWorkbook(tabs=tabs, origin=name, kind="excel")
