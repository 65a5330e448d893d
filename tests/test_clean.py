"""Reading tabs as partners lay them out: headers where they put them, blank rows, odd files."""

import dataclasses

import openpyxl
import pytest

from data_sources import CsvFolderSource, ExcelSource, RawTab, RawWorkbook, SourceError
from monitoring.formatting import column_letter
from monitoring.model.contract import TABS
from monitoring.sheet.clean import cell_link, clean_tab, clean_workbook, empty_table, header_key
from tests.factories import raw_tab, settings, workbook

ACTIVITIES = TABS["activities"]
ROW = ["A1", "2025-03-14", "exchange", "Peer exchange", "P1, P2", "L1", "12", "IT", "https://example.org/a1"]
HEADER = ACTIVITIES.column_names


def tab(rows: list[list], link: str = "") -> RawTab:
    return RawTab("activities", rows, origin="test.xlsx", link=link)


def cells(problems) -> list[tuple[str, str, str]]:
    return [(p.cell, p.column, p.level) for p in problems]


def test_header_below_a_merged_title_banner_and_a_note_is_found_and_rows_keep_their_sheet_numbers():
    rows = [["SpinIT joint activities 2024-2026", "", ""], ["Fill one row per activity", "", ""], [], HEADER, ROW]
    frame, problems = clean_tab(tab(rows), ACTIVITIES, {})
    assert problems == []
    assert list(frame["activity_id"]) == ["A1"] and list(frame["_row"]) == [5]


@pytest.mark.parametrize(
    "header",
    ["Activity ID", " ACTIVITY-ID ", "activity_id *", "Activity id (unique)", "activity  id:", "\ufeffactivity_id"],
)
def test_header_case_spaces_dashes_stars_colons_and_notes_are_ignored(header):
    assert header_key(header) == "activity_id"
    frame, problems = clean_tab(tab([[header, *HEADER[1:]], ROW]), ACTIVITIES, {})
    assert problems == [] and frame.loc[0, "activity_id"] == "A1"


def test_header_may_start_in_another_column_and_extra_columns_are_ignored():
    rows = [["notes", *HEADER, "internal"], ["call back", *ROW, "X-1"]]
    frame, problems = clean_tab(tab(rows), ACTIVITIES, {})
    assert problems == []
    assert frame.loc[0, "participants"] == 12 and frame.attrs["letters"]["activity_id"] == "B"


def test_blank_rows_and_rows_with_nothing_in_the_contract_columns_are_skipped():
    rows = [[*HEADER, "notes"], ROW, [""] * 9, ["  ", None, "", "", "", "", "", "", "", "a side note"], [*ROW[:0]]]
    rows.append(["A2", *ROW[1:]])
    frame, problems = clean_tab(tab(rows), ACTIVITIES, {})
    assert problems == []
    assert list(frame["_row"]) == [2, 6]


def test_rows_shorter_than_the_header_are_read_with_empty_cells():
    frame, problems = clean_tab(tab([HEADER, ROW[:5]]), ACTIVITIES, {})
    assert problems == []
    assert frame.loc[0, "partner_ids"] == ("P1", "P2") and frame["evidence_url"].isna().all()


def test_two_header_cells_with_the_same_name_the_first_is_used_and_the_second_reported():
    rows = [[*HEADER, "Title"], [*ROW, "other title"]]
    frame, problems = clean_tab(tab(rows), ACTIVITIES, {})
    assert cells(problems) == [("J1", "title", "error")]
    assert problems[0].message == "this header is also in D1; D1 is used"
    assert frame.loc[0, "title"] == "Peer exchange"


def test_missing_required_column_is_reported_on_the_header_row_with_a_lookalike_header_named():
    header = ["activity_id", "date", "type", "title", "partner id list"]
    frame, problems = clean_tab(tab([[], header, ROW[:5]]), ACTIVITIES, {})
    assert cells(problems) == [("2:2", "partner_ids", "error")]
    assert "is 'partner id list' in E2 meant to be it? Rename it to 'partner_ids'" in problems[0].message
    assert frame["partner_ids"].isna().all() and list(frame["_row"]) == [3]


