"""Shared fixtures: the app under AppTest, on the embedded sample unless a test says otherwise."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from monitoring.dataset import Dataset, load_dataset
from monitoring.model.config import load_settings

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# A page that raises fails its test (app.py re-raises), instead of showing "could not be drawn" to AppTest.
os.environ["SPINIT_RAISE_PAGE_ERRORS"] = "1"
# What tests type into the Narratives tab goes to a throw-away database: never the repository's .data/, nor a
# real database a developer's SPINIT_DATABASE_URL may name.
os.environ["SPINIT_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='spinit-narratives-')}/narratives.sqlite"


# The slow part of the suite, left out of the README's fast command (`-m "not slow"`): commands run in a fresh
# process, the hostile-input corpus (a 100 000-row workbook), every page of every example project, and the Google,
# PostgreSQL and e-mail round trips, the heaviest page, map and export tests. Seconds per module on the 2-core
# machine, 2026-12-04: 6 to 210.
SLOW_MODULES = {
    "test_corpus",
    "test_counting",
    "test_projects_in_their_own_words",
    "test_jems",
    "test_cli",
    "test_cli_config",
    "test_cli_export",
    "test_cli_files",
    "test_cli_narratives",
    "test_config_limits",
    "test_excel_limits",
    "test_reader_limits",
    "test_project_model",
    "test_example_project",
    "test_page_narratives",
    "test_google_sheets",
    "test_partner_digest",
    "test_digest",
    "test_page_map",
    "test_page_pilots",
    "test_page_reporting",
    "test_geo",
    "test_export",
    "test_contacts",
    "test_combine",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of a `SLOW_MODULES` module `slow`."""
    for item in items:
        if item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _refresh_allowed(monkeypatch):
    """Each test starts with "Refresh now" allowed (it is limited to once per 30 s for the whole server)."""
    from monitoring.door.backoff import Throttle
    from ui import context

    monkeypatch.setattr(context, "_REFRESH", Throttle(context.REFRESH_EVERY_SECONDS))


@pytest.fixture(scope="session")
def sample() -> Dataset:
    """The sample workbook through the same load -> clean -> measure path the app uses."""
    return load_dataset(load_settings("indicators.yaml"), "indicators.yaml")


def chart_spec(chart: Any) -> dict[str, Any]:
    """A vega_lite_chart element's spec, with every dataset inlined as a list of records under spec["datasets"]."""
    spec = json.loads(chart.proto.spec)
    spec["datasets"] = {
        d.name: convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records") for d in chart.proto.datasets
    }
    if chart.proto.data.data:  # a spec's inline data.values travel as the chart's main Arrow table
        spec["datasets"]["_main"] = convert_arrow_bytes_to_pandas_df(chart.proto.data.data).to_dict("records")
    return spec


def chart_frames(chart: Any) -> list[Any]:
    """Every dataset of a chart element as a DataFrame."""
    import pandas as pd

    return [pd.DataFrame(rows) for rows in chart_spec(chart)["datasets"].values()]


def chart_rows(chart: Any) -> list[dict[str, Any]]:
    """The records of a single-dataset chart."""
    datasets = chart_spec(chart)["datasets"]
    assert len(datasets) == 1, f"expected one dataset, got {list(datasets)}"
    return next(iter(datasets.values()))


def overview_counts(at: AppTest) -> dict[str, str]:
    """The Overview's row of counts, label -> number as shown ("Organisations" -> "30")."""
    body = "".join(h.proto.body for h in at.get("html") if "spinit-counts" in h.proto.body)
    return dict(re.findall(r'<span class="label">([^<]+)</span><span class="count">([^<]+)</span>', body))


def open_page(page: str | None = None, **query: str) -> AppTest:
    """Run the app (query params apply to the first run), then switch to `page` (a file in app_pages/)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tabs_of(page: str, **query: str):
    """A function: tab label -> `page` opened at that tab (?view=label, plus `query`), each tab opened once."""
    opened: dict[str, AppTest] = {}

    def view(name: str) -> AppTest:
        if name not in opened:
            opened[name] = open_page(page, view=name, **query)
        return opened[name]

    return view
