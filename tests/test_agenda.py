"""The steering committee's agenda: declared in indicators.yaml, or given for one meeting in the link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitoring.model.config import ConfigError, load_settings
from monitoring.outputs.agenda import parse_item
from tests.conftest import APP, open_page
from tests.test_config import GOOD
from tests.test_project_model import shipped_config, write_config


def agenda_line(at: AppTest) -> str:
    return at.main.markdown[0].value


def next_link(at: AppTest):
    return next(link.proto for link in at.get("page_link") if link.proto.label.startswith("Next"))


@pytest.fixture
def declared_agenda(tmp_path: Path, monkeypatch) -> Path:
    config = shipped_config()
    config["meeting"] = {"agenda": ["report:P3", "since-last-meeting", "indicator:RCO87"]}
    path = write_config(tmp_path / "indicators.yaml", config)
    monkeypatch.setenv("SPINIT_CONFIG", str(path))
    return path


def test_the_agenda_declared_in_indicators_yaml_is_followed(declared_agenda):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"present": "1", "as_of": "2025-12-31", "report_period": "P3", "slide": "1"})
    at.run()
    at.switch_page("app_pages/report_slide.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert agenda_line(at) == "**1 / 3** · Progress report P3"
    nxt = next_link(at)
    assert nxt.label == "Next: Since the last meeting" and nxt.page == "since-meeting"
    assert "slide=2" in nxt.query_string and "present=1" in nxt.query_string


def test_an_agenda_given_in_the_link_is_followed_and_kept_in_the_next_link():
    at = open_page(present="1", as_of="2025-12-31", agenda="overview,indicator:RCO84,report:P3")
    assert agenda_line(at) == "**1 / 3** · Overview"
    nxt = next_link(at)
    assert nxt.label == "Next: RCO84" and nxt.page == "indicator"
    assert "indicator=RCO84" in nxt.query_string and "agenda=overview%2Cindicator%3ARCO84%2Creport%3AP3" in (
        nxt.query_string
    )


def test_the_project_agenda_is_used_without_an_agenda_in_the_link():
    at = open_page(present="1")
    agenda = load_settings("indicators.yaml").meeting.agenda
    assert agenda_line(at) == f"**1 / {len(agenda)}** · Overview"


def test_a_word_of_the_link_that_is_not_a_slide_is_skipped():
    at = open_page(present="1", agenda="overview,slideshow,map")
    assert agenda_line(at) == "**1 / 2** · Overview" and next_link(at).label == "Next: Map"


def test_the_progress_report_slide_shows_the_period_numbers_and_jems_overview_in_large_type():
    at = open_page(present="1", as_of="2025-12-31", report_period="P3", slide="3")
    at.switch_page("app_pages/report_slide.py").run()
    assert not at.exception
    assert at.main.markdown[1].value == "## Progress report P3"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Behind or at risk"] == "1" and metrics["Records dated in the period"] == "27"
    table = next(h.proto.body for h in at.get("html") if "spinit-slide" in h.proto.body)
    assert "<th>Code</th><th>Indicator</th>" in table and "<td>RCO87</td>" in table
    assert "<td>RCR79</td><td>Joint strategies" in table  # a result indicator, not under another
    assert "<td>RCO83</td><td>↳ Strategies" in table  # an output indicator under its result


def test_the_since_slide_compares_with_the_last_steering_committee():
    at = open_page(present="1", as_of="2025-12-31", slide="2")
    at.switch_page("app_pages/since_meeting.py").run()
    assert not at.exception
    heading = at.main.markdown[1].value.replace("\\", "")
    assert re.fullmatch(r"## Since the last steering committee \(\d\d [A-Z][a-z]{2} 2025\)", heading), heading
    assert {m.label for m in at.metric} >= {"Indicators that moved", "New activities"}


@pytest.mark.parametrize(
    ("agenda", "message"),
    [
        ("[overview, slideshow]", "meeting.agenda[1] (line 13): 'slideshow' is not a slide"),
        ("[indicator:RCO999]", "meeting.agenda[0] (line 13): 'indicator:RCO999': no indicator 'RCO999'"),
        ("[report:P9]", "meeting.agenda[0] (line 13): 'report:P9': the reporting periods are P1 to P5"),
    ],
)
def test_a_wrong_slide_in_the_declared_agenda_is_reported_with_its_key_and_line(tmp_path, agenda, message):
    path = tmp_path / "indicators.yaml"
    path.write_text(GOOD + f"meeting:\n  agenda: {agenda}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_agenda_words_name_their_page_and_query():
    assert parse_item("indicator:RCO84").params == (("indicator", "RCO84"),)
    assert parse_item(" Report:p3 ").word == "report:P3"
    assert parse_item("overview").page == ""


def test_presentation_mode_offers_the_deck_of_its_agenda_for_download():
    at = open_page(present="1", as_of="2025-12-31", agenda="overview,report:P3")
    buttons = [b for b in at.get("download_button") if b.proto.label == "Deck"]
    assert len(buttons) == 1 and buttons[0].proto.deferred_file_id  # made when clicked
