"""The Google Sheets source at the HTTP layer: one batched read, bounded retries, clear failures.

The Sheets API v4 is faked with `responses` (tests/fixtures/sheets/fake_api.py) with payloads and
error bodies shaped like Google's. Sleeping is injected, so no test actually waits.
"""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses
from streamlit.testing.v1 import AppTest

from data_sources import (
    CredentialsError,
    GoogleAccess,
    GoogleSheetsSource,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    NotSharedError,
    RateLimitedError,
    ServerError,
    SheetsClient,
    SourceTimeoutError,
    source_for,
    spreadsheet_id,
)
from data_sources.google_sheets import RetryPolicy
from monitoring import cli
from monitoring.dataset import load_dataset, stale_notices
from monitoring.model.config import load_settings
from tests.conftest import overview_counts
from tests.fixtures.sheets.fake_api import (
    FIXTURE_KEY,
    FakeSheetsAPI,
    Reply,
    Sheet,
    error,
    fake_service_account,
    run_dashboard,
    sheet_from_fixtures,
    sheet_from_workbook,
    write_config,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample" / "spinit-sample.xlsx"
SAMPLE_KEY = "1SpInItSampleWorkbookAsAGoogleSheet000000000"
API_KEY = "AIzaSyFAKE-key-for-tests-0123456789abcdef"
EMAIL = "spinit-reader@spinit-test.iam.gserviceaccount.com"


class FakeClock:
    """`sleep` moves `now` forward instead of waiting; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def mock():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def api(mock) -> FakeSheetsAPI:
    return FakeSheetsAPI(mock, sheet_from_fixtures())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client(clock: FakeClock, access: GoogleAccess | None = None) -> SheetsClient:
    access = access or GoogleAccess(service_account=fake_service_account(EMAIL), where="test")
    return SheetsClient(access, RetryPolicy(), sleep=clock.sleep, clock=clock.clock, rng=lambda: 0.5)


def read(clock: FakeClock, key: str = FIXTURE_KEY, access: GoogleAccess | None = None):
    return GoogleSheetsSource(key, client(clock, access)).read()


def batch_params(mock) -> dict[str, list[str]]:
    url = next(c.request.url for c in mock.calls if "values:batchGet" in c.request.url)
    return parse_qs(urlparse(url).query)


# --- a good read ---------------------------------------------------------------------------------------------


def test_every_tab_is_read_with_one_metadata_and_one_data_request(api, mock, clock):
    book = read(clock)
    assert api.count("metadata") == 1 and api.count("batch") == 1 and api.count("sheets") == 2
    assert list(book.tabs) == [
        "partners",
        "Joint activities",
        "notes",
        "Partner's list",
    ]  # the chart sheet has no cells
    params = batch_params(mock)
    assert params["ranges"] == ["'partners'", "'Joint activities'", "'notes'", "'Partner''s list'"]
    assert params["valueRenderOption"] == ["UNFORMATTED_VALUE"] and params["dateTimeRenderOption"] == ["SERIAL_NUMBER"]


def test_cells_arrive_as_the_sheet_holds_them_ragged_unicode_numbers_and_serial_dates(api, clock):
    book = read(clock)
    partners = book.tabs["partners"].rows
    assert partners[2] == ["P2", "Научно-технолошки парк Нови Сад", "Србија", "PP"]  # ragged: no trailing cells
    assert partners[3] == []  # a blank row in the middle keeps the rows below on their sheet row
    activities = book.tabs["Joint activities"].rows
    assert activities[1][1] == 45672 and activities[2][1] == 45700.75  # serial dates stay numbers
    assert activities[1][6] == 1.5 and activities[2][3] == "Обука 1,5 дана"  # never re-read from display text
    assert book.tabs["notes"].rows == []  # an empty tab: the API sends no "values"
    assert book.tabs["Partner's list"].rows == [["", "", "note"], [True, False, "Ünïcödé ✓"]]
    assert book.origin == "SpinIT monitoring – Dunărea" and book.kind == "google_sheets"


def test_each_tab_links_to_itself_in_the_sheet(api, clock):
    book = read(clock)
    base = f"https://docs.google.com/spreadsheets/d/{FIXTURE_KEY}/edit"
    assert book.tabs["partners"].link == f"{base}#gid=0"
    assert book.tabs["Joint activities"].link == f"{base}#gid=1029384756"
    assert book.link == base


def test_the_number_of_requests_does_not_grow_with_the_number_of_tabs(mock, clock):
    many = Sheet(FIXTURE_KEY, "Forty tabs", {f"tab {i}": [["a", "b"], [i, i * 2]] for i in range(40)})
    api = FakeSheetsAPI(mock, many)
    book = read(clock)
    assert len(book.tabs) == 40 and book.tabs["tab 39"].rows == [["a", "b"], [39, 78]]
    assert api.count("sheets") == 2


def test_the_service_account_asks_for_read_only_access(api, mock, clock):
    read(clock)
    token_call = next(c for c in mock.calls if "oauth2" in c.request.url)
    assertion = parse_qs(token_call.request.body.decode())["assertion"][0]
    payload = json.loads(base64.urlsafe_b64decode(assertion.split(".")[1] + "=="))
    assert payload["scope"] == "https://www.googleapis.com/auth/spreadsheets.readonly"
    assert payload["iss"] == EMAIL


def test_an_api_key_reads_a_public_sheet_with_the_key_in_a_header_not_the_url(api, mock, clock):
    read(clock, access=GoogleAccess(api_key=API_KEY))
    assert api.count("token") == 0 and api.count("sheets") == 2
    for call in mock.calls:
        assert API_KEY not in call.request.url and call.request.headers["x-goog-api-key"] == API_KEY


def test_a_url_or_a_key_names_a_google_sheet_and_anything_else_a_file():
    url = f"https://docs.google.com/spreadsheets/d/{FIXTURE_KEY}/edit#gid=1029384756"
    assert spreadsheet_id(url) == FIXTURE_KEY and spreadsheet_id(FIXTURE_KEY) == FIXTURE_KEY
    assert spreadsheet_id("data/sample/spinit-sample.xlsx") is None and spreadsheet_id("https://example.org/x") is None
    assert isinstance(source_for(url), GoogleSheetsSource) and source_for(url).spreadsheet == FIXTURE_KEY
    assert not isinstance(source_for(str(SAMPLE)), GoogleSheetsSource)


# --- bounded retries -----------------------------------------------------------------------------------------


def test_a_429_is_retried_with_backoff_and_then_the_sheet_is_read(api, clock):
    api.fail(error(429), endpoint="batch", times=2)
    book = read(clock)
    assert "partners" in book.tabs
    assert api.count("metadata") == 1 and api.count("batch") == 3
    assert clock.sleeps == [0.75, 1.5]  # 1 s, 2 s with jitter (rng 0.5 -> x0.75)


def test_retry_after_is_honoured(api, clock):
    api.fail(error(429, {"Retry-After": "7"}), endpoint="batch", times=1)
    read(clock)
    assert clock.sleeps == [7.0]


def test_a_429_that_never_ends_gives_up_within_thirty_seconds(api, clock):
    api.fail(error(429), endpoint="batch", times=None)
    start = clock.now
    with pytest.raises(RateLimitedError) as info:
        read(clock)
    assert clock.now - start + RetryPolicy().timeout <= 30  # even if the last attempt had hung until its timeout
    assert api.count("batch") == len(clock.sleeps) + 1 >= 3
    assert "quota" in str(info.value) and "HTTP 429" in str(info.value)


def test_the_metadata_and_the_data_request_share_one_time_budget(api, clock):
    api.fail(error(503), endpoint="metadata", times=3)
    api.fail(error(503), endpoint="batch", times=None)
    start = clock.now
    with pytest.raises(ServerError):
        read(clock)
    assert clock.now - start + RetryPolicy().timeout <= 30


def test_a_server_error_is_retried_then_reported(api, clock):
    api.fail(error(500), endpoint="metadata", times=1)
    assert "partners" in read(clock).tabs
    api.fail(error(500), times=None)
    with pytest.raises(ServerError) as info:
        read(clock)
    assert "HTTP 500" in str(info.value) and "Google's side" in str(info.value)


def test_a_timeout_is_retried_then_reported(api, clock):
    api.fail(requests.exceptions.ConnectTimeout("connect timed out"), times=None)
    with pytest.raises(SourceTimeoutError) as info:
        read(clock)
    assert "did not answer within 10 s" in str(info.value)
    assert api.count("metadata") >= 2


def test_no_network_is_reported_as_such(api, clock):
    api.fail(requests.exceptions.ConnectionError("Name or service not known"), times=None)
    with pytest.raises(NetworkError) as info:
        read(clock, access=GoogleAccess(api_key=API_KEY))
    assert "No connection to Google Sheets" in str(info.value)


def test_every_request_has_a_ten_second_timeout(clock):
    sheets = client(clock)
    assert sheets.http().timeout == 10.0


# --- failures that are not retried ---------------------------------------------------------------------------


def test_a_sheet_not_shared_names_the_service_account_to_share_it_with(api, clock):
    api.fail(error(403), times=None)
    with pytest.raises(NotSharedError) as info:
        read(clock)
    assert EMAIL in str(info.value) and "Viewer" in str(info.value) and info.value.account == EMAIL
    assert api.count("sheets") == 1  # a 403 is not retried


def test_a_private_sheet_read_with_an_api_key_says_to_share_it_with_anyone_with_the_link(api, clock):
    api.fail(error(403), times=None)
    with pytest.raises(NotSharedError) as info:
        read(clock, access=GoogleAccess(api_key=API_KEY))
    assert "Anyone with the link" in str(info.value)


def test_a_disabled_sheets_api_says_to_enable_it(mock, clock):
    api = FakeSheetsAPI(mock, sheet_from_fixtures())
    api.fail(error(403, variant="api_disabled"))
    with pytest.raises(CredentialsError) as info:
        read(clock)
    assert "Google Sheets API is not enabled" in str(info.value)


def test_a_wrong_key_says_which_key_and_where_to_fix_it(api, clock):
    missing = "1ThisKeyDoesNotExistAnywhere0000000000000000"
    with pytest.raises(NotFoundError) as info:
        read(clock, key=missing)
    assert missing in str(info.value) and "source.spreadsheet" in str(info.value)
    assert api.count("sheets") == 1


def test_an_invalid_api_key_is_a_credentials_problem(api, clock):
    api.fail(error(400, variant="api_key"))
    with pytest.raises(CredentialsError) as info:
        read(clock, access=GoogleAccess(api_key=API_KEY))
    assert "API key not valid" in str(info.value) and API_KEY not in str(info.value)


def test_an_answer_that_is_not_json_is_malformed(api, clock):
    api.fail(Reply(200, "<html><body>Proxy login</body></html>"), endpoint="batch")
    with pytest.raises(MalformedResponseError):
        read(clock)


def test_an_answer_without_value_ranges_is_malformed(api, clock):
    api.fail(Reply(200, {"spreadsheetId": FIXTURE_KEY}), endpoint="batch")
    with pytest.raises(MalformedResponseError):
        read(clock)


def test_without_credentials_nothing_is_requested_and_the_message_says_how_to_set_them_up(api, clock):
    with pytest.raises(CredentialsError) as info:
        read(clock, access=GoogleAccess())
    assert "secrets.toml" in str(info.value) and "GOOGLE_API_KEY" in str(info.value)
    assert api.calls == []


def test_a_service_account_file_from_the_environment_is_used(api, clock, tmp_path):
    path = tmp_path / "key.json"
    path.write_text(json.dumps(fake_service_account(EMAIL)))
    access = GoogleAccess.from_env({"GOOGLE_SERVICE_ACCOUNT_FILE": str(path), "GOOGLE_API_KEY": API_KEY})
    assert "partners" in read(clock, access=access).tabs
    assert api.count("token") == 1  # the service account, not the API key


def test_an_unreadable_service_account_file_is_named(clock, tmp_path):
    access = GoogleAccess.from_env({"GOOGLE_SERVICE_ACCOUNT_FILE": str(tmp_path / "missing.json")})
    with pytest.raises(CredentialsError) as info:
        read(clock, access=access)
    assert "missing.json" in str(info.value)


# --- the same data as an .xlsx file gives the same summary --------------------------------------------------


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "indicators.yaml"
    shutil.copy(REPO / "indicators.yaml", path)
    return path


def summary(capsys, *args: str) -> dict:
    assert cli.main(["summary", "--format", "json", "--as-of", "2025-09-30", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_summary_from_the_google_sheet_equals_the_summary_from_the_same_xlsx(mock, config, capsys, monkeypatch):
    api = FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, SAMPLE_KEY, "SpinIT monitoring"))
    monkeypatch.setenv("GOOGLE_API_KEY", API_KEY)
    monkeypatch.delenv("GOOGLE_SERVICE_ACCOUNT_FILE", raising=False)
    url = f"https://docs.google.com/spreadsheets/d/{SAMPLE_KEY}/edit#gid=0"

    from_sheet = summary(capsys, "--config", str(config), "--source", url)
    from_file = summary(capsys, "--config", str(config), "--source", str(SAMPLE))

    assert api.count("sheets") == 2 and len(mock.calls) == 2  # every HTTP request, all tabs
    assert from_sheet["source"] == "SpinIT monitoring" and from_file["source"] == "spinit-sample.xlsx"
    ignore = {"source", "sample"}
    assert {k: v for k, v in from_sheet.items() if k not in ignore} == {
        k: v for k, v in from_file.items() if k not in ignore
    }
    assert from_sheet["counts"]["activities"] >= 150 and from_sheet["problems"] == 0


def test_the_cli_explains_a_failure_without_a_traceback(mock, config, capsys, monkeypatch):
    api = FakeSheetsAPI(mock)
    api.fail(error(403), times=None)
    monkeypatch.setenv("GOOGLE_API_KEY", API_KEY)
    assert cli.main(["summary", "--config", str(config), "--source", SAMPLE_KEY]) == cli.EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert "Anyone with the link" in err and "Traceback" not in err and API_KEY not in err


# --- the last good copy, and the dashboard's shared cache ---------------------------------------------------


def test_when_google_keeps_answering_429_the_last_good_copy_is_shown_with_the_reason(mock, clock, tmp_path):
    api = FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, SAMPLE_KEY, "SpinIT monitoring"))
    config = write_config(tmp_path, kind="google_sheets", spreadsheet=SAMPLE_KEY)
    settings = load_settings(config)
    live = load_dataset(settings, config, client=client(clock))
    api.fail(error(429), times=None)
    start = clock.now
    stale = load_dataset(settings, config, client=client(clock))
    assert clock.now - start + RetryPolicy().timeout <= 30
    assert stale.counts() == live.counts() and stale.source.read_at == live.source.read_at
    assert not stale.source.live and stale.source.failures[0].reason == "rate_limited"
    (problem,) = [p for p in stale.problems if p.tab == "source"]
    assert problem.level == "warning" and "quota" in problem.message and problem.origin == "SpinIT monitoring"
    (line,) = stale_notices(stale.source)
    assert line.startswith("Live data unavailable since") and "UTC (Google's read quota is used up); showing" in line
    assert line.endswith(f"showing data read at {live.source.read_at:%d %b %Y, %H:%M} UTC.")


@pytest.fixture
def dashboard(tmp_path, monkeypatch, mock):
    """The dashboard on the sample served as a Google Sheet; yields the fake API. Caches start empty."""
    import streamlit as st

    monkeypatch.setenv("SPINIT_CONFIG", str(write_config(tmp_path, kind="google_sheets", spreadsheet=SAMPLE_KEY)))
    monkeypatch.delenv("GOOGLE_SERVICE_ACCOUNT_FILE", raising=False)
    monkeypatch.setenv("GOOGLE_API_KEY", API_KEY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield FakeSheetsAPI(mock, sheet_from_workbook(SAMPLE, SAMPLE_KEY, "SpinIT monitoring"))
    st.cache_data.clear()
    st.cache_resource.clear()


def test_sessions_share_one_read_per_ttl(dashboard):
    for _ in range(3):
        at = run_dashboard()
        assert not at.exception and overview_counts(at)["Organisations"] == "30"
    assert dashboard.count("sheets") == 2  # three sessions, one read


def test_refresh_now_forces_a_read(dashboard):
    at = run_dashboard()
    next(b for b in at.button if b.label == "Refresh now").click().run()
    assert not at.exception
    assert dashboard.count("batch") == 2 and dashboard.count("sheets") == 4


def test_a_sheet_that_cannot_be_read_is_not_asked_again_by_every_session_until_try_again(dashboard):
    dashboard.fail(error(404), times=None)
    at = run_dashboard()
    assert at.title[0].value == "The monitoring data cannot be read"
    run_dashboard()
    assert dashboard.count("sheets") == 1  # the second session shares the failed read
    next(b for b in at.button if b.label == "Try again").click().run()
    assert dashboard.count("sheets") == 2


def test_the_stale_banner_says_since_when_why_and_what_is_shown(dashboard):
    run_dashboard()
    dashboard.fail(error(403), times=None)

    def page() -> None:
        from ui import context, errors

        context.refresh()
        errors.show_stale_banner(context.dataset())

    at = AppTest.from_function(page, default_timeout=60).run()
    (banner,) = at.warning
    text = banner.value.replace("\\", "")
    assert text.startswith("Live data unavailable since") and "shared with 'anyone with the link'" in text
    assert "showing data read at" in text
