"""Browser fixtures: one app server per test module, one Chromium per session, a screenshot on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.harness import CHROMIUM, launch, running_app

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", "/tmp/spinit-e2e"))


def pytest_collection_modifyitems(items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(reason=f"no {CHROMIUM}: apt-get install -y chromium (the README's test command does)")
        for item in items:
            if "tests/e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="module")
def app_url() -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_app(log=ARTIFACTS / "streamlit.log") as app:
        yield app.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A 1366×768 page; its screenshot is saved when the test fails."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "_" for c in request.node.nodeid)[-120:]
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
