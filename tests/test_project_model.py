"""The project model in indicators.yaml: open and closed vocabularies, tabs a project leaves out or declares,
filters checked against the vocabularies. Another Interreg project changes YAML, not Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from monitoring.dataset import load_dataset
from monitoring.model.config import ConfigError, load_settings
from tests.conftest import APP

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "spinit-sample.xlsx"
PLAN_AND_PILOT_TABS = ("action_plans", "pilots")


def shipped_config() -> dict:
    config = yaml.safe_load((ROOT / "indicators.yaml").read_text(encoding="utf-8"))
    config["source"]["path"] = str(SAMPLE)
    return config


def write_config(path: Path, config: dict) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def validate(config: Path, source: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "monitoring", "validate", "--config", str(config)]
    return subprocess.run(
        command + (["--source", str(source)] if source else []), capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_activity_types_outside_the_declared_list_are_kept_counted_and_warned_about(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["activities"]
    header = [c.value for c in sheet[1]]
    type_col, part_col = header.index("type") + 1, header.index("participants") + 1
    renamed = {}
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, type_col).value == "workshop":
            sheet.cell(row, type_col).value = "webinar"
            renamed[row] = sheet.cell(row, part_col).value
    book.save(tmp_path / "other.xlsx")
    result = validate(ROOT / "indicators.yaml", tmp_path / "other.xlsx")
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if "webinar" in line]
    assert len(renamed) == 34 and len(warnings) == 1  # one line for the value, not one per cell
    assert warnings[0].startswith("WARNING activities type: 34 cells hold 'webinar', not a declared activity type")
    before = load_dataset(load_settings("indicators.yaml"), "indicators.yaml")
    after = load_dataset(load_settings("indicators.yaml"), "indicators.yaml", str(tmp_path / "other.xlsx"))
    assert (after.tables["activities"]["type"] == "webinar").sum() == 34
    # RCO81 sums the participants of cross-border activities other than training: webinars count like workshops did
    assert after.contributions["RCO81"]["amount"].sum() == before.contributions["RCO81"]["amount"].sum()


@pytest.fixture(scope="module")
def without_plans_and_pilots(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped configuration without the indicators measured on plans and pilots, and the sample workbook
    without those tabs (and without the milestones of the indicators left out)."""
    folder = tmp_path_factory.mktemp("no-pilots")
    config = shipped_config()
    left_out = {i["code"] for i in config["indicators"] if i["measure"]["tab"] in PLAN_AND_PILOT_TABS}
    config["indicators"] = [i for i in config["indicators"] if i["code"] not in left_out]
    for indicator in config["indicators"]:
        if indicator.get("result") in left_out:
            del indicator["result"]
    for key in ("outputs", "results"):  # the application form's outputs and results of those indicators go too
        config[key] = [unit for unit in config.get(key, []) if unit["indicator"] not in left_out]
    meeting = config.get("meeting", {})  # and the agenda's slides of those indicators
    meeting["agenda"] = [w for w in meeting.get("agenda", []) if w.partition(":")[2] not in left_out]
    book = openpyxl.load_workbook(SAMPLE)
    for tab in PLAN_AND_PILOT_TABS:
        del book[tab]
    milestones = book["milestones"]
    for row in range(milestones.max_row, 1, -1):
        if milestones.cell(row, 1).value in left_out:
            milestones.delete_rows(row)
    book.save(folder / "no-pilots.xlsx")
    config["source"]["path"] = str(folder / "no-pilots.xlsx")
    return write_config(folder / "indicators.yaml", config), folder / "no-pilots.xlsx"


def test_a_project_without_plans_or_pilots_validates(without_plans_and_pilots):
    config, _ = without_plans_and_pilots
    result = validate(config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr


def test_a_project_without_plans_or_pilots_has_no_page_agenda_entry_or_count_for_them(
    without_plans_and_pilots, monkeypatch
):
    config, _ = without_plans_and_pilots
    monkeypatch.setenv("SPINIT_CONFIG", str(config))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    body = "".join(h.proto.body for h in at.get("html") if "spinit-counts" in h.proto.body)
    assert "Organisations" in body and "Pilots" not in body and "Action plans" not in body
    links = {link.proto.page for link in at.get("page_link")}
    assert not links & {"pilots", "action-plans"}
    for page in ("indicator.py", "attention.py", "reporting.py", "changes.py", "map.py", "cooperation.py"):
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, page
        assert not [e.value for e in at.error], page


def test_a_left_out_tab_is_not_required_and_an_indicator_measured_on_it_is_a_config_error(tmp_path):
    config = shipped_config()
    config["tabs"] = {"pilots": False}
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(tmp_path / "indicators.yaml", config))
    assert any(
        p.startswith("indicators[2].measure.tab (line") and "does not keep it" in p for p in caught.value.problems
    )


