"""The door in a real browser against a real server: a misspelt or empty access configuration shows the locked
page, and spoofed `X-Forwarded-For` headers from many addresses buy no extra password guesses.

The browser connects from 127.0.0.1, which uvicorn (Streamlit 1.67's server) trusts to forward addresses: each
browser context sends its own `X-Forwarded-For`, as visitors behind a proxy that passes their header on would.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import running_app, settle

WRONG = "not-the-password"
RIGHT = "e2e-right-passphrase"
NOT_RIGHT = "That password is not right"
REFUSED = "Too many wrong passwords"


@pytest.fixture
def server(tmp_path):
    """Start the dashboard with a secrets file holding `text`; yield its URL."""

    def start(text: str, name: str):
        secrets = tmp_path / f"{name}.toml"
        secrets.write_text(text, encoding="utf-8")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        return running_app(args=("--secrets.files", str(secrets)), log=ARTIFACTS / f"streamlit-door-{name}.log")

    return start


def main_text(browser, url: str, forwarded_for: str | None = None) -> str:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        extra_http_headers={"X-Forwarded-For": forwarded_for} if forwarded_for else {},
    )
    page = context.new_page()
    page.goto(url)
    settle(page, draw_ms=200)
    text = page.locator("[data-testid='stMain']").inner_text()
    context.close()
    return text


def try_password(browser, url: str, forwarded_for: str, password: str) -> str:
    """One visitor (its own browser context and connection) types a password; return what the page says."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, extra_http_headers={"X-Forwarded-For": forwarded_for}
    )
    page = context.new_page()
    page.goto(url)
    settle(page, draw_ms=100)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Open the dashboard").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stAlertContentError]') || "
        "document.body.innerText.includes('Organisations')",
        timeout=30_000,
    )
    settle(page, draw_ms=100)
    text = page.locator("[data-testid='stMain']").inner_text()
    context.close()
    return text


@pytest.mark.parametrize(
    "text",
    [
        f'[acess]\npassword = "{RIGHT}"\n',
        f'[Access]\npassword = "{RIGHT}"\n',
        f'password = "{RIGHT}"\n',
        '[access]\npassword = ""\n',
        "# nothing configured yet\n",
    ],
    ids=["acess", "Access", "top-level-password", "empty-password", "empty-file"],
)
def test_a_misspelt_or_empty_access_configuration_shows_the_locked_page(browser, server, text, request):
    with server(text, request.node.callspec.id) as app:
        for path in ("/", "/data-quality"):
            shown = main_text(browser, app.url + path)
            assert "The dashboard is locked" in shown, shown[:400]
            assert "Open access" not in shown and "Organisations" not in shown and RIGHT not in shown


def test_spoofed_forwarded_addresses_share_one_delay_when_no_proxy_is_named(browser, server):
    with server(f'[access]\npassword = "{RIGHT}"\nfailed_delay_seconds = 30\n', "unnamed-proxy") as app:
        said = [try_password(browser, app.url, f"203.0.113.{n}", WRONG) for n in range(1, 7)]
    compared = [NOT_RIGHT in s for s in said]
    assert compared == [True] + [False] * 5, said
    assert all(REFUSED in s for s in said[1:])


def test_with_a_named_proxy_many_addresses_get_no_more_guesses_a_minute_than_the_global_limit(browser, server):
    limit = 3
    secrets = (
        f'[access]\npassword = "{RIGHT}"\nfailed_delay_seconds = 30\npassword_attempts_per_minute = {limit}\n'
        'trusted_proxies = ["127.0.0.1"]\n'
    )
    tries = []  # (when, what the page said), each from a new address
    with server(secrets, "named-proxy") as app:
        for n in range(1, 9):
            when = time.monotonic()
            tries.append((when, try_password(browser, app.url, f"198.51.100.{n}", RIGHT if n == 8 else WRONG)))
    compared = [when for when, said in tries if NOT_RIGHT in said or "Organisations" in said]
    # Each named address gets its own first try, until the budget is spent ...
    assert all(NOT_RIGHT in said for _, said in tries[:limit]), tries
    # ... and in no minute are more passwords compared than the limit, the right one included.
    assert max(sum(1 for t in compared if start <= t < start + 60) for start in compared) <= limit, tries
    within_the_minute = [said for when, said in tries[limit:] if when < compared[0] + 60]
    assert within_the_minute and all(REFUSED in said and "everyone together" in said for said in within_the_minute)
    assert "Organisations" not in tries[-1][1] or tries[-1][0] >= compared[0] + 60
