"""The report as files: the Excel workbook re-read with openpyxl, the CSV, and the PDF status pack's text."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile

import openpyxl
import pytest
from pypdf import PdfReader

from monitoring import export
from monitoring.report import INDICATOR_COLUMNS, build_report
from tests.factories import dataset
from tests.test_report import p3_by_hand

FORMULA = '=HYPERLINK("http://x","y")'
EXPLAINED = {"RCO116": "Validation moved to September 2025 after the meeting in Čačak; Маришки иновационен център."}


@pytest.fixture(scope="module")
def report(sample):
    return build_report(sample, 3, EXPLAINED)


@pytest.fixture(scope="module")
def workbook(report):
    return openpyxl.load_workbook(io.BytesIO(export.excel_bytes(report)))


def sheet_rows(sheet, header_row: int) -> list[dict[str, object]]:
    headers = [c.value for c in sheet[header_row]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=header_row + 1, values_only=True)]


@pytest.fixture(scope="module")
def formula_report():
    """A workbook whose sheet text looks like formulas, and an explanation typed as one."""
    data = dataset(
        activities=[
            {
                "activity_id": "A1",
                "date": "2024-03-01",
                "type": "workshop",
                "title": FORMULA,
                "partner_ids": "P1, P2",
                "participants": 10,
                "evidence_url": "https://example.org/a1",
            },
            {
                "activity_id": "A2",
                "date": "2024-03-02",
                "type": "event",
                "title": "@SUM(A1:A9)",
                "partner_ids": "P1, P3",
            },
        ]
    )
    return build_report(data, 1, {"RCO87": FORMULA, "RCO81": "-2 participants were counted twice", "RCO85": "+ more"})


def test_the_excel_indicator_sheet_has_the_numbers_of_the_sheet_worked_out_by_hand(workbook, report):
    sheet = workbook["Indicators"]
    rows = {r["Code"]: r for r in sheet_rows(sheet, 1)}
    assert list(rows) == list(report.indicators["code"])
    for code, numbers in p3_by_hand().items():
        row = rows[code]
        assert row["Previously reported"] == numbers["previously_reported"], code
        assert row["Achieved in period"] == row["Current report"] == numbers["achieved_in_period"], code
        assert row["Total reported so far"] == numbers["total_reported"], code
        assert row["Planned (milestone)"] == numbers["planned"], code
        assert row["% of target"] == pytest.approx(numbers["total_reported"] / row["Target value"], abs=0.0005)
    assert rows["RCO116"]["Status"] == "behind" and rows["RCO116"]["Deviation"] == "yes"
    assert rows["RCO116"]["Explanation of the deviation"] == EXPLAINED["RCO116"]
    overview = workbook["Overview P3"]
    assert "30 Jun 2025" in overview["A2"].value and "Sample data" in overview["A2"].value
    nested = sheet_rows(overview, 4)
    assert [(r["Level"], r["Code"]) for r in nested[:3]] == [
        ("result indicator", "RCR79"),
        ("output indicator", "RCO83"),
        ("output", "2.1"),
    ]
    assert {"Measurement unit", "Baseline", "Target value", "Previously reported", "Current report"} <= set(nested[0])


def test_the_excel_workbook_has_a_styled_sheet_per_table(workbook, report):
    assert workbook.sheetnames == [
        "Overview P3",
        "Outputs",
        "Results",
        "Indicators",
        "Late records",
        "Evidence",
        "Records behind",
        "Checks",
        "Data problems",
        "About",
    ]
    overview = workbook["Overview P3"]
    assert overview.freeze_panes == "D5"
    header = overview["A4"]
    assert header.font.bold and header.fill.fgColor.rgb.endswith("0072B2")
    indicators = workbook["Indicators"]
    percent = next(c for c in indicators[1] if c.value == "% of target").column
    assert indicators.cell(row=2, column=percent).number_format == "0.0%"
    assert indicators.column_dimensions["B"].width >= 40  # the indicator names are readable
    evidence = workbook["Evidence"]
    assert evidence.freeze_panes == "C2" and evidence.auto_filter.ref.startswith("A1:")
    rows = sheet_rows(evidence, 1)
    assert len(rows) == len(report.evidence) == 27
    link = evidence.cell(row=2, column=5)
    assert link.hyperlink.target == rows[0]["Evidence"] and evidence.cell(row=2, column=1).number_format == "yyyy-mm-dd"
    records = sheet_rows(workbook["Records behind"], 1)
    assert sum(r["Amount"] for r in records if r["Indicator"] == "RCO81") == 235
    about = {r["Item"]: r["Value"] for r in sheet_rows(workbook["About"], 1)}
    assert about["Numbers as of"].startswith("2025-06-30") and about["Sample data"].startswith("yes")


def test_formula_text_comes_back_from_the_excel_export_as_text(formula_report):
    content = export.excel_bytes(formula_report)
    book = openpyxl.load_workbook(io.BytesIO(content))
    titles = {c.value: c for c in book["Records behind"]["D"][1:]}
    cell = titles[FORMULA]
    assert cell.data_type == "s" and cell.quotePrefix
    explanation = next(c for c in book["Indicators"][1] if c.value == "Explanation of the deviation").column
    explained = {book["Indicators"].cell(row=r, column=explanation).value for r in range(2, 11)}
    assert FORMULA in explained and "-2 participants were counted twice" in explained
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)  # no formula anywhere


def test_formula_text_in_the_csv_gets_a_leading_quote(formula_report):
    text = export.csv_bytes(formula_report).decode("utf-8-sig")
    rows = {r["Indicator"]: r for r in csv.DictReader(io.StringIO(text))}
    explanation = "Explanation of the deviation"
    assert rows["RCO87"][explanation] == "'" + FORMULA
    assert rows["RCO81"][explanation] == "'-2 participants were counted twice"
    assert rows["RCO85"][explanation] == "'+ more"
    assert rows["RCO87"]["Total reported so far"] == "3"  # numbers stay numbers: P1, P2 and P3 took part


def test_the_csv_is_the_outputs_table_in_jems_names_in_utf8_that_excel_opens(report):
    content = export.csv_bytes(report)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert (
        [r["Output"] for r in rows]
        == list(report.outputs["number"])
        == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "4.1"]
    )
    assert set(rows[0]) >= {
        "Period",
        "As of",
        *(INDICATOR_COLUMNS[k] for k in ("previously_reported", "total_reported")),
    }
    by_output = {r["Output"]: r for r in rows}
    assert by_output["1.1"]["Indicator"] == "RCO87" and by_output["1.1"]["Delivery period"] == "P5"
    assert by_output["1.1"]["Previously reported"] == "16" and by_output["1.1"]["Total reported so far"] == "22"
    assert by_output["1.1"]["Current report"] == "6"
    assert by_output["4.1"]["Explanation of the deviation"] == EXPLAINED["RCO116"]
    assert by_output["1.1"]["Period"] == "P3" and by_output["1.1"]["As of"] == "2025-06-30"


def test_the_pdf_status_pack_has_pages_and_names_every_indicator(report):
    reader = PdfReader(io.BytesIO(export.pdf_bytes(report)))
    assert len(reader.pages) >= 4
    text = "\n".join(page.extract_text() for page in reader.pages)
    for code in report.indicators["code"]:
        assert code in text
    title = reader.pages[0].extract_text()
    assert "SpinIT" in title and "P3" in title and "30 Jun 2025" in title and "spinit-sample.xlsx" in title
    assert "Sample data" in title
    assert "Čačak" in text and "Маришки" in text  # Unicode prints
    assert "Needs attention" in text and "not written yet" in text  # RCO85's explanation is still missing


def test_the_bullet_chart_shows_achieved_expected_and_target(report):
    p = next(p for p in report.progress if p.code == "RCO87")  # 22 of 30, expected 17, on track
    svg = export.bullet_picture(p).decode("utf-8")
    assert svg.startswith("<svg") and "<title>" not in svg  # fpdf2 has no use for a title
    assert 'fill="#009E73"' in svg  # the achieved bar in the on-track colour
    assert [t for t in re.findall(r">([0-9,]+)</text>", svg)] == ["0", "10", "20", "30"]


def test_the_pdf_draws_one_bullet_chart_per_indicator(report, monkeypatch):
    drawn = []
    original = export.bullet_picture
    monkeypatch.setattr(export, "bullet_picture", lambda p: drawn.append(p.code) or original(p))
    export.pdf_bytes(report)
    assert drawn == list(report.indicators["code"])


def test_without_a_unicode_font_the_pdf_says_what_to_install(report, monkeypatch):
    monkeypatch.delenv(export.FONT_ENV, raising=False)
    monkeypatch.setattr(export, "FONT_CANDIDATES", (("/nowhere/a.ttf", "/nowhere/b.ttf"),))
    with pytest.raises(export.ExportError, match="fonts-dejavu-core"):
        export.pdf_bytes(report)


def test_file_names_say_the_project_period_and_date(report):
    assert export.file_name(report, "xlsx") == "SpinIT-report-P3-2025-06-30.xlsx"


def test_a_very_long_sheet_text_is_cut_visibly_in_the_pdf_table(report):
    overview = report.overview.copy()
    overview.loc[overview["level"] == "output", "name"] = "Long title " * 1_000  # 11,000 characters
    explanations = {code: "x" * 10_000 for code in report.explanations} | {"RCO116": "Why " * 2_500}
    long = dataclasses.replace(report, overview=overview, explanations=explanations)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(export.pdf_bytes(long))).pages)
    assert "Long title Long title" in text and "…" in text
    assert text.count("Why") > 2_000  # a long explanation flows on over the pages, whole
