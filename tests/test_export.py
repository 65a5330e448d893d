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

from monitoring.outputs import export
from monitoring.outputs.report import build_report
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
        assert row["Previously Reported"] == numbers["previously_reported"], code
        assert row["Records dated in the period"] == row["Current Report"] == numbers["dated_in_period"], code
        assert row["Total Reported So Far"] == numbers["total_reported"], code
        assert row["Planned (milestone)"] == numbers["planned"], code
        assert row["% of target"] == pytest.approx(numbers["total_reported"] / row["Target Value"], abs=0.0005)
    assert rows["RCO116"]["Status"] == "behind" and rows["RCO116"]["To explain"] == "yes"
    assert rows["RCO85"]["Status"] == "on track" and rows["RCO85"]["Below the period's milestone"] == "yes"
    assert rows["RCO116"]["Explanation"] == EXPLAINED["RCO116"]
    assert not any("Achieved in period" in str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    overview = workbook["Overview P3"]
    assert "30 Jun 2025" in overview["A2"].value and "Sample data" in overview["A2"].value
    nested = sheet_rows(overview, 4)
    assert [(r["Level"], r["Code"], r["Name"]) for r in nested[:3]] == [
        (
            "result indicator",
            "RCR79",
            "Programme Result Indicator RCR79: Joint strategies and action plans taken up by organisations",
        ),
        ("output indicator", "RCO83", "Strategies and action plans jointly developed"),
        ("output", "2.1", "Output 2.1: Local Action Plans developed with the Local Discovery Groups"),
    ]
    jems = ["Measurement Unit", "Baseline", "Target Value", "Previously Reported", "Current Report"]
    assert [*jems, "Total Reported So Far"] == list(nested[0])[3:9]
    assert ("group", None, "Programme Output Indicators not linked to a Programme Result Indicator") in [
        (r["Level"], r["Code"], r["Name"]) for r in nested
    ]
    outputs = sheet_rows(workbook["Outputs"], 1)
    assert outputs[0]["Output Nr."] == "O 1.1" and outputs[0]["Jems tab"] == "Work plan progress"
    assert outputs[0]["Achieved in this reporting period"] == 6 and outputs[0]["Cumulative value"] == 22
    assert outputs[0]["Delivery Period"] == "Period 5, month 25 - 30"
    results = sheet_rows(workbook["Results"], 1)
    assert {r["Jems tab"] for r in results} == {"Project results & Horizontal principles"}
    assert {"Programme result indicator", "Achieved in this reporting period", "Cumulative value"} <= set(results[0])


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
    explanation = next(c for c in book["Indicators"][1] if c.value == "Explanation").column
    explained = {book["Indicators"].cell(row=r, column=explanation).value for r in range(2, 11)}
    assert FORMULA in explained and "-2 participants were counted twice" in explained
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in archive.read(n).decode() for n in sheets)  # no formula anywhere


def test_formula_text_in_the_csv_gets_a_leading_quote(formula_report):
    text = export.csv_bytes(formula_report).decode("utf-8-sig")
    rows = {r["Programme indicator"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["RCO87"]["Explanation"] == "'" + FORMULA
    assert rows["RCO81"]["Explanation"] == "'-2 participants were counted twice"
    assert rows["RCO85"]["Explanation"] == "'+ more"
    assert rows["RCO87"]["Cumulative value"] == "3"  # numbers stay numbers: P1, P2 and P3 took part


@pytest.mark.parametrize(
    ("text", "evaluated"),
    [
        ('=HYPERLINK("http://x","y")', True),
        ("=2 sessions moved", True),
        ("- the venue closed", True),  # Excel reads "- the venue closed" as a formula (#NAME?)
        ("+ more", True),
        ("@SUM(A1:A9)", True),
        ("\t=1+1", True),  # a leading tab some spreadsheets drop
        ("-5", False),  # a plain number: read as the number it is
        ("+3.5", False),
        ("\tnote", False),  # a tab before ordinary text: nothing to run
        ("Sessions moved - see below", False),
        ("", False),
    ],
)
def test_only_text_a_spreadsheet_would_evaluate_gets_an_apostrophe_in_the_csv(text, evaluated):
    assert export.defuse_csv(text) == ("'" + text if evaluated else text)


def test_the_csv_carries_outputs_and_results_with_jems_field_names_and_tab_in_utf8(report):
    content = export.csv_bytes(report)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    tabs = [r["Jems tab"] for r in rows]
    assert tabs == ["Work plan progress"] * 7 + ["Project results & Horizontal principles"] * 3
    assert [r["Nr."] for r in rows] == ["O 1.1", "O 1.2", "O 1.3", "O 2.1", "O 3.1", "O 3.2", "O 4.1", "1", "2", "3"]
    assert "Achieved in period" not in rows[0] and "Current report" not in rows[0]
    by_number = {r["Nr."]: r for r in rows}
    out = by_number["O 1.1"]
    assert out["Programme indicator"] == "RCO87" and out["Delivery period"] == "Period 5, month 25 - 30"
    assert out["Previously Reported"] == "16" and out["Cumulative value"] == "22"
    assert out["Achieved in this reporting period"] == "6" and out["Records dated in the period"] == "6"
    assert by_number["O 4.1"]["Explanation"] == EXPLAINED["RCO116"]
    assert out["Period"] == "P3" and out["As of"] == "2025-06-30"
    result = by_number["3"]
    assert result["Programme indicator"] == "RCR84" and result["Delivery period"] == "After project implementation"


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
    assert "To explain in the report" in text and "not written yet" in text  # RCO85's explanation is still missing


def test_the_pdf_speaks_to_a_committee_and_keeps_codes_and_words_whole(report):
    pdf = export.pdf_bytes(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "`" not in text and "indicators.yaml" not in text and "never_above" not in text
    words = set(re.findall(r"[\w/.-]+", text))
    for code in report.indicators["code"]:  # no code split over two lines ("RCR10" / "4")
        assert code in words, code
    assert "implementation" in words and "implement" not in words and "ation" not in words
    assert "Period 5, month 25 - 30" in text.replace("\n", " ").replace("\xa0", " ")
    title = reader.pages[0].extract_text().replace("\n", " ")
    assert "2 to explain: 1 behind or at risk, 2 below the period's milestone." in title


def test_no_page_of_the_pdf_but_the_last_is_left_half_empty(report):
    reader = PdfReader(io.BytesIO(export.pdf_bytes(report)))
    for number, page in enumerate(reader.pages[:-1], start=1):
        heights: list[float] = []  # where text sits, in points from the bottom; the footer (below 45 pt) left out

        def note(text: str, cm: list[float], tm: list[float], font: object, size: float, seen=heights) -> None:
            if text.strip():
                seen.append(tm[5])

        page.extract_text(visitor_text=note)
        lowest = min(y for y in heights if y > 45)
        assert lowest < float(page.mediabox.height) / 2, f"page {number} ends at {lowest:.0f} pt"


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
