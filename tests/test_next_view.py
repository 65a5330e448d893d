"""A shared link survives sign-in: the requested view is kept in a cookie and only a page of this app is opened."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitoring.door.next_view import PARAMS, NextView, next_view

PATHS = {"overview", "indicator", "map", "data-quality"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "/indicator?indicator=RCO84&view=Records",
            NextView("indicator", {"indicator": ["RCO84"], "view": ["Records"]}),
        ),
        ("%2Findicator%3Findicator%3DRCO84", NextView("indicator", {"indicator": ["RCO84"]})),
        ("/map?country=Serbia&country=Romania", NextView("map", {"country": ["Serbia", "Romania"]})),
        ("/?as_of=2025-06-30", NextView("", {"as_of": ["2025-06-30"]})),
        (
            "/indicator?indicator=RCO84&evil=1&next=https://evil.example",
            NextView("indicator", {"indicator": ["RCO84"]}),
        ),
    ],
)
def test_a_view_of_this_app_is_kept(raw, expected):
    assert next_view(raw, PATHS) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "/",
        "https://evil.example/indicator",
        "//evil.example/indicator",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
        "/nowhere?view=x",
        "/static/../indicator",
        "/_stcore/health",
        "/auth/logout",
        "/indicator#x",
        "/indicator?view=" + "x" * 5000,
        "indicator",
    ],
)
def test_anything_else_is_not_followed(raw):
    assert next_view(raw, PATHS) is None


def test_every_query_parameter_a_page_binds_is_kept():
    sources = "".join(p.read_text(encoding="utf-8") for d in ("app_pages", "ui") for p in Path(d).glob("*.py"))
    bound = set(re.findall(r'key="([a-z_]+)",\s*bind="query-params"', sources))
    bound |= set(re.findall(r'query_params\.get\("([a-z_]+)"', sources))
    assert bound and bound <= PARAMS, bound - PARAMS


@pytest.mark.parametrize("base", ["spinit", "/spinit", "/spinit/", "tools/spinit"])
def test_under_a_base_url_path_a_shared_link_is_kept(base):
    prefix = "/" + base.strip("/")
    wanted = NextView("indicator", {"indicator": ["RCO84"], "view": ["Records"]})
    assert next_view(f"{prefix}/indicator?indicator=RCO84&view=Records", PATHS, base) == wanted
    assert next_view(f"{prefix}/?as_of=2025-06-30", PATHS, base) == NextView("", {"as_of": ["2025-06-30"]})
    assert next_view(f"{prefix}?as_of=2025-06-30", PATHS, base) == NextView("", {"as_of": ["2025-06-30"]})


@pytest.mark.parametrize(
    "raw", ["/other/indicator?indicator=RCO84", "/spinitx/indicator", "/spinit/spinit/indicator", "//spinit/map"]
)
def test_under_a_base_url_path_another_path_is_not_followed(raw):
    assert next_view(raw, PATHS, "spinit") is None


def test_after_sign_in_under_a_base_url_path_the_shared_view_opens(monkeypatch):
    from types import SimpleNamespace

    from streamlit import config

    from ui import auth

    opened = []
    cookie = "%2Fspinit%2Findicator%3Findicator%3DRCO84%26view%3DRecords"  # what the sign-in page stored
    monkeypatch.setattr(config, "get_option", lambda name: "/spinit/" if name == "server.baseUrlPath" else None)
    monkeypatch.setattr(auth.st, "session_state", {})
    monkeypatch.setattr(auth.st, "context", SimpleNamespace(cookies={"spinit_next": cookie}))
    monkeypatch.setattr(auth.st, "switch_page", lambda page, query_params: opened.append((page, query_params)))
    auth.resume_requested_view({"": "overview page", "indicator": "indicator page"})
    assert opened == [("indicator page", {"indicator": ["RCO84"], "view": ["Records"]})]
