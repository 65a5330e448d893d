"""`python -m monitoring export` writes the narratives saved on the Progress report page, like its downloads."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from data_sources.narrative_store import URL_ENV, NarrativeStore, database_url


def export_csv(tmp_path: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "monitoring", "export", "--period", "3", "--out", str(tmp_path / "p3.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, URL_ENV: url},
    )


def test_export_carries_the_saved_text_of_output_1_1_and_says_who_edited_it(tmp_path: Path) -> None:
    url = database_url(tmp_path, {}, {})
    store = NarrativeStore(url)
    store.save("DRP0200277", 3, "output 1.1", "=Six hubs joined (typed on the page).", "pm@example.org")
    store.close()
    done = export_csv(tmp_path, url)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "p3.csv").read_text(encoding="utf-8-sig"))))
    by_number = {r["Nr."]: r for r in rows}
    first = by_number["O 1.1"]
    assert first["Progress in this period"] == "'=Six hubs joined (typed on the page)."  # never run as a formula
    assert first["Narrative"].startswith("edited by pm@example.org, ")
    assert by_number["O 1.2"]["Narrative"] == "draft"
    assert by_number["O 1.2"]["Progress in this period"].startswith("235 participations")
    result = by_number["1"]  # results are in the CSV too, with their own Jems field
    assert (
        result["Describe progress achieved"].startswith("0 joint strategy/action plan")
        and not result["Progress in this period"]
    )


def test_export_with_a_store_it_cannot_open_warns_and_writes_the_drafts(tmp_path: Path) -> None:
    (tmp_path / "narratives.sqlite").mkdir()
    done = export_csv(tmp_path, database_url(tmp_path, {}, {}))
    assert done.returncode == 0, done.stderr
    assert "warning: the SQLite database of the narratives cannot be opened" in done.stderr
    assert str(tmp_path) not in done.stderr  # the URL is not printed
    rows = list(csv.DictReader(io.StringIO((tmp_path / "p3.csv").read_text(encoding="utf-8-sig"))))
    assert {r["Narrative"] for r in rows} == {"draft"}


def test_commands_that_keep_no_texts_do_not_load_the_database_library() -> None:
    """SQLAlchemy takes about a second to import: `validate`, `summary` and the report itself go without it."""
    code = "import sys, monitoring.cli, monitoring.outputs.report, monitoring.outputs.export; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
