"""The template workbook: README first, contract headers, drop-downs, and no formula injection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.model.contract import TABS, enum_choices
from monitoring.template import DATE_FORMAT, README_TAB, VALIDATION_LAST_ROW, write_template, write_workbook

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture()
def template(tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "template.xlsx"
    write_template(path)
    return openpyxl.load_workbook(path)


def header(ws: Worksheet) -> list[str]:
    return [cell.value for cell in ws[1] if cell.value is not None]


def validations(ws: Worksheet) -> dict[str, list[str]]:
    """Column letter -> allowed values, for every list validation of ``ws``."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for cell_range in dv.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row == VALIDATION_LAST_ROW
            assert cell_range.min_col == cell_range.max_col
            letter = openpyxl.utils.get_column_letter(cell_range.min_col)
            found[letter] = dv.formula1.strip('"').split(",")
    return found


def test_readme_first_then_contract_tabs(template: openpyxl.Workbook) -> None:
    assert template.sheetnames == [README_TAB, *TABS]


def test_headers_are_the_contract_columns(template: openpyxl.Workbook) -> None:
    for name, tab in TABS.items():
        ws = template[name]
        assert header(ws) == tab.column_names, name
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.max_row == 1  # no data in the template


def readme_sections(ws: Worksheet) -> dict[str, list[tuple]]:
    """Tab name -> its column rows (column, required, what it holds, allowed values, example)."""
    sections: dict[str, list[tuple]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and first.startswith("Tab "):
            current = first.removeprefix("Tab ").split(":")[0].split(" (")[0]
            sections[current] = []
        elif current and first and first != "column":
            sections[current].append(row[:5])
    return sections


def test_readme_describes_every_column(template: openpyxl.Workbook) -> None:
    sections = readme_sections(template[README_TAB])
    assert list(sections) == list(TABS)
    for name, tab in TABS.items():
        rows = sections[name]
        assert [row[0] for row in rows] == tab.column_names, name
        for column, (_, required, holds, allowed, example) in zip(tab.columns, rows, strict=True):
            assert required == ("yes" if column.required else "no"), (name, column.name)
            assert holds == column.help
            open_note = ", or another (kept, with a warning)" if column.open else ""
            assert allowed == ((", ".join(column.choices) + open_note) or None)
            assert example, (name, column.name)
            if column.choices:
                assert example in column.choices, (name, column.name)


def test_enum_columns_have_drop_downs(template: openpyxl.Workbook) -> None:
    expected = enum_choices(TABS)
    assert {column for _, column in expected} == {"role", "org_type", "hub", "type", "cluster", "stage"}
    for name, tab in TABS.items():
        ws = template[name]
        letters = {openpyxl.utils.get_column_letter(i): c for i, c in enumerate(tab.column_names, start=1)}
        found = {letters[letter]: choices for letter, choices in validations(ws).items()}
        wanted = {column: list(choices) for (tab_name, column), choices in expected.items() if tab_name == name}
        assert found == wanted, name


def test_rows_are_written_under_the_header(tmp_path: Path) -> None:
    path = tmp_path / "filled.xlsx"
    write_workbook(
        path,
        {
            "activities": [
                {
                    "activity_id": "A001",
                    "date": dt.date(2025, 3, 14),
                    "type": "training",
                    "title": "Čačak – Târgu Mureș – Хасково",
                    "partner_ids": ("P01", "P05"),
                    "participants": 12,
                    "cluster": None,
                }
            ]
        },
    )
    ws = openpyxl.load_workbook(path)["activities"]
    names = TABS["activities"].column_names
    row = {name: ws.cell(row=2, column=i) for i, name in enumerate(names, start=1)}
    assert row["activity_id"].value == "A001"
    assert row["date"].value == dt.datetime(2025, 3, 14)
    assert row["date"].number_format == DATE_FORMAT
    assert row["title"].value == "Čačak – Târgu Mureș – Хасково"
    assert row["partner_ids"].value == "P01, P05"
    assert row["participants"].value == 12
    assert row["cluster"].value is None
    assert ws.max_row == 2


@pytest.mark.parametrize("text", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "injection.xlsx"
    write_workbook(path, {"activities": [{"activity_id": "A001", "title": text}]})
    for data_only in (False, True):
        ws = openpyxl.load_workbook(path, data_only=data_only)["activities"]
        cell = ws.cell(row=2, column=TABS["activities"].column_names.index("title") + 1)
        assert cell.value == text
        assert cell.data_type == "s"


def test_unknown_tab_or_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not in the contract"):
        write_workbook(tmp_path / "x.xlsx", {"Joint activities": []})
    with pytest.raises(ValueError, match="not in the contract"):
        write_workbook(tmp_path / "x.xlsx", {"activities": [{"activity_id": "A001", "organisations": "P01"}]})


def test_user_documentation_matches_the_contract() -> None:
    """docs/spreadsheets.md lists every tab's columns as the contract has them."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "spreadsheets.md").read_text(encoding="utf-8")
    sections: dict[str, list[list[str]]] = {}
    current = None
    for line in doc.splitlines():
        if line.startswith("### `"):
            current = line.split("`")[1]
            sections[current] = []
        elif current and line.startswith("| `"):
            sections[current].append([cell.strip() for cell in line.strip("|").split("|")])
        elif line.startswith("## "):
            current = None
    assert list(sections) == list(TABS)
    for name, tab in TABS.items():
        rows = sections[name]
        assert [row[0].strip("`") for row in rows] == tab.column_names, name
        for column, row in zip(tab.columns, rows, strict=True):
            assert row[1] == ("yes" if column.required else "no"), (name, column.name)
            assert row[3] == column.help, (name, column.name)
            assert row[4] == ", ".join(f"`{choice}`" for choice in column.choices), (name, column.name)
