"""What the pipeline pages share: place names, status symbols, and why an indicator counts what it counts.

An indicator's count is explained from its own declaration in indicators.yaml: each condition of its
`measure.where` is evaluated with the function the measure itself uses (`monitoring.engine.measure.condition_mask`),
then its `measure.date` says whether and when a row counts. Nothing here repeats an indicator's rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine import pipelines
from monitoring.engine.measure import achieved_as_of, condition_mask, contributions_as_of
from monitoring.formatting import number
from monitoring.model.config import Condition, Indicator, Settings

# A symbol beside each status word, so the status never depends on colour alone.
STATUS_SYMBOLS = {
    pipelines.STALLED: "■",
    pipelines.MOVING: "►",
    pipelines.DONE: "✔",
    pipelines.NOT_STARTED: "○",
    pipelines.NO_DATE: "○",
}
COUNTED = "counted"
NOT_COUNTED = "not counted: "


def place_namer(data: Dataset) -> Callable[[object], str]:
    """A function: location id -> its name ('Tuzla'), the id as written when unknown, '(no location)' when empty."""
    names = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")["name"].to_dict()

    def place(location_id: object) -> str:
        if isinstance(location_id, str) and location_id in names:
            return str(names[location_id])
        return str(location_id) if location_id else "(no location)"

    return place


def describe(cond: Condition) -> str:
    """A condition in words, as declared: 'countries at least 2', 'stage in completed, validated'."""
    if cond.not_empty is not None:
        return f"{cond.column} {'not empty' if cond.not_empty else 'empty'}"
    if cond.at_least is not None:
        return f"{cond.column} at least {cond.at_least:g}"
    if cond.equals is not None:
        return f"{cond.column} equals {str(cond.equals).lower() if isinstance(cond.equals, bool) else cond.equals}"
    if cond.not_equals is not None:
        return f"{cond.column} not equal to {cond.not_equals}"
    if cond.in_ is not None:
        return f"{cond.column} in {', '.join(cond.in_)}"
    return f"{cond.column} not in {', '.join(cond.not_in or [])}"


@dataclass(frozen=True)
class ConditionCheck:
    """One condition of an indicator's `measure.where`, evaluated on every row of its tab."""

    text: str  # the condition in words (`describe`)
    passed: tuple[str, ...]  # ids of the rows that satisfy it, in sheet order
    failed: tuple[str, ...]  # ids of the rows that do not


@dataclass(frozen=True)
class Explanation:
    """Why an indicator counts what it counts on a day, from its own declaration."""

    code: str
    name: str
    value: float  # achieved as of the day
    target: float
    tab: str  # the tab it is measured on
    date_column: str  # the measure's date: a row counts from that day
    conditions: tuple[ConditionCheck, ...] = ()
    # Its contributions dated by the day (monitoring.engine.measure.CONTRIBUTION_COLUMNS), plus item: the row's value in
    # the measure's column (e.g. the solution a pilot counts with), None without a column or a row id.
    counted: pd.DataFrame = field(default_factory=pd.DataFrame)
    reasons: dict[str, str] = field(default_factory=dict)  # row id -> COUNTED or 'not counted: ...' (id tabs)


def indicators_on(settings: Settings, tab: str) -> list[Indicator]:
    """The indicators measured on `tab`, then the results they name that are measured elsewhere, in catalogue order."""
    on_tab = [i for i in settings.indicators if i.measure.tab == tab]
    results = {i.result for i in on_tab if i.result}
    return [i for i in settings.indicators if i in on_tab or (i.code in results and i.measure.tab != tab)]


def _reason(
    record: str, failed: list[str], day: object, counted: set[str], measure_date: str, as_of: dt.date, item: str
) -> str:
    """COUNTED, or 'not counted: ' and what stops the row: its failed conditions, then its date."""
    if record in counted:
        return COUNTED
    if failed:
        return NOT_COUNTED + "fails " + "; ".join(failed)
    if pd.isna(day):
        return NOT_COUNTED + f"no {measure_date} date"
    if day > pd.Timestamp(as_of):
        return NOT_COUNTED + f"{measure_date} after the as-of day"
    return NOT_COUNTED + f"its {item} is counted once, on its first date"


def explain(data: Dataset, ind: Indicator, as_of: dt.date) -> Explanation:
    """The indicator's value on `as_of`, its contributions by then, and for a tab with row ids each row's reason."""
    counted = contributions_as_of(data.contributions[ind.code], as_of)
    measure = ind.measure
    base = {
        "code": ind.code,
        "name": ind.name,
        "value": achieved_as_of(counted, as_of),
        "target": ind.target,
        "tab": measure.tab,
        "date_column": measure.date,
        "counted": counted,
    }
    tab = data.settings.contract.get(measure.tab)
    if tab is None or not tab.id_column:
        return Explanation(**base | {"counted": counted.assign(item=None)})
    rows = data.tables[measure.tab]
    ids = rows[tab.id_column].astype(str).tolist()
    if measure.column:
        items = dict(zip(ids, rows[measure.column], strict=True))
        base["counted"] = counted.assign(item=counted["record"].astype(str).map(items))
    else:
        base["counted"] = counted.assign(item=None)
    masks = {describe(cond): condition_mask(rows, cond).tolist() for cond in measure.where}
    checks = tuple(
        ConditionCheck(
            text,
            tuple(r for r, ok in zip(ids, mask, strict=True) if ok),
            tuple(r for r, ok in zip(ids, mask, strict=True) if not ok),
        )
        for text, mask in masks.items()
    )
    done = set(counted["record"].astype(str))
    reasons = {
        record: _reason(
            record,
            [text for text, mask in masks.items() if not mask[n]],
            day,
            done,
            measure.date,
            as_of,
            measure.column or "row",
        )
        for n, (record, day) in enumerate(zip(ids, rows[measure.date], strict=True))
    }
    return Explanation(**base, conditions=checks, reasons=reasons)


def explanations(data: Dataset, tab: str, as_of: dt.date) -> list[Explanation]:
    """`explain` for every indicator of `indicators_on(tab)`."""
    return [explain(data, ind, as_of) for ind in indicators_on(data.settings, tab)]


def headline(ex: Explanation, escape: Callable[[object], str]) -> str:
    """Markdown: the code in bold, the name, the value on the day in bold, 'of' the target."""
    return f"**{ex.code}** {escape(ex.name)}: **{number(ex.value)}** of {number(ex.target)}"


def condition_notes(ex: Explanation, escape: Callable[[object], str]) -> list[str]:
    """Markdown, one line per condition of the measure: how many rows of the tab pass it, and which fail it;
    then the rows that pass every condition but are not counted on the day, with why."""
    notes = []
    for check in ex.conditions:
        total = len(check.passed) + len(check.failed)
        failing = f"; fail: {', '.join(map(escape, check.failed))}" if check.failed else ""
        notes.append(f"*{escape(check.text)}*: {len(check.passed)} of {total} pass{failing}")
    waiting: dict[str, list[str]] = {}
    for record, reason in ex.reasons.items():
        if reason != COUNTED and not reason.startswith(NOT_COUNTED + "fails"):
            waiting.setdefault(reason.removeprefix(NOT_COUNTED), []).append(record)
    notes += [f"Not counted yet, {escape(why)}: {', '.join(map(escape, ids))}" for why, ids in waiting.items()]
    return notes
