"""The hostile-input corpus (tests/data/bad/, made by scripts/make_bad_corpus.py), case by case.

For every case: `validate` reports exactly the expected problems (tab, cell, level) and exit code;
values that must be accepted are read as written; the app draws without an exception and shows
the problem count. Every page is drawn for a representative subset of cases (EVERY_PAGE_CASES):
drawing all nine pages for all cases would take minutes, and the Overview plus the Data quality
page already run for every case.

The 100 000-row case is made once per session into a temporary folder (it would be a 5.7 MB binary
in the repository; making it takes about 2 s).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_sources import source_for
from monitoring.cli import main, summary_dict
from monitoring.dataset import load_dataset
from monitoring.model.config import load_settings
from scripts.make_bad_corpus import CASES as GENERATORS
from scripts.make_bad_corpus import make_case, write_activities_100k

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
CORPUS = ROOT / "tests" / "data" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.json").is_file())
PAGES = sorted(p.name for p in (ROOT / "app_pages").glob("*.py"))
MEETING_PAGES = {"report_slide.py", "since_meeting.py"}  # the slides made for the meeting (ui.presentation)
END = dt.date(2026, 6, 30)

# The cases the issue lists, by the name the corpus gives them.
REQUIRED_CASES = {
    "missing_tab",
    "missing_required_column",
    "renamed_headers",
    "extra_columns",
    "blank_rows",
    "duplicate_headers",
    "decorated_header",
    "wrong_types",
    "decimal_comma",
    "european_and_serial_dates",
    "formula_errors",
    "unknown_country",
    "local_country_names",
    "unicode_text",
    "html_in_text",
    "formulas_in_text",
    "activities_100k",
    "empty_workbook",
    "not_a_workbook",
    "password_protected",
    "csv_missing_file",
}
# Run as a user runs them, in a fresh process; the others in-process (the same main()), for speed.
SUBPROCESS_CASES = ("formula_errors", "csv_missing_file", "password_protected")
# Every page drawn: text that tries to run, a missing tab, nothing at all, bad cells everywhere, many cross-tab problems.
EVERY_PAGE_CASES = ("html_in_text", "missing_tab", "empty_workbook", "wrong_types", "unknown_references")


@cache
def expected(case: str) -> dict:
    return json.loads((CORPUS / case / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def big_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_activities_100k(tmp_path_factory.mktemp("corpus") / "activities_100k.xlsx")


def source_of(case: str, big: Path) -> Path:
    return big if expected(case)["generated"] else CORPUS / case / expected(case)["source"]


def as_found(problems: list[dict]) -> Counter:
    return Counter((p["tab"], p["cell"], p["level"]) for p in problems)


def assert_says(case: str, text: str) -> None:
    missing = [phrase for phrase in expected(case)["says"] if phrase not in text]
    assert not missing, f"{case}: no message says {missing}"


def test_the_corpus_has_every_case_the_issue_lists_and_at_least_25():
    assert set(CASES) >= REQUIRED_CASES
    assert len(CASES) >= 25
    assert set(CASES) == set(GENERATORS) | {"password_protected"}


@pytest.mark.parametrize("case", CASES)
def test_validate_reports_exactly_the_expected_problems_and_exit_code(case, capsys, request):
    big = request.getfixturevalue("big_workbook") if expected(case)["generated"] else Path()
    code = main(["validate", "--format", "json", "--source", str(source_of(case, big))])
    out, err = capsys.readouterr()
    problems = json.loads(out)["problems"] if out else []
    assert code == expected(case)["exit_code"], err
    assert as_found(problems) == Counter(tuple(p) for p in expected(case)["problems"])
    assert_says(case, "\n".join(p["message"] for p in problems) + err)
    assert "Traceback" not in err


def run_validate(case: str, fmt: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", "validate", "--format", fmt, "--source", str(source_of(case, Path()))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_validate_in_a_fresh_process_gives_the_same_answer_without_a_traceback(case):
    wanted = expected(case)["problems"]
    as_json, as_text = run_validate(case, "json"), run_validate(case, "text")
    for result in (as_json, as_text):
        assert result.returncode == expected(case)["exit_code"], result.stderr
        assert "Traceback" not in result.stderr
    found = as_found(json.loads(as_json.stdout)["problems"]) if as_json.stdout else Counter()
    assert found == Counter(tuple(p) for p in wanted)
    lines = as_text.stdout.splitlines()
    assert len(lines) == len(wanted)
    for tab, cell, level in wanted:
        where = f"{tab}!{cell}" if cell else tab
        assert any(line.startswith(f"{level.upper()} {where} ") for line in lines), (where, lines)


READ_CASES = [
    c for c in CASES if expected(c)["exit_code"] != 2 and (expected(c)["reads"] or expected(c)["same_as_sample"])
]


def shown(value: object) -> object:
    """A cleaned table's value in the form expected.json writes it."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


