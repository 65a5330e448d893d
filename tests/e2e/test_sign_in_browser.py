"""Sign-in in a real browser against a real OpenID Connect provider (oidc-provider-mock, on localhost).

The app server gets a secrets file of its own (`--secrets.files`) whose [auth] points at the provider: an allowed
partner gets in, a stranger gets "No access yet", a viewer has no Data quality page and a manager has, sign-out
works, and a shared link (`/indicator?indicator=RCO84&view=Records`) survives the provider's round trip.
"""

from __future__ import annotations

import time
from urllib.parse import unquote

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import free_port, running_app, settle

SHARED = "/indicator?indicator=RCO84&view=Records"


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=free_port()) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(provider, tmp_path_factory):
    port = free_port()
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "e2e-cookie-secret-0123456789abcdef"

[auth.google]
client_id = "spinit-e2e"
client_secret = "e2e-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access]
allow = ["@cluj.example"]
managers = ["pm@cluj.example"]
contact = "pm@cluj.example"
""",
        encoding="utf-8",
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "streamlit-sign-in.log"
    with running_app(port=port, args=("--secrets.files", str(secrets)), log=log) as app:
        yield app.url


@pytest.fixture(scope="module")
def based_app(provider, tmp_path_factory):
    """The same, served under `server.baseUrlPath = "spinit"` (the app at /spinit/)."""
    port = free_port()
    secrets = tmp_path_factory.mktemp("secrets-based") / "secrets.toml"
    secrets.write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/spinit/oauth2callback"
cookie_secret = "e2e-cookie-secret-0123456789abcdef"

[auth.google]
client_id = "spinit-e2e"
client_secret = "e2e-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[access]
allow = ["@cluj.example"]
""",
        encoding="utf-8",
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "streamlit-sign-in-based.log"
    args = ("--secrets.files", str(secrets), "--server.baseUrlPath", "spinit")
    with running_app(port=port, args=args, log=log) as app:
        yield app.url + "/spinit"


@pytest.fixture
def visitor(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    yield context.new_page()
    context.close()


def sign_in(page, app_url: str, email: str, path: str = "/") -> None:
    page.goto(app_url + path)
    settle(page, draw_ms=200)
    page.get_by_role("button", name="Sign in with Google").click()
    page.locator("input[name='sub']").fill(email)  # the provider's own form
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    settle(page, draw_ms=300)


def nav_titles(page) -> str:
    return page.locator("header, [data-testid='stTopNav'], nav").first.inner_text()


def test_a_signed_out_visitor_sees_only_the_sign_in_button(signed_app, visitor):
    visitor.goto(signed_app)
    settle(visitor, draw_ms=200)
    main = visitor.locator("[data-testid='stMain']").inner_text()
    assert "Sign in with Google" in main and "RCO84" not in main and "Organisations" not in main


def test_the_sign_in_page_keeps_the_shared_link_in_a_same_site_cookie_for_ten_minutes(signed_app, visitor):
    visitor.goto(signed_app + SHARED)
    settle(visitor, draw_ms=200)
    (cookie,) = [c for c in visitor.context.cookies() if c["name"] == "spinit_next"]
    assert unquote(cookie["value"]) == SHARED and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert 590 < cookie["expires"] - time.time() <= 601


def test_a_shared_link_survives_sign_in(signed_app, visitor):
    sign_in(visitor, signed_app, "someone@cluj.example", SHARED)
    assert visitor.url.startswith(signed_app + "/indicator?")
    assert "indicator=RCO84" in visitor.url and "view=Records" in visitor.url
    main = visitor.locator("[data-testid='stMain']")
    assert "RCO84" in main.inner_text()
    selected = main.get_by_role("tab", selected=True).inner_text()
    assert "Records" in selected
    assert "spinit_next" not in visitor.evaluate("document.cookie")  # used once, then forgotten


def test_under_a_base_url_path_a_shared_link_survives_sign_in(based_app, visitor):
    sign_in(visitor, based_app, "someone@cluj.example", SHARED)
    assert visitor.url.startswith(based_app + "/indicator?"), visitor.url
    assert "indicator=RCO84" in visitor.url and "view=Records" in visitor.url
    main = visitor.locator("[data-testid='stMain']")
    assert "RCO84" in main.inner_text() and "Records" in main.get_by_role("tab", selected=True).inner_text()


def test_a_viewer_has_no_data_quality_page_and_a_manager_has(signed_app, browser):
    pages = {}
    for email in ("someone@cluj.example", "pm@cluj.example"):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        sign_in(page, signed_app, email)
        pages[email] = page.locator("[data-testid='stMain'], header").all_inner_texts()
        page.get_by_role("button", name=email).click()  # the account box in the view bar
        pages[email].append(page.get_by_text("Signed in as").inner_text())
        context.close()
    viewer, manager = ("\n".join(pages[e]) for e in ("someone@cluj.example", "pm@cluj.example"))
    # The navigation's last section, "Data", holds only the Data quality page.
    assert "Organisations" in viewer and "\nData\n" not in viewer and "(viewer)" in viewer
    assert "\nData\n" in manager and "(manager)" in manager


def test_only_a_manager_can_open_data_quality(signed_app, browser):
    for email, shown in (("someone@cluj.example", False), ("pm@cluj.example", True)):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        sign_in(page, signed_app, email, "/data-quality")
        main = page.locator("[data-testid='stMain']").inner_text()
        assert ("Data quality" in main) is shown, (email, main[:300])
        context.close()


def test_a_stranger_is_refused_politely(signed_app, visitor):
    sign_in(visitor, signed_app, "eve@elsewhere.example", SHARED)
    main = visitor.locator("[data-testid='stMain']").inner_text()
    assert "No access yet" in main and "eve@elsewhere.example" in main
    assert "RCO84" not in main and "Organisations" not in main


def test_sign_out_returns_to_the_sign_in_page(signed_app, visitor):
    sign_in(visitor, signed_app, "someone@cluj.example")
    visitor.get_by_role("button", name="someone@cluj.example").click()
    visitor.get_by_role("button", name="Sign out").click()
    visitor.wait_for_url(lambda url: not url.startswith(signed_app + "/?") and "/auth/" not in url, timeout=30_000)
    visitor.wait_for_timeout(1000)  # Streamlit's logout may go on to the provider's end-session page
    visitor.goto(signed_app)
    settle(visitor, draw_ms=200)
    assert "Sign in with Google" in visitor.locator("[data-testid='stMain']").inner_text()
