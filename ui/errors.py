"""Full-page explanations for what stops the dashboard: never a traceback."""

from __future__ import annotations

import streamlit as st

from data_sources import SourceError
from monitoring.config import ConfigError


def show_config_error(exc: ConfigError) -> None:
    st.title("The configuration needs fixing")
    st.error(f"`{exc.path}` cannot be used. Fix these lines and reload the page:", icon=":material/settings:")
    for line in exc.problems:
        st.markdown(f"- {line}")
    st.caption("The reference for every key is docs/configuration.md.")


def show_source_error(exc: SourceError) -> None:
    st.title("The monitoring data cannot be read")
    st.error(str(exc), icon=":material/description:")
    st.markdown(
        "Check that the workbook or folder named in `indicators.yaml` (`source:`) exists and is an .xlsx file "
        "or a folder of CSV files, then press **Refresh** or reload the page."
    )


def show_unexpected(page_title: str) -> None:
    st.error(
        f"The page “{page_title}” could not be drawn. The data is safe; the error has been logged for the "
        "maintainers. Try another page or another date.",
        icon=":material/build:",
    )
