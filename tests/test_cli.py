"""`python -m monitoring`: the three commands, their output and their exit codes, as a user runs them."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

SAMPLE = "data/sample/spinit-sample.xlsx"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitoring", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def summary() -> dict:
    result = run("summary", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_summary_json_counts_the_sample(summary):
    assert summary["counts"] == {
        "organisations": 30,
        "countries": 8,
        "locations": 10,
        "pilots": 10,
        "action_plans": 10,
        "activities": summary["counts"]["activities"],
    }
    assert summary["counts"]["activities"] >= 150
    assert summary["sample"] is True and summary["project"] == "SpinIT" and summary["problems"] == 0


def test_summary_json_lists_every_indicator_of_the_catalogue_with_a_status(summary):
    assert [i["code"] for i in summary["indicators"]] == [
        "RCO87",
        "RCO83",
        "RCO84",
        "RCO116",
        "RCO81",
        "RCO85",
        "RCR79",
        "RCR104",
        "RCR84",
    ]
    keys = {"code", "name", "unit", "kind", "target", "achieved", "expected", "percent_of_target", "status"}
    keys |= {"expected_from"}
    assert all(set(i) == keys for i in summary["indicators"])
    assert {i["status"] for i in summary["indicators"]} == {"achieved", "on track", "at risk", "behind"}


def test_summary_as_of_a_past_date_shows_less(summary):
    early = json.loads(run("summary", "--format", "json", "--as-of", "2024-06-30").stdout)
    assert early["as_of"] == "2024-06-30"
    by_code = {i["code"]: i["achieved"] for i in summary["indicators"]}
    assert all(i["achieved"] <= by_code[i["code"]] for i in early["indicators"])
    assert early["indicators"][0]["achieved"] < by_code["RCO87"]


def test_summary_text_is_a_readable_table():
    result = run("summary")
    assert result.returncode == 0
    assert "RCO87" in result.stdout and "sample data" in result.stdout


def test_validate_passes_the_sample():
    result = run("validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_validate_names_a_bad_cell_and_exits_1(tmp_path):
    bad = tmp_path / "bad.xlsx"
    shutil.copy(SAMPLE, bad)
    book = openpyxl.load_workbook(bad)
    sheet = book["activities"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=5, column=headers.index("date") + 1).value = "31.02.2025"
    letter = openpyxl.utils.get_column_letter(headers.index("date") + 1)
    book.save(bad)

    text = run("validate", "--source", str(bad))
    assert text.returncode == 1
    assert f"ERROR activities!{letter}5 date:" in text.stdout and "'31.02.2025'" in text.stdout

    result = run("validate", "--source", str(bad), "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert {"level": "error", "tab": "activities", "cell": f"{letter}5", "column": "date"}.items() <= problems[
        0
    ].items()
    assert problems[0]["value"] == "31.02.2025"


def test_a_file_that_is_not_a_workbook_exits_2_without_a_traceback(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("this is not a workbook")
    result = run("validate", "--source", str(junk))
    assert result.returncode == 2
    assert "not a readable Excel workbook" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_source_exits_2(tmp_path):
    result = run("summary", "--source", str(tmp_path / "nowhere.xlsx"))
    assert result.returncode == 2 and "was not found" in result.stderr and "Traceback" not in result.stderr


def test_a_broken_config_exits_2_and_names_the_line(tmp_path):
    config = tmp_path / "indicators.yaml"
    config.write_text(Path("indicators.yaml").read_text().replace("agg: count_distinct", "agg: median", 1))
    result = run("validate", "--config", str(config), "--source", SAMPLE)
    assert result.returncode == 2
    assert "indicators[0].measure.agg (line" in result.stderr and "Traceback" not in result.stderr


def test_template_writes_a_workbook_with_every_tab(tmp_path):
    out = tmp_path / "template.xlsx"
    result = run("template", "--out", str(out))
    assert result.returncode == 0
    names = openpyxl.load_workbook(out).sheetnames
    assert names[0] == "README" and {"partners", "activities", "milestones"} <= set(names)


def test_a_missing_file_is_reported_once_and_not_as_a_live_read(tmp_path):
    result = run("validate", "--source", str(tmp_path / "nowhere.xlsx"))
    assert result.returncode == 2
    assert result.stderr.count("was not found") == 1, result.stderr
    assert "live" not in result.stderr


def test_validate_prints_the_problems_and_then_the_summary_on_its_own_line():
    result = subprocess.run(
        [sys.executable, "-m", "monitoring", "validate", "--source", "tests/data/bad/wrong_types/workbook.xlsx"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, as a terminal shows it
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # stdout buffered, as usual
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert lines[-1].startswith("8 errors, 1 warning in workbook.xlsx"), lines[-3:]
    assert lines[0].startswith("using indicators.yaml (the default) and the source "), lines[0]
    assert all(line.startswith(("ERROR ", "WARNING ")) for line in lines[1:-1]), lines