@pytest.mark.parametrize("case", READ_CASES)
def test_accepted_values_are_read_as_written_and_change_no_number(case, sample, request):
    big = request.getfixturevalue("big_workbook") if expected(case)["generated"] else Path()
    data = load_dataset(load_settings("indicators.yaml"), "indicators.yaml", str(source_of(case, big)))
    for read in expected(case)["reads"]:
        table = data.tables[read["tab"]]
        row = table[table["_row"] == read["row"]]
        assert len(row) == 1, f"{case}: no row {read['row']} in {read['tab']}"
        got = shown(row.iloc[0][read["column"]])
        want = read["value"]
        assert got == (pytest.approx(want) if isinstance(want, float) else want), (case, read)
    if expected(case)["same_as_sample"]:
        ignore = {"source", "sample", "problems"}
        mine = {k: v for k, v in summary_dict(data, END).items() if k not in ignore}
        assert mine == {k: v for k, v in summary_dict(sample, END).items() if k not in ignore}


def texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("caption", "warning", "markdown", "error", "title") for e in getattr(at, kind)]


def assert_drawn(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    failed = [e.value for e in at.error if "could not be drawn" in e.value]
    assert not failed, (where, failed)


@pytest.fixture(scope="module")
def app() -> AppTest:
    """One app for the whole module, first run on the sample; each test then points it at its case
    (SPINIT_SOURCE is read on every run), which is faster than starting an app per case."""
    return AppTest.from_file(APP, default_timeout=120).run()


def open_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}").run()


@pytest.mark.parametrize("case", CASES)
def test_the_app_draws_the_case_and_shows_its_problem_count(case, app, monkeypatch, request):
    big = request.getfixturevalue("big_workbook") if expected(case)["generated"] else Path()
    monkeypatch.setenv("SPINIT_SOURCE", str(source_of(case, big)))
    at = open_page(app, "overview.py")
    assert_drawn(at, f"{case} overview")
    if expected(case)["exit_code"] == 2:
        assert "The monitoring data cannot be read" in texts(at)
        return
    wanted = expected(case)["problems"]
    if wanted:
        assert any(f"{len(wanted)} data problem" in text for text in texts(at)), case
    at = open_page(app, "data_quality.py")
    assert_drawn(at, f"{case} data quality")
    metrics = {m.label: m.value for m in at.metric}
    errors = sum(level == "error" for _, _, level in wanted)
    assert (metrics["Errors"], metrics["Warnings"]) == (str(errors), str(len(wanted) - errors))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_hostile_workbooks_without_an_exception(page, monkeypatch):
    """Each page in its own app, opened as from its URL, then shown each case in turn (as when the sheet changes)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if page in MEETING_PAGES:  # registered only in presentation mode
        at.query_params["present"] = "1"
    at.run()
    for case in EVERY_PAGE_CASES:
        monkeypatch.setenv("SPINIT_SOURCE", str(source_of(case, Path())))
        assert_drawn(open_page(at, page), f"{case} {page}")


def test_the_committed_corpus_is_what_the_script_makes(tmp_path):
    for case in CASES:
        if case == "password_protected":  # encrypted with a random salt: kept as committed
            continue
        made = make_case(case, tmp_path)
        assert json.loads((tmp_path / case / "expected.json").read_text(encoding="utf-8")) == expected(case), case
        if made.generated or made.exit_code == 2:
            continue
        committed, fresh = CORPUS / case / made.source, tmp_path / case / made.source
        committed_tabs = {n: t.rows for n, t in source_for(committed).read().tabs.items()}
        assert committed_tabs == {n: t.rows for n, t in source_for(fresh).read().tabs.items()}, case
