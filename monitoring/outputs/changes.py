"""What changed between two moments: per indicator, new activities, plans and pilots that changed stage.

A moment is a `Snapshot`: a Dataset seen as of a date. Comparing one Dataset at two dates answers "what
happened since the last steering committee"; comparing two reads of the sheet (when a history of reads
is kept) also shows what was entered late or corrected, because everything is matched by id, never by
position. `changes_between` is the one-Dataset case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine import pipelines
from monitoring.engine.measure import achieved_as_of
from monitoring.model.config import Lifecycle
from monitoring.outputs.meetings import meetings

# A pilot's stage on a past date is read from its dates: before `start` it was being prepared (one of
# these stages, which carry no date), then in implementation, completed at `end`, validated at `validated_on`.

# Columns of the frames in `Changes`.
INDICATOR_CHANGE_COLUMNS = [
    "code",
    "name",
    "unit",
    "target",
    "before",  # cumulative on the first date
    "after",  # cumulative on the second date
    "change",  # after - before
    "status_before",
    "status_after",
]
ACTIVITY_COLUMNS = ["date", "activity_id", "type", "title", "location", "participants", "cross_border", "evidence_url"]
STAGE_CHANGE_COLUMNS = ["id", "title", "location", "before", "after", "reached"]


@dataclass(frozen=True)
class Snapshot:
    """A Dataset as it stood at the end of `as_of`."""

    data: Dataset
    as_of: dt.date


@dataclass(frozen=True)
class Changes:
    before: dt.date
    after: dt.date
    indicators: pd.DataFrame  # INDICATOR_CHANGE_COLUMNS, outputs first, in catalogue order
    activities: pd.DataFrame  # ACTIVITY_COLUMNS: activities there after that were not there before, by date
    plans: pd.DataFrame  # STAGE_CHANGE_COLUMNS: Local Action Plans whose stage differs
    pilots: pd.DataFrame  # STAGE_CHANGE_COLUMNS: pilots whose stage differs

    @property
    def moved(self) -> pd.DataFrame:
        """The indicators whose cumulative value changed."""
        return self.indicators[self.indicators["change"] != 0]


def plan_stages_as_of(plans: pd.DataFrame, day: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """Per plan (index lap_id): `stage` on `day` by `pipelines.plan_stage_as_of` (None before the first
    stage), and `reached`, that stage's date."""
    stages = [pipelines.plan_stage_as_of(plan, day, lifecycle) for plan in plans.to_dict("records")]
    reached = [plan[stage] if stage else pd.NaT for plan, stage in zip(plans.to_dict("records"), stages, strict=True)]
    return pd.DataFrame(
        {
            "stage": pd.Series(stages, dtype="object").to_numpy(),
            "reached": pd.to_datetime(pd.Series(reached)).to_numpy(),
        },
        index=plans["lap_id"],
    )


def pilot_stages_as_of(pilots: pd.DataFrame, day: dt.date, lifecycle: Lifecycle) -> pd.DataFrame:
    """Per pilot (index pilot_id): `stage` on `day` by `pipelines.pilot_stage_as_of` (the recorded stage,
    capped by its dates after the day), and `reached`, the date of that stage where the sheet has one."""
    stages, reached = [], []
    for p in pilots.to_dict("records"):
        stage = pipelines.pilot_stage_as_of(p, day, lifecycle)
        stages.append(stage)
        reached.append(pipelines.pilot_stage_since(stage, p, lifecycle))
    return pd.DataFrame(
        {
            "stage": pd.Series(stages, dtype="object").to_numpy(),
            "reached": pd.to_datetime(pd.Series(reached)).to_numpy(),
        },
        index=pilots["pilot_id"],
    )


def _location_names(data: Dataset) -> pd.Series:
    locations = data.tables["locations"].drop_duplicates("location_id")
    return pd.Series(locations["name"].to_numpy(), index=locations["location_id"])


