"""What the Progress report page shows: the period to report on, the headline numbers, the indicator table as
Jems lists it, the deviations to explain and the downloads. The numbers themselves are `monitoring.outputs.report`'s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period
from monitoring.engine.progress import ATTENTION_STATUSES
from monitoring.model.config import Settings
from monitoring.outputs import export
from monitoring.outputs.jems import UNLINKED_GROUP
from monitoring.outputs.report import Report, latest_ended_period, period_by_number

# The indicator table's columns, in the order shown (`baseline` only when some baseline is not 0).
TABLE_COLUMNS = [
    "code",
    "name",
    "baseline",
    "target",
    "previously_reported",
    "current_report",
    "total_reported",
    "percent_of_target",
    "planned",
    "below_milestone",
    "status",
    "records",
    "unit",
]
# Jems' overview as the page shows it: result indicator -> output indicators -> outputs.
OVERVIEW_SHOWN = [
    "code",
    "name",
    "measurement_unit",
    "baseline",
    "target",
    "previously_reported",
    "current_report",
    "total_reported",
    "delivery_period",
    "status",
]


@dataclass(frozen=True)
class PeriodChoice:
    labels: list[str]  # every reporting period's label, "P1" first
    default: str  # the last period that ended by the as-of date


@dataclass(frozen=True)
class Overview:
    rows: pd.DataFrame  # jems.OVERVIEW_COLUMNS plus `status`; names indented by level (see `overview_table`)
    columns: list[str]  # the columns shown, in order
    previously: str  # where Previously reported comes from, in words


@dataclass(frozen=True)
class Headline:
    late: int  # late records: dated in an earlier period, in this report's current report
    behind_or_at_risk: int  # indicators whose status is behind or at risk (the Status column says so)
    below_milestone: int  # indicators below the period's milestone (the milestone column marks them)
    to_explain: int  # indicators either rule flags: the Deviations tab's entries
    records: int  # records dated in the period that count
    without_evidence: int  # records of the period without an evidence link, summed over the indicators
    findings: int  # points from the programme officer's checks
    explained: int  # indicators to explain with an explanation written


@dataclass(frozen=True)
class IndicatorTable:
    rows: pd.DataFrame  # report.INDICATOR_COLUMNS plus `records`; name, status and records as shown (see below)
    columns: list[str]  # the columns shown, in order
    zero_baselines: bool  # every baseline is 0 (so the column is left out)
    illustrative: list[str]  # the codes whose target is a placeholder


@dataclass(frozen=True)
class Deviation:
    """An indicator to explain (behind or at risk, or below the period's milestone): what to explain, and the
    session key its explanation is typed under."""

    code: str
    name: str
    status: str
    below_milestone: bool
    prompt: str
    key: str


@dataclass(frozen=True)
class Download:
    label: str
    kind: str  # a key of export.MIME_TYPES
    icon: str
    help: str
    problem: str | None  # why the file cannot be made (it is then offered disabled, the reason shown), or None
    content: bytes  # the file (b"" when it cannot be made)


def period_choice(data: Dataset, as_of: dt.date) -> PeriodChoice:
    """The periods to choose from, and the one shown first for `as_of`."""
    return PeriodChoice([p.label for p in data.periods], latest_ended_period(data, as_of).label)


def period_labelled(data: Dataset, label: str) -> Period:
    """The reporting period of a label ("P3"); ValueError naming the periods that exist."""
    return period_by_number(data, int(label.removeprefix("P")))


def explanation_key(period: Period, code: str) -> str:
    """The session key under which the deviation explanation of indicator `code` for `period` is typed."""
    return f"explain_{period.label}_{code}"


def explanation_keys(settings: Settings, period: Period) -> dict[str, str]:
    """Indicator code -> `explanation_key` for `period`, every indicator in catalogue order."""
    return {i.code: explanation_key(period, i.code) for i in settings.indicators}


BELOW_MARK = "▼ below"  # the indicator table's mark for an indicator below the period's milestone


def headline(report: Report, explanations: dict[str, str]) -> Headline:
    """The numbers above the tabs; `explanations` is code -> the text typed so far ("" for none)."""
    table = report.indicators
    flagged = table.loc[table["deviation"], "code"]
    return Headline(
        late=len(report.late),
        behind_or_at_risk=int(table["status"].isin(ATTENTION_STATUSES).sum()),
        below_milestone=int(table["below_milestone"].sum()),
        to_explain=len(flagged),
        records=len(report.evidence),
        without_evidence=int(table["without_evidence"].sum()),
        findings=len(report.findings),
        explained=sum(bool(explanations.get(code)) for code in flagged),
    )


def indicator_table(report: Report, status_label: Callable[[str], str]) -> IndicatorTable:
    """The indicator table in Jems' groups: an output linked to a result is named "↳ <name>"; the outputs linked to
    no result follow a heading row with Jems' name for their group. The status is `status_label(status)`,
    `below_milestone` is BELOW_MARK or "", and `records` is "<with evidence> of <all>"."""
    table = report.indicators
    rows = table.assign(
        name=[
            f"↳ {name}" if kind == "output" and pd.notna(result) else name
            for name, kind, result in zip(table["name"], table["kind"], table["result"], strict=True)
        ],
        status=[status_label(status) for status in table["status"]],
        below_milestone=[BELOW_MARK if below else "" for below in table["below_milestone"]],
        records=[f"{e} of {e + w}" for e, w in zip(table["evidence"], table["without_evidence"], strict=True)],
    )
    unlinked = (table["kind"] == "output") & table["result"].isna()
    if unlinked.any():
        heading = pd.DataFrame([{"code": "", "name": UNLINKED_GROUP, "status": "", "below_milestone": ""}])
        first = int(unlinked.to_numpy().argmax())
        rows = pd.concat([rows.iloc[:first], heading, rows.iloc[first:]], ignore_index=True)
    zero_baselines = not table["baseline"].any()
    return IndicatorTable(
        rows=rows,
        columns=[c for c in TABLE_COLUMNS if c != "baseline" or not zero_baselines],
        zero_baselines=zero_baselines,
        illustrative=list(table.loc[table["illustrative"], "code"]),
    )


def overview_table(report: Report, status_label: Callable[[str], str]) -> Overview:
    """Jems' overview to copy from, in Jems' groups and words (`jems.overview`): an output indicator is marked
    "↳ <name>", an output "    · Output 1.1: <title>"; the status (`status_label`) on the indicators' rows only."""
    table = report.overview
    status = dict(zip(report.indicators["code"], report.indicators["status"], strict=True))
    indent = {"group": "", "result indicator": "", "output indicator": "↳ ", "output": "\u2003\u2003· "}
    rows = table.assign(
        name=[indent[level] + name for level, name in zip(table["level"], table["name"], strict=True)],
        status=[
            status_label(status[code]) if level in ("result indicator", "output indicator") else ""
            for level, code in zip(table["level"], table["code"], strict=True)
        ],
    )
    previously = (
        "the sum of the values submitted in the earlier Jems reports (the `reported` tab)"
        if report.from_submitted
        else "the sheet's cumulative value at the end of the previous period (no `reported` tab records what was "
        "submitted)"
    )
    return Overview(rows=rows, columns=OVERVIEW_SHOWN, previously=previously)


def deviations(report: Report) -> list[Deviation]:
    """The indicators to explain (behind or at risk, or below the period's milestone), in report order."""
    flagged = report.indicators[report.indicators["deviation"]]
    return [
        Deviation(
            row.code, row.name, row.status, row.below_milestone, row.prompt, explanation_key(report.period, row.code)
        )
        for row in flagged.itertuples(index=False)
    ]


def pdf_problem() -> str | None:
    """Why no PDF can be made on this machine (no font with the accents and Cyrillic), or None."""
    try:
        export.unicode_font()
    except export.ExportError as exc:
        return str(exc)
    return None


def downloads(report: Report) -> list[Download]:
    """The report's files, made now: the Excel workbook, the CSV of the outputs and results and the PDF status
    pack. A file that cannot be made carries the reason (no font for the PDF, or the writer failed on this data)."""
    files = (
        (
            "Excel workbook",
            "xlsx",
            ":material/table_view:",
            "Jems' overview, the outputs, the results, the indicators, late records, evidence, the records behind the "
            "numbers, the checks and the data problems, a sheet each.",
            lambda: export.excel_bytes(report),
        ),
        (
            "CSV of outputs and results",
            "csv",
            ":material/csv:",
            "One row per output (Jems' Work plan tab) and per result (Project results tab), with Jems' field names; "
            "UTF-8, opens in Excel with Čačak and Cyrillic intact.",
            lambda: export.csv_bytes(report),
        ),
        (
            "PDF status pack",
            "pdf",
            ":material/picture_as_pdf:",
            "Title page, Jems' overview, bullet charts and what to explain.",
            lambda: export.pdf_bytes(report),
        ),
    )
    shown = []
    for label, kind, icon, text, make in files:
        problem = pdf_problem() if kind == "pdf" else None
        content, problem = (b"", problem) if problem else export.made(make, label)
        shown.append(Download(label, kind, icon, text, problem, content))
    return shown
