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

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period, achieved_as_of, achieved_between
from monitoring.model.config import Output, Result
from monitoring.sheet.checks import reported_codes, submitted_values
from monitoring.sheet.clean import record_cell

# Jems' own labels, as its English UI writes them (jems-server/src/main/resources/Application_en.properties of
# InterregCE/Jems_V10.0.1_build; the line of each is quoted in docs/reporting.md).
# The overview of a project report (identification tab, read only), lines 1858-1863.
JEMS_COLUMNS = {
    "measurement_unit": "Measurement Unit",
    "baseline": "Baseline",
    "target": "Target Value",
    "previously_reported": "Previously Reported",
    "current_report": "Current Report",
    "total_reported": "Total Reported So Far",
}
# The fields of one output (Work plan tab, lines 1797-1805) and of one result (Project results tab, 1812-1819):
# the value to type is "Achieved in this reporting period", beside it "Cumulative value" (previously reported +
# this report's value, as Jems adds them up).
ACHIEVED_LABEL = "Achieved in this reporting period"
CUMULATIVE_LABEL = "Cumulative value"
UNLINKED_GROUP = "Programme Output Indicators not linked to a Programme Result Indicator"  # line 1854
AFTER_LABEL = "After project implementation"  # lines 592 and 1713
PREPARATION_LABEL = "Preparation"  # line 714: Jems' period 0, before the project starts
# Columns of `overview`: result indicator -> output indicators -> outputs, as Jems nests them, in groups.
OVERVIEW_COLUMNS = {
    "level": "Level",  # result indicator | output indicator | output | group (the unlinked group's heading)
    "code": "Code",  # an indicator's code or an output's number ("" on a group's heading)
    "name": "Name",  # "Programme Result Indicator RCR<nn>: …", an output indicator's name, "Output 1.1: …"
    **JEMS_COLUMNS,
    "delivery_period": "Delivery period",  # outputs, and the results of a result indicator
}
# Columns of `outputs_table` and `results_table`: one row per output (result), what to type into Jems.
UNIT_COLUMNS = {
    "number": "Nr.",  # "O 1.1" for a declared output, as Jems writes it (line 1798); a result's number
    "title": "Title",
    "indicator": "Programme indicator",
    "indicator_name": "Indicator name",
    "delivery_period": "Delivery period",
    "measurement_unit": "Measurement Unit",
    "baseline": "Baseline",
    "target": "Target Value",
    "previously_reported": "Previously Reported",  # what earlier reports submitted
    "current_report": ACHIEVED_LABEL,  # the value to type: cumulative value - previously reported
    "total_reported": CUMULATIVE_LABEL,  # the sheet's cumulative value at the period's end
    "dated_in_period": "Records dated in the period",  # their amount (late records left out): not a Jems field
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


def _month(day: dt.date, start: dt.date) -> int:
    """The project month `day` falls in, 1 for the start's month."""
    return (day.year - start.year) * 12 + day.month - start.month + 1


def delivery_label(period: int | str | None, periods: list[Period]) -> str:
    """A delivery period as Jems' application form writes it: "Period 5, month 25 - 30", "After project
    implementation", "Preparation" (period 0), or "" when none."""
    if period is None:
        return ""
    if period == "after":
        return AFTER_LABEL
    if period == 0:
        return PREPARATION_LABEL
    start = periods[0].start
    p = next((p for p in periods if p.number == period), None)
    if p is None:
        return f"Period {period}"
    return f"Period {p.number}, month {_month(p.start, start)} - {_month(p.end, start)}"


def output_number(number: str, *, implicit: bool) -> str:
    """An output's number as Jems' Work plan tab writes it ("O 1.1"); the indicator code of an output that
    indicators.yaml does not declare."""
    return number if implicit else f"O {number}"


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
    dated_in_period: float
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
        dated_in_period=achieved_between(contribs, period.start, period.end),
        late=max(before - previously, 0.0),
    )


