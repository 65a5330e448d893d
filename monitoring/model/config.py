"""indicators.yaml -> typed, validated settings.

A mistake in the YAML is reported as a `ConfigError` whose lines each name the key path and the
line number in the file, e.g. ``indicators[2].measure.agg (line 57): Input should be 'sum',
'count' or 'count_distinct'``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import pycountry
import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from monitoring.formatting import name_some
from monitoring.model.catalogue import CATALOGUE_PATH, common_indicators, is_common_code, nearest_codes
from monitoring.model.contract import (
    DEFAULT_LIFECYCLES,
    DEFAULT_STALL_DAYS,
    DEFAULT_VOCABULARIES,
    TABS,
    Column,
    ColumnKind,
    Tab,
    resolve_contract,
)
from monitoring.outputs.agenda import DEFAULT_AGENDA, parse_item


class ConfigError(Exception):
    """indicators.yaml cannot be used; `problems` holds one readable line per mistake."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Project(_Model):
    name: str
    code: str = ""
    programme: str = ""
    region: str = ""  # where the project works, e.g. "the Danube Region": the Map's title
    # The programme area's countries (ISO 3166-1 alpha-2): a partner or location elsewhere is a warning at its cell,
    # and the map fits the places inside it. Empty: no area is declared, nothing is checked.
    area: tuple[str, ...] = ()
    start: dt.date
    end: dt.date
    period_months: int = Field(6, ge=1, le=24)

    @model_validator(mode="after")
    def _end_after_start(self) -> Project:
        if self.end <= self.start:
            raise ValueError("project end must be after its start")
        return self


def period_bounds(project: Project) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each reporting period: `period_months` long from the project's start, the last one
    ending with the project (and so perhaps shorter)."""
    bounds = []
    start = project.start
    while start <= project.end:
        end = min(start + relativedelta(months=project.period_months) - dt.timedelta(days=1), project.end)
        bounds.append((start, end))
        start = end + dt.timedelta(days=1)
    return bounds


class Source(_Model):
    """Where the data is read from.

    One workbook: `kind: excel|csv` with `path`, or `kind: google_sheets` with `spreadsheet` (its key
    or URL). Several, combined: `spreadsheets`, a list of Google Sheets keys/URLs and .xlsx or CSV
    paths (any mix; `kind`, `path` and `spreadsheet` are then not used). Relative paths, including
    `data_dir` (where the last good copy of every Google Sheets read is kept), are relative to
    indicators.yaml. `cache_ttl_seconds`: how long all viewers share one read of a Google Sheet (0: no
    sharing, every page view reads Google; for trying things out only).
    """

    kind: Literal["excel", "csv", "google_sheets"] = "excel"
    path: str = ""
    spreadsheet: str = ""
    spreadsheets: tuple[str, ...] = ()
    sample: bool = False
    tabs: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)
    cache_ttl_seconds: int = Field(300, ge=0)
    data_dir: str = ".data"

    @property
    def locations(self) -> tuple[str, ...]:
        """Every configured location, as written: Google Sheets keys/URLs or paths."""
        if self.spreadsheets:
            return self.spreadsheets
        return (self.spreadsheet if self.kind == "google_sheets" else self.path,)

    @model_validator(mode="after")
    def _has_a_location(self) -> Source:
        if self.kind == "google_sheets" and not (self.spreadsheet.strip() or self.spreadsheets):
            raise ValueError("kind google_sheets needs spreadsheet: the sheet's URL or key")
        if any(not entry.strip() for entry in self.spreadsheets):
            raise ValueError("spreadsheets has an empty entry")
        return self


class Status(_Model):
    on_track: float = Field(0.9, gt=0, le=1)
    at_risk: float = Field(0.7, ge=0, le=1)
    trend_days: int = Field(180, ge=7)

    @model_validator(mode="after")
    def _ordered(self) -> Status:
        if self.at_risk > self.on_track:
            raise ValueError("at_risk must not be above on_track")
        return self


class Condition(_Model):
    """One filter on a tab's rows; exactly one operator is set."""

    column: str
    equals: str | float | bool | None = None
    not_equals: str | float | bool | None = None
    in_: list[str] | None = Field(None, alias="in")
    not_in: list[str] | None = None
    not_empty: bool | None = None
    at_least: float | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        ops = [self.equals, self.not_equals, self.in_, self.not_in, self.not_empty, self.at_least]
        if sum(op is not None for op in ops) != 1:
            raise ValueError("a condition needs exactly one of equals, not_equals, in, not_in, not_empty, at_least")
        return self


# Columns the cleaner adds to a tab, usable in filters and measures like the sheet's own.
# (And `stage` on a tab whose lifecycle is made of date columns: `Settings.derived_columns`.)
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": ("cross_border", "countries"),
    "pilots": ("countries",),
}


class Measure(_Model):
    tab: str
    agg: Literal["sum", "count", "count_distinct"]
    column: str | None = None
    where: list[Condition] = Field(default_factory=list)
    date: str

    @model_validator(mode="after")
    def _column_for_agg(self) -> Measure:
        if self.agg != "count" and not self.column:
            raise ValueError(f"agg {self.agg!r} needs a column")
        return self


