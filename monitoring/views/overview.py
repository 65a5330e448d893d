"""What the Overview shows: the counts row, the indicators that need attention, the tiles by kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitoring.dataset import Dataset
from monitoring.engine import progress as progress_rules
from monitoring.engine.measure import period_containing
from monitoring.engine.progress import IndicatorProgress, previous_period_end
from monitoring.formatting import number

# The counts row: key of `Dataset.counts()` -> its label, in the order shown.
COUNT_LABELS = {
    "organisations": "Organisations",
    "countries": "Countries",
    "locations": "Locations",
    "pilots": "Pilots",
    "action_plans": "Action plans",
    "activities": "Activities",
}
KIND_HEADINGS = {"output": "Output indicators", "result": "Result indicators"}


@dataclass(frozen=True)
class AttentionLine:
    """One line of the "Needs attention" box."""

    status: str
    code: str
    name: str
    numbers: str  # "3 of 10, expected 5 by now"


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]  # label -> number, in COUNT_LABELS order (no pilots or plans when the project has none)
    attention: list[AttentionLine]  # the indicators behind or at risk, the most behind first
    previous_label: str  # what the tiles' change is measured from ("the end of P2 (31 Dec 2024)"), or "the start"
    groups: list[tuple[str, list[IndicatorProgress]]]  # (heading, indicators) per kind, outputs first; none empty
    illustrative: bool  # some target is a placeholder


def attention_lines(progress: list[IndicatorProgress]) -> list[AttentionLine]:
    """The "Needs attention" lines: `monitoring.engine.progress.needs_attention`'s indicators with their numbers."""
    return [
        AttentionLine(
            p.status,
            p.code,
            p.name,
            f"{number(p.achieved)} of {number(p.target)}, expected {number(p.expected)} by now",
        )
        for p in progress_rules.needs_attention(progress)
    ]


def previous_period_label(data: Dataset, as_of: dt.date) -> str:
    """What the tiles' change is measured from, in the one wording of "since the last period": "the end of P2
    (31 Dec 2024)", or "the start" in the first period."""
    previous = period_containing(data.periods, previous_period_end(data.periods, as_of, data.settings.project))
    return f"the end of {previous.label} ({previous.end:%d %b %Y})" if previous else "the start"


def overview(data: Dataset, progress: list[IndicatorProgress], as_of: dt.date) -> Overview:
    """Everything the Overview shows besides the tiles' own drawing, as of `as_of`."""
    counts = data.counts()
    groups = [(heading, [p for p in progress if p.kind == kind]) for kind, heading in KIND_HEADINGS.items()]
    return Overview(
        counts={label: counts[key] for key, label in COUNT_LABELS.items() if key in counts},
        attention=attention_lines(progress),
        previous_label=previous_period_label(data, as_of),
        groups=[(heading, rows) for heading, rows in groups if rows],
        illustrative=any(p.illustrative for p in progress),
    )