def _unit_row(data: Dataset, unit: Output | Result, numbers: UnitNumbers) -> dict[str, object]:
    indicator = data.settings.indicator(unit.indicator)
    return {
        "number": unit.number,
        "title": unit.title,
        "indicator": indicator.code,
        "indicator_name": indicator.name,
        "delivery_period": delivery_label(unit.period, data.periods),
        "measurement_unit": indicator.unit,
        "baseline": getattr(unit, "baseline", 0.0),
        "target": unit.target,
        "previously_reported": numbers.previously_reported,
        "current_report": numbers.current_report,
        "total_reported": numbers.total_reported,
        "dated_in_period": numbers.dated_in_period,
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


def is_implicit(unit: Output | Result) -> bool:
    """True for an output (result) indicators.yaml does not declare: one stands for its indicator, numbered with
    the indicator's code (`Settings.report_outputs`)."""
    return unit.number == unit.indicator


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
        "delivery_period": ", ".join(dict.fromkeys(units["delivery_period"])) if level == "result indicator" else "",
    }


def _heading(name: str) -> dict[str, object]:
    """A group's heading row: its name only, no numbers."""
    numbers = dict.fromkeys(("baseline", "target", "previously_reported", "current_report", "total_reported"))
    return {"level": "group", "code": "", "name": name, "measurement_unit": "", **numbers, "delivery_period": ""}


def overview(data: Dataset, outputs: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Jems' overview (OVERVIEW_COLUMNS), in Jems' groups: each result indicator ("Programme Result Indicator
    RCR<nn>: <name>"), the output indicators linked to it and under each its outputs ("Output 1.1: <title>"); then,
    under a heading row "Programme Output Indicators not linked to a Programme Result Indicator", the output
    indicators linked to none. An output indicators.yaml does not declare is its indicator's row
    only, so no indicator is listed twice."""
    indicators = data.settings.indicators
    implicit = {u.number for u in data.settings.report_outputs if is_implicit(u)}
    rows: list[dict[str, object]] = []

    def output_indicator(code: str) -> None:
        ind = data.settings.indicator(code)
        own = outputs[outputs["indicator"] == code]
        rows.append(_indicator_row("output indicator", code, ind.name, ind.unit, own))
        for r in own.itertuples(index=False):
            if r.number in implicit:
                continue
            rows.append(
                {
                    "level": "output",
                    "code": r.number,
                    "name": f"Output {r.number}: {r.title}",
                    **{k: getattr(r, k) for k in JEMS_COLUMNS},
                    "delivery_period": r.delivery_period,
                }
            )

    for result in (i for i in indicators if i.kind == "result"):
        own = results[results["indicator"] == result.code]
        title = f"Programme Result Indicator {result.code}: {result.name}"
        rows.append(_indicator_row("result indicator", result.code, title, result.unit, own))
        for ind in indicators:
            if ind.kind == "output" and ind.result == result.code:
                output_indicator(ind.code)
    unlinked = [ind.code for ind in indicators if ind.kind == "output" and not ind.result]
    if unlinked:
        rows.append(_heading(UNLINKED_GROUP))
    for code in unlinked:
        output_indicator(code)
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


def _cell(data: Dataset, tab: str, column: str, row: int, origin: object) -> str:
    cell = record_cell(data.tables[tab], column, row, origin)
    return f"{tab} row {row}" if ":" in cell else f"{tab}!{cell}"


def late_contributions(contribs: pd.DataFrame, number: str, period: Period, submitted: Submissions) -> pd.DataFrame:
    """The contributions of output (result) `number` dated before `period` that go into its current report: in date
    order, those past the point where the sheet reaches what was submitted for the periods before. Empty without
    submissions."""
    if not submitted.any:
        return contribs.iloc[:0]
    earlier = contribs[contribs["date"] < pd.Timestamp(period.start)]
    running = earlier["amount"].cumsum()
    return earlier[running > submitted.before(number, period.number) + 1e-9]


def late_records(data: Dataset, period: Period, submitted: Submissions) -> pd.DataFrame:
    """The records dated before `period` that go into its current report because they are beyond what was
    submitted for the periods before (LATE_COLUMNS): per output or result, in date order, the records past the
    point where the sheet reaches the submitted total. Empty without submissions."""
    if not submitted.any:
        return pd.DataFrame(columns=list(LATE_COLUMNS))
    frames = []
    by_number = {u.number: u for u in (*data.settings.report_outputs, *data.settings.report_results)}
    for number, unit in by_number.items():
        late = late_contributions(data.unit_contributions[number], number, period, submitted)
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
