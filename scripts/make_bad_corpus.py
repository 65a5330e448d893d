"""Generate the hostile-input corpus: tests/data/bad/<case>/, one broken (or oddly shaped) workbook each.

Run from the repository root::

    python scripts/make_bad_corpus.py [--out tests/data/bad] [--only CASE ...]

Every case starts from the sample workbook (data/sample/spinit-sample.xlsx), changes a few cells the
way partners do, and writes

- the source: ``workbook.xlsx`` or a folder of CSV files ``csv/``;
- ``expected.json``: what ``python -m monitoring validate --source <source>`` must report, exactly:
  ``problems`` as [tab, cell, level] (in any order), the ``exit_code``, phrases the messages must
  contain (``says``), values that must be read as written (``reads``: tab, sheet row, column, value
  as the cleaned table holds it), and ``same_as_sample`` when the numbers must not change at all.

The expectations are written by hand next to each change, not computed by the dashboard's code.
The output is deterministic (fixed timestamps inside the .xlsx files), so running the script again
changes nothing unless a case changed. Two exceptions:

- ``activities_100k``: 100 000 activity rows. Only its expected.json is kept in the repository;
  the workbook (about 5 MB) is made where it is needed with ``write_activities_100k`` (the corpus
  test makes it once per test session, benchmarks/validate_100k.py too). It is written as plain
  XML, not with openpyxl, which takes 8 s for it.
- ``password_protected``: encrypting needs ``msoffcrypto-tool`` (pip install msoffcrypto-tool) and
  uses a random salt, so the committed file is kept as it is unless ``--only password_protected``
  asks for a new one.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import io
import json
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from openpyxl import Workbook  # noqa: E402

from data_sources.excel import ExcelSource  # noqa: E402
from monitoring.formatting import column_letter  # noqa: E402

SAMPLE = REPO_ROOT / "data" / "sample" / "spinit-sample.xlsx"
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "bad"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
BIG_ROWS = 100_000
PASSWORD = "spinit"

Rows = list[list[Any]]
Book = dict[str, Rows]  # tab name -> rows as read (row 0 is the sheet's row 1)


@dataclass
class Expected:
    description: str
    exit_code: int
    problems: list[list[str]] = field(default_factory=list)
    says: list[str] = field(default_factory=list)
    reads: list[dict[str, Any]] = field(default_factory=list)
    same_as_sample: bool = False
    source: str = "workbook.xlsx"
    generated: bool = False  # the source is made at test time (see write_activities_100k)


# --- reading and changing the sample ------------------------------------------------------------


def sample_book() -> Book:
    """Every tab of the sample, README included, as rows of raw cell values."""
    raw = ExcelSource(SAMPLE).read()
    return {name: [list(row) for row in tab.rows] for name, tab in raw.tabs.items()}


def index(book: Book, tab: str, column: str, header_row: int = 1) -> int:
    return book[tab][header_row - 1].index(column)


def put(book: Book, tab: str, row: int, column: str, value: Any, header_row: int = 1) -> None:
    """Set the cell of `column` (found in the header row) in sheet row `row`."""
    book[tab][row - 1][index(book, tab, column, header_row)] = value


def delete_column(book: Book, tab: str, column: str) -> None:
    position = index(book, tab, column)
    for row in book[tab]:
        del row[position]


def add_column(book: Book, tab: str, position: int, header: str, values: Callable[[int], Any]) -> None:
    """Insert a column at `position` (0 = A); `values(sheet_row)` fills the data rows."""
    for r, row in enumerate(book[tab], start=1):
        row.insert(position, header if r == 1 else values(r))


def blank_row(book: Book, tab: str) -> list[Any]:
    return [""] * len(book[tab][0])


# --- writing ---------------------------------------------------------------------------------------


def _entry(name: str) -> zipfile.ZipInfo:
    """A compressed zip entry with a fixed timestamp."""
    info = zipfile.ZipInfo(name, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _repack(path: Path) -> None:
    """Rewrite an .xlsx with fixed timestamps, so the same content gives the same bytes."""
    with zipfile.ZipFile(path) as book:
        members = [(info.filename, book.read(info.filename)) for info in book.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members:
            if name == "docProps/core.xml":
                data = _fixed_core(data)
            book.writestr(_entry(name), data)


def _fixed_core(data: bytes) -> bytes:
    text = data.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        start = text.find(f"<{tag}")
        if start >= 0:
            value_start = text.index(">", start) + 1
            value_end = text.index(f"</{tag}>", value_start)
            text = text[:value_start] + "2024-01-01T00:00:00Z" + text[value_end:]
    return text.encode("utf-8")


def write_xlsx(path: Path, book: Book, merges: dict[str, list[str]] | None = None) -> None:
    """Write `book` with openpyxl: dates as date cells, "#REF!"-like text as error cells, "=..." as text."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in book.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _repack(path)


