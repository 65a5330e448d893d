"""Progress report: one reporting period's numbers in the Jems shape, the deviations to explain, the
evidence, a programme officer's checks, and the Excel, CSV and PDF downloads."""

import pandas as pd
import streamlit as st

from monitoring import export
from monitoring.report import CHECKS_PASSED, findings_table, latest_ended_period, period_by_number
from ui import components, context
from ui.auth import current_access
from ui.context import current

ctx = current()
data = ctx.data
project = ctx.settings.project


def explanation_key(period_label: str, code: str) -> str:
    return f"explain_{period_label}_{code}"


st.markdown(f"## {project.name} · progress report")
# Options are the labels themselves: a bound widget writes the label into the URL (?report_period=P3).
labels = [p.label for p in data.periods]
default = latest_ended_period(data, ctx.as_of).label
choice = st.segmented_control(
    "Reporting period",
    labels,
    default=default,
    key="report_period",
    bind="query-params",
    required=True,
    help="Periods of the configured length counted from the project start; the last one may be shorter.",
)
period = period_by_number(data, int((choice or default).removeprefix("P")))
st.caption(
    f"{period.long_label} · numbers as of **{period.end:%d %b %Y}**, the end of the period. A report always "
    f"shows the period's end, whatever the “As of” date above ({ctx.as_of:%d %b %Y})."
)
if data.source.sample:
    components.sample_banner()

codes = [i.code for i in ctx.settings.indicators]
explanations = {c: st.session_state.get(explanation_key(period.label, c)) or "" for c in codes}
report = context.report(data, period.number, explanations)
table = report.indicators
flagged = table[table["deviation"]]

cols = st.columns(4)
cols[0].metric("Indicators behind plan", len(flagged), help="Behind or at risk, or below the period's milestone.")
cols[1].metric("Records in the period", len(report.evidence), help="Records dated in the period that count.")
cols[2].metric("Records without evidence", int(table["without_evidence"].sum()))
cols[3].metric("Points from the checks", len(report.findings))

if not current_access().is_manager:
    st.caption("The exports are for the project's managers; ask one of them for the files.")
else:
    with st.container(border=True):
        st.markdown(f"**Download the report for {period.label}**")
        written = sum(bool(explanations[c]) for c in flagged["code"])
        st.caption(
            f"The files include the deviation explanations written under Deviations ({written} of {len(flagged)} so "
            "far). "
            "Text that starts with =, +, - or @ is written so no spreadsheet runs it as a formula."
        )
        left, middle, right = st.columns(3)
        left.download_button(
            "Excel workbook",
            lambda: export.excel_bytes(report),
            file_name=export.file_name(report, "xlsx"),
            mime=export.MIME_TYPES["xlsx"],
            icon=":material/table_view:",
            on_click="ignore",
            width="stretch",
            help="Indicators, evidence, the records behind the numbers, the checks and the data problems, a sheet each.",
        )
        middle.download_button(
            "CSV of the indicator table",
            lambda: export.csv_bytes(report),
            file_name=export.file_name(report, "csv"),
            mime=export.MIME_TYPES["csv"],
            icon=":material/csv:",
            on_click="ignore",
            width="stretch",
            help="UTF-8; opens in Excel with Čačak and Cyrillic intact.",
        )
        try:
            export.unicode_font()
            pdf_problem = None
        except export.ExportError as exc:
            pdf_problem = str(exc)
        right.download_button(
            "PDF status pack",
            lambda: export.pdf_bytes(report),
            file_name=export.file_name(report, "pdf"),
            mime=export.MIME_TYPES["pdf"],
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            width="stretch",
            disabled=pdf_problem is not None,
            help=pdf_problem or "Title page, the indicator table, bullet charts and what needs attention.",
        )

number = st.column_config.NumberColumn


