"""The sidebar every page shares: as-of date, reporting period, source, freshness, refresh."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from monitoring.dataset import Dataset
from ui import context
from ui.components import escape_md


def _apply_period(data: Dataset) -> None:
    number = st.session_state.get("period")
    if number:
        st.session_state["as_of"] = data.periods[number - 1].end


def render(data: Dataset, quality_page: st.Page | None = None) -> dt.date:
    """Draw the shared sidebar; return the as-of date chosen (bound to the URL as ?as_of=YYYY-MM-DD).

    `quality_page`, when the viewer may open it, turns the data-problem count into a link to it.
    """
    project = data.settings.project
    bar = st.sidebar
    bar.markdown(f"### {project.name} monitoring")
    if data.source.sample:
        bar.badge("Sample data", icon=":material/science:", color="violet")
    periods = {p.number: p for p in data.periods}
    bar.selectbox(
        "Reporting period",
        [None, *periods],
        format_func=lambda n: "Pick a period end…" if n is None else periods[n].long_label,
        key="period",
        on_change=_apply_period,
        args=(data,),
        help="Jump to the end of a reporting period: what a report for that period shows.",
    )
    as_of = bar.date_input(
        "As of",
        value=data.default_as_of(),
        min_value=project.start,
        max_value=project.end,
        key="as_of",
        bind="query-params",
        format="YYYY-MM-DD",
        help="Every page shows the data as it stood at the end of this day.",
    )
    read_at = data.source.read_at.astimezone(dt.UTC)
    bar.caption(f"Source: {escape_md(data.source.label)}  \nRead {read_at:%d %b %Y, %H:%M} UTC")
    if not data.source.live:
        bar.badge(
            "Last good copy", icon=":material/cloud_off:", color="orange", help="; ".join(context.stale_lines(data))
        )
    if bar.button("Refresh now", icon=":material/refresh:", help="Read the source again now"):
        context.refresh()
        st.rerun()
    if data.problems:
        summary = f"{len(data.problems)} data problem(s), {data.error_count} error(s)"
        if quality_page is not None:
            bar.page_link(quality_page, label=summary, icon=":material/warning:", help="Every problem with its cell")
        else:
            bar.caption(f"⚠ {summary}")
    return as_of or data.default_as_of()


def link_to_view(page: st.Page, as_of: dt.date) -> None:
    """A copyable URL that reproduces this view (page, as-of date, filters), and a way into presentation mode."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    params["as_of"] = [as_of.isoformat()]
    base = str(st.context.url or "").split("?")[0]
    # A text field, not st.code: the code block's syntax-highlighter bundle added ~0.17 s to every page load.
    st.sidebar.text_input(
        "Link to this view",
        f"{base}?{urlencode(params, doseq=True)}",
        help="Copy it: it opens this page with the same date and filters.",
        key=None,
    )
    flat = {key: values[-1] for key, values in params.items() if values}
    st.sidebar.page_link(
        page, label="Present this page", icon=":material/slideshow:", query_params={**flat, "present": "1"}
    )
