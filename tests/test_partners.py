"""Per organisation: its records, its share of each indicator, the problems in its rows and its to-do list;
and the meetings drawn on the time charts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from monitoring.model.config import ConfigError, load_settings
from monitoring.model.contract import TABS
from monitoring.outputs import partners as pa
from monitoring.outputs.meetings import meetings
from monitoring.views import partners as view
from tests import factories
from tests.test_pipelines import pilot
from ui.meeting_rules import meeting_layer

END = dt.date(2026, 6, 30)


def _involves(data, tab: str, row: int, origin: str, who: str) -> bool:
    """Independently of monitoring.outputs.partners: does the sheet row name `who` as its lead or one of its partners?"""
    frame = data.tables[tab]
    hit = frame[(frame["_row"] == row) & (frame["_origin"] == origin)].iloc[0]
    lead = hit[TABS[tab].lead_column] if TABS[tab].lead_column else None
    many = hit[TABS[tab].partners_column] if TABS[tab].partners_column else ()
    return lead == who or who in (many if isinstance(many, tuple) else ())


def test_the_partners_table_lists_every_organisation_of_the_sample(sample):
    table = view.overview(sample, END, sample.periods[-1])
    assert len(table) == 30 == sample.counts()["organisations"]
    assert table["partner_id"].is_unique
    assert set(table["country"]) >= {"Romania", "Serbia", "Bulgaria"}


@pytest.mark.parametrize("who", ["P01", "P07", "P12", "P28"])
def test_records_behind_each_indicator_are_exactly_its_records_involving_the_organisation(sample, who):
    for ind in sample.settings.indicators:
        contribs = sample.contributions[ind.code]
        shown = contribs[contribs["date"] <= "2026-06-30"]  # as the Indicator page's Records tab filters them
        if pa.counts_organisations(ind):  # each record is one organisation's own entry
            expected = shown[shown["partner_id"] == who]
        else:
            mask = [
                _involves(sample, tab, row, origin, who)
                for tab, row, origin in zip(shown["tab"], shown["_row"], shown["_origin"], strict=True)
            ]
            expected = shown[mask]
        got = pa.indicator_records(sample, ind, who, END)
        assert sorted(got["record"].astype(str)) == sorted(expected["record"].astype(str)), ind.code
        assert got["amount"].sum() == pytest.approx(expected["amount"].sum())


def test_shares_of_indicators_summed_over_one_organisation_rows_add_up_to_the_project_number(sample):
    shares = pa.shares(sample, END)
    progress = {p.code: p.achieved for p in sample.progress(END)}
    one_owner = [
        i
        for i in sample.settings.indicators
        if pa.counts_organisations(i) or (TABS[i.measure.tab].lead_column and not TABS[i.measure.tab].partners_column)
    ]
    assert any(i.measure.tab == "indicator_values" for i in one_owner)
    for ind in one_owner:
        total = shares.loc[shares["code"] == ind.code, "amount"].sum()
        assert total == pytest.approx(progress[ind.code]), ind.code


def _troubled():
    """P1 recorded an activity with P2 whose date cannot be read; P4 has a role the closed vocabulary refuses;
    P3 recorded a counted activity with P2 that has no evidence; nobody but P1/P2/P3 recorded anything."""
    return factories.dataset(
        partners=[*factories.PARTNERS[:3], {**factories.PARTNERS[3], "role": "sponsor"}],
        activities=[
            {"activity_id": "A1", "date": "31.02.2025", "type": "exchange", "title": "Bad date",
             "partner_ids": "P1, P2", "location_id": "L1", "participants": 5, "evidence_url": "https://e.org/1"},
            {"activity_id": "A2", "date": "2025-03-10", "type": "exchange", "title": "=HYPERLINK(\"x\")",
             "partner_ids": "P3, P2", "location_id": "L2", "participants": 7},
        ],
    )  # fmt: skip


def test_a_problem_goes_to_the_organisation_that_recorded_its_activity_not_to_every_partner():
    data = _troubled()
    found = pa.problems_by_partner(data)
    assert any(p.tab == "activities" and p.column == "date" for p in found["P1"])  # first in "P1, P2"
    assert "P2" not in found and "P3" not in found
    assert any(p.tab == "partners" and p.column == "role" for p in found["P4"])


def test_a_pilots_missing_validation_report_is_on_its_lead_partners_list_only():
    data = factories.dataset(
        pilots=[
            pilot("PIL10", "validated", start="2025-01-15", end="2025-03-30", validated_on="2025-04-10",
                  lead_partner_id="P2", partner_ids="P1, P3, P4")
        ]
    )  # fmt: skip
    lists = pa.todo_lists(data, dt.date(2025, 6, 30), data.periods[2])
    owing = {who for who, items in lists.items() if any("PIL10" in i.text for i in items)}
    assert owing == {"P2"}
    item = next(i for i in lists["P2"] if "PIL10" in i.text)
    letter = data.tables["pilots"].attrs["letters"]["validation_url"]
    assert item.where == f"pilots!{letter}2" and item.record == "PIL10 “Pilot PIL10”"


def test_a_new_activity_type_stays_off_every_partners_to_do_list():
    rows = [
        {"activity_id": f"A{i}", "date": "2025-03-10", "type": "workshop", "title": f"Workshop {i}",
         "partner_ids": "P1, P2" if i % 2 else "P3", "location_id": "L1", "participants": 5,
         "evidence_url": "https://e.org/1"}
        for i in range(1, 35)
    ]  # fmt: skip
    original = factories.dataset(activities=rows)
    before = pa.todo_lists(original, END, original.periods[-1])
    renamed = [{**r, "type": "online workshop"} for r in rows]
    data = factories.dataset(activities=renamed)
    assert sum(p.vocabulary == "activity_types" for p in data.problems) == 34
    after = pa.todo_lists(data, END, data.periods[-1])
    assert {who: len(items) for who, items in after.items()} == {who: len(items) for who, items in before.items()}
    assert not any("activity type" in i.text for items in after.values() for i in items)


def test_to_do_lists_name_cells_missing_evidence_and_silence_and_skip_who_has_nothing_to_fix():
    data = _troubled()
    period = data.periods[2]  # P3: 2025-01-01 to 2025-06-30
    lists = pa.todo_lists(data, dt.date(2025, 6, 30), period)
    kinds = {who: [i.kind for i in items] for who, items in lists.items()}
    assert kinds["P1"] == ["problem", "silent"]  # its only activity has no readable date
    assert "evidence" in kinds["P3"] and "silent" not in kinds["P3"]
    assert any(i.where.endswith("activities!B2") for i in lists["P1"])
    assert "P3" in lists and all(i.kind != "problem" for i in lists["P3"])
    clean = factories.dataset(
        activities=[
            {"activity_id": "A1", "date": "2025-03-10", "type": "exchange", "title": "Fine",
             "partner_ids": "P1, P2, P3, P4", "location_id": "L1", "participants": 5, "evidence_url": "https://e/1"}
        ]
    )  # fmt: skip
    assert pa.todo_lists(clean, dt.date(2025, 6, 30), period) == {}


def test_to_do_workbook_has_a_tab_per_organisation_with_something_to_fix_and_no_live_formula():
    data = _troubled()
    period = data.periods[2]
    lists = pa.todo_lists(data, dt.date(2025, 6, 30), period)
    book = load_workbook(io.BytesIO(pa.todo_workbook(lists, pa.names_of(data), period, "SpinIT")))
    assert book.sheetnames == ["Summary", *lists]
    cells = [c.value for row in book["P3"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in v for v in cells)
    assert not any(v.startswith("=") for sheet in book for row in sheet.iter_rows() for c in row
                   if isinstance(v := c.value, str))  # fmt: skip
    header = [c.value for c in book["P3"][3]]
    assert header == ["What", "Where", "Record", "To do", "Link"]
    first = [c.value for c in book["P3"][4]]
    assert first[0] == "Evidence missing" and first[2].startswith("A2 “")  # words, and the record it is about
    text = pa.todo_text(lists, pa.names_of(data), period, "SpinIT")
    assert "P1 · Cluj Hub" in text and "activities!B2" in text and "nothing recorded in P3" in text
    assert "(s)" not in text and "P1 · Cluj Hub — 2 items" in text


def test_the_partner_detail_shows_its_records_shares_and_problems():
    data = _troubled()
    found = view.detail(data, "P2", dt.date(2025, 6, 30), data.periods[2])
    assert list(found.records["record"]) == ["A2"]
    assert found.problems.empty  # the unreadable date is in P1's activity: P1 recorded it
    assert set(view.detail(data, "P1", dt.date(2025, 6, 30), data.periods[2]).problems["where"]) == {"B2"}
    assert view.detail(data, "P99", dt.date(2025, 6, 30), data.periods[2]) is None


def test_filters_keep_countries_roles_and_those_with_something_to_fix(sample):
    table = view.overview(sample, END, sample.periods[-1])
    serbian = view.chosen(table, ["Serbia"], [], False)
    assert len(serbian) and set(serbian["country"]) == {"Serbia"}
    assert set(view.chosen(table, [], ["ASP"], False)["role"]) == {"ASP"}
    assert (view.chosen(table, [], [], True)["to_fix"] > 0).all()


def test_steering_committees_are_the_meetings_on_the_time_charts(sample):
    found = meetings(sample, sample.settings.project.start, END)
    acts = sample.tables["activities"]
    assert len(found) == int((acts["type"] == "steering committee").sum()) > 1
    assert [m.date for m in found] == sorted(m.date for m in found)
    assert meetings(sample, dt.date(2024, 2, 1), dt.date(2024, 3, 1)) == []
    spec = meeting_layer(found).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "text", "text"]


def test_meeting_types_must_be_activity_types(tmp_path):
    text = Path("indicators.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "indicators.yaml"
    bad.write_text("meeting_types: [steering comittee]\n" + text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(bad)
    assert any(line.startswith("meeting_types[0] (line 1)") for line in err.value.problems)


def test_to_do_workbook_shows_a_control_character_as_a_replacement_mark():
    data = _troubled()
    period = data.periods[2]
    lists = pa.todo_lists(data, dt.date(2025, 6, 30), period)
    names = {who: "Hub\x0bpasted\x07from a PDF\x1b" for who in lists}
    book = load_workbook(io.BytesIO(pa.todo_workbook(lists, names, period, "SpinIT")))
    assert book["Summary"]["B4"].value == "Hub\ufffdpasted\ufffdfrom a PDF\ufffd"
