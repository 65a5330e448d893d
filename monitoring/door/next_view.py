"""The view a visitor asked for before signing in, checked before it is opened after sign-in (pure, no Streamlit).

Streamlit starts a new session after the identity provider's redirect and lands on the main page
(streamlit/streamlit#10162), so the sign-in page keeps the requested path and query in a short-lived cookie
and the first run after sign-in opens it. The cookie is the visitor's own input: only a page of this app and
the app's own query parameters are followed, never another site or a path of the server (no open redirect).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

COOKIE = "spinit_next"
MAX_AGE_SECONDS = 600  # long enough to sign in, short enough not to surprise anyone later
# The query parameters the pages read (filters, tabs, the as-of date, presentation mode); anything else is dropped.
PARAMS = frozenset(
    {
        "agenda", "as_of", "auto", "basemap", "by", "changes_pick", "cluster", "compare_mode", "country", "cross_border",
        "indicator", "least_ties", "level", "location", "measure", "partner", "partner_country", "partner_period",
        "partner_role", "pause", "period", "pilot_cluster", "pilot_location", "pilot_stage", "places", "present",
        "read_after", "read_before", "report_period", "since", "slide", "tab", "to_fix", "type", "until", "view",
    }
)  # fmt: skip
MAX_LENGTH = 2000
MAX_VALUE_LENGTH = 200
MAX_VALUES = 50


@dataclass(frozen=True)
class NextView:
    url_path: str  # a page's url_path ("" for the main page)
    query: dict[str, list[str]] = field(default_factory=dict)


def next_view(raw: str | None, url_paths: Collection[str], base_path: str = "") -> NextView | None:
    """The page and query in the cookie's value, or None when it is empty, not of this app, or not a known page.

    `raw` is what the browser stored: a path and query such as `/indicator?indicator=<code>&view=Records`,
    percent-encoded or not. A scheme, a host, `//`, a backslash or a control character makes it None.
    `base_path` is Streamlit's `server.baseUrlPath` (`spinit` serves the app under `/spinit/`): the stored path
    then starts with it, and a path outside it is not followed.
    """
    if not raw or len(raw) > MAX_LENGTH:
        return None
    text = unquote(raw) if raw.startswith("%") else raw  # encodeURIComponent's form
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or parts.fragment:
        return None
    segments = [s for s in parts.path.split("/") if s]
    base = [s for s in base_path.split("/") if s]
    if segments[: len(base)] != base:
        return None
    segments = segments[len(base) :]
    path = segments[-1] if segments else ""
    if len(segments) > 1 or (path and path not in url_paths):
        return None
    query: dict[str, list[str]] = {}
    pairs = parse_qsl(parts.query, keep_blank_values=False)
    for key, value in pairs[:MAX_VALUES]:
        if key in PARAMS and len(value) <= MAX_VALUE_LENGTH and value.isprintable():
            query.setdefault(key, []).append(value)
    if not path and not query:
        return None
    return NextView(path, query)