def test_a_filter_value_outside_its_vocabulary_is_a_config_error_naming_the_line(tmp_path):
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "{column: type, equals: training}" in t)
    (tmp_path / "indicators.yaml").write_text(text.replace("equals: training}", "equals: trainng}"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "indicators.yaml")
    assert caught.value.problems == [
        f"indicators[5].measure.where[0].equals (line {line}): 'trainng' is not one of the activity types: exchange, "
        "benchmarking, training, workshop, event, study visit, LDG meeting, steering committee (declare it under "
        "vocabularies.activity_types)"
    ]


def test_a_closed_vocabulary_declared_in_yaml_decides_what_is_an_error(tmp_path):
    config = shipped_config()
    config["vocabularies"]["roles"] = {"values": ["LP", "PP"]}  # this project has no associated partners
    settings = load_settings(write_config(tmp_path / "indicators.yaml", config))
    data = load_dataset(settings, str(tmp_path / "indicators.yaml"))
    roles = [p for p in data.problems if p.tab == "partners" and p.column == "role"]
    assert roles and all(p.level == "error" and "expected one of: LP, PP" in p.message for p in roles)


def test_a_declared_tab_of_its_own_is_read_typed_and_measured(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book.create_sheet("trainings")
    sheet.append(["training_id", "date", "topic", "trainees"])
    sheet.append(["T1", "14.03.2025", "AI", "12"])
    sheet.append(["T2", "2025-09-01", "robotics", "8"])
    sheet.append(["T3", "2025-10-01", "quantum", "five"])
    book.save(tmp_path / "book.xlsx")
    config = shipped_config()
    config["source"]["path"] = str(tmp_path / "book.xlsx")
    config["vocabularies"]["topics"] = {"values": ["AI", "robotics"], "open": True}
    config["tabs"] = {
        "trainings": {
            "one_row_per": "training course",
            "id_column": "training_id",
            "columns": [
                {"name": "training_id", "kind": "id", "required": True},
                {"name": "date", "kind": "date", "required": True},
                {"name": "topic", "kind": "enum", "vocabulary": "topics"},
                {"name": "trainees", "kind": "int"},
            ],
        }
    }
    config["indicators"].append(
        {
            "code": "RCO85",
            "name": "Participations in joint training schemes",
            "unit": "participations",
            "kind": "output",
            "target": 50,
            "measure": {
                "tab": "trainings",
                "agg": "sum",
                "column": "trainees",
                "date": "date",
                "where": [{"column": "topic", "in": ["AI", "robotics"]}],
            },
        }
    )
    config["indicators"] = [
        i for i in config["indicators"] if i["code"] != "RCO85" or i["measure"]["tab"] == "trainings"
    ]
    path = write_config(tmp_path / "indicators.yaml", config)
    data = load_dataset(load_settings(path), str(path))
    assert data.tables["trainings"]["trainees"].fillna(-1).tolist() == [12, 8, -1]  # "five" is not read
    assert data.contributions["RCO85"]["amount"].sum() == 20
    cells = {(p.cell, p.level) for p in data.problems if p.tab == "trainings"}
    assert cells == {("C4", "warning"), ("D4", "error")}  # quantum: kept with a warning; "five": not a number


def test_no_python_file_outside_tests_scripts_and_benchmarks_names_an_indicator_code():
    """Indicator codes live in indicators.yaml and the catalogue's data file, never in the dashboard's code."""
    import re

    code = re.compile(r"\bRC[OR] ?[0-9]+\b")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.rglob("*.py")
        if not {"tests", "scripts", "benchmarks"} & set(path.relative_to(ROOT).parts)
        and not any(part.startswith(".") for part in path.relative_to(ROOT).parts)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if code.search(line)
    ]
    assert found == []
