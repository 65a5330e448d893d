"""indicators.yaml and the source path cannot hang or crash the tools: YAML anchors and aliases are refused
(a recursive alias ended in a RecursionError traceback; a billion-laughs file took 18.7 s and 1.3 GB), and a
source path that is a symbolic-link loop is explained. Always exit 2 with the line or path, never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitoring.model.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]
LAUGHS = "\n".join(
    [f'{chr(97)}: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 9) + "]" for n in range(1, 9)]
)


def validate(*args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "monitoring", "validate", *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    return result, time.monotonic() - started


def config_with(tmp_path: Path, extra: str) -> Path:
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("path: data/sample", f"path: {ROOT}/data/sample") + "\n" + extra + "\n")
    return path


@pytest.mark.parametrize(("name", "extra"), [("recursive", "x: &a [*a]"), ("billion laughs", LAUGHS)])
def test_yaml_aliases_are_refused_with_the_line(tmp_path, name, extra):
    path = config_with(tmp_path, extra)
    line = len(path.read_text().splitlines()) - len(extra.splitlines()) + 1
    result, seconds = validate("--config", str(path))
    assert result.returncode == 2, result.stderr[-1500:]
    assert f"line {line}" in result.stderr and "alias" in result.stderr
    assert "Traceback" not in result.stderr and seconds < 20


def test_an_anchor_alone_is_refused_too(tmp_path):
    with pytest.raises(ConfigError, match=r"line \d+.*anchor"):
        load_settings(config_with(tmp_path, "x: &a 1"))


def test_a_source_that_is_a_symlink_loop_is_explained(tmp_path):
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop)
    result, _ = validate("--source", str(loop))
    assert result.returncode == 2, result.stderr[-1500:]
    assert "loop.xlsx" in result.stderr and "link" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_config_that_is_a_symlink_loop_is_explained(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result, _ = validate("--config", str(loop))
    assert result.returncode == 2 and "loop.yaml" in result.stderr and "Traceback" not in result.stderr


def test_a_configuration_not_saved_as_utf8_names_its_line_and_exits_2(tmp_path, capsys):
    from monitoring import cli

    text = Path("indicators.yaml").read_text(encoding="utf-8").replace("name: SpinIT", "name: SpïnIT", 1)
    config = tmp_path / "indicators.yaml"
    config.write_bytes(text.encode("latin-1", errors="replace"))
    line = text[: text.index("SpïnIT")].count("\n") + 1
    assert cli.main(["validate", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert f"line {line}: the file is not UTF-8 text (byte 0xEF)" in err


@pytest.mark.parametrize("is_open", [True, False])
def test_a_long_vocabulary_is_named_in_a_message_by_a_few_values_and_its_count(is_open):
    from monitoring.model.contract import Column
    from monitoring.sheet.clean import _parse_column

    choices = tuple(f"type {i:05d}" for i in range(3_000))
    column = Column("type", "enum", choices=choices, vocabulary="activity_types", open=is_open)
    parsed, errors = _parse_column(["Type 00042", "conference"], column)
    assert parsed[0] == "type 00042" and len(errors) == 1
    message = errors[0][2]
    assert "type 00000, type 00001" in message and "(3,000 in all)" in message and len(message) < 300


def test_a_value_twice_in_a_long_vocabulary_is_named_without_the_whole_list():
    from monitoring.model.config import Vocabulary

    values = [f"type {i:05d}" for i in range(3_000)] * 2
    with pytest.raises(ValueError, match=r"values appear twice: type 00000, .*\(3,000 in all\)") as caught:
        Vocabulary(values=values)
    assert len(str(caught.value)) < 1_000