def _indicator_changes(before: Snapshot, after: Snapshot) -> pd.DataFrame:
    status_before = {p.code: p.status for p in before.data.progress(before.as_of)}
    rows = []
    for p in after.data.progress(after.as_of):
        contribs = before.data.contributions.get(p.code)
        old = achieved_as_of(contribs, before.as_of) if contribs is not None else 0.0
        rows.append(
            {
                "code": p.code,
                "name": p.name,
                "unit": p.unit,
                "target": p.target,
                "before": old,
                "after": p.achieved,
                "change": p.achieved - old,
                "status_before": status_before.get(p.code),
                "status_after": p.status,
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_CHANGE_COLUMNS)


def _new_activities(before: Snapshot, after: Snapshot) -> pd.DataFrame:
    old = before.data.tables["activities"]
    known = set(old.loc[old["date"] <= pd.Timestamp(before.as_of), "activity_id"].dropna())
    acts = after.data.tables["activities"]
    new = acts[(acts["date"] <= pd.Timestamp(after.as_of)) & ~acts["activity_id"].isin(known)]
    new = new.assign(location=new["location_id"].map(_location_names(after.data)))
    return new.sort_values(["date", "activity_id"], kind="stable")[ACTIVITY_COLUMNS].reset_index(drop=True)


def _stage_changes(
    old: pd.DataFrame, new: pd.DataFrame, records: pd.DataFrame, id_column: str, data: Dataset, labels: dict[str, str]
) -> pd.DataFrame:
    records = records.drop_duplicates(id_column).set_index(id_column)
    names = _location_names(data)
    rows = []
    for key, now in new.iterrows():
        was = old["stage"].get(key) if key in old.index else None
        if was == now["stage"]:
            continue
        rows.append(
            {
                "id": key,
                "title": records.at[key, "title"],
                "location": names.get(records.at[key, "location_id"]),
                "before": labels.get(was, was) if was else pipelines.NOT_STARTED,
                "after": labels.get(now["stage"], now["stage"]) if now["stage"] else pipelines.NOT_STARTED,
                "reached": now["reached"],
            }
        )
    frame = pd.DataFrame(rows, columns=STAGE_CHANGE_COLUMNS)
    return frame.sort_values(["reached", "id"], kind="stable").reset_index(drop=True)


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """What is different in `after` compared with `before`: the same Dataset at two dates, or two reads."""
    plan_stages, pilot_stages = after.data.settings.lifecycle("action_plans"), after.data.settings.lifecycle("pilots")
    plans_before = plan_stages_as_of(
        before.data.tables["action_plans"].dropna(subset=["lap_id"]), before.as_of, plan_stages
    )
    plans = after.data.tables["action_plans"].dropna(subset=["lap_id"])
    pilots_before = pilot_stages_as_of(
        before.data.tables["pilots"].dropna(subset=["pilot_id"]), before.as_of, pilot_stages
    )
    pilots = after.data.tables["pilots"].dropna(subset=["pilot_id"])
    return Changes(
        before=before.as_of,
        after=after.as_of,
        indicators=_indicator_changes(before, after),
        activities=_new_activities(before, after),
        plans=_stage_changes(
            plans_before,
            plan_stages_as_of(plans, after.as_of, plan_stages),
            plans,
            "lap_id",
            after.data,
            plan_stages.labels,
        ),
        pilots=_stage_changes(
            pilots_before, pilot_stages_as_of(pilots, after.as_of, pilot_stages), pilots, "pilot_id", after.data, {}
        ),
    )


def changes_between(data: Dataset, start: dt.date, end: dt.date) -> Changes:
    """What changed from the end of `start` to the end of `end` in one read of the data."""
    return compare(Snapshot(data, start), Snapshot(data, end))


def quick_picks(data: Dataset, until: dt.date) -> dict[str, dt.date]:
    """Dates worth comparing with, before `until`: the last meeting (`meeting_types`: a steering committee) and
    each period end."""
    picks: dict[str, dt.date] = {}
    held = meetings(data, data.settings.project.start, until - dt.timedelta(days=1))
    if held:
        picks[f"Last {held[-1].kind}"] = held[-1].date
    for p in data.periods:
        if p.end < until:
            picks[f"End of {p.label}"] = p.end
    return picks
