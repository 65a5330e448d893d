"""Several spreadsheets (or .xlsx files, or a mix) read at once and handed over as one workbook.

Partners often keep one sheet each and the lead partner consolidates. Each source is read
concurrently (one batched request per Google spreadsheet), with its own last good copy; the result
is a combined `RawWorkbook` whose `parts` are the sources' workbooks in the configured order, each
keeping its origin so every row still points at its own spreadsheet, tab and cell. Appending the
rows of the same tab, and reporting an id used in two spreadsheets, happen when the parts are
cleaned (`monitoring.dataset`), where the contract's tabs and ids are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from data_sources.base import DataSource, RawWorkbook, ReadFailure, SourceError
from data_sources.store import ReadStore, read_or_last_copy

MAX_CONCURRENT_READS = 8


@dataclass(frozen=True)
class Located:
    """A source with the names it is known by: `key` in the store, `label` and `link` for users.

    `keep_copies`: store its reads and fall back on the last one. Remote sources do; a local file is its
    own copy (and storing every read of a large workbook would slow each read down).
    """

    key: str
    label: str
    source: DataSource
    link: str = ""
    keep_copies: bool = True

    def read(self, store: ReadStore | None) -> RawWorkbook:
        return read_or_last_copy(self.source, self.key, store if self.keep_copies else None, self.label, self.link)


def _unique_origins(workbooks: list[RawWorkbook]) -> list[RawWorkbook]:
    """Number the second and later sources that share a title ("Monitoring (2)"), so rows stay told apart."""
    seen: dict[str, int] = {}
    unique = []
    for book in workbooks:
        seen[book.origin] = seen.get(book.origin, 0) + 1
        if seen[book.origin] == 1:
            unique.append(book)
            continue
        origin = f"{book.origin} ({seen[book.origin]})"
        tabs = {n: replace(t, origin=origin) if t.origin == book.origin else t for n, t in book.tabs.items()}
        failures = tuple(replace(f, origin=origin) for f in book.failures)
        unique.append(replace(book, tabs=tabs, origin=origin, failures=failures))
    return unique


def combine(workbooks: Sequence[RawWorkbook], missing: Sequence[ReadFailure] = ()) -> RawWorkbook:
    """One workbook made of several: `parts` in order, every failure kept, read at the oldest part's time.

    `missing` are the sources that could not be read and have no copy: their rows are absent.
    """
    parts = _unique_origins(list(workbooks))
    if not parts:
        raise ValueError("nothing to combine")
    return RawWorkbook(
        tabs={},
        origin=" + ".join(p.origin for p in parts),
        kind="combined",
        read_at=min(p.read_at for p in parts),
        failures=tuple(f for p in parts for f in p.failures) + tuple(missing),
        parts=tuple(parts),
    )


def _none_readable(errors: list[tuple[Located, SourceError]]) -> SourceError:
    first = errors[0][1]
    kind = type(first) if all(type(e) is type(first) for _, e in errors) else SourceError
    lines = " ".join(f"{located.label}: {exc}" for located, exc in errors)
    accounts = [e.account for _, e in errors if e.account]
    error = kind(
        f"None of the {len(errors)} spreadsheets could be read. {lines}",
        summary=first.summary if kind is type(first) else "none of the spreadsheets could be read",
        account=accounts[0] if accounts else "",
    )
    error.failure = first.failure
    return error


def read_all(sources: Sequence[Located], store: ReadStore | None) -> RawWorkbook:
    """Read every source (concurrently when there are several), falling back on each one's last good copy.

    A source that fails with no copy is left out and listed in `failures`; when none can be read at all,
    the SourceError explains each one.
    """
    if len(sources) == 1:
        return sources[0].read(store)
    with ThreadPoolExecutor(max_workers=min(len(sources), MAX_CONCURRENT_READS)) as pool:
        futures = [pool.submit(located.read, store) for located in sources]
    books: list[RawWorkbook] = []
    errors: list[tuple[Located, SourceError]] = []
    for located, future in zip(sources, futures, strict=True):
        try:
            books.append(future.result())
        except SourceError as exc:
            errors.append((located, exc))
    if not books:
        raise _none_readable(errors)
    return combine(books, [exc.failure for _, exc in errors if exc.failure is not None])
