"""Read a Google Sheet with two requests: its metadata, then every tab in one `values:batchGet`.

Values come unformatted (`UNFORMATTED_VALUE`, dates as serial numbers), so a number is never
re-read from its display text ("1,5" stays 1.5) and `monitoring.sheet.parse.parse_date` turns serials
into days. Rows are passed on as the API returns them: ragged, without trailing empty cells; an
empty tab has no rows.

Waiting is bounded: every HTTP request times out after `RetryPolicy.timeout` seconds, and HTTP 429,
5xx, timeouts and lost connections are retried with exponential backoff and jitter (honouring
`Retry-After`) only while the whole read stays within `RetryPolicy.max_wait` seconds. gspread's
own `BackOffHTTPClient` is not used: in gspread 6.2.1 it retries without limit.

Credentials (`GoogleAccess`): a service account's JSON key (from `st.secrets`, passed in by the
app, or from the file named by GOOGLE_SERVICE_ACCOUNT_FILE), or an API key (GOOGLE_API_KEY) for a
sheet shared as "anyone with the link". Scope: read-only. No secret ever appears in a message.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from google.auth import api_key as google_api_key
from google.auth import exceptions as auth_errors
from google.oauth2 import service_account
from gspread.exceptions import APIError, NoValidUrlKeyFound
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEET_URL, SPREADSHEET_VALUES_BATCH_URL
from gspread.utils import absolute_range_name, extract_id_from_url

from data_sources.base import (
    CredentialsError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    NotSharedError,
    RateLimitedError,
    RawTab,
    RawWorkbook,
    ServerError,
    SourceError,
    SourceTimeoutError,
    scrub,
)

LOG = logging.getLogger("spinit.sources")

READONLY_SCOPE = "https://www.googleapis.com/auth/spreadsheets.readonly"
SERVICE_ACCOUNT_FILE_ENV = "GOOGLE_SERVICE_ACCOUNT_FILE"
API_KEY_ENV = "GOOGLE_API_KEY"
METADATA_FIELDS = "spreadsheetId,properties.title,sheets.properties(sheetId,title,index,sheetType)"
VALUE_PARAMS = {
    "majorDimension": "ROWS",
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
}
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{40,}")
HOW_TO = "See docs/google-sheets.md, 'Connect your Google Sheet'."


def spreadsheet_id(location: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL or a bare key (40+ letters, digits, - and _); else None."""
    text = location.strip()
    if _BARE_KEY.fullmatch(text):
        return text
    if "docs.google.com/spreadsheets" in text:
        try:
            return extract_id_from_url(text)
        except NoValidUrlKeyFound:
            return None
    return None


def spreadsheet_link(key: str, sheet_id: int | None = None) -> str:
    """The URL that opens a spreadsheet, or one of its tabs."""
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    return url if sheet_id is None else f"{url}#gid={sheet_id}"


