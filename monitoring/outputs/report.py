"""Per reporting period, the numbers the programme's reporting system (Jems) asks for, and the checks
a programme officer would make on them.

Every number comes from `Dataset.contributions` through `monitoring.engine.measure` and every status from
`Dataset.progress(period end)`, so the report agrees with the Overview viewed as of the period's end.
Nothing here re-reads or recomputes the raw tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from monitoring.dataset import Dataset, SourceInfo
from monitoring.engine.measure import Period, achieved_as_of, per_period
from monitoring.engine.progress import ATTENTION_STATUSES, DUE_AFTER, IndicatorProgress, milestone_points
from monitoring.outputs.jems import (
    JEMS_COLUMNS,
    LATE_COLUMNS,
    Submissions,
    late_records,
    outputs_table,
    overview,
    results_table,
    submissions,
    unit_numbers,
    unsupported_submissions,
)
from monitoring.outputs.narratives import Narrative, draft_narratives
from monitoring.outputs.partners import labelled
from monitoring.sheet.checks import milestone_drops, outside_project, when_outside

# The two rules that ask for an explanation, each with its own words (docs/reporting.md, "Two rules, two words"):
# the status (only it says "behind" or "at risk": the pace will not reach the target in time), and the milestone.
BEHIND_OR_AT_RISK = "Behind or at risk"
BELOW_MILESTONE = "Below the period's milestone"
EXPLAIN_WHY = (
    "Jems' project report asks to describe and justify deviations and delays from the work plan of the application "
    "form. Each indicator here is behind or at risk (its status: short of what is expected by now), below the "
    "milestone planned for the period's end, or both."
)

# Columns of `report_table`, with the heading a reader sees (Excel, CSV, PDF and the page use these). Jems' overview
# headers where Jems has the number (jems.JEMS_COLUMNS); our own words where it has not.
INDICATOR_COLUMNS = {
    "code": "Code",
    "name": "Indicator",
    "kind": "Type",
    "result": "Result indicator",  # the result an output is linked to; a result's own code
    "unit": JEMS_COLUMNS["measurement_unit"],
    "baseline": JEMS_COLUMNS["baseline"],
    "target": JEMS_COLUMNS["target"],
    "previously_reported": JEMS_COLUMNS["previously_reported"],  # submitted in earlier reports (else the sheet)
    "dated_in_period": "Records dated in the period",  # their amount, late records left out: not a Jems field
    "current_report": JEMS_COLUMNS["current_report"],  # total reported so far - previously reported (late included)
    "total_reported": JEMS_COLUMNS["total_reported"],  # the sheet's cumulative value at the period's end
    "percent_of_target": "% of target",
    "planned": "Planned (milestone)",  # the milestone at the period's end, or None
    "expected": "Expected by period end",
    "status": "Status",  # as of the period's end: achieved | on track | at risk | behind | due after the project
    "below_milestone": BELOW_MILESTONE,  # True when the cumulative value is below the period's milestone
    "deviation": "To explain",  # True when behind or at risk, or below the period's milestone
    "prompt": "What to explain",
    "evidence": "Records with evidence",  # records of the period with an evidence link
    "without_evidence": "Records without evidence",
    "illustrative": "Illustrative target",
}
# Columns of `evidence_list`: one row per record of the period that counts for an indicator.
EVIDENCE_COLUMNS = {
    "date": "Date",
    "record": "Record",
    "title": "Title",
    "indicators": "Counts for",
    "evidence_url": "Evidence",
    "tab": "Tab",
    "_row": "Sheet row",
}
# Columns of `records_behind`: one row per contribution dated in the period.
RECORD_COLUMNS = {
    "indicator": "Indicator",
    "date": "Date",
    "record": "Record",
    "title": "Title",
    "amount": "Amount",
    "partner_id": "Organisation",  # its name with its id: 'Sava Business Acceleration Network (P07)'
    "location_id": "Place",  # 'Zagreb (L07)'
    "country": "Country",
    "cluster": "Cluster",
    "evidence_url": "Evidence",
    "tab": "Tab",
    "_row": "Sheet row",
}
PROBLEM_COLUMNS = {
    "level": "Level",
    "tab": "Tab",
    "cell": "Cell",
    "column": "Column",
    "message": "Problem",
    "value": "Value",
    "origin": "File",
}

CHECKS = {
    "result above output": "A result indicator is above the output it follows",
    "cumulative decreases": "A cumulative value goes down",
    "no evidence": "A value without evidence",
    "outside the project": "An achievement dated outside the project",
    "submitted not supported": "A submitted value the sheet no longer supports",
}
CHECKS_PASSED = (
    "No result indicator is above the output indicator it cannot exceed, no cumulative "
    "value or milestone goes down, every value of the period has evidence, no achievement is dated outside the "
    "project, and the sheet still supports every value submitted in Jems."
)


@dataclass(frozen=True)
class Finding:
    """One thing a programme officer would query in the report; a warning, not a cell error."""

    check: str  # a key of CHECKS
    indicators: str  # the indicator code(s) concerned, comma-separated
    message: str
    tab: str = ""
    row: int | None = None  # the sheet row, where one record is the cause
    record: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "Check": CHECKS[self.check],
            "Indicators": self.indicators,
            "Message": self.message,
            "Tab": self.tab,
            "Sheet row": self.row,
            "Record": self.record,
        }


def period_by_number(data: Dataset, number: int) -> Period:
    """The reporting period `number` (1-based); ValueError naming the periods that exist."""
    for period in data.periods:
        if period.number == number:
            return period
    last = data.periods[-1]
    raise ValueError(
        f"there is no reporting period {number}; {data.settings.project.name} has periods 1 to {last.number} "
        f"(P1 starts {data.periods[0].start:%d %b %Y}, P{last.number} ends {last.end:%d %b %Y})"
    )


def latest_ended_period(data: Dataset, as_of: dt.date) -> Period:
    """The last period that ended on or before `as_of` (P1 while none has)."""
    ended = [p for p in data.periods if p.end <= as_of]
    return ended[-1] if ended else data.periods[0]


def report_order(data: Dataset) -> list[str]:
    """Indicator codes as Jems groups them: each result indicator followed by the outputs linked to it,
    then the outputs linked to no result, in catalogue order within each group."""
    indicators = data.settings.indicators
    order: list[str] = []
    for result in (i for i in indicators if i.kind == "result"):
        order.append(result.code)
        order += [i.code for i in indicators if i.kind == "output" and i.result == result.code]
    order += [i.code for i in indicators if i.code not in order]
    return order


def _in_period(contribs: pd.DataFrame, period: Period) -> pd.DataFrame:
    dates = contribs["date"]
    return contribs[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]


def _has_link(urls: pd.Series) -> pd.Series:
    return urls.notna() & (urls.astype("string").str.strip() != "")


def _short(achieved: float, plan: float) -> str:
    share = f", {100 * achieved / plan:.0f} %" if plan else ""
    return f"{plan - achieved:g} short{share}"


def _prompt(p: IndicatorProgress, planned: float | None, below: bool, period: Period) -> str:
    """The question the explanation has to answer, naming the rule(s) that ask for it, with their numbers."""
    day = f"{period.end:%d %b %Y}"
    if p.status in ATTENTION_STATUSES:
        text = (
            f"{p.code} is {p.status} at the end of {period.label}: {p.achieved:g} {p.unit} achieved, {p.expected:g} "
            f"expected by {day} ({_short(p.achieved, p.expected)} of expected; target {p.target:g})."
        )
        if below and planned is not None:
            text += f" It is also below the period's milestone of {planned:g}."
    else:
        plan = planned if planned is not None else 0.0
        text = (
            f"{p.code} is below the period's milestone at the end of {period.label}: {p.achieved:g} {p.unit} "
            f"achieved, {plan:g} planned for {day} ({_short(p.achieved, plan)} of the milestone). Its status is "
            f"{p.status}: within the tolerance of the {p.expected:g} expected by then (target {p.target:g})."
        )
    return text + " Explain why, what is being done to catch up, and by when."


def report_table(data: Dataset, period_number: int, submitted: Submissions | None = None) -> pd.DataFrame:
    """One row per indicator, in Jems order (see `report_order`), columns as in INDICATOR_COLUMNS. Previously
    reported is the sum of what its outputs (results) were submitted with, when the `reported` tab says so."""
    period = period_by_number(data, period_number)
    submitted = submitted if submitted is not None else submissions(data)
    progress = {p.code: p for p in data.progress(period.end)}
    previous_end = period.start - dt.timedelta(days=1)
    rows = []
    for code in report_order(data):
        indicator = data.settings.indicator(code)
        contribs = data.contributions[code]
        numbers = per_period(contribs, data.periods).set_index("number").loc[period.number]
        planned = dict(milestone_points(data.tables["milestones"], code, data.periods)).get(period.end)
        p = progress[code]
        below = planned is not None and numbers["cumulative"] < planned and p.status != DUE_AFTER
        deviation = p.status in ATTENTION_STATUSES or below
        links = _has_link(_in_period(contribs, period)["evidence_url"])
        previously = (
            sum(
                unit_numbers(data, u.number, period, submitted).previously_reported
                for u in data.settings.deliveries(code)
            )
            if submitted.any
            else achieved_as_of(contribs, previous_end)
        )
        rows.append(
            {
                "code": code,
                "name": indicator.name,
                "kind": indicator.kind,
                "result": code if indicator.kind == "result" else indicator.result,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "target": indicator.target,
                "previously_reported": previously,
                "dated_in_period": numbers["in_period"],
                "current_report": numbers["cumulative"] - previously,
                "total_reported": numbers["cumulative"],
                "percent_of_target": p.percent_of_target,
                "planned": planned,
                "expected": p.expected,
                "status": p.status,
                "below_milestone": bool(below),
                "deviation": bool(deviation),
                "prompt": _prompt(p, planned, below, period) if deviation else "",
                "evidence": int(links.sum()),
                "without_evidence": int((~links).sum()),
                "illustrative": indicator.illustrative,
            }
        )
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))


def records_behind(data: Dataset, period: Period) -> pd.DataFrame:
    """Every contribution dated in the period, per indicator in report order then by date (RECORD_COLUMNS).
    The amounts of one indicator add up to its 'records dated in the period'."""
    frames = [_in_period(data.contributions[code], period).assign(indicator=code) for code in report_order(data)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=list(RECORD_COLUMNS))
    records = pd.concat(frames, ignore_index=True)[list(RECORD_COLUMNS)]
    return labelled(records, data)  # organisations and places by name, with their ids


def evidence_list(data: Dataset, period: Period) -> pd.DataFrame:
    """The records of the period that count for any indicator, once each, with their evidence link
    and the indicators they count for (EVIDENCE_COLUMNS), by date."""
    records = records_behind(data, period)
    if records.empty:
        return pd.DataFrame(columns=list(EVIDENCE_COLUMNS))
    grouped = records.groupby(["tab", "_row"], sort=False).agg(
        date=("date", "min"),
        record=("record", "first"),
        title=("title", "first"),
        indicators=("indicator", lambda codes: ", ".join(dict.fromkeys(codes))),
        evidence_url=("evidence_url", "first"),
    )
    out = grouped.reset_index().sort_values(["date", "tab", "_row"], kind="stable").reset_index(drop=True)
    return out[list(EVIDENCE_COLUMNS)]


def problems_table(data: Dataset) -> pd.DataFrame:
    """The data problems of the source (PROBLEM_COLUMNS), errors first."""
    rows = [{k: getattr(p, k) for k in PROBLEM_COLUMNS} for p in data.problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    return frame.sort_values("level", key=lambda s: s != "error", kind="stable").reset_index(drop=True)


# Programme-officer checks: pure functions of the dataset, each returning findings.


def check_result_not_above_output(data: Dataset, period: Period) -> list[Finding]:
    """A result declared `never_above` an output (plans taken up, plans developed) is not above it at any period
    end up to `period`."""
    findings = []
    limits = {i.code: i.never_above for i in data.settings.indicators if i.never_above}
    for result, output in limits.items():
        if result not in data.contributions or output not in data.contributions:
            continue
        res, out = data.contributions[result], data.contributions[output]
        for p in data.periods[: period.number]:
            above, below = achieved_as_of(res, p.end), achieved_as_of(out, p.end)
            if above <= below:
                continue
            cutoff = pd.Timestamp(p.end)
            missing = sorted(
                set(res.loc[res["date"] <= cutoff, "record"]) - set(out.loc[out["date"] <= cutoff, "record"])
            )
            cause = (
                f" Counted for {result} but not yet for {output}: {', '.join(map(str, missing))}." if missing else ""
            )
            findings.append(
                Finding(
                    "result above output",
                    f"{result}, {output}",
                    f"At the end of {p.label} ({p.end:%d %b %Y}) {result} is {above:g} but {output} is {below:g}: "
                    f"{data.settings.indicator(result).name} cannot be more than "
                    f"{data.settings.indicator(output).name.lower()}.{cause}",
                )
            )
    return findings


def check_cumulative_never_decreases(data: Dataset) -> list[Finding]:
    """Milestones that plan a lower cumulative value than the period before, and negative entered values."""
    findings = [
        Finding(
            "cumulative decreases",
            drop.code,
            f"The milestone for P{drop.period} ({drop.planned:g}) is below the one for P{drop.earlier_period} "
            f"({drop.earlier_planned:g}); milestones are cumulative and cannot go down.",
            "milestones",
            drop.row,
        )
        for drop in milestone_drops(data.tables["milestones"], len(data.periods))
    ]
    values = data.tables["indicator_values"]
    for _, row in values[values["value"] < 0].iterrows():
        date = f" on {row['date']:%d %b %Y}" if pd.notna(row["date"]) else ""
        findings.append(
            Finding(
                "cumulative decreases",
                str(row["indicator"]),
                f"A negative value ({row['value']:g}){date} makes the cumulative value go down; values are "
                "amounts achieved, so correct the earlier entry instead.",
                "indicator_values",
                int(row["_row"]),
            )
        )
    return findings


def _by_record(data: Dataset, select: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """The contributions `select` keeps, once per sheet record, with the indicators they count for."""
    frames = [select(data.contributions[code]).assign(indicator=code) for code in report_order(data)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["tab", "row", "record", "title", "date", "indicator"])
    rows = pd.concat(frames, ignore_index=True)
    return (
        rows.groupby(["tab", "_row"], sort=False)
        .agg(
            record=("record", "first"),
            title=("title", "first"),
            date=("date", "min"),
            indicator=("indicator", lambda c: ", ".join(dict.fromkeys(c))),
        )
        .reset_index()
        .sort_values(["date", "tab", "_row"], kind="stable")
        .rename(columns={"_row": "row"})
    )


def _name(record: object, title: object) -> str:
    return f"{record} “{title}”" if isinstance(title, str) and title else str(record)


def check_evidence(data: Dataset, period: Period) -> list[Finding]:
    """Every record of the period that counts for an indicator but has no evidence link."""

    def unlinked(contribs: pd.DataFrame) -> pd.DataFrame:
        rows = _in_period(contribs, period)
        return rows[~_has_link(rows["evidence_url"])]

    rows = _by_record(data, unlinked)
    return [
        Finding(
            "no evidence",
            r.indicator,
            f"{_name(r.record, r.title)} counts in {period.label} but has no evidence link.",
            r.tab,
            int(r.row),
            str(r.record),
        )
        for r in rows.itertuples()
    ]


def check_dates_inside_project(data: Dataset) -> list[Finding]:
    """Every record that counts for an indicator on a date before the project's start or after its end."""
    project = data.settings.project
    rows = _by_record(data, lambda c: c[outside_project(c["date"], project)])
    return [
        Finding(
            "outside the project",
            r.indicator,
            f"{_name(r.record, r.title)} is dated {r.date:%d %b %Y}, "
            f"{when_outside(r.date, project)} "
            f"({project.start:%d %b %Y} – {project.end:%d %b %Y}).",
            r.tab,
            int(r.row),
            str(r.record),
        )
        for r in rows.itertuples()
    ]


