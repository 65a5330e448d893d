"""Data quality: every cell the dashboard could not read, or doubts, with where it is and what it should hold."""

import datetime as dt
import re

import pandas as pd
import streamlit as st

from monitoring import checks
from monitoring.contract import TABS
from monitoring.dataset import when
from ui import components
from ui.context import current

LEVELS = {"errors": "error", "warnings": "warning"}
STATIC_ROWS = 200  # up to this many problems in a group are listed in full; more go into a scrollable table


def literal(text: str) -> str:
    """Sheet text as a Markdown code span: shown exactly as written, never formatted or turned into a link."""
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


ctx = current()
data = ctx.data
problems = data.problems
table = checks.problem_table(problems)

st.markdown("## Data quality")
st.caption(f"{data.source.label} · checked {when(data.source.read_at)}, when the data was read")
if data.source.sample:
    components.sample_banner()

rows_read = {name: len(frame) for name, frame in data.tables.items()}
error_count = int((table["level"] == "error").sum())
warning_count = len(table) - error_count
m1, m2, m3, m4 = st.columns(4)
m1.metric("Errors", error_count, help="Cells that could not be read: they are left out of every number.")
m2.metric("Warnings", warning_count, help="Values that are read and counted, but look wrong.")
m3.metric("Tabs with problems", table["tab"].nunique())
m4.metric("Rows read", f"{sum(rows_read.values()):,}")

if table.empty:
    st.success("Every cell could be read and nothing looks wrong: no problems found.", icon=":material/check_circle:")
else:
    st.markdown(
        ":material/error: **Errors**: the cell could not be read (or a required one is empty), so it is left out of "
        "every number until it is fixed. :material/warning: **Warnings**: the value is read and counted, but looks "
        "wrong; check it."
    )

missing_tabs = set(table.loc[table["cell"] == "", "tab"])
if {t.name for t in TABS.values() if not t.optional} <= missing_tabs:
    st.info(
        "None of the dashboard's tabs could be read from this source. Start from the template "
        "(`python -m monitoring template --out monitoring.xlsx`), or name your own tabs in `indicators.yaml` "
        "(`source: tabs:`); docs/data-quality.md explains each message.",
        icon=":material/lightbulb:",
    )

# Counts per tab: every contract tab, then anything else with problems (e.g. the source itself).
tab_names = list(dict.fromkeys([*TABS, *table["tab"]]))
counts = pd.DataFrame(
    {
        "Tab": tab_names,
        "Rows read": [rows_read.get(name) for name in tab_names],
        "Errors": [int(((table["tab"] == name) & (table["level"] == "error")).sum()) for name in tab_names],
        "Warnings": [int(((table["tab"] == name) & (table["level"] == "warning")).sum()) for name in tab_names],
    }
)
per_tab = components.lazy_expander("Rows read and problems per tab", "rows_per_tab", icon=":material/table_chart:")
if per_tab.open:
    per_tab.dataframe(
        counts,
        hide_index=True,
        column_config={"Rows read": st.column_config.NumberColumn(format="localized")},
    )

if not table.empty:
    # --- Filters (bound to the URL: ?tab=activities&level=errors) ---
    f1, f2 = st.columns([3, 2])
    chosen_tabs = f1.multiselect(
        "Tabs",
        tab_names,
        key="tab",
        bind="query-params",
        placeholder="All tabs",
        help="Show the problems of these tabs only.",
    )
    chosen_level = f2.segmented_control(
        "Show", ["all", *LEVELS], default="all", key="level", bind="query-params", required=True
    )
    shown = table
    if chosen_tabs:
        shown = shown[shown["tab"].isin(chosen_tabs)]
    if chosen_level in LEVELS:
        shown = shown[shown["level"] == LEVELS[chosen_level]]

    has_links = bool((table["link"] != "").any())
    several_files = table["origin"].nunique() > 1
    if not has_links:
        st.caption(
            ":material/lightbulb: To jump to a cell, type it with its tab (e.g. `activities!B7`) into the "
            "Name Box, left of the formula bar, in Excel, LibreOffice or Google Sheets."
        )

    def readable(rows: pd.DataFrame) -> pd.DataFrame:
        """The problems as a static table (Markdown cells, text wraps); sheet text is escaped."""
        out = {
            "Cell": [f"**{where}**" for where in rows["where"]],
            "Column": [components.escape_md(c) for c in rows["column"]],
            "Problem and what is expected": [components.escape_md(m) for m in rows["message"]],
            "The cell holds": [literal(v) for v in rows["value"]],
        }
        if several_files:
            out["File"] = [components.escape_md(o) for o in rows["origin"]]
        if has_links:
            out["Open"] = [f"[Open the cell]({link})" if link else "" for link in rows["link"]]
        return pd.DataFrame(out)

    def scrollable(rows: pd.DataFrame) -> None:
        """Many problems: an interactive table (plain text; hover a cell for a long message)."""
        config = {
            "where": st.column_config.TextColumn("Cell", width=70),
            "column": st.column_config.TextColumn("Column", width=130),
            "message": st.column_config.TextColumn("Problem and what is expected", width=440),
            "value": st.column_config.TextColumn("The cell holds", width=170),
        }
        if several_files:
            config["origin"] = st.column_config.TextColumn("File", width=160)
        if has_links:
            config["link"] = st.column_config.LinkColumn("Open", display_text="Open the cell", width=110)
        st.dataframe(rows[list(config)], hide_index=True, column_config=config, column_order=list(config))

    if shown.empty:
        st.info("No problems match these filters.", icon=":material/filter_alt_off:")
    for tab in dict.fromkeys(shown["tab"]):
        in_tab = shown[shown["tab"] == tab]
        errors = int((in_tab["level"] == "error").sum())
        warnings = len(in_tab) - errors
        st.subheader(components.escape_md(tab), anchor=f"tab-{tab}", divider="gray")
        st.caption(f"{errors} error(s), {warnings} warning(s)")
        for level, heading in (("error", ":material/error: Errors"), ("warning", ":material/warning: Warnings")):
            rows = in_tab[in_tab["level"] == level]
            if rows.empty:
                continue
            st.markdown(f"**{heading}** ({len(rows)})")
            if len(rows) <= STATIC_ROWS:
                st.table(readable(rows), hide_index=True, border="horizontal")
            else:
                st.caption(f"{len(rows)} problems: hover a cell to read a long message, or download the list below.")
                scrollable(rows)

    st.download_button(
        "Download the problem list (CSV)",
        checks.problems_csv(problems),
        file_name=f"data-problems-{dt.date.today():%Y-%m-%d}.csv",
        mime="text/csv",
        icon=":material/download:",
        help="Every problem with its tab, cell, value and link, to share with the partners who keep the sheet.",
    )
