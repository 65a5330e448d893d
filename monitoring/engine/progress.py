"""Achieved vs target vs expected by now -> status in words, change, forecast."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import asdict, dataclass
from typing import Literal

import pandas as pd

from monitoring.engine.measure import Period, achieved_as_of
from monitoring.model.config import Indicator, Output, Project, Result, Status

StatusWord = Literal["achieved", "on track", "at risk", "behind", "due after the project"]
# "due after the project": a result whose delivery period is after project implementation (such as
# organisations still cooperating after the project): nothing is expected of it while the project runs.
DUE_AFTER: StatusWord = "due after the project"
STATUSES: tuple[StatusWord, ...] = ("achieved", "on track", "at risk", "behind", DUE_AFTER)
# Colour-blind-safe (Okabe-Ito) colours and an icon per status: never colour alone.
STATUS_COLOURS = {
    "achieved": "#0072B2",
    "on track": "#009E73",
    "at risk": "#E69F00",
    "behind": "#D55E00",
    DUE_AFTER: "#CC79A7",
}
STATUS_ICONS = {"achieved": "✔", "on track": "▲", "at risk": "●", "behind": "▼", DUE_AFTER: "◷"}
ExpectedFrom = Literal["milestones", "linear", "delivery periods", "after the project"]
# What needs attention (the Overview's box, the Needs attention page, a report's deviations), worst first.
ATTENTION_STATUSES: tuple[StatusWord, ...] = ("behind", "at risk")


@dataclass(frozen=True)
class IndicatorProgress:
    code: str
    name: str
    unit: str
    kind: str  # output | result
    baseline: float
    target: float
    illustrative: bool
    achieved: float
    expected: float
    expected_from: ExpectedFrom
    percent_of_target: float
    status: StatusWord
    previous: float  # achieved at the end of the last period that ended before the as-of date
    change: float  # achieved - previous
    forecast: float  # at project end, from the pace of the recent trend_days
    result: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def milestone_points(milestones: pd.DataFrame, code: str, periods: list[Period]) -> list[tuple[dt.date, float]]:
    """(period end, planned cumulative value) for the indicator's milestones, in date order."""
    ends = {p.number: p.end for p in periods}
    rows = milestones[(milestones["indicator"] == code) & milestones["planned"].notna() & milestones["period"].notna()]
    points = {ends[int(n)]: float(v) for n, v in zip(rows["period"], rows["planned"], strict=True) if int(n) in ends}
    return sorted(points.items())


def _delivery_bounds(period: int, project: Project, periods: list[Period]) -> tuple[dt.date, dt.date]:
    """The first and last day of a delivery period; period 0 (preparation) ends the day before the start."""
    if period == 0 or not periods:
        before = project.start - dt.timedelta(days=1)
        return before, before
    p = periods[min(period, len(periods)) - 1]
    return p.start - dt.timedelta(days=1), p.end


def delivered_by(unit: Output | Result, project: Project, periods: list[Period], as_of: dt.date) -> float:
    """What an output or result plans by `as_of` from its delivery period: its baseline before the period starts,
    rising through the period to its target at the period's end; a result due after the project plans its
    baseline while the project runs."""
    baseline = getattr(unit, "baseline", 0.0)
    if unit.period == "after" or unit.period is None:
        return baseline
    start, end = _delivery_bounds(unit.period, project, periods)
    if as_of >= end:
        return unit.target
    if as_of <= start:
        return baseline
    return baseline + (unit.target - baseline) * (as_of - start).days / max((end - start).days, 1)


