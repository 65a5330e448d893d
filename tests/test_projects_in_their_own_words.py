"""Every project in its own words: SpinIT and each example under examples/ run every CLI command and render every
page (each tab of each page) without an error, and no page of another project shows a word of SpinIT's vocabulary
or concepts that its own configuration does not declare.

The text searched is everything a rendered page sends: its markdown, captions, labels, help, options, tables (their
columns and cells) and charts (their specs and data), without CSS, links and icon names. Slow (about a minute and a
half): it opens some eighty page views."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf.message import Message
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from monitoring.model.config import Settings, load_settings
from tests.conftest import APP

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = {
    "SpinIT": ROOT / "indicators.yaml",
    **{p.parent.name: p for p in sorted((ROOT / "examples").glob("*/indicators.yaml"))},
}
# SpinIT's words: a page of another project shows none of them unless its own configuration declares it.
SPINIT_WORDS = ("Local Action Plan", "LDG", "hub", "validation", "workshop", "SpinIT", "Danube")
PAGES = ("overview", "indicator", "attention", "reporting", "changes", "map", "cooperation", "partners")
NOT_SHOWN = re.compile(r"<style>.*?</style>|class=\"[^\"]*\"|https?://[^\s\"')]+|:material/[a-z_]+:", re.S)


def test_there_are_at_least_two_examples() -> None:
    assert {"greenports", "alpcommons"} <= set(PROJECTS)


def pages_of(settings: Settings) -> list[str]:
    """The pages a project has: the plans' and pilots' only where it keeps those tabs."""
    kept = [page for page, tab in (("action_plans", "action_plans"), ("pilots", "pilots")) if settings.has_tab(tab)]
    return [*PAGES, *kept, "data_quality"]


def declared_words(config: Path) -> str:
    """Every value in the configuration (not its keys, not its comments), lower case, one per line."""

    def values(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from values(value)
        elif isinstance(node, list):
            for value in node:
                yield from values(value)
        elif node is not None:
            yield str(node)

    return "\n".join(values(yaml.safe_load(config.read_text(encoding="utf-8")))).casefold()


def _arrow_text(data: bytes) -> str:
    """An Arrow table's columns and cells (not its schema's metadata, which carries pandas' bookkeeping)."""
    try:
        frame = convert_arrow_bytes_to_pandas_df(data)
    except ValueError:  # pyarrow.ArrowInvalid: bytes that are not a table carry no text
        return ""
    return " ".join(map(str, frame.columns)) + " " + " ".join(map(str, frame.astype(str).to_numpy().flat))


def element_text(proto: Message) -> list[str]:
    """Every string one element sends (labels, help, options, markdown, chart specs...), and every Arrow table it
    sends (a dataframe, a chart's data) as its columns and cells."""
    out = []
    for field, value in proto.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                out += element_text(item)
            elif isinstance(item, bytes):
                out.append(_arrow_text(item))
            elif isinstance(item, str):
                out.append(item)
    return out


def page_text(at: AppTest) -> str:
    """Everything the rendered page sends, as text, without CSS, links and icon names."""
    out: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            out.extend(element_text(proto))
        children = getattr(node, "children", None) or {}
        for child in children.values() if isinstance(children, dict) else children:
            walk(child)

    walk(at._tree)
    return NOT_SHOWN.sub(" ", "\n".join(out))


def foreign_words(text: str, declared: str) -> dict[str, list[str]]:
    """SpinIT's words in `text` that the configuration does not declare, each with where it was found."""
    found = {}
    for word in SPINIT_WORDS:
        if word.casefold() in declared:
            continue
        hits = [text[max(0, m.start() - 70) : m.end() + 30] for m in re.finditer(re.escape(word), text, re.I)]
        if hits:
            found[word] = hits[:3]
    return found