def _csv_text(value: Any, decimal: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat() if decimal == "." else f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
        return text.replace(".", decimal)
    return "" if value is None else str(value)


def write_csv_folder(folder: Path, book: Book, delimiter: str = ",", decimal: str = ".") -> None:
    """One UTF-8 CSV per tab (README left out), as a spreadsheet's 'CSV UTF-8' export writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in book.items():
        if name == "README":
            continue
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            writer.writerow(_csv_text(v, decimal) for v in row)
        (folder / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def _cell_xml(ref: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - dt.date(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def write_plain_xlsx(path: Path, book: Book) -> None:
    """A minimal .xlsx written directly as XML: inline strings, date cells with a date style. Fast for big tabs."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheets = list(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        z.writestr(
            _entry("_rels/.rels"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1)
        )
        z.writestr(
            _entry("xl/workbook.xml"),
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel_ns}><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles_id = len(sheets) + 1
        rels += (
            f'<Relationship Id="rId{styles_id}" Target="styles.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        )
        z.writestr(
            _entry("xl/_rels/workbook.xml.rels"),
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        z.writestr(
            _entry("xl/styles.xml"),
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}>'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
        )
        for i, name in enumerate(sheets, start=1):
            parts = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>']
            for r, row in enumerate(book[name], start=1):
                cells = "".join(_cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
                parts.append(f'<row r="{r}">{cells}</row>')
            parts.append("</sheetData></worksheet>")
            z.writestr(_entry(f"xl/worksheets/sheet{i}.xml"), "".join(parts))


def write_activities_100k(path: Path, rows: int = BIG_ROWS) -> Path:
    """The sample with `rows` activities (the sample's, repeated with new ids); the last one has a bad date."""
    book = sample_book()
    header, *body = book["activities"]
    activities = [header]
    for i in range(rows):
        row = list(body[i % len(body)])
        row[0] = f"A{i + 1:06d}"
        activities.append(row)
    activities[-1][header.index("date")] = "32.13.2025"
    book["activities"] = activities
    write_plain_xlsx(path, book)
    return path


# --- the cases -------------------------------------------------------------------------------------
# Each takes a fresh copy of the sample and the case's folder, writes its source, and returns what
# validate must say. Cell references below are the sheet's: row 1 is the header unless a case moves it.
# Sample columns: activities A id, B date, C type, D title, E partner_ids, F location_id, G participants,
# H cluster, I evidence_url; partners C country, D role; locations C country, D lat, F hub; pilots
# E lead_partner_id, G stage, H start, I end, M replicated_in; action_plans D lead, G ldg_members;
# indicator_values A indicator, B date, C value; milestones A indicator, B period, C planned.


def case_missing_tab(book: Book, out: Path) -> Expected:
    del book["pilots"]
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "The pilots tab was deleted.",
        1,
        [["pilots", "", "error"]],
        says=["the tab 'pilots' is missing from the workbook"],
    )


def case_missing_required_column(book: Book, out: Path) -> Expected:
    delete_column(book, "activities", "date")
    book["activities"][0][index(book, "activities", "partner_ids")] = "partner ids list"
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "The activities' date column was deleted and partner_ids renamed beyond recognition.",
        1,
        [["activities", "1:1", "error"], ["activities", "1:1", "error"]],
        says=["required column 'date' is missing", "is 'partner ids list' in D1 meant to be it?"],
    )


def case_renamed_headers(book: Book, out: Path) -> Expected:
    book["activities"][0] = [
        "Activity ID",
        "DATE",
        " Type ",
        "Title *",
        "Partner-IDs",
        "location id",
        "Participants (number)",
        "Cluster:",
        "evidence-url",
    ]
    book["partners"][0][0] = "PARTNER_ID"
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Headers in other case, with spaces, '-', a '*', a colon and a note in brackets: all accepted.",
        0,
        reads=[{"tab": "activities", "row": 2, "column": "date", "value": "2024-01-15"}],
        same_as_sample=True,
    )


