"""Wrong passwords are slowed per client address (a reload or a new connection does not reset the wait) with a
global cap; an e-mail address the provider says is not verified is not trusted against the allow list."""

from __future__ import annotations

import re

import pytest

from monitoring.door.backoff import LOCAL, PasswordBackoff, Throttle
from tests.conftest import open_page, overview_counts
from tests.test_access import app_with, data_shown, everything_visible
from ui import auth, context


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_doubles_per_address_up_to_30_seconds_and_a_success_clears_it():
    clock = Clock()
    b = PasswordBackoff(base=1, clock=clock)
    assert [b.failed("203.0.113.5") for _ in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    assert b.wait("203.0.113.5") == 30 and b.wait("198.51.100.7") == 0
    clock.now += 10
    assert b.wait("203.0.113.5") == 20
    b.succeeded("203.0.113.5")
    assert b.wait("203.0.113.5") == 0


def test_no_address_is_one_address_and_old_failures_are_forgotten():
    clock = Clock()
    b = PasswordBackoff(base=1, forget_after=900, clock=clock)
    assert PasswordBackoff.key(None) == PasswordBackoff.key("") == LOCAL
    b.failed(None)
    b.failed("")
    assert b.wait(None) == 2
    clock.now += 901
    assert b.wait(None) == 0 and b.failed(None) == 1  # counted from 1 again


def guess(b: PasswordBackoff, address: str) -> bool:
    """One wrong password from `address`, as the gate does it: True when it was compared at all."""
    if b.attempt(address) > 0:
        return False
    b.failed(address)
    return True


def test_a_thousand_addresses_get_no_more_guesses_a_minute_than_the_global_limit():
    clock = Clock()
    b = PasswordBackoff(base=1, global_limit=30, global_window=60, clock=clock)
    compared = [guess(b, f"10.{n // 250}.0.{n % 250}") for n in range(1000)]
    assert sum(compared) == 30 and all(compared[:30])
    assert b.wait("10.200.0.1") == 60  # a fresh address waits for the budget too, and is told how long
    clock.now += 30
    assert b.attempt("10.200.0.1") == 30  # the right password would not be compared either
    clock.now += 31
    assert guess(b, "10.200.0.1") and b.wait("10.200.0.2") == 0


def test_over_any_minute_no_more_passwords_are_compared_than_the_global_limit():
    clock = Clock()
    b = PasswordBackoff(base=0, global_limit=30, global_window=60, clock=clock)
    times = []
    for n in range(3000):  # one try every 0.1 s from a new address, for 5 minutes
        clock.now = 1000 + n / 10
        if guess(b, f"198.51.{n // 250}.{n % 250}"):
            times.append(clock.now)
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) == 30
    assert len(times) == 150  # 30 a minute


def test_the_right_password_spends_the_budget_too():
    b = PasswordBackoff(base=1, global_limit=2, clock=Clock())
    assert b.attempt("a") == 0 and b.attempt("b") == 0  # two compared, right or wrong
    assert b.attempt("c") > 0


def test_memory_is_bounded():
    b = PasswordBackoff(base=1, max_addresses=100, global_limit=10**6, clock=Clock())
    for n in range(1000):
        guess(b, f"10.{n // 250}.0.{n % 250}")
    assert len(b._records) == 100


def test_a_delay_of_zero_never_waits():
    b = PasswordBackoff(base=0, clock=Clock())
    assert b.failed("x") == 0 and b.wait("x") == 0


@pytest.fixture
def fresh_backoff(monkeypatch):
    monkeypatch.setattr(auth, "_BACKOFFS", {})
    address = {"value": "203.0.113.5"}
    monkeypatch.setattr(auth, "client_address", lambda trusted=(): address["value"])
    return address


def type_password(at, password: str):
    at.text_input[0].input(password)
    at.button[0].click().run()
    return at


def test_a_reload_does_not_reset_the_wait_and_the_right_password_waits_too(fresh_backoff):
    access = {"password": "danube-2026", "failed_delay_seconds": 5}
    first = type_password(app_with(auth=None, access=access), "wrong")
    assert "try again in 5 s" in first.error[0].value
    reloaded = type_password(app_with(auth=None, access=access), "danube-2026")  # a new session, same address
    assert "Too many wrong passwords" in reloaded.error[0].value and data_shown(reloaded) == {}
    fresh_backoff["value"] = "198.51.100.7"  # another address is not held up
    other = type_password(app_with(auth=None, access=access), "danube-2026")
    assert not other.error and "Organisations" in overview_counts(other)


def test_while_the_global_budget_is_spent_no_password_is_compared_from_any_address(fresh_backoff):
    access = {"password": "danube-2026", "failed_delay_seconds": 0, "password_attempts_per_minute": 3}
    for n in range(3):
        fresh_backoff["value"] = f"203.0.113.{n}"
        wrong = type_password(app_with(auth=None, access=access), "wrong")
        assert "not right" in wrong.error[0].value
    fresh_backoff["value"] = "198.51.100.7"  # a new address, with the right password
    refused = type_password(app_with(auth=None, access=access), "danube-2026")
    (message,) = [e.value for e in refused.error]
    wait = re.search(r"Try again in (\d+) s", message)
    assert "from everyone together" in message and wait and 50 < int(wait[1]) <= 60, message
    assert data_shown(refused) == {}


@pytest.mark.parametrize("claim", [False, "false", "FALSE", " False "], ids=["bool", "text", "upper", "spaced"])
def test_an_unverified_email_on_the_allow_list_is_refused_with_a_clear_message(claim):
    at = app_with({"is_logged_in": True, "email": "pm@cluj.example", "email_verified": claim})
    assert at.title[0].value == "No access yet"
    assert "not verified" in everything_visible(at) and data_shown(at) == {}


@pytest.mark.parametrize(
    ("claim", "unverified"),
    [
        *[(claim, True) for claim in (False, "false", "False", 0, "0", "no", "")],
        *[(claim, False) for claim in (True, "true", "TRUE", None)],
    ],
)
def test_only_a_true_or_absent_email_verified_claim_is_trusted(claim, unverified):
    user = {"email": "pm@cluj.example"} | ({} if claim is None else {"email_verified": claim})
    assert auth.email_unverified(user) is unverified


def test_a_verified_email_on_the_allow_list_gets_in():
    for verified in (True, "true", None):
        user = {"is_logged_in": True, "email": "pm@cluj.example"}
        ok = app_with(user if verified is None else {**user, "email_verified": verified})
        assert "Organisations" in overview_counts(ok)


def test_the_refresh_throttle_allows_one_refresh_per_30_seconds():
    clock = Clock()
    t = Throttle(30, clock=clock)
    assert t.wait() == 0 and t.attempt() == 0
    clock.now += 10
    assert t.attempt() == 20 and t.wait() == 20  # refused: the clock does not restart
    clock.now += 20
    assert t.attempt() == 0


def test_refresh_now_is_limited_for_everyone_and_says_when_the_next_is_possible(monkeypatch):
    reads = []
    real = context.refresh

    def counted() -> float:
        wait = real()
        reads.append(wait)
        return wait

    monkeypatch.setattr(context, "refresh", counted)
    first = open_page()
    next(b for b in first.button if b.label == "Refresh now").click().run()
    second = open_page()  # another viewer, a moment later
    next(b for b in second.button if b.label == "Refresh now").click().run()
    assert reads[0] == 0 and reads[1] > 25
    (note,) = [i.value for i in second.info if "next refresh" in i.value]
    assert "30 s" in note and "possible in" in note
