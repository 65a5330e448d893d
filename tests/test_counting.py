"""Each record counted once: a row pasted twice, in any tab of the sample or of GreenPorts (a declared tab
included), changes no indicator, share, report, export or digest, and is one problem at the repeat's cell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

import pandas as pd
import pytest

from data_sources.base import RawTab, RawWorkbook
from monitoring.dataset import Dataset, build_dataset, read_raw, resolve_location
from monitoring.engine.measure import per_period
from monitoring.formatting import column_letter
from monitoring.model.config import Settings, load_settings
from monitoring.outputs import partners
from monitoring.outputs.digest import build_digest
from monitoring.outputs.export import csv_bytes
from monitoring.outputs.report import build_report
from monitoring.sheet.checks import cell_position, reported_codes
from monitoring.sheet.clean import Problem
from tests.factories import PARTNERS, dataset

SAMPLE = "indicators.yaml"
GREENPORTS = "examples/greenports/indicators.yaml"


@functools.cache
def project(config: str) -> tuple[Settings, RawWorkbook]:
    """The project's settings and its workbook, with two submitted reports and a milestone in every case, so
    that every tab has rows to repeat."""
    settings = load_settings(config)
    raw = read_raw(resolve_location(settings, config))
    codes = list(reported_codes(settings))
    reported = [
        ["period", "code", "value", "submitted_on", "comment"],
        [1, codes[0], 1, "2024-07-20", "first report"],
        [2, codes[0], 2, "2025-01-20", ""],
        [2, codes[-1], 1, "2025-01-20", ""],
    ]
    tabs = dict(raw.tabs) | {"reported": RawTab("reported", reported, origin=raw.origin)}
    if len(raw.tabs["milestones"].rows) < 2:
        first = settings.indicators[0].code
        tabs["milestones"] = RawTab("milestones", [["indicator", "period", "planned"], [first, 1, 2]], raw.origin)
    return settings, dataclasses.replace(raw, tabs=tabs)


def with_row_repeated(raw: RawWorkbook, tab: str, index: int) -> RawWorkbook:
    """The workbook with data row `index` (1 = the first below the header) pasted again below the last row."""
    rows = raw.tabs[tab].rows
    again = dataclasses.replace(raw.tabs[tab], rows=[*rows, list(rows[index])])
    return dataclasses.replace(raw, tabs=dict(raw.tabs) | {tab: again})


def numbers(data: Dataset) -> dict[str, str]:
    """Everything a user reads off the data, as text: every indicator, output and result per period, the
    partners' shares and records, the counts, every period's report tables and CSV, and the digest (but its
    to-do list, which names the data problems)."""
    end = data.periods[-1].end
    reports = [build_report(data, p.number) for p in data.periods]
    digest = build_digest(data, dt.date(2025, 1, 1), end)
    frames = {
        **{f"indicator {c}": per_period(f, data.periods) for c, f in data.contributions.items()},
        **{f"unit {n}": per_period(f, data.periods) for n, f in data.unit_contributions.items()},
        "shares": partners.shares(data, end),
        **{f"records {p.label}": partners.records(data, end, p) for p in data.periods},
        **{
            f"{r.period.label} {part}": getattr(r, part)
            for r in reports
            for part in ("indicators", "outputs", "results")
        },
    }
    return {name: frame.to_csv() for name, frame in frames.items()} | {
        "progress": repr(data.progress(end)),
        "counts": repr(data.counts()),
        "csv": repr([csv_bytes(r) for r in reports]),
        "digest": repr((digest.subject, digest.intro, digest.sections[:-1])),
    }


@functools.cache
def numbers_before(config: str) -> dict[str, str]:
    settings, raw = project(config)
    return numbers(build_dataset(settings, raw, sample=True))


def repeat_cases() -> list[Any]:
    cases = []
    for config in (SAMPLE, GREENPORTS):
        for tab in load_settings(config).contract:
            cases.append(pytest.param(config, tab, id=f"{'greenports' if config == GREENPORTS else 'sample'}-{tab}"))
    return cases


@pytest.mark.parametrize(("config", "tab"), repeat_cases())
def test_a_row_pasted_twice_changes_no_number_and_is_one_problem_at_its_cell(config, tab):
    settings, raw = project(config)
    rows = raw.tabs[tab].rows
    index = len(rows) - 1  # the last row, pasted again below it: the usual slip
    before = build_dataset(settings, raw, sample=True)
    after = build_dataset(settings, with_row_repeated(raw, tab, index), sample=True)

    new = [p for p in after.problems if p not in before.problems]
    repeat_row, first_row = len(rows) + 1, index + 1
    id_column = settings.contract[tab].id_column
    if id_column:
        cell, level = f"{column_letter(rows[0].index(id_column))}{repeat_row}", "error"
    else:
        cell, level = f"{repeat_row}:{repeat_row}", "warning"
    assert all(p.tab == tab and cell_position(p.cell)[0] == repeat_row for p in new)
    repeat = [p for p in new if f"row {first_row}" in p.message]
    assert [(p.cell, p.level) for p in repeat] == [(cell, level)]
    # Whatever else the repeat shows is what its first row shows too (a word not in an open list, say).
    mirrored = {
        (p.column, p.message) for p in before.problems if p.tab == tab and cell_position(p.cell)[0] == first_row
    }
    assert {(p.column, p.message) for p in new if p not in repeat} <= mirrored
    assert [p.level for p in new].count("error") == (1 if id_column else 0) + sum(
        p.level == "error" for p in before.problems if p.tab == tab and cell_position(p.cell)[0] == first_row
    )
    assert numbers(after) == numbers_before(config)


def test_repeating_the_samples_last_activity_and_pilot_leaves_rco81_and_rco84_as_they_were():
    settings, raw = project(SAMPLE)
    end = load_settings(SAMPLE).project.end
    for tab, code in (("activities", "RCO81"), ("pilots", "RCO84")):
        data = build_dataset(settings, with_row_repeated(raw, tab, len(raw.tabs[tab].rows) - 1), sample=True)
        before = build_dataset(settings, raw, sample=True)
        progress = {p.code: p.achieved for p in data.progress(end)}
        assert progress[code] == {p.code: p.achieved for p in before.progress(end)}[code]


def test_the_same_id_in_two_rows_counts_the_first_row_only():
    acts = [
        {"activity_id": "A1", "date": "2025-03-14", "type": "exchange", "title": "First", "partner_ids": "P1, P2"},
        {"activity_id": "A1", "date": "2025-04-14", "type": "exchange", "title": "Again", "partner_ids": "P2, P3"},
    ]
    data = dataset(activities=[{**a, "participants": 10 + i} for i, a in enumerate(acts)])
    assert data.tables["activities"][["activity_id", "title"]].values.tolist() == [["A1", "First"]]
    (problem,) = data.problems
    assert (problem.cell, problem.level) == ("A3", "error")
    assert problem.message == "this id is also used in row 2; ids must be unique, so this row is not counted"
    assert data.contributions["RCO81"]["amount"].sum() == 10


def test_an_exact_repeat_in_a_tab_without_ids_counts_once_and_a_repeat_that_differs_counts_twice():
    value = {"indicator": "RCR104", "date": "2025-03-14", "value": 1, "partner_id": "P1", "comment": "toolkit"}
    data = dataset(indicator_values=[value, value, {**value, "comment": "second toolkit"}])
    assert data.contributions["RCR104"]["amount"].sum() == 2
    (problem,) = [p for p in data.problems if p.tab == "indicator_values"]
    assert problem == Problem(
        "warning",
        "indicator_values",
        "3:3",
        "",
        "this row repeats row 2 exactly, so it is counted once; if both are meant, make them differ "
        "(in a comment or a date)",
        origin="test.xlsx",
    )


def test_a_repeated_partner_keeps_the_first_rows_country_for_cross_border():
    again = {"partner_id": "P2", "name": "Novi Sad Lab", "country": "RO", "role": "PP", "location_id": "L1"}
    act = {"activity_id": "A1", "date": "2025-03-14", "type": "exchange", "title": "A", "partner_ids": "P1, P2"}
    data = dataset(partners=[*PARTNERS, again], activities=[act])
    assert bool(data.tables["activities"]["cross_border"].iloc[0])  # P2 is in Serbia, as its first row says
    assert len(data.tables["partners"]) == len(PARTNERS)
    assert pd.Series([p.level for p in data.problems]).tolist() == ["error"]
