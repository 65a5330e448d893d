"""Tables and words a person would write, on every page and tab in a real browser: no "None" in a table cell,
no "(s)", no organisation or place id (P07, L03) without its name beside it, no two columns under one heading."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.harness import settle

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "spinit-sample.xlsx"
URL_PATHS = re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
# Pages opened on one record as well as on the whole list.
DETAILS = ["partners?partner=P07", "indicator?indicator=RCO84", "indicator?indicator=RCO87"]
AS_OF = "as_of=2026-06-30"
BARE_ID = re.compile(r"\b([PL]\d{2})\b")
URL = re.compile(r"https?://\S+")
EMPTY_WORDS = {"None", "nan", "NaN", "<NA>", "NaT", "null"}

# Every table row on the page: the data grids' accessible rows (their cells as the grid draws them) and the
# static tables' rows, each a list of cell texts.
_ROWS_JS = """
main => {
  const rows = [];
  for (const row of main.querySelectorAll("[data-testid=stDataFrame] [role=row], table tr")) {
    const cells = [...row.querySelectorAll("[role=gridcell], [role=columnheader], td, th")];
    rows.push(cells.map(c => (c.innerText || c.textContent || "").trim()));
  }
  return rows;
}
"""


# The column headings of every data grid and static table on the page.
_HEADINGS_JS = """
main => [...main.querySelectorAll("[data-testid=stDataFrame], table")].map(
  t => [...t.querySelectorAll("[role=columnheader], th")].map(c => (c.innerText || c.textContent || "").trim())
)
"""


def _names() -> dict[str, str]:
    """Id -> name of every organisation and place of the sample (read here, independently of the app)."""
    partners = pd.read_excel(SAMPLE, sheet_name="partners", engine="calamine")
    locations = pd.read_excel(SAMPLE, sheet_name="locations", engine="calamine")
    return {
        **dict(zip(partners["partner_id"], partners["name"], strict=True)),
        **dict(zip(locations["location_id"], locations["name"], strict=True)),
    }


NAMES = _names()


def findings(page) -> list[str]:
    """What a person would not write, on the page as it is drawn now."""
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    rows = main.evaluate(_ROWS_JS)
    found = [f"'(s)' in: {line.strip()[:120]}" for line in text.splitlines() if "(s)" in line]
    for cells in rows:
        found += [f"'{c}' in a cell of the row {cells[:3]}" for c in cells if c in EMPTY_WORDS]
        found += [f"'(s)' in a cell: {c[:80]}" for c in cells if "(s)" in c]
    for headings in main.evaluate(_HEADINGS_JS):
        named = [h for h in headings if h]
        found += [f"two columns headed '{h}' in {named}" for h in dict.fromkeys(named) if named.count(h) > 1]
    chunks = [" | ".join(cells) for cells in rows] + text.splitlines()  # a name counts when in the same row
    for chunk in chunks:
        for ident in BARE_ID.findall(URL.sub("", chunk)):  # an id inside a link is the link's business
            if ident in NAMES and NAMES[ident] not in chunk:
                found.append(f"{ident} without its name in: {chunk.strip()[:160]}")
    return list(dict.fromkeys(found))


def tab_labels(page) -> list[str]:
    return [t.inner_text().strip() for t in page.locator("[data-testid='stMain'] [role='tab']").all()]


@pytest.mark.parametrize("path", URL_PATHS + DETAILS)
def test_every_tab_reads_like_a_person_wrote_it(app_url, page, path):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/{path}{'&' if '?' in path else '?'}{AS_OF}")
    settle(page)
    found = [f"[first tab] {f}" for f in findings(page)]
    for label in tab_labels(page)[1:]:
        page.locator("[data-testid='stMain'] [role='tab']", has_text=label).first.click()
        settle(page)
        found += [f"[{label}] {f}" for f in findings(page)]
    assert found == [], "\n".join(found)
