"""The last good copy of every source, and the history of its reads, in one SQLite file.

Every successful read of a Google Sheet is saved with the time it was read (a local file is its own
copy; see `data_sources.combine.Located.keep_copies`). Contents are stored once per distinct
content (by SHA-256): a read whose content equals the source's latest read only moves that read's
`last_read_at` forward, so the history lists one entry per version of the data, each with the first
and last time it was seen. When a read fails, `read_or_last_copy` returns the latest copy with a
`ReadFailure` saying why and since when live data is unavailable.

The file lives in the data folder (`source.data_dir`, default `.data/`, git-ignored). A store that
cannot be written (read-only disk, damaged file) is logged and skipped: it never stops a live read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from data_sources.base import DataSource, RawTab, RawWorkbook, ReadFailure, SourceError

LOG = logging.getLogger("spinit.sources")
STORE_FILE = "reads.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contents (hash TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS reads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    hash TEXT NOT NULL REFERENCES contents(hash),
    first_read_at TEXT NOT NULL,
    last_read_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reads_by_source ON reads (source, id);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT PRIMARY KEY, since TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class StoredRead:
    """One version of a source's data: first and last read with this content."""

    id: int
    source: str  # the source's key, e.g. "google:<spreadsheet id>" or "file:/path/to/book.xlsx"
    origin: str
    kind: str
    content_hash: str
    first_read_at: dt.datetime
    last_read_at: dt.datetime
    link: str = ""


def _encode_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$seconds": value.total_seconds()}
    return str(value)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$time": dt.time.fromisoformat,
    "$seconds": lambda s: dt.timedelta(seconds=s),
}


