"""Data quality: every cell the dashboard could not read, or doubts, with where it is and what it should hold."""

import datetime as dt

import streamlit as st

from monitoring.dataset import when
from monitoring.formatting import plural
from monitoring.sheet import checks
from monitoring.views import data_quality as view
from ui import components
from ui.context import current

HEADINGS = {"error": ":material/error: Errors", "warning": ":material/warning: Warnings"}
SCROLL_CONFIG = {  # a long list of problems: plain text; hover a cell for a long message
    "where": st.column_config.TextColumn("Cell", width=70),
    "column": st.column_config.TextColumn("Column", width=130),
    "message": st.column_config.TextColumn("Problem and what is expected", width=440),
    "value": st.column_config.TextColumn("The cell holds", width=170),
    "origin": st.column_config.TextColumn("File", width=160),
    "link": st.column_config.LinkColumn("Open", display_text="Open the cell", width=110),
}

ctx = current()
data = ctx.data
quality = view.quality(data)

st.markdown("## Data quality")
st.caption(f"{data.source.label} · checked {when(data.source.read_at)}, when the data was read")
if data.source.sample:
    components.sample_banner()

m1, m2, m3, m4 = st.columns(4)
m1.metric("Errors", quality.errors, help="Cells that could not be read: they are left out of every number.")
m2.metric("Warnings", quality.warnings, help="Values that are read and counted, but look wrong.")
m3.metric("Tabs with problems", quality.tabs_with_problems)
m4.metric("Rows read", f"{quality.rows_read:,}")

if quality.problems.empty:
    st.success("Every cell could be read and nothing looks wrong: no problems found.", icon=":material/check_circle:")
else:
    st.markdown(
        ":material/error: **Errors**: the cell could not be read (or a required one is empty), so it is left out of "
        "every number until it is fixed. :material/warning: **Warnings**: the value is read and counted, but looks "
        "wrong; check it."
    )

if quality.no_tab_read:
    st.info(
        "None of the dashboard's tabs could be read from this source. Start from the template "
        "(`python -m monitoring template --out monitoring.xlsx`), or name your own tabs in `indicators.yaml` "
        "(`source: tabs:`); docs/data-quality.md explains each message.",
        icon=":material/lightbulb:",
    )

per_tab = components.lazy_expander("Rows read and problems per tab", "rows_per_tab", icon=":material/table_chart:")
if per_tab.open:
    per_tab.dataframe(
        quality.per_tab,
        hide_index=True,
        column_config={"Rows read": st.column_config.NumberColumn(format="localized")},
    )

if not quality.problems.empty:
    # --- Filters (bound to the URL: ?tab=activities&level=errors) ---
    f1, f2 = st.columns([3, 2])
    chosen_tabs = f1.multiselect(
        "Tabs",
        quality.tab_names,
        key="tab",
        bind="query-params",
        placeholder="All tabs",
        help="Show the problems of these tabs only.",
    )
    chosen_level = f2.segmented_control(
        "Show", ["all", *view.LEVELS], default="all", key="level", bind="query-params", required=True
    )
    shown = view.filtered(quality.problems, chosen_tabs, chosen_level)
    if not quality.has_links:
        st.caption(
            ":material/lightbulb: To jump to a cell, type it with its tab (e.g. `activities!B7`) into the "
            "Name Box, left of the formula bar, in Excel, LibreOffice or Google Sheets."
        )

    if shown.empty:
        st.info("No problems match these filters.", icon=":material/filter_alt_off:")
    for group in view.by_tab(shown, quality.tab_labels):
        st.subheader(components.escape_md(group.label), anchor=f"tab-{group.tab}", divider="gray")
        st.caption(f"{plural(group.errors, 'error')}, {plural(group.warnings, 'warning')}")
        for level, rows in group.levels:
            st.markdown(f"**{HEADINGS[level]}** ({len(rows)})")
            if len(rows) <= view.STATIC_ROWS:
                st.table(view.readable(rows, quality, components.escape_md), hide_index=True, border="horizontal")
            else:
                st.caption(f"{len(rows)} problems: hover a cell to read a long message, or download the list below.")
                many = view.scrollable(rows, quality)
                config = {column: SCROLL_CONFIG[column] for column in many.columns}
                st.dataframe(many, hide_index=True, column_config=config, column_order=list(config))

    st.download_button(
        "Download the problem list (CSV)",
        checks.problems_csv(data.problems, data.settings.source),
        file_name=f"data-problems-{dt.date.today():%Y-%m-%d}.csv",
        mime="text/csv",
        icon=":material/download:",
        help="Every problem with its tab, cell, value and link, to share with the partners who keep the sheet.",
    )