def test_a_header_row_pasted_again_among_the_data_is_skipped_with_a_warning():
    frame, problems = clean_tab(tab([HEADER, ROW, HEADER, ["A2", *ROW[1:]]]), ACTIVITIES, {})
    assert cells(problems) == [("3:3", "", "warning")]
    assert list(frame["activity_id"]) == ["A1", "A2"]


def test_bad_cells_are_reported_in_sheet_order_and_left_empty():
    bad = ["A2", "31.02.2025", "party", "x", "P1", "", "-3", "", "www.example.org"]
    frame, problems = clean_tab(tab([HEADER, ROW, bad]), ACTIVITIES, {})
    assert cells(problems) == [
        ("B3", "date", "error"),
        ("C3", "type", "warning"),  # activity types are an open vocabulary: kept, with a warning
        ("G3", "participants", "error"),
        ("I3", "evidence_url", "error"),
    ]
    assert problems[0].value == "31.02.2025"
    assert frame.loc[1, ["date", "participants", "evidence_url"]].isna().all()
    assert frame.loc[1, "type"] == "party"


def test_an_unknown_value_of_an_open_vocabulary_is_kept_as_written_and_one_of_a_closed_one_is_an_error():
    header = ["partner_id", "name", "country", "role", "org_type"]
    rows = [header, ["P1", "Lab", "RS", "PP", "Research centre"], ["P2", "Hub", "RS", "sponsor", "SME"]]
    frame, problems = clean_tab(tab(rows), TABS["partners"], {})
    assert cells(problems) == [("E2", "org_type", "warning"), ("D3", "role", "error")]
    assert "not one of the declared org types" in problems[0].message and "kept as written" in problems[0].message
    assert list(frame["org_type"]) == ["Research centre", "SME"]
    assert frame.loc[1, "role"] is None


def test_an_empty_required_cell_is_reported():
    _frame, problems = clean_tab(tab([HEADER, ["A2", "", *ROW[2:]]]), ACTIVITIES, {})
    assert cells(problems) == [("B2", "date", "error")] and problems[0].message == "required value is missing"


def test_each_problem_links_to_its_cell_when_the_source_has_a_link():
    link = "https://docs.google.com/spreadsheets/d/KEY/edit#gid=7"
    frame, problems = clean_tab(tab([HEADER, ["A2", "soon", *ROW[2:]]], link), ACTIVITIES, {})
    assert problems[0].link == f"{link}&range=B2"
    assert frame.attrs["link"] == link and frame.attrs["letters"]["date"] == "B"
    assert (
        cell_link("", "B2") == ""
        and cell_link(link, "") == link
        and cell_link(link, "3:3").endswith("#gid=7&range=3:3")
    )
    assert cell_link("https://docs.google.com/spreadsheets/d/KEY/edit", "B2").endswith("/edit#range=B2")


def test_columns_remapped_in_the_configuration_are_found_by_their_workbook_names():
    rows = [["Code", *HEADER[1:]], ["A9", *ROW[1:]]]
    frame, problems = clean_tab(tab(rows), ACTIVITIES, {"activity_id": "Code"})
    assert problems == [] and frame.loc[0, "activity_id"] == "A9"


def test_an_empty_optional_tab_is_fine_and_an_empty_required_tab_is_an_error():
    book = workbook()
    tabs = dict(book.tabs) | {
        "milestones": RawTab("milestones", [], "test.xlsx"),
        "indicator_values": RawTab("indicator_values", [[""], [None]], "test.xlsx"),
    }
    tables, problems = clean_workbook(dataclasses.replace(book, tabs=tabs), settings())
    assert [(p.tab, p.cell) for p in problems] == [("indicator_values", "")]
    assert problems[0].message.startswith("the tab is empty; expected a header row with indicator, date, value")
    assert tables["milestones"].empty and list(tables["milestones"].columns)[:3] == ["indicator", "period", "planned"]


