"""The manager's warnings are the manager's: a value outside an open vocabulary (a renamed activity type) is one
grouped line in `validate` and one row on Data quality, and never lands on a partner's to-do list."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from monitoring import cli
from monitoring.dataset import Dataset, load_dataset
from monitoring.model.config import load_settings
from monitoring.outputs import partners as pa
from monitoring.views import data_quality
from tests.conftest import open_page

SAMPLE = Path("data/sample/spinit-sample.xlsx")
RENAMED = 34
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def renamed(tmp_path_factory) -> Path:
    """The sample with the type of its first 34 activities changed to 'online workshop'."""
    path = tmp_path_factory.mktemp("renamed") / "renamed.xlsx"
    shutil.copy(SAMPLE, path)
    book = openpyxl.load_workbook(path)
    sheet = book["activities"]
    column = next(c.column for c in sheet[1] if c.value == "type")
    for row in range(2, 2 + RENAMED):
        sheet.cell(row=row, column=column).value = "online workshop"
    book.save(path)
    return path


def _load(source: Path | None) -> Dataset:
    return load_dataset(load_settings("indicators.yaml"), "indicators.yaml", str(source) if source else None)


def test_validate_prints_one_grouped_line_for_34_cells_holding_a_new_activity_type(renamed, capsys):
    cli.main(["validate", "--source", str(renamed)])
    out = capsys.readouterr().out.splitlines()
    about = [line for line in out if "online workshop" in line]
    assert len(about) == 1, out
    line = about[0]
    assert line.startswith("WARNING activities type: 34 cells hold 'online workshop', not a declared activity type")
    assert "Add it to `vocabularies.activity_types`" in line and "and 29 more" in line
    assert "exchange, benchmarking" not in line  # the whole vocabulary is not repeated


def test_data_quality_shows_the_34_cells_as_one_row_and_counts_them(renamed):
    quality = data_quality.quality(_load(renamed))
    rows = quality.problems[quality.problems["value"] == "online workshop"]
    assert len(rows) == 1 and rows.iloc[0]["cells"] == RENAMED
    assert rows.iloc[0]["where"].endswith("and 29 more")
    assert quality.warnings == RENAMED


def test_no_partners_to_do_list_grows_when_the_manager_renames_an_activity_type(renamed, sample):
    period = sample.periods[-1]
    before = {who: len(items) for who, items in pa.todo_lists(sample, AS_OF, period).items()}
    after = {who: len(items) for who, items in pa.todo_lists(_load(renamed), AS_OF, period).items()}
    assert after == before


def test_the_data_quality_page_lists_the_34_cells_in_one_row(renamed, monkeypatch):
    monkeypatch.setenv("SPINIT_SOURCE", str(renamed))
    at = open_page("data_quality.py")
    rows = [row for table in at.table for row in table.value.to_dict("records")]
    grouped = [r for r in rows if "online workshop" in str(r.get("Problem and what is expected", ""))]
    assert len(grouped) == 1 and "34 cells hold" in grouped[0]["Problem and what is expected"]
    assert str(grouped[0]["Cell"]).endswith("and 29 more**")
    assert at.metric[1].value == "34"  # warnings count cells
