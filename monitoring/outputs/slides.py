"""What each slide of the steering committee's agenda says: its title, its key numbers and one bar chart.

The two slides made for the meeting (the Progress report, what changed since the last meeting) are drawn on screen
from these; the deck for the minutes (`python -m monitoring slides`, `monitoring.outputs.deck`) is drawn from these for every
slide. Each number comes from the same `monitoring.views` function as the page's, with the page's filters at their
defaults, so the deck says what the screen said.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from monitoring.dataset import Dataset
from monitoring.engine.cooperation import ActivityFilter
from monitoring.engine.progress import IndicatorProgress
from monitoring.formatting import number
from monitoring.outputs.agenda import AgendaItem
from monitoring.outputs.meetings import meetings
from monitoring.outputs.report import BEHIND_OR_AT_RISK, BELOW_MILESTONE, Report, build_report, latest_ended_period
from monitoring.views import action_plans, changes, pilots, reporting
from monitoring.views import cooperation as cooperation_view
from monitoring.views import map as map_view
from monitoring.views import overview as overview_view

PAGE_TITLES = {
    "overview": "Progress on the indicators",
    "attention": "Needs attention",
    "changes": "What changed",
    "map": "Where the work happens",
    "cooperation": "Who works with whom",
    "partners": "Partners",
    "action-plans": "Local Action Plans",
    "pilots": "Pilots",
}
MOST_BARS = 12  # a chart on a projector: a dozen bars at most


@dataclass(frozen=True)
class Bar:
    label: str  # short: an indicator code, a stage, a country
    value: float  # the bar's length
    text: str  # written at the end of the bar ("9 / 10", "+3")
    status: str = ""  # a progress status when the bar is an indicator (its colour), else ""


@dataclass(frozen=True)
class Slide:
    word: str  # the agenda word ("report:P3")
    title: str
    subtitle: str  # what is shown: the date, the period, the dates compared
    numbers: list[tuple[str, str]]  # (label, value as shown), in the page's order
    chart_title: str = ""
    bars: list[Bar] = field(default_factory=list)
    percent: bool = False  # the bars are % of target (a 100 % line is drawn)
    lines: list[str] = field(default_factory=list)  # plain text, a few lines
    table: list[list[str]] = field(default_factory=list)  # a table instead of the chart: its header row, then rows


def is_number(text: str) -> bool:
    """True for a number as `monitoring.formatting.number` writes it ("1,250", "12.5") or its dash for none."""
    return text == "–" or text.replace(",", "").replace(".", "", 1).isdigit()


def last_meeting(data: Dataset, as_of: dt.date) -> tuple[str, dt.date] | None:
    """(what, date) of the last meeting (`meeting_types`) before `as_of`, or None when none was held."""
    held = meetings(data, data.settings.project.start, as_of - dt.timedelta(days=1))
    return (held[-1].kind, held[-1].date) if held else None


def since_date(data: Dataset, as_of: dt.date) -> dt.date:
    """The first date of the "since the last meeting" slide: that meeting, else the start of the project."""
    found = last_meeting(data, as_of)
    return found[1] if found else data.settings.project.start


def report_period_number(data: Dataset, item: AgendaItem, as_of: dt.date) -> int:
    """The period of a report slide: the one named (report:P3), else the last ended by `as_of`."""
    return item.period or latest_ended_period(data, as_of).number


def _indicator_bars(progress: list[IndicatorProgress]) -> list[Bar]:
    return [
        Bar(p.code, p.percent_of_target, f"{number(p.achieved)} / {number(p.target)}", p.status)
        for p in progress[:MOST_BARS]
    ]


def overview_slide(data: Dataset, progress: list[IndicatorProgress], as_of: dt.date, word: str) -> Slide:
    shown = overview_view.overview(data, progress, as_of)
    return Slide(
        word,
        f"{data.settings.project.name} · progress on the indicators",
        f"As of {as_of:%d %b %Y}",
        [(label, number(n)) for label, n in shown.counts.items()],
        "Achieved, % of target",
        _indicator_bars([p for _, rows in shown.groups for p in rows]),
        percent=True,
    )


def attention_slide(progress: list[IndicatorProgress], as_of: dt.date, word: str) -> Slide:
    lines = overview_view.attention_lines(progress)
    behind = [p for p in progress if p.code in {a.code for a in lines}]
    return Slide(
        word,
        "Needs attention",
        f"As of {as_of:%d %b %Y}",
        [("Indicators behind or at risk", str(len(lines)))],
        "Achieved, % of target",
        _indicator_bars(behind),
        percent=True,
        lines=[f"{a.status}: {a.code} {a.name}: {a.numbers}" for a in lines] or ["Every indicator is on track."],
    )


def indicator_slide(progress: list[IndicatorProgress], code: str, as_of: dt.date, word: str) -> Slide:
    p = next((q for q in progress if q.code == code), None)
    if p is None:
        return Slide(word, code, f"As of {as_of:%d %b %Y}", [], lines=[f"No indicator {code}."])
    return Slide(
        word,
        f"{p.code} · {p.name}",
        f"As of {as_of:%d %b %Y} · {p.status}",
        [
            ("Achieved", number(p.achieved)),
            ("Target", number(p.target)),
            ("Expected by now", number(p.expected)),
            ("% of target", f"{p.percent_of_target:.0f} %"),
            ("Forecast at end", number(p.forecast)),
        ],
        f"In {p.unit}",
        [
            Bar("Achieved", p.achieved, number(p.achieved), p.status),
            Bar("Expected by now", p.expected, number(p.expected)),
            Bar("Forecast at end", p.forecast, number(p.forecast)),
            Bar("Target", p.target, number(p.target)),
        ],
    )


def since_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    """What changed from the last meeting (`meeting_types`) before `as_of` to `as_of`: the What changed page's four
    numbers and each indicator's change."""
    found = last_meeting(data, as_of)
    since = found[1] if found else data.settings.project.start
    shown = changes.between_dates(data, since, as_of)
    moved = shown.changes
    what = f"the last {found[0]} ({since:%d %b %Y})" if found else f"the start of the project ({since:%d %b %Y})"
    rows = changes.indicator_shares(moved)
    return Slide(
        word,
        f"Since {what}",
        f"From the end of {since:%d %b %Y} to the end of {as_of:%d %b %Y}",
        _change_numbers(shown),
        "Change per indicator",
        [Bar(r.label, float(r.change), r.change_text, r.status) for r in rows.head(MOST_BARS).itertuples()],
    )


