"""Cross-tab checks on the cleaned tables: problems that no single cell shows on its own.

`monitoring.sheet.clean` reports what is wrong inside one cell or one header row; the rules here need a
whole column or another tab. One function per rule, each rule in one place:

- references to organisations or locations that are not in their tab (error), a pilot's or a plan's
  lead organisation included;
- an activity that should be cross-border (an exchange, a benchmarking, a steering committee, or
  a title that says cross-border) whose organisations are all in one country (warning: it does not
  count for the cross-border indicators);
- dates outside the project (warning) and a pilot that ends before it starts (warning);
- indicator codes in `indicator_values` and `milestones` that are not in the catalogue (error),
  values entered for an indicator the dashboard derives from another tab (warning), negative
  entered values (warning);
- submitted values (`reported`) for an unknown output or result or period, twice for a period (warning),
  negative (a correction: warning), taking the total submitted below zero or beyond 100 times the target
  (error: left out of the report);
- milestones planned twice, beyond the last reporting period, or going down (error).

Every problem points at its cell (`monitoring.sheet.clean.problem_at`): the column letter comes from
`tables[tab].attrs["letters"]` (set by the cleaner), the row from `_row`, the link from `attrs["link"]`.
A repeated id or row is not here: the cleaner drops it (`monitoring.sheet.clean.drop_repeats`), so no rule and no
number ever sees it.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from openpyxl.utils import column_index_from_string

from monitoring.engine.measure import reporting_periods
from monitoring.engine.pipelines import pipeline_problems
from monitoring.formatting import neutralise, plural
from monitoring.model.config import Indicator, Project, Settings, Source
from monitoring.model.contract import TABS
from monitoring.sheet.clean import Problem, problem_at
from monitoring.sheet.parse import country_name

# A submitted value beyond this many times its output's or result's target is a slip, not a number.
IMPLAUSIBLE_TIMES_TARGET = 100
# A title that says the activity is cross-border, in English and in the partners' languages; matched
# on the lower-cased title (much faster than re.IGNORECASE on 100 000 titles).
_SAYS_CROSS_BORDER = re.compile(
    r"cross[\s-]*border|transnational|international|prekograni|transfrontalier|трансгранич|přeshranič|"
    r"grenzüberschreit|határon átnyúló|čezmejn"
)
# (tab, column, what it refers to): every reference from one tab to the partners or locations tab.
REFERENCES = (
    ("partners", "location_id", "location"),
    ("activities", "partner_ids", "partner"),
    ("activities", "location_id", "location"),
    ("action_plans", "location_id", "location"),
    ("action_plans", "lead_partner_id", "lead"),
    ("pilots", "location_id", "location"),
    ("pilots", "lead_partner_id", "lead"),
    ("pilots", "partner_ids", "partner"),
    ("pilots", "replicated_in", "location"),
    ("indicator_values", "partner_id", "partner"),
    ("indicator_values", "location_id", "location"),
)
_REFERENCE_MESSAGES = {
    "partner": "no organisation with this id in the partners tab",
    "lead": "the lead organisation is not in the partners tab",
    "location": "no location with this id in the locations tab",
}


def _day(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def unknown_references(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Organisation and location ids that are not in the partners or locations tab.

    Nothing is checked against a tab with no rows: its own problem (missing or empty tab) says it all.
    """
    known = {
        "partner": set(tables["partners"]["partner_id"].dropna()),
        "location": set(tables["locations"]["location_id"].dropna()),
    }
    known["lead"] = known["partner"]
    problems = []
    for tab, column, kind in REFERENCES:
        frame = tables[tab]
        if frame.empty or not known[kind]:
            continue
        items = frame[[column, "_row", "_origin"]].explode(column)
        unknown = items[items[column].notna() & ~items[column].isin(known[kind])]
        for item, row, origin in zip(unknown[column], unknown["_row"], unknown["_origin"], strict=True):
            problems.append(problem_at("error", frame, tab, column, row, origin, _REFERENCE_MESSAGES[kind], item))
    return problems