def _decode_cell(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        (key, value), *_ = obj.items()
        if key in _DECODERS:
            return _DECODERS[key](value)
    return obj


def _content(workbook: RawWorkbook) -> bytes:
    """The workbook's cells and names as canonical JSON (no read time): equal content, equal bytes."""
    tabs = [[t.name, t.origin, t.link, t.rows] for t in workbook.tabs.values()]
    body = {"origin": workbook.origin, "kind": workbook.kind, "link": workbook.link, "tabs": tabs}
    return json.dumps(body, default=_encode_cell, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(workbook: RawWorkbook) -> str:
    return hashlib.sha256(_content(workbook)).hexdigest()


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _row_to_read(row: sqlite3.Row) -> StoredRead:
    return StoredRead(
        row["id"],
        row["source"],
        row["origin"],
        row["kind"],
        row["hash"],
        _time(row["first_read_at"]),
        _time(row["last_read_at"]),
        row["link"],
    )


class ReadStore:
    """The SQLite file of stored reads. One connection per call, so threads may share a store."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @classmethod
    def in_folder(cls, folder: str | Path) -> ReadStore:
        return cls(Path(folder) / STORE_FILE)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:
                yield db

    def save(self, source: str, workbook: RawWorkbook) -> StoredRead:
        """Store one successful read of `source`; clears the source's failure streak."""
        if workbook.parts:
            raise ValueError("store each source of a combined workbook on its own")
        content = _content(workbook)
        digest = hashlib.sha256(content).hexdigest()
        read_at = workbook.read_at.astimezone(dt.UTC).isoformat()
        with self._connect() as db:
            db.execute("DELETE FROM failures WHERE source = ?", (source,))
            last = db.execute("SELECT * FROM reads WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
            if last is not None and last["hash"] == digest:
                db.execute("UPDATE reads SET last_read_at = max(last_read_at, ?) WHERE id = ?", (read_at, last["id"]))
                read_id = last["id"]
            else:
                db.execute("INSERT OR IGNORE INTO contents VALUES (?, ?)", (digest, zlib.compress(content)))
                read_id = db.execute(
                    "INSERT INTO reads (source, origin, kind, link, hash, first_read_at, last_read_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (source, workbook.origin, workbook.kind, workbook.link, digest, read_at, read_at),
                ).lastrowid
            row = db.execute("SELECT * FROM reads WHERE id = ?", (read_id,)).fetchone()
        return _row_to_read(row)

    def reads(self, source: str | None = None) -> list[StoredRead]:
        """The history of reads, newest first: one entry per version of the data."""
        with self._connect() as db:
            if source is None:
                rows = db.execute("SELECT * FROM reads ORDER BY id DESC").fetchall()
            else:
                rows = db.execute("SELECT * FROM reads WHERE source = ? ORDER BY id DESC", (source,)).fetchall()
        return [_row_to_read(r) for r in rows]

    def latest(self, source: str) -> StoredRead | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM reads WHERE source = ? ORDER BY id DESC LIMIT 1", (source,)).fetchone()
        return _row_to_read(row) if row else None

    def load(self, read_id: int) -> RawWorkbook:
        """The workbook as stored by a read; its `read_at` is the last time this content was read."""
        with self._connect() as db:
            row = db.execute(
                "SELECT reads.*, contents.data FROM reads JOIN contents ON contents.hash = reads.hash WHERE id = ?",
                (read_id,),
            ).fetchone()
        if row is None:
            raise KeyError(f"no stored read {read_id}")
        body = json.loads(zlib.decompress(row["data"]), object_hook=_decode_cell)
        tabs = {name: RawTab(name, rows, origin, link) for name, origin, link, rows in body["tabs"]}
        return RawWorkbook(tabs, body["origin"], body["kind"], _time(row["last_read_at"]), link=body["link"])

    def record_failure(self, source: str, error: SourceError, at: dt.datetime) -> dt.datetime:
        """Note a failed read; return the time of the first failure since the last good read."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO failures VALUES (?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET reason = ?, message = ?",
                (source, at.astimezone(dt.UTC).isoformat(), error.reason, str(error), error.reason, str(error)),
            )
            row = db.execute("SELECT since FROM failures WHERE source = ?", (source,)).fetchone()
        return _time(row["since"])


def open_store(folder: str | Path) -> ReadStore | None:
    """The store in `folder`, or None (logged) when it cannot be opened: reading goes on without copies."""
    try:
        return ReadStore.in_folder(folder)
    except (OSError, sqlite3.Error) as exc:
        LOG.warning("The store of last good copies in %s cannot be used (%s); reading without it", folder, exc)
        return None


def read_or_last_copy(source: DataSource, key: str, store: ReadStore | None, label: str, link: str = "") -> RawWorkbook:
    """Read `source` live and store the read; on failure, its last good copy with a ReadFailure.

    `label` and `link` name the source in the failure when it was never read. Raises the SourceError
    when there is no copy (the failure is still recorded, so a later copy knows since when).
    """
    try:
        workbook = source.read()
    except SourceError as exc:
        now = dt.datetime.now(dt.UTC)
        since, copy = now, None
        if store is not None:
            try:
                since = store.record_failure(key, exc, now)
                latest = store.latest(key)
                copy = store.load(latest.id) if latest else None
            except (OSError, sqlite3.Error, ValueError, KeyError) as store_exc:
                LOG.warning("The last good copy of %s cannot be loaded (%s)", label, store_exc)
        failure = ReadFailure(
            origin=copy.origin if copy else label,
            reason=exc.reason,
            message=str(exc),
            summary=exc.summary,
            since=since,
            copy_read_at=copy.read_at if copy else None,
            link=(copy.link if copy else "") or link,
        )
        if copy is None:  # the caller reports it (the page, the CLI's "error:" line): not logged here too
            exc.failure = failure
            raise
        LOG.warning("%s cannot be read (%s); using the last good copy, read at %s", label, exc, copy.read_at)
        return replace(copy, failures=(failure,))
    if store is not None:
        try:
            store.save(key, workbook)
        except (OSError, sqlite3.Error) as exc:
            LOG.warning("The read of %s could not be stored as the last good copy (%s)", label, exc)
    return workbook
