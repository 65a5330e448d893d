"""`auto=` in presentation mode: off unless asked for, whole seconds clamped to 10..600, anything else off."""

import pytest

from tests.conftest import open_page
from ui.presentation import AUTO_MAX_SECONDS, AUTO_MIN_SECONDS, auto_seconds


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (None, None),
        ("", None),
        ("0", None),
        ("000", None),
        ("-5", None),
        ("abc", None),
        ("30s", None),
        ("1.5", None),
        ("²", None),
        ("1" * 5000, AUTO_MAX_SECONDS),
        ("3", AUTO_MIN_SECONDS),
        ("10", 10),
        (" 30 ", 30),
        ("600", 600),
        ("601", AUTO_MAX_SECONDS),
        ("999999999999999999999999", AUTO_MAX_SECONDS),
    ],
)
def test_auto_seconds_is_off_unless_asked_and_bounded(text, seconds):
    assert auto_seconds(text) == seconds


def test_without_auto_there_is_no_pause_button_and_with_it_there_is():
    plain = open_page(present="1")
    assert not plain.exception and "Pause" not in [b.label for b in plain.button]
    timed = open_page(present="1", auto="30")
    assert not timed.exception and "Pause" in [b.label for b in timed.button]
    next(b for b in timed.button if b.label == "Pause").click().run()
    assert timed.query_params.get("pause") == "1" and "Resume" in [b.label for b in timed.button]