def _cross_border_indicators(indicators: Iterable[Indicator]) -> list[str]:
    """Codes of the indicators that count only cross-border activities."""
    return [
        i.code
        for i in indicators
        if i.measure.tab == "activities" and any(c.column in ("cross_border", "countries") for c in i.measure.where)
    ]


def single_country_activities(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Activities that should be cross-border but whose organisations are all in one country.

    An activity naming an organisation that is not in the partners tab (or has no country) is left to
    that problem: its countries are not known yet.
    """
    acts = tables["activities"]
    if acts.empty:
        return []
    one_country = acts[~acts["cross_border"] & (acts["countries"] > 0)]
    says = [bool(_SAYS_CROSS_BORDER.search(t.lower())) if isinstance(t, str) else False for t in one_country["title"]]
    kinds = settings.cross_border_types
    claims = one_country["type"].isin(kinds) | pd.Series(says, index=one_country.index, dtype=bool)
    suspect = one_country[claims]
    if suspect.empty:
        return []
    country = dict(zip(tables["partners"]["partner_id"], tables["partners"]["country"], strict=True))
    codes = _cross_border_indicators(settings.indicators)
    consequence = f"it does not count for {', '.join(codes)}" if codes else "it does not count as cross-border"
    problems = []
    for ids, kind, row, origin in zip(
        suspect["partner_ids"], suspect["type"], suspect["_row"], suspect["_origin"], strict=True
    ):
        if not all(country.get(p) for p in ids):
            continue
        code = country[ids[0]]
        who = "its only organisation is" if len(ids) == 1 else "all its organisations are"
        because = "" if kind in kinds else "the title says cross-border, but "
        message = f"not cross-border: {because}{who} in {country_name(code)} ({code}); {consequence}"
        problems.append(problem_at("warning", acts, "activities", "partner_ids", row, origin, message, ", ".join(ids)))
    return problems


def outside_project(dates: pd.Series, project: Project) -> pd.Series:
    """True for each date before the project's start or after its end (the rule of the sheet's checks and the
    progress report's)."""
    return (dates < pd.Timestamp(project.start)) | (dates > pd.Timestamp(project.end))


def when_outside(day: pd.Timestamp, project: Project) -> str:
    """Which side of the project a date outside it lies on, in words."""
    return "before the project started" if day < pd.Timestamp(project.start) else "after the project ended"


def dates_outside_project(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Dates before the project's start or after its end; and pilots that end before they start."""
    project = settings.project
    problems = []
    for tab in settings.contract.values():
        frame = tables[tab.name]
        if frame.empty:
            continue
        for col in (c.name for c in tab.columns if c.kind == "date"):
            outside = frame[outside_project(frame[col], project)]
            for value, row, origin in zip(outside[col], outside["_row"], outside["_origin"], strict=True):
                bound = project.start if value < pd.Timestamp(project.start) else project.end
                message = f"this date is {when_outside(value, project)} ({bound.isoformat()}); check the year"
                problems.append(problem_at("warning", frame, tab.name, col, row, origin, message, _day(value)))
    pilots = tables["pilots"]
    backwards = pilots[pilots["end"] < pilots["start"]]
    for value, begun, row, origin in zip(
        backwards["end"], backwards["start"], backwards["_row"], backwards["_origin"], strict=True
    ):
        message = f"the pilot ends before it starts on {_day(begun)}"
        problems.append(problem_at("warning", pilots, "pilots", "end", row, origin, message, _day(value)))
    return problems


def _code_hint(code: str, codes: list[str]) -> str:
    loose = {re.sub(r"[\s_.-]+", "", c).upper(): c for c in codes}
    match = loose.get(re.sub(r"[\s_.-]+", "", code).upper())
    if match:
        return f"write it as {match}, the code in indicators.yaml"
    return f"no indicator with this code in indicators.yaml (the codes are {', '.join(codes)})"


def indicator_codes(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Indicator codes not in the catalogue; entered values that the dashboard does not add up."""
    by_code = {i.code: i for i in settings.indicators}
    codes = list(by_code)
    problems = []
    for tab in ("indicator_values", "milestones"):
        frame = tables[tab]
        for code, row, origin in zip(frame["indicator"], frame["_row"], frame["_origin"], strict=True):
            if code is not None and code not in by_code:
                problems.append(
                    problem_at("error", frame, tab, "indicator", row, origin, _code_hint(code, codes), code)
                )
    values = tables["indicator_values"]
    for code, value, row, origin in zip(
        values["indicator"], values["value"], values["_row"], values["_origin"], strict=True
    ):
        indicator = by_code.get(code)
        if indicator is not None and indicator.measure.tab != "indicator_values":
            message = (
                f"{code} is counted from the {indicator.measure.tab} tab, so this value is not added to it "
                "(it is kept as a reported figure)"
            )
            problems.append(problem_at("warning", values, "indicator_values", "indicator", row, origin, message, code))
        if value < 0:
            message = "a negative value lowers the total; check that it is meant as a correction"
            problems.append(
                problem_at("warning", values, "indicator_values", "value", row, origin, message, f"{value:g}")
            )
    return problems


@dataclass(frozen=True)
class MilestoneDrop:
    """A milestone lower than the highest planned for an earlier period of the same indicator."""

    code: str
    period: int
    planned: float
    row: int
    origin: Any
    earlier_period: int
    earlier_planned: float


def milestone_drops(milestones: pd.DataFrame, last_period: int) -> list[MilestoneDrop]:
    """Milestones that go down: planned values are cumulative, so each period's is at least the highest before it.
    A period planned twice counts by its last row; periods after `last_period` are never used and left out."""
    rows = milestones.dropna(subset=["indicator", "period", "planned"])
    rows = rows[rows["period"] <= last_period].drop_duplicates(["indicator", "period"], keep="last")
    drops = []
    for code, plan in rows.sort_values("period", kind="stable").groupby("indicator", sort=False):
        highest: tuple[float, int] | None = None
        for period, value, row, origin in zip(
            plan["period"], plan["planned"], plan["_row"], plan["_origin"], strict=True
        ):
            if highest is not None and value < highest[0]:
                drops.append(
                    MilestoneDrop(str(code), int(period), float(value), int(row), origin, highest[1], highest[0])
                )
            if highest is None or value >= highest[0]:
                highest = (float(value), int(period))
    return drops


def milestone_problems(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Milestones planned twice for a period, beyond the last period, or lower than an earlier period's."""
    frame = tables["milestones"]
    rows = frame[frame["indicator"].notna() & frame["period"].notna()]
    last = len(reporting_periods(settings.project))
    problems = []
    planned: dict[str, dict[int, int]] = {}
    for code, period, value, row, origin in zip(
        rows["indicator"], rows["period"], rows["planned"], rows["_row"], rows["_origin"], strict=True
    ):
        period = int(period)
        if period > last:
            message = f"the project has {last} reporting periods, so this milestone is never used"
            problems.append(problem_at("error", frame, "milestones", "period", row, origin, message, period))
            continue
        earlier = planned.setdefault(code, {}).get(period)
        if earlier is not None:
            message = f"{code} P{period} is also planned in row {earlier}; this row is the one used"
            problems.append(problem_at("error", frame, "milestones", "period", row, origin, message, period))
        if value == value:  # not NaN
            planned[code][period] = row
    for drop in milestone_drops(frame, last):
        message = (
            f"{drop.code} plans less for P{drop.period} than the {drop.earlier_planned:g} planned for "
            f"P{drop.earlier_period}; planned values are cumulative, so they cannot go down"
        )
        problems.append(
            problem_at("error", frame, "milestones", "planned", drop.row, drop.origin, message, f"{drop.planned:g}")
        )
    return problems


def outside_programme_area(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """A partner or location whose country is not in the programme area (`project.area`): a warning at its country
    cell. It is kept and counted as written; the area is only what the project declares."""
    area = settings.project.area
    if not area:
        return []
    problems = []
    for tab in ("partners", "locations"):
        frame = tables[tab]
        outside = frame[frame["country"].notna() & ~frame["country"].isin(area)]
        for code, row, origin in zip(outside["country"], outside["_row"], outside["_origin"], strict=True):
            message = (
                f"{country_name(code)} ({code}) is outside the programme area ({', '.join(area)}, project.area in "
                "indicators.yaml); kept and counted as written"
            )
            problems.append(problem_at("warning", frame, tab, "country", row, origin, message, code))
    return problems


def cross_checks(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Every cross-tab problem found; the cleaner's own cell problems are not repeated here."""
    return [
        *unknown_references(tables),
        *single_country_activities(tables, settings),
        *outside_programme_area(tables, settings),
        *dates_outside_project(tables, settings),
        *indicator_codes(tables, settings),
        *milestone_problems(tables, settings),
        *pipeline_problems(tables, settings),
        *reported_problems(tables, settings),
    ]


def reported_codes(settings: Settings) -> dict[str, str]:
    """What a `reported` row's code may be -> the output or result number it stands for: every output's and
    result's number, and the code of an indicator that has exactly one output or result."""
    units = [*settings.report_outputs, *settings.report_results]
    codes = {u.number: u.number for u in units}
    for ind in settings.indicators:
        own = [u for u in units if u.indicator == ind.code]
        if len(own) == 1:
            codes.setdefault(ind.code, own[0].number)
    return codes


def submitted_values(tables: dict[str, pd.DataFrame], settings: Settings) -> tuple[list[Problem], set[Any]]:
    """The `reported` values Jems could not have held: the problems, and the index labels of the rows whose value
    stays out of the report.

    A row is what one report submitted as "Achieved in this reporting period" (not cumulative). Jems takes a
    negative value there as a correction of earlier reports, so a negative value is kept, with a warning; but
    the total submitted up to a period cannot go below zero, and a value beyond `IMPLAUSIBLE_TIMES_TARGET`
    times its output's or result's target (1e15, 1e308: a slip of the keyboard) cannot be right: both are
    errors at the value's cell, and the value is left out. Rows are taken period by period, down the sheet.
    """
    frame = tables["reported"]
    codes = reported_codes(settings)
    targets = {u.number: u.target for u in (*settings.report_outputs, *settings.report_results)}
    rows = [
        (int(period), row, i, codes[code], float(value), origin)
        for i, code, period, value, row, origin in zip(
            frame.index, frame["code"], frame["period"], frame["value"], frame["_row"], frame["_origin"], strict=True
        )
        if code in codes and pd.notna(period) and pd.notna(value)
    ]
    problems, left_out = [], set()
    totals: dict[str, float] = {}
    for period, row, i, number, value, origin in sorted(rows, key=lambda r: r[:2]):
        limit = IMPLAUSIBLE_TIMES_TARGET * targets[number]
        total = totals.get(number, 0.0) + value
        if not math.isfinite(value) or abs(value) > limit:
            message = (
                f"{number}'s target is {targets[number]:g}; a submitted value beyond {IMPLAUSIBLE_TIMES_TARGET} "
                f"times the target ({limit:g}) cannot be right, so it is left out of the report"
            )
        elif total < 0:
            message = (
                f"with this value the total submitted for {number} up to P{period} would be {total:g}, below zero, "
                "so it is left out of the report"
            )
        else:
            totals[number] = total
            if value < 0:
                message = (
                    f"a negative value corrects what earlier reports submitted for {number} (Jems accepts it in "
                    f"'Achieved in this reporting period'); check that it is meant: {number}'s total submitted is "
                    f"now {total:g}"
                )
                problems.append(problem_at("warning", frame, "reported", "value", row, origin, message, f"{value:g}"))
            continue
        left_out.add(i)
        problems.append(problem_at("error", frame, "reported", "value", row, origin, message, f"{value:g}"))
    return problems, left_out


def reported_problems(tables: dict[str, pd.DataFrame], settings: Settings) -> list[Problem]:
    """Submitted values for an unknown output or result, beyond the last period, twice for one period, or that
    Jems could not have held (`submitted_values`)."""
    if not settings.has_tab("reported"):
        return []
    frame = tables["reported"]
    codes = reported_codes(settings)
    last = settings.period_count
    problems, seen = [], set()
    for code, period, row, origin in zip(frame["code"], frame["period"], frame["_row"], frame["_origin"], strict=True):
        if code is not None and code not in codes:
            shared = [u.number for u in (*settings.report_outputs, *settings.report_results) if u.indicator == code]
            message = (
                f"{code} has several outputs or results ({', '.join(shared)}); report each by its number"
                if shared
                else f"no output or result with this number or code (they are {', '.join(codes)})"
            )
            problems.append(problem_at("error", frame, "reported", "code", row, origin, message, code))
        if pd.notna(period) and int(period) > last:
            message = f"there is no reporting period {int(period)}; the project has periods 1 to {last}"
            problems.append(problem_at("error", frame, "reported", "period", row, origin, message, int(period)))
        key = (codes.get(code), period)
        if code in codes and pd.notna(period) and key in seen:
            message = f"{code} is reported twice for P{int(period)}; the values are added together"
            problems.append(problem_at("warning", frame, "reported", "code", row, origin, message, code))
        seen.add(key)
    return problems + submitted_values(tables, settings)[0]


def cell_position(cell: str) -> tuple[int, int]:
    """Sort key of an A1 reference: (row, column); "5:5" -> (5, 0); "" (whole tab) -> (0, 0)."""
    match = re.fullmatch(r"([A-Z]*)([0-9]*)(?::[0-9]+)?", cell)
    if not match:
        return 0, 0
    letters, digits = match.groups()
    return int(digits or 0), column_index_from_string(letters) if letters else 0


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """In contract tab order, errors before warnings, then down and across the sheet."""
    order = {name: i for i, name in enumerate(TABS)}
    return sorted(problems, key=lambda p: (order.get(p.tab, len(order)), p.level != "error", cell_position(p.cell)))


# Open vocabularies whose name does not read as its singular with the "s" cut off.
VOCABULARY_WORDS = {"org_types": "organisation type", "activity_types": "activity type"}
SHOWN_CELLS = 5  # cells listed by name in a grouped warning; the rest are counted


def is_vocabulary_warning(problem: Problem) -> bool:
    """True for a value kept although outside an open vocabulary: the manager's to fix (or to declare)."""
    return problem.level == "warning" and bool(problem.vocabulary)


@dataclass(frozen=True)
class VocabularyGroup:
    """Every cell of one column that holds the same value outside an open vocabulary."""

    vocabulary: str  # "activity_types"
    tab: str
    column: str
    value: str  # as written
    problems: tuple[Problem, ...]  # sorted down the sheet

    @property
    def cells(self) -> list[str]:
        return [f"{p.origin}: {p.cell}" if p.origin and self.several_files else p.cell for p in self.problems]

    @property
    def several_files(self) -> bool:
        return len({p.origin for p in self.problems}) > 1

    def cell_list(self) -> str:
        """'C3, C7, C9' or 'C3, C7, C9, C12, C15 and 29 more'."""
        cells = self.cells
        shown = ", ".join(cells[:SHOWN_CELLS])
        return f"{shown} and {len(cells) - SHOWN_CELLS} more" if len(cells) > SHOWN_CELLS else shown

    def sentence(self) -> str:
        """ "34 cells hold 'online workshop', not a declared activity type; kept and counted. Add it to ..."."""
        n = len(self.problems)
        word = VOCABULARY_WORDS.get(self.vocabulary, self.vocabulary.replace("_", " ").removesuffix("s"))
        holds = f"{plural(n, 'cell')} {'holds' if n == 1 else 'hold'} {self.value!r}"
        return (
            f"{holds}, not a declared {word}; kept and counted. Add it to `vocabularies.{self.vocabulary}` "
            f"in indicators.yaml, or fix {self.cell_list()}"
        )

    def to_line(self) -> str:
        """The line `validate` prints: 'WARNING activities type: 34 cells hold ...'."""
        return f"WARNING {self.tab} {self.column}: {self.sentence()}"


def vocabulary_groups(problems: Iterable[Problem]) -> list[VocabularyGroup]:
    """The open-vocabulary warnings grouped by tab, column and value, in the order of their first cell."""
    groups: dict[tuple[str, str, str, str], list[Problem]] = {}
    for p in sorted_problems(problems):
        if is_vocabulary_warning(p):
            groups.setdefault((p.vocabulary, p.tab, p.column, p.value), []).append(p)
    return [VocabularyGroup(*key, tuple(found)) for key, found in groups.items()]


def describe_cell(cell: str) -> str:
    """Where a problem is, in words: "B7", "row 5" or "whole tab"."""
    if not cell:
        return "whole tab"
    if ":" in cell:
        return f"row {cell.split(':')[0]}"
    return cell


def sheet_tab(tab: str, source: Source) -> str:
    """A tab as the sheet names it (`source.tabs`)."""
    return source.tabs.get(tab, tab)


def in_sheet_words(problem: Problem, source: Source) -> Problem:
    """The problem as the partners' sheet names things, after `source.tabs` and `source.columns` renames: its tab
    and column as the sheet has them, the contract's column beside it only when it differs ('adopted_on
    (validated_on)'), and the contract's names of the tab's renamed columns in the message as the sheet's."""
    renamed = {contract: sheet for contract, sheet in source.columns.get(problem.tab, {}).items() if contract != sheet}
    message = problem.message
    for contract, sheet in renamed.items():
        message = re.sub(rf"(?<![\w']){re.escape(contract)}(?![\w'])", sheet, message)
    column = problem.column
    if column in renamed:
        column = f"{renamed[column]} ({column})"
    return replace(problem, tab=sheet_tab(problem.tab, source), column=column, message=message)


def problem_table(problems: Iterable[Problem], source: Source | None = None) -> pd.DataFrame:
    """One row per problem, sorted as `sorted_problems`; the Problem fields plus `where` (`describe_cell`). With the
    project's `source`, in the sheet's own words (`in_sheet_words`)."""
    ordered = sorted_problems(problems)
    shown = [in_sheet_words(p, source) for p in ordered] if source is not None else ordered
    rows = [p.to_dict() | {"where": describe_cell(p.cell)} for p in shown]
    columns = [*Problem.__dataclass_fields__, "where"]
    return pd.DataFrame(rows, columns=columns)


# Problem fields as the CSV export names them, in column order.
EXPORT_COLUMNS = {
    "level": "level",
    "tab": "tab",
    "cell": "cell",
    "column": "column",
    "message": "problem",
    "value": "value in the cell",
    "origin": "file",
    "link": "link",
}


def problems_csv(problems: Iterable[Problem], source: Source | None = None) -> bytes:
    """The problem list as CSV (UTF-8 with BOM, so Excel reads the accents); no cell runs as a formula. With the
    project's `source`, in the sheet's own words (`in_sheet_words`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS.values())
    for p in sorted_problems(problems):
        p = in_sheet_words(p, source) if source is not None else p
        writer.writerow(neutralise(str(getattr(p, field))) for field in EXPORT_COLUMNS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
