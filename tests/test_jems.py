"""Reporting the way Jems counts: per output, what was submitted, results due after the project, the EU catalogue."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from monitoring.dataset import load_dataset
from monitoring.model.config import load_settings
from monitoring.outputs.report import build_report

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "spinit-sample.xlsx"
# Jems' field names (Application_en.properties lines 1801-1805, 1813-1819, 1858-1861), as docs/reporting.md quotes.
JEMS_COLUMNS = ["Measurement Unit", "Baseline", "Target Value", "Previously Reported"]
JEMS_COLUMNS += ["Achieved in this reporting period", "Cumulative value"]


def monitoring(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_csv_export_has_jems_columns_and_one_row_per_output_and_per_result(tmp_path):
    out = tmp_path / "p2.csv"
    result = monitoring("export", "--period", "2", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = csv_rows(out)
    assert set(JEMS_COLUMNS) <= set(rows[0])
    settings = load_settings(ROOT / "indicators.yaml")
    work_plan = [r["Nr."] for r in rows if r["Jems tab"] == "Work plan progress"]
    results = [r["Nr."] for r in rows if r["Jems tab"] == "Project results & Horizontal principles"]
    assert sorted(work_plan) == sorted(f"O {o.number}" for o in settings.outputs)
    assert sorted(results) == sorted(r.number for r in settings.report_results)
    assert len(rows) == len(work_plan) + len(results)


@pytest.fixture(scope="module")
def with_submitted_p1(tmp_path_factory) -> Path:
    """The sample with a `reported` tab: P1 submitted on 20 Jul 2024 with less than the sheet now gives for P1
    (two organisations and 15 participations were entered after the report went in)."""
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["reported"]  # the sample's is empty: nothing submitted yet
    assert [c.value for c in sheet[1]][:4] == ["period", "code", "value", "submitted_on"] and sheet.max_row == 1
    for code, value in (("1.1", 7), ("1.2", 200), ("1.3", 29)):
        sheet.append([1, code, value, "2024-07-20"])
    path = tmp_path_factory.mktemp("submitted") / "submitted.xlsx"
    book.save(path)
    return path


def test_previously_reported_is_what_was_submitted_and_late_records_go_into_the_current_report(
    with_submitted_p1, tmp_path
):
    data = load_dataset(load_settings(ROOT / "indicators.yaml"), ROOT / "indicators.yaml", str(with_submitted_p1))
    sheet_p1 = {u: data.unit_contributions[u] for u in ("1.1", "1.2")}
    assert [float(c.loc[c["date"] <= "2024-06-30", "amount"].sum()) for c in sheet_p1.values()] == [9, 215]
    out = tmp_path / "p2.csv"
    result = monitoring(
        "export", "--period", "2", "--format", "csv", "--out", str(out), "--source", str(with_submitted_p1)
    )
    assert result.returncode == 0, result.stderr
    rows = {r["Nr."].removeprefix("O "): r for r in csv_rows(out)}
    assert rows["1.1"]["Previously Reported"] == "7" and rows["1.2"]["Previously Reported"] == "200"
    assert rows["1.1"]["Cumulative value"] == "16"  # the sheet at the end of P2
    achieved = "Achieved in this reporting period"
    assert rows["1.1"][achieved] == "9" and rows["1.1"]["Late records"] == "2"  # 7 of P2 + 2 late of P1
    assert rows["1.1"]["Records dated in the period"] == "7"  # not what Jems asks for when records are late
    assert rows["1.2"][achieved] == "220" and rows["1.2"]["Late records"] == "15"
    assert rows["2.1"]["Previously Reported"] == "0"  # nothing submitted for it in P1
    report = build_report(data, 2)
    late = report.late[report.late["number"] == "1.1"]
    assert len(late) == 2 and set(late["dated_in"]) == {"P1"}
    assert all(cell.startswith("activities!") for cell in late["cell"])  # each with its cell
    assert report.from_submitted and not report.findings


def test_a_submitted_value_the_sheet_no_longer_supports_is_flagged(with_submitted_p1, tmp_path):
    book = openpyxl.load_workbook(with_submitted_p1)
    book["reported"].append([1, "1.3", 5, "2024-07-20"])  # P1 training: 29 + 5 submitted, the sheet has 29
    path = tmp_path / "over.xlsx"
    book.save(path)
    data = load_dataset(load_settings(ROOT / "indicators.yaml"), ROOT / "indicators.yaml", str(path))
    findings = [f for f in build_report(data, 2).findings if f.check == "submitted not supported"]
    assert [f.indicators for f in findings] == ["RCO85"]
    assert "1.3 was submitted with 34 in total up to P1, but the sheet now gives 29" in findings[0].message
    assert any(p.tab == "reported" and "reported twice" in p.message for p in data.problems)


def test_rcr84_is_due_after_the_project_not_behind(tmp_path):
    result = monitoring("summary", "--as-of", "2025-06-30", "--format", "json")
    assert result.returncode == 0, result.stderr
    rcr84 = next(i for i in json.loads(result.stdout)["indicators"] if i["code"] == "RCR84")
    assert rcr84["status"] not in ("behind", "at risk")
    assert rcr84["status"] == "due after the project" and rcr84["expected"] == 0
    late = monitoring("summary", "--as-of", "2025-12-31", "--format", "json")  # its milestone plans 5 by then
    rcr84 = next(i for i in json.loads(late.stdout)["indicators"] if i["code"] == "RCR84")
    assert rcr84["status"] == "due after the project"


def config_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new).replace("path: data/sample/", f"path: {ROOT}/data/sample/")
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_code_not_in_the_eu_catalogue_exits_2_naming_the_nearest_codes(tmp_path):
    config = config_with(tmp_path, "  - code: RCO116\n", "  - code: RCO999\n")
    result = monitoring("validate", "--config", str(config))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "'RCO999' is not in the EU catalogue" in result.stderr and "nearest codes are RCO" in result.stderr
    assert "indicators[3].code (line" in result.stderr


def test_a_programme_specific_code_is_allowed_when_it_says_so(tmp_path):
    config = config_with(
        tmp_path,
        "  - code: RCO116\n    name: Jointly developed solutions\n",
        "  - code: PSO1\n    name: Jointly developed solutions\n    programme_specific: true\n",
    )
    text = config.read_text(encoding="utf-8").replace("indicator: RCO116", "indicator: PSO1")
    config.write_text(text, encoding="utf-8")
    assert load_settings(config).indicator("PSO1").programme_specific  # loads: no catalogue error


def test_a_name_or_unit_that_differs_from_the_catalogue_is_a_warning_on_stderr(tmp_path):
    config = config_with(tmp_path, "unit: joint strategy/action plan", "unit: strategy/action plan")
    result = monitoring("validate", "--config", str(config))
    assert result.returncode == 0
    assert "RCR79's unit 'strategy/action plan' differs from the EU catalogue's 'joint strategy/action plan'" in (
        result.stderr
    )
    assert load_settings(config).warnings and not load_settings(ROOT / "indicators.yaml").warnings


def test_an_output_for_an_unknown_indicator_or_period_names_its_key_and_line(tmp_path):
    config = config_with(
        tmp_path,
        "    indicator: RCO116\n    target: 6\n    period: 5",
        "    indicator: RCR84\n    target: 6\n    period: 9",
    )
    result = monitoring("validate", "--config", str(config))
    assert result.returncode == 2
    assert "outputs[6].indicator (line" in result.stderr and "is not one of the output indicators" in result.stderr


def test_the_catalogue_file_names_its_sources_and_holds_every_common_indicator():
    from monitoring.model.catalogue import CATALOGUE_PATH, common_indicators

    head = CATALOGUE_PATH.read_text(encoding="utf-8").splitlines()[:5]
    assert any("Regulation (EU) 2021/1059" in line for line in head)
    assert any("programme-output-indicator-constants.ts" in line for line in head)
    catalogue = common_indicators()
    assert sum(c.startswith("RCO") for c in catalogue) == 96 and sum(c.startswith("RCR") for c in catalogue) == 65
    assert catalogue["RCR79"].unit == "joint strategy/action plan"


def test_the_catalogue_script_reads_jems_typescript_constants(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_catalogue import catalogue_csv

    output_ts = (
        "{\n code: 'RCO87',\n name: 'Organisations  cooperating across borders',\n measurementUnit: 'organisations',\n}"
    )
    result_ts = (
        "private static readonly UNIT = 'users/year';\n"
        "{ code: 'RCR11', name: 'Users', measurementUnit: ProgrammeResultIndicatorConstants.UNIT }"
    )
    rows = [line for line in catalogue_csv(output_ts, result_ts).splitlines() if not line.startswith("#")]
    assert rows == [
        "code,name,measurement_unit",
        "RCO87,Organisations cooperating across borders,organisations",
        "RCR11,Users,users/year",
    ]