@dataclass(frozen=True)
class GoogleAccess:
    """How to authenticate; cheap to make and never fails (problems surface when a sheet is read).

    Exactly one of: `service_account` (the JSON key as a dict), `service_account_file` (a path to it),
    or `api_key`. `where` says where they came from, for messages ("st.secrets", an env variable).
    """

    service_account: Mapping[str, Any] | None = field(default=None, repr=False)
    service_account_file: str = ""
    api_key: str = field(default="", repr=False)
    where: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GoogleAccess:
        """From GOOGLE_SERVICE_ACCOUNT_FILE, else GOOGLE_API_KEY; empty when neither is set."""
        env = os.environ if environ is None else environ
        if path := env.get(SERVICE_ACCOUNT_FILE_ENV, "").strip():
            return cls(service_account_file=path, where=SERVICE_ACCOUNT_FILE_ENV)
        if key := env.get(API_KEY_ENV, "").strip():
            return cls(api_key=key, where=API_KEY_ENV)
        return cls()

    @property
    def configured(self) -> bool:
        return bool(self.service_account or self.service_account_file or self.api_key)

    @property
    def fingerprint(self) -> str:
        """A stable, non-reversible id of these credentials, for cache keys."""
        content = json.dumps(
            [dict(self.service_account or {}), self.service_account_file, self.api_key], sort_keys=True, default=str
        )
        return hashlib.sha256(content.encode()).hexdigest()[:16]

    def secrets(self) -> list[str]:
        """Every secret value these credentials hold, to scrub from any text."""
        info = self.service_account or {}
        return [s for s in (self.api_key, info.get("private_key"), info.get("private_key_id")) if isinstance(s, str)]


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded waiting: per-request timeout, and retries with backoff within `max_wait` for the whole read."""

    timeout: float = 10.0
    max_wait: float = 30.0
    base_delay: float = 1.0
    max_delay: float = 16.0
    max_attempts: int = 6

    def delay(self, attempt: int, retry_after: float | None, rng: Callable[[], float]) -> float:
        """Seconds to wait before attempt `attempt + 1`: exponential with jitter, at least `Retry-After`."""
        backoff = min(self.max_delay, self.base_delay * 2**attempt) * (0.5 + rng() / 2)
        return max(backoff, retry_after or 0.0)


class RetriesExhausted(Exception):
    """The last retryable failure, once the attempts or the time allowed are used up."""

    def __init__(self, cause: Exception, attempts: int, waited: float) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.attempts = attempts
        self.waited = waited


def _retry_after(response: requests.Response | None) -> float | None:
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


class SheetsClient:
    """gspread's HTTP client, made on first use, with a timeout and bounded retries. Safe to share between threads.

    `sleep`, `clock` and `rng` can be replaced so tests never actually wait.
    """

    def __init__(
        self,
        access: GoogleAccess,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.access = access
        self.policy = policy or RetryPolicy()
        self._sleep, self._clock, self._rng = sleep, clock, rng
        self._http: HTTPClient | None = None
        self._lock = threading.Lock()
        self.account = str((access.service_account or {}).get("client_email", ""))

    def __repr__(self) -> str:
        return f"SheetsClient(account={self.account!r}, where={self.access.where!r})"

    def secrets(self) -> list[str]:
        return self.access.secrets()

    def _credentials(self) -> Any:
        access = self.access
        if access.api_key:
            return google_api_key.Credentials(access.api_key)
        info = access.service_account
        if access.service_account_file:
            try:
                info = json.loads(Path(access.service_account_file).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CredentialsError(
                    f"The service account file {access.service_account_file} (from {access.where}) cannot be read "
                    f"({exc.strerror}). {HOW_TO}",
                    summary="the service account file cannot be read",
                ) from None
            except ValueError:
                raise CredentialsError(
                    f"The service account file {access.service_account_file} is not JSON: download the key again "
                    f"(IAM > Service accounts > Keys > Add key > JSON). {HOW_TO}",
                    summary="the service account file is not valid",
                ) from None
            self.access = access = GoogleAccess(service_account=info, where=access.where)
            self.account = str(info.get("client_email", "")) if isinstance(info, dict) else ""
        try:
            return service_account.Credentials.from_service_account_info(dict(info or {}), scopes=[READONLY_SCOPE])
        except (ValueError, TypeError, KeyError, auth_errors.GoogleAuthError):
            raise CredentialsError(
                f"The service account key (from {access.where or 'the settings'}) is not valid: it must be the whole "
                f"JSON key file of a service account (type, client_email, private_key, token_uri...). {HOW_TO}",
                summary="the service account key is not valid",
                account=self.account,
            ) from None

    def http(self) -> HTTPClient:
        """gspread's HTTP client for these credentials (made once). Raises CredentialsError."""
        with self._lock:
            if self._http is None:
                if not self.access.configured:
                    raise CredentialsError(
                        "No Google credentials are set up, so the Google Sheet cannot be read. Put a service account's "
                        "JSON key under [gcp_service_account] in .streamlit/secrets.toml (or set "
                        f"{SERVICE_ACCOUNT_FILE_ENV} to its path), or set {API_KEY_ENV} for a sheet shared as "
                        f"'anyone with the link'. {HOW_TO}",
                        summary="no Google credentials are set up",
                    )
                http = HTTPClient(self._credentials())
                http.set_timeout(self.policy.timeout)
                self._http = http
            return self._http

    def deadline(self) -> float:
        """The clock time by which a read that starts now must end."""
        return self._clock() + self.policy.max_wait

    def get_json(self, url: str, params: dict[str, Any], deadline: float) -> Any:
        """GET `url` and decode its JSON, retrying 429, 5xx, timeouts and lost connections until `deadline`.

        Raises APIError (other statuses), RetriesExhausted, MalformedResponseError or CredentialsError.
        """
        http = self.http()
        started = self._clock()
        attempt = 0
        while True:
            retry_after = None
            try:
                response = http.request("get", url, params=dict(params))
            except APIError as exc:
                status = exc.response.status_code
                if status not in RETRY_STATUS:
                    raise
                failure: Exception = exc
                retry_after = _retry_after(exc.response)
            except (requests.Timeout, requests.ConnectionError, auth_errors.TransportError) as exc:
                failure = exc
            else:
                try:
                    return response.json()
                except ValueError:
                    raise MalformedResponseError(
                        "Google Sheets sent an answer that is not valid JSON; this is usually temporary: "
                        "refresh the dashboard in a minute.",
                        summary="Google sent an answer that could not be read",
                    ) from None
            attempt += 1
            wait = self.policy.delay(attempt - 1, retry_after, self._rng)
            if attempt >= self.policy.max_attempts or self._clock() + wait + self.policy.timeout > deadline:
                raise RetriesExhausted(failure, attempt, self._clock() - started)
            LOG.info("Google Sheets: %s; retry %d in %.1f s", _failure_name(failure), attempt, wait)
            self._sleep(wait)


