"""Delivering the outbox: at least once, with exponential backoff, parked after 5 failures.

A message is claimed with a lease (its next attempt pushed into the future) before it is
sent, so a crash between the send and the record of it repeats only that message, once the
lease has run out; several workers never hold the same message at the same time. A database
outage between the send and its record repeats nothing: the process remembers the send and
records it when the database is back (within the lease).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.i18n import DEFAULT_LANG
from bot.notifications import REVIEW_CLOSED, REVIEW_REQUEST, notification_text
from storage.repository import OutboxRecord, Store, now

log = logging.getLogger(__name__)

Posted = dict[str, Any] | None
"""Where a sender posted its copy (channel and message ids), kept with the message so that a
later event can update the copy; None when nothing will ever update it."""
Delivery = OutboxRecord
"""One message of the outbox, as a platform's sender receives it: its kind, recipient,
triage and payload (the texts in every language)."""
Sender = Callable[[Delivery], Awaitable[Posted]]

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)
BASE_DELAY = timedelta(seconds=10)
RENEW_MIN_SECONDS = 0.05
"""How often a lease is renewed at most, whatever its length."""


class PermanentFailure(Exception):
    """The platform will never accept this message (bot removed, user gone): park it now."""


def check_sendable(message: Delivery) -> None:
    """Every kind but a review request (drawn from the result) and its closing carries its
    text; one without has nothing to send, ever: parked, not retried."""
    if message.kind in (REVIEW_REQUEST, REVIEW_CLOSED):
        return
    if not notification_text(message.payload, message.kind, DEFAULT_LANG):
        raise PermanentFailure(f"a {message.kind!r} message without text cannot be sent")


class Notifier:
    def __init__(
        self, store: Store, senders: dict[str, Sender], batch: int = 20, lease: timedelta = LEASE
    ) -> None:
        self.store = store
        self.senders = senders
        self.batch = batch
        self.lease = lease
        self.unrecorded: list[tuple[OutboxRecord, Posted]] = []
        """Sent, but the database went away before the send was recorded: recorded first
        thing once it is back, rather than sent again when the lease runs out."""

    async def drain_once(self) -> int:
        """Deliver the messages due now; returns how many were delivered."""
        if not self.senders:
            return 0
        if self.unrecorded:
            await asyncio.to_thread(self._record_unrecorded)
        claimed = await asyncio.to_thread(self._claim)
        delivered = 0
        for message in claimed:
            fence = message.attempts + 1
            if not await asyncio.to_thread(self._renew, message.id, fence):
                log.info("outbox %s was taken over by another notifier: not sent here", message.id)
                continue
            try:
                posted = await self._send_holding(message, fence)
            except PermanentFailure as error:
                log.warning("outbox %s to %s parked: %s", message.id, message.platform, error)
                await asyncio.to_thread(self._failed, message, str(error), True)
            except Exception as error:  # any sender failure is retried, never lost
                log.warning(
                    "outbox %s (triage %s) failed: %s",
                    message.id,
                    message.triage_id,
                    error,
                    exc_info=True,
                )
                await asyncio.to_thread(self._failed, message, str(error), False)
            else:
                delivered += 1
                try:
                    await asyncio.to_thread(self._delivered, message, posted)
                except Exception:  # the database went away since the claim
                    log.warning("outbox %s sent; recorded once the database is back", message.id)
                    self.unrecorded.append((message, posted))
        return delivered

    async def run(self, stop: asyncio.Event, interval: float = 2.0) -> None:
        while not stop.is_set():
            try:
                await self.drain_once()
            except Exception:  # the loop must survive a database outage
                log.exception("outbox drain failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def _send_holding(self, message: Delivery, fence: int) -> Posted:
        """Send while renewing the lease, so that a platform slower than the lease does not
        let another notifier take the message and send it again; only a process that dies
        mid-send lets its lease run out."""
        renewing = asyncio.create_task(self._keep_lease(message.id, fence))
        try:
            return await self.senders[message.platform](message)
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _keep_lease(self, message_id: int, fence: int) -> None:
        """Never raises: a renewal the database refuses (an outage) must not turn a send that
        succeeded into a failure; the send's own record decides what happens next."""
        interval = max(self.lease.total_seconds() / 3, RENEW_MIN_SECONDS)
        while True:
            await asyncio.sleep(interval)
            try:
                kept = await asyncio.to_thread(self._renew, message_id, fence)
            except Exception as error:
                log.warning("outbox %s: lease not renewed: %s", message_id, error)
                continue
            if not kept:
                log.warning("outbox %s: lease lost while sending", message_id)
                return

    def _renew(self, message_id: int, fence: int) -> bool:
        """Checked before each send of a claimed batch: a batch slower than the lease may
        have had its later messages taken over meanwhile."""
        with self.store.transaction() as tx:
            return tx.renew_lease(message_id, fence, self.lease)

    def _claim(self) -> list[OutboxRecord]:
        with self.store.transaction() as tx:
            return tx.claim_due(self._ready(), self.lease, self.batch)

    def _ready(self) -> list[str]:
        """The platforms whose sender can send now: one that says it cannot (`ready` False:
        another process holds the Matrix device) leaves its messages to the one that can."""
        return [name for name, sender in self.senders.items() if getattr(sender, "ready", True)]

    def _record_unrecorded(self) -> None:
        while self.unrecorded:
            self._delivered(*self.unrecorded[0])
            self.unrecorded.pop(0)

    def _delivered(self, message: OutboxRecord, posted: Posted) -> None:
        with self.store.transaction() as tx:
            tx.mark_delivered(message.id, posted)

    def _failed(self, message: OutboxRecord, error: str, permanent: bool) -> None:
        attempts = message.attempts + 1
        retry_at = None
        if not permanent and attempts < MAX_ATTEMPTS:
            retry_at = now() + BASE_DELAY * (2 ** (attempts - 1))
        with self.store.transaction() as tx:
            tx.mark_failed(message.id, error, retry_at)