def case_extra_columns(book: Book, out: Path) -> Expected:
    add_column(book, "activities", 1, "Notes", lambda r: "call back" if r % 7 == 0 else "")
    add_column(book, "activities", len(book["activities"][0]), "internal ref", lambda r: f"X-{r}")
    add_column(book, "partners", len(book["partners"][0]), "website", lambda r: "https://example.org")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Columns the contract does not know, between and after the known ones: ignored.",
        0,
        reads=[{"tab": "activities", "row": 2, "column": "participants", "value": 24}],
        same_as_sample=True,
    )


def case_blank_rows(book: Book, out: Path) -> Expected:
    acts = book["activities"]
    for at in (10, 3):  # blank rows inside the data: sheet rows 4 and 12 after both insertions
        acts.insert(at, blank_row(book, "activities"))
    acts.extend([[" "] * len(acts[0]), blank_row(book, "activities")])
    book["partners"].insert(1, blank_row(book, "partners"))
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Blank rows inside the data and whitespace-only rows at the end: ignored.",
        0,
        reads=[{"tab": "activities", "row": 13, "column": "activity_id", "value": "A010"}],
        same_as_sample=True,
    )


def case_duplicate_headers(book: Book, out: Path) -> Expected:
    add_column(book, "activities", len(book["activities"][0]), "Title", lambda r: "another title")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Two header cells named title (D1 and J1): the first is used, the second reported.",
        1,
        [["activities", "J1", "error"]],
        says=["this header is also in D1; D1 is used"],
    )


def case_decorated_header(book: Book, out: Path) -> Expected:
    width = len(book["activities"][0])
    book["activities"][:0] = [
        ["SpinIT — joint activities 2024–2026", *[""] * (width - 1)],
        ["One row per activity; dates like 2025-03-14.", *[""] * (width - 1)],
        [""] * width,
    ]
    book["partners"].insert(0, ["Partners (updated by the lead partner)", *[""] * 8])
    merges = {"activities": ["A1:I1", "A2:I2"], "partners": ["A1:I1"]}
    write_xlsx(out / "workbook.xlsx", book, merges)
    return Expected(
        "A merged title banner and a note above the header (header in row 4 of activities, row 2 of partners).",
        0,
        reads=[
            {"tab": "activities", "row": 5, "column": "activity_id", "value": "A001"},
            {"tab": "partners", "row": 3, "column": "partner_id", "value": "P01"},
        ],
        same_as_sample=True,
    )


def case_wrong_types(book: Book, out: Path) -> Expected:
    put(book, "activities", 5, "participants", "twenty")
    put(book, "activities", 6, "date", "next week")
    put(book, "activities", 7, "type", "party")
    put(book, "activities", 8, "evidence_url", "www.example.org/report")
    put(book, "partners", 3, "role", "boss")
    put(book, "locations", 2, "lat", "north")
    put(book, "locations", 3, "hub", "huge")
    put(book, "pilots", 2, "stage", "finished")
    put(book, "action_plans", 2, "ldg_members", "many")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Text where a number, a date, a choice or a link is expected (an unknown activity type is kept, with a warning).",
        1,
        [
            ["activities", "G5", "error"],
            ["activities", "B6", "error"],
            ["activities", "C7", "warning"],
            ["activities", "I8", "error"],
            ["partners", "D3", "error"],
            ["locations", "D2", "error"],
            ["locations", "F3", "error"],
            ["pilots", "G2", "error"],
            ["action_plans", "G2", "error"],
        ],
        says=[
            "expected a whole number",
            "expected a date like 2025-03-14",
            "expected one of: planned",
            "kept as written",
        ],
    )


def case_decimal_comma(book: Book, out: Path) -> Expected:
    put(book, "locations", 2, "lat", "46,7712")
    put(book, "locations", 2, "lon", "23,6236")
    put(book, "indicator_values", 2, "value", "1,5")
    put(book, "indicator_values", 3, "value", "1,234")
    put(book, "activities", 2, "participants", "1.234")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Decimal commas read as such; '1,234' in a value is ambiguous and reported; '1.234' people is 1234.",
        1,
        [["indicator_values", "C3", "error"]],
        says=["ambiguous: write 1234 or 1.234"],
        reads=[
            {"tab": "locations", "row": 2, "column": "lat", "value": 46.7712},
            {"tab": "indicator_values", "row": 2, "column": "value", "value": 1.5},
            {"tab": "activities", "row": 2, "column": "participants", "value": 1234},
        ],
    )


