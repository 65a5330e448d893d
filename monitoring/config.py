"""indicators.yaml -> typed, validated settings.

A mistake in the YAML is reported as a `ConfigError` whose lines each name the key path and the
line number in the file, e.g. ``indicators[2].measure.agg (line 57): Input should be 'sum',
'count' or 'count_distinct'``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from monitoring.contract import TABS


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
    start: dt.date
    end: dt.date
    period_months: int = Field(6, ge=1, le=24)

    @model_validator(mode="after")
    def _end_after_start(self) -> Project:
        if self.end <= self.start:
            raise ValueError("project end must be after its start")
        return self


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

    @model_validator(mode="after")
    def _known_tabs(self) -> Source:
        for tab in list(self.tabs) + list(self.columns):
            if tab not in TABS:
                raise ValueError(f"unknown tab {tab!r}; the tabs are {', '.join(TABS)}")
        for tab, cols in self.columns.items():
            for col in cols:
                if col not in TABS[tab].column_names:
                    raise ValueError(f"tab {tab!r} has no column {col!r}")
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
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "activities": ("cross_border", "countries"),
    "pilots": ("countries",),
    "action_plans": ("stage",),
}


class Measure(_Model):
    tab: str
    agg: Literal["sum", "count", "count_distinct"]
    column: str | None = None
    where: list[Condition] = Field(default_factory=list)
    date: str

    @model_validator(mode="after")
    def _columns_exist(self) -> Measure:
        if self.tab not in TABS:
            raise ValueError(f"unknown tab {self.tab!r}; the tabs are {', '.join(TABS)}")
        known = set(TABS[self.tab].column_names) | set(DERIVED_COLUMNS.get(self.tab, ()))
        if self.agg != "count" and not self.column:
            raise ValueError(f"agg {self.agg!r} needs a column")
        for name in [self.column, self.date, *(c.column for c in self.where)]:
            if name and name not in known:
                raise ValueError(f"tab {self.tab!r} has no column {name!r}")
        tab = TABS[self.tab]
        if self.date not in tab.column_names or tab.column(self.date).kind != "date":
            raise ValueError(f"date column {self.date!r} is not a date column of {self.tab!r}")
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
    measure: Measure


class Settings(_Model):
    project: Project
    source: Source = Source()
    status: Status = Status()
    stall_days: int = Field(120, ge=1)
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _unique_codes(self) -> Settings:
        codes = [i.code for i in self.indicators]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"indicator codes appear twice: {', '.join(dupes)}")
        for ind in self.indicators:
            if ind.result and ind.result not in codes:
                raise ValueError(f"indicator {ind.code} names result {ind.result!r}, which is not in the catalogue")
        return self

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


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
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, [f"cannot read the file ({exc.strerror})"]) from None
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
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
            known = next((loc[:n] for n in range(len(loc), -1, -1) if loc[:n] in lines), ())
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{_format_loc(loc)} (line {lines.get(known, 1)}): {msg}")
        raise ConfigError(path, problems) from None
