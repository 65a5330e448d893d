"""A real PostgreSQL for the tests: a throw-away cluster in a temporary folder, on a free localhost port.

The binaries come from PATH or Debian's /usr/lib/postgresql/<version>/bin (the README's test command installs
Debian's `postgresql` when `initdb` is missing). PostgreSQL refuses to run as root, so as root the cluster belongs
to the `postgres` system user (created when missing) and is run through `runuser`. Without PostgreSQL the tests
that need it fail on CI (CI=true) and are skipped elsewhere.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import pytest

USER = "postgres"  # the system user that runs the cluster when the tests run as root
ROLE = "spinit"  # the database role the tests connect as
PASSWORD = "not-a-real-secret"  # in the URL only, to check that no message shows it (the cluster trusts localhost)


def find_bin(name: str) -> Path | None:
    """A PostgreSQL program from PATH, else from the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return Path(found).resolve()
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]) if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner() -> list[str]:
    """The prefix that runs a command as the cluster's owner: nothing, or runuser to `postgres` when root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", USER], check=True)
    return ["runuser", "-u", USER, "--"]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip() or done.stdout}")


def missing(environ: Mapping[str, str]) -> NoReturn:
    """No PostgreSQL here: the tests that need it fail on CI (CI=true), where it must be, and are skipped elsewhere."""
    message = "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)"
    if environ.get("CI") == "true":
        pytest.fail(message + "; the README's test command installs Debian's postgresql")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database for this test session, with a password in it."""
    initdb = find_bin("initdb")
    if initdb is None:
        missing(os.environ)
    pg_ctl = initdb.parent / "pg_ctl"
    owner = _as_owner()
    folder = Path(tempfile.mkdtemp(prefix="spinit-pg-"))
    data, log = folder / "data", folder / "server.log"
    try:
        if owner:
            os.chmod(folder, 0o755)
            shutil.chown(folder, USER)
        _run([*owner, str(initdb), "-D", str(data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C"])
        port = _free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        _run([*owner, str(pg_ctl), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"])
        try:
            yield f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{port}/postgres"
        finally:
            _run([*owner, str(pg_ctl), "-D", str(data), "-m", "fast", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(url: str, name: str) -> str:
    """The URL of database `name` on the server of `url`, created empty (dropped first, whoever is connected)."""
    from sqlalchemy import create_engine, text

    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        db.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
