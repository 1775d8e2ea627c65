"""The work that follows an ack: background tasks, one turn at a time per person, and a
short memory of the deliveries already seen.

Slack wants its ack within 3 seconds and before any database work, so listeners ack and hand
the rest to `Tasks`. Turns of one person run one after the other (`UserLocks`), so that two
quick clicks reach the engine in order and their replies appear in order; several persons
run side by side. `RecentKeys` drops a delivery this process has just handled (a Slack
retry) before it costs a database call; the engine's idempotency table remains the guard
across processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any

log = logging.getLogger("adapters.slack")


Work = tuple[Coroutine[Any, Any, None], str]
_held: ContextVar[list[Work] | None] = ContextVar("slack_work_held", default=None)


class Tasks:
    def __init__(self) -> None:
        self._running: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Start `work`, or hold it while an HTTP request is being answered (see `hold`)."""
        held = _held.get()
        if held is not None:
            held.append((work, what))
            return
        task = asyncio.get_running_loop().create_task(self._guarded(work, what))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    @contextlib.contextmanager
    def hold(self) -> Iterator[list[Work]]:
        """Work spawned inside is kept back, for the caller to `release` once the ack is on
        the wire. Started at once, a turn's database work would start in a thread that
        competes for the GIL (switched every 5 ms) with the loop that is sending the ack."""
        held: list[Work] = []
        token = _held.set(held)
        try:
            yield held
        finally:
            _held.reset(token)

    def release(self, held: list[Work]) -> None:
        for work, what in held:
            self.spawn(work, what)

    async def wait_idle(self) -> None:
        """Until no work is in flight, including work spawned meanwhile (tests, benchmarks)."""
        while self._running:
            await asyncio.wait(set(self._running))

    async def drain(self, timeout: float = 10.0) -> None:
        """Let the turns in flight finish (their answers are committed; their replies are
        worth sending) before the session closes."""
        if not self._running:
            return
        _done, pending = await asyncio.wait(set(self._running), timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:  # a failed turn must not take the others down
            log.exception("Slack %s failed", what)


class UserLocks:
    """One asyncio lock per person with turns in flight, forgotten once idle."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, user: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(user) or (asyncio.Lock(), 0)
        self._locks[user] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[user]
            if users == 1:
                del self._locks[user]
            else:
                self._locks[user] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class RecentKeys:
    """Delivery keys seen in the last `ttl` seconds at least (Slack retries within minutes).

    Two generations of plain sets, the older dropped as the newer turns `ttl` seconds old or
    holds half of `size` keys: a key is remembered between `ttl` and twice that, at the cost
    of a set slot (bench/memory.py: 123 B per conversation under way, where an ordered dict
    with a time per key held 191 B)."""

    def __init__(self, ttl: float = 900.0, size: int = 50_000) -> None:
        self.ttl = ttl
        self.size = size
        self._current: set[str] = set()
        self._previous: set[str] = set()
        self._since = time.monotonic()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        if now - self._since >= self.ttl or len(self._current) >= self.size // 2:
            stale = now - self._since >= 2 * self.ttl
            self._previous = set() if stale else self._current
            self._current = set()
            self._since = now
        if key in self._current or key in self._previous:
            return False
        self._current.add(key)
        return True
