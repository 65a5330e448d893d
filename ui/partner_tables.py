"""The Partners page's tables: which columns, under which names (the rows come from monitoring.views.partners)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitoring.model.config import Indicator


def shares(frame: pd.DataFrame) -> None:
    """One organisation's share of each indicator, and the records behind it."""
    st.dataframe(
        frame[["code", "name", "share", "unit", "records"]],
        hide_index=True,
        column_config={
            "code": "Indicator",
            "name": st.column_config.TextColumn("Name", width="medium"),
            "share": st.column_config.TextColumn(
                "Its share", help="What its records add, of the project's number as of the day."
            ),
            "unit": "Unit",
            "records": st.column_config.TextColumn("Records behind it", width="large"),
        },
    )


def records(recs: pd.DataFrame, label: str) -> None:
    """One organisation's records, those in the chosen period ticked."""
    st.dataframe(
        recs[["date", "tab", "record", "title", "in_period", "evidence_url", "_row"]],
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Last date", format="YYYY-MM-DD"),
            "tab": "Tab",
            "record": "Record",
            "title": st.column_config.TextColumn("Title", width="large"),
            "in_period": st.column_config.CheckboxColumn(f"In {label}"),
            "evidence_url": st.column_config.LinkColumn("Evidence"),
            "_row": st.column_config.NumberColumn("Sheet row", format="%d"),
        },
    )


def problems(frame: pd.DataFrame) -> None:
    """The data problems in one organisation's rows, each with its cell and a link to it where there is one."""
    st.dataframe(
        frame[["level", "tab", "where", "column", "message", "value", "link"]],
        hide_index=True,
        column_config={
            "level": "Level",
            "tab": "Tab",
            "where": "Cell",
            "column": "Column",
            "message": st.column_config.TextColumn("Problem", width="large"),
            "value": "In the cell",
            "link": st.column_config.LinkColumn("Open the cell", display_text="open"),
        },
    )


def organisations(shown: pd.DataFrame, label: str, indicators: list[Indicator], several_sheets: bool) -> None:
    """Every organisation under the filters, one row each, a column per indicator."""

    columns = ["partner_id", "name", "country", "role", *(["origin"] if several_sheets else [])]
    columns += ["in_period", "records", *(i.code for i in indicators), "without_evidence", "problems"]
    st.dataframe(
        shown[[*columns, "last_record", "silent_word"]],
        hide_index=True,
        height="content",  # every organisation at once: a manager chasing thirty wants to see thirty
        column_config={
            "partner_id": st.column_config.TextColumn("Id", pinned=True),
            "name": st.column_config.TextColumn("Organisation", width="large", pinned=True),
            "country": "Country",
            "role": "Role",
            "origin": "Sheet",
            "in_period": st.column_config.NumberColumn(f"Records in {label}", format="%d"),
            "records": st.column_config.NumberColumn("Records", format="%d", help="All records dated by the day."),
            **{i.code: st.column_config.NumberColumn(i.code, help=f"{i.name} ({i.unit})") for i in indicators},
            "without_evidence": st.column_config.NumberColumn(
                "No evidence", format="%d", help="Counted records it is to add the evidence link to."
            ),
            "problems": st.column_config.NumberColumn(
                "Problems",
                format="%d",
                help="Data problems in the rows it is to fix: a plan's or pilot's lead, an activity's first organisation.",
            ),
            "last_record": st.column_config.DateColumn("Last record", format="YYYY-MM-DD"),
            "silent_word": st.column_config.TextColumn(
                f"Nothing recorded in {label}", help=f"⚠: none of its records is dated in {label}."
            ),
        },
    )
