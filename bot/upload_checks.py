"""Flow files sent in chat are checked on a thread of their own, one at a time.

Checking a flow takes up to a few seconds of one core (`flows.limits` bounds it), and the
publish button checks it again. On the pool that runs agents' turns (Slack's engine pool,
the default executor of Teams' `asyncio.to_thread`), a few uploads at once would hold every
thread and stall the triages under way. Here one thread checks, `WAITING` more uploads may
queue behind it, and any further one is refused at once with a polite "send it again in a
minute": an admin's upload never waits on, nor delays, an agent's turn.

A check that fails unexpectedly still gets a reply (with a reference to find it in the logs),
so the admin is never left without an answer.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from bot.admin import AdminReply
from bot.i18n import t

log = logging.getLogger(__name__)

WAITING = 2
"""Uploads that may wait behind the one being checked."""


class UploadChecks:
    def __init__(self, waiting: int = WAITING) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="flow-check")
        self._slots = threading.BoundedSemaphore(1 + waiting)

    async def run(self, lang: str, work: Callable[..., AdminReply], *args: Any) -> AdminReply:
        """`work(*args)` on the checking thread, or the "busy" reply when the queue is full,
        or the "failed" reply when it raises; never an exception."""
        if not self._slots.acquire(blocking=False):
            return AdminReply(t("admin_upload_busy", lang), ok=False)
        future: Future[AdminReply] = self._pool.submit(work, *args)
        # Released when the work ends, or is cancelled before it starts; not when the caller
        # stops waiting, since the thread is still busy with it then.
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return await asyncio.wrap_future(future)
        except Exception:
            reference = secrets.token_hex(4)
            log.exception("flow check failed (reference %s)", reference)
            return AdminReply(t("admin_upload_failed", lang, ref=reference), ok=False)
