"""Shared Streamlit pieces: status badges, theme ink, lazy tabs and expanders, banners (the tiles are in ui.tiles).

Sheet text is always passed to Streamlit as plain text or Markdown-escaped, never as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import altair as alt
import streamlit as st

from monitoring.charts import DARK_INK, LIGHT_INK
from monitoring.engine.progress import STATUS_ICONS
from ui import presentation
from ui.tiles import fmt as fmt  # pages call components.fmt

# Altair checks every part of a chart against the Vega-Lite schema as it is built, and the whole chart again
# when it is drawn: over half of the Cooperation page's script time on the sample. The charts are fixed
# code, not user input, so the check belongs in the tests (tests/test_chart_specs.py validates every chart
# every page draws), not in every viewer's run.
alt.utils.schemapi.disable_debug_mode()

BADGE_COLOURS = {
    "achieved": "blue",
    "on track": "green",
    "at risk": "orange",
    "behind": "red",
    "due after the project": "violet",
}


# An invisible character that is not a word character: put inside `www.`, `https://`, `a@b.org` and `:name:`, it
# stops Streamlit's Markdown (remark-gfm autolinks, `:material/…:` icons, emoji shortcodes, `:red[…]`) from
# recognising them, which backslash escapes cannot (those plugins read the text after the escapes are gone).
WORD_JOINER = "\u2060"
_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()<>#+-.!|~$&=")


def escape_md(text: object) -> str:
    """Text from a sheet, shown as itself inside Markdown: no formatting, link, e-mail link, icon, emoji, colour,
    HTML or character reference (`&lt;` stays `&lt;`) takes effect, and no backslash shows.

    Every Markdown punctuation character is backslash-escaped; a word joiner (invisible) goes after each `:` and
    before each `@` and the `.` of `www.` (so `www.x.org`, `a@b.org`, `https://x.org` and `:material/verified:`
    are plain text; a date like 14.03.2025 is left as it is). Checked in a browser by tests/e2e/test_sheet_text_browser.py.
    """
    out = "".join("\\" + ch if ch in _MARKDOWN_PUNCTUATION else ch for ch in str(text))
    out = out.replace(":", ":" + WORD_JOINER).replace("@", WORD_JOINER + "@")
    return re.sub(r"(?i)(?<=www)\\\.", WORD_JOINER + "\\\\.", out)


def status_badge(status: str) -> None:
    st.badge(status, icon=None, color=BADGE_COLOURS[status], help=f"{STATUS_ICONS[status]} {status}")


def status_label(status: str) -> str:
    return f"{STATUS_ICONS[status]} {status}"


def ink() -> dict[str, str]:
    """Neutral mark colours that read on the viewer's theme."""
    return DARK_INK if st.context.theme.type == "dark" else LIGHT_INK


def lazy_expander(label: str, key: str, **kwargs: object):
    """An expander whose contents the page draws only when it is open (`if box.open:`), kept open in the
    link as ?key=true. A table inside a closed plain expander is still sent and built by the browser:
    about 0.15 s of a page's time to settle, and every rerun sends its rows again."""
    return st.expander(label, key=key, bind="query-params", **kwargs)


def lazy_tabs(views: dict[str, Callable[[], None]], key: str, old_links: dict[str, str] | None = None) -> str:
    """Tabs of which only the chosen one is computed and drawn; the choice is in the link (?key=Label).

    Plain st.tabs runs and sends every tab: on a page with a map, four charts and a table that is what made
    it settle at over twice the empty page's time. A tab's label is its value in the link, so keep it short
    and plain. `old_links` keeps links from before a tab existed working: {"records": "Records"} opens the
    Records tab for ?records=true (unless the link names a tab). Returns the label of the tab drawn."""
    for param, label in (old_links or {}).items():
        if st.query_params.get(param) == "true":
            del st.query_params[param]  # else choosing the first tab, which leaves no ?key=, would reopen it
            if key not in st.query_params:
                st.session_state[key] = st.query_params[key] = label
    tabs = st.tabs(list(views), key=key, on_change="rerun", bind="query-params")
    index = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    label, draw = list(views.items())[index]
    with tabs[index]:
        draw()
    return label


def altair_chart(chart: alt.TopLevelMixin, **kwargs: object):
    """st.altair_chart without the second schema check (see above): the same spec and data, drawn the same; in
    presentation mode with projector-sized axis and legend text."""
    if presentation.is_on():
        chart = presentation.projector_chart(chart)
    unchecked = type(chart).to_dict
    object.__setattr__(chart, "to_dict", lambda *args, **kw: unchecked(chart, *args, **{**kw, "validate": False}))
    return st.altair_chart(chart, **kwargs)


def sample_banner() -> None:
    """The sample banner; not in presentation mode, where the corner says "sample data"."""
    if presentation.is_on():
        return
    st.info(
        "**Sample data.** Organisation names and all numbers are invented, for demonstration.",
        icon=":material/science:",
    )