def case_european_and_serial_dates(book: Book, out: Path) -> Expected:
    put(book, "activities", 2, "date", "15.01.2024")
    put(book, "activities", 3, "date", "17/01/2024")
    put(book, "activities", 4, "date", 45317)  # a serial number without a date format: 2024-01-26
    put(book, "activities", 5, "date", "2024-3-1")
    put(book, "activities", 6, "date", "31.02.2025")
    put(book, "activities", 7, "date", "03/14/2024")  # month first: no 14th month
    put(book, "activities", 8, "date", "6.3.24")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Day-first dates, a serial number and a short ISO date are read; an impossible day, a month-first date "
        "and a two-digit year are reported.",
        1,
        [["activities", "B6", "error"], ["activities", "B7", "error"], ["activities", "B8", "error"]],
        says=["expected a real calendar day", "the year needs four digits"],
        reads=[
            {"tab": "activities", "row": 2, "column": "date", "value": "2024-01-15"},
            {"tab": "activities", "row": 3, "column": "date", "value": "2024-01-17"},
            {"tab": "activities", "row": 4, "column": "date", "value": "2024-01-26"},
            {"tab": "activities", "row": 5, "column": "date", "value": "2024-03-01"},
        ],
    )


def case_formula_errors(book: Book, out: Path) -> Expected:
    put(book, "activities", 5, "date", "#REF!")
    put(book, "activities", 6, "participants", "#N/A")
    put(book, "locations", 3, "lat", "#DIV/0!")
    put(book, "indicator_values", 2, "value", "#VALUE!")
    put(book, "partners", 2, "name", "#NAME?")
    write_xlsx(out / "workbook.xlsx", book)  # openpyxl stores these as real error cells
    return Expected(
        "Formula errors in cells (stored as Excel error cells, which the reader would otherwise see as empty).",
        1,
        [
            ["activities", "B5", "error"],
            ["activities", "G6", "error"],
            ["locations", "D3", "error"],
            ["indicator_values", "C2", "error"],
            ["partners", "B2", "error"],
        ],
        says=["spreadsheet formula error #REF!", "spreadsheet formula error #N/A"],
    )


def case_unknown_country(book: Book, out: Path) -> Expected:
    put(book, "partners", 31, "country", "Narnia")  # P30, BA
    put(book, "locations", 4, "country", "Yugoslavia")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Countries that do not exist (any more).",
        1,
        [["partners", "C31", "error"], ["locations", "C4", "error"]],
        says=["unknown country; use an ISO code like RS or an English name"],
    )


def case_local_country_names(book: Book, out: Path) -> Expected:
    names = {2: "România", 3: "Србија", 4: "България", 7: "Bosna i Hercegovina", 8: "Hrvatska"}
    names |= {9: "Česká republika", 10: "Slovenija", 11: "Magyarország", 19: "Srbija"}
    for row, name in names.items():
        put(book, "partners", row, "country", name)
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Country names in the partners' own languages and scripts: read as ISO codes.",
        0,
        reads=[
            {"tab": "partners", "row": 3, "column": "country", "value": "RS"},
            {"tab": "partners", "row": 4, "column": "country", "value": "BG"},
            {"tab": "partners", "row": 9, "column": "country", "value": "CZ"},
        ],
        same_as_sample=True,
    )


UNICODE_TITLES = [
    "Čačak: radionica o digitalnim veštinama",
    "Târgu Mureș — vizită de studiu",
    "Среща на групата в Хасково",
    "Zenica – Ćevapi & kodiranje",
    "数字创新研讨会",
    "ورشة عمل رقمية",
    "Zero\u200bwidth and non\u00a0breaking",
]


def case_unicode_text(book: Book, out: Path) -> Expected:
    for row, title in enumerate(UNICODE_TITLES, start=2):
        put(book, "activities", row, "title", title)
    put(book, "partners", 2, "name", "Municipiul Cluj-Napoca — Direcția Digitală")
    put(book, "activities", 9, "partner_ids", "P02,\u00a0P03 ; P07\nP08, P11")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Text in any script, with no-break and zero-width spaces; ids separated by , ; and line breaks.",
        0,
        reads=[
            {"tab": "activities", "row": 3, "column": "title", "value": "Târgu Mureș — vizită de studiu"},
            {"tab": "activities", "row": 9, "column": "partner_ids", "value": ["P02", "P03", "P07", "P08", "P11"]},
        ],
        same_as_sample=True,
    )


