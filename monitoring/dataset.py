"""The one load -> clean -> measure path that every page, the CLI and every export use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_sources import RawWorkbook, source_for
from monitoring.checks import cross_checks
from monitoring.clean import Problem, clean_workbook
from monitoring.config import Settings
from monitoring.measure import Period, contributions, reporting_periods
from monitoring.progress import IndicatorProgress, progress_of


@dataclass(frozen=True)
class SourceInfo:
    label: str  # what the user sees: a file name or a spreadsheet's title
    kind: str
    read_at: dt.datetime
    sample: bool


@dataclass
class Dataset:
    """Typed tables, their problems, and every indicator's contributions, for one read of the source."""

    settings: Settings
    tables: dict[str, pd.DataFrame]
    problems: list[Problem]
    source: SourceInfo
    periods: list[Period] = field(init=False)
    contributions: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.periods = reporting_periods(self.settings.project)
        self.contributions = {i.code: contributions(i, self.tables) for i in self.settings.indicators}

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
            progress_of(i, self.contributions[i.code], milestones, s.project, self.periods, s.status, as_of)
            for i in s.indicators
        ]
        return sorted(rows, key=lambda p: p.kind != "output")

    def counts(self) -> dict[str, int]:
        t = self.tables
        countries = set(t["partners"]["country"].dropna()) | set(t["locations"]["country"].dropna())
        return {
            "organisations": int(t["partners"]["partner_id"].nunique()),
            "countries": len(countries),
            "locations": int(t["locations"]["location_id"].nunique()),
            "pilots": int(t["pilots"]["pilot_id"].nunique()),
            "action_plans": int(t["action_plans"]["lap_id"].nunique()),
            "activities": int(t["activities"]["activity_id"].nunique()),
        }

    @property
    def error_count(self) -> int:
        return sum(p.level == "error" for p in self.problems)


def build_dataset(settings: Settings, raw: RawWorkbook, sample: bool) -> Dataset:
    tables, problems = clean_workbook(raw, settings)
    problems += cross_checks(tables, settings)
    return Dataset(settings, tables, problems, SourceInfo(raw.origin, raw.kind, raw.read_at, sample))


def resolve_location(settings: Settings, config_path: str | Path, location: str | None) -> tuple[Path, bool]:
    """The path to read (relative paths in the config are relative to the config file) and whether it is the sample."""
    configured = (Path(config_path).parent / settings.source.path).resolve()
    if location is None:
        return configured, settings.source.sample
    chosen = Path(location).resolve()
    return chosen, settings.source.sample and chosen == configured


def load_dataset(settings: Settings, config_path: str | Path, location: str | None = None) -> Dataset:
    """Read, clean and measure. Raises data_sources.SourceError when the source cannot be read at all."""
    path, sample = resolve_location(settings, config_path, location)
    return build_dataset(settings, source_for(path).read(), sample)
