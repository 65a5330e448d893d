"""The numbers a Jems project report asks for, per output and per result, and its overview.

Jems counts what was *submitted*: "Previously reported" is the sum of the current-report values of the
earlier reports, as the `reported` tab records them, not a recount of today's sheet. The current report is
the sheet's cumulative value at the period's end minus what was previously reported, so a record dated in
an earlier period but entered after that period's report was submitted (a *late record*) goes into the
current report. Without a `reported` tab (or before anything is recorded in it), previously reported is
the sheet's cumulative value at the end of the previous period.

Every number comes from `Dataset.unit_contributions` (one frame per output or result), so an output's
numbers are cuts of the same rows as its indicator's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from monitoring.checks import reported_codes, submitted_values
from monitoring.config import Output, Result
from monitoring.dataset import Dataset
from monitoring.measure import Period, achieved_as_of, achieved_between

# Jems' own column names (the project report's overview of indicators, outputs and results).
JEMS_COLUMNS = {
    "measurement_unit": "Measurement unit",
    "baseline": "Baseline",
    "target": "Target value",
    "previously_reported": "Previously reported",
    "current_report": "Current report",
    "total_reported": "Total reported so far",
}
# Columns of `overview`: result indicator -> output indicators -> outputs, as Jems nests them.
OVERVIEW_COLUMNS = {
    "level": "Level",  # result indicator | output indicator | output
    "code": "Code",  # an indicator's code or an output's number
    "name": "Name",
    **JEMS_COLUMNS,
    "delivery_period": "Delivery period",  # outputs only
}
# Columns of `outputs_table` and `results_table`: one row per output (result), what to type into Jems.
UNIT_COLUMNS = {
    "number": "Number",
    "title": "Title",
    "indicator": "Indicator",
    "indicator_name": "Indicator name",
    "delivery_period": "Delivery period",
    **JEMS_COLUMNS,
    "achieved_in_period": "Achieved in period",  # records dated inside the period
    "late": "Late records",  # records dated in an earlier, submitted period, beyond what was submitted
}
# Columns of `late_records`: records dated in an earlier period, beyond what was submitted for it.
LATE_COLUMNS = {
    "number": "Output or result",
    "indicator": "Indicator",
    "dated_in": "Dated in",
    "date": "Date",
    "record": "Record",
    "title": "Title",
    "amount": "Amount",
    "cell": "Cell",
    "tab": "Tab",
    "_row": "Sheet row",
}
AFTER_LABEL = "after implementation"
LEVELS = ("result indicator", "output indicator", "output")


def delivery_label(period: int | str | None) -> str:
    """A delivery period as Jems shows it: "P3", "P0 (preparation)", "after implementation", or "" when none."""
    if period is None:
        return ""
    if period == "after":
        return AFTER_LABEL
    return "P0 (preparation)" if period == 0 else f"P{period}"


@dataclass(frozen=True)
class Submissions:
    """What the `reported` tab says was submitted: per output or result number and period, the value."""

    values: dict[tuple[str, int], float]  # (number, period) -> the submitted current-report value
    submitted_on: dict[int, dt.date]  # period -> the day its report was submitted (the latest given)

    @property
    def any(self) -> bool:
        return bool(self.submitted_on)

    def before(self, number: str, period: int) -> float:
        """The sum of what was submitted for `number` in the reports of the periods before `period`."""
        return sum(v for (n, p), v in self.values.items() if n == number and p < period)

    def up_to(self, number: str, period: int) -> float:
        return self.before(number, period + 1)


def submissions(data: Dataset) -> Submissions:
    """The `reported` tab, read: rows with an unknown code or no period are left out, and so is a value Jems
    could not have held (`checks.submitted_values`); the checks name them all."""
    if not data.settings.has_tab("reported"):
        return Submissions({}, {})
    frame = data.tables["reported"]
    codes = reported_codes(data.settings)
    _, left_out = submitted_values(data.tables, data.settings)
    values: dict[tuple[str, int], float] = {}
    days: dict[int, dt.date] = {}
    for i, code, period, value, day in zip(
        frame.index, frame["code"], frame["period"], frame["value"], frame["submitted_on"], strict=True
    ):
        if code not in codes or pd.isna(period):
            continue
        key = (codes[code], int(period))
        if i not in left_out:
            values[key] = values.get(key, 0.0) + (0.0 if pd.isna(value) else float(value))
        if pd.notna(day):
            days[int(period)] = max(days.get(int(period), day.date()), day.date())
        else:
            days.setdefault(int(period), data.periods[min(int(period), len(data.periods)) - 1].end)
    return Submissions(values, days)


@dataclass(frozen=True)
class UnitNumbers:
    previously_reported: float
    current_report: float
    total_reported: float
    achieved_in_period: float
    late: float


def unit_numbers(data: Dataset, number: str, period: Period, submitted: Submissions) -> UnitNumbers:
    """An output's or result's numbers for the report of `period`."""
    contribs = data.unit_contributions[number]
    total = achieved_as_of(contribs, period.end)
    before = achieved_as_of(contribs, period.start - dt.timedelta(days=1))
    previously = submitted.before(number, period.number) if submitted.any else before
    return UnitNumbers(
        previously_reported=previously,
        current_report=total - previously,
        total_reported=total,
        achieved_in_period=achieved_between(contribs, period.start, period.end),
        late=max(before - previously, 0.0),
    )


def _unit_row(data: Dataset, unit: Output | Result, numbers: UnitNumbers) -> dict[str, object]:
    indicator = data.settings.indicator(unit.indicator)
    return {
        "number": unit.number,
        "title": unit.title,
        "indicator": indicator.code,
        "indicator_name": indicator.name,
        "delivery_period": delivery_label(unit.period),
        "measurement_unit": indicator.unit,
        "baseline": getattr(unit, "baseline", 0.0),
        "target": unit.target,
        "previously_reported": numbers.previously_reported,
        "current_report": numbers.current_report,
        "total_reported": numbers.total_reported,
        "achieved_in_period": numbers.achieved_in_period,
        "late": numbers.late,
    }


def outputs_table(data: Dataset, period: Period, submitted: Submissions) -> pd.DataFrame:
    """One row per output (UNIT_COLUMNS), in catalogue order of their indicators."""
    rows = [_unit_row(data, u, unit_numbers(data, u.number, period, submitted)) for u in data.settings.report_outputs]
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))


def results_table(data: Dataset, period: Period, submitted: Submissions) -> pd.DataFrame:
    """One row per result (UNIT_COLUMNS)."""
    rows = [_unit_row(data, u, unit_numbers(data, u.number, period, submitted)) for u in data.settings.report_results]
    return pd.DataFrame(rows, columns=list(UNIT_COLUMNS))


def _indicator_row(level: str, code: str, name: str, unit: str, units: pd.DataFrame) -> dict[str, object]:
    """An indicator's overview row: the sums of its outputs' (results') numbers, as Jems adds them up; a result
    indicator shows its results' delivery periods."""
    return {
        "level": level,
        "code": code,
        "name": name,
        "measurement_unit": unit,
        **{k: float(units[k].sum()) for k in ("baseline", "target", "previously_reported", "current_report")},
        "total_reported": float(units["total_reported"].sum()),
        "delivery_period": ", ".join(dict.fromkeys(units["delivery_period"])) if level == LEVELS[0] else "",
    }


def overview(data: Dataset, outputs: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Jems' overview (OVERVIEW_COLUMNS): each result indicator, the output indicators linked to it, and under
    each output indicator its outputs; then the output indicators linked to no result."""
    indicators = data.settings.indicators
    rows: list[dict[str, object]] = []

    def output_indicator(code: str) -> None:
        ind = data.settings.indicator(code)
        own = outputs[outputs["indicator"] == code]
        rows.append(_indicator_row("output indicator", code, ind.name, ind.unit, own))
        for r in own.itertuples(index=False):
            rows.append(
                {
                    "level": "output",
                    "code": r.number,
                    "name": r.title,
                    **{k: getattr(r, k) for k in JEMS_COLUMNS},
                    "delivery_period": r.delivery_period,
                }
            )

    for result in (i for i in indicators if i.kind == "result"):
        rows.append(
            _indicator_row(
                "result indicator", result.code, result.name, result.unit, results[results["indicator"] == result.code]
            )
        )
        for ind in indicators:
            if ind.kind == "output" and ind.result == result.code:
                output_indicator(ind.code)
    for ind in indicators:
        if ind.kind == "output" and not ind.result:
            output_indicator(ind.code)
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


def _cell(data: Dataset, tab: str, column: str, row: int, origin: object) -> str:
    frame = data.tables[tab]
    where = frame.attrs.get("by_origin", {}).get(origin) or frame.attrs
    letter = where.get("letters", {}).get(column, "")
    return f"{tab}!{letter}{row}" if letter else f"{tab} row {row}"


def late_records(data: Dataset, period: Period, submitted: Submissions) -> pd.DataFrame:
    """The records dated before `period` that go into its current report because they are beyond what was
    submitted for the periods before (LATE_COLUMNS): per output or result, in date order, the records past the
    point where the sheet reaches the submitted total. Empty without submissions."""
    if not submitted.any:
        return pd.DataFrame(columns=list(LATE_COLUMNS))
    frames = []
    by_number = {u.number: u for u in (*data.settings.report_outputs, *data.settings.report_results)}
    for number, unit in by_number.items():
        contribs = data.unit_contributions[number]
        earlier = contribs[contribs["date"] < pd.Timestamp(period.start)]
        running = earlier["amount"].cumsum()
        late = earlier[running > submitted.before(number, period.number) + 1e-9]
        if late.empty:
            continue
        date_column = data.settings.indicator(unit.indicator).measure.date
        frames.append(
            late.assign(
                number=number,
                indicator=unit.indicator,
                dated_in=[
                    next((p.label for p in data.periods if p.start <= d.date() <= p.end), "") for d in late["date"]
                ],
                cell=[
                    _cell(data, t, date_column, r, o)
                    for t, r, o in zip(late["tab"], late["_row"], late["_origin"], strict=True)
                ],
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(LATE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(LATE_COLUMNS)]


@dataclass(frozen=True)
class Unsupported:
    """A submitted total the sheet no longer reaches at that period's end."""

    number: str
    indicator: str
    period: Period
    submitted: float  # the sum submitted up to and including that period
    sheet: float  # the sheet's cumulative value at that period's end


def unsupported_submissions(data: Dataset, period: Period, submitted: Submissions) -> list[Unsupported]:
    """For every submitted period up to `period`, each output or result whose sheet cumulative value at that
    period's end is below what was submitted up to it (records deleted or re-dated since)."""
    found = []
    for unit in (*data.settings.report_outputs, *data.settings.report_results):
        contribs = data.unit_contributions[unit.number]
        for p in data.periods[: period.number]:
            if p.number not in submitted.submitted_on:
                continue
            total, sheet = submitted.up_to(unit.number, p.number), achieved_as_of(contribs, p.end)
            if sheet + 1e-9 < total:
                found.append(Unsupported(unit.number, unit.indicator, p, total, sheet))
    return found
