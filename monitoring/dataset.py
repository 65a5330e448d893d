"""The one load -> clean -> measure path that every page, the CLI and every export use.

Loading: `resolve_location` says what to read (the configured source, or another file, folder or
Google Sheet), `read_raw` reads it (every source with its last good copy, several concurrently),
`build_dataset` cleans and measures. A combined read (several spreadsheets) is cleaned part by part,
so every row keeps its origin and sheet row, then each tab's rows are appended.
"""

from __future__ import annotations

import datetime as dt
import errno
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_sources import (
    RawWorkbook,
    ReadFailure,
    SheetsClient,
    SourceError,
    StoredRead,
    google_key,
    locate,
    open_store,
    read_all,
)
from monitoring.engine.measure import Period, contributions, reporting_periods
from monitoring.engine.progress import IndicatorProgress, progress_of
from monitoring.model.config import Output, Result, Settings
from monitoring.sheet.checks import cross_checks
from monitoring.sheet.clean import Problem, add_derived, clean_workbook, drop_repeats


@dataclass(frozen=True)
class SourceInfo:
    label: str  # what the user sees: a file name or a spreadsheet's title ("A + B" when combined)
    kind: str  # excel, csv, google_sheets or combined
    read_at: dt.datetime  # when the data shown was read (the oldest part's time when combined)
    sample: bool
    failures: tuple[ReadFailure, ...] = ()  # sources shown from their last good copy, or missing
    remote: bool = False  # a Google Sheet is among the sources (read over the network, cached with a TTL)

    @property
    def live(self) -> bool:
        """True when every source was read live; False when a last good copy (or nothing) stands in."""
        return not self.failures


def when(moment: dt.datetime) -> str:
    """A read time as the banner and the problems show it: "12 Mar 2025, 14:05 UTC"."""
    return f"{moment.astimezone(dt.UTC):%d %b %Y, %H:%M} UTC"


def stale_notices(source: SourceInfo) -> list[str]:
    """One sentence per source that could not be read live, for a banner; empty when all data is live.

    "Live data unavailable since 25 Nov 2026, 14:05 UTC (the sheet is not shared with x@y); showing
    data read at 25 Nov 2026, 13:58 UTC." When several spreadsheets are combined, each sentence
    starts with the spreadsheet's name.
    """
    lines = []
    for f in source.failures:
        shown = (
            f"showing data read at {when(f.copy_read_at)}"
            if f.copy_read_at
            else "no earlier copy exists, so its rows are missing"
        )
        line = f"live data unavailable since {when(f.since)} ({f.summary}); {shown}."
        lines.append(f"{f.origin}: {line}" if source.kind == "combined" else line[0].upper() + line[1:])
    return lines


