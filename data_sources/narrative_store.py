"""What report preparers write (the narrative of each output and result), kept in a database, never lost.

Every save is a new row: the latest row of a (project, period, output/result) is the current text, the older ones
are its history. The database is given by a URL (SQLAlchemy's form):

- by default SQLite in the data folder (`source.data_dir`, `.data/narratives.sqlite`), for a server whose disk
  lasts;
- PostgreSQL (`postgresql://user:password@host:5432/db`) where it does not (Streamlit Community Cloud) or where
  several servers share the texts: set `SPINIT_DATABASE_URL`, or `url` under `[database]` in
  `.streamlit/secrets.toml`.

The URL may hold a password: it is never logged or shown; `StoreError` names the kind of database only, and
`describe` gives the URL with its password masked.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

URL_ENV = "SPINIT_DATABASE_URL"
SECRETS_SECTION = "database"  # [database] url = "postgresql://..." in .streamlit/secrets.toml
STORE_FILE = "narratives.sqlite"
CONNECT_TIMEOUT = 5  # seconds to reach a PostgreSQL server

_METADATA = MetaData()
TEXTS = Table(
    "narratives",
    _METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project", String(200), nullable=False),
    Column("period", Integer, nullable=False),
    Column("unit", String(100), nullable=False),  # "output 1.1", "result 1"
    Column("text", Text, nullable=False),  # "" gives the draft back
    Column("author", String(320), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)
Index("narratives_by_unit", TEXTS.c.project, TEXTS.c.period, TEXTS.c.unit, TEXTS.c.id)


class StoreError(Exception):
    """The store cannot be opened, read or written; the message names the database without its password."""


@dataclass(frozen=True)
class SavedText:
    """One save of one output's (result's) text."""

    unit: str
    text: str
    author: str  # the signed-in e-mail, "shared password" or "open access"
    saved_at: dt.datetime  # UTC


def file_secrets(path: str | Path) -> dict[str, Any]:
    """The [database] section of a secrets file read without Streamlit (the command line), {} when there is none or
    the file cannot be read (the dashboard's sign-in gate names such a file; its content is never shown)."""
    try:
        with open(path, "rb") as file:
            section = tomllib.load(file).get(SECRETS_SECTION)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return {SECRETS_SECTION: section} if isinstance(section, dict) else {}


def database_url(data_dir: str | Path, env: Mapping[str, str], secrets: Mapping[str, Any]) -> str:
    """The store's URL: `SPINIT_DATABASE_URL` in the environment, else `[database] url` in the secrets, else SQLite
    in the data folder."""
    given = env.get(URL_ENV) or (secrets.get(SECRETS_SECTION) or {}).get("url")
    if given:
        return str(given)
    return f"sqlite:///{Path(data_dir).resolve() / STORE_FILE}"


def _url(text: str) -> URL:
    """SQLAlchemy's URL, with PostgreSQL through psycopg 3 (the driver installed) when none is named."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise StoreError("the database URL cannot be read (expected e.g. postgresql://user:password@host/db)") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe(url: str | URL) -> str:
    """The database named for a page or a log line: its URL with the password masked."""
    try:
        return (url if isinstance(url, URL) else _url(url)).render_as_string(hide_password=True)
    except StoreError:
        return "an unreadable database URL"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class NarrativeStore:
    """The texts of one database. Safe to share between sessions and threads (SQLAlchemy's connection pool)."""

    def __init__(self, url: str) -> None:
        self.url = _url(url)
        backend = self.url.get_backend_name()
        self.kind = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(backend, backend)  # named on pages
        try:
            if self.url.get_backend_name() == "sqlite" and self.url.database not in (None, "", ":memory:"):
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            # A database that does not answer costs a page CONNECT_TIMEOUT seconds, not libpq's endless wait.
            connect = {"connect_timeout": CONNECT_TIMEOUT} if backend == "postgresql" else {}
            self.engine: Engine = create_engine(self.url, pool_pre_ping=True, connect_args=connect)
            _METADATA.create_all(self.engine)
        except (SQLAlchemyError, OSError, ImportError) as exc:
            raise self._error("opened", exc) from None

    def _error(self, doing: str, exc: Exception) -> StoreError:
        reason = type(exc).__name__
        original = getattr(exc, "orig", None)
        if original is not None:
            reason = f"{type(original).__name__}: {str(original).strip().splitlines()[0] if str(original) else ''}"
        elif isinstance(exc, OSError):
            reason = exc.strerror or reason
        text = reason.replace(str(self.url.password), "***") if self.url.password else reason
        return StoreError(f"the {self.kind} database of the narratives cannot be {doing} ({text})")

    def save(
        self, project: str, period: int, unit: str, text: str, author: str, at: dt.datetime | None = None
    ) -> SavedText:
        """Keep one save (a new row, the older ones stay); StoreError when the database cannot be written."""
        saved_at = _utc(at or dt.datetime.now(dt.UTC))
        row = {"project": project, "period": period, "unit": unit, "text": text, "author": author, "saved_at": saved_at}
        try:
            with self.engine.begin() as db:
                db.execute(insert(TEXTS).values(**row))
        except SQLAlchemyError as exc:
            raise self._error("written", exc) from None
        return SavedText(unit, text, author, saved_at)

    def current(self, project: str, period: int) -> dict[str, SavedText]:
        """The latest save of every output and result of a project's period, by unit."""
        latest = (
            select(func.max(TEXTS.c.id))
            .where(TEXTS.c.project == project, TEXTS.c.period == period)
            .group_by(TEXTS.c.unit)
        )
        query = select(TEXTS).where(TEXTS.c.id.in_(latest))
        try:
            with self.engine.connect() as db:
                rows = db.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise self._error("read", exc) from None
        return {r["unit"]: SavedText(r["unit"], r["text"], r["author"], _utc(r["saved_at"])) for r in rows}

    def history(self, project: str, period: int, unit: str | None = None) -> list[SavedText]:
        """Every save of one output's (result's) text, or of every one of the period (`unit` None), newest first."""
        where = [TEXTS.c.project == project, TEXTS.c.period == period]
        if unit is not None:
            where.append(TEXTS.c.unit == unit)
        query = select(TEXTS).where(*where).order_by(TEXTS.c.id.desc())
        try:
            with self.engine.connect() as db:
                rows = db.execute(query).mappings().all()
        except SQLAlchemyError as exc:
            raise self._error("read", exc) from None
        return [SavedText(r["unit"], r["text"], r["author"], _utc(r["saved_at"])) for r in rows]

    def close(self) -> None:
        self.engine.dispose()
