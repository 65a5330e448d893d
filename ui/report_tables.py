"""How the Progress report's and What changed's tables are shown: column headings, formats, links."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from monitoring.outputs.jems import ACHIEVED_LABEL, JEMS_COLUMNS
from ui import components

_date = st.column_config.DateColumn("Date", format="YYYY-MM-DD")
_number = st.column_config.NumberColumn
_sheet_row = _number("Sheet row", format="%d")

# The Progress report's indicator table (monitoring.views.reporting.indicator_table): Jems' overview headers where
# Jems has the number (monitoring.outputs.jems.JEMS_COLUMNS), our own words where it has not.
REPORT_INDICATORS: dict[str, Any] = {
    "code": st.column_config.TextColumn("Code", pinned=True),
    "name": st.column_config.TextColumn("Indicator", width="medium"),
    "baseline": _number(JEMS_COLUMNS["baseline"], format="localized"),
    "target": _number(JEMS_COLUMNS["target"], format="localized"),
    "previously_reported": _number(JEMS_COLUMNS["previously_reported"], format="localized"),
    "current_report": _number(JEMS_COLUMNS["current_report"], format="localized"),
    "total_reported": _number(JEMS_COLUMNS["total_reported"], format="localized"),
    "percent_of_target": _number("% of target", format="%.1f %%"),
    "planned": _number("Planned", format="localized", help="The milestone at the period's end."),
    "below_milestone": st.column_config.TextColumn(
        "Milestone", help="“▼ below”: the cumulative value is below the milestone planned for the period's end."
    ),
    "status": st.column_config.TextColumn("Status", help="As of the period's end, as on the Overview."),
    "records": st.column_config.TextColumn("Evidence", help="Records of the period with an evidence link, of all."),
    "unit": JEMS_COLUMNS["measurement_unit"],
}
# Jems' overview (monitoring.views.reporting.overview_table): the headers of Jems' report overview.
REPORT_OVERVIEW: dict[str, Any] = {
    "code": st.column_config.TextColumn("Code", pinned=True),
    "name": st.column_config.TextColumn("Indicator · output", width="large"),
    "measurement_unit": JEMS_COLUMNS["measurement_unit"],
    "baseline": _number(JEMS_COLUMNS["baseline"], format="localized"),
    "target": _number(JEMS_COLUMNS["target"], format="localized"),
    "previously_reported": _number(JEMS_COLUMNS["previously_reported"], format="localized"),
    "current_report": _number(
        JEMS_COLUMNS["current_report"],
        format="localized",
        help=f"Total Reported So Far − Previously Reported: type it into “{ACHIEVED_LABEL}” in Jems.",
    ),
    "total_reported": _number(JEMS_COLUMNS["total_reported"], format="localized"),
    "delivery_period": st.column_config.TextColumn("Delivery period"),
    "status": st.column_config.TextColumn("Status", help="The indicator's status at the period's end."),
}
# Late records (monitoring.outputs.jems.LATE_COLUMNS).
REPORT_LATE: dict[str, Any] = {
    "number": "Output or result",
    "indicator": "Indicator",
    "dated_in": "Dated in",
    "date": _date,
    "record": "Record",
    "title": st.column_config.TextColumn("Title", width="large"),
    "amount": _number("Amount", format="localized"),
    "cell": "Cell",
    "tab": None,
    "_row": None,
}
# A report's evidence list (monitoring.outputs.report.EVIDENCE_COLUMNS).
REPORT_EVIDENCE: dict[str, Any] = {
    "date": _date,
    "record": "Record",
    "title": st.column_config.TextColumn("Title", width="large"),
    "indicators": "Counts for",
    "evidence_url": st.column_config.LinkColumn("Evidence"),
    "tab": "Tab",
    "_row": _sheet_row,
}
# A report's records behind the numbers (monitoring.outputs.report.RECORD_COLUMNS).
REPORT_RECORDS: dict[str, Any] = {
    "indicator": "Indicator",
    "date": _date,
    "record": "Record",
    "title": "Title",
    "amount": _number("Amount", format="localized"),
    "partner_id": "Organisation",
    "location_id": "Place",
    "country": "Country",
    "cluster": "Cluster",
    "evidence_url": st.column_config.LinkColumn("Evidence"),
    "tab": "Tab",
    "_row": _sheet_row,
}
# What changed: the new activities (monitoring.outputs.changes.ACTIVITY_COLUMNS).
NEW_ACTIVITIES: dict[str, Any] = {
    "date": _date,
    "activity_id": "Activity",
    "type": "Type",
    "title": st.column_config.TextColumn("Title", width="large"),
    "location": "Where",
    "participants": _number("Participants"),
    "cross_border": st.column_config.CheckboxColumn("Cross-border"),
    "evidence_url": st.column_config.LinkColumn("Evidence"),
}


def indicator_changes(then: str, now: str) -> dict[str, Any]:
    """What changed's indicator table (monitoring.outputs.changes.INDICATOR_CHANGE_COLUMNS), `then` and `now` naming
    the two moments ("30 Jun 2025", "read 3")."""
    return {
        "code": st.column_config.TextColumn("Code", pinned=True),
        "name": st.column_config.TextColumn("Indicator", width="medium"),
        "unit": "Unit",
        "target": _number("Target", format="localized"),
        "before": _number(then, format="localized"),
        "after": _number(now, format="localized"),
        "change": _number("Change", format="%+g"),
        "status_before": "Status then",
        "status_after": "Status now",
    }


def stage_changes(then: str, now: str) -> dict[str, Any]:
    """What changed's plans and pilots that reached a new stage (monitoring.outputs.changes.STAGE_CHANGE_COLUMNS)."""
    return {
        "id": "Id",
        "title": st.column_config.TextColumn("Title", width="large"),
        "location": "Where",
        "before": f"Stage on {then}",
        "after": f"Stage on {now}",
        "reached": st.column_config.DateColumn("Reached on", format="YYYY-MM-DD"),
    }


def nested(rows: pd.DataFrame, columns: list[str], column_config: dict[str, object]) -> None:
    """A report table whose rows nest (result ↳ outputs), every row shown, in the given column order. A row whose
    `code` is "" is a group's heading (Jems' "Programme Output Indicators not linked to a Programme Result
    Indicator"): it is shown as a bold line, and the rows after it as a table of their own."""
    starts = [i for i, code in enumerate(rows["code"]) if code == ""]
    for begin, end in zip([0, *starts], [*starts, len(rows)], strict=True):
        part = rows.iloc[begin:end]
        if begin in starts:
            st.markdown(f"**{components.escape_md(part['name'].iloc[0])}**")
            part = part.iloc[1:]
        if len(part):
            st.dataframe(part, hide_index=True, height="content", column_order=columns, column_config=column_config)
