"""How the Progress report's and What changed's tables are shown: column headings, formats, links."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

_date = st.column_config.DateColumn("Date", format="YYYY-MM-DD")
_number = st.column_config.NumberColumn
_sheet_row = _number("Sheet row", format="%d")

# The Progress report's indicator table (monitoring.views.reporting.indicator_table).
REPORT_INDICATORS: dict[str, Any] = {
    "code": st.column_config.TextColumn("Code", pinned=True),
    "name": st.column_config.TextColumn("Indicator", width="medium"),
    "baseline": _number("Baseline", format="localized"),
    "target": _number("Target value", format="localized"),
    "previously_reported": _number("Previously reported", format="localized"),
    "current_report": _number("Current report", format="localized"),
    "total_reported": _number("Total reported so far", format="localized"),
    "percent_of_target": _number("% of target", format="%.1f %%"),
    "planned": _number("Planned", format="localized", help="The milestone at the period's end."),
    "status": st.column_config.TextColumn(
        "Status", help="As of the period's end, as on the Overview; “explain”: behind plan, Jems asks why."
    ),
    "records": st.column_config.TextColumn("Evidence", help="Records of the period with an evidence link, of all."),
    "unit": "Measurement unit",
}
# Jems' overview (monitoring.views.reporting.overview_table): the names Jems' project report uses.
REPORT_OVERVIEW: dict[str, Any] = {
    "code": st.column_config.TextColumn("Code", pinned=True),
    "name": st.column_config.TextColumn("Indicator · output", width="medium"),
    "measurement_unit": "Measurement unit",
    "baseline": _number("Baseline", format="localized"),
    "target": _number("Target value", format="localized"),
    "previously_reported": _number("Previously reported", format="localized"),
    "current_report": _number(
        "Current report", format="localized", help="Total reported so far − previously reported: enter it in Jems."
    ),
    "total_reported": _number("Total reported so far", format="localized"),
    "delivery_period": st.column_config.TextColumn("Delivery period"),
    "status": st.column_config.TextColumn("Status", help="The indicator's status at the period's end."),
}
# Late records (monitoring.jems.LATE_COLUMNS).
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
# A report's evidence list (monitoring.report.EVIDENCE_COLUMNS).
REPORT_EVIDENCE: dict[str, Any] = {
    "date": _date,
    "record": "Record",
    "title": st.column_config.TextColumn("Title", width="large"),
    "indicators": "Counts for",
    "evidence_url": st.column_config.LinkColumn("Evidence"),
    "tab": "Tab",
    "_row": _sheet_row,
}
# A report's records behind the numbers (monitoring.report.RECORD_COLUMNS).
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
# What changed: the new activities (monitoring.changes.ACTIVITY_COLUMNS).
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
    """What changed's indicator table (monitoring.changes.INDICATOR_CHANGE_COLUMNS), `then` and `now` naming
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
    """What changed's plans and pilots that reached a new stage (monitoring.changes.STAGE_CHANGE_COLUMNS)."""
    return {
        "id": "Id",
        "title": st.column_config.TextColumn("Title", width="large"),
        "location": "Where",
        "before": f"Stage on {then}",
        "after": f"Stage on {now}",
        "reached": st.column_config.DateColumn("Reached on", format="YYYY-MM-DD"),
    }


def nested(rows: pd.DataFrame, columns: list[str], column_config: dict[str, object]) -> None:
    """A report table whose rows nest (result ↳ outputs): every row shown, in the given column order."""
    st.dataframe(rows, hide_index=True, height="content", column_order=columns, column_config=column_config)
