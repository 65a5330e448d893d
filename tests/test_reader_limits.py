"""A small file cannot make a reader expand gigabytes: a shared string used by many cells, repeated .ods cells,
a large CSV or a CSV folder are refused before they are read, naming the tab or file, in bounded memory.

Before these limits, a 32 KB .xlsx (one 20 MB shared string in 2,000 cells) and an 800-byte .ods (one cell
repeated 100 x 1,000,000 times) each aborted `validate` at a 4 GB cap (exit 134, 3.5 GB resident), and a
200 MB CSV took 2.7 GB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from data_sources import CsvFolderSource, ExcelSource, SourceError, csv_folder
from tests.conftest import APP
from tests.hostile import ods_cell, ods_row, ods_workbook, repeated_ods, shared_string_workbook

ROOT = Path(APP).parent
MEMORY_LIMIT = 2 * 1024**3
PEAK_MB = 500


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(path: Path, tmp_path: Path) -> tuple[int, str, float]:
    """`python -m monitoring validate --source path` under a 2 GB cap: (exit code, stderr, peak resident MB)."""
    err = tmp_path / "stderr.txt"
    with open(err, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "monitoring", "validate", "--source", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=ROOT,
            preexec_fn=_limit_memory,
        )
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, err.read_text(), usage.ru_maxrss / 1024


def test_a_shared_string_shown_in_many_cells_is_refused_naming_the_tab(tmp_path):
    path = shared_string_workbook(tmp_path / "shared.xlsx", megabytes=20, cells=2_000)
    assert path.stat().st_size < 100_000
    code, stderr, peak = validate(path, tmp_path)
    assert code == 2, stderr[-2000:]
    assert "the tab 'activities' holds too much text" in stderr and "activities!A1" in stderr
    assert "Traceback" not in stderr and peak < PEAK_MB


def test_an_ods_cell_repeated_a_million_times_is_refused_naming_the_tab_and_cell(tmp_path):
    path = repeated_ods(tmp_path / "repeated.ods")
    assert path.stat().st_size < 2_000
    code, stderr, peak = validate(path, tmp_path)
    assert code == 2, stderr[-2000:]
    assert "the tab 'activities' has a value in cell CV1000000" in stderr
    assert "Traceback" not in stderr and peak < PEAK_MB


def test_an_ods_text_repeated_within_the_cell_limits_is_refused(tmp_path):
    path = ods_workbook(tmp_path / "text.ods", ods_row(ods_cell("x" * 100_000, columns=100), rows=1_000))
    with pytest.raises(SourceError, match=r"the tab 'activities' holds too much text"):
        ExcelSource(path).read()


def test_an_ods_run_of_spaces_counts_as_its_length(tmp_path):
    cell = (
        '<table:table-cell office:value-type="string"><text:p><text:s text:c="40000000"/></text:p></table:table-cell>'
    )
    with pytest.raises(SourceError, match=r"too much text.*activities!A1 \(40,000,000 characters\)"):
        ExcelSource(ods_workbook(tmp_path / "spaces.ods", ods_row(cell))).read()


def test_an_ods_workbook_as_libreoffice_saves_it_is_read(tmp_path):
    empty_columns = '<table:table-cell table:number-columns-repeated="16381"/>'
    rows = (
        ods_row(ods_cell("id") + ods_cell("name") + ods_cell("country") + empty_columns)
        + ods_row(ods_cell("P01") + ods_cell("Novi Sad") + ods_cell("Serbia") + empty_columns, rows=3)
        + ods_row('<table:table-cell table:number-columns-repeated="16384"/>', rows=1_048_572)
    )
    raw = ExcelSource(ods_workbook(tmp_path / "partners.ods", rows, tab="partners")).read()
    assert raw.tabs["partners"].rows == [["id", "name", "country"]] + [["P01", "Novi Sad", "Serbia"]] * 3


def test_tabs_each_under_the_cell_limit_are_refused_together(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "partners"
    book["partners"]["CV30000"] = "x"
    book.create_sheet("activities")["CV30000"] = "y"
    book.save(tmp_path / "two.xlsx")
    code, stderr, peak = validate(tmp_path / "two.xlsx", tmp_path)
    assert code == 2, stderr[-2000:]
    assert "the tab 'activities' has a value in cell CV30000" in stderr and "tabs before it" in stderr
    assert "Traceback" not in stderr and peak < PEAK_MB


@pytest.mark.parametrize(("name", "kind"), [("old.xls", "Excel 97-2003"), ("binary.xlsb", "binary Excel")])
def test_a_binary_workbook_is_refused_with_a_request_to_save_it_as_xlsx(tmp_path, name, kind):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(SourceError, match=rf"{name} is an? {kind} workbook.*save it as \.xlsx"):
        ExcelSource(path).read()


def test_a_csv_file_over_the_size_limit_is_refused_naming_it(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "partners.csv").write_text("id,name\nP01,One\n")
    line = b"A1,P01,2025-03-01,workshop,Novi Sad,notes notes notes notes notes notes\n"
    with open(folder / "activities.csv", "wb") as big:
        big.write(line * (csv_folder.MAX_CSV_BYTES // len(line) + 1000))
    code, stderr, peak = validate(folder, tmp_path)
    assert code == 2, stderr[-2000:]
    assert "activities.csv is too large to read" in stderr
    assert "Traceback" not in stderr and peak < PEAK_MB


def test_a_csv_folder_over_the_total_limit_is_refused_naming_the_largest_file(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_folder, "MAX_FOLDER_BYTES", 1_500)
    (tmp_path / "partners.csv").write_text("id\n" + "P01\n" * 300)
    (tmp_path / "activities.csv").write_text("id\n" + "A1\n" * 200)
    with pytest.raises(SourceError, match=r"too large to read.*the largest is partners\.csv"):
        CsvFolderSource(tmp_path).read()


def test_a_csv_of_empty_cells_beyond_the_cell_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_folder, "MAX_CELLS", 1_000)
    (tmp_path / "activities.csv").write_text("id,name\n" + ",,,,,,,,,\n" * 200)
    with pytest.raises(SourceError, match=r"activities\.csv has a value in cell .* beyond the 1,000 cells"):
        CsvFolderSource(tmp_path).read()


def test_a_csv_value_beyond_the_last_column_is_refused_naming_the_cell(tmp_path):
    (tmp_path / "activities.csv").write_text("id\n" + "," * 120 + "far\n")
    with pytest.raises(SourceError, match=r"activities\.csv has a value in cell DQ2"):
        CsvFolderSource(tmp_path).read()


def test_the_dashboard_shows_the_shared_string_message_instead_of_dying(tmp_path, monkeypatch):
    shared_string_workbook(tmp_path / "book.xlsx", megabytes=20, cells=2_000)
    monkeypatch.setenv("SPINIT_SOURCE", str(tmp_path / "book.xlsx"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "The monitoring data cannot be read"
    assert "the tab 'activities' holds too much text" in at.error[0].value
