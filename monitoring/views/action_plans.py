"""The action plans page, computed: the plans as of a day, the headline, what is stalled, and the rows of its tabs
(the stage timeline, the funnel and how it meets the indicators of the action_plans tab, the plan table).

What is counted beside each plan (SpinIT: LDG members, LDG meetings, workshops) is what `lifecycles.action_plans`
declares (`tallies`, `local_activities`); nothing else is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine import pipelines
from monitoring.formatting import plural
from monitoring.model.config import Lifecycle
from monitoring.sheet.parse import country_name
from monitoring.views.common import STATUS_SYMBOLS, Explanation, place_namer

TAB = "action_plans"
STATUS_ORDER = [pipelines.STALLED, pipelines.MOVING, pipelines.NOT_STARTED, pipelines.DONE]


def lifecycle(data: Dataset) -> Lifecycle:
    """The stages of a plan (`lifecycles.action_plans` in indicators.yaml)."""
    return data.settings.lifecycle(TAB)


def title(stages: Lifecycle) -> str:
    """The page's title: the lifecycle's `title` ('Local Action Plans'), else 'Action plans'."""
    return stages.title or "Action plans"


def local_column(kind: str) -> str:
    """The plan table's column counting the activities of one type at the plan's location: 'held: workshop'."""
    return f"held: {kind}"


def plans_on(data: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Every plan as it stood on `as_of`, by the plans' lifecycle: stalled first, longest in their stage first,
    then by id.

    Columns: those of `pipelines.plans_as_of`, plus place (the location's name), label ('Tuzla · LAP06') and
    country (the location's country name, '' when unknown).
    """
    place = place_namer(data)
    countries = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")["country"]
    plans = pipelines.plans_as_of(data.tables[TAB], as_of, lifecycle(data))
    plans["place"] = plans["location_id"].map(place)
    plans["label"] = plans["place"] + " · " + plans["lap_id"].astype(str)
    plans["country"] = plans["location_id"].map(countries).map(lambda c: country_name(c) if isinstance(c, str) else "")
    return plans.sort_values(
        ["status", "days_in_stage", "lap_id"],
        key=lambda col: col.map(STATUS_ORDER.index) if col.name == "status" else col,
        ascending=[True, False, True],
        na_position="last",
        kind="stable",
    )


def reached(data: Dataset, as_of: dt.date) -> dict[str, int]:
    """Stage name -> how many plans had reached it by `as_of` (`pipelines.plan_funnel`)."""
    funnel = pipelines.plan_funnel(data.tables[TAB], as_of, lifecycle(data))
    return dict(zip(funnel["stage"], funnel["reached"], strict=True))


@dataclass(frozen=True)
class Headline:
    """The numbers above the tabs."""

    plans: int
    stalled: int
    last_stages: list[tuple[str, str, int]]  # (stage, label, plans that reached it by the day) for the last two
    tallies: list[tuple[str, str, int]]  # (label, help, total by the day) per tally the lifecycle declares


def headline(plans: pd.DataFrame, stages: dict[str, int], lifecycle: Lifecycle) -> Headline:
    """The headline numbers of `plans` (a `plans_on` frame), with `stages` from `reached` (in lifecycle order):
    the plans, the stalled ones, the plans at the last two stages, and the total of each declared tally."""
    return Headline(
        plans=len(plans),
        stalled=int(plans["stalled"].sum()),
        last_stages=[(stage, lifecycle.labels[stage], n) for stage, n in list(stages.items())[-2:]],
        tallies=[(t.label, t.help, int(plans[t.column].fillna(0).sum())) for t in lifecycle.tallies],
    )


def stalled_lines(plans: pd.DataFrame, escape: Callable[[object], str]) -> list[str]:
    """Markdown, one line per stalled plan: place, country, id, stage and since when, days, next stage."""
    return [
        f"**{escape(r.place)}** ({escape(r.country)}) · {escape(r.lap_id)}: "
        f"{r.stage_label} since {r.since:%d %b %Y}, **{r.days_in_stage} days**; next: {r.next_stage_label}"
        for r in plans[plans["stalled"]].itertuples()
    ]


def not_started_names(plans: pd.DataFrame, escape: Callable[[object], str]) -> str:
    """Markdown: the labels of the plans with no stage dated by the day, comma-separated ('' when none)."""
    return ", ".join(escape(p) for p in plans.loc[plans["status"] == pipelines.NOT_STARTED, "label"])


