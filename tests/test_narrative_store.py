"""The narrative store keeps what preparers type, in SQLite and in a real PostgreSQL (tests/pg.py), across restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from data_sources.narrative_store import STORE_FILE, URL_ENV, NarrativeStore, StoreError, database_url, describe
from tests.pg import PASSWORD, find_bin, fresh_database, missing, postgresql_url  # noqa: F401 (the fixture)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    """A fresh database of each kind: SQLite in a temporary data folder, a new database in the test PostgreSQL."""
    if request.param == "sqlite":
        return database_url(tmp_path, {}, {})
    return fresh_database(request.getfixturevalue("postgresql_url"), "store")


def test_text_typed_for_output_1_1_in_p3_is_there_after_a_restart(url: str) -> None:
    first = NarrativeStore(url)
    first.save("DRP0200277", 3, "output 1.1", "Six hubs joined the cross-border network.", "pm@example.org")
    first.close()  # the server stops

    restarted = NarrativeStore(url)
    saved = restarted.current("DRP0200277", 3)
    assert saved["output 1.1"].text == "Six hubs joined the cross-border network."
    assert saved["output 1.1"].author == "pm@example.org"
    assert saved["output 1.1"].saved_at.tzinfo is not None
    restarted.close()


def test_every_save_is_kept_and_the_latest_is_current(url: str) -> None:
    store = NarrativeStore(url)
    at = dt.datetime(2025, 7, 10, 9, 30, tzinfo=dt.UTC)
    store.save("SpinIT", 3, "output 1.1", "First try", "a@example.org", at)
    store.save("SpinIT", 3, "output 1.1", "Second try, with Čačak and Кириллица", "open access", at + dt.timedelta(1))
    history = store.history("SpinIT", 3, "output 1.1")
    assert [h.text for h in history] == ["Second try, with Čačak and Кириллица", "First try"]
    assert store.current("SpinIT", 3)["output 1.1"].author == "open access"
    assert store.current("SpinIT", 3)["output 1.1"].saved_at == at + dt.timedelta(1)
    store.close()


def test_texts_are_kept_per_project_period_and_output(url: str) -> None:
    store = NarrativeStore(url)
    store.save("SpinIT", 3, "output 1.1", "P3 text", "x")
    store.save("SpinIT", 5, "output 1.1", "P5 text", "x")
    store.save("GreenPorts", 3, "output 1.1", "other project", "x")
    store.save("SpinIT", 3, "result 1", "result text", "x")
    current = store.current("SpinIT", 3)
    assert {k: v.text for k, v in current.items()} == {"output 1.1": "P3 text", "result 1": "result text"}
    store.close()


def test_a_database_that_cannot_be_reached_is_a_clear_error_without_the_password(postgresql_url: str) -> None:  # noqa: F811
    port = postgresql_url.rsplit(":", 1)[1].split("/")[0]
    wrong = postgresql_url.replace(f":{port}/", ":1/")  # nothing listens on port 1
    with pytest.raises(StoreError) as caught:
        NarrativeStore(wrong)
    assert "PostgreSQL database of the narratives cannot be opened" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in describe(wrong) and "***" in describe(wrong)


def test_an_unwritable_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / STORE_FILE).mkdir()  # a folder where the database file should be
    with pytest.raises(StoreError, match="SQLite database of the narratives cannot be opened"):
        NarrativeStore(database_url(tmp_path, {}, {}))


def test_database_url_comes_from_the_environment_then_the_secrets_then_the_data_folder(tmp_path: Path) -> None:
    secrets = {"database": {"url": "postgresql://u:p@db.example.org/spinit"}}
    assert database_url(tmp_path, {URL_ENV: "sqlite:////srv/n.sqlite"}, secrets) == "sqlite:////srv/n.sqlite"
    assert database_url(tmp_path, {}, secrets) == "postgresql://u:p@db.example.org/spinit"
    assert database_url(tmp_path, {}, {}) == f"sqlite:///{tmp_path.resolve() / STORE_FILE}"


def test_a_database_url_that_cannot_be_read_is_named_so() -> None:
    with pytest.raises(StoreError, match="cannot be read"):
        NarrativeStore("not a url at all")


def test_without_postgresql_its_tests_fail_on_ci_and_are_skipped_elsewhere() -> None:
    with pytest.raises(pytest.fail.Exception, match="installs Debian's postgresql"):
        missing({"CI": "true"})
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL is not installed"):
        missing({})


def test_without_initdb_on_path_the_newest_debian_postgresql_is_used(monkeypatch) -> None:
    from tests import pg

    monkeypatch.setenv("PATH", "/nonexistent")
    versions = ["/usr/lib/postgresql/9/bin/initdb", "/usr/lib/postgresql/15/bin/initdb"]
    monkeypatch.setattr(pg.glob, "glob", lambda pattern: versions if pattern.startswith("/usr/lib/postgresql/") else [])
    assert str(find_bin("initdb")) == "/usr/lib/postgresql/15/bin/initdb"  # 15 is newer than 9
    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    assert find_bin("initdb") is None


def test_a_secrets_file_naming_the_database_does_not_lock_the_dashboard() -> None:
    """The sign-in gate locks on sections it does not know: [database] and SPINIT_DATABASE_URL are known."""
    from monitoring.door.access_rules import access_rules

    secrets = {"access": {"open": True}, "database": {"url": "postgresql://u:p@db/x"}, URL_ENV: "sqlite:///x"}
    assert access_rules(secrets).mode == "open"
