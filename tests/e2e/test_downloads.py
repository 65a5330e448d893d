"""Downloads as a user gets them in the browser: each file received and readable."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from tests.e2e.harness import running_app, settle

ROOT = Path(__file__).resolve().parents[2]

CODES = ["RCO87", "RCO83", "RCO84", "RCO116", "RCO81", "RCO85", "RCR79", "RCR104", "RCR84"]


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_report_downloads_are_received_and_parse(app_url, page):
    page.goto(f"{app_url}/reporting?report_period=P3")
    settle(page)
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Excel workbook")))
    assert len(book.sheetnames) >= 4
    first = book[book.sheetnames[0]]
    cells = {str(c.value) for row in first.iter_rows() for c in row if c.value is not None}
    assert set(CODES) <= cells
    rows = list(csv.reader(io.StringIO(download(page, "CSV of outputs and results").decode("utf-8-sig"))))
    assert {cell for row in rows[1:] for cell in row} >= {code for code in CODES if code.startswith("RCO")}
    assert {"Previously Reported", "Achieved in this reporting period", "Cumulative value"} <= set(rows[0])
    pdf = PdfReader(io.BytesIO(download(page, "PDF status pack")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) >= 2 and all(code in text for code in CODES)


def test_data_problem_list_of_a_messy_workbook_downloads_with_every_bad_cell(browser):
    expected = json.loads((ROOT / "tests/data/bad/wrong_types/expected.json").read_text(encoding="utf-8"))
    with running_app(env={"SPINIT_SOURCE": str(ROOT / "tests/data/bad/wrong_types/workbook.xlsx")}) as app:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"{app.url}/data-quality")
        settle(page)
        rows = list(csv.DictReader(io.StringIO(download(page, "Download the problem list (CSV)").decode("utf-8-sig"))))
        context.close()
    assert sorted((r["tab"], r["cell"]) for r in rows) == sorted((t, c) for t, c, _ in expected["problems"])
