"""The monitoring dashboard: sign-in, navigation, the bar above every page and the load-once data context."""

from __future__ import annotations

import logging
import os

import streamlit as st

from ui import auth, context, presentation, viewbar
from ui.errors import show_config_error, show_source_error, show_stale_banner, show_unexpected

# Under test (tests/conftest.py sets it) a page that fails fails the test instead of showing the message below.
RAISE_PAGE_ERRORS = "SPINIT_RAISE_PAGE_ERRORS"
PRESENT = presentation.is_on()
try:
    settings = context.settings()
except context.ConfigError as exc:
    st.set_page_config(page_title="Monitoring", page_icon=presentation.ICON, layout="wide")
    show_config_error(exc)
    st.stop()
st.set_page_config(page_title=f"{settings.project.name} monitoring", page_icon=presentation.ICON, layout="wide")

who = auth.gate(settings.project.name)  # nothing is read from the source before this passes

try:
    data = context.dataset()
except context.ConfigError as exc:
    show_config_error(exc)
    st.stop()
except context.SourceError as exc:
    show_source_error(exc)
    st.stop()

# Page files live in app_pages/, not pages/: a pages/ folder makes Streamlit 1.67 run a page without
# app.py when its URL is opened first (the old multipage mode), so the view bar and data context are missing.
SECTIONS = {
    "Progress": [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True
        ),
        st.Page(
            "app_pages/indicator.py", title="Indicator detail", icon=":material/query_stats:", url_path="indicator"
        ),
        st.Page(
            "app_pages/attention.py", title="Needs attention", icon=":material/priority_high:", url_path="attention"
        ),
        st.Page("app_pages/reporting.py", title="Progress report", icon=":material/summarize:", url_path="reporting"),
        st.Page("app_pages/changes.py", title="What changed", icon=":material/difference:", url_path="changes"),
    ],
    "Where and with whom": [
        st.Page("app_pages/map.py", title="Map", icon=":material/map:", url_path="map"),
        st.Page("app_pages/cooperation.py", title="Cooperation", icon=":material/hub:", url_path="cooperation"),
        st.Page("app_pages/partners.py", title="Partners", icon=":material/groups:", url_path="partners"),
    ],
}
# A project without Local Action Plans or pilots (no such tab) has no page for them.
plans_and_pilots = [
    st.Page("app_pages/action_plans.py", title="Action plans", icon=":material/account_tree:", url_path="action-plans"),
    st.Page("app_pages/pilots.py", title="Pilots", icon=":material/science:", url_path="pilots"),
]
plans_and_pilots = [
    page for page, tab in zip(plans_and_pilots, ("action_plans", "pilots"), strict=True) if data.keeps(tab)
]
if plans_and_pilots:
    SECTIONS["Plans and pilots"] = plans_and_pilots
if who.is_manager:
    SECTIONS["Data"] = [
        st.Page(
            "app_pages/data_quality.py", title="Data quality", icon=":material/fact_check:", url_path="data-quality"
        )
    ]
if PRESENT:
    SECTIONS["Meeting"] = presentation.meeting_pages()
PAGES = {p.url_path: p for section in SECTIONS.values() for p in section}
page = st.navigation(SECTIONS, position="hidden" if PRESENT else "top")
if who.mode == "oidc":
    auth.resume_requested_view(PAGES)  # the link opened before signing in (the provider's redirect lands on /)

if PRESENT:
    as_of = presentation.as_of_from_url(data)
    presentation.apply_style(data, as_of)
    presentation.agenda_bar(page, PAGES, settings, data, as_of)
else:
    presentation.apply_base_style()
    as_of = viewbar.render(data, page, who, PAGES.get("data-quality"))
show_stale_banner(data)
st.session_state["_context"] = context.context_for(data, as_of)
st.session_state["_access"] = who
try:
    page.run()
except Exception:
    if os.environ.get(RAISE_PAGE_ERRORS):
        raise
    logging.getLogger("spinit").exception("page %s failed", page.title)
    show_unexpected(page.title)