def check_submitted_still_supported(data: Dataset, period: Period, submitted: Submissions) -> list[Finding]:
    """Every value submitted in Jems (the `reported` tab) that the sheet no longer reaches at that period's end."""
    return [
        Finding(
            "submitted not supported",
            u.indicator,
            f"{u.number} was submitted with {u.submitted:g} in total up to {u.period.label}, but the sheet now gives "
            f"{u.sheet:g} at {u.period.end:%d %b %Y}: records counted then were deleted or re-dated since. Restore "
            "them, or correct the value in the next report.",
            "reported",
        )
        for u in unsupported_submissions(data, period, submitted)
    ]


def report_checks(data: Dataset, period: Period, submitted: Submissions | None = None) -> list[Finding]:
    """Every programme-officer check, for the report of `period`."""
    return (
        check_result_not_above_output(data, period)
        + check_cumulative_never_decreases(data)
        + check_evidence(data, period)
        + check_dates_inside_project(data)
        + check_submitted_still_supported(data, period, submitted if submitted is not None else submissions(data))
    )


def findings_table(findings: list[Finding]) -> pd.DataFrame:
    return pd.DataFrame(
        [f.to_dict() for f in findings], columns=["Check", "Indicators", "Message", "Tab", "Sheet row", "Record"]
    )


