"""Wrong-password backoff per client address, with a global limit: pure logic (no Streamlit), thread-safe.

A Streamlit session ends with a reload, so a delay kept in the session limits nothing: an attacker opens
another connection. `PasswordBackoff` keeps, for every client address, how many wrong passwords came from it
and until when it must wait; while it waits, no password from it is even compared (the right one neither).

- `attempt(address)` before every comparison: 0 when the password may be compared now (and the comparison is
  counted), else the seconds to wait; `failed` / `succeeded` after it.
- After the n-th wrong password in a row from an address, that address waits `base * 2**(n-1)` seconds,
  at most `cap` (30 s).
- Global limit: at most `global_limit` passwords (right or wrong) are compared in any `global_window` seconds,
  from all addresses together. While that budget is spent, no password is compared for anyone, so many addresses
  do not buy many guesses; the wait ends when the oldest comparison leaves the window.
- An address forgotten after `forget_after` seconds without a wrong password; at most `max_addresses` are kept
  (the oldest are dropped first), so memory stays bounded.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_DELAY_SECONDS = 30.0
LOCAL = "local"  # Streamlit gives no address for localhost (and so for everyone behind a local reverse proxy)


@dataclass
class _Record:
    failures: int
    wait_until: float
    last: float


class PasswordBackoff:
    def __init__(
        self,
        base: float = 1.0,
        cap: float = MAX_DELAY_SECONDS,
        global_limit: int = 30,
        global_window: float = 60.0,
        forget_after: float = 900.0,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.cap = base, cap
        self.global_limit, self.global_window = global_limit, global_window
        self.forget_after, self.max_addresses = forget_after, max_addresses
        self.clock = clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()

    @staticmethod
    def key(address: str | None) -> str:
        return (address or "").strip() or LOCAL

    def wait(self, address: str | None) -> float:
        """Seconds this address must still wait before a password from it is compared; 0 when it may try now."""
        now = self.clock()
        with self._lock:
            self._forget(now)
            return self._wait(self.key(address), now)

    def attempt(self, address: str | None) -> float:
        """Before comparing a password from this address: 0 when it may be compared now (the comparison is
        counted against the global limit), else the seconds to wait (nothing is counted)."""
        now = self.clock()
        with self._lock:
            self._forget(now)
            waiting = self._wait(self.key(address), now)
            if waiting == 0:
                self._recent.append(now)
            return waiting

    def failed(self, address: str | None) -> float:
        """Record a wrong password from this address (after `attempt`); return how long it must now wait."""
        now = self.clock()
        key = self.key(address)
        with self._lock:
            self._forget(now)
            record = self._records.pop(key, None) or _Record(0, now, now)
            record.failures += 1
            delay = min(self.base * 2 ** (record.failures - 1), self.cap) if self.base > 0 else 0.0
            record.wait_until, record.last = now + delay, now
            self._records[key] = record
            while len(self._records) > self.max_addresses:
                self._records.popitem(last=False)
            return self._wait(key, now)

    def _wait(self, key: str, now: float) -> float:
        record = self._records.get(key)
        own = max(0.0, record.wait_until - now) if record else 0.0
        spent = len(self._recent) >= self.global_limit
        everyone = max(0.0, self._recent[0] + self.global_window - now) if spent else 0.0
        return max(own, everyone)

    def succeeded(self, address: str | None) -> None:
        with self._lock:
            self._records.pop(self.key(address), None)

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - self.global_window:
            self._recent.popleft()
        while self._records:
            key, record = next(iter(self._records.items()))
            if record.last > now - self.forget_after or record.wait_until > now:
                break
            del self._records[key]


class Throttle:
    """At most one action per `every` seconds, for the whole server (e.g. "Refresh now": every viewer spends the
    same Google read quota). Thread-safe."""

    def __init__(self, every: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self._last: float | None = None
        self._lock = threading.Lock()

    def wait(self) -> float:
        """Seconds until the action is possible again; 0 when it is possible now."""
        with self._lock:
            return 0.0 if self._last is None else max(0.0, self._last + self.every - self.clock())

    def attempt(self) -> float:
        """Take the action's turn: 0 when it may go ahead now (and the clock restarts), else the seconds to wait."""
        with self._lock:
            now = self.clock()
            if self._last is not None and now < self._last + self.every:
                return self._last + self.every - now
            self._last = now
            return 0.0