def indicators_view() -> None:
    """The indicator table as Jems lists it."""
    st.subheader(f"Indicators at the end of {period.label}")
    st.caption(
        "As Jems lists them: each result indicator followed by the outputs linked to it (↳), then the outputs linked "
        "to no result. Previously reported is the cumulative value at the end of the previous period."
        + ("" if table["baseline"].any() else " Every baseline is 0.")
    )
    shown = table.assign(
        name=[
            f"↳ {name}" if kind == "output" and pd.notna(result) else name
            for name, kind, result in zip(table["name"], table["kind"], table["result"], strict=True)
        ],
        status=[
            components.status_label(status) + (" · explain" if flag else "")
            for status, flag in zip(table["status"], table["deviation"], strict=True)
        ],
        records=[f"{e} of {e + w}" for e, w in zip(table["evidence"], table["without_evidence"], strict=True)],
    )
    st.dataframe(
        shown,
        hide_index=True,
        height="content",
        column_order=[
            "code",
            "name",
            *(["baseline"] if table["baseline"].any() else []),
            "target",
            "previously_reported",
            "achieved_in_period",
            "cumulative",
            "percent_of_target",
            "planned",
            "status",
            "records",
            "unit",
        ],
        column_config={
            "code": st.column_config.TextColumn("Code", pinned=True),
            "name": st.column_config.TextColumn("Indicator", width="medium"),
            "baseline": number("Baseline", format="localized"),
            "target": number("Target", format="localized"),
            "previously_reported": number("Previously reported", format="localized"),
            "achieved_in_period": number("Achieved in period", format="localized"),
            "cumulative": number("Cumulative", format="localized"),
            "percent_of_target": number("% of target", format="%.1f %%"),
            "planned": number("Planned", format="localized", help="The milestone at the period's end."),
            "status": st.column_config.TextColumn(
                "Status", help="As of the period's end, as on the Overview; “explain”: behind plan, Jems asks why."
            ),
            "records": st.column_config.TextColumn(
                "Evidence", help="Records of the period with an evidence link, of all."
            ),
            "unit": "Unit",
        },
    )
    if table["illustrative"].any():
        marked = ", ".join(table.loc[table["illustrative"], "code"])
        st.caption(f"Illustrative targets (placeholders in the configuration, not approved values): {marked}.")


def deviations_view() -> None:
    """What to explain for each indicator behind plan, with a box for the explanation."""
    st.subheader("Deviations to explain")
    if flagged.empty:
        st.success(f"No indicator is behind plan at the end of {period.label}.", icon=":material/check_circle:")
    else:
        st.caption(
            "Jems asks why an indicator is behind plan. Write the explanation here: it stays while this browser tab is "
            "open and goes into the downloads."
        )
    for row in flagged.itertuples(index=False):
        with st.container(border=True):
            st.markdown(f"**{row.code}** · {components.escape_md(row.name)}")
            st.badge(components.status_label(row.status), color=components.BADGE_COLOURS[row.status])
            st.markdown(components.escape_md(row.prompt))
            st.text_area(
                f"Explanation for {row.code}",
                key=explanation_key(period.label, row.code),
                persist_state="session",
                placeholder="Why it is behind, what is being done to catch up, and by when.",
                height=100,
            )


def evidence_view() -> None:
    """The records of the period that count, each once, with its evidence link."""
    st.subheader("Evidence of the period")
    st.caption(
        f"{len(report.evidence)} record(s) dated in {period.label} count for an indicator; attach their evidence in Jems."
    )
    st.dataframe(
        report.evidence,
        hide_index=True,
        column_config={
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "record": "Record",
            "title": st.column_config.TextColumn("Title", width="large"),
            "indicators": "Counts for",
            "evidence_url": st.column_config.LinkColumn("Evidence"),
            "tab": "Tab",
            "_row": number("Sheet row", format="%d"),
        },
    )


def checks_view() -> None:
    """What a programme officer would query, and the data problems left out."""
    st.subheader("Checks a programme officer would make")
    if report.findings:
        st.warning(
            f"{len(report.findings)} point(s) a programme officer would query. Fix them in the sheet, or explain them.",
            icon=":material/rule:",
        )
        st.dataframe(findings_table(report.findings), hide_index=True)
    else:
        st.success(f"Nothing found. {CHECKS_PASSED}", icon=":material/check_circle:")
    if data.problems:
        st.caption(
            f"{len(data.problems)} data problem(s) in the source: the cells that could not be read are left out of "
            "these numbers. The Excel download lists them; so does the Data quality page."
        )


def records_view() -> None:
    """One row per contribution behind the numbers."""
    st.subheader(f"The {len(report.records)} records behind the numbers of {period.label}")
    st.caption("One row per contribution; an indicator's amounts add up to its “achieved in period”.")
    st.dataframe(
        report.records,
        hide_index=True,
        column_config={
            "indicator": "Indicator",
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
            "record": "Record",
            "title": "Title",
            "amount": number("Amount", format="localized"),
            "partner_id": "Organisation",
            "location_id": "Location",
            "country": "Country",
            "cluster": "Cluster",
            "evidence_url": st.column_config.LinkColumn("Evidence"),
            "tab": "Tab",
            "_row": number("Sheet row", format="%d"),
        },
    )


# The records used to be an expander kept open by ?records=true: such a link opens the Records tab.
components.lazy_tabs(
    {
        "Indicators": indicators_view,
        "Deviations": deviations_view,
        "Evidence": evidence_view,
        "Checks": checks_view,
        "Records": records_view,
    },
    key="view",
    old_links={"records": "Records"},
)