HTML_TITLES = [
    "<script>alert('spinit')</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** [click me](javascript:alert(1))",
    "</div><h1 style='color:red'>Injected heading</h1>",
    "$\\frac{1}{0}$ :material/warning: `code`",
]


def case_html_in_text(book: Book, out: Path) -> Expected:
    for row, title in enumerate(HTML_TITLES, start=2):
        put(book, "activities", row, "title", title)
    put(book, "partners", 2, "name", "<b>Bold</b> & <i>Co</i>")
    put(book, "locations", 2, "name", "<iframe src='https://example.org'></iframe>")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "HTML, script tags and Markdown in text cells: kept as text, never run.",
        0,
        reads=[{"tab": "activities", "row": 2, "column": "title", "value": HTML_TITLES[0]}],
        same_as_sample=True,
    )


FORMULA_TEXTS = ['=HYPERLINK("https://evil.example","click me")', "+SUM(1,2)", "-2+3", "@cmd"]


def case_formulas_in_text(book: Book, out: Path) -> Expected:
    for row, text in enumerate(FORMULA_TEXTS, start=2):
        put(book, "activities", row, "title", text)
    put(book, "indicator_values", 2, "comment", "=1+1")
    put(book, "activities", 6, "participants", "=SUM(G2:G5)")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Text that a spreadsheet would run as a formula: kept as text; where a number is expected, reported.",
        1,
        [["activities", "G6", "error"]],
        says=["expected a whole number"],
        reads=[{"tab": "activities", "row": 2, "column": "title", "value": FORMULA_TEXTS[0]}],
    )


def case_activities_100k(book: Book, out: Path) -> Expected:
    return Expected(
        f"{BIG_ROWS:,} activity rows (the sample's, repeated with new ids); the last one has an impossible date. "
        "Made at test time by write_activities_100k.",
        1,
        [["activities", f"B{BIG_ROWS + 1}", "error"]],
        says=["expected a real calendar day"],
        reads=[{"tab": "activities", "row": BIG_ROWS, "column": "activity_id", "value": f"A{BIG_ROWS - 1:06d}"}],
        generated=True,
    )


def case_empty_workbook(book: Book, out: Path) -> Expected:
    write_xlsx(out / "workbook.xlsx", {"Sheet1": []})
    required = ["partners", "locations", "activities", "action_plans", "pilots", "indicator_values"]
    return Expected(
        "A workbook with one empty sheet.",
        1,
        [[tab, "", "error"] for tab in required],
        says=["the tab 'partners' is missing from the workbook (it has Sheet1)"],
    )


def case_not_a_workbook(book: Book, out: Path) -> Expected:
    out.mkdir(parents=True, exist_ok=True)
    (out / "workbook.xlsx").write_text("partner_id,name\nP01,Cluj Hub\n", encoding="utf-8")
    return Expected("A text file named .xlsx.", 2, says=["workbook.xlsx is not a readable Excel workbook (.xlsx)"])


def case_zero_bytes(book: Book, out: Path) -> Expected:
    out.mkdir(parents=True, exist_ok=True)
    (out / "workbook.xlsx").write_bytes(b"")
    return Expected("An empty file (0 bytes), as a failed download leaves it.", 2, says=["is an empty file (0 bytes)"])


def case_password_protected(book: Book, out: Path, renew: bool = False) -> Expected:
    target = out / "workbook.xlsx"
    if renew or not target.exists():
        try:
            from msoffcrypto.format.ooxml import OOXMLFile  # only needed to make this one file
        except ImportError:
            raise SystemExit("password_protected needs msoffcrypto-tool: pip install msoffcrypto-tool") from None

        plain = out / "plain.xlsx"
        write_xlsx(plain, {name: book[name] for name in ("partners", "locations")})
        with plain.open("rb") as source, target.open("wb") as encrypted:
            OOXMLFile(source).encrypt(PASSWORD, encrypted)
        plain.unlink()
    return Expected(
        f"A workbook protected with a password ({PASSWORD!r}).", 2, says=["password-protected: save a copy without"]
    )


def case_csv_missing_file(book: Book, out: Path) -> Expected:
    del book["pilots"]
    write_csv_folder(out / "csv", book)
    return Expected(
        "A folder of CSV files without pilots.csv.",
        1,
        [["pilots", "", "error"]],
        says=["the file 'pilots.csv' is missing from the folder"],
        source="csv",
    )