def _failure_name(exc: Exception) -> str:
    if isinstance(exc, APIError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__


def _api_message(exc: APIError) -> str:
    error = exc.error if isinstance(exc.error, Mapping) else {}
    message = " ".join(str(error.get("message", "")).split())
    return message if len(message) <= 200 else message[:197] + "..."


def _api_reasons(exc: APIError) -> set[str]:
    error = exc.error if isinstance(exc.error, Mapping) else {}
    reasons = {str(error.get("status", ""))}
    for detail in error.get("details") or ():
        if isinstance(detail, Mapping):
            reasons.add(str(detail.get("reason", "")))
    return reasons


@dataclass(frozen=True)
class GoogleSheetsSource:
    """One Google spreadsheet, by key or URL, read in two requests (metadata + all tabs)."""

    spreadsheet: str
    client: SheetsClient | None = None

    @property
    def key(self) -> str:
        key = spreadsheet_id(self.spreadsheet)
        if key is None:
            raise NotFoundError(
                f"'{self.spreadsheet}' is not a Google Sheets key or URL: copy the sheet's URL from the browser's "
                "address bar into source.spreadsheet in indicators.yaml.",
                summary="the spreadsheet's key or URL is not valid",
            )
        return key

    def read(self) -> RawWorkbook:
        key = self.key
        client = self.client or SheetsClient(GoogleAccess.from_env())
        try:
            deadline = client.deadline()
            meta = client.get_json(SPREADSHEET_URL % key, {"fields": METADATA_FIELDS}, deadline)
            title, sheets = _grid_sheets(meta)
            ranges = [absolute_range_name(name) for name, _ in sheets]
            values: list[Any] = []
            if ranges:
                params = {"ranges": ranges, **VALUE_PARAMS}
                values = _value_ranges(client.get_json(SPREADSHEET_VALUES_BATCH_URL % key, params, deadline), ranges)
        except (APIError, RetriesExhausted, requests.RequestException, auth_errors.GoogleAuthError) as exc:
            raise _source_error(exc, key, client) from None
        tabs = {
            name: RawTab(name, rows, origin=title, link=spreadsheet_link(key, sheet_id))
            for (name, sheet_id), rows in zip(sheets, values, strict=True)
        }
        return RawWorkbook(tabs, origin=title, kind="google_sheets", link=spreadsheet_link(key))


def _malformed(what: str) -> MalformedResponseError:
    return MalformedResponseError(
        f"Google Sheets sent an answer without {what}; this is usually temporary: refresh the dashboard in a minute.",
        summary="Google sent an answer that could not be read",
    )


def _grid_sheets(meta: Any) -> tuple[str, list[tuple[str, int]]]:
    """The spreadsheet's title and its grid tabs (title, sheetId) in order; charts-only sheets have no cells."""
    try:
        title = str(meta["properties"]["title"])
        found = []
        for sheet in meta.get("sheets", []):
            props = sheet["properties"]
            if props.get("sheetType", "GRID") == "GRID":
                found.append((int(props.get("index", len(found))), str(props["title"]), int(props.get("sheetId", 0))))
    except (KeyError, TypeError, AttributeError, ValueError):
        raise _malformed("the spreadsheet's title and tabs") from None
    return title, [(name, sheet_id) for _, name, sheet_id in sorted(found)]


def _value_ranges(data: Any, ranges: list[str]) -> list[list[list[Any]]]:
    """Each requested tab's rows, in request order; a tab with no values has no rows."""
    try:
        value_ranges = data["valueRanges"]
        if len(value_ranges) != len(ranges):
            raise ValueError
        rows = [vr.get("values", []) for vr in value_ranges]
        if not all(isinstance(r, list) and all(isinstance(row, list) for row in r) for r in rows):
            raise ValueError
    except (KeyError, TypeError, AttributeError, ValueError):
        raise _malformed("the values of every tab") from None
    return rows


def _source_error(exc: Exception, key: str, client: SheetsClient) -> SourceError:
    """The SourceError a user can act on for a failed request; no secret in its text."""
    account, secrets = client.account, client.secrets()
    attempts = ""
    if isinstance(exc, RetriesExhausted):
        attempts = f" ({exc.attempts} attempt{'s' if exc.attempts > 1 else ''} in {exc.waited:.0f} s)"
        exc = exc.cause
    if isinstance(exc, auth_errors.RefreshError):
        detail = scrub(str(exc.args[0]) if exc.args else "", secrets)
        return CredentialsError(
            f"Google refused the service account's credentials ({detail}). The key may have been deleted or the "
            f"account disabled: create a new JSON key for {account or 'the service account'}. {HOW_TO}",
            summary="Google refused the service account's credentials",
            account=account,
        )
    if isinstance(exc, requests.Timeout):
        return SourceTimeoutError(
            f"Google Sheets did not answer within {client.policy.timeout:.0f} s{attempts}. "
            "The dashboard tries again at the next refresh.",
            summary=f"Google Sheets did not answer within {client.policy.timeout:.0f} s",
        )
    if isinstance(exc, (requests.ConnectionError, auth_errors.TransportError)):
        return NetworkError(
            f"No connection to Google Sheets (sheets.googleapis.com){attempts}: check this computer's internet "
            "connection, firewall or proxy.",
            summary="no connection to Google",
        )
    if not isinstance(exc, APIError):
        return SourceError(f"Google Sheets could not be read: {scrub(str(exc), secrets)}")
    status = exc.response.status_code
    message = scrub(_api_message(exc), secrets)
    if status == 429:
        return RateLimitedError(
            f"Google Sheets' read quota is used up (HTTP 429){attempts}. Wait a minute and refresh the dashboard; if it "
            "happens often, raise source.cache_ttl_seconds in indicators.yaml so the dashboard reads less often.",
            summary="Google's read quota is used up",
        )
    if status >= 500:
        return ServerError(
            f"Google Sheets had a server error (HTTP {status}){attempts}. This is on Google's side and usually "
            "passes within minutes.",
            summary=f"Google Sheets had a server error (HTTP {status})",
        )
    if status == 404:
        return NotFoundError(
            f"No spreadsheet has the key {key}. Check source.spreadsheet in indicators.yaml: copy the URL from "
            "the browser's address bar while the sheet is open.",
            summary="no spreadsheet has this key",
        )
    if status == 403 and ({"SERVICE_DISABLED", "accessNotConfigured"} & _api_reasons(exc) or "disabled" in message):
        return CredentialsError(
            "The Google Sheets API is not enabled in the Google Cloud project of these credentials: open the "
            f"Google Cloud console, APIs & Services > Library > Google Sheets API > Enable. {HOW_TO}",
            summary="the Google Sheets API is not enabled",
            account=account,
        )
    if status == 403 and client.access.api_key:
        return NotSharedError(
            f"The spreadsheet {key} is not public, so an API key cannot read it. Share it as "
            "'Anyone with the link: Viewer', or use a service account. " + HOW_TO,
            summary="the sheet is not shared with 'anyone with the link'",
        )
    if status == 403:
        who = account or "the service account"
        return NotSharedError(
            f"The spreadsheet {key} is not shared with {who}. Open the sheet, press Share, add {who} as a "
            "Viewer, then refresh the dashboard.",
            summary=f"the sheet is not shared with {who}",
            account=account,
        )
    if status in (400, 401) and ("API key" in message or status == 401):
        return CredentialsError(
            f"Google rejected the credentials (HTTP {status}: {message or 'no details'}). {HOW_TO}",
            summary="Google rejected the credentials",
            account=account,
        )
    return SourceError(
        f"Google Sheets refused the request (HTTP {status}: {message or 'no details'}).",
        summary=f"Google Sheets refused the request (HTTP {status})",
    )
