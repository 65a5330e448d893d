"""The Pilots page, computed: the pilots as of a day, the filters, the headline, what is stuck, and the tables
and chart rows of its tabs (portfolio matrix, Gantt, partnerships, the finished pilots, replication).

No stage is named here: the headline, the Gantt and the finished pilots follow the lifecycle (`lifecycles.pilots`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine import pipelines
from monitoring.model.config import Lifecycle
from monitoring.sheet.parse import country_name
from monitoring.views.common import STATUS_SYMBOLS, Explanation, place_namer

TAB = "pilots"
STATUS_ORDER = [pipelines.STALLED, pipelines.MOVING, pipelines.NO_DATE, pipelines.DONE]
PAST = "earlier stage"  # a stage the pilot has left: grey in the Gantt


@dataclass(frozen=True)
class Phases:
    """How the pilots' lifecycle is drawn, from its dated stages and `done` alone (no stage name in code).

    The bar runs from the date of the first dated stage (`start`; SpinIT: implementation at `start`) to the date of
    the next one (`end`; completed at `end`); a row past that stage and before `done` waits for `done` (`done_date`;
    validated at `validated_on`)."""

    start: str | None  # the date column that starts the bar
    end: str | None  # the date column that ends it
    done_date: str | None  # the date column of the done stage
    running: tuple[str, ...]  # the stages drawn as the bar
    finished: tuple[str, ...]  # the stages from the one dated by `end` on: listed in the awaited tab
    waiting: tuple[str, ...]  # the finished stages before done: waiting for it
    ended: str  # the stage dated by `end`, in words ('Completed')


def phases(stages: Lifecycle) -> Phases:
    """The `Phases` of a lifecycle with a stage column."""
    names, dated = stages.names, stages.dated_stages
    first = stages.index(dated[0]) if dated else len(names)
    second = stages.index(dated[1]) if len(dated) > 1 else max(stages.index(stages.final), first + 1)
    finished = names[second:]
    return Phases(
        start=stages.date_of(dated[0]) if dated else None,
        end=stages.date_of(names[second]) if second < len(names) else None,
        done_date=stages.date_of(stages.final),
        running=names[first:second],
        finished=finished,
        waiting=tuple(n for n in finished if not stages.is_done(n)),
        ended=stages.labels[names[second]] if second < len(names) else "",
    )


def finished_title(stages: Lifecycle) -> str:
    """The title of the tab of finished pilots: what they await, capitalised ('Validation')."""
    words = stages.awaited.strip("'")
    return words[:1].upper() + words[1:]


def status_text(status: str, stage: str | None, days: object, since: pd.Timestamp, stages: Lifecycle) -> str:
    """The status in words beside a pilot: '■ stalled · 263 days awaiting validation', '✔ validated 17 Sep 2025';
    at the done stage without its date, '✔ validated · no date'."""
    symbol = STATUS_SYMBOLS[status]
    if status == pipelines.DONE:
        return f"{symbol} {stage} {since:%d %b %Y}" if pd.notna(since) else f"{symbol} {stage} · no date"
    if status == pipelines.NO_DATE:
        return f"{symbol} {stage or 'no stage'} · no date"
    waiting = f" awaiting {stages.awaited}" if stage in phases(stages).waiting else f" in {stage}"
    return f"{symbol} {status} · {days} days{waiting}"


def lifecycle(data: Dataset) -> Lifecycle:
    """The stages of a pilot (`lifecycles.pilots` in indicators.yaml)."""
    return data.settings.lifecycle(TAB)


def pilots_on(data: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Every pilot as it stood on `as_of`, by the pilots' lifecycle.

    Columns: those of `pipelines.pilots_as_of`, plus place (the location's name), label ('PIL01 · Cluj-Napoca'),
    status_text (`status_text`) and places (frozenset: the names of where it runs and was replicated).
    """
    place, stages = place_namer(data), lifecycle(data)
    out = pipelines.pilots_as_of(data.tables[TAB], as_of, stages)
    out["place"] = out["location_id"].map(place)
    out["label"] = out["pilot_id"].astype(str) + " · " + out["place"]
    out["status_text"] = [
        status_text(s, g, d, t, stages)
        for s, g, d, t in zip(out["status"], out["stage"], out["days_in_stage"], out["since"], strict=True)
    ]
    out["places"] = [
        frozenset(place(loc) for loc in [home, *(reps if isinstance(reps, tuple) else ())])
        for home, reps in zip(out["location_id"], out["replicated_in"], strict=True)
    ]
    return out


