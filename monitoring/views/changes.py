"""What the What changed page shows: the dates or reads to compare, what changed between them, and the
indicators' change as shares of their targets for the chart. The comparison itself is `monitoring.outputs.changes`'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset, StoredRead
from monitoring.engine.progress import previous_period_end
from monitoring.formatting import number
from monitoring.outputs.changes import Changes, Snapshot, changes_between, compare, quick_picks

TWO_DATES, TWO_READS = "Two dates", "Two reads of the sheet"


@dataclass(frozen=True)
class DateRange:
    first: dt.date  # the earliest day to choose: the day before the project starts (nothing achieved yet)
    last: dt.date  # the project's end
    since: dt.date  # the first date shown at first: the end of the last period that ended before the as-of date
    until: dt.date  # the second date shown at first: the as-of date


@dataclass(frozen=True)
class Comparison:
    changes: Changes
    heading: str  # what is compared, above the numbers
    then: str  # the first moment in a few words: "30 Jun 2025" or "read 3"
    now: str  # the second moment
    swapped: bool = False  # the dates were given the wrong way round, and are compared the other way


def date_range(data: Dataset, as_of: dt.date) -> DateRange:
    """The dates the two date inputs allow, and the ones they start at for `as_of`."""
    project = data.settings.project
    first = project.start - dt.timedelta(days=1)
    return DateRange(first, project.end, previous_period_end(data.periods, as_of, project), as_of)


def date_picks(data: Dataset, until: dt.date) -> dict[str, dt.date]:
    """The quick picks for the first date: the project start, the last steering committee and each period end."""
    return {"Project start": date_range(data, until).first, **quick_picks(data, until)}


def read_labels(reads: list[StoredRead]) -> dict[str, int]:
    """A label per stored read ("01 Nov 2026, 09:00 UTC (read 1)") -> its id, in the order of `reads`."""
    return {f"{r.last_read_at:%d %b %Y, %H:%M} UTC (read {r.id})": r.id for r in reads}


def between_dates(data: Dataset, since: dt.date, until: dt.date) -> Comparison:
    """What changed from the end of `since` to the end of `until`; dates in the wrong order are swapped."""
    first, second = min(since, until), max(since, until)
    return Comparison(
        changes_between(data, first, second),
        f"#### From {first:%d %b %Y} to {second:%d %b %Y}",
        f"{first:%d %b %Y}",
        f"{second:%d %b %Y}",
        swapped=since > until,
    )


def between_reads(
    read: Callable[[int], Dataset], labels: dict[str, int], earlier: str, later: str, as_of: dt.date
) -> Comparison:
    """What partners changed in the sheet from the read labelled `earlier` to the one labelled `later` (labels as
    `read_labels`), both seen as of `as_of`; `read` gives the Dataset of a stored read's id."""
    before, after = labels[earlier], labels[later]
    return Comparison(
        compare(Snapshot(read(before), as_of), Snapshot(read(after), as_of)),
        f"#### The sheet on {earlier} → {later}, both as of {as_of:%d %b %Y}",
        f"read {before}",
        f"read {after}",
    )


def change_text(change: float) -> str:
    """A change as the chart labels it: "+4", "-1" or "no change"."""
    return f"+{number(change)}" if change > 0 else number(change) if change else "no change"


def indicator_shares(changes: Changes) -> pd.DataFrame:
    """The chart's rows: INDICATOR_CHANGE_COLUMNS plus label (the code), before_pct and after_pct (% of target),
    change_text (`change_text`) and status (the status now)."""
    table = changes.indicators
    return table.assign(
        label=table["code"],
        before_pct=100 * table["before"] / table["target"],
        after_pct=100 * table["after"] / table["target"],
        change_text=[change_text(c) for c in table["change"]],
        status=table["status_after"],
    )


def indicator_table(changes: Changes, status_label: Callable[[str], str]) -> pd.DataFrame:
    """INDICATOR_CHANGE_COLUMNS with both statuses as `status_label` words (none before where there was none)."""
    table = changes.indicators
    return table.assign(
        status_before=table["status_before"].map(status_label, na_action="ignore"),
        status_after=table["status_after"].map(status_label),
    )


@dataclass(frozen=True)
class StageSection:
    """The rows of one tab with a lifecycle that changed stage, for the page's headline and its stages tab."""

    metric: str  # 'Plans that changed stage'
    title: str  # 'Action plans that changed stage'
    rows: pd.DataFrame  # monitoring.outputs.changes.STAGE_CHANGE_COLUMNS
    nothing: str  # 'No action plan reached a new stage.'


def stage_sections(data: Dataset, changes: Changes) -> list[StageSection]:
    """The action plans and pilots that changed stage, each only where the project keeps that tab."""
    sections = [
        ("action_plans", StageSection("Plans that changed stage", "Action plans that changed stage", changes.plans,
                                      "No action plan reached a new stage.")),
        ("pilots", StageSection("Pilots that changed stage", "Pilots that changed stage", changes.pilots,
                                "No pilot reached a new stage.")),
    ]  # fmt: skip
    return [section for tab, section in sections if data.keeps(tab)]


def stages_tab(data: Dataset) -> str:
    """The label of the tab of stage changes: 'Plans and pilots', 'Action plans' or 'Pilots'; '' for neither."""
    kept = [data.keeps("action_plans"), data.keeps("pilots")]
    return {(True, True): "Plans and pilots", (True, False): "Action plans", (False, True): "Pilots"}.get(
        tuple(kept), ""
    )


def stage_rule(data: Dataset) -> str:
    """How a stage on a past day is found, for the stages tab's caption, naming the dated stages of the pilots."""
    said = []
    if data.keeps("action_plans"):
        said.append("A plan's stage on a day is the last stage dated on or before it.")
    if data.keeps("pilots"):
        pilots = data.settings.lifecycle("pilots")
        dated = ", ".join(pilots.labels[s] for s in pilots.dated_stages) or "none"
        said.append(
            "A pilot's stage on a day is the stage the sheet records, stepped back past any stage whose date "
            f"({dated}) is after that day."
        )
    return " ".join(said) + " The same rule as on the Map and the pages of each tab."