def _change_numbers(shown: changes.Comparison) -> list[tuple[str, str]]:
    moved = shown.changes
    return [
        ("Indicators that moved", f"{len(moved.moved)} of {len(moved.indicators)}"),
        ("New activities", str(len(moved.activities))),
        ("Plans that changed stage", str(len(moved.plans))),
        ("Pilots that changed stage", str(len(moved.pilots))),
    ]


def changes_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    """The What changed page at its default dates."""
    dates = changes.date_range(data, as_of)
    shown = changes.between_dates(data, dates.since, dates.until)
    rows = changes.indicator_shares(shown.changes)
    return Slide(
        word,
        "What changed",
        shown.heading.replace("*", "").lstrip("# "),
        _change_numbers(shown),
        "Change per indicator",
        [Bar(r.label, float(r.change), r.change_text, r.status) for r in rows.head(MOST_BARS).itertuples()],
    )


def report_numbers(report: Report) -> list[tuple[str, str]]:
    """The Progress report page's six numbers (with no deviation explained yet), in its words."""
    head = reporting.headline(report, {})
    return [
        (BEHIND_OR_AT_RISK, str(head.behind_or_at_risk)),
        (BELOW_MILESTONE, str(head.below_milestone)),
        ("Records dated in the period", str(head.records)),
        ("Late records", str(head.late)),
        ("Records without evidence", str(head.without_evidence)),
        ("Points from the checks", str(head.findings)),
    ]


REPORT_HEADER = ["Code", "Indicator", "Target", "Previously reported", "Current report", "Total so far", "Status"]


def report_rows(report: Report) -> list[list[str]]:
    """Jems' overview for a slide: the header, then the result and output indicators (not the outputs under them, nor
    Jems' group headings) with code, name (↳ an output indicator linked to the result above), target, previously
    reported, current report, total reported so far and status, as text."""
    table = reporting.overview_table(report, lambda s: s).rows
    rows = table[table["level"].isin(["result indicator", "output indicator"])]
    names = dict(zip(report.indicators["code"], report.indicators["name"], strict=True))
    linked = set(report.indicators.loc[report.indicators["result"].notna(), "code"])
    return [REPORT_HEADER] + [
        [
            r.code,
            ("↳ " if r.level == "output indicator" and r.code in linked else "") + names.get(r.code, r.name),
            number(r.target),
            number(r.previously_reported),
            number(r.current_report),
            number(r.total_reported),
            r.status,
        ]
        for r in rows.itertuples(index=False)
    ]


def report_slide(report: Report, word: str) -> Slide:
    period = report.period
    return Slide(
        word,
        f"Progress report {period.label}",
        f"{period.long_label} · numbers as of {period.end:%d %b %Y}, the end of the period",
        report_numbers(report),
        "Total reported so far, % of target",
        [
            Bar(r.code, 100 * r.total_reported / r.target if r.target else 0.0, number(r.total_reported), r.status)
            for r in report.indicators.head(MOST_BARS).itertuples()
        ],
        percent=True,
        table=report_rows(report),
    )