def cluster_options(data: Dataset, pilots: pd.DataFrame) -> list[str]:
    """The project's clusters (vocabulary `clusters`), then any other cluster the sheet names, sorted."""
    clusters = data.settings.vocabulary("clusters")
    return list(clusters) + sorted(set(pilots["cluster"].dropna()) - set(clusters))


def place_options(data: Dataset, pilots: pd.DataFrame) -> list[str]:
    """The names of the locations where a pilot runs or was replicated, sorted."""
    place = place_namer(data)
    ids = [*pilots["location_id"].dropna(), *pilots["replicated_in"].dropna().explode()]
    return sorted({place(loc) for loc in dict.fromkeys(ids) if isinstance(loc, str)})


def chosen(pilots: pd.DataFrame, clusters: Sequence[str], places: Sequence[str], stages: Sequence[str]) -> pd.DataFrame:
    """The pilots in the chosen clusters, running or replicated in the chosen places, at the chosen stages on the
    day (an empty choice keeps all); stalled first, longest in their stage first, then by id."""
    mask = pd.Series(True, index=pilots.index)
    if clusters:
        mask &= pilots["cluster"].isin(clusters)
    if places:
        mask &= pilots["places"].map(lambda where: bool(where & set(places)))
    if stages:
        mask &= pilots["stage"].isin(stages)
    return pilots[mask].sort_values(
        ["status", "days_in_stage", "pilot_id"],
        key=lambda col: col.map(STATUS_ORDER.index) if col.name == "status" else col,
        ascending=[True, False, True],
        na_position="last",
        kind="stable",
    )


@dataclass(frozen=True)
class Headline:
    """The numbers above the tabs, for the pilots shown."""

    pilots: str  # '4 of 10' when filtered, else '10'
    stalled: int
    groups: tuple[tuple[str, int], ...]  # (label, pilots) per group of the lifecycle's `headline`


def headline(shown: pd.DataFrame, total: int, stages: Lifecycle) -> Headline:
    """The headline numbers of `shown` (a `chosen` frame) out of `total` pilots: the pilots and the stalled ones,
    then the pilots in each stage group the lifecycle declares (`lifecycles.pilots.headline`)."""
    return Headline(
        pilots=f"{len(shown)} of {total}" if len(shown) < total else str(len(shown)),
        stalled=int(shown["stalled"].sum()),
        groups=tuple((label, int(shown["stage"].isin(names).sum())) for label, names in stages.headline_groups),
    )


def stalled_lines(shown: pd.DataFrame, escape: Callable[[object], str], stages: Lifecycle) -> list[str]:
    """Markdown, one line per stalled pilot: id, title, place (unless the title names it), cluster, and how long it
    has been in its stage. Sheet text goes through `escape`."""
    waiting = phases(stages).waiting
    lines = []
    for r in shown[shown["stalled"]].itertuples():
        what = (
            f"{r.stage} {r.since:%d %b %Y}, **{r.days_in_stage} days** without {stages.awaited}"
            if r.stage in waiting
            else f"{r.stage} since {r.since:%d %b %Y}, **{r.days_in_stage} days**"
        )
        where = "" if r.place in str(r.title) else f" · {escape(r.place)}"
        lines.append(f"**{escape(r.pilot_id)}** {escape(r.title)}{where} · {escape(r.cluster or '')}: {what}")
    return lines


def undated_names(shown: pd.DataFrame, escape: Callable[[object], str]) -> str:
    """Markdown: the pilots not in implementation whose stage has no date, '**PIL06** Tuzla (methodology); ...'."""
    undated = shown[shown["status"] == pipelines.NO_DATE]
    return "; ".join(
        f"**{escape(r.pilot_id)}** {escape(r.place)} ({r.stage or 'no stage'})" for r in undated.itertuples()
    )


