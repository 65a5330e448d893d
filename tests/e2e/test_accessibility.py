"""WCAG 2.1 A/AA with axe-core (from the axe-playwright-python package) on every page and tab, light and dark.

No violation the app controls is allowed. The only exceptions are Streamlit's own markup, each with the reason
(docs/accessibility.md): they are matched on the rule *and* on where the element sits, so the same rule
failing in the app's content still fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.harness import settle

VIEWS = [
    "",  # the Overview (its url_path is served at /)
    *(f"indicator?indicator=RCO84&view={v}" for v in ("Per period", "Breakdown", "Records")),
    "attention",
    *(
        f"reporting?view={v}"
        for v in ("Overview", "Indicators", "Deviations", "Narratives", "Evidence", "Checks", "Records")
    ),
    *(f"changes?view={v}" for v in ("Indicators", "Activities", "Plans and pilots")),
    *(f"map?view={v}" for v in ("Most connected", "By country", "By place", "All links")),
    *(f"cooperation?view={v}" for v in ("Countries", "Hubs", "RCO87", "Network", "Directory")),
    *(f"action-plans?view={v}" for v in ("Stages", "Reached", "Plans")),
    *(f"pilots?view={v}" for v in ("Portfolio", "Timeline", "Partnerships", "Validation", "Replication")),
    *(f"partners?view={v}" for v in ("Organisations", "To-do")),
    *(f"partners?partner=P07&view={v}" for v in ("Indicators", "Records", "Problems")),
    "data-quality",
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (rule, CSS selector of Streamlit's own markup it may fail in, why it is not the app's to fix)
STREAMLIT_INTERNAL = [
    (
        "list",
        "[data-testid='stTopNavSection'], [data-testid='stNavSection'], nav, header",
        "Streamlit's sectioned navigation puts its section headers inside the <ul> of the pages",
    ),
    (
        "listitem",
        "[data-testid='stTopNavSection'], [data-testid='stNavSection'], nav, header",
        "the same: Streamlit's navigation renders page links as <li> outside a list",
    ),
]


def axe_script() -> str:
    import axe_playwright_python

    return str(Path(axe_playwright_python.__file__).parent / "axe.min.js")


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as drawn, one entry per element."""
    page.add_script_tag(path=axe_script())
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    found = []
    for rule in result["violations"]:
        for node in rule["nodes"]:
            found.append(
                {
                    "rule": rule["id"],
                    "target": node["target"],
                    "html": node["html"][:160],
                    "why": node.get("failureSummary", "")[:300],
                }
            )
    return found


def streamlit_internal(page, finding: dict) -> bool:
    for rule, inside, _ in STREAMLIT_INTERNAL:
        if finding["rule"] == rule:
            selector = " ".join(str(t) for t in finding["target"])  # no shadow DOM or iframes here
            if page.evaluate("([sel, inside]) => !!document.querySelector(sel)?.closest(inside)", [selector, inside]):
                return True
    return False


@pytest.fixture(params=["light", "dark"])
def scheme_page(browser, request):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, color_scheme=request.param)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("view", VIEWS)
def test_no_wcag_violation_the_app_controls(app_url, scheme_page, view):
    scheme_page.goto(f"{app_url}/{view}")
    settle(scheme_page, draw_ms=300)
    everything = violations(scheme_page)
    found = [f for f in everything if not streamlit_internal(scheme_page, f)]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "axe.tsv", "a", encoding="utf-8") as log:  # the counts, for the record
        dark = scheme_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        scheme = "dark" if dark else "light"
        rules = sorted({f["rule"] for f in everything})
        log.write(f"{scheme}\t{view}\t{len(found)}\t{len(everything)}\t{','.join(rules)}\n")
    assert found == [], "\n".join(f"{f['rule']} {f['target']} {f['html']} — {f['why']}" for f in found)