def map_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    numbers = map_view.map_numbers(data.tables, ActivityFilter(as_of), data.settings)
    line = map_view.headline(numbers)
    countries = numbers.countries.head(MOST_BARS)
    return Slide(
        word,
        PAGE_TITLES["map"],
        f"As of {as_of:%d %b %Y} · every activity",
        [
            ("Joint activities", f"{len(numbers.acts):,}"),
            ("Links between locations", f"{len(numbers.links):,}"),
        ],
        "Joint activities per country",
        [Bar(str(r["name"]), float(r["activities"]), f"{int(r['activities']):,}") for _, r in countries.iterrows()],
        lines=[]
        if line is None
        else [
            f"Strongest link: {line.link[0]} – {line.link[1]} ({line.link_activities:,} joint activities)",
            f"Busiest place: {line.place} ({line.place_activities:,})",
        ],
    )


def cooperation_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    numbers = cooperation_view.cooperation_numbers(data.tables, ActivityFilter(as_of))
    organisations = len(numbers.directory)
    pairs = cooperation_view.strongest_pairs(numbers.pairs)
    return Slide(
        word,
        PAGE_TITLES["cooperation"],
        f"As of {as_of:%d %b %Y} · every activity",
        [
            ("Organisations taking part", f"{numbers.taking_part} of {organisations}"),
            ("Working across borders", f"{numbers.across_borders} of {organisations}"),
            ("Country pairs working together", f"{len(numbers.pairs)} of {numbers.possible_pairs}"),
            ("Activities linking hubs", "–" if numbers.hub_share is None else f"{numbers.hub_share:.0%}"),
        ],
        "Strongest country pairs: joint activities",
        [Bar(f"{a} – {b}", float(n), f"{n:,}") for a, b, n in pairs],
    )


def action_plans_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    plans = action_plans.plans_on(data, as_of)
    stages = action_plans.lifecycle(data)
    reached = action_plans.reached(data, as_of)
    numbers = action_plans.headline(plans, reached, stages)
    shown = [("Plans", str(numbers.plans)), ("Stalled", str(numbers.stalled))]
    shown += [(label, str(n)) for _, label, n in numbers.last_stages]
    shown += [(label, str(total)) for label, _, total in numbers.tallies]
    return Slide(
        word,
        PAGE_TITLES["action-plans"],
        f"As of {as_of:%d %b %Y}",
        shown,
        "Plans that reached each stage",
        [Bar(stages.labels[s], float(n), str(n)) for s, n in reached.items()],
    )


def pilots_slide(data: Dataset, as_of: dt.date, word: str) -> Slide:
    everything = pilots.pilots_on(data, as_of)
    stages = pilots.lifecycle(data)
    numbers = pilots.headline(everything, len(everything), stages)
    counts = everything["stage"].value_counts() if len(everything) else pd.Series(dtype=int)
    return Slide(
        word,
        PAGE_TITLES["pilots"],
        f"As of {as_of:%d %b %Y}",
        [("Pilots", str(numbers.pilots)), ("Stalled", str(numbers.stalled))]
        + [(label, str(count)) for label, count in numbers.groups],
        "Pilots at each stage",
        [Bar(stages.labels[s], float(counts.get(s, 0)), str(int(counts.get(s, 0)))) for s in stages.names],
    )


def slide_for(
    data: Dataset, progress: list[IndicatorProgress], item: AgendaItem, as_of: dt.date, report: Report | None = None
) -> Slide:
    """The slide of one agenda item as of a date; a report slide uses `report` (its period's) when given."""
    if item.kind == "report":
        return report_slide(report or build_report(data, report_period_number(data, item, as_of)), item.word)
    if item.kind == "since":
        return since_slide(data, as_of, item.word)
    if item.kind == "indicator":
        return indicator_slide(progress, item.indicator, as_of, item.word)
    builders = {
        "overview": lambda: overview_slide(data, progress, as_of, item.word),
        "attention": lambda: attention_slide(progress, as_of, item.word),
        "changes": lambda: changes_slide(data, as_of, item.word),
        "map": lambda: map_slide(data, as_of, item.word),
        "cooperation": lambda: cooperation_slide(data, as_of, item.word),
        "action-plans": lambda: action_plans_slide(data, as_of, item.word),
        "pilots": lambda: pilots_slide(data, as_of, item.word),
    }
    build = builders.get(item.word)
    if build is None:
        return Slide(item.word, PAGE_TITLES.get(item.word, item.word), f"As of {as_of:%d %b %Y}", [])
    return build()
