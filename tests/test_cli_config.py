"""One configuration for every entry point: the command line works on the project the dashboard shows, says which
configuration and source it used, and its hints carry them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from monitoring import cli
from monitoring.entry import choose
from monitoring.model.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
GREENPORTS = "examples/greenports/indicators.yaml"


def test_export_with_spinit_config_exports_greenports(tmp_path):
    out = tmp_path / "gp-P2.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONITORING_", "SPINIT_"))}
    result = subprocess.run(
        [sys.executable, "-m", "monitoring", "export", "--period", "2", "--format", "csv", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env | {"SPINIT_CONFIG": GREENPORTS},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"using {GREENPORTS} (from SPINIT_CONFIG) and its source examples/greenports/greenports.xlsx"
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    greenports = load_settings(ROOT / GREENPORTS)
    units = (*greenports.report_outputs, *greenports.report_results)
    assert [r["Programme indicator"] for r in rows] == [u.indicator for u in units]
    assert "RCO84" not in {u.indicator for u in units}  # SpinIT's pilots: GreenPorts has none
    assert {r["Period"] for r in rows} == {"P2"}


def test_summary_as_json_stays_parseable_and_names_its_configuration_on_stderr(monkeypatch, capsys):
    monkeypatch.setenv("SPINIT_CONFIG", GREENPORTS)
    assert cli.main(["summary", "--format", "json", "--as-of", "2025-06-30"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["project"] == "GreenPorts"
    assert err.splitlines()[0].startswith(f"using {GREENPORTS} (from SPINIT_CONFIG)")


def test_the_summarys_hint_carries_the_config_and_source_it_was_given(capsys):
    source = "tests/data/bad/wrong_types/workbook.xlsx"
    assert cli.main(["summary", "--config", "indicators.yaml", "--source", source]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith(
        f"run `python -m monitoring validate --config indicators.yaml --source {source}` to list them."
    )
    assert err.splitlines()[0] == f"using indicators.yaml (from --config) and the source {source} (from --source)"


def test_validate_with_the_project_neutral_variables_checks_that_project(monkeypatch, capsys):
    monkeypatch.setenv("SPINIT_CONFIG", "indicators.yaml")
    monkeypatch.setenv("MONITORING_CONFIG", GREENPORTS)  # the project-neutral name wins
    assert cli.main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert "hackathon" in out  # GreenPorts' one warning: an activity type it does not declare
    assert err.splitlines()[0].startswith(f"using {GREENPORTS} (from MONITORING_CONFIG)")


def test_a_flag_wins_over_the_environment_and_an_empty_variable_is_not_set():
    env = {"SPINIT_CONFIG": GREENPORTS, "SPINIT_SOURCE": ""}
    assert choose(None, None, env) == choose(None, None, env | {"MONITORING_SOURCE": ""})
    chosen = choose("other.yaml", None, env)
    assert (chosen.config, chosen.config_from, chosen.source) == ("other.yaml", "--config", None)
    assert choose(None, None, {}).flags() == ""
    assert choose(None, "my book.xlsx", env).flags() == f" --config {GREENPORTS} --source 'my book.xlsx'"
