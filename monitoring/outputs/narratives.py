"""The text Jems asks for beside the numbers: per output "Progress in this period", per result "Describe progress
achieved" — drafted from the period's records, and replaced by what a preparer wrote when there is such a text.

A draft states facts from the sheet only: the value of the current report, the records dated in the period (and
the late records that go into this report, see `monitoring.outputs.jems`), where they took place and with which
organisations. It never invents prose; the preparer adds the story in the Progress report page's Narratives tab.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.measure import Period
from monitoring.formatting import number, plural
from monitoring.model.config import Output, Result
from monitoring.outputs.jems import Submissions, late_contributions, output_number, unit_numbers
from monitoring.sheet.parse import country_name

if TYPE_CHECKING:  # the store (and SQLAlchemy, about 1 s to import) is loaded only where texts are read or saved
    from data_sources.narrative_store import SavedText
    from monitoring.outputs.report import Report

# Jems' labels of the two text fields (Application_en.properties of InterregCE/Jems_V10.0.1_build, the project
# report's work plan tab line 1806, key ...tab.work.plan.output.progress; its project results tab, 1808-1821).
OUTPUT_LABEL = "Progress in this period"
RESULT_LABEL = "Describe progress achieved"
# The column the exports add beside the text: "draft", or who edited it and when.
STATE_HEADING = "Narrative"
# Jems takes at most 2000 characters in either field (jems-ui, project-report-work-plan-tab.constants.ts
# OUTPUT_PROGRESS and project-report-results-and-principles-tab.component.ts, `Validators.maxLength(2000)`).
MAX_CHARS = 2000
# How many records and organisations a draft names (the rest are counted: "and 5 more"), fewer until it fits.
LIST_LIMITS = ((12, 20), (8, 12), (5, 8), (3, 5), (1, 2))

Kind = Literal["output", "result"]


@dataclass(frozen=True)
class Narrative:
    """The text of one output or result in one period's report: the draft from the records and, when a preparer
    saved one, their text with who saved it and when."""

    kind: Kind
    number: str  # the output's number ("1.1") or the result's ("1")
    title: str
    indicator: str
    draft: str
    text: str = ""  # what a preparer wrote; "" while the draft stands
    author: str = ""
    saved_at: dt.datetime | None = None

    @property
    def key(self) -> str:
        """What the text is stored under, with the project and period: "output 1.1", "result 1"."""
        return f"{self.kind} {self.number}"

    @property
    def label(self) -> str:
        """Jems' label of the field the text goes into."""
        return OUTPUT_LABEL if self.kind == "output" else RESULT_LABEL

    @property
    def heading(self) -> str:
        """As Jems names it: "O 1.1 · title", "Result 1 · title"; an output or result indicators.yaml does not declare
        by its indicator's code."""
        implicit = self.number == self.indicator
        name = output_number(self.number, implicit=implicit) if self.kind == "output" else self.number
        name = name if implicit or self.kind == "output" else f"Result {self.number}"
        return f"{name} · {self.title}" if self.title else name

    @property
    def edited(self) -> bool:
        return bool(self.text.strip())

    @property
    def current(self) -> str:
        """The text that goes into Jems and the files: the preparer's, else the draft."""
        return self.text.strip() if self.edited else self.draft

    @property
    def state(self) -> str:
        """ "edited by pm@example.org, 04 Dec 2026 15:20 UTC" or "draft"."""
        if not self.edited:
            return "draft"
        when = f", {self.saved_at.astimezone(dt.UTC):%d %b %Y %H:%M} UTC" if self.saved_at else ""
        return f"edited by {self.author or 'unknown'}{when}"


def _day(value: pd.Timestamp) -> str:
    return f"{value.day} {value:%b %Y}"


def _records(rows: pd.DataFrame) -> list[str]:
    """Each sheet record once, in date order: 'A053 “Benchmarking …” (15 Jan 2025)'."""
    once = rows.sort_values("date", kind="stable").drop_duplicates(["tab", "_row"])
    named = []
    for record, title, date in zip(once["record"], once["title"], once["date"], strict=True):
        name = f"{record} “{title}”" if isinstance(title, str) and title.strip() else str(record)
        named.append(f"{name} ({_day(date)})")
    return named