@dataclass
class Dataset:
    """Typed tables, their problems, and every indicator's contributions, for one read of the source."""

    settings: Settings
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    source: SourceInfo
    periods: list[Period] = field(init=False)
    contributions: dict[str, pd.DataFrame] = field(init=False)
    # Output or result number -> its contributions (Settings.report_outputs and report_results).
    unit_contributions: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.periods = reporting_periods(self.settings.project)
        contract = self.settings.contract
        self.contributions = {
            i.code: contributions(i, self.tables, contract.get(i.measure.tab)) for i in self.settings.indicators
        }
        self.unit_contributions = {
            u.number: self._unit_contributions(u)
            for u in (*self.settings.report_outputs, *self.settings.report_results)
        }

    def _unit_contributions(self, unit: Output | Result) -> pd.DataFrame:
        """The contributions to an output or result: its indicator's, narrowed by the unit's own `where`."""
        indicator = self.settings.indicator(unit.indicator)
        if not unit.where:
            return self.contributions[indicator.code]
        measure = indicator.measure.model_copy(update={"where": [*indicator.measure.where, *unit.where]})
        return contributions(
            indicator.model_copy(update={"measure": measure}), self.tables, self.settings.contract.get(measure.tab)
        )

    def clamp(self, day: dt.date) -> dt.date:
        """`day` moved into the project's lifetime."""
        project = self.settings.project
        return min(max(day, project.start), project.end)

    def default_as_of(self, today: dt.date | None = None) -> dt.date:
        return self.clamp(today or dt.date.today())

    def progress(self, as_of: dt.date) -> list[IndicatorProgress]:
        """Every indicator of the catalogue as of a date: outputs first, then results, in catalogue order."""
        s = self.settings
        milestones = self.tables["milestones"]
        rows = [
            progress_of(
                i,
                self.contributions[i.code],
                milestones,
                s.project,
                self.periods,
                s.status,
                as_of,
                s.deliveries(i.code),
            )
            for i in s.indicators
        ]
        return sorted(rows, key=lambda p: p.kind != "output")

    def keeps(self, tab: str) -> bool:
        """True when the project keeps this tab, and the source has it or an indicator is measured on it: a
        project without pilots has no Pilots page, agenda entry or count (a missing tab that an indicator
        needs is an error in the data, and its page stays to show what is missing)."""
        if not self.settings.has_tab(tab):
            return False
        return not self.tables[tab].attrs.get("missing", False) or bool(self.settings.measured_on(tab))

    def counts(self) -> dict[str, int]:
        """Organisations, countries, locations, pilots and action plans (when kept) and activities."""
        t = self.tables
        countries = set(t["partners"]["country"].dropna()) | set(t["locations"]["country"].dropna())
        counts = {
            "organisations": int(t["partners"]["partner_id"].nunique()),
            "countries": len(countries),
            "locations": int(t["locations"]["location_id"].nunique()),
            "pilots": int(t["pilots"]["pilot_id"].nunique()),
            "action_plans": int(t["action_plans"]["lap_id"].nunique()),
            "activities": int(t["activities"]["activity_id"].nunique()),
        }
        return {name: n for name, n in counts.items() if name not in ("pilots", "action_plans") or self.keeps(name)}

    @property
    def error_count(self) -> int:
        return sum(p.level == "error" for p in self.problems)