@pytest.fixture(params=list(PROJECTS))
def project(request, monkeypatch) -> tuple[str, Path]:
    monkeypatch.setenv("SPINIT_CONFIG", str(PROJECTS[request.param]))
    return request.param, PROJECTS[request.param]


def test_every_page_and_tab_renders_in_the_projects_own_words(project) -> None:
    name, config = project
    settings = load_settings(config)
    declared = declared_words(config)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    problems = []
    for page in pages_of(settings):
        at.query_params.pop("view", None)
        at.switch_page(f"app_pages/{page}.py").run()
        for label in [t.label for t in at.tabs] or [None]:
            if label is not None:
                at.query_params["view"] = label
                at.run()
            where = f"{name} {page}" + (f" ?view={label}" if label else "")
            errors = [e.value for e in at.exception] + [e.value for e in at.error]
            if errors:
                problems.append(f"{where}: {errors}")
            if name != "SpinIT" and (words := foreign_words(page_text(at), declared)):
                problems.append(f"{where} shows {words}")
    assert not problems, "\n".join(problems)


def cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "monitoring", *args, "--config", str(config)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_every_cli_command_runs_on_the_project(project, tmp_path) -> None:
    _, config = project
    end = load_settings(config).project.end.isoformat()
    runs = {
        "validate": cli(config, "validate"),
        "summary": cli(config, "summary", "--as-of", end, "--format", "json"),
        "template": cli(config, "template", "--out", str(tmp_path / "template.xlsx")),
        "export": cli(config, "export", "--period", "1", "--format", "xlsx", "--out", str(tmp_path / "p1.xlsx")),
        "digest": cli(config, "digest", "--since", end[:4] + "-01-01", "--as-of", end, "--dry-run"),
        "slides": cli(config, "slides", "--as-of", end, "--out", str(tmp_path / "deck.pdf")),
    }
    listed = re.search(
        r"\{([a-z_,]+)\}",
        subprocess.run(
            [sys.executable, "-m", "monitoring", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
        ).stdout,
    )
    assert listed and set(listed.group(1).split(",")) == set(runs)  # every command, a new one too
    for command, run in runs.items():
        assert run.returncode == 0, (command, run.stdout[-2000:], run.stderr[-2000:])
        assert "Traceback" not in run.stderr, (command, run.stderr[-2000:])


@pytest.fixture
def undated_trial(tmp_path) -> Path:
    """AlpCommons' workbook with trial T01 'adopted' but its adopted_on (the contract's validated_on) empty."""
    from openpyxl import load_workbook

    book = load_workbook(ROOT / "examples" / "alpcommons" / "alpcommons.xlsx")
    sheet = book["trials"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("stage") + 1).value == "adopted"
    sheet.cell(2, header.index("adopted_on") + 1).value = None
    book.save(tmp_path / "book.xlsx")
    return tmp_path / "book.xlsx"


def test_validate_names_the_sheets_own_tab_and_column_with_the_contracts_beside(undated_trial) -> None:
    run = cli(PROJECTS["alpcommons"], "validate", "--source", str(undated_trial))
    assert run.stdout.splitlines() == [
        "WARNING trials!J2 adopted_on (validated_on): the stage is 'adopted' but adopted_on is empty, so the day it "
        "reached 'adopted' is unknown"
    ]


def test_data_quality_names_the_sheets_own_tab_and_column(undated_trial, monkeypatch) -> None:
    monkeypatch.setenv("SPINIT_CONFIG", str(PROJECTS["alpcommons"]))
    monkeypatch.setenv("SPINIT_SOURCE", str(undated_trial))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/data_quality.py").run()
    assert [h.value for h in at.subheader] == ["trials \\(pilots\\)"]
    listed = at.table[0].value
    assert list(listed["Cell"]) == ["**J2**"]
    assert listed.iloc[0]["Column"] == "adopted\\_on \\(validated\\_on\\)"
    assert "adopted\\_on is empty" in listed.iloc[0]["Problem and what is expected"]