def test_a_tab_without_any_header_says_which_columns_it_expects():
    _tables, problems = clean_workbook(
        RawWorkbook({"partners": RawTab("partners", [["a", "b"], [1, 2]], "x.xlsx")}, "x.xlsx", "excel"), settings()
    )
    partners = next(p for p in problems if p.tab == "partners")
    assert partners.message == (
        "no header row found in the first 20 rows; expected a header row with partner_id, name, country, role"
    )


def test_a_missing_tab_lists_the_tabs_the_workbook_has_and_a_missing_csv_file_is_named_as_a_file():
    tabs = {name: raw_tab(name, []) for name in TABS if name != "pilots"} | {"Notes": raw_tab("partners", [])}
    _, problems = clean_workbook(RawWorkbook(tabs, "book.xlsx", "excel"), settings())
    assert [p.message for p in problems] == [
        "the tab 'pilots' is missing from the workbook (it has partners, locations, activities, action_plans, "
        "indicator_values, milestones, reported, Notes); RCO84, RCO116 are measured on it"
    ]
    _, problems = clean_workbook(RawWorkbook({"partners": raw_tab("partners", [])}, "folder", "csv"), settings())
    assert problems[0].message.startswith("the file 'locations.csv' is missing from the folder (it has partners.csv)")


def test_empty_table_has_every_contract_column_and_no_position():
    frame = empty_table(ACTIVITIES)
    assert list(frame.columns) == [*HEADER, "_row", "_origin"] and frame.attrs == {"letters": {}, "link": ""}
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


# --- the readers' robustness ---------------------------------------------------------------------------


def test_formula_error_cells_in_an_xlsx_are_read_as_their_error_text(tmp_path):
    path = tmp_path / "errors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "activities"
    sheet.append(HEADER)
    sheet.append(["A1", "#REF!", *ROW[2:6], "#N/A"])  # openpyxl stores these as error cells
    book.save(path)
    raw = ExcelSource(path).read()
    assert raw.tabs["activities"].rows[1][1] == "#REF!" and raw.tabs["activities"].rows[1][6] == "#N/A"
    _frame, problems = clean_tab(raw.tabs["activities"], ACTIVITIES, {})
    assert [(p.cell, p.message) for p in problems] == [
        ("B2", "spreadsheet formula error #REF!"),
        ("G2", "spreadsheet formula error #N/A"),
    ]


def test_an_empty_file_is_named_as_such(tmp_path):
    path = tmp_path / "download.xlsx"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match=r"download.xlsx is an empty file \(0 bytes\)"):
        ExcelSource(path).read()


def test_csv_with_semicolons_decimal_commas_and_a_cell_spanning_lines_is_read(tmp_path):
    (tmp_path / "activities.CSV").write_text(
        'activity_id;title;participants\r\nA1;"Peer exchange;\r\nday two";1,5\r\n', encoding="utf-8-sig"
    )
    raw = CsvFolderSource(tmp_path).read()
    assert raw.tabs["activities"].rows == [
        ["activity_id", "title", "participants"],
        ["A1", "Peer exchange;\r\nday two", "1,5"],
    ]


def test_csv_saved_as_utf16_unicode_text_is_read(tmp_path):
    (tmp_path / "partners.csv").write_bytes("partner_id\tcountry\r\nP1\tSrbija\r\n".encode("utf-16"))
    assert CsvFolderSource(tmp_path).read().tabs["partners"].rows == [["partner_id", "country"], ["P1", "Srbija"]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Café".encode("cp1252"), "partners.csv is not UTF-8 text"),
        (b"partner_id\x00\x00", "partners.csv is not a text file"),
    ],
)
def test_csv_that_is_not_utf8_text_is_refused_with_what_to_do(tmp_path, content, message):
    (tmp_path / "partners.csv").write_bytes(content)
    with pytest.raises(SourceError, match=message):
        CsvFolderSource(tmp_path).read()
