"""Access control fails closed: a secrets file that exists but cannot be read, or access settings of the wrong
type, lock the dashboard with a page for its maintainer; only the absence of any secrets file opens it.

These runs use real secrets files: Streamlit reads them from the paths in the config option `secrets.files`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from monitoring.access_rules import AccessSettingsError, access_rules
from tests.conftest import APP, overview_counts
from tests.test_access import data_shown, everything_visible
from ui.auth import Access, current_access

SECRET = "SECRET-client-4a5b6c"
COOKIE = "cookie-SECRET-fedcba9876543210"
AUTH = f"""
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "{COOKIE}"

[auth.google]
client_id = "spinit.apps.googleusercontent.com"
client_secret = "{SECRET}"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""
GOOD_ACCESS = """
[access]
allow = ["@uns.ac.rs"]
managers = ["pm@uns.ac.rs"]
contact = "pm@uns.ac.rs"
"""


@pytest.fixture
def secrets_file(tmp_path):
    """Point Streamlit's `secrets.files` at one file in tmp_path; write it with the returned function."""
    saved = config.get_option("secrets.files")
    path = tmp_path / ".streamlit" / "secrets.toml"

    def write(text: str | None) -> Path:
        if text is not None:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        config.set_option("secrets.files", [str(path)])
        st.secrets._reset()
        return path

    yield write
    config.set_option("secrets.files", saved)
    st.secrets._reset()


def run(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = user or {"is_logged_in": True, "email": "someone@uns.ac.rs", "name": "Ana"}
    return at.run()


def assert_locked(at: AppTest, *words: str) -> str:
    assert not at.exception
    assert data_shown(at) == {} and overview_counts(at) == {}
    assert at.title and at.title[0].value == "The dashboard is locked"
    text = everything_visible(at)
    for word in words:
        assert word in text, f"{word!r} not on the page: {text}"
    assert "Open access" not in text
    assert SECRET not in text and COOKIE not in text
    return text


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("a list without its ]", AUTH + GOOD_ACCESS.replace('"@uns.ac.rs"]', '"@uns.ac.rs"'), "line"),
        ("[auth without its ]", AUTH.replace("[auth]", "[auth") + GOOD_ACCESS, "line 2"),
        ("a value without its quote", AUTH + GOOD_ACCESS.replace('"pm@uns.ac.rs"\n', '"pm@uns.ac.rs\n'), "line"),
    ],
    ids=["list", "table", "quote"],
)
def test_a_secrets_file_that_does_not_parse_locks_the_dashboard_and_names_the_file(secrets_file, name, text, line):
    path = secrets_file(text)
    page = assert_locked(run(), str(path).replace("\\", "/").split("/")[-1], line)
    assert str(path.parent.name) in page


def test_a_secrets_path_that_is_a_folder_or_unreadable_locks_the_dashboard(secrets_file, tmp_path):
    path = secrets_file(None)
    path.mkdir(parents=True)  # a folder called secrets.toml: it exists, but cannot be read
    assert_locked(run(), "secrets.toml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (AUTH + '[access]\nallow = "@uns.ac.rs"\n', "access.allow"),
        ('access = "everyone"\n' + AUTH, "access"),
        ('auth = "x"\n' + GOOD_ACCESS, "auth"),
        (AUTH + GOOD_ACCESS + 'failed_delay_seconds = "abc"\n', "access.failed_delay_seconds"),
        (AUTH + GOOD_ACCESS.replace('managers = ["pm@uns.ac.rs"]', 'managers = "pm@uns.ac.rs"'), "access.managers"),
        (AUTH + GOOD_ACCESS.replace('allow = ["@uns.ac.rs"]', 'allow = ["@uns.ac.rs", 7]'), "access.allow"),
        ("[access]\npassword = 1234\n", "access.password"),
        ('[access]\npasword = "typo-in-the-key"\n', "access.pasword"),
    ],
    ids=[
        "allow-text",
        "access-text",
        "auth-text",
        "delay-text",
        "managers-text",
        "allow-number",
        "password-number",
        "unknown-key",
    ],
)
def test_access_settings_of_the_wrong_type_lock_the_dashboard_and_name_the_key(secrets_file, text, key):
    secrets_file(text)
    page = assert_locked(run(), key)
    assert "typo-in-the-key" not in page and "1234" not in page