def case_csv_semicolon_european(book: Book, out: Path) -> Expected:
    book["activities"][0][0] = "Activity ID"
    write_csv_folder(out / "csv", book, delimiter=";", decimal=",")
    return Expected(
        "CSV files as a European spreadsheet exports them: ';' between cells, decimal commas, dates as 15.01.2024.",
        0,
        reads=[
            {"tab": "activities", "row": 2, "column": "date", "value": "2024-01-15"},
            {"tab": "locations", "row": 2, "column": "lat", "value": 46.7712},
        ],
        same_as_sample=True,
        source="csv",
    )


def case_csv_not_utf8(book: Book, out: Path) -> Expected:
    folder = out / "csv"
    write_csv_folder(folder, book)
    partners = folder / "partners.csv"
    text = partners.read_text(encoding="utf-8").replace("Someș", "Somes").replace("ș", "s").replace("ț", "t")
    partners.write_bytes(text.replace("Vitosha", "Vitosha Café").encode("cp1252", errors="replace"))
    return Expected(
        "A CSV file saved in a Windows code page instead of UTF-8.",
        2,
        says=["partners.csv is not UTF-8 text: save it as 'CSV UTF-8'"],
        source="csv",
    )


def case_unknown_references(book: Book, out: Path) -> Expected:
    put(book, "activities", 5, "partner_ids", "P03, P05, P99")
    put(book, "activities", 6, "location_id", "L42")
    put(book, "pilots", 3, "lead_partner_id", "P77")
    put(book, "pilots", 2, "replicated_in", "L04, L66")
    put(book, "action_plans", 2, "lead_partner_id", "PX")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Organisation and location ids that are not in the partners and locations tabs (a typo, a deleted row).",
        1,
        [
            ["activities", "E5", "error"],
            ["activities", "F6", "error"],
            ["pilots", "E3", "error"],
            ["pilots", "M2", "error"],
            ["action_plans", "D2", "error"],
        ],
        says=["no organisation with this id in the partners tab", "the lead organisation is not in the partners tab"],
    )


def case_duplicate_ids(book: Book, out: Path) -> Expected:
    duplicate = list(book["activities"][4])  # A004, an exchange across three countries
    duplicate[index(book, "activities", "title")] = "Second exchange typed with the same id"
    book["activities"].append(duplicate)
    book["partners"].append(["P01", "Another organisation", "RO", "PP", "Cluj-Napoca", "L01", "SME", "", ""])
    book["locations"].append(["L01", "Cluj-Napoca again", "RO", 46.77, 23.62, "advanced"])
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "The same id on two rows of a tab; the first row is the one used.",
        1,
        [["activities", "A168", "error"], ["partners", "A32", "error"], ["locations", "A12", "error"]],
        says=["this id is also used in row 5; ids must be unique"],
    )


def case_single_country_activities(book: Book, out: Path) -> Expected:
    put(book, "activities", 5, "partner_ids", "P01, P11, P17")  # an exchange, all in Romania
    put(book, "activities", 3, "title", "Cross-border workshop on predictive maintenance")
    put(book, "activities", 3, "partner_ids", "P07")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "An exchange among organisations of one country, and a 'cross-border' workshop with one organisation.",
        0,
        [["activities", "E5", "warning"], ["activities", "E3", "warning"]],
        says=[
            "not cross-border: all its organisations are in Romania (RO); it does not count for RCO87, RCO81",
            "the title says cross-border, but its only organisation is in Croatia (HR)",
        ],
    )


def case_dates_outside_project(book: Book, out: Path) -> Expected:
    put(book, "activities", 2, "date", dt.date(2023, 5, 1))
    put(book, "pilots", 2, "end", dt.date(2027, 3, 1))
    put(book, "pilots", 3, "start", dt.date(2026, 4, 1))  # its end is 2026-02-26
    put(book, "indicator_values", 2, "date", dt.date(2019, 6, 26))
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Dates before the project's start or after its end, a pilot that ends before it starts, and one validated "
        "before its (moved) end: warnings.",
        0,
        [
            ["activities", "B2", "warning"],
            ["pilots", "I2", "warning"],
            ["pilots", "J2", "warning"],  # validated before the (moved) end
            ["pilots", "I3", "warning"],
            ["indicator_values", "B2", "warning"],
        ],
        says=[
            "before the project started (2024-01-01)",
            "after the project ended (2026-06-30)",
            "ends before it starts on 2026-04-01",
        ],
    )