def expected_by(
    indicator: Indicator,
    project: Project,
    points: list[tuple[dt.date, float]],
    as_of: dt.date,
    deliveries: list[Output | Result] | None = None,
    periods: list[Period] | None = None,
) -> tuple[float, ExpectedFrom]:
    """Planned cumulative value on `as_of`: the baseline when every output or result of the indicator is due after
    the project; else interpolated between milestones; else from the delivery periods of its declared outputs or
    results (see `delivered_by`); else linear start -> end."""
    deliveries = deliveries or []
    if deliveries and all(u.period == "after" for u in deliveries):
        return indicator.baseline, "after the project"
    if not points and deliveries and all(u.period is not None for u in deliveries):
        return sum(delivered_by(u, project, periods or [], as_of) for u in deliveries), "delivery periods"
    if points:
        source: ExpectedFrom = "milestones"
        line = [(project.start - dt.timedelta(days=1), indicator.baseline), *points]
    else:
        source = "linear"
        line = [(project.start - dt.timedelta(days=1), indicator.baseline), (project.end, indicator.target)]
    if as_of <= line[0][0]:
        return line[0][1], source
    for (d0, v0), (d1, v1) in itertools.pairwise(line):
        if as_of <= d1:
            share = (as_of - d0).days / max((d1 - d0).days, 1)
            return v0 + (v1 - v0) * share, source
    return line[-1][1], source


def status_of(
    achieved: float, expected: float, target: float, thresholds: Status, due_after: bool = False
) -> StatusWord:
    """achieved at or above the target; "due after the project" for a result due after implementation; else the
    ratio achieved / expected against the thresholds (nothing expected yet: on track)."""
    if achieved >= target:
        return "achieved"
    if due_after:
        return DUE_AFTER
    if expected <= 0:
        return "on track"
    ratio = achieved / expected
    if ratio >= thresholds.on_track:
        return "on track"
    if ratio >= thresholds.at_risk:
        return "at risk"
    return "behind"


def previous_period_end(periods: list[Period], as_of: dt.date, project: Project) -> dt.date:
    """End of the last reporting period that ended before `as_of` (the day before the start in P1)."""
    ended = [p.end for p in periods if p.end < as_of]
    return ended[-1] if ended else project.start - dt.timedelta(days=1)


def forecast_at_end(contribs: pd.DataFrame, project: Project, as_of: dt.date, trend_days: int) -> float:
    """Achieved now plus the pace of the last `trend_days` continued to the project end."""
    now = achieved_as_of(contribs, as_of)
    if as_of >= project.end:
        return now
    window_start = max(as_of - dt.timedelta(days=trend_days), project.start - dt.timedelta(days=1))
    days = (as_of - window_start).days
    if days <= 0:
        return now
    pace = (now - achieved_as_of(contribs, window_start)) / days
    return now + pace * (project.end - as_of).days


def progress_of(
    indicator: Indicator,
    contribs: pd.DataFrame,
    milestones: pd.DataFrame,
    project: Project,
    periods: list[Period],
    thresholds: Status,
    as_of: dt.date,
    deliveries: list[Output | Result] | None = None,
) -> IndicatorProgress:
    """`deliveries`: the indicator's outputs or results with their delivery periods (Settings.deliveries)."""
    achieved = achieved_as_of(contribs, as_of)
    points = milestone_points(milestones, indicator.code, periods)
    expected, source = expected_by(indicator, project, points, as_of, deliveries, periods)
    previous = achieved_as_of(contribs, previous_period_end(periods, as_of, project))
    return IndicatorProgress(
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        kind=indicator.kind,
        baseline=indicator.baseline,
        target=indicator.target,
        illustrative=indicator.illustrative,
        achieved=achieved,
        expected=round(expected, 2),
        expected_from=source,
        percent_of_target=round(100 * achieved / indicator.target, 1),
        status=status_of(achieved, expected, indicator.target, thresholds, due_after=source == "after the project"),
        previous=previous,
        change=achieved - previous,
        forecast=round(forecast_at_end(contribs, project, as_of, thresholds.trend_days), 1),
        result=indicator.result,
    )


def needs_attention(progress: list[IndicatorProgress]) -> list[IndicatorProgress]:
    """The indicators behind or at risk, the most behind first (behind before at risk, then by achieved/expected)."""
    order = {status: rank for rank, status in enumerate(ATTENTION_STATUSES)}
    return sorted(
        (p for p in progress if p.status in order),
        key=lambda p: (order[p.status], p.achieved / p.expected if p.expected else 1),
    )
