"""Local Action Plans and pilots as pipelines of stages: where each one stood on a date, and what is stuck.

The stages come from the tab's lifecycle in indicators.yaml (`lifecycles:`, `monitoring.model.config.Lifecycle`;
SpinIT's are the defaults), and every function here takes that lifecycle.

Action plans (a lifecycle of date columns). The sheet has a date per stage. A plan's stage as of a date is
the last stage, in lifecycle order, whose date is on or before that day; before its first date a plan has no
stage ("not started"). A plan *reached* a stage by a date when that stage's date is on or before it, so the
funnel of a stage is exactly what an indicator counting plans by that stage's date counts.

Pilots (a lifecycle with a stage column). The sheet holds only the stage a pilot has reached now, plus a
date for some stages (SpinIT: `start` marks implementation, `end` completed, `validated_on` validated). The
stage as of a past date is derived from those dates: a stage's date after the day says the pilot had not yet
reached that stage, so the recorded stage is capped just below it (SpinIT: `validated_on` after the day, at
most "completed"; `end` after the day, at most "implementation"; `start` after the day, at most
"methodology").

A missing date caps nothing (the sheet does not say when), and dates never raise a pilot above its
recorded stage. So a pilot recorded "validated" with `validated_on` 2025-09-17 is "validated" on and
after that day and "completed" the day before; a pilot recorded "methodology" with no dates is shown
at "methodology" on any day.

Days in the current stage count from the date the stage was reached to the as-of day. A plan or pilot
is *stalled* when it has been more than the lifecycle's `stall_days` in a stage before its `done` stage.
Stages without a date column have no known days.

`pipeline_problems` lists the sheet's inconsistencies between these dates and stages, each pointed at
its cell. References to partners or locations that do not exist, and pilots ending before they start,
are reported by `monitoring.sheet.checks` and not repeated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from monitoring.model.config import Lifecycle, Settings
from monitoring.sheet.clean import Level, Problem, cell_link, cross_border, record_cell, sheet_of

# Status words shown beside a plan or pilot; never colour alone.
STALLED = "stalled"
MOVING = "in progress"
DONE = "done"
NOT_STARTED = "not started"
NO_DATE = "no date for this stage"


def _day(value: Any) -> dt.date | None:
    """A date, Timestamp or datetime as a date; None for empty values and NaT."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _timestamp(value: dt.date | None) -> pd.Timestamp:
    return pd.Timestamp(value) if value is not None else pd.NaT


# --- Local Action Plans -------------------------------------------------------------------------


def plan_stage_as_of(dates: Mapping[str, Any], as_of: dt.date, lifecycle: Lifecycle) -> str | None:
    """The last stage of `lifecycle` whose date in `dates` is on or before `as_of`; None before the first."""
    stage = None
    for name in lifecycle.names:
        day = _day(dates.get(name))
        if day is not None and day <= as_of:
            stage = name
    return stage


def days_in_stage(since: dt.date | None, as_of: dt.date) -> int | None:
    """Whole days from the day a stage was reached to `as_of`; None when that day is unknown."""
    return None if since is None else (as_of - since).days


def is_stalled(days: int | None, stage: str | None, lifecycle: Lifecycle) -> bool:
    """More than the lifecycle's `stall_days` in a stage before its `done` stage."""
    return days is not None and stage is not None and not lifecycle.is_done(stage) and days > lifecycle.stall_limit


