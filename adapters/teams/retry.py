"""Teams sends that honour `Retry-After`, in a turn and proactively alike.

The Bot Framework SDK gives up at the first 429 or 5xx from the connector service. Every
send and card update of Boussole, whether it answers a click or delivers a notification,
goes through the adapter's `send_activities` and `update_activity`; retrying there covers
both, whatever code in the bot made the call.

The waits are bounded: a turn holds Teams' HTTP request open (Teams gives up after about
15 seconds), and a notification that cannot go now is better left to the outbox, which
retries it later without holding a worker. A call never waits more than `MAX_WAIT` in all:
a delay that would go beyond it is not waited for, and the error goes up at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.aio import ConnectorClient

from adapters.teams.proactive import status_of

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


class RetryingCloudAdapter(CloudAdapter):
    """A CloudAdapter whose sends and updates are retried on 429 and 5xx.

    Activities are sent one by one, so that a retry never sends again one that already went
    out."""

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        send = super().send_activities
        responses: list[ResourceResponse] = []
        for activity in activities:
            responses.extend(await honour_retry_after(lambda a=activity: send(context, [a])))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> Any:
        update = super().update_activity
        return await honour_retry_after(lambda: update(context, activity))


def leave_statuses_to_us(client: ConnectorClient) -> None:
    """msrest retries card updates (PUT) itself, through urllib3, on 5xx and on a 429 or 503
    with `Retry-After`, sleeping as long as the header says: a second layer under this one,
    unbounded. It keeps retrying lost connections; HTTP statuses are left to this module."""
    # Changed in place: the client's HTTP session holds this very object since it was built.
    policy = client.config.retry_policy.policy
    policy.status_forcelist = frozenset()
    policy.respect_retry_after_header = False


async def honour_retry_after(call: Callable[[], Awaitable[T]]) -> T:
    """`call()`, again after the delay the service asks for, at most `RETRIES` more times."""
    waited = 0.0
    for attempt in range(RETRIES + 1):
        try:
            return await call()
        except Exception as error:
            delay = _delay(error, attempt)
            if delay is None or attempt == RETRIES or waited + delay > MAX_WAIT:
                raise
            log.warning(
                "teams: the connector answered %s; trying again in %.1f s (retry %d of %d)",
                status_of(error),
                delay,
                attempt + 1,
                RETRIES,
            )
            await sleep(delay)
            waited += delay
    raise AssertionError("unreachable: the last attempt returns or raises")


def _delay(error: BaseException, attempt: int) -> float | None:
    """How long to wait before the next attempt, or None when retrying cannot help."""
    status = status_of(error)
    if status not in RETRYABLE:
        return None
    asked = retry_after(_header(error, "Retry-After"))
    if asked is None:
        asked = BACKOFF * 2**attempt
    return asked


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


def _header(error: BaseException, name: str) -> str | None:
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    value = headers.get(name)
    return str(value) if value is not None else None
