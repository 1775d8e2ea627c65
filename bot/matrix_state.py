"""What the Matrix adapter keeps in the instance's database: its sync position, the events
it handled, its rooms, and the lease that lets only one process sync the device. Here, in
`bot/`, because chat adapters never reach the database themselves (tests/test_layers.py); the
SQL is storage/matrix.py's.

Blocking (SQLAlchemy): called from worker threads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import App
from bot.conversations import first_time
from bot.i18n import t

log = logging.getLogger(__name__)

DEDUP_PLATFORM = "matrix-sync"
"""Incoming event ids are claimed under this name in `processed_events`, apart from the
engine's own keys, so that an event replayed after a restart is dropped before anything."""


@dataclass(frozen=True)
class Room:
    room_id: str
    direct_user: str | None
    lang: str
    triage_id: str | None
    question_id: str | None
    question_event: str | None


class MatrixState:
    def __init__(self, app: App, account: str) -> None:
        self.app = app
        self.account = account

    def next_batch(self) -> str | None:
        with self.app.store.reading() as tx:
            return tx.matrix_next_batch(self.account)

    def save_next_batch(self, token: str) -> None:
        """Called once a batch's events are handled, never before: a crash replays them
        (the claims below drop what was done) rather than losing them."""
        with self.app.store.transaction() as tx:
            tx.save_matrix_next_batch(self.account, token)

    def claim(self, event_id: str) -> bool:
        """False when this event was already handled (a replayed sync)."""
        return first_time(self.app, DEDUP_PLATFORM, event_id)

    def room(self, room_id: str) -> Room | None:
        with self.app.store.reading() as tx:
            row = tx.matrix_room(room_id)
        return _room(row) if row else None

    def direct_room(self, user_id: str) -> Room | None:
        with self.app.store.reading() as tx:
            row = tx.matrix_direct_room(user_id)
        return _room(row) if row else None

    def save_room(self, room: Room) -> None:
        values = {k: v for k, v in asdict(room).items() if k != "room_id"}
        with self.app.store.transaction() as tx:
            tx.save_matrix_room(room.room_id, values)

    def forget_room(self, room_id: str) -> None:
        with self.app.store.transaction() as tx:
            tx.forget_matrix_room(room_id)


LEASE = timedelta(seconds=60)
"""How long a device's lease lasts unrenewed: how long a crashed holder keeps another process
from taking over. Renewed every third of it while the holder runs."""


@dataclass(frozen=True)
class Held:
    mine: bool
    holder: str
    until: datetime


class DeviceLease:
    """One process syncs a Matrix device at a time: every encrypted message advances the
    device's Olm state, and two processes syncing it would make it diverge. The lease is in
    the database every instance shares, so a second `serve` with the same device waits, and
    takes over once the holder stops or has not renewed it for `length`."""

    def __init__(
        self, app: App, account: str, device: str, length: timedelta | None = None
    ) -> None:
        self.app = app
        self.account = account
        self.device = device
        self.length = length or LEASE
        self.holder = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
        """Who this process is, for the other process's log: machine, process, and a
        random part that tells two holders in one process apart (tests)."""

    def take(self) -> Held:
        """Take or renew the lease; `mine` False when another process holds it."""
        at = datetime.now(UTC)
        with self.app.store.transaction() as tx:
            holder, until = tx.take_matrix_lease(
                self.account, self.device, self.holder, at + self.length, at
            )
        return Held(holder == self.holder, holder, until)

    def release(self) -> None:
        with self.app.store.transaction() as tx:
            tx.release_matrix_lease(self.account, self.device, self.holder, datetime.now(UTC))

    async def keep(
        self, held: Held, taken: Callable[[], Awaitable[bool]], lost: Callable[[], Awaitable[None]]
    ) -> None:
        """Run for as long as the process: every third of the lease, renew it (syncing) or
        try to take it (waiting). `taken` starts syncing (False: it could not, try again);
        `lost` stops when the lease went to another process or could not be renewed before
        it ran out (the database away)."""
        interval = self.length.total_seconds() / 3
        syncing, renewed = held.mine, time.monotonic()
        while True:
            await asyncio.sleep(interval)
            try:
                now = await asyncio.to_thread(self.take)
            except Exception as error:
                log.warning("matrix: the device's lease could not be renewed: %s", error)
                if syncing and time.monotonic() - renewed > self.length.total_seconds():
                    syncing = False
                    log.error(self._said("matrix_device_lost"))
                    await lost()
                continue
            if now.mine:
                renewed = time.monotonic()
                if not syncing and await taken():
                    syncing = True
                    self.tell(now)
            elif syncing:
                syncing = False
                log.error(self._said("matrix_device_lost"))
                await lost()
            elif held.mine or now.holder != held.holder:
                self.tell(now)
            held = now

    def tell(self, held: Held) -> None:
        """Say in the log, in the instance's language, who syncs the device."""
        if held.mine:
            log.info(self._said("matrix_device_taken"))
        else:
            until = held.until.isoformat(timespec="seconds")
            log.warning(self._said("matrix_device_held", holder=held.holder, until=until))

    def _said(self, key: str, **params: str) -> str:
        lang = self.app.settings.lang
        return t(key, lang, account=self.account, device=self.device, **params)


def _room(row: Mapping[str, Any]) -> Room:
    return Room(**{name: row[name] for name in Room.__dataclass_fields__})