def case_negative_and_fractional_counts(book: Book, out: Path) -> Expected:
    put(book, "activities", 5, "participants", -5)
    put(book, "activities", 6, "participants", 12.5)
    put(book, "action_plans", 2, "ldg_members", "7.5")
    put(book, "milestones", 3, "period", "2.5")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Negative and fractional counts and period numbers.",
        1,
        [
            ["activities", "G5", "error"],
            ["activities", "G6", "error"],
            ["action_plans", "G2", "error"],
            ["milestones", "B3", "error"],
        ],
        says=["expected a count of 0 or more", "expected a whole number", "expected a period number such as 3 or P3"],
    )


def case_indicator_codes(book: Book, out: Path) -> Expected:
    put(book, "indicator_values", 2, "indicator", "RCR 104")
    put(book, "indicator_values", 3, "indicator", "XYZ1")
    put(book, "indicator_values", 4, "value", -1)
    book["indicator_values"].append(["RCO87", dt.date(2025, 6, 1), 3, "P01", "L01", "", "reported in Jems"])
    put(book, "milestones", 2, "indicator", "RCO99")
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "Indicator codes not in indicators.yaml, a value entered for a derived indicator, a negative value.",
        1,
        [
            ["indicator_values", "A2", "error"],
            ["indicator_values", "A3", "error"],
            ["indicator_values", "C4", "warning"],
            ["indicator_values", "A25", "warning"],
            ["milestones", "A2", "error"],
        ],
        says=[
            "write it as RCR104, the code in indicators.yaml",
            "no indicator with this code in indicators.yaml (the codes are RCO87,",
            "RCO87 is counted from the activities tab, so this value is not added to it",
            "a negative value lowers the total",
        ],
    )


def case_milestone_problems(book: Book, out: Path) -> Expected:
    put(book, "milestones", 4, "planned", 10)  # RCO87 P3, after 12 planned for P2
    book["milestones"].append(["RCO83", 6, 12])
    book["milestones"].append(["RCO84", 5, 9])  # P5 is planned in row 16 already
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "A milestone that goes down, one beyond the last reporting period, one planned twice.",
        1,
        [["milestones", "C4", "error"], ["milestones", "B47", "error"], ["milestones", "B48", "error"]],
        says=[
            "RCO87 plans less for P3 than the 12 planned for P2",
            "the project has 5 reporting periods",
            "RCO84 P5 is also planned in row 16",
        ],
    )


def case_repeated_header_row(book: Book, out: Path) -> Expected:
    book["activities"].insert(59, list(book["activities"][0]))
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "The header row pasted again in the middle of the data (row 60): skipped, with a warning.",
        0,
        [["activities", "60:60", "warning"]],
        says=["the header row is repeated here; this row is skipped"],
        same_as_sample=True,
    )


def case_empty_tab(book: Book, out: Path) -> Expected:
    book["indicator_values"] = []
    book["milestones"] = []
    write_xlsx(out / "workbook.xlsx", book)
    return Expected(
        "The indicator_values tab is there but empty (an error); so is the optional milestones tab (fine).",
        1,
        [["indicator_values", "", "error"]],
        says=["the tab is empty; expected a header row with indicator, date, value"],
    )


CASES: dict[str, Callable[[Book, Path], Expected]] = {
    name.removeprefix("case_"): fn for name, fn in globals().items() if name.startswith("case_") and callable(fn)
}


def make_case(name: str, out: Path, renew: bool = False) -> Expected:
    """Write one case into out/<name>/ and return its expectations (also written as expected.json)."""
    folder = out / name
    keep = {"workbook.xlsx"} if name == "password_protected" and not renew else set()
    if folder.exists():
        for item in folder.iterdir():
            if item.name in keep:
                continue
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    book = copy.deepcopy(sample_book())
    if name == "password_protected":
        expected = case_password_protected(book, folder, renew)
    else:
        expected = CASES[name](book, folder)
    data = {"case": name, **asdict(expected)}
    (folder / "expected.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the corpus folder (default tests/data/bad)")
    parser.add_argument("--only", nargs="+", choices=sorted(CASES), help="make only these cases")
    args = parser.parse_args(argv)
    names = args.only or list(CASES)
    for name in names:
        make_case(name, args.out, renew=bool(args.only))
        print(f"{args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
