"""Sheet text is shown purely as text (docs/data-quality.md): no link, icon, colour, formatting, entity or stray
backslash takes effect in the Markdown that Streamlit 1.67 renders (remark-gfm autolinks, `:material/…:` icons,
emoji shortcodes, `:red[…]` directives, character references).

The browser side (what innerText shows) is tests/e2e/test_sheet_text_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import open_page
from ui.components import escape_md

EVIL = "Pilot www.evil.example/x evil@evil.example :material/verified: &lt;b&gt; https://evil.example/a.b :red[x] *b*"
# What remark-gfm (mdast-util-gfm-autolink-literal) and Streamlit's own plugins match in a text node, after the
# backslash escapes are gone: http(s)/www links, e-mail addresses, `:name:` / `:material/name:` shortcodes, and
# `:colour[` directives.
AUTOLINK = re.compile(r"(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)
SHORTCODE = re.compile(r":[\w/+-]+:|:[a-z]+(-background)?\[")


def unescaped(markdown: str) -> str:
    """The text of a Markdown string once CommonMark's backslash escapes are applied."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize(
    "text",
    [
        "www.evil.example/x",
        "evil@evil.example",
        "https://evil.example/a.b",
        "WWW.EVIL.EXAMPLE",
        ":material/verified:",
        ":smile:",
        ":red[stop]",
        ":blue-background[x]",
    ],
)
def test_escaped_sheet_text_holds_no_link_and_no_shortcode(text):
    shown = unescaped(escape_md(text))
    assert not AUTOLINK.search(shown) and not SHORTCODE.search(shown), shown
    assert shown.replace("\u2060", "") == text  # only invisible word joiners are added


def test_entities_and_markup_stay_literal():
    md = escape_md("&lt;b&gt; <b>x</b> *b* 1. a_b $x$ ~~s~~ # h\n===")
    assert "\\&lt;b\\&gt;" in md  # `&lt;` would otherwise show as `<`
    assert "\\<b\\>" in md and "\\*b\\*" in md and "\\$x\\$" in md and "\\=\\=\\=" in md


def write_evil_workbook(path: Path) -> Path:
    """The sample with every pilot title and place name full of Markdown that must not take effect."""
    wb = openpyxl.load_workbook("data/sample/spinit-sample.xlsx")
    for tab, column in (("pilots", "title"), ("locations", "name")):
        ws = wb[tab]
        col = [c.value for c in ws[1]].index(column) + 1
        for row in range(2, ws.max_row + 1):
            if ws.cell(row, col).value:
                ws.cell(row, col).value = f"{ws.cell(row, col).value} {EVIL} {row}"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def evil_workbook(tmp_path_factory) -> Path:
    return write_evil_workbook(tmp_path_factory.mktemp("sheet") / "workbook.xlsx")


def markdown_of(at) -> list[str]:
    kinds = ("markdown", "caption", "warning", "info", "success")
    return [str(e.value) for kind in kinds for e in getattr(at, kind) if "evil" in str(e.value)]


@pytest.mark.parametrize("page", ["pilots.py", "action_plans.py", "map.py"])
def test_pages_show_sheet_text_without_links_icons_or_entities(monkeypatch, evil_workbook, page):
    monkeypatch.setenv("SPINIT_SOURCE", str(evil_workbook))
    at = open_page(page)
    shown = markdown_of(at)
    assert shown, "no sheet text on the page"
    if page != "map.py":
        assert any("stalled" in s for s in shown)  # the stalled list
    else:
        assert any("Strongest link" in s for s in shown)
    for md in shown:
        text = unescaped(md)
        assert not AUTOLINK.search(text), md
        assert ":material/verified:" not in text and "&lt;" not in text.replace("&lt;b&gt;", "")
        assert "\\&lt;b\\&gt;" in md


def test_one_organisation_heading_on_the_partners_page_shows_its_name_as_text(monkeypatch, tmp_path):
    wb = openpyxl.load_workbook("data/sample/spinit-sample.xlsx")
    ws = wb["partners"]
    ws.cell(2, [c.value for c in ws[1]].index("name") + 1).value = f"Office {EVIL} $x^2$"
    wb.save(tmp_path / "workbook.xlsx")
    monkeypatch.setenv("SPINIT_SOURCE", str(tmp_path / "workbook.xlsx"))
    at = open_page("partners.py", partner="P01")
    (heading,) = [h.value for h in at.subheader if "P01" in h.value]
    text = unescaped(heading)
    assert "Office" in text and not AUTOLINK.search(text) and not SHORTCODE.search(text), heading
    assert "\\&lt;b\\&gt;" in heading and "\\*b\\*" in heading and "\\$x^2\\$" in heading
