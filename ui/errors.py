"""Full-page explanations for what stops the dashboard, and the banner for stale data: never a traceback."""

from __future__ import annotations

import math

import streamlit as st

from data_sources import SourceError
from monitoring.dataset import Dataset
from monitoring.model.config import ConfigError
from ui import context
from ui.components import escape_md

GUIDE = "docs/google-sheets.md"

# What to do, per SourceError.reason; "{account}" is the service account's e-mail.
_FIXES: dict[str, list[str]] = {
    "not_shared": [
        "Open the Google Sheet and press **Share**.",
        "Add {account} as a **Viewer** (untick *Notify people*).",
        "Press **Try again** below.",
    ],
    "not_public": [
        "Open the Google Sheet and press **Share**.",
        "Under *General access*, choose **Anyone with the link** and **Viewer** (or use a service account: "
        "the sheet then stays private).",
        "Press **Try again** below.",
    ],
    "not_found": [
        "Open the Google Sheet in a browser and copy the whole address from the address bar.",
        "Paste it as `source.spreadsheet` in `indicators.yaml` (the key is the long part between `/d/` and `/edit`).",
        "Press **Try again** below.",
    ],
    "credentials": [
        "Put the service account's JSON key under `[gcp_service_account]` in `.streamlit/secrets.toml` "
        "(`.streamlit/secrets.toml.example` shows the shape), or set `GOOGLE_API_KEY` for a sheet shared as "
        "*Anyone with the link*.",
        "Make sure the Google Sheets API is enabled in the key's Google Cloud project.",
        "Restart the dashboard, then press **Try again** below.",
    ],
}
_TEMPORARY = ["This is usually temporary. Wait a minute, then press **Try again** below."]
_FILE = [
    "Check that the workbook or folder named in `indicators.yaml` (`source:`) exists and is an .xlsx file "
    "or a folder of CSV files, then press **Try again** below."
]


def show_config_error(exc: ConfigError) -> None:
    st.title("The configuration needs fixing")
    st.error(f"`{exc.path}` cannot be used. Fix these lines and reload the page:", icon=":material/settings:")
    for line in exc.problems:
        st.markdown(f"- {line}")
    st.caption("The reference for every key is docs/configuration.md.")


def _steps(exc: SourceError) -> list[str]:
    reason = "not_public" if exc.reason == "not_shared" and not exc.account else exc.reason
    if reason in _FIXES:
        account = f"`{exc.account}`" if exc.account else "the service account's e-mail (`client_email` in its key)"
        return [step.format(account=account) for step in _FIXES[reason]]
    if exc.reason in {"rate_limited", "server", "timeout", "network", "malformed"}:
        return _TEMPORARY
    return _FILE


def show_source_error(exc: SourceError) -> None:
    """The whole page when nothing can be shown: what went wrong, and the steps that fix it."""
    st.title("The monitoring data cannot be read")
    st.error(escape_md(exc), icon=":material/cloud_off:")
    st.markdown("**How to fix it**")
    st.markdown("\n".join(f"{n}. {step}" for n, step in enumerate(_steps(exc), start=1)))
    if exc.account:
        st.caption("The service account's e-mail, to paste into the sheet's Share dialog:")
        st.code(exc.account, language=None)
    if exc.reason != "unreadable":
        st.caption(f"Step by step: {GUIDE}, 'Connect your Google Sheet'.")
    if st.button("Try again", icon=":material/refresh:", type="primary"):
        wait = context.refresh()
        if not wait:
            st.rerun()
        st.info(refresh_wait_message(wait), icon=":material/hourglass:")


def refresh_wait_message(wait: float) -> str:
    return (
        f"The data was read again less than {context.REFRESH_EVERY_SECONDS} s ago (refreshes are limited for "
        f"everyone, to spare the source). The next refresh is possible in {math.ceil(wait)} s."
    )


def show_stale_banner(data: Dataset) -> None:
    """A warning on every page while a source is shown from its last good copy (or is missing)."""
    for line in context.stale_lines(data):
        st.warning(escape_md(line), icon=":material/cloud_off:")


def show_unexpected(page_title: str) -> None:
    st.error(
        f"The page “{page_title}” could not be drawn. The data is safe; the error has been logged for the "
        "maintainers. Try another page or another date.",
        icon=":material/build:",
    )