@dataclass(frozen=True)
class Report:
    """Everything one period's report shows and every export writes."""

    project_name: str
    project_code: str
    programme: str
    period: Period
    source: SourceInfo
    indicators: pd.DataFrame  # INDICATOR_COLUMNS
    progress: list[IndicatorProgress]  # as of the period's end, in report order (for the bullet charts)
    evidence: pd.DataFrame  # EVIDENCE_COLUMNS
    records: pd.DataFrame  # RECORD_COLUMNS
    problems: pd.DataFrame  # PROBLEM_COLUMNS
    findings: list[Finding]
    explanations: dict[str, str] = field(default_factory=dict)  # indicator code -> deviation explanation
    overview: pd.DataFrame = field(default_factory=pd.DataFrame)  # jems.OVERVIEW_COLUMNS
    outputs: pd.DataFrame = field(default_factory=pd.DataFrame)  # jems.UNIT_COLUMNS, one row per output
    results: pd.DataFrame = field(default_factory=pd.DataFrame)  # jems.UNIT_COLUMNS, one row per result
    late: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LATE_COLUMNS)))
    from_submitted: bool = False  # previously reported is what was submitted (the `reported` tab), not a recount
    warnings: tuple[str, ...] = ()  # where indicators.yaml differs from the EU catalogue
    narratives: tuple[Narrative, ...] = ()  # per output, then per result: the draft and what a preparer wrote

    @property
    def as_of(self) -> dt.date:
        """A period's report is the data as it stood at the end of the period's last day."""
        return self.period.end

    @property
    def flagged(self) -> pd.DataFrame:
        """The indicators to explain (behind or at risk, or below the period's milestone), with the explanation typed
        for each ('' when none yet)."""
        rows = self.indicators[self.indicators["deviation"]]
        return rows.assign(explanation=[self.explanations.get(c, "").strip() for c in rows["code"]])

    def indicators_with_explanations(self) -> pd.DataFrame:
        return self.indicators.assign(
            explanation=[self.explanations.get(c, "").strip() for c in self.indicators["code"]]
        )