def plans_as_of(plans: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """One row per plan as it stood on `as_of`.

    Columns: lap_id, location_id, title, lead_partner_id, document_url, _row, and
    stage (a stage of `lifecycle` or None), stage_label ("not started" when None), step (1-based position
    of the stage, 0 when not started), since (datetime64: the day the stage was reached),
    days_in_stage (Int64), stalled (bool), status (STALLED, MOVING, DONE or NOT_STARTED),
    next_stage_label (None at the last stage), and one column per tally of the lifecycle, named by its column
    (Int64; empty until its `after` stage is dated on or before `as_of`; SpinIT: ldg_members once the LDG was
    activated).
    """
    names, labels = lifecycle.names, lifecycle.labels
    rows = []
    for record in plans.to_dict("records"):
        stage = plan_stage_as_of(record, as_of, lifecycle)
        since = _day(record.get(stage)) if stage else None
        days = days_in_stage(since, as_of)
        stalled = is_stalled(days, stage, lifecycle)
        step = lifecycle.index(stage) + 1
        if stage is None:
            status = NOT_STARTED
        elif lifecycle.is_done(stage):
            status = DONE
        else:
            status = STALLED if stalled else MOVING
        tallies = {}
        for tally in lifecycle.tallies:
            reached = _day(record.get(tally.after)) if tally.after else as_of
            value = record.get(tally.column)
            tallies[tally.column] = value if reached is not None and reached <= as_of and pd.notna(value) else None
        rows.append(
            {
                "lap_id": record.get("lap_id"),
                "location_id": record.get("location_id"),
                "title": record.get("title"),
                "lead_partner_id": record.get("lead_partner_id"),
                "document_url": record.get("document_url"),
                "_row": record.get("_row"),
                "stage": stage,
                "stage_label": labels[stage] if stage else NOT_STARTED,
                "step": step,
                "since": _timestamp(since),
                "days_in_stage": days,
                "stalled": stalled,
                "status": status,
                "next_stage_label": labels[names[step]] if step < len(names) else None,
                **tallies,
            }
        )
    columns = [
        "lap_id",
        "location_id",
        "title",
        "lead_partner_id",
        "document_url",
        "_row",
        "stage",
        "stage_label",
        "step",
        "since",
        "days_in_stage",
        "stalled",
        "status",
        "next_stage_label",
        *(t.column for t in lifecycle.tallies),
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["since"] = pd.to_datetime(out["since"]).astype("datetime64[ns]")
    out["days_in_stage"] = pd.array(out["days_in_stage"].tolist(), dtype="Int64")
    for tally in lifecycle.tallies:
        out[tally.column] = pd.array(out[tally.column].tolist(), dtype="Int64")
    out["stalled"] = out["stalled"].astype(bool)
    out["step"] = out["step"].astype("int64")
    return out


def plan_funnel(plans: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """How many plans had reached each stage by `as_of` (its date on or before the day).

    Columns: stage, label, step (1-based), reached (int). One row per stage of `lifecycle`, in its order.
    """
    cutoff = pd.Timestamp(as_of)
    return pd.DataFrame(
        [
            {
                "stage": name,
                "label": label,
                "step": i + 1,
                "reached": int((plans[name] <= cutoff).sum()) if name in plans else 0,
            }
            for i, (name, label) in enumerate(lifecycle.labels.items())
        ]
    )


def plan_timeline(plans: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """Every stage date of every plan that is on or before `as_of`, in long form.

    Columns: lap_id, location_id, stage, label, step (1-based), date (datetime64). Sorted by plan, then date.
    """
    cutoff = pd.Timestamp(as_of)
    rows = [
        {
            "lap_id": record.get("lap_id"),
            "location_id": record.get("location_id"),
            "stage": name,
            "label": label,
            "step": i + 1,
            "date": record[name],
        }
        for record in plans.to_dict("records")
        for i, (name, label) in enumerate(lifecycle.labels.items())
        if pd.notna(record.get(name)) and record[name] <= cutoff
    ]
    out = pd.DataFrame(rows, columns=["lap_id", "location_id", "stage", "label", "step", "date"])
    out["date"] = pd.to_datetime(out["date"]).astype("datetime64[ns]")
    return out.sort_values(["lap_id", "date", "step"], kind="stable").reset_index(drop=True)


def local_activities(activities: pd.DataFrame, as_of: dt.date, types: tuple[str, ...]) -> pd.DataFrame:
    """Activities of the given types held on or before `as_of`, per location and type.

    Columns: location_id, type, held (int: activities), participants (int: their participants, empty
    counts as 0). Only locations with at least one such activity appear; activities without a location
    are left out.
    """
    rows = activities[
        activities["type"].isin(types) & activities["location_id"].notna() & (activities["date"] <= pd.Timestamp(as_of))
    ]
    grouped = rows.groupby(["location_id", "type"]).agg(
        held=("type", "size"), participants=("participants", lambda s: int(s.fillna(0).sum()))
    )
    return grouped.reset_index().astype({"held": "int64", "participants": "int64"})


# --- Pilots -------------------------------------------------------------------------------------


def pilot_stage_as_of(record: Mapping[str, Any], as_of: dt.date, lifecycle: Lifecycle) -> str | None:
    """The stage a pilot had reached on `as_of`: its recorded stage (`lifecycle.stage_column`), capped just
    below any stage whose date is after the day.

    See the module docstring for the rule; None when the sheet records no (valid) stage.
    """
    names = lifecycle.names
    stage = record.get(lifecycle.stage_column or "")
    if stage not in names:
        return None
    for i in range(len(names) - 1, -1, -1):
        column = lifecycle.date_of(names[i])
        day = _day(record.get(column)) if column else None
        if day is not None and day > as_of and lifecycle.index(stage) >= i:
            stage = names[i - 1] if i else None
    return stage


def pilot_stage_since(stage: str | None, record: Mapping[str, Any], lifecycle: Lifecycle) -> dt.date | None:
    """The day a pilot reached `stage`, where the sheet has a date for it (SpinIT: implementation and later)."""
    column = lifecycle.date_of(stage)
    return _day(record.get(column)) if column else None


def pilots_as_of(pilots: pd.DataFrame, as_of: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """One row per pilot as it stood on `as_of`.

    Columns: every column of `pilots`, plus recorded_stage (the sheet's stage), and stage (as of the
    day, see `pilot_stage_as_of`), step (1-based position in the lifecycle, 0 when unknown), since
    (datetime64), days_in_stage (Int64, empty in a stage without a date), stalled (bool), status (STALLED,
    MOVING, DONE or NO_DATE), jointly_developed (bool: organisations from 2 or more countries).
    """
    out = pilots.copy()
    out["recorded_stage"] = out[lifecycle.stage_column]
    stages, sinces, days, stalled, status = [], [], [], [], []
    for record in pilots.to_dict("records"):
        stage = pilot_stage_as_of(record, as_of, lifecycle)
        since = pilot_stage_since(stage, record, lifecycle)
        if since is not None and since > as_of:
            since = None
        n = days_in_stage(since, as_of)
        stuck = is_stalled(n, stage, lifecycle)
        stages.append(stage)
        sinces.append(_timestamp(since))
        days.append(n)
        stalled.append(stuck)
        if lifecycle.is_done(stage):
            status.append(DONE)
        elif n is None:
            status.append(NO_DATE)
        else:
            status.append(STALLED if stuck else MOVING)
    out["stage"] = pd.Series(stages, index=out.index, dtype="object")
    out["step"] = pd.array([lifecycle.index(s) + 1 for s in stages], dtype="int64")
    out["since"] = pd.to_datetime(pd.Series(sinces, index=out.index, dtype="object")).astype("datetime64[ns]")
    out["days_in_stage"] = pd.array(days, dtype="Int64")
    out["stalled"] = pd.Series(stalled, index=out.index, dtype=bool)
    out["status"] = pd.Series(status, index=out.index, dtype="object")
    countries = out["countries"] if "countries" in out else pd.Series(0, index=out.index)
    out["jointly_developed"] = cross_border(countries)
    return out


def stage_matrix(pilots: pd.DataFrame, lifecycle: Lifecycle, clusters: tuple[str, ...] = ()) -> pd.DataFrame:
    """Pilots per cluster and stage, every combination listed (zeros too), the stages in lifecycle order.

    `pilots` is a `pilots_as_of` frame. Columns: cluster, stage, step (1-based), pilots (int). Clusters are
    `clusters` in that order, then any other cluster found; a pilot without a cluster is "(no cluster)".
    """
    cluster = pilots["cluster"].fillna("(no cluster)")
    names = list(clusters) + sorted(set(cluster) - set(clusters))
    counts = pilots.assign(cluster=cluster).groupby(["cluster", "stage"]).size()
    return pd.DataFrame(
        [
            {"cluster": c, "stage": s, "step": i + 1, "pilots": int(counts.get((c, s), 0))}
            for c in names
            for i, s in enumerate(lifecycle.names)
        ],
        columns=["cluster", "stage", "step", "pilots"],
    )


def replication_matrix(pilots: pd.DataFrame) -> pd.DataFrame:
    """Where each pilot runs and where it was replicated, in long form.

    Columns: pilot_id, location_id, role ("home" for the pilot's own location, "replicated" for each
    location in replicated_in). Replications carry no date in the sheet, so they are as recorded.
    """
    rows = []
    for record in pilots.to_dict("records"):
        home = record.get("location_id")
        if home:
            rows.append({"pilot_id": record["pilot_id"], "location_id": home, "role": "home"})
        for loc in record.get("replicated_in") or ():
            if loc != home:
                rows.append({"pilot_id": record["pilot_id"], "location_id": loc, "role": "replicated"})
    return pd.DataFrame(rows, columns=["pilot_id", "location_id", "role"])


# --- Consistency problems -----------------------------------------------------------------------


def _problem(
    level: Level, frame: pd.DataFrame, tab: str, record: dict[str, Any], column: str, message: str, value: str = ""
) -> Problem:
    """A problem at `column` of the record's sheet row, with the link that opens that cell."""
    origin = record.get("_origin")
    cell = record_cell(frame, column, record["_row"], origin)
    link = cell_link(sheet_of(frame, origin).get("link", ""), cell)
    return Problem(level, tab, cell, column, message, value, str(origin or ""), link)


def _order_problems(tab: str, frame: pd.DataFrame, lifecycle: Lifecycle) -> list[Problem]:
    """Each stage date before the date of the stage before it: a warning at the later stage's cell."""
    labels = lifecycle.labels
    problems = []
    for record in frame.to_dict("records"):
        previous: tuple[str, dt.date] | None = None
        for name in lifecycle.names:
            day = _day(record.get(name))
            if day is None:
                continue
            if previous is not None and day < previous[1]:
                before, before_day = previous
                before_cell = record_cell(frame, before, record["_row"], record.get("_origin"))
                message = (
                    f"{labels[name]} is dated before {labels[before]} "
                    f"({before_day:%Y-%m-%d}, cell {before_cell}); the stages are reached in order"
                )
                problems.append(_problem("warning", frame, tab, record, name, message, f"{day:%Y-%m-%d}"))
            if previous is None or day >= previous[1]:
                previous = (name, day)
    return problems


def _counted_by(settings: Settings, tab: str, column: str) -> list[str]:
    """The codes of the indicators that count a row of `tab` by the date in `column`."""
    return [i.code for i in settings.measured_on(tab) if i.measure.date == column]


def _recorded_stage_problems(tab: str, frame: pd.DataFrame, lifecycle: Lifecycle, settings: Settings) -> list[Problem]:
    """A recorded stage whose date is missing where it matters, and a `done` date before the stage before it."""
    done, labels = lifecycle.final, lifecycle.labels
    dated = {name: column for name in lifecycle.names if (column := lifecycle.date_of(name))}
    before_done = [name for name in dated if lifecycle.index(name) < lifecycle.index(done)]
    problems = []
    for record in frame.to_dict("records"):
        stage = record.get(lifecycle.stage_column or "")
        for name, column in dated.items():
            if lifecycle.index(stage) < lifecycle.index(name) or _day(record.get(column)) is not None:
                continue
            codes = _counted_by(settings, tab, column)
            if codes:
                why = f"so {', '.join(codes)} {'does' if len(codes) == 1 else 'do'} not count it"
            elif name == done:
                why = f"so the day it reached '{name}' is unknown"
            else:
                continue
            message = f"the stage is '{stage}' but {column} is empty, {why}"
            problems.append(_problem("error" if codes else "warning", frame, tab, record, column, message))
        finished = _day(record.get(dated.get(done, "")))
        last = next((n for n in reversed(before_done) if _day(record.get(dated[n])) is not None), None)
        if finished is not None and last is not None and finished < (last_day := _day(record.get(dated[last]))):
            cell = record_cell(frame, dated[last], record["_row"], record.get("_origin"))
            message = (
                f"{labels[done]} is dated before {labels[last]} ({last_day:%Y-%m-%d}, cell {cell}); "
                "the stages are reached in order"
            )
            problems.append(_problem("warning", frame, tab, record, dated[done], message, f"{finished:%Y-%m-%d}"))
    return problems


def _replication_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    pilots = tables["pilots"]
    problems = []
    for record in pilots.to_dict("records"):
        home = record.get("location_id")
        if home and home in (record.get("replicated_in") or ()):
            message = "a replication is listed in the pilot's own location; replications are in other locations"
            problems.append(_problem("warning", pilots, "pilots", record, "replicated_in", message, home))
    return problems


def pipeline_problems(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Inconsistent stages and dates of the rows of every tab with a lifecycle, each pointed at its cell.

    - a lifecycle of date columns (plans): a stage dated before the stage before it (e.g. adopted before
      drafted): warning at the later stage;
    - a lifecycle with a stage column (pilots): a recorded stage at or after a dated stage whose date is empty,
      when an indicator counts the rows by that date: error naming them, from indicators.yaml (SpinIT: a
      "validated" pilot without `validated_on`, or a "completed" one without `end`); the `done` stage's date
      empty and counted by none: warning; the `done` stage dated before the last dated stage before
      it (validated before it ended): warning;
    - a replication listed in the pilot's own location: warning.

    Not repeated here, because `monitoring.sheet.checks` reports them: unknown locations in `replicated_in`,
    leads missing from `partners`, and a pilot that ends before it starts.
    """
    problems = []
    for tab, lifecycle in settings.all_lifecycles.items():
        if tab not in tables:
            continue
        if lifecycle.dated:
            problems += _order_problems(tab, tables[tab], lifecycle)
        else:
            problems += _recorded_stage_problems(tab, tables[tab], lifecycle, settings)
    return problems + _replication_problems(tables)
