"""Read an .xlsx (or .xlsm/.xls/.ods) workbook with python-calamine: fast, and cell positions kept.

python-calamine turns a cell holding a formula error (#REF!, #N/A...) into an empty cell. An
.xlsx file keeps those errors in its sheet XML (`<c r="B5" t="e"><v>#REF!</v></c>`), so they are
read back from there and handed over as the text "#REF!": a broken formula is then reported, not
silently taken for an empty cell.

Limits, so that one workbook cannot exhaust the server. python-calamine holds a tab as the whole
rectangle from A1 to its farthest value, and each cell's text as its own copy: one value in XFD1048576 of
a 42 KB file asks for 512 GiB; one 20 MB shared string used by 2,000 cells becomes 40 GB; one .ods cell
repeated a million times (`table:number-rows-repeated`) becomes a million cells. So, before calamine sees
a workbook, its XML is checked in one streaming pass that counts what calamine will expand:

- `MAX_XML_BYTES`: the workbook's XML, uncompressed, is at most 200 MB (the zip's own sizes are looked
  at before anything is decompressed; a real monitoring workbook has a few MB, a zip bomb has GBs);
- `MAX_ROWS` × `MAX_COLUMNS`: a tab's values lie within A1:CV200000 (200 000 rows, 100 columns; the
  monitoring tabs have at most 13 columns and thousands of rows; 100 000 rows are tested), and
  `MAX_CELLS`: the rectangle from A1 to a tab's farthest value has at most 5 million cells (calamine
  holds it whole, 32 bytes a cell: 160 MB). A value beyond is refused, naming the tab and the cell;
  an *empty* cell beyond (only formatted, or left over from a deleted value) is ignored, as calamine
  ignores it too. In an .ods file a repeated cell or row counts as often as it is repeated.
- `MAX_TEXT_CHARS`: the text of all the workbook's cells, as calamine will hold it, is at most 32 million
  characters: a cell pointing at a shared string counts that string's length each time, a repeated .ods
  cell its text times its repetitions (the 100 000-row workbook holds about 13 million).

The same pass collects the formula errors of an .xlsx. Only the formats this pass can read are opened:
.xlsx, .xlsm and .ods. An .xls or .xlsb workbook (binary: its size cannot be checked before calamine
expands it whole) is refused with a message asking to save it as .xlsx.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from xml.parsers import expat

import python_calamine
from openpyxl.utils import get_column_letter

from data_sources.base import RawTab, RawWorkbook, SourceError

MAX_ROWS = 200_000
MAX_COLUMNS = 100  # A..CV
MAX_CELLS = 5_000_000  # of the rectangle from A1 to a tab's farthest value: about 160 MB in calamine
MAX_XML_BYTES = 200 * 2**20
MAX_TEXT_CHARS = 32_000_000  # of all the workbook's cells, as calamine expands them
READABLE_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_CHUNK = 2**20
_READ_PARTS = (".xml", ".rels", ".bin", ".vml")  # what calamine may decompress (not images or embedded files)

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")


def _attribute(tag: bytes, name: bytes) -> str | None:
    match = re.search(rb"\s" + name + rb"=\"([^\"]*)\"", tag)
    return html.unescape(match[1].decode("utf-8")) if match else None


def _part(target: str) -> str:
    """A relationship's target in xl/_rels/workbook.xml.rels -> the zip member's name."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _sheet_files(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    targets = {}
    for tag in _RELATION_TAG.findall(book.read("xl/_rels/workbook.xml.rels")):
        rel_id, target = _attribute(tag, b"Id"), _attribute(tag, b"Target")
        if rel_id and target:
            targets[rel_id] = _part(target)
    files = {}
    for tag in _SHEET_TAG.findall(book.read("xl/workbook.xml")):
        name, rel_id = _attribute(tag, b"name"), _attribute(tag, rb"\w+:id")
        if name and rel_id in targets:
            files[name] = targets[rel_id]
    return files


def _shared_string_parts(book: zipfile.ZipFile) -> list[str]:
    """The members that may hold the shared strings: the one the workbook names, and any sharedStrings.xml."""
    parts = {i.filename for i in book.infolist() if posixpath.basename(i.filename).lower() == "sharedstrings.xml"}
    try:
        for tag in _RELATION_TAG.findall(book.read("xl/_rels/workbook.xml.rels")):
            kind, target = _attribute(tag, b"Type"), _attribute(tag, b"Target")
            if kind and target and kind.endswith("/sharedStrings"):
                parts.add(_part(target))
    except (KeyError, UnicodeDecodeError, ValueError):
        pass
    return sorted(p for p in parts if p in book.NameToInfo)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def cell_name(row: int, column: int) -> str:
    """0-based row and column -> an A1 reference: (0, 16383) -> 'XFD1' (openpyxl's column letters)."""
    return f"{get_column_letter(column + 1)}{row + 1}"


