"""The load-once data context every page shares: one cached read, clean and measure per source.

`app.py` calls `dataset()` once per run, before the page; pages call `current()`.

Files are cheap to check, so a file source is re-read when its modification time changes. A Google
Sheet is read at most once per `source.cache_ttl_seconds` (default 5 minutes) for all sessions
together: the raw read is in `st.cache_data` with `refresh_mode="background"`, so when the TTL has
passed viewers keep seeing the previous read while one background read fetches the new one. The
gspread client lives in `st.cache_resource`. "Refresh now" (`refresh()`) forces a read.

Credentials come from `st.secrets["gcp_service_account"]` (the service account's JSON key), else
from the environment (GOOGLE_SERVICE_ACCOUNT_FILE or GOOGLE_API_KEY); they are handed to the data
source and never shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data_sources import GoogleAccess, RawWorkbook, SheetsClient, SourceError
from data_sources.google_sheets import RetryPolicy
from monitoring.dataset import (
    Dataset,
    SourcePlan,
    build_dataset,
    dataset_from_read,
    load_dataset,
    read_raw,
    resolve_location,
    stale_notices,
)
from monitoring.door.backoff import Throttle
from monitoring.engine.progress import IndicatorProgress
from monitoring.entry import choose
from monitoring.model.config import ConfigError, Settings, load_settings
from monitoring.outputs.report import Report, build_report, written
from monitoring.views.reporting import Download, downloads

SECRETS_KEY = "gcp_service_account"  # [gcp_service_account] in .streamlit/secrets.toml: the JSON key
# How long the app waits for Google and retries (tests put a policy without backoff here).
RETRY_POLICY = RetryPolicy()


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
    """The configuration: MONITORING_CONFIG or SPINIT_CONFIG, else indicators.yaml (`monitoring.entry`)."""
    return choose().config


def source_location() -> str | None:
    """Another workbook, CSV folder or Google Sheet than the configuration's: MONITORING_SOURCE or SPINIT_SOURCE."""
    return choose().source


def _mtime(path: Path) -> float:
    try:
        return max(
            [path.stat().st_mtime, *(f.stat().st_mtime for f in path.glob("*"))]
            if path.is_dir()
            else [path.stat().st_mtime]
        )
    except OSError:
        return 0.0


def google_access() -> GoogleAccess:
    """The Google credentials: st.secrets["gcp_service_account"] when set, else the environment's."""
    try:
        info = st.secrets.get(SECRETS_KEY)
    except FileNotFoundError:  # no secrets.toml at all
        info = None
    except Exception as exc:  # a secrets.toml that is not valid TOML: say so, never show its content
        logging.getLogger("spinit").warning(
            "secrets.toml cannot be read (%s); using the environment", type(exc).__name__
        )
        info = None
    if info:
        return GoogleAccess(service_account=dict(info), where=f'st.secrets["{SECRETS_KEY}"]')
    return GoogleAccess.from_env()


def _log_read(what: str) -> None:
    """One line per source read on stderr when SPINIT_LOG_READS is set (the load benchmark counts them)."""
    if os.environ.get("SPINIT_LOG_READS"):
        print(f"spinit: read source {what}", file=sys.stderr, flush=True)


@st.cache_resource(show_spinner="Reading the monitoring data…", max_entries=4)
def _dataset(config: str, source: str | None, stamp: tuple[float, ...]) -> Dataset:
    """A file source, read again when the config's or a file's modification time (`stamp`) changes."""
    _log_read(source or "configured source")
    return load_dataset(load_settings(config), config, source)


@st.cache_resource(max_entries=4, show_spinner=False)
def _sheets_client(credentials_id: str, _access: GoogleAccess) -> SheetsClient:
    """One gspread HTTP client (and its authorised session) per set of credentials, for every session."""
    return SheetsClient(_access, RETRY_POLICY)


def _read_remote(
    config: str, source: str | None, config_stamp: float, credentials_id: str, _client: SheetsClient
) -> RawWorkbook | SourceError:
    """The raw read of a source that includes a Google Sheet: live, or the last good copy with the reason.

    With no copy to show, the SourceError is returned (and so cached like a read): twenty sessions
    opening a dashboard whose sheet is not shared do not each ask Google again; "Try again" does.
    """
    _log_read(source or "configured source")
    try:
        return read_raw(resolve_location(load_settings(config), config, source), _client)
    except SourceError as exc:
        return exc


_READERS: dict[int, Callable[..., RawWorkbook | SourceError]] = {}


def _remote_reader(ttl: int) -> Callable[..., RawWorkbook | SourceError]:
    """`_read_remote` shared by all sessions for `ttl` seconds, refreshed in the background; uncached for 0."""
    if ttl <= 0:
        return _read_remote
    if ttl not in _READERS:
        _READERS[ttl] = st.cache_data(
            ttl=ttl, refresh_mode="background", max_entries=4, show_spinner="Reading the Google Sheet…"
        )(_read_remote)
    return _READERS[ttl]


