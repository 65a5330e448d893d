"""Progress report: one reporting period's numbers in the Jems shape, the deviations to explain, the
evidence, a programme officer's checks, and the Excel, CSV and PDF downloads."""

import streamlit as st

from monitoring.formatting import plural
from monitoring.outputs import export
from monitoring.outputs.report import BEHIND_OR_AT_RISK, BELOW_MILESTONE, CHECKS_PASSED, EXPLAIN_WHY, findings_table
from monitoring.views import reporting as view
from ui import components, context, narratives, report_tables
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
report, narrative_problem = narratives.with_saved(report)
head = view.headline(report, explanations)

with st.container(horizontal=True, gap="large"):
    st.metric(
        BEHIND_OR_AT_RISK,
        head.behind_or_at_risk,
        help="Indicators whose status at the period's end is behind or at risk: short of what is expected by now.",
        width="content",
    )
    st.metric(
        BELOW_MILESTONE,
        head.below_milestone,
        help="Indicators whose cumulative value is below the milestone planned for the period's end (▼ below).",
        width="content",
    )
    st.metric(
        "Records dated in the period", head.records, help="Records dated in the period that count.", width="content"
    )
    st.metric(
        "Late records",
        head.late,
        help="Dated in an earlier, submitted period beyond what was submitted: in this report.",
        width="content",
    )
    st.metric("Records without evidence", head.without_evidence, width="content")
    st.metric("Points from the checks", head.findings, width="content")
for warning in report.warnings:
    st.caption(f":material/info: indicators.yaml differs from the EU catalogue: {components.escape_md(warning)}")

if not current_access().is_manager:
    st.caption("The exports are for the project's managers; ask one of them for the files.")
else:
    with st.container(border=True):
        st.markdown(f"**Download the report for {period.label}**")
        st.caption(
            f"The files include the explanations written under Deviations ({head.explained} of "
            f"{head.to_explain} so far) and {narratives.in_the_files(report)}. In the CSV, text a spreadsheet would run "
            "as a formula (it starts with =, +, - or @) gets a leading apostrophe; the Excel workbook keeps every text "
            "as typed."
        )
        for column, file in zip(st.columns(3), context.report_files(data, report), strict=True):
            column.download_button(
                file.label,
                file.content,
                file_name=export.file_name(report, file.kind),
                mime=export.MIME_TYPES[file.kind],
                icon=file.icon,
                on_click="ignore",
                width="stretch",
                disabled=file.problem is not None,
                help=file.problem or file.help,
            )
            if file.problem:
                column.caption(f":material/block: {components.escape_md(file.problem)}")


def overview_view() -> None:
    """Jems' overview: result indicator -> output indicators -> outputs, with Jems' column names."""
    table = view.overview_table(report, components.status_label)
    st.subheader(f"Indicators and outputs at the end of {period.label}")
    st.caption(
        "As Jems' report overview groups them: each programme result indicator, the output indicators linked to it (↳) "
        "and their outputs (·), then the output indicators not linked to a result indicator. **Current Report** is "
        "what to type into **Achieved in this reporting period** of each output (Jems' Work plan progress tab) and "
        "result (Project results tab); Jems then shows **Total Reported So Far** as the **Cumulative value**. "
        f"Previously Reported is {table.previously}."
    )
    report_tables.nested(table.rows, table.columns, report_tables.REPORT_OVERVIEW)


def indicators_view() -> None:
    """The indicator table with status, milestones and evidence."""
    table = view.indicator_table(report, components.status_label)
    st.subheader(f"Indicators at the end of {period.label}")
    st.caption(
        "Each result indicator followed by the output indicators linked to it (↳), then the ones linked to no result, "
        "with their status at the period's end and whether they are below the period's milestone."
        + (" Every baseline is 0." if table.zero_baselines else "")
    )
    report_tables.nested(table.rows, table.columns, report_tables.REPORT_INDICATORS)
    if table.illustrative:
        marked = ", ".join(table.illustrative)
        st.caption(f"Illustrative targets (placeholders in the configuration, not approved values): {marked}.")


def deviations_view() -> None:
    """What to explain for each indicator behind or at risk, or below the period's milestone, with a box for it."""
    st.subheader("Deviations to explain")
    flagged = view.deviations(report)
    if not flagged:
        st.success(
            f"No indicator is behind or at risk, or below its milestone, at the end of {period.label}.",
            icon=":material/check_circle:",
        )
    else:
        st.caption(
            f"{EXPLAIN_WHY} Write the explanation here: it stays while this browser tab is open and goes into the "
            "downloads."
        )
    for row in flagged:
        with st.container(border=True):
            st.markdown(f"**{row.code}** · {components.escape_md(row.name)}")
            with st.container(horizontal=True):
                st.badge(components.status_label(row.status), color=components.BADGE_COLOURS[row.status])
                if row.below_milestone:
                    st.badge(BELOW_MILESTONE, icon=":material/flag:", color="gray")
            st.markdown(components.escape_md(row.prompt))
            st.text_area(
                f"Explanation for {row.code}",
                key=row.key,
                persist_state="session",
                placeholder="Why it is short, what is being done to catch up, and by when.",
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
    st.caption("One row per contribution; an indicator's amounts add up to its “records dated in the period”.")
    st.dataframe(report.records, hide_index=True, column_config=report_tables.REPORT_RECORDS)


# The records used to be an expander kept open by ?records=true: such a link opens the Records tab.
components.lazy_tabs(
    {
        "Overview": overview_view,
        "Indicators": indicators_view,
        "Deviations": deviations_view,
        "Narratives": lambda: narratives.narratives_view(report, narrative_problem),
        "Evidence": evidence_view,
        "Checks": checks_view,
        "Records": records_view,
    },
    key="view",
    old_links={"records": "Records"},
)