LAST_CELL = cell_name(MAX_ROWS - 1, MAX_COLUMNS - 1)
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _too_far(
    origin: str, tab: str, row: int, column: int, extent: tuple[int, int] | None = None, others: int = 0
) -> SourceError:
    """A value in (row, column) is beyond the limits; `extent` (last row, last column) when the area is the problem,
    `others` the cells of the tabs read before it."""
    cell = cell_name(row, column)
    if extent is None:
        why = f"outside A1:{LAST_CELL} ({MAX_ROWS:,} rows, {MAX_COLUMNS} columns), the most the dashboard reads"
    else:
        cells = (extent[0] + 1) * (extent[1] + 1)
        why = f"which makes the tab span A1:{cell_name(*extent)}, {cells:,} cells"
        if others:
            why += f"; with the {others:,} cells of the tabs before it, that is more than the {MAX_CELLS:,}"
        else:
            why += f", more than the {MAX_CELLS:,}"
        why += " the dashboard reads"
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


class _Budget:
    """What calamine will expand, counted over the whole workbook: the cells of each tab's rectangle, and the
    characters of every cell's text (a shared or repeated text counted once for each cell showing it)."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.chars = 0
        self.cells_before = 0  # the rectangles of the tabs already scanned
        self.longest = (0, "", "")  # characters, tab, cell

    def check_area(self, tab: str, row: int, column: int, last_row: int, last_column: int) -> None:
        """A value in (row, column) makes the tab's rectangle reach (last_row, last_column)."""
        if row >= MAX_ROWS or column >= MAX_COLUMNS or row < 0 or column < 0:
            raise _too_far(self.origin, tab, row, column)
        if self.cells_before + (last_row + 1) * (last_column + 1) > MAX_CELLS:
            raise _too_far(self.origin, tab, row, column, (last_row, last_column), self.cells_before)

    def end_tab(self, last_row: int, last_column: int, has_values: bool) -> None:
        if has_values:
            self.cells_before += (last_row + 1) * (last_column + 1)

    def add_text(self, chars: int, tab: str, row: int, column: int, times: int = 1) -> None:
        """The cell at (row, column), shown `times` times, holds `chars` characters."""
        if chars > self.longest[0]:
            self.longest = (chars, tab, cell_name(row, column))
        self.chars += chars * times
        if self.chars > MAX_TEXT_CHARS:
            longest, where, cell = self.longest
            raise SourceError(
                f"{self.origin}: the tab '{tab}' holds too much text: up to cell {cell_name(row, column)} the "
                f"workbook's cells hold {self.chars:,} characters, more than the {MAX_TEXT_CHARS:,} the dashboard "
                f"reads. The longest text is in {where}!{cell} ({longest:,} characters); a text the workbook "
                "shares or repeats counts once for every cell that shows it. Shorten or delete the long texts and "
                "save the workbook again.",
                summary=f"the tab '{tab}' holds more than {MAX_TEXT_CHARS:,} characters of text",
            )


def _stream(handler: Any, stream: Any, too_big: str) -> None:
    """Feed `stream` (XML) to `handler`'s start/end/characters methods in chunks, refusing a DOCTYPE (no entity
    expansion) and more than MAX_XML_BYTES."""
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = handler.start, handler.end
    parser.CharacterDataHandler = handler.characters
    parser.StartDoctypeDeclHandler = _no_doctype
    read = 0
    while chunk := stream.read(_CHUNK):
        read += len(chunk)
        if read > MAX_XML_BYTES:  # the zip said less than it holds
            raise SourceError(f"{too_big} holds more than {MAX_XML_BYTES // 2**20} MB.")
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _no_doctype(*_: object) -> None:
    raise ValueError("a workbook's XML has a DOCTYPE")


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _SharedStrings:
    """The length of each shared string (xl/sharedStrings.xml), in order: a cell of type "s" holds its index."""

    def __init__(self) -> None:
        self.lengths = array("I")
        self.length = 0
        self.in_item = self.in_text = False
        self.phonetic = 0  # inside <rPh>: a reading aid calamine leaves out

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            self.in_item, self.length = True, 0
        elif local == "t":
            self.in_text = True
        elif local == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "si":
            self.lengths.append(min(self.length, 2**32 - 1))
            self.in_item = False
        elif local == "t":
            self.in_text = False
        elif local == "rPh":
            self.phonetic -= 1

    def characters(self, data: str) -> None:
        if self.in_item and self.in_text and not self.phonetic:
            self.length += len(data)


