"""The browser console on a page: no request leaves the dashboard's own server (the favicon was fetched from
fonts.gstatic.com: net::ERR_NAME_NOT_RESOLVED offline), and the only 404s are Streamlit's own probes.

Streamlit's frontend, opened at a page's address (`/map`), first looks for its server under that path
(`/map/_stcore/health`, `/map/_stcore/host-config`), gets 404 and then finds it at `/`: Streamlit's behaviour,
documented in docs/accessibility.md, not a missing file of the app.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.harness import settle

STREAMLIT_PROBE = re.compile(r"/[a-z-]+/_stcore/(health|host-config)$")


@pytest.mark.parametrize("path", ["", "map", "indicator?indicator=RCO84"])
def test_no_outside_request_and_no_404_of_the_app(app_url, page, path):
    failed, outside, missing = [], [], []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.on("request", lambda r: None if r.url.startswith((app_url, "data:", "blob:")) else outside.append(r.url))
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{app_url}/{path}")
    settle(page)
    assert outside == [] and failed == []
    assert [url for url in missing if not STREAMLIT_PROBE.search(url.split("?")[0])] == []
