"""The bar above every page: the as-of date (and reporting period), the source and its freshness,
refresh, a link to the view, presentation mode, and who is signed in.

It replaced a sidebar. The controls sit in popovers, which the browser only draws when opened: the
sidebar's date picker, select box, button and text field cost every page about 0.3 s to settle
(measured; see the README's performance section), and the sidebar took a fifth of a 1366-px screen.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from monitoring.dataset import Dataset
from monitoring.formatting import plural
from ui import context
from ui.auth import Access, sign_out
from ui.components import escape_md
from ui.errors import refresh_wait_message


def _apply_period(data: Dataset) -> None:
    number = st.session_state.get("period")
    if number:
        st.session_state["as_of"] = data.periods[number - 1].end


def _url_date(data: Dataset) -> dt.date | None:
    try:
        return data.clamp(dt.date.fromisoformat(str(st.query_params.get("as_of", ""))))
    except ValueError:
        return None


def _sync_as_of_from_url(data: Dataset) -> dt.date:
    """Put the URL's ?as_of= into the picker's state when the URL changed from outside (a link opened, the
    Back button); otherwise keep the picker's. Returns the date this run shows.

    Not `bind="query-params"`: a bound picker keeps the URL in step only while the browser draws it,
    and a closed popover does not draw its contents.
    """
    from_url = _url_date(data)
    if from_url is not None and from_url != st.session_state.get("_as_of_in_url"):
        st.session_state["as_of"] = from_url
    elif not isinstance(st.session_state.get("as_of"), dt.date):
        st.session_state["as_of"] = data.default_as_of()
    return st.session_state["as_of"]


def render(data: Dataset, page: st.Page, who: Access, quality_page: st.Page | None = None) -> dt.date:
    """Draw the bar; return the as-of date chosen (kept in the URL as ?as_of=YYYY-MM-DD).

    `quality_page`, when the viewer may open it, turns the data-problem count into a link to it.
    """
    project = data.settings.project
    read_at = data.source.read_at.astimezone(dt.UTC)
    bar = st.container(horizontal=True, vertical_alignment="center", gap="small", key="viewbar")
    shown = _sync_as_of_from_url(data)
    with bar.popover(f"As of {shown:%d %b %Y}", icon=":material/event:", help="Change the date"):
        periods = {p.number: p for p in data.periods}
        st.selectbox(
            "Reporting period",
            [None, *periods],
            format_func=lambda n: "Pick a period end…" if n is None else periods[n].long_label,
            key="period",
            on_change=_apply_period,
            args=(data,),
            help="Jump to the end of a reporting period: what a report for that period shows.",
        )
        as_of = st.date_input(
            "As of",
            min_value=project.start,
            max_value=project.end,
            key="as_of",
            format="YYYY-MM-DD",
            help="Every page shows the data as it stood at the end of this day.",
        )
        as_of = as_of or data.default_as_of()
        st.session_state["_as_of_in_url"] = as_of
        if st.query_params.get("as_of") != as_of.isoformat():
            st.query_params["as_of"] = as_of.isoformat()
        _link_to_view(as_of)
    with bar.popover(
        f"Read {read_at:%d %b %H:%M} UTC", icon=":material/database:", help="Where the data comes from; read it again"
    ):
        st.caption(f"Source: {escape_md(data.source.label)}  \nRead {read_at:%d %b %Y, %H:%M} UTC")
        if st.button(
            "Refresh now",
            icon=":material/refresh:",
            help=f"Read the source again now (at most once every {context.REFRESH_EVERY_SECONDS} s, for everyone)",
        ):
            wait = context.refresh()
            if not wait:
                st.rerun()
            st.info(refresh_wait_message(wait), icon=":material/hourglass:")
    _access_box(bar, who, live_source=data.source.remote)
    if data.problems:
        summary = f"{plural(len(data.problems), 'data problem')}, {plural(data.error_count, 'error')}"
        if quality_page is not None:
            bar.page_link(quality_page, label=summary, icon=":material/warning:", help="Every problem with its cell")
        else:
            bar.caption(f":material/warning: {summary}", width="content")
    flat = {key: st.query_params.get(key) for key in st.query_params}
    flat["as_of"] = as_of.isoformat()
    bar.page_link(page, label="Present", icon=":material/slideshow:", query_params={**flat, "present": "1"})
    if data.source.sample:
        bar.caption(":violet[:material/science: Sample data]", width="content")
    return as_of


def _link_to_view(as_of: dt.date) -> None:
    """A copyable URL that reproduces this view (page, as-of date, filters)."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    params["as_of"] = [as_of.isoformat()]
    base = str(st.context.url or "").split("?")[0]
    st.text_input(
        "Link to this view",
        f"{base}?{urlencode(params, doseq=True)}",
        help="Copy it: it opens this page with the same date and filters.",
        key=None,
    )


def _access_box(bar, who: Access, live_source: bool) -> None:
    """The signed-in user with Sign out, or a note that the dashboard is open."""
    if who.mode in ("oidc", "password"):
        name = who.name if who.mode == "oidc" else "shared password"
        with bar.popover(name, icon=":material/account_circle:"):
            if who.mode == "oidc":
                st.caption(f"Signed in as {who.name} ({who.role})")
                st.button("Sign out", on_click=st.logout, icon=":material/logout:")
            else:
                st.caption(f"Signed in with the shared password ({who.role})")
                st.button("Sign out", on_click=sign_out, icon=":material/logout:")
    elif live_source:
        bar.caption(":orange[:material/lock_open: No sign-in: anyone with this URL can see the data]", width="content")
    else:
        bar.caption("Open access (no sign-in configured).", width="content")