def _shared_string_lengths(book: zipfile.ZipFile, origin: str) -> array:
    """Per shared string index, the longest string any shared-strings part holds at that index."""
    lengths = array("I")
    for part in _shared_string_parts(book):
        scan = _SharedStrings()
        try:
            with book.open(part) as stream:
                _stream(scan, stream, f"{origin}: the shared strings ({part})")
        except (expat.ExpatError, ValueError, zipfile.BadZipFile, EOFError, OSError, RuntimeError):
            raise SourceError(
                f"{origin}: its shared texts ({part}) could not be read: the workbook may be damaged; save it "
                "again as .xlsx."
            ) from None
        if len(scan.lengths) > len(lengths):
            lengths.extend([0] * (len(scan.lengths) - len(lengths)))
        for i, length in enumerate(scan.lengths):
            lengths[i] = max(lengths[i], length)
    return lengths


class _SheetScan:
    """One streaming pass over an .xlsx sheet's XML: refuses a value beyond the limits, counts the text its cells
    will hold (a shared string's length for each cell pointing at it); keeps the formula errors."""

    def __init__(self, tab: str, shared: array, budget: _Budget) -> None:
        self.tab, self.shared, self.budget = tab, shared, budget
        self.row, self.column = -1, -1
        self.last_row, self.last_column = 0, 0
        self.has_values = False
        self.cell: tuple[int, int] | None = None
        self.has_value = self.is_error = self.is_shared = self.in_value = self.in_inline = False
        self.chars = 0
        self.text: list[str] = []
        self.errors: dict[tuple[int, int], str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2] if ":" in name else name
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
            kind = attrs.get("t")
            self.has_value, self.is_error, self.is_shared = False, kind == "e", kind == "s"
            self.chars, self.text = 0, []
        elif self.cell is not None and local in ("v", "is", "f"):
            self.has_value = True
            self.in_value = local == "v"
            self.in_inline = local == "is"

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2] if ":" in name else name
        if local == "v":
            self.in_value = False
        elif local == "is":
            self.in_inline = False
        elif local == "c" and self.cell is not None:
            row, column = self.cell
            if self.has_value:
                self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)
                self.has_values = True
                self.budget.check_area(self.tab, row, column, self.last_row, self.last_column)
                if self.is_shared:
                    index = "".join(self.text).strip()
                    self.chars = self.shared[int(index)] if index.isdigit() and int(index) < len(self.shared) else 0
                if self.chars:
                    self.budget.add_text(self.chars, self.tab, row, column)
            if self.is_error and self.text:
                self.errors[self.cell] = "".join(self.text)
            self.cell = None

    def characters(self, data: str) -> None:
        if self.in_value:
            if self.is_error or self.is_shared:
                self.text.append(data)
            else:
                self.chars += len(data)
        elif self.in_inline:
            self.chars += len(data)


def _repeats(attrs: dict[str, str], name: str) -> int:
    for key, value in attrs.items():
        if _local(key) == name:
            return max(int(value), 1) if value.strip().isdigit() else 1
    return 1


