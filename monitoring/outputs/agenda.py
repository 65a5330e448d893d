"""The steering committee's agenda: which slides, in which order.

A project declares its agenda in indicators.yaml (`meeting.agenda`); a meeting may give another one in the link
(`?present=1&agenda=overview,indicator:CODE,report:P3,since-last-meeting`). Both are read by `parse_item`, so
the same words work in both places:

- a page: `overview`, `attention`, `changes`, `map`, `cooperation`, `partners`, `action-plans`, `pilots`;
- `indicator:CODE`: one indicator's detail;
- `report` or `report:P3`: the Progress report of a period (Jems' overview); without a period, the last one that
  ended by the as-of date;
- `since-last-meeting`: what changed since the last meeting (`meeting_types`, a steering committee by default).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Page slides: the word in the agenda is the page's address (url_path); "overview" is the default page.
PAGE_SLIDES = ("overview", "attention", "changes", "map", "cooperation", "partners", "action-plans", "pilots")
# The pages that exist only when the project keeps their tab (else the agenda skips them).
PAGE_TABS = {"action-plans": "action_plans", "pilots": "pilots"}
# The two slides made for the meeting, and the page address that shows each.
REPORT_PAGE = "report-slide"
SINCE_PAGE = "since-meeting"
SINCE_WORD = "since-last-meeting"
DEFAULT_AGENDA = ("overview", "map", "cooperation", "action-plans", "pilots", "attention", "changes")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")
_PERIOD = re.compile(r"^[Pp](\d{1,3})$")


@dataclass(frozen=True)
class AgendaItem:
    """One slide of the agenda: the page that shows it and that page's query parameters."""

    word: str  # as written, normalised ("report:P3")
    page: str  # the url_path of the page ("" for the Overview)
    params: tuple[tuple[str, str], ...] = ()
    indicator: str = ""  # indicator:CODE
    period: int | None = None  # report:P3 (None: the last period ended by the as-of date)

    @property
    def kind(self) -> str:
        """page, indicator, report or since."""
        if self.page == REPORT_PAGE:
            return "report"
        if self.page == SINCE_PAGE:
            return "since"
        return "indicator" if self.indicator else "page"


def parse_item(text: str) -> AgendaItem:
    """One agenda word -> its slide; ValueError saying which words exist."""
    word = str(text).strip()
    head, _, arg = word.partition(":")
    head, arg = head.strip().lower(), arg.strip()
    if head in PAGE_SLIDES and not arg:
        return AgendaItem(head, "" if head == "overview" else head)
    if head == "indicator" and _CODE.match(arg):
        return AgendaItem(f"indicator:{arg}", "indicator", (("indicator", arg),), indicator=arg)
    if head == "report":
        if not arg:
            return AgendaItem("report", REPORT_PAGE)
        found = _PERIOD.match(arg)
        if found:
            number = int(found.group(1))
            return AgendaItem(f"report:P{number}", REPORT_PAGE, (("report_period", f"P{number}"),), period=number)
        raise ValueError(f"{word!r}: a report slide names a reporting period as P1, P2, … (report:P3)")
    if head == SINCE_WORD and not arg:
        return AgendaItem(SINCE_WORD, SINCE_PAGE)
    raise ValueError(
        f"{word!r} is not a slide; the slides are {', '.join(PAGE_SLIDES)}, indicator:CODE, report, report:P3 "
        f"and {SINCE_WORD}"
    )


def parse_agenda(words: Iterable[str]) -> list[AgendaItem]:
    """Every word of an agenda, in order; ValueError for the first that is not a slide."""
    return [parse_item(w) for w in words]


def from_link(text: str) -> tuple[list[AgendaItem], list[str]]:
    """The agenda of a link (`agenda=overview,report:P3`): its slides, and the words that are not slides (skipped,
    so a typo in the link does not stop the meeting)."""
    items, wrong = [], []
    for word in (w for w in str(text).split(",") if w.strip()):
        try:
            items.append(parse_item(word))
        except ValueError:
            wrong.append(word.strip())
    return items, wrong