def matrix_rows(data: Dataset, shown: pd.DataFrame, clusters: Sequence[str]) -> pd.DataFrame:
    """`pipelines.stage_matrix` of the pilots shown over `clusters`, plus text: the count, or '·' for none."""
    matrix = pipelines.stage_matrix(shown, lifecycle(data), tuple(clusters))
    matrix["text"] = matrix["pilots"].map(lambda n: str(n) if n else "·")
    return matrix


def counted_names(ex: Explanation, escape: Callable[[object], str], place: Callable[[object], str]) -> str:
    """Markdown: what an indicator counts by the day, '...; none yet'.

    Rows of the pilots tab by their item and id ('Cloud marketplace (PIL01)', or the id when the measure has no
    column); rows of another tab (values reported with evidence) by date and place."""
    rows = ex.counted
    if ex.tab != TAB:
        names = [f"{d:%d %b %Y} {escape(place(loc))}" for d, loc in zip(rows["date"], rows["location_id"], strict=True)]
    else:
        names = [
            f"{escape(item)} ({escape(r)})" if isinstance(item, str) and item else escape(r)
            for r, item in zip(rows["record"], rows["item"], strict=True)
        ]
    return ("; " if rows["item"].notna().any() else ", ").join(names) or "none yet"


def _dates(shown: pd.DataFrame, column: str | None) -> pd.Series:
    """A date column of the pilots, or no dates when the lifecycle has none there."""
    if column is None or column not in shown:
        return pd.Series(pd.NaT, index=shown.index, dtype="datetime64[ns]")
    return shown[column]