class Indicator(_Model):
    code: str
    name: str
    unit: str
    kind: Literal["output", "result"]
    baseline: float = 0
    target: float = Field(gt=0)
    illustrative: bool = False
    result: str | None = None
    # A result that can never be above an output (a plan is taken up only once developed): that output's code.
    never_above: str | None = None
    # Not one of the EU's common indicators (RCO/RCR) but the programme's own: not checked against the catalogue.
    programme_specific: bool = False
    measure: Measure


# When an output or result is due, as Jems' application form says: a reporting period's number (0 is the
# preparation before the start), or "after" (after project implementation). None: no delivery period is
# declared, and the plan is a straight line over the project.
DeliveryPeriod = int | Literal["after"] | None


class Output(_Model):
    """A project output of the application form: `number` "<work package>.<output>" (2.1), its title, the
    programme output indicator it feeds, its target and delivery period, and which of the indicator's records
    count for it (`where`, conditions on the indicator's tab, added to its measure's own)."""

    number: str = Field(pattern=r"^\d+\.\d+$")
    title: str
    indicator: str
    target: float = Field(gt=0)
    period: DeliveryPeriod
    where: list[Condition] = Field(default_factory=list)


class Result(_Model):
    """A project result: its number, the programme result indicator, baseline, target and delivery period
    (`after`: after project implementation); `where` as for an output."""

    number: str = Field(min_length=1)
    title: str = ""
    indicator: str
    baseline: float = 0
    target: float = Field(gt=0)
    period: DeliveryPeriod
    where: list[Condition] = Field(default_factory=list)


class Vocabulary(_Model):
    """The values an enumerated column accepts. Open: an unknown value is kept and warned about; closed: an error."""

    values: list[str] = Field(min_length=1)
    open: bool = False

    @model_validator(mode="after")
    def _distinct(self) -> Vocabulary:
        seen = Counter(v.strip().casefold() for v in self.values)  # counted once: a vocabulary may be long
        dupes = sorted(v for v, n in seen.items() if n > 1)
        if dupes:
            raise ValueError(f"values appear twice: {name_some(dupes)}")
        return self


