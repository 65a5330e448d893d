"""The drafts of Jems' text fields are made of the period's records only, and a saved text replaces them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources.narrative_store import SavedText
from monitoring.dataset import Dataset
from monitoring.engine.measure import achieved_as_of
from monitoring.outputs.jems import Submissions, submissions
from monitoring.outputs.narratives import (
    MAX_CHARS,
    OUTPUT_LABEL,
    RESULT_LABEL,
    STATE_HEADING,
    draft_narratives,
    narrative_columns,
    with_texts,
)
from monitoring.outputs.report import build_report


@pytest.fixture(scope="module")
def p3(sample: Dataset) -> dict[str, object]:
    """The P3 narratives of the sample, by key."""
    return {n.key: n for n in draft_narratives(sample, sample.periods[2], submissions(sample))}


def test_output_1_1_draft_says_how_many_from_which_records_where_and_with_whom(p3) -> None:
    draft = p3["output 1.1"].draft
    assert draft.startswith("6 organisations achieved in this reporting period (P3, 1 Jan 2025 – 30 Jun 2025)")
    assert "cumulative value 22 of a target of 30" in draft
    assert "6 from 4 records dated in the period" in draft
    assert "A053 “Benchmarking open data platforms (Haskovo)” (15 Jan 2025)" in draft
    assert "Haskovo (Bulgaria)" in draft
    assert "Marica Youth Tech Association" in draft  # P20, by its name from the partners tab
    assert "Counted for the first time: Marica Youth Tech Association" in draft


def test_draft_names_no_record_dated_outside_the_period(sample: Dataset, p3) -> None:
    contribs = sample.unit_contributions["1.2"]
    outside = contribs[(contribs["date"] < "2025-01-01") | (contribs["date"] > "2025-06-30")]["record"]
    assert len(outside)
    named = p3["output 1.2"].draft
    assert not [r for r in set(outside) if f"{r} “" in named]


def test_many_records_are_counted_not_all_named(p3) -> None:
    assert "235 from 20 records dated in the period" in p3["output 1.2"].draft
    assert "; and 8 more." in p3["output 1.2"].draft


def test_late_records_in_the_current_report_are_named_apart(sample: Dataset) -> None:
    """Submitted for P2 is 20 below the sheet: the last P2 records (A046, A049) go into P3's report."""
    c = sample.unit_contributions["1.2"]
    p1, p2, p3 = sample.periods[:3]
    at_p1, at_p2 = achieved_as_of(c, p1.end), achieved_as_of(c, p2.end)
    submitted = Submissions({("1.2", 1): at_p1, ("1.2", 2): at_p2 - at_p1 - 20}, {1: p1.end, 2: p2.end})
    draft = {n.key: n for n in draft_narratives(sample, p3, submitted)}["output 1.2"].draft
    assert draft.startswith("255 participations achieved in this reporting period")  # 235 dated in P3 + 20 late
    late = draft.split("Also in this report, ")[1]
    assert late.startswith("2 late records dated in an earlier period")
    assert "A046 “Workshop on industrial IoT retrofitting (Brno)” (3 Dec 2024)" in late
    assert "A049" in late


def test_an_output_without_records_in_the_period_says_so(p3) -> None:
    assert p3["output 3.2"].draft == (
        "0 pilot actions achieved in this reporting period (P3, 1 Jan 2025 – 30 Jun 2025); cumulative value 0 of a "
        "target of 4. No record dated in P3 counts for it."
    )


def test_results_get_jems_describe_progress_field(p3) -> None:
    result = p3["result 2"]
    assert (result.label, p3["output 1.1"].label) == (RESULT_LABEL, OUTPUT_LABEL)
    assert result.label == "Describe progress achieved" and OUTPUT_LABEL == "Progress in this period"
    assert "indicator_values row 2 “Municipal e-services marketplace taken up" in result.draft
    assert result.heading == "Result 2 · Pilot solutions taken up or up-scaled"


def test_saved_text_replaces_the_draft_and_says_who_and_when(p3) -> None:
    at = dt.datetime(2025, 7, 10, 9, 30, tzinfo=dt.UTC)
    saved = {"output 1.1": SavedText("output 1.1", "Six hubs joined.", "pm@example.org", at)}
    texts = {n.key: n for n in with_texts(p3.values(), saved)}
    assert texts["output 1.1"].current == "Six hubs joined."
    assert texts["output 1.1"].state == "edited by pm@example.org, 10 Jul 2025 09:30 UTC"
    assert texts["output 1.2"].state == "draft" and texts["output 1.2"].current == p3["output 1.2"].draft


def test_a_blank_saved_text_gives_the_draft_back(p3) -> None:
    saved = {"output 1.1": SavedText("output 1.1", "  ", "pm@example.org", dt.datetime.now(dt.UTC))}
    back = {n.key: n for n in with_texts(p3.values(), saved)}["output 1.1"]
    assert not back.edited and back.current == p3["output 1.1"].draft and back.state == "draft"


def test_report_tables_get_the_text_and_its_state(sample: Dataset) -> None:
    report = build_report(sample, 3)
    at = dt.datetime(2025, 7, 10, tzinfo=dt.UTC)
    narratives = with_texts(report.narratives, {"result 1": SavedText("result 1", "Taken up.", "open access", at)})
    outputs = narrative_columns(report.outputs, narratives, "output")
    results = narrative_columns(report.results, narratives, "result")
    assert list(outputs.columns[-2:]) == [OUTPUT_LABEL, STATE_HEADING]
    assert outputs[STATE_HEADING].eq("draft").all()
    assert results.set_index("number").loc["1", RESULT_LABEL] == "Taken up."
    assert results.set_index("number").loc["1", STATE_HEADING].startswith("edited by open access")
    assert isinstance(outputs, pd.DataFrame) and len(outputs) == len(report.outputs)


def test_every_draft_of_every_period_fits_jems_2000_characters(sample: Dataset) -> None:
    """P5's result 3 names 20 records and 20 organisations in full: 2,222 characters, over Jems' limit."""
    longest = max(len(n.draft) for p in sample.periods for n in draft_narratives(sample, p, submissions(sample)))
    assert MAX_CHARS == 2000 and 1500 < longest <= MAX_CHARS


def test_a_project_that_declares_no_outputs_gets_a_narrative_per_indicator_named_by_its_code() -> None:
    from pathlib import Path

    from monitoring.dataset import load_dataset
    from monitoring.model.config import load_settings

    config = Path(__file__).resolve().parents[1] / "examples" / "greenports" / "indicators.yaml"
    data = load_dataset(load_settings(config), config)
    drafts = draft_narratives(data, data.periods[1], submissions(data))
    codes = {i.code for i in data.settings.indicators}
    assert drafts and all(n.heading.split(" · ")[0] in codes for n in drafts)
    assert len({n.key for n in drafts}) == len(drafts) == len(codes)  # each indicator once
