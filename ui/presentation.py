"""Presentation mode for a steering committee: `?present=1` on any page.

Large type, no view bar, one topic per screen, the as-of date and data freshness in a corner, and
previous / next controls through the meeting agenda. All CSS here is constant; nothing from the
sheet is ever put into HTML without escaping.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import streamlit as st

from monitoring.dataset import Dataset
from monitoring.model.config import Settings
from monitoring.outputs.agenda import REPORT_PAGE, SINCE_PAGE, AgendaItem, from_link, parse_agenda
from monitoring.outputs.deck import deck_pdf, deck_slides

TRUE_WORDS = {"1", "true", "yes", "on"}
# Leaving presentation mode on a slide made for the meeting opens the page it summarises.
EXIT_TO = {REPORT_PAGE: "reporting", SINCE_PAGE: "changes"}
# Auto-advance (`auto=SECONDS`): off unless asked for; whole seconds, clamped to 10..600 (10 minutes).
AUTO_MIN_SECONDS = 10
AUTO_MAX_SECONDS = 600

# The corner's band: the page scrolls above it, so the as-of badge never covers a chart, a number or a legend.
CORNER_BAND_PX = 56
# In presentation mode each slide shows its message first: no filter widget (their values stay in the link and one
# caption line says what is shown), no explanation naming a configuration key (a caption with `code` in it), the
# key numbers' labels in full (wrapped, not cut with "…"), and projector-sized text.
FILTER_WIDGETS = (
    "stSelectbox",
    "stMultiSelect",
    "stDateInput",
    "stCheckbox",
    "stButtonGroup",
    "stRadio",
    "stPopover",
    "stSlider",
    "stTextInput",
)
# The widgets themselves, not their containers with `:has()`: a nested `:has()` made Chromium restyle the whole page
# on every change while the map drew, and moving to the Map inside the app took 20 s instead of 1.
_HIDDEN = ", ".join(f'[data-testid="stMain"] [data-testid="{w}"]' for w in FILTER_WIDGETS)
PRESENT_CSS = f"""
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {{ display: none !important; }}
[data-testid="stMain"] {{ max-height: calc(100vh - {CORNER_BAND_PX}px); }}
[data-testid="stMainBlockContainer"] {{ padding: 1.0rem 2.2rem 1rem 2.2rem; max-width: 100%; }}
{_HIDDEN}, [data-testid="stMain"] [data-testid="stCaptionContainer"]:has(code),
[data-testid="stMain"] [data-testid="stPopover"] {{ display: none !important; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] td, [data-testid="stMain"] th
  {{ font-size: 24px !important; line-height: 1.35; }}
[data-testid="stMain"] [data-testid="stAlert"] p {{ font-size: 21px !important; line-height: 1.3; }}
[data-testid="stMain"] h1 {{ font-size: 44px !important; padding: 0 0 0.3rem 0; }}
[data-testid="stMain"] h2 {{ font-size: 36px !important; padding: 0.2rem 0; }}
[data-testid="stMain"] h3 {{ font-size: 30px !important; }}
[data-testid="stMain"] [data-testid="stMetricLabel"] *
  {{ white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * {{ font-size: 52px !important; line-height: 1.1; }}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p span {{ font-size: 24px !important; }}
[data-testid="stMain"] [data-testid="stMarkdownContainer"] div[style*="font-size"] {{ font-size: 19px !important; }}
[data-testid="stMain"] .spinit-tile .row span:not(.value) {{ font-size: 19px !important; }}
.spinit-corner {{ position: fixed; right: 18px; bottom: 8px; z-index: 999990; padding: 6px 14px;
  border-radius: 8px; font-size: 20px; background: rgba(20, 30, 40, 0.82); color: #ffffff; }}
</style>
"""


# Captions: Streamlit 1.67 fades them with opacity 0.6, which leaves grey text at 3.9:1 on white (WCAG AA asks
# 4.5:1 for text this size); at 0.8 they are 7:1 in light and over 9:1 in dark, and still read as secondary.
# The favicon, served by the app itself: a `:material/…:` page icon is fetched from fonts.gstatic.com, which
# fails (net::ERR_NAME_NOT_RESOLVED in the console) wherever the dashboard has no internet access.
ICON = str(Path(__file__).with_name("icon.png"))
BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4.2rem; }
[data-testid="stCaptionContainer"] { opacity: 0.8; }
</style>
"""


def apply_base_style() -> None:
    """Less empty space above every page, so more fits a 1366×768 laptop screen; captions readable (WCAG AA)."""
    st.html(BASE_CSS)


def is_on() -> bool:
    """True when the URL asks for presentation mode (`?present=1`)."""
    return str(st.query_params.get("present", "")).strip().lower() in TRUE_WORDS


def projector_chart(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart's axis and legend text at projector size (marks that set their own font size keep it)."""
    return chart.configure_axis(labelFontSize=17, titleFontSize=18, labelLimit=420).configure_legend(
        labelFontSize=17, titleFontSize=17, labelLimit=420, symbolSize=160
    )


def filters_line(parts: list[str]) -> None:
    """In presentation mode, what the page's filters show in one caption line ("Shown: all clusters · Sofia"): their
    widgets are hidden there and their values stay in the link. `parts` are Markdown, already escaped."""
    if is_on():
        st.caption("Shown: " + " · ".join(parts))


def as_of_from_url(data: Dataset) -> dt.date:
    """In presentation mode there is no view bar: the as-of date comes from the URL, else the default."""
    text = str(st.query_params.get("as_of", ""))
    try:
        return data.clamp(dt.date.fromisoformat(text))
    except ValueError:
        return data.default_as_of()


def apply_style(data: Dataset, as_of: dt.date) -> None:
    """Large type, no chrome, and the as-of date and freshness fixed in the bottom-right corner."""
    read_at = data.source.read_at.astimezone(dt.UTC)
    sample = " · sample data" if data.source.sample else ""
    corner = html.escape(f"As of {as_of:%d %b %Y} · data read {read_at:%d %b %H:%M} UTC{sample}")
    st.html(PRESENT_CSS + f'<div class="spinit-corner" role="status">{corner}</div>')


def meeting_pages() -> list[st.Page]:
    """The two pages made for the meeting (shown only in presentation mode): a Progress report slide and what
    changed since the last meeting."""
    return [
        st.Page(
            "app_pages/report_slide.py", title="Progress report", icon=":material/summarize:", url_path=REPORT_PAGE
        ),
        st.Page(
            "app_pages/since_meeting.py",
            title="Since the last meeting",
            icon=":material/difference:",
            url_path=SINCE_PAGE,
        ),
    ]


@dataclass(frozen=True)
class Step:
    """One slide of the agenda on screen: its page, its title and the link's query parameters."""

    page: st.Page
    title: str
    params: dict[str, str]


def agenda_items(settings: Settings) -> list[AgendaItem]:
    """The meeting's agenda: the link's (`agenda=overview,report:P3`) when it names a slide, else the project's
    (`meeting.agenda` in indicators.yaml). A word of the link that is not a slide is skipped."""
    items, _ = from_link(str(st.query_params.get("agenda", "")))
    return items or parse_agenda(settings.meeting.agenda)


def _title(item: AgendaItem, page: st.Page) -> str:
    if item.kind == "indicator":
        return item.indicator
    if item.kind == "report" and item.period:
        return f"Progress report P{item.period}"
    return page.title


def agenda(settings: Settings, pages: dict[str, st.Page]) -> list[Step]:
    """The agenda's slides whose page exists here (a project without pilots has no Pilots slide)."""
    return [
        Step(pages[item.page], _title(item, pages[item.page]), dict(item.params))
        for item in agenda_items(settings)
        if item.page in pages
    ]


def _position(steps: list[Step], current: st.Page) -> int:
    """Which slide is on screen: the link's `slide=N` when that slide is on this page, else the first slide on
    this page; -1 when the page is not on the agenda."""
    text = str(st.query_params.get("slide", ""))
    if text.isdigit() and 0 < int(text) <= len(steps) and steps[int(text) - 1].page.url_path == current.url_path:
        return int(text) - 1
    return next((i for i, s in enumerate(steps) if s.page.url_path == current.url_path), -1)


@st.cache_resource(max_entries=8, show_spinner=False)
def _deck(_data: Dataset, data_key: tuple[str, dt.datetime], words: tuple[str, ...], as_of: dt.date) -> bytes:
    return deck_pdf(_data, deck_slides(_data, parse_agenda(words), as_of), as_of)


def deck_bytes(data: Dataset, words: tuple[str, ...], as_of: dt.date) -> bytes:
    """The deck of an agenda as of a date (`monitoring.outputs.deck`), made once per read of the data for every viewer."""
    return _deck(data, (data.source.label, data.source.read_at), words, as_of)


def agenda_bar(current: st.Page, pages: dict[str, st.Page], settings: Settings, data: Dataset, as_of: dt.date) -> None:
    """Previous / next through the agenda, with the screen's position; keeps present=1, the as-of date and a
    link's own agenda."""
    steps = agenda(settings, pages)
    index = _position(steps, current)
    if index < 0:
        steps, index = [Step(current, current.title, {}), *steps], 0
    params = {"present": "1", "as_of": as_of.isoformat()}
    if st.query_params.get("agenda"):
        params["agenda"] = str(st.query_params["agenda"])
    seconds = auto_seconds(st.query_params.get("auto"))
    paused = str(st.query_params.get("pause", "")).strip().lower() in TRUE_WORDS

    def link_params(i: int) -> dict[str, str]:
        return {**params, **steps[i].params, "slide": str(i + 1)}

    left, middle, right, deck, timer, leave = st.columns([3.6, 2.6, 3.6, 1.4, 1.4, 1.2], vertical_alignment="center")
    words = tuple(item.word for item in agenda_items(settings))
    deck.download_button(
        "Deck",
        lambda: deck_bytes(data, words, as_of),
        file_name=f"{settings.project.name}-steering-committee-{as_of.isoformat()}.pdf",
        mime="application/pdf",
        icon=":material/download:",
        on_click="ignore",
        help="Every slide of this agenda as a PDF page, for the minutes",
    )
    if index > 0:
        left.page_link(
            steps[index - 1].page,
            label=steps[index - 1].title,
            icon=":material/arrow_back:",
            help="Previous screen",
            query_params=link_params(index - 1),
        )
    middle.markdown(f"**{index + 1} / {len(steps)}** · {html.escape(steps[index].title)}")
    if index < len(steps) - 1:
        right.page_link(
            steps[index + 1].page,
            label=f"Next: {steps[index + 1].title}",
            icon=":material/arrow_forward:",
            query_params=link_params(index + 1),
        )
    leave_to = pages.get(EXIT_TO.get(current.url_path, current.url_path), current)
    leave.page_link(
        leave_to,
        label="Exit",
        icon=":material/close_fullscreen:",
        help="Leave presentation mode",
        query_params={"as_of": as_of.isoformat(), **steps[index].params},
    )
    if seconds is None or index == len(steps) - 1:
        return
    if paused:
        timer.button("Resume", icon=":material/play_arrow:", help=f"Move on every {seconds} s", on_click=_resume)
        return
    timer.button("Pause", icon=":material/pause:", help="Stop moving on by itself", on_click=_pause)
    _advance_after(seconds, steps[index + 1].page, {**link_params(index + 1), "auto": str(seconds)})


def auto_seconds(text: object) -> int | None:
    """Seconds between screens from the URL's `auto=`; None (off) when absent, not a whole number, or 0 or less.

    A number below 10 or above 600 is clamped to 10 or 600 s: a huge value once made the browser's timer
    overflow and fire continuously.
    """
    word = str(text or "").strip()
    if not (word.isascii() and word.isdigit()):
        return None
    word = word.lstrip("0") or "0"
    number = int(word) if len(word) <= 9 else AUTO_MAX_SECONDS
    return min(max(number, AUTO_MIN_SECONDS), AUTO_MAX_SECONDS) if number > 0 else None


def _pause() -> None:
    st.query_params["pause"] = "1"
    st.session_state.pop("_auto_started", None)


def _resume() -> None:
    st.query_params.pop("pause", None)
    st.session_state.pop("_auto_started", None)


def _advance_after(seconds: int, target: st.Page, params: dict[str, str]) -> None:
    """Auto-advance for a screen in a hall: `?present=1&auto=30` moves on every 30 s."""
    started = st.session_state.setdefault("_auto_started", {}).setdefault(target.url_path, dt.datetime.now(dt.UTC))

    @st.fragment(run_every=seconds)
    def tick() -> None:
        if (dt.datetime.now(dt.UTC) - started).total_seconds() >= seconds:
            st.session_state["_auto_started"].pop(target.url_path, None)
            st.switch_page(target, query_params=params)

    tick()