class ColumnSpec(_Model):
    """A column of a tab the project declares itself."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: ColumnKind
    required: bool = False
    help: str = ""
    vocabulary: str = ""  # for kind enum: the name of a vocabulary

    @model_validator(mode="after")
    def _enum_has_vocabulary(self) -> ColumnSpec:
        if (self.kind == "enum") != bool(self.vocabulary):
            raise ValueError("a column of kind enum names its vocabulary, and only an enum does")
        return self


# A declared tab's columns with a role, and the kinds they may be: what names a record, its title, its evidence,
# the organisation it is attributed to and every organisation it involves.
_ROLE_KINDS = {
    "id_column": ("id",),
    "title_column": ("text", "id"),
    "evidence_column": ("url",),
    "lead_column": ("id",),
    "partners_column": ("ids",),
}


class TabSpec(_Model):
    """A tab the project declares itself: what one row is, its typed columns, and the columns with a role, used by
    records, evidence checks, Partners, to-dos and exports exactly as the contract's: `id_column` names a record,
    `title_column` its title, `evidence_column` its evidence link (default: the tab's first url column),
    `lead_column` the organisation it is attributed to, `partners_column` every organisation it involves."""

    one_row_per: str
    id_column: str | None = None
    title_column: str | None = None
    evidence_column: str | None = None
    lead_column: str | None = None
    partners_column: str | None = None
    optional: bool = False
    columns: list[ColumnSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _id_is_a_column(self) -> TabSpec:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError("a column is declared twice")
        kinds = {c.name: c.kind for c in self.columns}
        for role, allowed in _ROLE_KINDS.items():
            column = getattr(self, role)
            if column and column not in kinds:
                raise ValueError(f"{role} {column!r} is not one of the columns")
            if column and kinds[column] not in allowed:
                raise ValueError(f"{role} {column!r} is of kind {kinds[column]}, not {' or '.join(allowed)}")
        return self

    def tab(self, name: str) -> Tab:
        links = [c.name for c in self.columns if c.kind == "url"]
        return Tab(
            name,
            self.one_row_per,
            tuple(Column(c.name, c.kind, c.required, c.help, vocabulary=c.vocabulary) for c in self.columns),
            optional=self.optional,
            id_column=self.id_column,
            title_column=self.title_column,
            evidence_column=self.evidence_column or (links[0] if links else None),
            lead_column=self.lead_column,
            partners_column=self.partners_column,
        )


class Stage(_Model):
    """One stage of a lifecycle: a date column (`column`), or a value of the stage column (`name`, with the date
    column that marks it, if the sheet has one)."""

    column: str | None = None
    name: str | None = None
    date: str | None = None
    label: str = ""

    @model_validator(mode="after")
    def _column_or_name(self) -> Stage:
        if (self.column is None) == (self.name is None):
            raise ValueError("a stage has either column (its date column) or name (a value of the stage column)")
        if self.column is not None and self.date is not None:
            raise ValueError("a stage given by its date column has no other date")
        return self

    @property
    def key(self) -> str:
        """What identifies the stage: its date column, or its value in the stage column."""
        return self.column or self.name or ""

    @property
    def date_column(self) -> str | None:
        """The date column that says when the stage was reached, if the sheet has one."""
        return self.column or self.date

    @property
    def shown(self) -> str:
        """The stage in words: its label, else its key with spaces, capitalised ('Implementation')."""
        if self.label:
            return self.label
        words = self.key.replace("_", " ")
        return words[:1].upper() + words[1:]


class StageGroup(_Model):
    """Stages counted together in a page's headline: 'Completed, not validated' is the stage `completed`."""

    label: str = Field(min_length=1)
    stages: list[str] = Field(min_length=1)


class Tally(_Model):
    """A number column of the tab shown beside each row and summed in the page's headline (SpinIT: the members of
    a plan's Local Discovery Group), counted once the row reached the stage `after` (if given) by the day."""

    column: str
    label: str = Field(min_length=1)
    after: str | None = None
    help: str = ""


class LocalActivities(_Model):
    """Activities of one type held at a row's location, counted beside each row (SpinIT: workshops per plan)."""

    type: str
    label: str = Field(min_length=1)


class Lifecycle(_Model):
    """The ordered stages a row of a tab passes through (a Local Action Plan, a pilot).

    Two shapes. Without `stage_column`, every stage is a date column and a row's stage is the last stage whose
    date is filled in (on or before a day). With `stage_column`, the sheet records the stage reached (a closed
    vocabulary whose values are the stages' names) and some stages carry the date column that marks them;
    a stage's date after a day caps the row just below that stage on that day. `done`: the stage from which a
    row is finished and never stalled (default the last); `stall_days`: more days than this in one stage before
    `done` is stalled (default the deprecated top-level `stall_days`, else 120).

    `headline`: the numbers a page shows above its tabs, each a label and the stages it counts (default: one per
    stage from the first dated one on). `awaits`: the noun for reaching `done` once the stages before it ended
    (SpinIT: 'validation', as in '263 days awaiting validation' and the Validation tab; default the done stage's
    label in quotes). `title`: the page's title (default 'Action plans', 'Pilots': the tab's name); `tallies` and
    `local_activities`: what the page counts beside each row, only where declared (SpinIT: LDG members, LDG
    meetings and workshops beside each plan).
    """

    stage_column: str | None = None
    stages: list[Stage] = Field(min_length=1)
    done: str | None = None
    stall_days: int | None = Field(None, ge=1)
    headline: list[StageGroup] = Field(default_factory=list)
    awaits: str = ""
    title: str = ""
    tallies: list[Tally] = Field(default_factory=list)
    local_activities: list[LocalActivities] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Lifecycle:
        by_name = [s.name is not None for s in self.stages]
        if self.stage_column is None and any(by_name):
            raise ValueError("stages with a name need stage_column, the column that records them")
        if self.stage_column is not None and not all(by_name):
            raise ValueError("with stage_column, every stage has a name (a value of that column), not a column")
        keys = [s.key for s in self.stages]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"stages appear twice: {', '.join(dupes)}")
        return self

    @property
    def stall_limit(self) -> int:
        """More days than this in one stage before `done` is stalled (`stall_days`, else the default)."""
        return self.stall_days or DEFAULT_STALL_DAYS

    @property
    def dated(self) -> bool:
        """True when every stage is a date column (the stage is the last date filled in)."""
        return self.stage_column is None

    @property
    def names(self) -> tuple[str, ...]:
        """The stages in order: their date columns, or their values in the stage column."""
        return tuple(s.key for s in self.stages)

    @property
    def labels(self) -> dict[str, str]:
        """Stage -> its words, in order."""
        return {s.key: s.shown for s in self.stages}

    @property
    def final(self) -> str:
        """The stage from which a row is done: `done`, else the last stage."""
        return self.done or self.stages[-1].key

    def index(self, stage: str | None) -> int:
        """0-based position of a stage; -1 for None or a value that is not a stage."""
        return self.names.index(stage) if stage in self.names else -1

    def is_done(self, stage: str | None) -> bool:
        """True at the `done` stage or after it."""
        return stage is not None and self.index(stage) >= self.index(self.final) >= 0

    def date_of(self, stage: str | None) -> str | None:
        """The date column that marks a stage, if any."""
        return next((s.date_column for s in self.stages if s.key == stage), None)

    @property
    def date_columns(self) -> tuple[str, ...]:
        """Every date column of the lifecycle, in stage order."""
        return tuple(s.date_column for s in self.stages if s.date_column)

    @property
    def dated_stages(self) -> tuple[str, ...]:
        """The stages the sheet has a date for, in order (SpinIT's pilots: implementation, completed, validated)."""
        return tuple(s.key for s in self.stages if s.date_column)

    @property
    def headline_groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(label, stages) per headline number: `headline`, else one per stage from the first dated one on."""
        if self.headline:
            return tuple((g.label, tuple(g.stages)) for g in self.headline)
        first = self.index(self.dated_stages[0]) if self.dated_stages else 0
        return tuple((s.shown, (s.key,)) for s in self.stages[first:])

    @property
    def awaited(self) -> str:
        """The noun for reaching `done` ('validation'): `awaits`, else the done stage's label in quotes."""
        return self.awaits or f"'{self.labels[self.final]}'"


