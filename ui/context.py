"""The load-once data context every page shares: one cached read, clean and measure per source.

`app.py` calls `load_context()` once per run, before the page; pages call `current()`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data_sources import SourceError
from monitoring.config import ConfigError, Settings, load_settings
from monitoring.dataset import Dataset, load_dataset, resolve_location
from monitoring.progress import IndicatorProgress

CONFIG_ENV = "SPINIT_CONFIG"  # another configuration file, e.g. for tests or a second project
SOURCE_ENV = "SPINIT_SOURCE"  # another workbook or CSV folder than the configuration's


@dataclass(frozen=True)
class ViewContext:
    data: Dataset
    as_of: dt.date
    progress: list[IndicatorProgress]

    @property
    def settings(self) -> Settings:
        return self.data.settings

    def indicator(self, code: str) -> IndicatorProgress | None:
        return next((p for p in self.progress if p.code == code), None)


def config_path() -> str:
    return os.environ.get(CONFIG_ENV, "indicators.yaml")


def _mtime(path: Path) -> float:
    try:
        return max(
            [path.stat().st_mtime, *(f.stat().st_mtime for f in path.glob("*"))]
            if path.is_dir()
            else [path.stat().st_mtime]
        )
    except OSError:
        return 0.0


@st.cache_resource(show_spinner="Reading the monitoring data…", max_entries=4)
def _dataset(config: str, source: str | None, _stamp: tuple[float, float]) -> Dataset:
    return load_dataset(load_settings(config), config, source)


@st.cache_resource(max_entries=64)
def _progress(_data: Dataset, data_key: tuple[str, dt.datetime], as_of: dt.date) -> list[IndicatorProgress]:
    return _data.progress(as_of)


def settings() -> Settings:
    """The validated configuration; raises ConfigError."""
    return load_settings(config_path())


def dataset() -> Dataset:
    """The cached dataset; re-read when the config or the file changes, or after `refresh()`. Raises SourceError."""
    config = config_path()
    source = os.environ.get(SOURCE_ENV) or None
    path, _ = resolve_location(load_settings(config), config, source)
    return _dataset(config, source, (_mtime(Path(config)), _mtime(path)))


def refresh() -> None:
    _dataset.clear()
    _progress.clear()


def context_for(data: Dataset, as_of: dt.date) -> ViewContext:
    return ViewContext(data, as_of, _progress(data, (data.source.label, data.source.read_at), as_of))


def current() -> ViewContext:
    """The context app.py prepared for this run."""
    return st.session_state["_context"]


__all__ = ["ConfigError", "SourceError", "ViewContext", "context_for", "current", "dataset", "refresh", "settings"]
