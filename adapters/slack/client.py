"""The Slack Web API as this adapter uses it: one client, one HTTP session, retries, logs.

One `AsyncWebClient` on one `aiohttp.ClientSession` for the whole process (a new
connection per call doubled the cost of a reply, DESIGN §9), with slack_sdk's retry
handlers for connection resets, 429 (honouring Retry-After) and 5xx (with backoff).
A call that still fails is logged with the triage id and swallowed: the turn was committed
before any Slack call, so the agent loses nothing and can resume.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.chat.locale import language
from adapters.slack.blocks import Message

log = logging.getLogger("adapters.slack")
calls_log = logging.getLogger("adapters.slack.calls")
"""slack_sdk writes a debug line with the whole body of every request and response when its
logger's own level (not the inherited one) is unset, which a fresh logger's is: formatting
those lines took a twentieth of the CPU of a turn. A level set here stops that; debug
logging is still one `setLevel(logging.DEBUG)` away."""
calls_log.setLevel(logging.INFO)

FAILURES = (SlackClientError, aiohttp.ClientError, TimeoutError)
"""What a Web API call may raise once its retries are spent."""
CACHE_SIZE = 10_000
LOCALE_TTL = 3600.0
DEFAULT_LANG = "fr"


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's handler retries 500 and 503 only; a gateway in front of Slack (or of a
    self-hosted relay) also answers 502 and 504, which are just as transient."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


def retry_handlers() -> list[AsyncRetryHandler]:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        AsyncRateLimitErrorRetryHandler(max_retry_count=3),
        AnyServerErrorRetryHandler(max_retry_count=3, interval_calculator=backoff),
    ]


def web_client(token: str, base_url: str) -> AsyncWebClient:
    """The session is attached in `SlackOut.open`, inside the running event loop."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=10,
        retry_handlers=retry_handlers(),
        logger=calls_log,
    )


class LruCache:
    """A small bounded map: per-user facts that cost a Web API call to learn."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class SlackOut:
    """Every call this adapter makes to Slack, each logging its own failure."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.session: aiohttp.ClientSession | None = None
        self._channels = LruCache()
        self._langs = LruCache()

    async def open(self) -> None:
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        self.client.session = self.session

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None
            self.client.session = None

    # Messages

    async def post(self, channel: str, message: Message, triage_id: str = "") -> str | None:
        """The new message's ts, or None when Slack refused it."""
        response = await self._chat("chat.postMessage", triage_id, channel=channel, **message)
        return None if response is None else response.get("ts")

    async def update(self, channel: str, ts: str, message: Message, triage_id: str = "") -> None:
        await self._chat("chat.update", triage_id, channel=channel, ts=ts, **message)

    async def ephemeral(
        self, channel: str, user: str, message: Message, triage_id: str = ""
    ) -> None:
        await self._chat("chat.postEphemeral", triage_id, channel=channel, user=user, **message)

    async def _chat(self, method: str, triage_id: str, **body: Any) -> Any:
        """A message sent as the JSON body it already is: slack_sdk's `chat_*` wrappers walk
        every block looking for model objects to serialise, of which we draw none."""
        call = self.client.api_call
        return await self._call(method, triage_id, call, api_method=method, json=body)

    async def respond(self, response_url: str, message: Message, triage_id: str = "") -> None:
        """An ephemeral reply through a command's or an action's response_url: it works in
        channels the bot is not a member of, where chat.postEphemeral would fail."""
        webhook = AsyncWebhookClient(
            response_url,
            session=self.session,
            retry_handlers=self.client.retry_handlers,
            logger=calls_log,
        )
        try:
            response = await webhook.send(
                response_type="ephemeral", replace_original=False, **message
            )
        except FAILURES as error:
            _failed("response_url", triage_id, error)
            return
        if response.status_code != 200:
            _failed("response_url", triage_id, f"HTTP {response.status_code} {response.body}")

    async def open_view(self, trigger_id: str, view: dict[str, Any], triage_id: str = "") -> None:
        await self._call(
            "views.open", triage_id, self.client.views_open, trigger_id=trigger_id, view=view
        )

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        await self._call("views.publish", "", self.client.views_publish, user_id=user, view=view)

    # Facts about users, cached

    def remember_dm(self, user: str, channel: str) -> None:
        self._channels.put(user, channel)

    def known_dm(self, user: str) -> str | None:
        """The DM channel already learnt, without a call: for the notifier, which must see
        Web API errors raised rather than logged, and opens the DM itself otherwise."""
        cached = self._channels.get(user)
        return None if cached is None else str(cached)

    async def dm_channel(self, user: str, triage_id: str = "") -> str | None:
        """The user's direct-message channel with the app, where triages take place."""
        cached = self.known_dm(user)
        if cached is not None:
            return cached
        response = await self._call(
            "conversations.open", triage_id, self.client.conversations_open, users=user
        )
        channel = None if response is None else (response.get("channel") or {}).get("id")
        if channel:
            self._channels.put(user, channel)
        return channel

    def known_lang(self, user: str) -> str:
        """The language already learnt for this person, without a call: what an ack, which
        must not wait for Slack, can use."""
        cached = self._langs.get(user)
        return cached[0] if cached is not None else DEFAULT_LANG

    async def lang(self, user: str) -> str:
        """French or English from the user's Slack locale (users.info, include_locale);
        French when it is neither, or when Slack cannot tell."""
        cached = self._langs.get(user)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        response = await self._call(
            "users.info", "", self.client.users_info, user=user, include_locale=True
        )
        locale = "" if response is None else str((response.get("user") or {}).get("locale", ""))
        lang = language(locale)
        ttl = LOCALE_TTL if response is not None else 60.0
        self._langs.put(user, (lang, time.monotonic() + ttl))
        return lang

    async def call(self, method: str, call: Any, **kwargs: Any) -> Any:
        """Any other Web API call (files.info…): its response, or None, logged, on failure."""
        return await self._call(method, "", call, **kwargs)

    async def _call(self, method: str, triage_id: str, call: Any, **kwargs: Any) -> Any:
        try:
            return await call(**kwargs)
        except FAILURES as error:
            detail: object = error
            if isinstance(error, SlackApiError) and isinstance(error.response.data, dict):
                detail = error.response.data.get("error")
            _failed(method, triage_id, detail)
            return None


def _failed(method: str, triage_id: str, detail: object) -> None:
    if triage_id:
        log.warning(
            "Slack %s failed for triage %s after retries: %s (the triage is saved; "
            "the agent can resume it)",
            method,
            triage_id,
            detail,
        )
    else:
        log.warning("Slack %s failed after retries: %s", method, detail)