@dataclass(frozen=True)
class Timeline:
    """The rows of the stage timeline chart; `plan` is a plan's label in each."""

    stages: pd.DataFrame  # pipelines.plan_timeline with plan (label), stage_no (step), stage_name (the stage's label)
    in_stage: pd.DataFrame  # plans stalled or moving: plan, since, as_of, status, stage_label, days_in_stage
    words: pd.DataFrame  # every plan: plan, as_of, status, chart_text ('■ stalled · 130 days in LAP drafted')


def timeline_rows(data: Dataset, plans: pd.DataFrame, as_of: dt.date) -> Timeline:
    """Each plan's stage dates up to `as_of`, its time in the current stage, and its status in words."""
    labels = dict(zip(plans["lap_id"], plans["label"], strict=True))
    stages = pipelines.plan_timeline(data.tables[TAB], as_of, lifecycle(data))
    stage_names = stages["label"]
    stages["label"] = stages["lap_id"].map(labels)
    stages = stages.rename(columns={"label": "plan", "step": "stage_no"}).assign(stage_name=stage_names)
    cutoff = pd.Timestamp(as_of)
    running = (pipelines.STALLED, pipelines.MOVING)
    in_stage = plans[plans["status"].isin(running)].assign(as_of=cutoff, plan=lambda d: d["label"])[
        ["plan", "since", "as_of", "status", "stage_label", "days_in_stage"]
    ]
    chart_text = [
        f"{STATUS_SYMBOLS[s]} {s}" + (f" · {d} days in {label}" if s in running else "")
        for s, d, label in zip(plans["status"], plans["days_in_stage"], plans["stage_label"], strict=True)
    ]
    words = plans.assign(as_of=cutoff, plan=plans["label"], chart_text=chart_text)[
        ["plan", "as_of", "status", "chart_text"]
    ]
    return Timeline(stages, in_stage, words)


def funnel_rows(data: Dataset, as_of: dt.date, total: int) -> pd.DataFrame:
    """`pipelines.plan_funnel` plus total (all plans) and text ('9 of 10')."""
    funnel = pipelines.plan_funnel(data.tables[TAB], as_of, lifecycle(data))
    return funnel.assign(total=total, text=lambda f: f["reached"].astype(str) + f" of {total}")


def stage_notes(
    ex: Explanation,
    stages: dict[str, int],
    labels: dict[str, str],
    escape: Callable[[object], str],
    place: Callable[[object], str],
) -> list[str]:
    """Markdown captions under an indicator of the action_plans tab: which plans it counts (by place) from which
    stage's date, and, when the funnel's count at that stage differs, that its conditions count only some."""
    where = ", ".join(escape(place(loc)) for loc in ex.counted["location_id"])
    stage = labels.get(ex.date_column, ex.date_column)
    notes = [f"Counted from the '{escape(stage)}' date: {where or 'none yet'}."]
    if ex.date_column in stages and len(ex.counted) != stages[ex.date_column]:
        notes.append(
            f"The funnel shows {plural(stages[ex.date_column], 'plan')} at '{escape(stage)}'; {ex.code}'s filter in "
            "indicators.yaml counts only some of them."
        )
    return notes


def plan_table(data: Dataset, plans: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Every plan as of the day.

    Columns: place, lap_id, status_word ('■ stalled'), stage_label, since, days_in_stage, next_stage_label, the
    lifecycle's tallies (by their column), one `local_column(type)` per declared local activity type (activities of
    that type at the plan's location by the day), lead (organisation name, the id when unknown), document_url.
    """
    stages = lifecycle(data)
    kinds = tuple(local.type for local in stages.local_activities)
    local = pipelines.local_activities(data.tables["activities"], as_of, kinds)
    per_type = local.pivot_table(index="location_id", columns="type", values="held", aggfunc="sum", fill_value=0)
    partners = data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")

    def held(kind: str) -> pd.Series:
        return plans["location_id"].map(per_type.get(kind, pd.Series(dtype="int64"))).fillna(0).astype("int64")

    table = plans.assign(
        status_word=[f"{STATUS_SYMBOLS[s]} {s}" for s in plans["status"]],
        **{local_column(kind): held(kind) for kind in kinds},
        lead=plans["lead_partner_id"].map(partners["name"]).fillna(plans["lead_partner_id"]),
    )
    columns = ["place", "lap_id", "status_word", "stage_label", "since", "days_in_stage", "next_stage_label"]
    counted = [t.column for t in stages.tallies] + [local_column(kind) for kind in kinds]
    return table[columns + counted + ["lead", "document_url"]]


def stage_dates(data: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Columns: lap_id, then every stage of the plans' lifecycle with its date, empty when after `as_of`."""
    names = lifecycle(data).names
    dates = data.tables[TAB][["lap_id", *names]].copy()
    for stage in names:
        dates[stage] = dates[stage].where(dates[stage] <= pd.Timestamp(as_of))
    return dates
