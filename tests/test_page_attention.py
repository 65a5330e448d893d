"""Needs attention: which indicators it lists on the sample, in which order, and why."""

import re

import pytest

from tests.conftest import open_page
from tests.test_page_overview import tile_html


@pytest.fixture(scope="module")
def attention():
    return open_page("attention.py")


def test_the_behind_and_at_risk_indicators_are_listed_most_behind_first(attention):
    # As of 30 Jun 2026: RCO116 3 of 6 expected (behind, 50 %), RCR79 5 of 8 (behind, 62.5 %),
    # RCO84 7 of 10 (at risk, 70 %), RCR104 4 of 5 (at risk, 80 %); the five others are on track or achieved.
    assert list(tile_html(attention)) == ["RCO116", "RCR79", "RCO84", "RCR104"]


def test_each_listed_indicator_says_how_far_short_of_plan_it_is(attention):
    shown = tile_html(attention)
    short = {
        code: re.search(r"Short of plan by <b>([^<]+)</b> \(([^)]+)\)", part).groups() for code, part in shown.items()
    }
    assert short == {  # the number, then its unit as the catalogue writes it: never "1 solutions"
        "RCO116": ("3", "solutions"),
        "RCR79": ("3", "joint strategy/action plan"),
        "RCO84": ("3", "pilot actions"),
        "RCR104": ("1", "solutions"),
    }
    status = {
        code: re.search(r'<span class="status"[^>]*>[^ ]+ ([^<]+)</span>', part).group(1)
        for code, part in shown.items()
    }
    assert status == {"RCO116": "behind", "RCR79": "behind", "RCO84": "at risk", "RCR104": "at risk"}


def test_when_nothing_is_behind_the_page_says_so():
    at = open_page("attention.py", as_of="2024-06-30")  # every indicator on track at the end of P1
    assert tile_html(at) == {}
    assert any("Every indicator is on track or achieved" in s.value for s in at.success)