def _listed(items: list[str], limit: int) -> str:
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _distinct(values: Iterable[object]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if isinstance(value, tuple | list):
            seen.update((str(v), None) for v in value if v)
        elif isinstance(value, str) and value:
            seen[value] = None
    return list(seen)


def _places(data: Dataset, rows: pd.DataFrame) -> list[str]:
    """'Brno (Czechia)' per location of the rows, else the country alone, in order of first appearance."""
    locations = data.tables["locations"].drop_duplicates("location_id").set_index("location_id")["name"]
    places: dict[str, None] = {}
    for location, country in zip(rows["location_id"], rows["country"], strict=True):
        name = locations.get(location) if isinstance(location, str) else None
        land = country_name(country) if isinstance(country, str) and country else ""
        place = f"{name} ({land})" if name and land else (name or land)
        if place:
            places[place] = None
    return list(places)


def _organisations(data: Dataset, rows: pd.DataFrame) -> list[str]:
    """The organisations of the rows (every one named in a record, its lead too), by name from the partners tab."""
    partners = data.tables["partners"].drop_duplicates("partner_id").set_index("partner_id")["name"]
    ids = _distinct(v for pair in zip(rows["partner_ids"], rows["partner_id"], strict=True) for v in pair)
    return [str(partners.get(i)) if isinstance(partners.get(i), str) and partners.get(i) else i for i in ids]


def draft_text(data: Dataset, unit: Output | Result, period: Period, submitted: Submissions) -> str:
    """The facts of one output's (result's) report of `period`, from the sheet's records: the value of the current
    report, the records behind it (dated in the period; late ones named apart), where and with whom; at most
    MAX_CHARS long (fewer records and organisations named, the rest counted)."""
    for records, organisations in LIST_LIMITS:
        text = _draft(data, unit, period, submitted, records, organisations)
        if len(text) <= MAX_CHARS:
            return text
    return text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _draft(
    data: Dataset, unit: Output | Result, period: Period, submitted: Submissions, max_records: int, max_orgs: int
) -> str:
    indicator = data.settings.indicator(unit.indicator)
    contribs = data.unit_contributions[unit.number]
    numbers = unit_numbers(data, unit.number, period, submitted)
    dates = contribs["date"]
    dated = contribs[(dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))]
    late = late_contributions(contribs, unit.number, period, submitted)
    sentences = [
        f"{number(numbers.current_report)} {indicator.unit} achieved in this reporting period ({period.label}, "
        f"{_day(pd.Timestamp(period.start))} – {_day(pd.Timestamp(period.end))}); cumulative value "
        f"{number(numbers.total_reported)} of a target of {number(unit.target)}."
    ]
    in_period = _records(dated)
    if in_period:
        sentences.append(
            f"{number(numbers.dated_in_period)} from {plural(len(in_period), 'record')} dated in the period: "
            f"{_listed(in_period, max_records)}."
        )
    else:
        sentences.append(f"No record dated in {period.label} counts for it.")
    earlier = _records(late)
    if earlier:
        sentences.append(
            f"Also in this report, {plural(len(earlier), 'late record')} dated in an earlier period and entered after its "
            f"report: {_listed(earlier, max_records)}."
        )
    rows = pd.concat([dated, late]) if len(late) else dated
    places = _places(data, rows)
    if places:
        sentences.append(f"Where: {', '.join(places)}.")
    organisations = _organisations(data, rows)
    if organisations:
        sentences.append(f"With: {_listed(organisations, max_orgs)}.")
    measure = indicator.measure
    if measure.agg == "count_distinct" and measure.column in ("partner_ids", "partner_id") and len(rows):
        counted = _organisations(data, rows.assign(partner_ids=None))
        sentences.append(f"Counted for the first time: {_listed(counted, max_orgs)}.")
    return " ".join(sentences)


def draft_narratives(data: Dataset, period: Period, submitted: Submissions) -> tuple[Narrative, ...]:
    """A draft per output, then per result, in the order of the report's tables."""
    return tuple(
        Narrative(kind, unit.number, unit.title, unit.indicator, draft_text(data, unit, period, submitted))
        for kind, units in (("output", data.settings.report_outputs), ("result", data.settings.report_results))
        for unit in units
    )


def with_texts(narratives: Iterable[Narrative], saved: Mapping[str, SavedText]) -> tuple[Narrative, ...]:
    """The narratives with what preparers saved (by `Narrative.key`); a blank saved text gives the draft back."""
    out = []
    for n in narratives:
        text = saved.get(n.key)
        out.append(replace(n, text=text.text, author=text.author, saved_at=text.saved_at) if text else n)
    return tuple(out)


def narrative_columns(units: pd.DataFrame, narratives: Iterable[Narrative], kind: Kind) -> pd.DataFrame:
    """`units` (an outputs or results table, by `number`) with Jems' text field ("Progress in this period" or
    "Describe progress achieved": the preparer's text, else the draft) and STATE_HEADING ("edited by …" or
    "draft")."""
    by_number = {n.number: n for n in narratives if n.kind == kind}
    found = [by_number.get(str(n)) for n in units["number"]]
    label = OUTPUT_LABEL if kind == "output" else RESULT_LABEL
    return units.assign(
        **{label: [n.current if n else "" for n in found], STATE_HEADING: [n.state if n else "" for n in found]}
    )


def project_key(report: Report) -> str:
    """What a project's texts are kept under in the narrative store: its code, else its name."""
    return report.project_code or report.project_name


def with_saved(report: Report, saved: Mapping[str, SavedText]) -> Report:
    """The report with the texts saved for its period (`NarrativeStore.current`) in place of the drafts."""
    return replace(report, narratives=with_texts(report.narratives, saved))
