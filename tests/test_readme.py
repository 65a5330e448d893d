"""The README's two set-up commands stay true: CI runs exactly the test command it shows."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)


def test_readme_opens_with_the_run_and_the_test_command():
    run, test = readme_commands()[:2]
    assert run == "pip install -r requirements.txt && streamlit run app.py"
    assert "requirements-test.txt" in test and "pytest" in test and "chromium" in test


def test_ci_runs_the_readme_test_command_verbatim():
    test = readme_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci_lines


def test_every_runtime_requirement_is_explained_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name = re.split(r"[\[<>=]", line)[0]
            assert f"| {name} |" in readme, f"{name} is not in the README's dependency table"