def _append(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One tab's rows from every part, in order. `attrs["by_origin"]` keeps each part's letters and link."""
    filled = [f for f in frames if not f.empty] or frames[:1]
    table = pd.concat(filled, ignore_index=True) if len(filled) > 1 else filled[0].copy()
    table.attrs = dict(filled[0].attrs)
    table.attrs["missing"] = all(f.attrs.get("missing", False) for f in frames)
    table.attrs["by_origin"] = {
        f["_origin"].iloc[0]: {"letters": f.attrs.get("letters", {}), "link": f.attrs.get("link", "")}
        for f in frames
        if not f.empty
    }
    return table


def _clean(raw: RawWorkbook, settings: Settings) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Clean one workbook, or each part of a combined one and append their rows tab by tab."""
    if not raw.parts:
        return clean_workbook(raw, settings)
    cleaned = [clean_workbook(part, settings) for part in raw.parts]
    tables = {name: _append([part[name] for part, _ in cleaned]) for name in cleaned[0][0]}
    problems = [p for _, found in cleaned for p in found]
    problems += drop_repeats(tables, settings.contract)  # an id (or a row) repeated in another spreadsheet
    add_derived(tables, settings)  # again: cross-border and countries need every part's partners
    return tables, problems


def _failure_problem(failure: ReadFailure) -> Problem:
    if failure.copy_read_at is None:
        level, shown = "error", "there is no earlier copy, so its rows are missing"
    else:
        level, shown = "warning", f"the copy read at {when(failure.copy_read_at)} is shown"
    message = f"live data unavailable since {when(failure.since)}; {shown}. {failure.message}"
    return Problem(level, "source", "", "", message, origin=failure.origin, link=failure.link)


def build_dataset(settings: Settings, raw: RawWorkbook, sample: bool) -> Dataset:
    tables, problems = _clean(raw, settings)
    problems += cross_checks(tables, settings)
    problems = [_failure_problem(f) for f in raw.failures] + problems
    remote = any(book.kind == "google_sheets" for book in (raw, *raw.parts)) or any(
        f.link.startswith("https://docs.google.com/") for f in raw.failures
    )
    info = SourceInfo(raw.origin, raw.kind, raw.read_at, sample, raw.failures, remote)
    return Dataset(settings, tables, problems, info)


@dataclass(frozen=True)
class SourcePlan:
    """What to read: Google Sheets keys/URLs (str) and resolved paths, in order; where copies are kept."""

    locations: tuple[str | Path, ...]
    sample: bool
    data_dir: Path

    @property
    def remote(self) -> bool:
        """True when a location is a Google Sheet (read over the network, cached with a TTL)."""
        return any(google_key(loc) for loc in self.locations)

    @property
    def paths(self) -> tuple[Path, ...]:
        """The local files and folders among the locations."""
        return tuple(loc for loc in self.locations if isinstance(loc, Path))


def _location(text: str, base: Path) -> str | Path:
    text = text.strip()
    return text if google_key(text) else _resolved(base / text)


def _resolved(path: Path) -> Path:
    """The absolute path; a SourceError (not a traceback) for a symbolic-link loop or a path that cannot be looked up."""
    try:
        return path.resolve()
    except RuntimeError:  # Python 3.11/3.12: "Symlink loop from ..."
        raise SourceError(
            f"{path.name} cannot be opened: it is a symbolic link that leads back to itself ({path})."
        ) from None
    except OSError as exc:  # Python 3.13+: ELOOP, or a folder that may not be looked into
        loop = "a symbolic link that leads back to itself" if exc.errno == errno.ELOOP else exc.strerror
        raise SourceError(f"{path.name} cannot be opened: {loop} ({path}).") from None


def resolve_location(settings: Settings, config_path: str | Path, location: str | None = None) -> SourcePlan:
    """What to read: the configured source(s), or `location` (a path, or a Google Sheets URL or key) instead.

    Relative paths in the config are relative to the config file, a `location` to the working directory.
    It is the sample only when the configured sample is read.
    """
    source = settings.source
    base = Path(config_path).parent
    configured = tuple(_location(text, base) for text in source.locations)
    data_dir = _resolved(base / source.data_dir)
    if location is None:
        return SourcePlan(configured, source.sample, data_dir)
    chosen = _location(location, Path.cwd())
    return SourcePlan((chosen,), source.sample and (chosen,) == configured, data_dir)


def read_raw(plan: SourcePlan, client: SheetsClient | None = None) -> RawWorkbook:
    """Read every location of the plan, live or from its last good copy. Raises SourceError when nothing can be read.

    `client` reads Google Sheets (the app passes one made from st.secrets); without one, credentials
    come from the environment (GOOGLE_SERVICE_ACCOUNT_FILE or GOOGLE_API_KEY).
    """
    sources = [locate(loc, client) for loc in plan.locations]
    return read_all(sources, open_store(plan.data_dir) if plan.remote else None)


def load_dataset(
    settings: Settings, config_path: str | Path, location: str | None = None, client: SheetsClient | None = None
) -> Dataset:
    """Read, clean and measure. Raises data_sources.SourceError when the source cannot be read at all.

    `location` replaces the configured source: a path, or a Google Sheets URL or key.
    """
    plan = resolve_location(settings, config_path, location)
    return build_dataset(settings, read_raw(plan, client), plan.sample)


def stored_reads(plan: SourcePlan) -> list[StoredRead]:
    """The stored versions of a single live source, newest first; none for files or combined sources."""
    if not plan.remote or len(plan.locations) != 1:
        return []
    store = open_store(plan.data_dir)
    return store.reads() if store else []


def dataset_from_read(settings: Settings, plan: SourcePlan, read_id: int) -> Dataset:
    """A Dataset of one stored read, cleaned and measured like a live one (for "what changed since")."""
    store = open_store(plan.data_dir)
    if store is None:
        raise SourceError("The stored reads cannot be opened.")
    return build_dataset(settings, store.load(read_id), plan.sample)