class Meeting(_Model):
    """The steering committee's meeting: the slides of presentation mode and of the deck (`monitoring.outputs.agenda`)."""

    agenda: list[str] = Field(default_factory=lambda: list(DEFAULT_AGENDA), min_length=1)


class DigestSettings(_Model):
    """`digest:` — the message each organisation gets with its own to-do list (`digest --partners`).

    `{name}` and `{partner_id}` in the greeting are replaced with the organisation's name and id.
    """

    # The deadline the message gives: the current reporting period's end less this many days.
    partner_deadline_days_before_period_end: int = Field(10, ge=0, le=365)
    greeting: str = Field("Dear colleagues at {name},", min_length=1)
    signature: str = Field("The project management team", min_length=1)


class Settings(_Model):
    project: Project
    source: Source = Source()
    status: Status = Status()
    # Deprecated: a stall threshold for every lifecycle; declare lifecycles.<tab>.stall_days instead.
    stall_days: int | None = Field(None, ge=1)
    # Tab -> its lifecycle; a default tab left out keeps its default (monitoring.model.contract.DEFAULT_LIFECYCLES).
    lifecycles: dict[str, Lifecycle] = Field(default_factory=dict)
    vocabularies: dict[str, Vocabulary] = Field(default_factory=dict)
    # A default tab set to false is not kept by this project; a new name declares a tab of its own.
    tabs: dict[str, Literal[False] | TabSpec] = Field(default_factory=dict)
    # Activity types that are meetings (a steering committee): drawn as dated rules on the time charts.
    meeting_types: list[str] = Field(default_factory=lambda: ["steering committee"])
    meeting: Meeting = Meeting()
    # Activity types that bring organisations of several countries together by nature: one with a single country
    # is warned about (monitoring.sheet.checks.single_country_activities).
    cross_border_types: list[str] = Field(default_factory=lambda: ["exchange", "benchmarking", "steering committee"])
    # Where the dashboard is served ("https://monitoring.example.org"): the e-mail digest links into it.
    dashboard_url: str = ""
    digest: DigestSettings = DigestSettings()
    indicators: list[Indicator]
    # The application form's project outputs and results (Jems reports per output and per result). Without
    # them, each output indicator is one output and each result indicator one result.
    outputs: list[Output] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    # What differs from the EU catalogue (a name, a unit): warnings with their key and line, set by load_settings.
    _warnings: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _unique_codes(self) -> Settings:
        codes = [i.code for i in self.indicators]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"indicator codes appear twice: {', '.join(dupes)}")
        for ind in self.indicators:
            if ind.result and ind.result not in codes:
                raise ValueError(f"indicator {ind.code} names result {ind.result!r}, which is not in the catalogue")
            if ind.never_above and ind.never_above not in codes:
                raise ValueError(
                    f"indicator {ind.code} names never_above {ind.never_above!r}, which is not in the catalogue"
                )
        return self

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Where indicators.yaml differs from the EU catalogue (names, units): shown, never fatal."""
        return self._warnings

    @property
    def period_count(self) -> int:
        """How many reporting periods the project has (the last one may be shorter)."""
        return len(period_bounds(self.project))

    @cached_property
    def report_outputs(self) -> tuple[Output, ...]:
        """The outputs Jems reports on: the declared ones by number (1.2 before 1.10), then one per output indicator
        that has none (numbered with the indicator's code, its target, no delivery period), in catalogue order."""
        declared = {o.indicator for o in self.outputs}
        implicit = [
            Output.model_construct(
                number=i.code, title=i.name, indicator=i.code, target=i.target, period=None, where=[]
            )
            for i in self.indicators
            if i.kind == "output" and i.code not in declared
        ]
        numbered = sorted(self.outputs, key=lambda o: tuple(int(n) for n in o.number.split(".")))
        return (*numbered, *implicit)

    @cached_property
    def report_results(self) -> tuple[Result, ...]:
        """The results Jems reports on: the declared ones, and one per result indicator that has none."""
        declared = {r.indicator for r in self.results}
        implicit = [
            Result.model_construct(
                number=i.code,
                title=i.name,
                indicator=i.code,
                baseline=i.baseline,
                target=i.target,
                period=None,
                where=[],
            )
            for i in self.indicators
            if i.kind == "result" and i.code not in declared
        ]
        order = [i.code for i in self.indicators]
        return tuple(sorted([*self.results, *implicit], key=lambda r: order.index(r.indicator)))

    def deliveries(self, code: str) -> list[Output | Result]:
        """The outputs or results (declared or implicit) that feed indicator `code`."""
        return [u for u in (*self.report_outputs, *self.report_results) if u.indicator == code]

    @cached_property
    def vocabulary_values(self) -> dict[str, tuple[tuple[str, ...], bool]]:
        """Every vocabulary: name -> (values, open); the declared ones, else the defaults. The vocabulary of a
        lifecycle's stage column is that lifecycle's stages, closed (`stage_vocabularies`)."""
        declared = {name: (tuple(v.values), v.open) for name, v in self.vocabularies.items()}
        stages = {name: (self.lifecycle(tab).names, False) for name, tab in self.stage_vocabularies.items()}
        return DEFAULT_VOCABULARIES | declared | stages

    @cached_property
    def all_lifecycles(self) -> dict[str, Lifecycle]:
        """Tab -> its lifecycle: the declared ones, else the defaults (also for a default tab the project does not
        keep, whose table is empty), with `done` and `stall_days` filled in."""
        defaults = {tab: Lifecycle.model_validate(spec) for tab, spec in DEFAULT_LIFECYCLES.items()}
        fallback = self.stall_days or DEFAULT_STALL_DAYS
        return {
            tab: lifecycle.model_copy(update={"done": lifecycle.final, "stall_days": lifecycle.stall_days or fallback})
            for tab, lifecycle in (defaults | self.lifecycles).items()
        }

    def lifecycle(self, tab: str) -> Lifecycle:
        """The stages of one tab's rows (action_plans, pilots, or a tab of the project's own that declares them)."""
        return self.all_lifecycles[tab]

    @cached_property
    def stage_vocabularies(self) -> dict[str, str]:
        """Vocabulary name -> the tab whose lifecycle's stage column takes its values from the stages."""
        found = {}
        for tab, lifecycle in self.all_lifecycles.items():
            if lifecycle.stage_column and (name := self._vocabulary_of(tab, lifecycle.stage_column)):
                found[name] = tab
        return found

    def _vocabulary_of(self, tab: str, column: str) -> str | None:
        """The vocabulary of an enumerated column, read before the contract is resolved (it needs the vocabularies)."""
        spec = self.tabs.get(tab)
        if isinstance(spec, TabSpec):
            return next((c.vocabulary for c in spec.columns if c.name == column and c.vocabulary), None)
        if tab in TABS and column in TABS[tab].column_names:
            return TABS[tab].column(column).vocabulary or None
        return None

    def derived_columns(self, tab: str) -> tuple[str, ...]:
        """Columns the cleaner adds to a tab: DERIVED_COLUMNS, and `stage` where a lifecycle of date columns is."""
        dated = tab in self.all_lifecycles and self.all_lifecycles[tab].dated
        return DERIVED_COLUMNS.get(tab, ()) + (("stage",) if dated else ())

    @cached_property
    def contract(self) -> dict[str, Tab]:
        """The tabs and columns this project's workbook holds (see monitoring.model.contract.resolve_contract)."""
        left_out = frozenset(name for name, spec in self.tabs.items() if spec is False)
        extra = {name: spec.tab(name) for name, spec in self.tabs.items() if spec is not False}
        return resolve_contract(self.vocabulary_values, extra, left_out)

    def vocabulary(self, name: str) -> tuple[str, ...]:
        """The values of one vocabulary (activity types, clusters...), in their declared order."""
        return self.vocabulary_values[name][0]

    @property
    def keeps_hubs(self) -> bool:
        """True when the project declares hub levels (`vocabularies.hubs`): only then do the pages speak of hubs
        (the Map's 'Hub' colouring, the Cooperation page's Hubs tab and hub links)."""
        return "hubs" in self.vocabularies

    def has_tab(self, name: str) -> bool:
        """True when the project keeps this tab (a project without pilots has no pilots tab)."""
        return name in self.contract

    def measured_on(self, tab: str) -> list[Indicator]:
        """The indicators measured on a tab, in catalogue order."""
        return [i for i in self.indicators if i.measure.tab == tab]


Loc = tuple[str | int, ...]


def _enum_values_checked(ind: Indicator, i: int, tab: Tab) -> list[tuple[Loc, str]]:
    """A filter value on an enumerated column must be one of its vocabulary's values (else it matches nothing)."""
    problems: list[tuple[Loc, str]] = []
    for j, cond in enumerate(ind.measure.where):
        column = next((c for c in tab.columns if c.name == cond.column), None)
        if column is None or column.kind != "enum":
            continue
        known = {v.casefold() for v in column.choices}  # a set: a vocabulary may have thousands of values
        for op, given in (
            ("equals", cond.equals),
            ("not_equals", cond.not_equals),
            ("in", cond.in_),
            ("not_in", cond.not_in),
        ):
            for k, value in enumerate(given if isinstance(given, list) else [given] if given is not None else []):
                if str(value).casefold() not in known:
                    where: Loc = (
                        "indicators",
                        i,
                        "measure",
                        "where",
                        j,
                        op,
                        *((k,) if isinstance(given, list) else ()),
                    )
                    problems.append(
                        (
                            where,
                            f"{value!r} is not one of the {column.vocabulary.replace('_', ' ')}: "
                            f"{name_some(column.choices)} (declare it under vocabularies.{column.vocabulary})",
                        )
                    )
    return problems


def _lifecycle_checked(tab: Tab, lifecycle: Lifecycle) -> list[tuple[Loc, str]]:
    """A declared lifecycle's columns exist in its tab and have the right kind."""
    problems: list[tuple[Loc, str]] = []
    at: Loc = ("lifecycles", tab.name)

    def check(where: Loc, column: str, kind: str) -> None:
        if column not in tab.column_names:
            problems.append(((*at, *where), f"tab {tab.name!r} has no column {column!r}"))
        elif tab.column(column).kind != kind:
            what = "a date column" if kind == "date" else "an enumerated column (kind enum)"
            problems.append(((*at, *where), f"{column!r} of {tab.name!r} is not {what}"))

    if lifecycle.stage_column:
        check(("stage_column",), lifecycle.stage_column, "enum")
    elif "stage" in tab.column_names:
        problems.append((at, f"tab {tab.name!r} has a column 'stage'; a lifecycle of date columns derives it"))
    if lifecycle.done is not None and lifecycle.done not in lifecycle.names:
        problems.append(((*at, "done"), f"{lifecycle.done!r} is not one of the stages: {', '.join(lifecycle.names)}"))
    for k, stage in enumerate(lifecycle.stages):
        if stage.date_column:
            check(("stages", k, "column" if stage.column else "date"), stage.date_column, "date")
    for k, tally in enumerate(lifecycle.tallies):
        if tally.column not in tab.column_names:
            problems.append(((*at, "tallies", k, "column"), f"tab {tab.name!r} has no column {tally.column!r}"))
        elif tab.column(tally.column).kind not in ("int", "number"):
            problems.append(((*at, "tallies", k, "column"), f"{tally.column!r} of {tab.name!r} is not a number column"))
        if tally.after is not None and tally.after not in lifecycle.names:
            problems.append(
                (
                    (*at, "tallies", k, "after"),
                    f"{tally.after!r} is not one of the stages: {', '.join(lifecycle.names)}",
                )
            )
    for g, group in enumerate(lifecycle.headline):
        for k, name in enumerate(group.stages):
            if name not in lifecycle.names:
                problems.append(
                    (
                        ("lifecycles", tab.name, "headline", g, "stages", k),
                        f"{name!r} is not one of the stages: {', '.join(lifecycle.names)}",
                    )
                )
    return problems


def _lifecycles_checked(settings: Settings) -> list[tuple[Loc, str]]:
    """Declared lifecycles are for kept tabs, with their columns; a stage vocabulary is not declared twice."""
    problems: list[tuple[Loc, str]] = []
    contract = settings.contract
    for name, lifecycle in settings.lifecycles.items():
        if name not in contract:
            why = " (tabs: says this project does not keep it)" if settings.tabs.get(name) is False else ""
            problems.append((("lifecycles", name), f"unknown tab {name!r}{why}; the tabs are {', '.join(contract)}"))
        else:
            problems += _lifecycle_checked(contract[name], lifecycle)
    for vocabulary, tab in settings.stage_vocabularies.items():
        declared = settings.vocabularies.get(vocabulary)
        stages = settings.lifecycle(tab).names
        same = (
            declared and not declared.open and [v.casefold() for v in declared.values] == [s.casefold() for s in stages]
        )
        if declared and not same and tab in contract:
            problems.append(
                (
                    ("vocabularies", vocabulary),
                    f"the {vocabulary.replace('_', ' ')} are the stages of lifecycles.{tab} ({', '.join(stages)}); "
                    f"declare them there and leave {vocabulary} out of vocabularies",
                )
            )
    return problems


def cross_checks(settings: Settings) -> list[tuple[Loc, str]]:
    """What needs the whole file to check: tabs, columns and vocabularies named by measures and source renames."""
    problems: list[tuple[Loc, str]] = []
    for name, spec in settings.tabs.items():
        if spec is False and name not in TABS:
            problems.append(
                (("tabs", name), f"{name!r} is not a default tab ({', '.join(TABS)}); nothing to leave out")
            )
        elif spec is not False and name in TABS:
            problems.append((("tabs", name), f"{name!r} is a default tab; declare a tab of your own under a new name"))
        elif spec is not False:
            for k, column in enumerate(spec.columns):
                if column.vocabulary and column.vocabulary not in settings.vocabulary_values:
                    problems.append(
                        (("tabs", name, "columns", k, "vocabulary"), f"no vocabulary {column.vocabulary!r} is declared")
                    )
    if problems:
        return problems
    contract = settings.contract
    tab_list = ", ".join(contract)
    for key in ("tabs", "columns"):
        for tab in getattr(settings.source, key):
            if tab not in contract:
                problems.append((("source", key, tab), f"unknown tab {tab!r}; the tabs are {tab_list}"))
    for tab, cols in settings.source.columns.items():
        for col in cols if tab in contract else ():
            if col not in contract[tab].column_names:
                problems.append((("source", "columns", tab, col), f"tab {tab!r} has no column {col!r}"))
    problems += _lifecycles_checked(settings)
    for i, ind in enumerate(settings.indicators):
        m = ind.measure
        if m.tab not in contract:
            why = " (tabs: says this project does not keep it)" if settings.tabs.get(m.tab) is False else ""
            problems.append(
                (("indicators", i, "measure", "tab"), f"unknown tab {m.tab!r}{why}; the tabs are {tab_list}")
            )
            continue
        tab = contract[m.tab]
        known = set(tab.column_names) | set(settings.derived_columns(m.tab))
        named: list[tuple[Loc, str | None]] = [(("column",), m.column), (("date",), m.date)]
        named += [(("where", j, "column"), c.column) for j, c in enumerate(m.where)]
        for where, column in named:
            if column and column not in known:
                problems.append((("indicators", i, "measure", *where), f"tab {m.tab!r} has no column {column!r}"))
        if m.date in tab.column_names and tab.column(m.date).kind != "date":
            problems.append((("indicators", i, "measure", "date"), f"{m.date!r} is not a date column of {m.tab!r}"))
        problems += _enum_values_checked(ind, i, tab)
    activity_types = settings.vocabulary("activity_types")
    known_types = {t.casefold() for t in activity_types}
    # The default names SpinIT's type; a project with other activity types simply has no meetings until it says so.
    for i, code in enumerate(settings.project.area):
        if code != "XK" and (len(code) != 2 or pycountry.countries.get(alpha_2=code) is None):
            problems.append(
                (("project", "area", i), f"{code!r} is not an ISO 3166-1 alpha-2 country code (AT, RS, LI...)")
            )
    for key in ("meeting_types", "cross_border_types"):
        declared = getattr(settings, key) if key in settings.model_fields_set else []
        for i, kind in enumerate(declared):
            if kind.casefold() not in known_types:
                problems.append(
                    (
                        (key, i),
                        f"{kind!r} is not one of the activity types: {', '.join(activity_types)} "
                        "(declare it under vocabularies.activity_types)",
                    )
                )
    for tab, lifecycle in settings.lifecycles.items():
        for k, local in enumerate(lifecycle.local_activities):
            if local.type.casefold() not in known_types:
                problems.append(
                    (
                        ("lifecycles", tab, "local_activities", k, "type"),
                        f"{local.type!r} is not one of the activity types: {', '.join(activity_types)}",
                    )
                )
    problems += _catalogue_checked(settings)
    problems += _outputs_and_results_checked(settings)
    problems += _agenda_checked(settings)
    return problems


def _agenda_checked(settings: Settings) -> list[tuple[Loc, str]]:
    """Every slide of `meeting.agenda` is a slide, its indicator in the catalogue, its period one of the project's.
    A page the project does not have (no pilots tab) is skipped on screen, as in the default agenda."""
    problems: list[tuple[Loc, str]] = []
    codes = [i.code for i in settings.indicators]
    for k, word in enumerate(settings.meeting.agenda):
        at: Loc = ("meeting", "agenda", k)
        try:
            item = parse_item(word)
        except ValueError as exc:
            problems.append((at, str(exc)))
            continue
        if item.indicator and item.indicator not in codes:
            problems.append((at, f"{word!r}: no indicator {item.indicator!r}; the indicators are {', '.join(codes)}"))
        if item.period is not None and not 1 <= item.period <= settings.period_count:
            problems.append((at, f"{word!r}: the reporting periods are P1 to P{settings.period_count}"))
    return problems


def _catalogue_checked(settings: Settings) -> list[tuple[Loc, str]]:
    """Every indicator code is in the EU catalogue (data/catalogue/eu-common-indicators.csv), unless the indicator
    says it is the programme's own (`programme_specific: true`); a catalogue code's kind matches its prefix."""
    problems: list[tuple[Loc, str]] = []
    catalogue = common_indicators()
    for i, ind in enumerate(settings.indicators):
        if ind.programme_specific:
            continue
        if ind.code not in catalogue:
            if is_common_code(ind.code):
                why = f"the nearest codes are {', '.join(nearest_codes(ind.code))}"
            else:
                why = "a programme-specific indicator says so with programme_specific: true"
            problems.append(
                (
                    ("indicators", i, "code"),
                    f"{ind.code!r} is not in the EU catalogue of common indicators ({CATALOGUE_PATH.name}); {why}",
                )
            )
        elif catalogue[ind.code].kind != ind.kind:
            problems.append(
                (("indicators", i, "kind"), f"{ind.code} is a {catalogue[ind.code].kind} indicator in the EU catalogue")
            )
    return problems


def catalogue_differences(settings: Settings) -> list[tuple[Loc, str]]:
    """Where an indicator's name or unit differs from the EU catalogue's: warnings (a programme may adapt them)."""
    found: list[tuple[Loc, str]] = []
    catalogue = common_indicators()
    for i, ind in enumerate(settings.indicators):
        entry = catalogue.get(ind.code)
        if entry is None or ind.programme_specific:
            continue
        for key, ours, theirs in (("name", ind.name, entry.name), ("unit", ind.unit, entry.unit)):
            if " ".join(ours.split()).casefold() != theirs.casefold():
                found.append(
                    (("indicators", i, key), f"{ind.code}'s {key} {ours!r} differs from the EU catalogue's {theirs!r}")
                )
    return found


def _outputs_and_results_checked(settings: Settings) -> list[tuple[Loc, str]]:
    """Outputs and results name an indicator of the right kind, have unique numbers, a delivery period the project
    has, and filters on columns of the indicator's tab."""
    problems: list[tuple[Loc, str]] = []
    codes = {i.code: i for i in settings.indicators}
    last = settings.period_count
    for key, kind, units in (("outputs", "output", settings.outputs), ("results", "result", settings.results)):
        numbers = [u.number for u in units]
        for k, unit in enumerate(units):
            if numbers.count(unit.number) > 1 and numbers.index(unit.number) < k:
                problems.append(((key, k, "number"), f"{unit.number!r} is the number of another {kind} too"))
            ind = codes.get(unit.indicator)
            if ind is None or ind.kind != kind:
                known = ", ".join(c for c, i in codes.items() if i.kind == kind)
                problems.append(
                    ((key, k, "indicator"), f"{unit.indicator!r} is not one of the {kind} indicators: {known}")
                )
                continue
            allowed = "a reporting period 0 (preparation) to {last}" + (", or after" if kind == "result" else "")
            if (unit.period == "after" and kind == "output") or (
                isinstance(unit.period, int) and not 0 <= unit.period <= last
            ):
                problems.append(((key, k, "period"), f"{unit.period!r} is not {allowed.format(last=last)}"))
            tab = settings.contract.get(ind.measure.tab)
            if tab is None:
                continue
            known_columns = set(tab.column_names) | set(settings.derived_columns(ind.measure.tab))
            for j, cond in enumerate(unit.where):
                if cond.column not in known_columns:
                    problems.append(
                        ((key, k, "where", j, "column"), f"tab {ind.measure.tab!r} has no column {cond.column!r}")
                    )
    return problems


def _line_index(node: yaml.Node, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Map every key path of a composed YAML node to its 1-based line number."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            lines[sub] = key.start_mark.line + 1
            lines.update({k: v for k, v in _line_index(value, sub).items() if k != sub})
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*path, i)))
    return lines


