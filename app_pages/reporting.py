"""Progress report: one reporting period's numbers in the Jems shape, the deviations to explain, the
evidence, a programme officer's checks, and the Excel, CSV and PDF downloads."""

import streamlit as st

from monitoring import export
from monitoring.formatting import plural
from monitoring.report import CHECKS_PASSED, findings_table
from monitoring.views import reporting as view
from ui import components, context, report_tables
from ui.auth import current_access

ctx = context.current()
data = ctx.data

st.markdown(f"## {ctx.settings.project.name} · progress report")
# Options are the labels themselves: a bound widget writes the label into the URL (?report_period=P3).
periods = view.period_choice(data, ctx.as_of)
choice = st.segmented_control(
    "Reporting period",
    periods.labels,
    default=periods.default,
    key="report_period",
    bind="query-params",
    required=True,
    help="Periods of the configured length counted from the project start; the last one may be shorter.",
)
period = view.period_labelled(data, choice or periods.default)
st.caption(
    f"{period.long_label} · numbers as of **{period.end:%d %b %Y}**, the end of the period. A report always "
    f"shows the period's end, whatever the “As of” date above ({ctx.as_of:%d %b %Y})."
)
if data.source.sample:
    components.sample_banner()

explanations = {c: st.session_state.get(k) or "" for c, k in view.explanation_keys(ctx.settings, period).items()}
report = context.report(data, period.number, explanations)
head = view.headline(report, explanations)

cols = st.columns(5)
cols[0].metric("Indicators behind plan", head.behind, help="Behind or at risk, or below the period's milestone.")
cols[1].metric("Records in the period", head.records, help="Records dated in the period that count.")
cols[2].metric(
    "Late records", head.late, help="Dated in an earlier, submitted period beyond what was submitted: in this report."
)
cols[3].metric("Records without evidence", head.without_evidence)
cols[4].metric("Points from the checks", head.findings)
for warning in report.warnings:
    st.caption(f":material/info: indicators.yaml differs from the EU catalogue: {components.escape_md(warning)}")

if not current_access().is_manager:
    st.caption("The exports are for the project's managers; ask one of them for the files.")
else:
    with st.container(border=True):
        st.markdown(f"**Download the report for {period.label}**")
        st.caption(
            f"The files include the deviation explanations written under Deviations ({head.explained} of "
            f"{head.behind} so far). Text that starts with =, +, - or @ is written so no spreadsheet runs it as a "
            "formula."
        )
        for column, file in zip(st.columns(3), view.downloads(report), strict=True):
            column.download_button(
                file.label,
                file.make,
                file_name=export.file_name(report, file.kind),
                mime=export.MIME_TYPES[file.kind],
                icon=file.icon,
                on_click="ignore",
                width="stretch",
                disabled=file.problem is not None,
                help=file.problem or file.help,
            )


def overview_view() -> None:
    """Jems' overview: result indicator -> output indicators -> outputs, with Jems' column names."""
    table = view.overview_table(report, components.status_label)
    st.subheader(f"Indicators and outputs at the end of {period.label}")
    st.caption(
        "As Jems' report overview nests them: each result indicator, the output indicators linked to it (↳) and their "
        f"outputs (·). Copy **Current report** into each output's and result's field in Jems. Previously reported is "
        f"{table.previously}."
    )
    report_tables.nested(table.rows, table.columns, report_tables.REPORT_OVERVIEW)


def indicators_view() -> None:
    """The indicator table with status, milestones and evidence."""
    table = view.indicator_table(report, components.status_label)
    st.subheader(f"Indicators at the end of {period.label}")
    st.caption(
        "Each result indicator followed by the outputs linked to it (↳), then the outputs linked to no result, with "
        "their status at the period's end." + (" Every baseline is 0." if table.zero_baselines else "")
    )
    report_tables.nested(table.rows, table.columns, report_tables.REPORT_INDICATORS)
    if table.illustrative:
        marked = ", ".join(table.illustrative)
        st.caption(f"Illustrative targets (placeholders in the configuration, not approved values): {marked}.")


def deviations_view() -> None:
    """What to explain for each indicator behind plan, with a box for the explanation."""
    st.subheader("Deviations to explain")
    flagged = view.deviations(report)
    if not flagged:
        st.success(f"No indicator is behind plan at the end of {period.label}.", icon=":material/check_circle:")
    else:
        st.caption(
            "Jems asks why an indicator is behind plan. Write the explanation here: it stays while this browser tab is "
            "open and goes into the downloads."
        )
    for row in flagged:
        with st.container(border=True):
            st.markdown(f"**{row.code}** · {components.escape_md(row.name)}")
            st.badge(components.status_label(row.status), color=components.BADGE_COLOURS[row.status])
            st.markdown(components.escape_md(row.prompt))
            st.text_area(
                f"Explanation for {row.code}",
                key=row.key,
                persist_state="session",
                placeholder="Why it is behind, what is being done to catch up, and by when.",
                height=100,
            )


def evidence_view() -> None:
    """The records of the period that count, each once, with its evidence link."""
    st.subheader("Evidence of the period")
    st.caption(
        f"{plural(len(report.evidence), 'record')} dated in {period.label} count for an indicator; attach their evidence in Jems."
    )
    st.dataframe(report.evidence, hide_index=True, column_config=report_tables.REPORT_EVIDENCE)


def checks_view() -> None:
    """What a programme officer would query, and the data problems left out."""
    st.subheader("Checks a programme officer would make")
    if report.findings:
        st.warning(
            f"{plural(len(report.findings), 'point')} a programme officer would query. Fix them in the sheet, or explain them.",
            icon=":material/rule:",
        )
        st.dataframe(findings_table(report.findings), hide_index=True)
    else:
        st.success(f"Nothing found. {CHECKS_PASSED}", icon=":material/check_circle:")
    if data.problems:
        st.caption(
            f"{plural(len(data.problems), 'data problem')} in the source: the cells that could not be read are left out of "
            "these numbers. The Excel download lists them; so does the Data quality page."
        )


def records_view() -> None:
    """The late records, then one row per contribution behind the numbers."""
    if len(report.late):
        st.subheader(f"{plural(len(report.late), 'late record')} in the current report")
        st.caption(
            "Dated in an earlier period but beyond what was submitted for it (the `reported` tab): entered after that "
            "report went in, so they count in this one."
        )
        st.dataframe(report.late, hide_index=True, column_config=report_tables.REPORT_LATE)
    st.subheader(f"The {len(report.records)} records behind the numbers of {period.label}")
    st.caption("One row per contribution; an indicator's amounts add up to its “achieved in period”.")
    st.dataframe(report.records, hide_index=True, column_config=report_tables.REPORT_RECORDS)


# The records used to be an expander kept open by ?records=true: such a link opens the Records tab.
components.lazy_tabs(
    {
        "Overview": overview_view,
        "Indicators": indicators_view,
        "Deviations": deviations_view,
        "Evidence": evidence_view,
        "Checks": checks_view,
        "Records": records_view,
    },
    key="view",
    old_links={"records": "Records"},
)
