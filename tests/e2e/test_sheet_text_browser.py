"""Sheet text in a real browser: what Streamlit 1.67's Markdown shows for a pilot title and a place name full of
autolinks, icon shortcodes and character references (the Markdown strings: tests/test_sheet_text.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import running_app, settle
from tests.test_sheet_text import write_evil_workbook


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory) -> str:
    book = write_evil_workbook(tmp_path_factory.mktemp("sheet") / "workbook.xlsx")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_app(env={"SPINIT_SOURCE": str(book)}, log=ARTIFACTS / "streamlit-sheet-text.log") as app:
        yield app.url


@pytest.mark.parametrize(
    ("path", "where", "words"),
    [("pilots", "stAlertContentWarning", "pilots stalled"), ("map", "stMain", "Strongest link")],
)
def test_the_browser_shows_sheet_text_as_text(evil_app, page, path, where, words):
    page.goto(f"{evil_app}/{path}")
    settle(page)
    box = page.locator(f"[data-testid='{where}'] [data-testid='stMarkdownContainer']", has_text=words).first
    text = box.inner_text().replace("\u2060", "")
    assert "www.evil.example/x" in text and "evil@evil.example" in text and "https://evil.example/a.b" in text
    assert ":material/verified:" in text and "&lt;b&gt;" in text and ":red[x]" in text and "*b*" in text
    assert "\\" not in text
    assert box.locator("a").count() == 0  # no link, no mailto
    assert box.locator("[role='img'], .stMarkdownColoredText, strong em, em").count() == 0  # no icon, colour