@st.cache_resource(max_entries=4, show_spinner=False)
def _remote_dataset(config: str, config_stamp: float, read_id: tuple, sample: bool, _raw: RawWorkbook) -> Dataset:
    """Clean and measure one raw read (`read_id` tells reads apart) once for every session."""
    return build_dataset(load_settings(config), _raw, sample)


def _read_id(raw: RawWorkbook) -> tuple:
    return (raw.origin, raw.read_at.isoformat(), tuple((f.origin, f.reason, f.since.isoformat()) for f in raw.failures))


def _data_key(data: Dataset) -> tuple[str, dt.datetime]:
    """What tells one read of the data from another, for the caches below that hold results per read."""
    return (data.source.label, data.source.read_at)


@st.cache_resource(max_entries=64)
def _progress(_data: Dataset, data_key: tuple[str, dt.datetime], as_of: dt.date) -> list[IndicatorProgress]:
    return _data.progress(as_of)


@st.cache_resource(max_entries=32)
def _report(_data: Dataset, data_key: tuple[str, dt.datetime], period_number: int) -> Report:
    return build_report(_data, period_number)


@st.cache_resource(max_entries=16, show_spinner=False)
def _files(_report: Report, data_key: tuple[str, dt.datetime], period: int, explained: tuple) -> list[Download]:
    return downloads(_report)


def report_files(data: Dataset, report: Report) -> list[Download]:
    """The report's Excel, CSV and PDF files, made once per read, period and set of explanations (about 1.5 s
    on the sample, most of it the PDF), each with the reason when it cannot be made."""
    return _files(report, _data_key(data), report.period.number, tuple(sorted(report.explanations.items())))


def report(data: Dataset, period_number: int, explanations: dict[str, str]) -> Report:
    """A period's report, built once per read and period for every session (0.15–0.5 s each time on the
    sample otherwise), with this viewer's deviation explanations added. Shared: never change its tables."""
    built = _report(data, _data_key(data), period_number)
    return dataclasses.replace(built, explanations=written(explanations))


@st.cache_resource(max_entries=4, show_spinner=False)
def _settings(config: str, stamp: float) -> Settings:
    return load_settings(config)


def settings() -> Settings:
    """The validated configuration, parsed once per change of the file; raises ConfigError (not cached)."""
    config = config_path()
    return _settings(config, _mtime(Path(config)))


def dataset() -> Dataset:
    """The cached dataset (see the module's docstring for when it is read again). Raises SourceError, ConfigError.

    SourceError is raised only when nothing can be shown: no source could be read and no copy exists.
    """
    config = config_path()
    source = source_location()
    current_settings = settings()
    plan = resolve_location(current_settings, config, source)
    config_stamp = _mtime(Path(config))
    if not plan.remote:
        return _dataset(config, source, (config_stamp, *(_mtime(p) for p in plan.paths)))
    access = google_access()
    client = _sheets_client(access.fingerprint, access)
    read = _remote_reader(current_settings.source.cache_ttl_seconds)
    raw = read(config, source, config_stamp, access.fingerprint, client)
    if isinstance(raw, SourceError):
        raise raw
    return _remote_dataset(config, config_stamp, _read_id(raw), plan.sample, raw)


def source_plan() -> SourcePlan:
    """What this app reads: the configured source, or MONITORING_SOURCE / SPINIT_SOURCE instead."""
    return resolve_location(settings(), config_path(), source_location())


@st.cache_resource(max_entries=8, show_spinner="Reading a stored copy of the sheet…")
def _stored_dataset(config: str, config_stamp: float, read_id: int) -> Dataset:
    return dataset_from_read(settings(), source_plan(), read_id)


def stored_dataset(read_id: int) -> Dataset:
    """One stored read of the live source, cleaned and measured once for every session."""
    config = config_path()
    return _stored_dataset(config, _mtime(Path(config)), read_id)


def stale_lines(data: Dataset) -> list[str]:
    """The banner's sentences: "Live data unavailable since …; showing data read at …", or none when live."""
    return stale_notices(data.source)


REFRESH_EVERY_SECONDS = 30
_REFRESH = Throttle(REFRESH_EVERY_SECONDS)  # one for the server: any viewer's refresh spends the same read quota


def refresh() -> float:
    """Forget every read: the next run reads the source again (a Google Sheet too, within its bounded wait).

    At most once per REFRESH_EVERY_SECONDS for the whole server: returns 0 when done, else the seconds until the
    next refresh is possible (nothing is forgotten then)."""
    wait = _REFRESH.attempt()
    if wait > 0:
        return wait
    _dataset.clear()
    _remote_dataset.clear()
    _progress.clear()
    _report.clear()
    for reader in _READERS.values():
        reader.clear()
    return 0.0


def context_for(data: Dataset, as_of: dt.date) -> ViewContext:
    return ViewContext(data, as_of, _progress(data, _data_key(data), as_of))


def current() -> ViewContext:
    """The context app.py prepared for this run."""
    return st.session_state["_context"]


__all__ = [
    "ConfigError",
    "SourceError",
    "ViewContext",
    "context_for",
    "current",
    "dataset",
    "google_access",
    "refresh",
    "report",
    "settings",
    "stale_lines",
]
