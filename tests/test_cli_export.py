"""`python -m monitoring export`: the files it writes and its exit codes, as a user runs it."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
from pypdf import PdfReader

SAMPLE = Path(__file__).resolve().parents[1] / "data/sample/spinit-sample.xlsx"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", "export", *args], capture_output=True, text=True, timeout=120
    )


def test_export_writes_the_excel_workbook_for_period_3(tmp_path):
    out = tmp_path / "report.xlsx"
    result = run("--period", "3", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: P3 · 01 Jan 2025 – 30 Jun 2025, as of 2025-06-30 (sample data)" in result.stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Overview P3"
    rows = list(book["Overview P3"].iter_rows(min_row=4, values_only=True))
    rco87 = dict(zip(rows[0], next(r for r in rows if r[1] == "RCO87"), strict=True))
    numbers = ("Previously Reported", "Current Report", "Total Reported So Far")  # Jems' overview headers
    assert tuple(rco87[k] for k in numbers) == (16, 6, 22)


def test_export_takes_the_format_from_the_file_name_and_accepts_p3(tmp_path):
    pdf, table = tmp_path / "pack.pdf", tmp_path / "table.csv"
    assert run("--period", "P3", "--out", str(pdf)).returncode == 0
    assert len(PdfReader(pdf).pages) >= 4
    assert run("--period", "3", "--out", str(table)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7 + 3 and {r["Period"] for r in rows} == {"P3"}  # one row per output and per result


def test_a_period_that_does_not_exist_exits_2_and_names_the_periods(tmp_path):
    out = tmp_path / "r.xlsx"
    result = run("--period", "9", "--out", str(out))
    assert result.returncode == 2 and not out.exists()
    assert "no reporting period 9; SpinIT has periods 1 to 5" in result.stderr and "Traceback" not in result.stderr
    result = run("--period", "three", "--out", str(out))
    assert result.returncode == 2 and "like 3 or P3" in result.stderr and "Traceback" not in result.stderr


def test_an_unwritable_file_exits_2_without_a_traceback(tmp_path):
    result = run("--period", "3", "--out", str(tmp_path / "no-such-folder" / "r.csv"))
    assert result.returncode == 2
    assert "cannot write" in result.stderr and "No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("--period", "3", "--format", "csv", "--out", str(tmp_path))  # a folder, not a file
    assert result.returncode == 2 and "cannot write" in result.stderr


def test_an_unknown_extension_without_a_format_exits_2(tmp_path):
    result = run("--period", "3", "--out", str(tmp_path / "report.txt"))
    assert result.returncode == 2 and "add --format xlsx, csv or pdf" in result.stderr


def test_a_missing_source_exits_2_like_the_other_commands(tmp_path):
    result = run("--period", "3", "--out", str(tmp_path / "r.csv"), "--source", str(tmp_path / "nowhere.xlsx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_control_character_in_a_cell_is_exported_as_a_replacement_mark(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["activities"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "A053")  # evidence of P3
    row[3].value = "Bell _x0007_ tab _x000B_ escape _x001B_ end"
    source = tmp_path / "book.xlsx"
    book.save(source)
    out = tmp_path / "report.xlsx"
    result = run("--source", str(source), "--period", "3", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    cells = {c for sheet in openpyxl.load_workbook(out) for row in sheet.iter_rows(values_only=True) for c in row}
    assert "Bell \ufffd tab \ufffd escape \ufffd end" in cells
