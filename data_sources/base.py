"""What every data source hands over: raw tabs as rows of cell values, and where they came from.

A source knows nothing of indicators or of the contract: it reads cells, nothing else.

When a source cannot be read it raises a `SourceError` whose `reason` says why (one code per kind of
failure, e.g. "not_shared") and whose message says what to do, never containing a secret. When the
last good copy is shown instead of live data, the workbook carries a `ReadFailure` per source that
failed (see `data_sources.store`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


class SourceError(Exception):
    """The source cannot be read at all. The message says what and how to fix it, without secrets.

    `summary` is a few words for a banner ("the sheet is not shared with x@y"); `account` is the
    service account's e-mail where one is used, which a page may show so users can share the sheet.
    `failure` is set by `data_sources.store.read_or_last_copy`: since when the source fails.
    """

    reason = "unreadable"

    def __init__(self, message: str, *, summary: str = "", account: str = "") -> None:
        super().__init__(message)
        self.summary = summary or message
        self.account = account
        self.failure: ReadFailure | None = None


class CredentialsError(SourceError):
    """No usable Google credentials: none configured, a damaged service account, an invalid API key."""

    reason = "credentials"


class NotSharedError(SourceError):
    """HTTP 403: the spreadsheet is not shared with the service account (or not public for an API key)."""

    reason = "not_shared"


class NotFoundError(SourceError):
    """HTTP 404: no spreadsheet with this key."""

    reason = "not_found"


class RateLimitedError(SourceError):
    """HTTP 429 on every attempt within the time allowed."""

    reason = "rate_limited"


class ServerError(SourceError):
    """HTTP 5xx on every attempt within the time allowed."""

    reason = "server"


class SourceTimeoutError(SourceError):
    """No answer within the HTTP timeout."""

    reason = "timeout"


class NetworkError(SourceError):
    """No connection at all (network down, DNS, proxy)."""

    reason = "network"


class MalformedResponseError(SourceError):
    """An answer that is not what the API documents (invalid JSON, missing keys)."""

    reason = "malformed"


@dataclass(frozen=True)
class RawTab:
    """One tab as read: `rows[0]` is the sheet's row 1, `rows[r][c]` the cell at row r+1, column c+1.

    Cell values are str, int, float, bool, datetime.date/datetime or "" / None for an empty cell.
    Rows may have different lengths (Google Sheets leaves out trailing empty cells).
    """

    name: str
    rows: list[list[Any]]
    origin: str  # the file or spreadsheet it came from, as shown to users
    link: str = ""  # a URL that opens this tab, where the source has one (Google Sheets)


@dataclass(frozen=True)
class ReadFailure:
    """A source that could not be read live: why, since when, and which copy is shown instead."""

    origin: str  # the spreadsheet's title (or the location when it was never read)
    reason: str  # SourceError.reason
    message: str  # what happened and how to fix it, without secrets
    summary: str  # a few words for a banner
    since: dt.datetime  # the first failed read after the last good one (UTC)
    copy_read_at: dt.datetime | None  # when the copy shown was read; None: no copy, this source's rows are missing
    link: str = ""  # opens the spreadsheet, where it has a URL


@dataclass(frozen=True)
class RawWorkbook:
    """One read of a source, or of several combined (`parts`, one workbook per source, in order).

    A combined workbook has no tabs of its own: its rows are its parts' rows, each part keeping its
    origin so that every row still points at its own spreadsheet and cell.
    """

    tabs: dict[str, RawTab]  # keyed by the tab's name as written in the workbook
    origin: str
    kind: str  # "excel", "csv", "google_sheets", or "combined"
    read_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    failures: tuple[ReadFailure, ...] = ()  # sources shown from their last good copy, or missing
    parts: tuple[RawWorkbook, ...] = ()
    link: str = ""  # opens the spreadsheet, where it has a URL

    @property
    def live(self) -> bool:
        return not self.failures


class DataSource(Protocol):
    """Anything that reads a workbook's tabs."""

    def read(self) -> RawWorkbook: ...


_KEY_IN_URL = re.compile(r"([?&](?:key|access_token|token)=)[^&#\s'\"]+", re.IGNORECASE)
_PEM = re.compile(r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", re.DOTALL)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without any of `secrets`, API keys or tokens in URLs, or PEM private keys."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    text = _PEM.sub("***", text)
    return _KEY_IN_URL.sub(r"\1***", text)
