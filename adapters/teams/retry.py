"""Teams sends that honour `Retry-After`, in a turn and proactively alike.

The Bot Framework SDK gives up at the first 429 or 5xx from the connector service. Every
send and card update of Boussole, whether it answers a click or delivers a notification,
goes through the adapter's `send_activities` and `update_activity`; retrying there (with the
chat kit's bounds, `adapters.chat.retries`) covers both, whatever code made the call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ResourceResponse
from botframework.connector.aio import ConnectorClient

from adapters.chat import retries
from adapters.teams.proactive import PLATFORM, status_of

T = TypeVar("T")


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
    return await retries.honour_retry_after(call, status_of, _header, PLATFORM)


def _header(error: BaseException, name: str) -> str | None:
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    value = headers.get(name)
    return str(value) if value is not None else None
