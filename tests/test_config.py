"""indicators.yaml is validated, and every mistake names its key and line."""

from pathlib import Path

import pytest

from monitoring.model.config import ConfigError, load_settings

GOOD = """\
project:
  name: X
  start: 2024-01-01
  end: 2026-06-30
indicators:
  - code: RCO115
    name: Something
    unit: things
    kind: output
    target: 3
    measure: {tab: activities, agg: count, date: date}
"""


def write(tmp_path, text):
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    return info.value.problems


def test_default_configuration_declares_the_spinit_catalogue():
    s = load_settings("indicators.yaml")
    assert [i.code for i in s.indicators] == [
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
    targets = {i.code: (i.target, i.illustrative) for i in s.indicators}
    assert targets["RCO87"] == (30, False) and targets["RCO84"] == (10, False) and targets["RCO83"] == (10, False)
    assert all(illustrative for code, (_, illustrative) in targets.items() if code not in {"RCO87", "RCO84", "RCO83"})


def test_a_minimal_configuration_loads(tmp_path):
    assert load_settings(write(tmp_path, GOOD)).indicators[0].code == "RCO115"


def test_wrong_aggregation_is_reported_with_key_path_and_line(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("agg: count", "agg: avg")))
    assert len(problems) == 1
    assert problems[0].startswith("indicators[0].measure.agg (line 11):")


def test_unknown_column_in_a_filter_is_reported(tmp_path):
    text = GOOD.replace("date: date}", "date: date, where: [{column: colour, equals: red}]}")
    assert "tab 'activities' has no column 'colour'" in problems_of(write(tmp_path, text))[0]


def test_missing_target_is_reported_with_its_indicator(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("    target: 3\n", "")))
    assert problems == ["indicators[0].target (line 6): Field required"]


def test_end_before_start_is_reported(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("end: 2026-06-30", "end: 2023-06-30")))
    assert problems == ["project (line 1): project end must be after its start"]


def test_invalid_yaml_names_the_line(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("  name: X", "  name: [X")))
    assert problems[0].startswith("line ")


def test_missing_file_is_a_config_error(tmp_path):
    assert "cannot read the file" in problems_of(tmp_path / "nope.yaml")[0]


def test_a_programme_area_country_that_is_not_an_iso_code_names_its_key_and_line(tmp_path):
    from monitoring.model.config import ConfigError, load_settings

    text = Path("indicators.yaml").read_text(encoding="utf-8").replace("area: [AT, BA,", "area: [AT, Bosnia,")
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Bosnia" in row)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.problems == [
        f"project.area[1] (line {line}): 'Bosnia' is not an ISO 3166-1 alpha-2 country code (AT, RS, LI...)"
    ]