def test_an_allow_list_without_a_way_to_sign_in_locks_the_dashboard(secrets_file):
    secrets_file(GOOD_ACCESS)
    assert_locked(run(), "access.allow", "[auth]")


def test_a_good_secrets_file_still_signs_people_in(secrets_file):
    secrets_file(AUTH + GOOD_ACCESS)
    at = run()
    assert not at.exception and "Organisations" in overview_counts(at)
    assert "Signed in as Ana (viewer)" in [c.value for c in at.caption]
    stranger = run({"is_logged_in": True, "email": "eve@elsewhere.example"})
    assert stranger.title[0].value == "No access yet" and data_shown(stranger) == {}


def test_with_no_secrets_file_anywhere_the_dashboard_is_open_and_says_so(secrets_file):
    secrets_file(None)
    at = run()
    assert not at.exception and "Organisations" in overview_counts(at)
    assert "Open access (no sign-in configured)." in [c.value for c in at.caption]


def test_an_empty_secrets_file_is_open_too(secrets_file):
    secrets_file("# nothing configured yet\n")
    at = run()
    assert not at.exception and "Open access (no sign-in configured)." in [c.value for c in at.caption]


def test_with_no_decision_in_the_session_the_access_is_the_least(monkeypatch):
    monkeypatch.setattr(st, "session_state", {})
    who = current_access()
    assert not who.is_manager and who.role == "viewer"
    monkeypatch.setattr(st, "session_state", {"_access": Access("password", "manager")})
    assert current_access().is_manager


@pytest.mark.parametrize(
    ("secrets", "key"),
    [
        ({"access": "everyone"}, "access"),
        ({"auth": "x"}, "auth"),
        ({"auth": {}, "access": {"allow": "@x.org"}}, "access.allow"),
        ({"auth": {}, "access": {"allow": ["@x.org", ["nested"]]}}, "access.allow"),
        ({"auth": {}, "access": {"managers": {"a": 1}}}, "access.managers"),
        ({"access": {"password": "p", "failed_delay_seconds": "abc"}}, "access.failed_delay_seconds"),
        ({"access": {"password": "p", "failed_delay_seconds": True}}, "access.failed_delay_seconds"),
        ({"access": {"password": "p", "failed_delay_seconds": -1}}, "access.failed_delay_seconds"),
        ({"access": {"password": "p", "failed_delay_seconds": float("nan")}}, "access.failed_delay_seconds"),
        ({"access": {"password": "p", "failed_delay_seconds": 1e9}}, "access.failed_delay_seconds"),
        ({"access": {"manager_password": 42}}, "access.manager_password"),
        ({"auth": {}, "access": {"allow": ["@x.org"], "contact": ["a"]}}, "access.contact"),
        ({"access": {"allow": ["@x.org"]}}, "access.allow"),
        ({"access": {"managers": ["a@x.org"]}}, "access.managers"),
        ({"access": {"Password": "secret-value"}}, "access.Password"),
    ],
)
def test_access_rules_name_the_wrong_key_and_never_a_value(secrets, key):
    with pytest.raises(AccessSettingsError) as info:
        access_rules(secrets)
    assert info.value.key == key
    assert "secret-value" not in str(info.value) and "@x.org" not in info.value.problem


def test_access_rules_read_the_three_modes():
    assert access_rules({}).mode == "open"
    assert access_rules({"access": {"contact": "pm@x.org"}}).mode == "open"
    oidc = access_rules({"auth": {"cookie_secret": "c", "google": {"client_id": "i"}}, "access": {"allow": ["@x.org"]}})
    assert (oidc.mode, oidc.providers, oidc.allow, oidc.managers) == ("oidc", ("google",), ("@x.org",), ())
    password = access_rules({"access": {"password": "danube-2026", "failed_delay_seconds": 2}})
    assert (password.mode, password.failed_delay_seconds) == ("password", 2.0)
    assert "danube-2026" not in repr(password)
