"""No secret (private key, its id, API key, access token) ever reaches a page, a log record or a message.

The dashboard runs under AppTest with a fake service account in `at.secrets` and the Sheets API
faked at the HTTP layer; the service account's e-mail may be shown (users need it to share the sheet).
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path

import pytest
import requests
import responses
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_sources import GoogleAccess, GoogleSheetsSource, SheetsClient, SourceError
from data_sources.base import scrub
from data_sources.google_sheets import RetryPolicy
from tests.conftest import overview_counts
from tests.fixtures.sheets.fake_api import (
    SAMPLE,
    FakeSheetsAPI,
    error,
    fake_service_account,
    load,
    run_dashboard,
    sheet_from_workbook,
    write_config,
)
from ui import context

REPO = Path(__file__).resolve().parents[1]
KEY = "1SpInItSampleWorkbookAsAGoogleSheet000000000"
EMAIL = "spinit-reader@spinit-test.iam.gserviceaccount.com"
API_KEY = "AIzaSyFAKE-secret-api-key-0123456789abcd"


def secret_values(account: dict[str, str]) -> list[str]:
    """The secrets to look for: the key id, every line of the private key's body, the API key, the token."""
    pem_lines = [line for line in account["private_key"].splitlines() if line and "-----" not in line]
    return [account["private_key_id"], *pem_lines, API_KEY, load("token.json")["access_token"]]


def page_text(at: AppTest) -> str:
    """Everything the page holds: every element's protobuf, as text."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def assert_no_secret(text: str, account: dict[str, str]) -> None:
    leaked = [s for s in secret_values(account) if s in text]
    assert not leaked, f"{len(leaked)} secret value(s) leaked"


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A factory of AppTest runs of the dashboard on a Google Sheet, with a fake service account in st.secrets."""
    monkeypatch.setenv("SPINIT_CONFIG", str(write_config(tmp_path, kind="google_sheets", spreadsheet=KEY)))
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_SERVICE_ACCOUNT_FILE", raising=False)
    monkeypatch.setattr(context, "RETRY_POLICY", RetryPolicy(base_delay=0, max_delay=0))  # retries without waiting
    st.cache_data.clear()
    st.cache_resource.clear()
    account = fake_service_account(EMAIL)

    def run() -> AppTest:
        return run_dashboard(account)

    run.account = account
    yield run
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_live_sheet_shows_the_dashboard_and_no_secret(app, mock, caplog):
    caplog.set_level(logging.DEBUG)
    api = FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, KEY, "SpinIT monitoring"))
    at = app()
    assert not at.exception
    assert api.count("sheets") == 2 and api.count("token") == 1
    assert overview_counts(at)["Organisations"] == "30"
    assert any("Source: SpinIT monitoring" in c.value for c in at.caption)
    assert_no_secret(page_text(at), app.account)
    assert_no_secret(caplog.text, app.account)


def test_a_sheet_not_shared_explains_how_to_share_it_with_the_account_and_shows_no_secret(app, mock, caplog):
    caplog.set_level(logging.DEBUG)
    FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, KEY)).fail(error(403), times=None)
    at = app()
    assert not at.exception
    assert at.title[0].value == "The monitoring data cannot be read"
    assert EMAIL in at.error[0].value.replace("\\", "").replace("\u2060", "") and at.code[0].value == EMAIL
    assert "Share" in at.markdown[1].value
    assert_no_secret(page_text(at), app.account)
    assert_no_secret(caplog.text, app.account)
    assert "Traceback" not in page_text(at)


def test_when_google_fails_later_the_last_good_copy_is_shown_without_secrets(app, mock, caplog):
    caplog.set_level(logging.DEBUG)
    api = FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, KEY, "SpinIT monitoring"))
    app()
    st.cache_data.clear()  # the TTL has passed
    api.fail(requests.exceptions.ConnectTimeout("timed out"), times=None)
    at = app()
    assert not at.exception
    assert overview_counts(at)["Organisations"] == "30"  # the copy's numbers
    assert_no_secret(page_text(at), app.account)
    assert_no_secret(caplog.text, app.account)


def test_no_secret_in_messages_or_logs_for_any_failure(mock, caplog):
    caplog.set_level(logging.DEBUG)
    account = fake_service_account(EMAIL)
    api = FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, KEY))
    failures = [error(403), error(404), error(429), error(500), error(400, variant="api_key")]
    failures += [requests.exceptions.ConnectTimeout("timed out"), requests.exceptions.ConnectionError("down")]
    messages = []
    for access in (GoogleAccess(service_account=account), GoogleAccess(api_key=API_KEY)):
        for failure in failures:
            api.fail(failure, times=None)
            sheets = SheetsClient(access, RetryPolicy(), sleep=lambda s: None)
            with pytest.raises(SourceError) as info:
                GoogleSheetsSource(KEY, sheets).read()
            messages += [str(info.value), info.value.summary, repr(sheets), repr(access)]
            api._script.clear()
    assert_no_secret("\n".join(messages), account)
    assert_no_secret(caplog.text, account)


def test_a_damaged_service_account_key_is_reported_without_its_content():
    account = fake_service_account(EMAIL) | {"private_key": "-----BEGIN PRIVATE KEY-----\nTk9UQUtFWQ==\n-----END"}
    with pytest.raises(SourceError) as info:
        SheetsClient(GoogleAccess(service_account=account)).http()
    assert "not valid" in str(info.value) and "Tk9UQUtFWQ" not in str(info.value)


def test_api_keys_and_private_keys_are_scrubbed_from_any_text():
    text = (
        "GET https://sheets.googleapis.com/v4/spreadsheets/x?key=AIzaSySecret123&fields=a failed; "
        "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY----- token=abc"
    )
    clean = scrub(text, ["abc-not-present"])
    assert "AIzaSySecret123" not in clean and "MIIEv" not in clean and "key=***" in clean


def test_the_secrets_example_has_the_shape_of_a_service_account_key_and_no_real_key():
    example = tomllib.loads((REPO / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    account = example["gcp_service_account"]
    assert set(fake_service_account()) <= set(account)
    assert account["type"] == "service_account" and "REPLACE" in account["private_key"]
    assert (REPO / ".gitignore").read_text().count(".streamlit/secrets.toml") == 1
