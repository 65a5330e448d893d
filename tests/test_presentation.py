"""Presentation mode for the steering committee: no view bar, an agenda, the as-of date kept."""

import re
from pathlib import Path

import pytest

from tests.conftest import APP, open_page

PAGES = sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py"))
MEETING_PAGES = {"report_slide.py", "since_meeting.py"}  # slides made for the meeting: only in presentation mode


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_presentation_mode_renders_without_the_view_bar(page):
    at = open_page(page, present="1", as_of="2025-06-30")
    assert not at.exception
    assert not [w for w in at.date_input if w.key == "as_of"] and not [s for s in at.selectbox if s.key == "period"]
    assert not [b for b in at.button if b.label == "Refresh now"]
    assert at.query_params.get("present") == "1"


def test_overview_in_presentation_mode_is_one_compact_screen_with_every_indicator():
    at = open_page(present="1")
    assert at.main.markdown[0].value == "**1 / 9** · Overview"
    assert not any(md.value.startswith("**Needs attention**") for md in at.main.markdown)
    body = "".join(h.proto.body for h in at.get("html") if "spinit-tile" in h.proto.body)
    assert body.count('class="spinit-tile"') == 9 and body.count("<img") == 9
    achieved = re.findall(r'data-value="achieved">([^<]+)<', body)
    assert achieved[:3] == ["30 / 30", "9 / 10", "7 / 10"]


def test_presentation_takes_the_as_of_date_from_the_url():
    at = open_page(present="1", as_of="2024-12-31")
    body = "".join(h.proto.body for h in at.get("html") if "spinit-tile" in h.proto.body)
    assert re.findall(r'data-value="achieved">([^<]+)<', body)[0] == "16 / 30"


def test_agenda_links_keep_presentation_and_the_date():
    at = open_page(present="1", as_of="2025-06-30")
    links = at.get("page_link")
    labels = [link.proto.label for link in links]
    assert labels == ["Next: Since the last meeting", "Exit"]
    assert "present=1" in links[0].proto.query_string and "as_of=2025-06-30" in links[0].proto.query_string


def test_a_bad_as_of_in_the_url_falls_back_to_the_default_date_without_an_error():
    at = open_page(present="1", as_of="31.02.2025")
    assert not at.exception and not at.error


def test_visiting_every_page_in_one_session_raises_no_exception():
    """Widget keys are shared across pages in a session: two pages must not use one key for two widget kinds."""
    at = open_page()
    for page in sorted(set(PAGES) - MEETING_PAGES):
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, (page, [e.value for e in at.exception])
