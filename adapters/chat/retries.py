"""Calls to a chat platform's web API that honour `Retry-After`, within bounds.

The waits are bounded: a turn holds the platform's HTTP request open (Teams gives up after
about 15 seconds), and a notification that cannot go now is better left to the outbox, which
retries it later without holding a worker. A call never waits more than `MAX_WAIT` in all:
a delay that would go beyond it is not waited for, and the error goes up at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

log = logging.getLogger(__name__)

RETRIES = 3
"""New attempts after the first one."""
MAX_WAIT = 10.0
"""Seconds: the longest a call waits across its retries, well inside Teams' limit for a turn."""
BACKOFF = 0.5
"""Seconds before the first retry of a 5xx that names no delay; doubled each time."""
RETRYABLE = frozenset({429, 500, 502, 503, 504})

T = TypeVar("T")
sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


async def honour_retry_after(
    call: Callable[[], Awaitable[T]],
    status_of: Callable[[BaseException], int | None],
    header_of: Callable[[BaseException, str], str | None],
    platform: str,
) -> T:
    """`call()`, again after the delay the service asks for, at most `RETRIES` more times.
    `status_of` and `header_of` read an error of the platform's client."""
    waited = 0.0
    for attempt in range(RETRIES + 1):
        try:
            return await call()
        except Exception as error:
            status = status_of(error)
            delay = None
            if status in RETRYABLE:
                delay = retry_after(header_of(error, "Retry-After"))
                if delay is None:
                    delay = BACKOFF * 2**attempt
            if delay is None or attempt == RETRIES or waited + delay > MAX_WAIT:
                raise
            log.warning(
                "%s: the service answered %s; trying again in %.1f s (retry %d of %d)",
                platform,
                status,
                delay,
                attempt + 1,
                RETRIES,
            )
            await sleep(delay)
            waited += delay
    raise AssertionError("unreachable: the last attempt returns or raises")


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
