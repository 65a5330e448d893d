"""What stops the dashboard is explained on the page, never shown as a traceback."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import APP

ROOT = Path(APP).parent


def run_with(monkeypatch, **env: str) -> AppTest:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(APP, default_timeout=60).run()


def test_a_broken_configuration_shows_the_line_to_fix(monkeypatch, tmp_path):
    config = tmp_path / "indicators.yaml"
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8").replace("agg: count_distinct", "agg: average", 1)
    config.write_text(text.replace("path: data/sample", f"path: {ROOT}/data/sample"), encoding="utf-8")
    at = run_with(monkeypatch, SPINIT_CONFIG=str(config))
    assert not at.exception
    assert at.title[0].value == "The configuration needs fixing"
    assert any("indicators[0].measure.agg (line" in md.value for md in at.markdown)


def test_a_missing_workbook_is_explained_without_a_traceback(monkeypatch, tmp_path):
    at = run_with(monkeypatch, SPINIT_SOURCE=str(tmp_path / "gone.xlsx"))
    assert not at.exception
    assert at.title[0].value == "The monitoring data cannot be read"
    assert "was not found" in at.error[0].value


def test_a_file_that_is_not_a_workbook_is_explained(monkeypatch, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook at all")
    at = run_with(monkeypatch, SPINIT_SOURCE=str(junk))
    assert not at.exception and "The monitoring data cannot be read" in at.title[0].value


def test_the_view_bar_links_the_problem_count_to_the_data_quality_page(monkeypatch):
    at = run_with(monkeypatch, SPINIT_SOURCE=str(ROOT / "tests/data/bad/wrong_types/workbook.xlsx"))
    links = [link.proto for link in at.get("page_link")]
    assert any(link.label == "9 data problems, 8 errors" and link.page == "data-quality" for link in links)