def _format_loc(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases (`&name`, `*name`): indicators.yaml does not need them,
    and they allow a recursive value (a RecursionError) or a billion-laughs expansion (GBs of memory)."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            what = "an alias (*name)" if isinstance(event, yaml.AliasEvent) else "an anchor (&name)"
            raise _AliasRefused(f"line {event.start_mark.line + 1}: {what} is not allowed: write the value out in full")
        return super().compose_node(parent, index)


class _AliasRefused(Exception):
    pass


def _parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The composed node (for line numbers) and the data, from one parse without anchors or aliases."""
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_settings(path: str | Path = "indicators.yaml") -> Settings:
    """Read and validate indicators.yaml; raise ConfigError naming each mistake's key and line."""
    path = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(path, [f"cannot read the file ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex().upper()
        raise ConfigError(
            path, [f"line {line}: the file is not UTF-8 text (byte 0x{byte}); save it with the encoding UTF-8"]
        ) from None
    try:
        node, data = _parse_yaml(text)
    except _AliasRefused as exc:
        raise ConfigError(path, [str(exc)]) from None
    except RecursionError:
        raise ConfigError(path, ["the YAML is nested too deeply to read"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ConfigError(path, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    if not isinstance(data, dict) or node is None:
        raise ConfigError(path, ["expected a mapping with project, source, status and indicators"])
    lines = _line_index(node)

    def line_of(loc: Loc) -> int:
        known = next((loc[:n] for n in range(len(loc), -1, -1) if loc[:n] in lines), ())
        return lines.get(known, 1)

    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
            loc = tuple(p for p in loc if p not in ("literal[False]", "TabSpec"))  # the union's branch names
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{_format_loc(loc)} (line {line_of(loc)}): {msg}")
        raise ConfigError(path, list(dict.fromkeys(problems))) from None
    found = cross_checks(settings)
    if found:
        raise ConfigError(path, [f"{_format_loc(loc)} (line {line_of(loc)}): {msg}" for loc, msg in found])
    settings._warnings = tuple(
        f"{_format_loc(loc)} (line {line_of(loc)}): {msg}" for loc, msg in catalogue_differences(settings)
    )
    return settings