class _OdsScan:
    """One streaming pass over an .ods file's content.xml: each table's cells as calamine expands them (a cell
    or row repeated by `number-columns-repeated` / `number-rows-repeated` counts as often as it is repeated)."""

    _VALUE_ATTRIBUTES: ClassVar[set[str]] = {"value-type", "formula", "string-value"}

    def __init__(self, budget: _Budget) -> None:
        self.budget = budget
        self.tab = ""
        self.row = self.column = 0
        self.rows_repeated = self.columns_repeated = 1
        self.last_row = self.last_column = 0
        self.has_values = self.in_cell = self.has_value = False
        self.chars = self.paragraph = self.annotation = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "table" and not self.in_cell:
            self.budget.end_tab(self.last_row, self.last_column, self.has_values)
            self.tab = next((v for k, v in attrs.items() if _local(k) == "name"), "")
            self.row = self.last_row = self.last_column = 0
            self.has_values = False
        elif local == "table-row" and not self.in_cell:
            self.rows_repeated, self.column = _repeats(attrs, "number-rows-repeated"), 0
        elif local in ("table-cell", "covered-table-cell") and not self.in_cell:
            self.columns_repeated = _repeats(attrs, "number-columns-repeated")
            self.in_cell, self.chars, self.paragraph, self.annotation = True, 0, 0, 0
            self.has_value = any(_local(k) in self._VALUE_ATTRIBUTES for k in attrs)
            self.chars = sum(len(v) for k, v in attrs.items() if _local(k) == "string-value")
        elif self.in_cell:
            if local == "annotation":
                self.annotation += 1
            elif self.annotation:
                pass
            elif local in ("p", "h"):
                self.paragraph += 1
            elif self.paragraph and local == "s":
                self.chars += _repeats(attrs, "c")
            elif self.paragraph and local in ("tab", "line-break"):
                self.chars += 1

    def end(self, name: str) -> None:
        local = _local(name)
        if not self.in_cell:
            if local == "table-row":
                self.row += self.rows_repeated
                self.rows_repeated = 1
            elif local == "table":
                self.budget.end_tab(self.last_row, self.last_column, self.has_values)
                self.has_values = False
        elif local in ("table-cell", "covered-table-cell") and not self.annotation:
            if self.has_value or self.chars:
                row, column = self.row + self.rows_repeated - 1, self.column + self.columns_repeated - 1
                self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)
                self.has_values = True
                self.budget.check_area(self.tab, row, column, self.last_row, self.last_column)
                self.budget.add_text(
                    self.chars, self.tab, self.row, self.column, self.rows_repeated * self.columns_repeated
                )
            self.column += self.columns_repeated
            self.in_cell = False
        elif local == "annotation":
            self.annotation -= 1
        elif local in ("p", "h") and not self.annotation:
            self.paragraph -= 1

    def characters(self, data: str) -> None:
        if self.paragraph and not self.annotation:
            self.chars += len(data)


_DAMAGED = (expat.ExpatError, ValueError, zipfile.BadZipFile, EOFError, OSError, RuntimeError)


def _check_xlsx(book: zipfile.ZipFile, origin: str) -> dict[str, dict[tuple[int, int], str]]:
    budget = _Budget(origin)
    shared = _shared_string_lengths(book, origin)
    found: dict[str, dict[tuple[int, int], str]] = {}
    for tab, member in _safe_sheet_files(book).items():
        if member not in book.NameToInfo:
            continue  # calamine reports a missing sheet
        scan = _SheetScan(tab, shared, budget)
        try:
            with book.open(member) as stream:
                _stream(scan, stream, f"{origin}: the tab '{tab}'")
        except _DAMAGED:
            raise SourceError(
                f"{origin}: the tab '{tab}' could not be read: the workbook may be damaged; save it again as .xlsx."
            ) from None
        budget.end_tab(scan.last_row, scan.last_column, scan.has_values)
        if scan.errors:
            found[tab] = scan.errors
    return found


def _check_ods(book: zipfile.ZipFile, origin: str) -> None:
    if "content.xml" not in book.NameToInfo:
        return  # calamine reports it
    scan = _OdsScan(_Budget(origin))
    try:
        with book.open("content.xml") as stream:
            _stream(scan, stream, f"{origin}: its content")
    except _DAMAGED:
        where = f"the tab '{scan.tab}'" if scan.tab else "its content"
        raise SourceError(f"{origin}: {where} could not be read: the workbook may be damaged; save it again.") from None


def check_workbook(path: Path, origin: str = "") -> dict[str, dict[tuple[int, int], str]]:
    """Refuse a workbook too large to read safely (SourceError naming the tab and why) before any reader expands
    it; for an .xlsx, return its formula errors, per tab: (0-based row, column) -> "#REF!".

    An .xls or .xlsb workbook, or a file of another kind, is refused: only .xlsx, .xlsm and .ods can be checked.
    """
    origin = origin or path.name
    suffix = path.suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        kind = {".xls": "an Excel 97-2003 workbook (.xls)", ".xlsb": "a binary Excel workbook (.xlsb)"}.get(
            suffix, f"not a workbook the dashboard reads ({suffix or 'no extension'})"
        )
        raise SourceError(
            f"{origin} is {kind}: the dashboard reads .xlsx, .xlsm and .ods workbooks, whose size it can check "
            "before reading them. Open it and save it as .xlsx (Excel Workbook).",
            summary=f"{origin} is not an .xlsx, .xlsm or .ods workbook",
        )
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}  # not a zip: calamine says it is not a workbook, or that it is password-protected
    with book:
        total = sum(i.file_size for i in book.infolist() if i.filename.endswith(_READ_PARTS))
        if total > MAX_XML_BYTES:
            raise _too_big(origin, book, total)
        if suffix == ".ods":
            _check_ods(book, origin)
            return {}
        return _check_xlsx(book, origin)


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
                last_row, last_column = sheet.end or (0, 0)  # the same limits, once more, as calamine saw them
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
