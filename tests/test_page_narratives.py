"""The Progress report's Narratives tab: a manager types output 1.1's "Progress in this period" for P3, saves it, and
finds it again after a server restart — with SQLite and with PostgreSQL — and in the Excel, CSV and PDF."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from data_sources.narrative_store import URL_ENV, NarrativeStore, database_url
from monitoring.outputs import export
from monitoring.outputs.narratives import OUTPUT_LABEL, RESULT_LABEL, STATE_HEADING, with_saved
from monitoring.outputs.report import build_report
from tests.conftest import open_page
from tests.pg import fresh_database, postgresql_url  # noqa: F401 (the fixture)

TYPED = "Six digital innovation hubs from Haskovo to Čačak joined the network."


def _restart_server() -> None:
    """What a restart forgets: the cached store and its connections (the database is all that remains)."""
    from ui import narratives

    narratives._store.clear()


def _narratives(**query: str) -> AppTest:
    return open_page("reporting.py", report_period="P3", view="Narratives", **query)


def _badges(at: AppTest) -> list[str]:
    """Each narrative's badge, "draft" or "edited", in page order."""
    return [m.value.rsplit(" ", 1)[1].rstrip("]") for m in at.markdown if "-badge[:material/" in m.value]


def _box(at: AppTest, heading: str) -> int:
    """The index of the narrative whose heading starts with `heading` (its text area and Save button share it)."""
    headings = [m.value for m in at.markdown if m.value.startswith("**O ") or m.value.startswith("**Result ")]
    return next(i for i, h in enumerate(headings) if h.startswith(f"**{heading}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path, monkeypatch) -> str:
    url = database_url(tmp_path, {}, {})
    if request.param == "postgresql":
        url = fresh_database(request.getfixturevalue("postgresql_url"), "page_narratives")
    monkeypatch.setenv(URL_ENV, url)
    _restart_server()
    yield url
    _restart_server()


def test_a_narrative_typed_for_output_1_1_in_p3_survives_a_restart_and_goes_into_every_file(database, sample) -> None:
    at = _narratives()
    i = _box(at, "O 1\\.1 · Cross")
    area = at.text_area[i]
    assert area.label == OUTPUT_LABEL and area.value.startswith("6 organisations achieved in this reporting period")
    assert _badges(at)[i] == "draft"
    area.set_value(TYPED)
    save = [b for b in at.button if b.label == "Save"][i]
    save.click().run()
    assert not at.exception, [e.value for e in at.exception]

    _restart_server()
    again = _narratives()
    i = _box(again, "O 1\\.1 · Cross")
    assert again.text_area[i].value == TYPED
    assert _badges(again)[i] == "edited"
    state = next(c.value for c in again.caption if c.value.startswith("edited by"))
    assert re.fullmatch(r"edited by open access, \d\d \w{3} \d{4} \d\d:\u2060\d\d UTC", state)  # escaped
    assert any(
        "the narratives of the 10 outputs and results (1 edited, the others drafts)" in c.value for c in again.caption
    )
    other = _box(again, "O 1\\.2")
    assert _badges(again)[other] == "draft"

    store = NarrativeStore(database)
    report = build_report(sample, 3)
    report = with_saved(report, store.current("DRP0200277", 3))
    store.close()
    book = load_workbook(io.BytesIO(export.excel_bytes(report)))
    header, *rows = list(book["Outputs"].values)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Output Nr."] == "O 1.1" and first[OUTPUT_LABEL] == TYPED
    assert first[STATE_HEADING].startswith("edited by open access")
    header, *rows = list(book["Results"].values)
    assert RESULT_LABEL in header and dict(zip(header, rows[0], strict=True))[STATE_HEADING] == "draft"
    table = list(csv.DictReader(io.StringIO(export.csv_bytes(report).decode("utf-8-sig"))))
    row = next(r for r in table if r["Nr."] == "O 1.1")
    assert row[OUTPUT_LABEL] == TYPED and row[STATE_HEADING].startswith("edited by open access")
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(export.pdf_bytes(report))).pages)
    assert TYPED in re.sub(r"\s+", " ", pdf)


def test_use_the_draft_brings_the_records_text_back_and_history_keeps_both(database) -> None:
    at = _narratives()
    i = _box(at, "O 1\\.1 · Cross")
    draft = at.text_area[i].value
    at.text_area[i].set_value("A first try.")
    [b for b in at.button if b.label == "Save"][i].click().run()
    [b for b in at.button if b.label == "Use the draft"][i].click().run()
    assert at.text_area[i].value == draft
    assert _badges(at)[i] == "draft"
    assert "Earlier versions (1)" in [e.label for e in at.expander]
    assert "A first try\\." in [m.value for m in at.markdown]  # the text typed before is still on the page
    store = NarrativeStore(database)
    assert [h.text for h in store.history("DRP0200277", 3, "output 1.1")] == ["", "A first try."]
    store.close()


def test_a_store_that_cannot_be_written_says_so_and_offers_the_text(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "narratives.sqlite").mkdir()  # a folder where the database file should be
    monkeypatch.setenv(URL_ENV, database_url(tmp_path, {}, {}))
    _restart_server()
    at = _narratives()
    assert any("The saved texts cannot be read" in e.value for e in at.error)
    i = _box(at, "O 1\\.1 · Cross")
    at.text_area[i].set_value(TYPED)
    [b for b in at.button if b.label == "Save"][i].click().run()
    assert any(e.value.startswith("Not saved: the SQLite database") for e in at.error)
    assert "Download your text" in [d.proto.label for d in at.get("download_button")]
    assert at.text_area[i].value == TYPED  # still in the box
    _restart_server()


def test_saving_over_a_colleagues_newer_text_says_so_and_keeps_theirs(database) -> None:
    at = _narratives()
    i = _box(at, "O 1\\.1 · Cross")
    colleague = NarrativeStore(database)  # another preparer saves while this page is open
    colleague.save("DRP0200277", 3, "output 1.1", "Their version.", "colleague@example.org")
    colleague.close()
    at.text_area[i].set_value("My version.")
    [b for b in at.button if b.label == "Save"][i].click().run()
    warning = next(w.value for w in at.warning if "while you were writing" in w.value)
    assert warning.startswith("colleague\u2060@example\\.org saved a text at ")
    assert at.text_area[i].value == "My version."
    assert "Their version\\." in [m.value for m in at.markdown]  # under Earlier versions


def test_an_untouched_box_shows_a_colleagues_newer_text_on_the_next_run(database) -> None:
    at = _narratives()
    i = _box(at, "O 1\\.1 · Cross")
    colleague = NarrativeStore(database)
    colleague.save("DRP0200277", 3, "output 1.1", "Their version.", "colleague@example.org")
    colleague.close()
    at.run()
    assert at.text_area[i].value == "Their version." and _badges(at)[i] == "edited"


def test_who_saved_is_the_signed_in_email_else_how_they_got_in() -> None:
    from ui.auth import Access
    from ui.narratives import author

    assert author(Access("oidc", "manager", "pm@example.org", "Ana")) == "pm@example.org"
    assert author(Access("password", "manager")) == "shared password"
    assert author(Access("open", "manager")) == "open access"
