"""Partners: what each organisation recorded, what it adds to each indicator, and what it still owes before the
report. ?partner=P07 opens one organisation: its share of each indicator, its records and its data problems."""

import streamlit as st

from monitoring.formatting import plural
from monitoring.outputs import partners as pa
from monitoring.views import partners as view
from ui import components, partner_tables
from ui.auth import current_access
from ui.context import current

ctx = current()
data = ctx.data
as_of = ctx.as_of
esc = components.escape_md
indicators = ctx.settings.indicators

st.markdown(f"## Partners · as of {as_of:%d %b %Y}")
st.caption(
    "A record belongs to every organisation it names, as lead or partner. What an organisation adds to an indicator "
    "is that indicator's records naming it; an activity counts for each of its organisations, so those columns add "
    "up to more than the project's number. A to-do goes to the one organisation that can fix it: a plan's or "
    "pilot's lead, an activity's first organisation."
)
if data.source.sample:
    components.sample_banner()

# --- Filters (bound to the URL: ?partner_period=P3&partner_country=Serbia&partner_role=PP&to_fix=true&partner=P07) ---
periods = {p.label: p for p in view.periods_until(data, as_of)}
f1, f2, f3, f4, f5 = st.columns([1, 2, 2, 2, 2], vertical_alignment="bottom")
label = f1.selectbox(
    "Period",
    list(periods),
    index=list(periods).index(view.default_period(data, as_of).label),
    key="partner_period",
    bind="query-params",
    help="'Nothing recorded' and the records in the period are counted in this reporting period (up to the as-of day).",
)
period = periods[label]
table = view.overview(data, as_of, period)
countries, roles = view.choices(table)
chosen_countries = f2.multiselect(
    "Country", countries, key="partner_country", bind="query-params", placeholder="All countries"
)
asked = st.query_params.get("partner")
if asked and asked not in view.partner_options(table):
    st.info(f"No organisation has the id {esc(asked)}; here are all of them.", icon=":material/info:")
chosen_roles = f3.multiselect("Role", roles, key="partner_role", bind="query-params", placeholder="All roles")
partner = f4.selectbox(
    "Organisation",
    view.partner_options(table),
    index=None,
    key="partner",
    bind="query-params",
    placeholder="All organisations",
    help="Open one organisation: its share of each indicator, its records and its data problems.",
)
only_to_fix = f5.toggle("Only those with something to fix", key="to_fix", bind="query-params")
shown = view.chosen(table, chosen_countries, chosen_roles, only_to_fix)
names = pa.names_of(data)


def partner_view(detail: view.Detail) -> None:
    """One organisation: its to-do list, then its indicators, records and problems in tabs."""
    st.subheader(f"{esc(detail.partner_id)} · {esc(detail.name)}")
    sheet = f" · sheet: {esc(detail.origin)}" if view.several_origins(table) else ""
    st.caption(f"{esc(detail.country) or 'no country'} · role: {esc(detail.role) or '–'}{sheet}")
    if current_access().is_manager:
        addresses = ", ".join(esc(a) for a in detail.contacts) or "none in the partners tab"
        st.caption(f":material/mail: Its to-do list goes to: {addresses} (managers only)")
    if detail.todo:
        st.warning(
            f"**Before the {period.label} report ({len(detail.todo)}):**  \n"
            + "  \n".join(f"{esc(i.where) + ': ' if i.where else ''}{esc(i.text)}" for i in detail.todo),
            icon=":material/assignment_late:",
        )
    else:
        st.success(f"Nothing to fix before the {period.label} report.", icon=":material/check_circle:")

    def shares_view() -> None:
        partner_tables.shares(detail.shares)

    def records_view() -> None:
        recs = detail.records
        st.caption(
            f"{plural(len(recs), 'record')} dated by {as_of:%d %b %Y}, {int(recs['in_period'].sum())} in {label}."
        )
        partner_tables.records(recs, label)

    def problems_view() -> None:
        if detail.problems.empty:
            st.caption("No data problem in its rows.")
            return
        partner_tables.problems(detail.problems)

    components.lazy_tabs(
        {"Indicators": shares_view, "Records": records_view, "Problems": problems_view},
        key="view",
    )


def list_view() -> None:
    """Every organisation under the filters, one row each."""
    numbers = view.headline(shown)
    cols = st.columns(4)
    cols[0].metric("Organisations", numbers.organisations)
    cols[1].metric(f"Nothing recorded in {label}", numbers.silent)
    cols[2].metric("With data problems", numbers.with_problems)
    cols[3].metric("Records without evidence", numbers.without_evidence)
    partner_tables.organisations(shown, label, indicators, several_sheets=view.several_origins(table))
    st.caption("Choose an organisation above (or add ?partner=<id> to the link) to see its records and problems.")


def todo_view() -> None:
    """Every organisation's to-do list before the period's report, to download or paste into an e-mail."""
    lists = {who: items for who, items in pa.todo_lists(data, as_of, period).items() if who in set(shown["partner_id"])}
    has = "has" if len(lists) == 1 else "have"
    st.markdown(
        f"**{len(lists)} of {plural(len(shown), 'organisation')}** {has} something to fix before the {label} report."
    )
    if not current_access().is_manager:
        st.caption("The to-do lists are for the project's managers; ask one of them for the files.")
        return
    text = pa.todo_text(lists, names, period, ctx.settings.project.name)
    workbook, problem = view.todo_file(lists, names, period, ctx.settings.project.name)
    left, right = st.columns(2)
    left.download_button(
        "Excel: one tab per organisation",
        workbook,
        file_name=f"{ctx.settings.project.name}-to-do-{label}-{as_of.isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
        width="stretch",
        disabled=problem is not None,
        help=problem,
    )
    if problem:
        left.caption(f":material/block: {components.escape_md(problem)}")
    right.download_button(
        "Plain text for an e-mail",
        text,
        file_name=f"{ctx.settings.project.name}-to-do-{label}-{as_of.isoformat()}.txt",
        mime="text/plain",
        icon=":material/mail:",
        on_click="ignore",
        width="stretch",
    )
    st.code(text, language=None, wrap_lines=True)


found = view.detail(data, partner, as_of, period) if partner else None
if found:
    partner_view(found)
else:
    components.lazy_tabs({"Organisations": list_view, "To-do": todo_view}, key="view")
