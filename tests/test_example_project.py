"""A second, invented Interreg project (examples/greenports) runs on configuration alone: no pilots or plans,
its own activity types, a tab of its own that an indicator is measured on. The CLI and every page run on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "greenports" / "indicators.yaml"
PAGES = ("indicator.py", "attention.py", "reporting.py", "changes.py", "map.py", "cooperation.py", "data_quality.py")


def cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "monitoring", *args, "--config", str(CONFIG)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_validate_passes_with_one_warning_for_the_activity_type_outside_the_list():
    result = cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "WARNING activities type: 1 cell holds 'hackathon', not a declared activity type; kept and counted. "
        "Add it to `vocabularies.activity_types` in indicators.yaml, or fix C31"
    ]


def test_summary_counts_the_projects_own_tab_and_has_no_pilots_or_plans():
    result = cli("summary", "--format", "json", "--as-of", "2026-09-30")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert "pilots" not in summary["counts"] and "action_plans" not in summary["counts"]
    assert summary["counts"]["organisations"] == 12 and summary["counts"]["activities"] == 48
    achieved = {i["code"]: i["achieved"] for i in summary["indicators"]}
    # trainings T01..T10 have 13, 16, ..., 40 trainees: 265; every activity (the hackathon too) counts for RCO81
    assert achieved["RCO85"] == 265 and achieved["RCO87"] == 12 and achieved["RCO116"] == 2


def test_export_writes_the_report_for_a_period(tmp_path):
    out = tmp_path / "GreenPorts-P2.csv"
    result = cli("export", "--period", "2", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "RCO85" in out.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def app() -> AppTest:
    import os

    os.environ["SPINIT_CONFIG"] = str(CONFIG)
    try:
        yield AppTest.from_file(APP, default_timeout=60).run()
    finally:
        del os.environ["SPINIT_CONFIG"]


def test_the_overview_shows_the_projects_own_name_and_indicators(app):
    assert not app.exception and not app.error
    body = "".join(h.proto.body for h in app.get("html"))
    assert 'data-indicator="RCO85"' in body and 'data-indicator="RCO84"' not in body
    assert any("GreenPorts" in md.value for md in app.markdown)
    assert {link.proto.page for link in app.get("page_link")}.isdisjoint({"pilots", "action-plans"})


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_second_project(app, page):
    at = app.switch_page(f"app_pages/{page}").run()
    assert not at.exception, (page, [e.value for e in at.exception])
    assert not [e.value for e in at.error], page


def test_the_projects_own_tab_names_its_records_by_id_and_counts_their_evidence():
    from monitoring.dataset import load_dataset
    from monitoring.model.config import load_settings
    from monitoring.outputs import partners, report

    data = load_dataset(load_settings(CONFIG), CONFIG)
    records = data.contributions["RCO85"]
    assert records["record"].tolist()[:2] == ["T01", "T02"]
    assert records["evidence_url"].notna().all()
    assert not [f.message for p in data.periods for f in report.check_evidence(data, p)]
    provider = str(data.tables["trainings"]["provider_id"].dropna().iloc[0])
    theirs = partners.records(data, data.settings.project.end)
    assert "trainings" in set(theirs.loc[theirs["partner_id"] == provider, "tab"])
