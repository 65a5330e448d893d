"""SpinIT monitoring dashboard: navigation, the shared sidebar and the load-once data context."""

from __future__ import annotations

import logging

import streamlit as st

from ui import context, sidebar
from ui.errors import show_config_error, show_source_error, show_unexpected

st.set_page_config(page_title="SpinIT monitoring", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("pages/indicator.py", title="Indicator detail", icon=":material/query_stats:", url_path="indicator"),
]

page = st.navigation(PAGES)
try:
    data = context.dataset()
except context.ConfigError as exc:
    show_config_error(exc)
    st.stop()
except context.SourceError as exc:
    show_source_error(exc)
    st.stop()

as_of = sidebar.render(data)
st.session_state["_context"] = context.context_for(data, as_of)
try:
    page.run()
except Exception:
    logging.getLogger("spinit").exception("page %s failed", page.title)
    show_unexpected(page.title)
