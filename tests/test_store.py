"""The last good copy: every read of a Google Sheet is kept, once per content, and stands in when Google fails."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from data_sources import NotSharedError, RawTab, RawWorkbook, ReadStore, SourceError
from data_sources.store import open_store, read_or_last_copy

KEY = "google:1SpInItMonitoringFixtureSheet0123456789abcd"
T0 = dt.datetime(2025, 3, 14, 13, 58, tzinfo=dt.UTC)


def book(*rows: list, read_at: dt.datetime = T0, title: str = "SpinIT monitoring") -> RawWorkbook:
    header = ["activity_id", "date", "participants"]
    tab = RawTab("activities", [header, *rows], origin=title, link="https://docs.google.com/x#gid=0")
    return RawWorkbook({"activities": tab}, origin=title, kind="google_sheets", read_at=read_at)


class Flaky:
    """A source that returns its workbooks, or raises its errors, in turn."""

    def __init__(self, *outcomes: RawWorkbook | SourceError) -> None:
        self.outcomes = list(outcomes)

    def read(self) -> RawWorkbook:
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, SourceError):
            raise outcome
        return outcome


@pytest.fixture
def store(tmp_path) -> ReadStore:
    return ReadStore.in_folder(tmp_path / ".data")


def not_shared() -> NotSharedError:
    return NotSharedError("The spreadsheet is not shared with x@y.", summary="the sheet is not shared with x@y")


def test_a_stored_read_comes_back_cell_for_cell(store):
    cells = [
        ["A1", 45672, 25, 1.5, True, "", None, "Обука ✓"],
        ["A2", dt.date(2025, 1, 15), dt.datetime(2025, 1, 15, 9, 30), dt.time(9, 30), dt.timedelta(hours=2)],
        [],
    ]
    saved = store.save(KEY, book(*cells))
    loaded = store.load(saved.id)
    assert loaded.tabs["activities"].rows[1:] == cells
    assert loaded.origin == "SpinIT monitoring" and loaded.kind == "google_sheets" and loaded.read_at == T0
    assert loaded.tabs["activities"].link == "https://docs.google.com/x#gid=0"


def test_the_same_content_read_again_is_stored_once_with_its_latest_read_time(store):
    first = store.save(KEY, book(["A1", 45672, 25]))
    again = store.save(KEY, book(["A1", 45672, 25], read_at=T0 + dt.timedelta(minutes=5)))
    assert again.id == first.id and again.first_read_at == T0 and again.last_read_at == T0 + dt.timedelta(minutes=5)
    assert len(store.reads(KEY)) == 1


def test_changed_content_is_a_new_version_in_the_history(store):
    store.save(KEY, book(["A1", 45672, 25]))
    store.save(KEY, book(["A1", 45672, 30], read_at=T0 + dt.timedelta(minutes=5)))
    store.save(KEY, book(["A1", 45672, 25], read_at=T0 + dt.timedelta(minutes=10)))  # changed back
    history = store.reads(KEY)
    assert [r.last_read_at.minute for r in history] == [8, 3, 58]  # newest first: 14:08, 14:03, 13:58
    assert history[0].content_hash == history[2].content_hash != history[1].content_hash
    assert store.load(history[1].id).tabs["activities"].rows[1] == ["A1", 45672, 30]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM contents").fetchone()[0] == 2  # content stored once per version


def test_the_history_can_be_listed_for_every_source(store):
    store.save(KEY, book(["A1", 1, 2]))
    store.save("google:another", book(["B1", 1, 2], title="Partner sheet"))
    assert {r.source for r in store.reads()} == {KEY, "google:another"}
    assert store.latest("google:another").origin == "Partner sheet"
    assert store.latest("google:never-read") is None


def test_a_failed_read_shows_the_last_good_copy_with_the_reason_and_since_when(store):
    store.save(KEY, book(["A1", 45672, 25]))
    result = read_or_last_copy(Flaky(not_shared()), KEY, store, "the Google Sheet")
    assert result.tabs["activities"].rows[1] == ["A1", 45672, 25]
    (failure,) = result.failures
    assert failure.reason == "not_shared" and failure.summary == "the sheet is not shared with x@y"
    assert failure.copy_read_at == T0 and failure.origin == "SpinIT monitoring"
    assert failure.since > T0 and not result.live


def test_live_data_is_unavailable_since_the_first_failure_not_the_latest(store):
    store.save(KEY, book(["A1", 45672, 25]))
    first = read_or_last_copy(Flaky(not_shared()), KEY, store, "x").failures[0].since
    second = read_or_last_copy(Flaky(not_shared()), KEY, store, "x").failures[0].since
    assert second == first


def test_a_good_read_ends_the_failure_streak(store):
    store.save(KEY, book(["A1", 45672, 25]))
    before = read_or_last_copy(Flaky(not_shared()), KEY, store, "x").failures[0].since
    live = read_or_last_copy(Flaky(book(["A1", 45672, 26], read_at=dt.datetime.now(dt.UTC))), KEY, store, "x")
    assert live.live
    after = read_or_last_copy(Flaky(not_shared()), KEY, store, "x")
    assert after.failures[0].since > before and after.tabs["activities"].rows[1] == ["A1", 45672, 26]


def test_with_no_copy_the_error_is_raised_and_knows_since_when(store):
    with pytest.raises(NotSharedError) as info:
        read_or_last_copy(Flaky(not_shared()), KEY, store, "the Google Sheet 1Sp…", "https://docs.google.com/x")
    failure = info.value.failure
    assert failure.copy_read_at is None and failure.origin == "the Google Sheet 1Sp…"
    assert failure.link == "https://docs.google.com/x"


def test_every_good_read_is_stored(store):
    read_or_last_copy(Flaky(book(["A1", 45672, 25])), KEY, store, "x")
    assert len(store.reads(KEY)) == 1


def test_a_store_that_cannot_be_opened_does_not_stop_a_live_read(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    assert open_store(blocker / ".data") is None
    assert "cannot be used" in caplog.text
    assert read_or_last_copy(Flaky(book(["A1", 1, 2])), KEY, None, "x").live