def build_report(data: Dataset, period_number: int, explanations: dict[str, str] | None = None) -> Report:
    """The report of reporting period `period_number`; ValueError when there is no such period."""
    period = period_by_number(data, period_number)
    order = report_order(data)
    progress = sorted(data.progress(period.end), key=lambda p: order.index(p.code))
    project = data.settings.project
    submitted = submissions(data)
    outputs, results = outputs_table(data, period, submitted), results_table(data, period, submitted)
    return Report(
        project_name=project.name,
        project_code=project.code,
        programme=project.programme,
        period=period,
        source=data.source,
        indicators=report_table(data, period_number, submitted),
        progress=progress,
        evidence=evidence_list(data, period),
        records=records_behind(data, period),
        problems=problems_table(data),
        findings=report_checks(data, period, submitted),
        explanations=written(explanations),
        overview=overview(data, outputs, results),
        outputs=outputs,
        results=results,
        late=late_records(data, period, submitted),
        from_submitted=submitted.any,
        warnings=data.settings.warnings,
        narratives=draft_narratives(data, period, submitted),
    )


def written(explanations: dict[str, str] | None) -> dict[str, str]:
    """The deviation explanations actually written (blank ones left out)."""
    return {k: v for k, v in (explanations or {}).items() if v and v.strip()}
