"""The report's arithmetic pinned by hand: submissions in several periods (the report's own period too), a record
entered after its period's report went in, and a submission the sheet no longer reaches.

SpinIT's periods: P1 Jan-Jun 2024, P2 Jul-Dec 2024, P3 Jan-Jun 2025 (records on both sides of a period's
boundary). Output 1.2 (RCO81) adds the participants of
cross-border activities that are not trainings, output 1.3 (RCO85) those of trainings.
"""

from __future__ import annotations

import pytest

from monitoring.outputs.jems import submissions
from monitoring.outputs.report import build_report
from tests.factories import dataset

CROSS_BORDER = "P1, P2"  # Romania and Serbia


def activity(aid: str, date: str, participants: int, type_: str = "exchange") -> dict:
    return {
        "activity_id": aid,
        "date": date,
        "type": type_,
        "title": f"Activity {aid}",
        "partner_ids": CROSS_BORDER,
        "location_id": "L1",
        "participants": participants,
    }


ACTIVITIES = [
    activity("A1", "2024-03-01", 10),  # P1, in P1's report
    activity("A2", "2024-05-01", 5),  # P1, entered after P1's report was submitted: a late record
    activity("A3", "2024-12-31", 20),  # P2's last day
    activity("A4", "2025-01-01", 7),  # P3's first day
    activity("T1", "2024-04-01", 30, "training"),  # P1; P1's report submitted 40 for 1.3 (a record since deleted)
    activity("T2", "2025-03-01", 8, "training"),  # P3
]
REPORTED = [
    {"period": 1, "code": "1.2", "value": 10, "submitted_on": "2024-07-20"},
    {"period": 1, "code": "1.3", "value": 40, "submitted_on": "2024-07-20"},
    {"period": 2, "code": "1.2", "value": 20, "submitted_on": "2025-01-20"},
    {"period": 3, "code": "1.2", "value": 12, "submitted_on": "2025-07-20"},  # the P3 report itself, submitted
    {"period": 4, "code": "1.2", "value": 3, "submitted_on": "2026-01-20"},  # a later report
]


@pytest.fixture(scope="module")
def data():
    return dataset(activities=ACTIVITIES, reported=REPORTED)


def numbers(data, period: int, output: str) -> dict[str, float]:
    row = build_report(data, period).outputs.set_index("number").loc[output]
    keys = ("previously_reported", "current_report", "total_reported", "late")
    return {k: float(row[k]) for k in keys}


def test_p2_previously_reported_is_p1s_submission_and_the_late_record_goes_into_the_current_report(data):
    # sheet at the end of P2: 10 + 5 + 20 = 35; submitted before P2: 10; P1 records beyond it: 5 (A2)
    assert numbers(data, 2, "1.2") == {
        "previously_reported": 10,
        "current_report": 25,
        "total_reported": 35,
        "late": 5,
    }
    late = build_report(data, 2).late.query("number == '1.2'")
    assert late[["record", "dated_in", "cell", "amount"]].values.tolist() == [["A2", "P1", "activities!B3", 5.0]]


def test_p3_previously_reported_leaves_out_p3s_own_submission(data):
    # submitted before P3: 10 + 20 = 30 (P3's own 12 is this report's, not previously reported)
    assert numbers(data, 3, "1.2") == {
        "previously_reported": 30,
        "current_report": 12,
        "total_reported": 42,
        "late": 5,
    }
    assert submissions(data).before("1.2", 3) == 30 and submissions(data).up_to("1.2", 3) == 42


def test_a_submission_the_sheet_no_longer_reaches_gives_no_negative_late_records(data):
    # 1.3: 40 submitted in P1, the sheet has 30 at the end of P2 and 38 at the end of P3
    assert numbers(data, 3, "1.3") == {
        "previously_reported": 40,
        "current_report": -2,
        "total_reported": 38,
        "late": 0,
    }
    assert numbers(data, 2, "1.3")["late"] == 0