def gantt_rows(shown: pd.DataFrame, as_of: dt.date, stages: Lifecycle) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Gantt's rows, and its waits for `done` (the rows past the bar's last stage that have a bar); `phases`.

    Columns: label; bar_start, bar_end (the bar, cut at the as-of day; empty before the start); done_on (the done
    stage's day, empty after the as-of day); wait_end (done_on, else the as-of day); text_at (the as-of day); status;
    bar_status and wait_status (the status, or PAST for a stage the pilot has left); status_text, stage, title.
    """
    cutoff, phase = pd.Timestamp(as_of), phases(stages)
    start, end, done = _dates(shown, phase.start), _dates(shown, phase.end), _dates(shown, phase.done_date)
    gantt = shown.assign(
        bar_start=start.where(start <= cutoff),
        bar_end=end.where(end <= cutoff).fillna(cutoff).where(start <= cutoff),
        done_on=done.where(done <= cutoff),
        bar_status=shown["status"].where(shown["stage"].isin(phase.running), PAST),
    )
    gantt["text_at"] = cutoff
    gantt["wait_end"] = gantt["done_on"].fillna(cutoff)
    gantt["wait_status"] = gantt["status"].where(gantt["stage"].isin(phase.waiting), PAST)
    columns = ["label", "bar_start", "bar_end", "done_on", "wait_end", "text_at", "status", "bar_status"]
    gantt = gantt[[*columns, "wait_status", "status_text", "stage", "title"]]
    has_wait = phase.end is not None and phase.done_date not in (None, phase.end)
    waits = gantt[gantt["stage"].isin(phase.finished) & has_wait].dropna(subset=["bar_end"])
    return gantt, waits


def _members(lead: object, ids: object) -> list[str]:
    """The lead first, then the other organisations, each once."""
    out = [lead] if isinstance(lead, str) else []
    return out + [p for p in (ids if isinstance(ids, tuple) else ()) if p not in out]


def _organisations(data: Dataset) -> pd.DataFrame:
    return data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")


def partnership_table(data: Dataset, shown: pd.DataFrame, explanations: list[Explanation]) -> pd.DataFrame:
    """Who develops each pilot shown, and whether each indicator of the pilots tab counts it.

    Columns: pilot_id, place, cluster, stage, countries (how many countries its organisations come from), then one
    column per indicator measured on the pilots tab, named by its code ('counted' or 'not counted: ' and why), then
    country_names ('Bulgaria, Serbia'), organisations ('Lead org (lead), Other org'), title.
    """
    partners = _organisations(data)

    def org(p: str) -> str:
        return str(partners.at[p, "name"]) if p in partners.index else p

    teams = [_members(lead, ids) for lead, ids in zip(shown["lead_partner_id"], shown["partner_ids"], strict=True)]
    leads = shown["lead_partner_id"].tolist()
    table = shown.assign(
        organisations=[
            ", ".join(f"{org(p)} (lead)" if i == 0 and p == lead else org(p) for i, p in enumerate(team))
            for lead, team in zip(leads, teams, strict=True)
        ],
        country_names=[
            ", ".join(
                sorted(
                    {
                        country_name(partners.at[p, "country"])
                        for p in team
                        if p in partners.index and isinstance(partners.at[p, "country"], str)
                    }
                )
            )
            for team in teams
        ],
        countries=pd.array(shown["countries"].tolist(), dtype="Int64"),
    )
    own = [ex for ex in explanations if ex.tab == TAB]
    for ex in own:
        table[ex.code] = table["pilot_id"].astype(str).map(ex.reasons)
    head = ["pilot_id", "place", "cluster", "stage", "countries"]
    return table[head + [ex.code for ex in own] + ["country_names", "organisations", "title"]]


def _links(data: Dataset) -> str | None:
    """The pilots tab's evidence column (SpinIT: validation_url), if it has one."""
    tab = data.settings.contract.get(TAB)
    return tab.evidence_column if tab else None


def finished_table(data: Dataset, shown: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The pilots shown that were past the bar's last stage by the day (SpinIT: completed or validated); `phases`.

    Columns: pilot_id, place, stage, ended_on and done_on (dates, empty after the day), waiting (Int64: days awaiting
    done, empty once done), report (the tab's link, once done), lead (organisation name), team (the other
    organisations).
    """
    cutoff, stages = pd.Timestamp(as_of), lifecycle(data)
    phase = phases(stages)
    partners = _organisations(data)

    def org(p: object) -> str:
        return (str(partners.at[p, "name"]) if p in partners.index else p) if isinstance(p, str) else ""

    finished = shown[shown["stage"].isin(phase.finished)]
    ended, done, link = _dates(finished, phase.end), _dates(finished, phase.done_date), _links(data)
    table = finished.assign(
        ended_on=ended.where(ended <= cutoff),
        done_on=done.where(done <= cutoff),
        waiting=pd.array(
            [
                None if stages.is_done(s) else d
                for s, d in zip(finished["stage"], finished["days_in_stage"], strict=True)
            ],
            dtype="Int64",
        ),
        report=(finished[link] if link else pd.Series(None, index=finished.index, dtype="object")).where(
            done <= cutoff
        ),
        lead=finished["lead_partner_id"].map(org),
        team=[
            ", ".join(org(p) for p in _members(lead, ids)[1:])
            for lead, ids in zip(finished["lead_partner_id"], finished["partner_ids"], strict=True)
        ],
    )
    return table[["pilot_id", "place", "stage", "ended_on", "waiting", "done_on", "report", "lead", "team"]]


@dataclass(frozen=True)
class Replication:
    """The pilot x location matrix of the Replication tab."""

    rows: pd.DataFrame  # replication_matrix + place, pilot (its label), text ('home' or 'replica')
    places: list[str]  # the x order: the locations tab's order, then other places named
    replications: int  # cells where a pilot was replicated
    replicated_pilots: int  # pilots replicated at least once


def replication(data: Dataset, shown: pd.DataFrame) -> Replication:
    """Where each pilot shown runs and was replicated (recorded replications: they carry no date)."""
    place = place_namer(data)
    rows = pipelines.replication_matrix(shown)
    rows["place"] = rows["location_id"].map(place)
    rows["pilot"] = rows["pilot_id"].map(dict(zip(shown["pilot_id"], shown["label"], strict=True)))
    rows["text"] = rows["role"].map({"home": "home", "replicated": "replica"})
    known = [place(loc) for loc in data.tables["locations"].drop_duplicates("location_id")["location_id"]]
    reps = rows[rows["role"] == "replicated"]
    return Replication(rows, known + sorted(set(rows["place"]) - set(known)), len(reps), reps["pilot_id"].nunique())
