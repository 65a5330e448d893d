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

from monitoring.door.access_rules import AccessSettingsError, access_rules
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


GCP = """
[gcp_service_account]
type = "service_account"
client_email = "spinit@project.iam.gserviceaccount.com"
private_key = "SECRET-private-key"
"""
SMTP = """
[smtp]
host = "smtp.example.org"
password = "SECRET-smtp"
"""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[acess]\npassword = "pw-SECRET"\n', ["acess", "[access]"]),
        ('[Access]\npassword = "pw-SECRET"\n', ["Access", "[access]"]),
        ('password = "pw-SECRET"\n', ["password", "[access]"]),
        ('[access]\npassword = ""\n', ["access.password", "empty"]),
        ('[access]\npassword = "   "\n', ["access.password", "empty"]),
        ('[access]\npassword = "pw-SECRET"\nmanager_password = ""\n', ["access.manager_password", "empty"]),
        ("# nothing configured yet\n", ["no sign-in settings", "[auth]"]),
        (GCP, ["no sign-in settings", "open = true"]),
        (GCP + SMTP + '[access]\ncontact = "pm@uns.ac.rs"\n', ["no sign-in settings"]),
        (AUTH + GOOD_ACCESS + "[google_sheets]\nkey = 1\n", ["google_sheets"]),
        ('[access]\npassword = "pw-SECRET"\nPassword = "x"\n', ["access.Password", "password"]),
        ('[access]\nopen = true\npassword = "pw-SECRET"\n', ["access.open"]),
        (AUTH + GOOD_ACCESS + "open = true\n", ["access.open"]),
        ('[access]\nopen = "yes"\n', ["access.open"]),
    ],
    ids=[
        "acess",
        "Access",
        "top-level-password",
        "empty-password",
        "blank-password",
        "empty-manager-password",
        "empty-file",
        "only-google",
        "google-smtp-contact",
        "unknown-section",
        "unknown-key-in-access",
        "open-and-password",
        "open-and-auth",
        "open-text",
    ],
)
def test_a_misspelt_or_empty_access_configuration_locks_the_dashboard(secrets_file, text, words):
    secrets_file(text)
    page = assert_locked(run(), *words)
    assert "pw-SECRET" not in page and "SECRET-private-key" not in page and "SECRET-smtp" not in page


def test_the_sections_the_dashboard_uses_next_to_sign_in_are_recognised(secrets_file):
    secrets_file(AUTH + GOOD_ACCESS + GCP + SMTP)
    at = run()
    assert not at.exception and "Organisations" in overview_counts(at)
    assert "Signed in as Ana (viewer)" in [c.value for c in at.caption]


def test_open_access_on_purpose_is_said_in_the_secrets_file(secrets_file):
    secrets_file(GCP + "[access]\nopen = true\n")
    at = run()
    assert not at.exception and "Organisations" in overview_counts(at)
    assert "Open access (no sign-in configured)." in [c.value for c in at.caption]


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


@pytest.mark.parametrize(
    ("secrets", "key"),
    [
        ({}, "secrets"),
        ({"access": {"contact": "pm@x.org"}}, "secrets"),
        ({"gcp_service_account": {"type": "service_account"}}, "secrets"),
        ({"acess": {"password": "secret-value"}}, "acess"),
        ({"Access": {"password": "secret-value"}}, "Access"),
        ({"password": "secret-value"}, "password"),
        ({"access": {"password": ""}}, "access.password"),
        ({"access": {"password": "secret-value", "manager_password": " "}}, "access.manager_password"),
        ({"access": {"password": "secret-value"}, "GOOGLE_API_KEYS": "secret-value"}, "GOOGLE_API_KEYS"),
        ({"access": {"password": "secret-value"}, "smtp": "secret-value"}, "smtp"),
        ({"access": {"password": "secret-value"}, "gcp_service_account": "secret-value"}, "gcp_service_account"),
        ({"access": {"password": "secret-value"}, "GOOGLE_API_KEY": {"a": 1}}, "GOOGLE_API_KEY"),
        ({"access": {"open": True, "password": "secret-value"}}, "access.open"),
        ({"access": {"open": True, "allow": ["@x.org"]}}, "access.open"),
        ({"auth": {}, "access": {"open": True}}, "access.open"),
        ({"access": {"open": "true"}}, "access.open"),
        ({"access": {"password": "p", "trusted_proxies": "127.0.0.1"}}, "access.trusted_proxies"),
        ({"access": {"password": "p", "trusted_proxies": ["127.0.0.1", "proxy.local"]}}, "access.trusted_proxies"),
        ({"access": {"password": "p", "password_attempts_per_minute": 0}}, "access.password_attempts_per_minute"),
        ({"access": {"password": "p", "password_attempts_per_minute": "30"}}, "access.password_attempts_per_minute"),
        ({"access": {"password": "p", "password_attempts_per_minute": 2.5}}, "access.password_attempts_per_minute"),
        ({"access": {"password": "p", "password_attempts_per_minute": True}}, "access.password_attempts_per_minute"),
    ],
)
def test_a_secrets_file_without_recognised_access_settings_names_what_is_wrong(secrets, key):
    with pytest.raises(AccessSettingsError) as info:
        access_rules(secrets)
    assert info.value.key == key
    assert "secret-value" not in str(info.value)


def test_the_top_level_settings_the_dashboard_reads_are_recognised():
    from data_sources.google_sheets import API_KEY_ENV, SERVICE_ACCOUNT_FILE_ENV
    from monitoring.door.access_rules import SECTIONS, TOP_LEVEL_KEYS
    from monitoring.entry import CONFIG_ENV, OLDER_CONFIG_ENV, OLDER_SOURCE_ENV, SOURCE_ENV
    from monitoring.outputs.export import FONT_ENV
    from monitoring.outputs.mail import ENV
    from ui.context import SECRETS_KEY

    assert {
        API_KEY_ENV,
        SERVICE_ACCOUNT_FILE_ENV,
        FONT_ENV,
        CONFIG_ENV,
        SOURCE_ENV,
        OLDER_CONFIG_ENV,
        OLDER_SOURCE_ENV,
        *ENV.values(),
    } <= set(TOP_LEVEL_KEYS)
    assert {SECRETS_KEY, "smtp", "auth", "access"} <= set(SECTIONS)
    secrets = {"access": {"password": "p"}, "gcp_service_account": {}, "smtp": {}}
    assert access_rules(secrets | {key: "x" for key in TOP_LEVEL_KEYS}).mode == "password"


def test_access_rules_read_the_three_modes():
    assert access_rules(None).mode == "open"
    assert access_rules({"access": {"open": True}, "gcp_service_account": {}}).mode == "open"
    assert access_rules({"access": {"open": False, "password": "p"}}).mode == "password"
    defaults = access_rules({"access": {"password": "p"}})
    assert (defaults.password_attempts_per_minute, defaults.trusted_proxies) == (30, ())
    named = access_rules({"access": {"password": "p", "trusted_proxies": ["127.0.0.1", "10.0.0.0/8"]}})
    assert named.trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    oidc = access_rules({"auth": {"cookie_secret": "c", "google": {"client_id": "i"}}, "access": {"allow": ["@x.org"]}})
    assert (oidc.mode, oidc.providers, oidc.allow, oidc.managers) == ("oidc", ("google",), ("@x.org",), ())
    password = access_rules({"access": {"password": "danube-2026", "failed_delay_seconds": 2}})
    assert (password.mode, password.failed_delay_seconds) == ("password", 2.0)
    assert "danube-2026" not in repr(password)
