"""A workbook cannot exhaust the server: a value in a far-away cell, or a sheet inflated with megabytes of XML
whitespace, is refused with a message naming the tab (and the cell), quickly and within bounded memory.

Before these limits, one value in XFD1048576 of a 42 KB workbook made python-calamine allocate 512 GiB and
abort the process (exit 134); a note in XFD5000 cost 2.5 GB and 7 s.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font
from streamlit.testing.v1 import AppTest

from data_sources import ExcelSource, SourceError
from data_sources.excel import MAX_COLUMNS, MAX_ROWS, MAX_XML_BYTES, _sheet_files
from tests.conftest import APP, overview_counts

ROOT = Path(APP).parent
SAMPLE = ROOT / "data/sample/spinit-sample.xlsx"
MEMORY_LIMIT = 2 * 1024**3


def with_cell(tmp_path: Path, cell: str, value: str | None = "x", tab: str = "activities") -> Path:
    """The sample workbook with one more cell on `tab`: a value, or (value None) an empty but formatted cell."""
    book = openpyxl.load_workbook(SAMPLE)
    target = book[tab][cell]
    if value is None:
        target.font = Font(bold=True)
    else:
        target.value = value
    out = tmp_path / f"far-{cell}.xlsx"
    book.save(out)
    return out


def inflated(tmp_path: Path, megabytes: int, tab: str = "partners") -> Path:
    """The sample workbook with `megabytes` MB of whitespace inside one tab's XML (about 1/1000 of it on disk)."""
    out = tmp_path / "inflated.xlsx"
    with zipfile.ZipFile(SAMPLE) as src:
        member = _sheet_files(src)[tab]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename != member:
                    dst.writestr(info, data)
                    continue
                head, tail = data.split(b"<sheetData>", 1)
                big = zipfile.ZipInfo(member)
                big.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(big, "w", force_zip64=True) as sheet:
                    sheet.write(head + b"<sheetData>")
                    chunk = b" " * 2**20
                    for _ in range(megabytes):
                        sheet.write(chunk)
                    sheet.write(tail)
    return out


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def validate(path: Path) -> tuple[subprocess.CompletedProcess, float]:
    """`python -m monitoring validate --source path` in a process limited to 2 GB of address space."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "monitoring", "validate", "--source", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        preexec_fn=_limit_memory,
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD5000", "A1048576", "CV60000"])
def test_a_value_in_a_far_away_cell_is_refused_naming_the_tab_and_cell(tmp_path, cell):
    result, seconds = validate(with_cell(tmp_path, cell))
    assert result.returncode == 2, result.stderr[-2000:]
    assert "activities" in result.stderr and cell in result.stderr
    assert "Traceback" not in result.stderr and seconds < 30


def test_an_empty_formatted_cell_far_away_is_ignored(tmp_path):
    result, _ = validate(with_cell(tmp_path, "XFD1048576", value=None))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0 errors" in result.stdout + result.stderr


def test_a_sheet_inflated_with_whitespace_is_refused_before_it_is_read(tmp_path):
    megabytes = MAX_XML_BYTES // 2**20 + 20
    path = inflated(tmp_path, megabytes)
    assert path.stat().st_size < 2 * 2**20
    result, seconds = validate(path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "partners" in result.stderr and "MB" in result.stderr
    assert "Traceback" not in result.stderr and seconds < 30


def test_the_limits_are_sane():
    assert 10_000 <= MAX_ROWS <= 1_000_000 and 50 <= MAX_COLUMNS <= 1_000 and MAX_XML_BYTES <= 500 * 2**20


def test_a_value_just_inside_the_limits_is_read(tmp_path):
    raw = ExcelSource(with_cell(tmp_path, "C5", "inside")).read()
    assert raw.tabs["activities"].rows[4][2] == "inside"


def test_the_reader_raises_a_source_error_naming_the_cell(tmp_path):
    with pytest.raises(SourceError, match=r"activities.*XFD5000"):
        ExcelSource(with_cell(tmp_path, "XFD5000")).read()


def test_the_dashboard_shows_the_message_instead_of_dying(tmp_path, monkeypatch):
    column = openpyxl.utils.get_column_letter(MAX_COLUMNS + 5)
    path = with_cell(tmp_path, f"{column}10")
    shutil.copy(path, tmp_path / "book.xlsx")
    monkeypatch.setenv("SPINIT_SOURCE", str(tmp_path / "book.xlsx"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "The monitoring data cannot be read"
    assert "activities" in at.error[0].value and f"{column}10" in at.error[0].value
    assert overview_counts(at) == {}
