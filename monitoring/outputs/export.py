"""A period's report as files: an Excel workbook, a CSV of the indicator table, a PDF status pack.

Each writer takes a `monitoring.outputs.report.Report` and returns the file's bytes, so the page's download
buttons and the CLI write the same files.

Spreadsheet safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
could be run as a formula by the spreadsheet that opens the file. In the Excel workbook such text is
written as a string cell with Excel's "quote prefix" style (Excel shows it as text and keeps it text
when edited); in the CSV it gets a leading single quote, as OWASP recommends for CSV injection. A control
character an .xlsx cannot hold (BEL, VT, ESC...) is written as U+FFFD "�" (`formatting.xlsx_text`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from monitoring.charts import bullet_svg
from monitoring.engine.progress import ATTENTION_STATUSES, STATUS_COLOURS, STATUS_ICONS, IndicatorProgress
from monitoring.formatting import is_formula_like, neutralise, number, plural, xlsx_text, xlsx_value
from monitoring.outputs.jems import (
    ACHIEVED_LABEL,
    CUMULATIVE_LABEL,
    JEMS_COLUMNS,
    LATE_COLUMNS,
    OVERVIEW_COLUMNS,
    UNIT_COLUMNS,
    output_number,
)
from monitoring.outputs.narratives import OUTPUT_LABEL, RESULT_LABEL, narrative_columns
from monitoring.outputs.report import (
    BELOW_MILESTONE,
    CHECKS,
    CHECKS_PASSED,
    EVIDENCE_COLUMNS,
    EXPLAIN_WHY,
    INDICATOR_COLUMNS,
    PROBLEM_COLUMNS,
    RECORD_COLUMNS,
    Report,
    findings_table,
)

FORMATS = ("xlsx", "csv", "pdf")
MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",
}
FONT_ENV = "SPINIT_PDF_FONT"  # a .ttf with Latin and Cyrillic letters, when none of FONT_CANDIDATES exists
# (regular, bold) Unicode TrueType fonts, in order of preference: Debian/Ubuntu (fonts-dejavu-core),
# Fedora, Liberation, macOS, Windows.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)
INK = "#1F2933"
MUTED = "#52606D"
BAND = "#E4E7EB"
# Text on a status colour: white, except on orange, where white would be too faint.
ON_STATUS = {status: INK if status == "at risk" else "#FFFFFF" for status in STATUS_COLOURS}
# The most characters of sheet or configuration text a PDF table cell (or a chart's title) shows: longer text is
# cut with "…" (a table row cannot span pages); paragraphs, like deviation explanations, flow on whole.
TABLE_TEXT = 300


class ExportError(Exception):
    """The file cannot be made on this machine (e.g. no Unicode font for the PDF); the message says why."""


def made(make: Callable[[], bytes], what: str) -> tuple[bytes, str | None]:
    """(the file's bytes, None), or (b"", why `what` cannot be made): a page offers the download disabled with
    the reason instead of a button that silently produces nothing."""
    try:
        return make(), None
    except Exception as exc:  # any failure of a writer: the reason is shown, the page keeps working
        reason = str(exc) or type(exc).__name__
        if len(reason) > 200:
            reason = reason[:199] + "…"
        return b"", f"The {what} cannot be made from this data: {reason}"


def file_name(report: Report, fmt: str) -> str:
    """e.g. SpinIT-report-P3-2025-06-30.xlsx"""
    return f"{report.project_name}-report-{report.period.label}-{report.as_of.isoformat()}.{fmt}"


def defuse_csv(value: object) -> object:
    """Text a spreadsheet would evaluate gets a leading single quote (OWASP); whole numbers lose their '.0'."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _percent(value: float) -> str:
    return f"{value:.1f} %"


def _status_text(status: str) -> str:
    return f"{STATUS_ICONS[status]} {status}"


def _source_line(report: Report) -> str:
    read_at = report.source.read_at.astimezone(dt.UTC)
    return f"Source: {report.source.label}, read {read_at:%d %b %Y, %H:%M} UTC"


# CSV


def indicator_rows(report: Report) -> pd.DataFrame:
    """The indicator table as exported: readable headings, words for flags, the explanations typed."""
    table = report.indicators_with_explanations()
    table = table.assign(
        result=table["result"].where(table["result"].notna(), ""),
        planned=table["planned"].astype("object").where(table["planned"].notna(), None),
        below_milestone=table["below_milestone"].map({True: "yes", False: "no"}),
        deviation=table["deviation"].map({True: "yes", False: "no"}),
        illustrative=table["illustrative"].map({True: "yes", False: "no"}),
    )
    headings = INDICATOR_COLUMNS | {"explanation": "Explanation"}
    return table.rename(columns=headings)


# Jems' tabs of a project report (Application_en.properties lines 1746 and 1808): where each row is typed.
WORK_PLAN_TAB = "Work plan progress"
RESULTS_TAB = "Project results & Horizontal principles"
# The outputs' and results' headings (the CSV, the Excel workbook): Jems' field names, lines quoted in
# docs/reporting.md.
UNIT_HEADINGS = UNIT_COLUMNS | {"tab": "Jems tab", "status": "Status", "explanation": "Explanation"}
OUTPUT_HEADINGS = UNIT_HEADINGS | {
    "number": "Output Nr.",
    "title": "Output title",
    "indicator": "Programme output indicator",
    "delivery_period": "Delivery Period",
}
RESULT_HEADINGS = UNIT_HEADINGS | {"number": "Result", "indicator": "Programme result indicator"}


def _units(report: Report, units: pd.DataFrame, tab: str) -> pd.DataFrame:
    """Outputs (results) as Jems asks for them, with the Jems tab they are typed on, the text for Jems' "Progress in
    this period" ("Describe progress achieved") and its state, their indicator's status and the explanation written
    for it."""
    status = dict(zip(report.indicators["code"], report.indicators["status"], strict=True))
    kind = "output" if tab == WORK_PLAN_TAB else "result"
    frame = narrative_columns(units, report.narratives, kind).assign(
        number=[
            output_number(n, implicit=n == code) if tab == WORK_PLAN_TAB else n
            for n, code in zip(units["number"], units["indicator"], strict=True)
        ],
        status=units["indicator"].map(status),
        explanation=[report.explanations.get(c, "").strip() for c in units["indicator"]],
    )
    frame.insert(0, "tab", tab)
    return frame


def output_rows(report: Report) -> pd.DataFrame:
    """One row per output, with Jems' Work plan field names ("Output Nr." "O 1.1", "Achieved in this reporting
    period", "Cumulative value")."""
    return _units(report, report.outputs, WORK_PLAN_TAB).rename(columns=OUTPUT_HEADINGS)


def result_rows(report: Report) -> pd.DataFrame:
    """One row per result, with Jems' Project results field names."""
    return _units(report, report.results, RESULTS_TAB).rename(columns=RESULT_HEADINGS)


def unit_rows(report: Report) -> pd.DataFrame:
    """The outputs, then the results, in one table: the column "Jems tab" says where each is typed; the number and
    the indicator under one heading each ("Nr.", "Programme indicator")."""
    common = {"number": "Nr.", "title": "Title", "indicator": "Programme indicator"}
    frames = [
        _units(report, units, tab).rename(columns=UNIT_HEADINGS | common)
        for units, tab in ((report.outputs, WORK_PLAN_TAB), (report.results, RESULTS_TAB))
    ]
    return pd.concat(frames, ignore_index=True)


def csv_bytes(report: Report) -> bytes:
    """The outputs and the results as CSV (one row each, Jems' field names, the Jems tab each is typed on), UTF-8
    with a byte-order mark so Excel reads Čačak and Cyrillic right."""
    table = unit_rows(report)
    table.insert(0, "Period", report.period.label)
    table.insert(1, "As of", report.as_of.isoformat())
    safe = table.astype(object).map(defuse_csv)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# Excel

_WIDE_TEXT = {
    "Indicator",
    "Name",
    "Output title",
    "Indicator name",
    "Title",
    "What to explain",
    "Explanation",
    "Message",
    "Problem",
    "Evidence",
    "Counts for",
    OUTPUT_LABEL,
    RESULT_LABEL,
}


def _excel_value(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, tuple):
        return xlsx_text(", ".join(map(str, value)))
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return xlsx_value(value)


def _write_sheet(
    book: Any,
    title: str,
    frame: pd.DataFrame,
    heading: Iterable[str] = (),
    freeze_columns: int = 1,
    percent_columns: Iterable[str] = (),
) -> Any:
    """One table per sheet: optional heading lines, a styled header row, frozen panes, filters, widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    heading = list(heading)
    for i, line in enumerate(heading, start=1):
        cell = sheet.cell(row=i, column=1, value=xlsx_text(line))
        if is_formula_like(line):
            cell.data_type, cell.quotePrefix = "s", True
        cell.font = Font(bold=i == 1, size=14 if i == 1 else 10, color=INK[1:] if i == 1 else MUTED[1:])
    header_row = len(heading) + 2 if heading else 1
    header_fill = PatternFill("solid", fgColor="0072B2")
    percent_columns = set(percent_columns)
    for c, name in enumerate(frame.columns, start=1):
        cell = sheet.cell(row=header_row, column=c, value=xlsx_text(str(name)))
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(str(name)) for name in frame.columns]
    for r, values in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for c, raw in enumerate(values, start=1):
            value = _excel_value(raw)
            cell = sheet.cell(row=r, column=c, value=value)
            name = frame.columns[c - 1]
            if isinstance(value, str):
                if is_formula_like(value):
                    cell.data_type, cell.quotePrefix = "s", True  # text, never a formula
                elif value.startswith(("https://", "http://")):
                    cell.hyperlink, cell.style = value, "Hyperlink"
                if name in _WIDE_TEXT:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, bool):
                pass
            elif isinstance(value, int | float):
                if name in percent_columns:
                    cell.value, cell.number_format = value / 100, "0.0%"
                else:
                    cell.number_format = "#,##0" if float(value).is_integer() else "#,##0.0#"
            widths[c - 1] = max(widths[c - 1], len(str(value)) if value is not None else 0)
    for c, width in enumerate(widths, start=1):
        limit = 60 if frame.columns[c - 1] in _WIDE_TEXT else 28
        sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), limit)
    sheet.row_dimensions[header_row].height = 30
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=freeze_columns + 1)
    if len(frame.columns):
        last = f"{get_column_letter(len(frame.columns))}{header_row + max(len(frame), 1)}"
        sheet.auto_filter.ref = f"A{header_row}:{last}"
    return sheet


def _about_rows(report: Report) -> pd.DataFrame:
    read_at = report.source.read_at.astimezone(dt.UTC)
    rows = [
        ("Project", f"{report.project_name} ({report.project_code})" if report.project_code else report.project_name),
        ("Programme", report.programme),
        ("Reporting period", report.period.long_label),
        ("Numbers as of", f"{report.as_of:%Y-%m-%d} (the end of the period)"),
        ("Source", report.source.label),
        ("Source read at", f"{read_at:%Y-%m-%d %H:%M} UTC"),
        ("Sample data", "yes: organisation names and all numbers are invented" if report.source.sample else "no"),
        (
            "Previously Reported",
            "The sum of the values submitted in the earlier Jems reports (the reported tab)"
            if report.from_submitted
            else "The cumulative value at the end of the previous period (nothing submitted is recorded in a "
            "reported tab).",
        ),
        (
            "Current Report",
            "Total Reported So Far minus Previously Reported (Jems' overview): what to type into \"Achieved in this "
            'reporting period" of each output (Work plan progress) and result (Project results).',
        ),
        ("Total Reported So Far", "The sheet's cumulative value at the end of the period: Jems' \"Cumulative value\"."),
        (
            "Records dated in the period",
            "The amount of the records dated inside the period, late records left out: not a Jems field.",
        ),
        ("Late records", "Records dated in an earlier, submitted period beyond what was submitted: in this report."),
        ("Planned (milestone)", "The planned cumulative value at the period's end from the milestones tab."),
        ("Status", "achieved, on track, at risk, behind or due after the project, at the period's end."),
        ("Below the period's milestone", "yes when the cumulative value is below the period's milestone."),
        ("To explain", "yes when the status is behind or at risk, or the indicator is below the period's milestone."),
        ("Text safety", "Text that starts with =, +, - or @ is stored as text: no spreadsheet evaluates it."),
    ]
    return pd.DataFrame(rows, columns=["Item", "Value"])


def excel_bytes(report: Report) -> bytes:
    """The report as an .xlsx workbook: indicators, evidence, records behind the numbers, checks, data
    problems, and an About sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    sample = " · Sample data: organisation names and all numbers are invented" if report.source.sample else ""
    heading = [
        f"{report.project_name} · progress report {report.period.long_label}",
        f"As of {report.as_of:%d %b %Y} (the period's end) · {_source_line(report)}{sample}",
    ]
    overview = report.overview.rename(columns=OVERVIEW_COLUMNS)
    sheet = _write_sheet(book, f"Overview {report.period.label}", overview, heading, freeze_columns=3)
    header_row = len(heading) + 2
    for r, level in enumerate(report.overview["level"], start=header_row + 1):
        if level != "output":
            for c in range(1, len(overview.columns) + 1):
                sheet.cell(row=r, column=c).font = Font(bold=True)
    _write_sheet(book, "Outputs", output_rows(report), freeze_columns=3)
    _write_sheet(book, "Results", result_rows(report), freeze_columns=3)
    indicators = indicator_rows(report).drop(columns=[INDICATOR_COLUMNS["prompt"]])
    sheet = _write_sheet(
        book,
        "Indicators",
        indicators,
        freeze_columns=2,
        percent_columns=[INDICATOR_COLUMNS["percent_of_target"]],
    )
    status_col = list(indicators.columns).index(INDICATOR_COLUMNS["status"]) + 1
    header_row = 1
    for r, status in enumerate(report.indicators["status"], start=header_row + 1):
        cell = sheet.cell(row=r, column=status_col)
        cell.font = Font(bold=True, color=ON_STATUS[status][1:])
        cell.fill = PatternFill("solid", fgColor=STATUS_COLOURS[status][1:])
    for r, kind in enumerate(report.indicators["kind"], start=header_row + 1):
        if kind == "result":
            for c in range(1, 3):
                sheet.cell(row=r, column=c).font = Font(bold=True)
    _write_sheet(book, "Late records", report.late.rename(columns=LATE_COLUMNS), freeze_columns=2)
    _write_sheet(book, "Evidence", report.evidence.rename(columns=EVIDENCE_COLUMNS), freeze_columns=2)
    _write_sheet(book, "Records behind", report.records.rename(columns=RECORD_COLUMNS), freeze_columns=3)
    _write_sheet(book, "Checks", findings_table(report.findings), freeze_columns=1)
    _write_sheet(book, "Data problems", report.problems.rename(columns=PROBLEM_COLUMNS), freeze_columns=3)
    _write_sheet(book, "About", _about_rows(report), freeze_columns=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# PDF


def bullet_picture(p: IndicatorProgress) -> bytes:
    """The bullet chart the Overview's tile shows, as SVG for fpdf2 (vector: sharp at any zoom)."""
    return bullet_svg(p, width=360, height=34, title=False).encode("utf-8")


def unicode_font() -> tuple[str, str]:
    """(regular, bold) paths of a TrueType font that prints Latin, Latin Extended and Cyrillic letters."""
    override = os.environ.get(FONT_ENV)
    if override:
        if not Path(override).is_file():
            raise ExportError(f"{FONT_ENV}={override} is not a font file")
        return override, override
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return regular, bold if Path(bold).is_file() else regular
    raise ExportError(
        "no Unicode font found for the PDF; install DejaVu (Debian/Ubuntu: apt-get install fonts-dejavu-core) "
        f"or set {FONT_ENV} to a .ttf file"
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def pdf_bytes(report: Report) -> bytes:
    """The status pack: a title page, Jems' overview, a bullet chart per indicator, and what to explain (with the
    explanations) and the programme-officer checks; each section follows the last on the same page when it fits."""
    from fpdf import FPDF

    regular, bold = unicode_font()
    footer = f"{report.project_name} · progress report {report.period.label} · as of {report.as_of:%d %b %Y}"
    footer += " · Sample data" if report.source.sample else ""

    class Pack(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            _text(self, footer, 8, colour=MUTED, new_line=False)
            self.set_x(self.l_margin)
            self.cell(0, 4, f"page {self.page_no()} of {{nb}}", align="R")

    pdf = Pack(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{report.project_name} progress report {report.period.label}")
    pdf.set_creator(f"{report.project_name} monitoring dashboard")
    pdf.add_font("Sans", "", regular)
    pdf.add_font("Sans", "B", bold)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(14, 14, 14)
    _title_page(pdf, report)
    _indicator_table(pdf, report)
    _narrative_pages(pdf, report)
    _bullet_pages(pdf, report)
    _attention_page(pdf, report)
    return bytes(pdf.output())


def _text(
    pdf: Any,
    text: str,
    size: float,
    bold: bool = False,
    colour: str = INK,
    fill: str | None = None,
    space: float = 0,
    new_line: bool = True,
) -> None:
    """A left-aligned paragraph across the page (or one line when `new_line` is False)."""
    pdf.set_font("Sans", "B" if bold else "", size)
    pdf.set_text_color(*_rgb(colour))
    if fill:
        pdf.set_fill_color(*_rgb(fill))
    if new_line:
        pdf.multi_cell(0, size * 0.5, text, align="L", fill=bool(fill), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(space)
    else:
        pdf.cell(0, size * 0.5, text)


def _clip(text: str, limit: int = TABLE_TEXT) -> str:
    """`text` cut to `limit` characters, the cut shown with "…": a table row must fit on one page."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title_page(pdf: Any, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(40)
    _text(pdf, " · ".join(x for x in (report.programme, report.project_code) if x), 13, colour=MUTED, space=1)
    _text(pdf, report.project_name, 30, bold=True, space=1)
    _text(pdf, f"Progress report · {report.period.label} · status pack", 20, bold=True, space=3)
    _text(pdf, f"Reporting period {report.period.start:%d %b %Y} – {report.period.end:%d %b %Y}", 14, space=1)
    _text(pdf, f"Numbers as of {report.as_of:%d %b %Y}, the end of the period", 14, space=2)
    _text(pdf, _source_line(report), 11, colour=MUTED, space=1)
    _text(
        pdf,
        f"Prepared {dt.date.today():%d %b %Y} with the {report.project_name} monitoring dashboard",
        11,
        colour=MUTED,
        space=5,
    )
    statuses = report.indicators["status"].value_counts()
    summary = ", ".join(f"{statuses[s]} {s}" for s in STATUS_ICONS if s in statuses)
    table = report.indicators
    flagged, below = int(table["deviation"].sum()), int(table["below_milestone"].sum())
    behind = int(table["status"].isin(ATTENTION_STATUSES).sum())
    _text(pdf, f"{len(table)} indicators: {summary}.", 12, space=1)
    _text(
        pdf,
        f"{flagged} to explain: {behind} behind or at risk, {below} below the period's milestone. "
        f"{plural(len(report.findings), 'point')} from the checks.",
        12,
    )
    if report.source.sample:
        pdf.ln(6)
        note = "Sample data: organisation names and all numbers are invented, for demonstration."
        _text(pdf, f"  {note}", 13, bold=True, colour="#FFFFFF", fill="#CC79A7")
        pdf.set_fill_color(255, 255, 255)


_PADDING = 1.2  # mm inside each cell of the PDF's table


def _column_widths(pdf: Any, header: list[str], rows: list[list[str]], stretch: int, room: float) -> list[float]:
    """Widths (mm) of the PDF table's columns: each wide enough for its longest text on one line where the page
    allows, else for its widest word (so a code or a number stays whole and lines break only at spaces); the room
    left goes to column `stretch`."""

    def widest(texts: Iterable[str], style: str, size: float, words: bool) -> float:
        pdf.set_font("Sans", style, size)
        parts = (part for text in texts for part in (text.split(" ") if words else [text]))  # no-break spaces hold
        return max((pdf.get_string_width(part) for part in parts), default=0.0) + 2 * _PADDING + 1

    def fit(words: bool) -> list[float]:
        return [
            max(widest([header[c]], "B", 8, True), widest((r[c] for r in rows), "B", 9, words))
            for c in range(len(header))
        ]

    least, whole = fit(words=True), fit(words=False)
    others = [c for c in range(len(header)) if c != stretch]
    room_left = room - max(least[stretch], room / 4)  # the names keep at least a quarter of the page

    def capped(cap: float) -> list[float]:
        return [max(least[c], min(whole[c], cap)) for c in others]

    low, high = 0.0, max(whole)
    for _ in range(30):  # the widest cap at which the other columns still leave the names their room
        middle = (low + high) / 2
        low, high = (middle, high) if sum(capped(middle)) <= room_left else (low, middle)
    widths = [0.0] * len(header)
    for c, width in zip(others, capped(low), strict=True):
        widths[c] = width
    widths[stretch] = max(room - sum(widths), least[stretch])
    return widths


def _indicator_table(pdf: Any, report: Report) -> None:
    """Jems' overview in its groups and with its headers: each programme result indicator, the output indicators
    linked to it and their outputs, then the output indicators linked to none under Jems' heading for them; the
    delivery period and the indicator's status at the period's end."""
    from fpdf.fonts import FontFace

    pdf.add_page()
    _text(pdf, f"Indicators and outputs at the end of {report.period.label}", 16, bold=True, space=2)
    header = [
        "Code",
        "Indicator · output",
        *(JEMS_COLUMNS[k] for k in JEMS_COLUMNS),
        OVERVIEW_COLUMNS["delivery_period"],
        "Status",
    ]
    status = dict(zip(report.indicators["code"], report.indicators["status"], strict=True))
    rows = []
    for row in report.overview.itertuples(index=False):
        word = status.get(row.code) if row.level in ("result indicator", "output indicator") else None
        numbers = (row.baseline, row.target, row.previously_reported, row.current_report, row.total_reported)
        rows.append(
            [
                _clip(row.code, 40),
                _clip(row.name),
                _clip(row.measurement_unit, 120),
                *(number(v) if row.level != "group" else "" for v in numbers),
                _clip(row.delivery_period, 40).replace(" - ", "\u00a0-\u00a0"),  # "month 25 - 30" on one line
                _status_text(word) if word else "",
            ]
        )
    widths = _column_widths(
        pdf, header, [r for r, lvl in zip(rows, report.overview["level"], strict=True) if lvl != "group"], 1, pdf.epw
    )
    white = (255, 255, 255)
    styles = {
        "group": FontFace(emphasis="BOLD", color=_rgb(INK), fill_color=_rgb(BAND)),
        "result indicator": FontFace(emphasis="BOLD", fill_color=(235, 240, 245)),
        "output indicator": FontFace(emphasis="BOLD"),
        "output": None,
    }
    pdf.set_font("Sans", size=9)
    pdf.set_text_color(*_rgb(INK))
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "LEFT", *("RIGHT",) * 5, "LEFT", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", color=white, fill_color=_rgb("#0072B2"), size_pt=8),
        line_height=4.6,
        padding=_PADDING,
        repeat_headings=1,
    ) as table:
        table.row(header)
        for level, cells_text in zip(report.overview["level"], rows, strict=True):
            cells = table.row(style=styles[level])
            if level == "group":
                cells.cell(cells_text[1], colspan=len(header))
                continue
            for c, text in enumerate(cells_text):
                word = status.get(cells_text[0]) if c == len(header) - 1 and text else None
                style = (
                    FontFace(emphasis="BOLD", color=_rgb(ON_STATUS[word]), fill_color=_rgb(STATUS_COLOURS[word]))
                    if word
                    else None
                )
                cells.cell(("    " if level == "output" and c == 1 else "") + text, style=style)
    pdf.ln(2)
    previously = (
        "the sum of the values submitted in the earlier Jems reports"
        if report.from_submitted
        else "the cumulative value at the end of the previous period"
    )
    note = (
        "As Jems' report overview groups them: each programme result indicator, the output indicators linked to it, "
        "and under each its outputs (indented); then the output indicators not linked to a result indicator. "
        f"Previously Reported: {previously}. Current Report: Total Reported So Far minus Previously Reported, the "
        f"value typed into \u201c{ACHIEVED_LABEL}\u201d for each output and result; Jems shows Total Reported So Far "
        f"as the \u201c{CUMULATIVE_LABEL}\u201d."
    )
    if len(report.late):
        note += f" {plural(len(report.late), 'late record')} dated in an earlier period are in the Current Report."
    if report.indicators["illustrative"].any():
        note += " Some targets are placeholders, not yet approved values."
    _text(pdf, note, 8, colour=MUTED)


def _narrative_pages(pdf: Any, report: Report) -> None:
    """Per output "Progress in this period", per result "Describe progress achieved": the text for Jems."""
    if not report.narratives:
        return
    _section(pdf, 40)
    _text(pdf, f"Progress of the outputs and results in {report.period.label}", 16, bold=True, space=2)
    for n in report.narratives:
        if pdf.will_page_break(20):  # a heading never ends a page without its text
            pdf.add_page()
        _text(pdf, n.heading, 10, bold=True)
        _text(pdf, f"{n.label} ({n.state})", 8, colour=MUTED, space=0.5)
        _text(pdf, n.current, 9, space=2)


def _section(pdf: Any, needed: float) -> None:
    """Start a section below the previous one, or on a new page when less than `needed` mm are left: no page is
    left nearly empty."""
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    else:
        pdf.ln(8)


def _bullet_pages(pdf: Any, report: Report) -> None:
    """A bullet chart per indicator, three to a row, from below the table on."""
    col_width, row_height, gap = 86, 47, 7

    def heading(continued: bool = False) -> float:
        title = f"Achieved, expected and target at the end of {report.period.label}"
        _text(pdf, title + (" (continued)" if continued else ""), 16, bold=True, space=1)
        legend = "Bar: achieved, in the status colour. Dark tick: expected by the period's end. Grey band and "
        _text(pdf, legend + "dashed line: the target.", 9, colour=MUTED, space=3)
        return pdf.get_y()

    _section(pdf, 20 + row_height)
    top = heading()
    for i, p in enumerate(report.progress):
        if i and i % 3 == 0:
            top += row_height
            if top + row_height > pdf.page_break_trigger:
                pdf.add_page()
                top = heading(continued=True)
        _bullet_block(pdf, p, pdf.l_margin + (i % 3) * (col_width + gap), top, col_width)
    pdf.set_xy(pdf.l_margin, top + row_height)


def _badge(pdf: Any, status: str | None, size: float) -> None:
    """The status in words on its colour, like the page's badges (None: "below the period's milestone", on grey);
    the cursor stays on the line."""
    pdf.set_font("Sans", "B", size)
    pdf.set_fill_color(*_rgb(STATUS_COLOURS[status] if status else BAND))
    pdf.set_text_color(*_rgb(ON_STATUS[status] if status else INK))
    text = f" {_status_text(status)} " if status else f" {BELOW_MILESTONE.lower()} "
    pdf.cell(pdf.get_string_width(text) + 1, size * 0.55, text, fill=True)
    pdf.set_fill_color(255, 255, 255)


def _bullet_block(pdf: Any, p: IndicatorProgress, x: float, y: float, width: float) -> None:
    pdf.set_xy(x, y)
    pdf.set_font("Sans", "B", 10)
    pdf.set_text_color(*_rgb(INK))
    pdf.multi_cell(width, 5, _clip(f"{p.code} · {p.name}", 120), align="L", new_x="LEFT", new_y="NEXT")
    _badge(pdf, p.status, 9)
    pdf.set_font("Sans", size=9)
    pdf.set_text_color(*_rgb(MUTED))
    numbers = f"  {number(p.achieved)} of {number(p.target)} · expected {number(p.expected)}"
    pdf.cell(width - 24, 5, numbers, new_x="LEFT", new_y="NEXT")
    pdf.image(io.BytesIO(bullet_picture(p)), x=x, y=pdf.get_y() + 1, w=width)


def _attention_page(pdf: Any, report: Report) -> None:
    """What to explain (behind or at risk, or below the period's milestone) with the explanations, and the checks."""
    _section(pdf, 60)
    _text(pdf, "To explain in the report", 16, bold=True, space=2)
    flagged = report.flagged
    if flagged.empty:
        _text(pdf, "No indicator is behind or at risk, or below its milestone, at the end of the period.", 10, space=2)
    else:
        _text(pdf, EXPLAIN_WHY, 9, colour=MUTED, space=3)
    for row in flagged.itertuples(index=False):
        with pdf.unbreakable() as block:  # an indicator and its explanation on one page
            _badge(block, row.status, 10)
            if row.below_milestone:
                block.cell(2, 5.5, "")
                _badge(block, None, 10)
            _text(block, f"  {row.code} · {row.name}", 11, bold=True)
            _text(block, row.prompt, 10, space=1)
            if row.explanation:
                _text(block, f"Explanation: {row.explanation}", 10, space=3)
            else:
                _text(block, "Explanation: not written yet.", 10, colour=MUTED, space=3)
    pdf.ln(2)
    _text(pdf, "Checks a programme officer would make", 13, bold=True, space=2)
    if not report.findings:
        _text(pdf, f"Nothing found. {CHECKS_PASSED}", 10)
    for f in report.findings:
        where = f" (sheet “{f.tab}”, row {f.row})" if f.tab and f.row else ""
        _text(pdf, f"• {CHECKS[f.check]}: {f.indicators}. {f.message}{where}", 10, space=1)
    if len(report.problems):
        pdf.ln(2)
        _text(
            pdf,
            f"{plural(len(report.problems), 'data problem')} in the source: the cells that could not be read are left out of "
            "the numbers. The Excel export lists each with its cell.",
            10,
        )
