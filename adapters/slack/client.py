"""The Slack Web API as this adapter uses it: one client, one HTTP session, retries, logs.

One `AsyncWebClient` on one `aiohttp.ClientSession` for the whole process (a new
connection per call doubled the cost of a reply, DESIGN §9), with slack_sdk's retry
handlers for connection resets, 429 (honouring Retry-After) and 5xx (with backoff).
A call that still fails is logged with the triage id and swallowed: the turn was committed
before any Slack call, so the agent loses nothing and can resume.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urljoin

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
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient
from yarl import URL

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
        self._urls: dict[str, URL] = {}
        self._headers: dict[str, str] = {}

    async def open(self) -> None:
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        self.client.session = self.session
        self._headers = {
            "Content-Type": "application/json;charset=utf-8",
            **self.client.headers,
            "Authorization": f"Bearer {self.client.token}",
        }

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
        return await self._call(method, triage_id, self._post_json, api_method=method, body=body)

    async def _post_json(self, api_method: str, body: dict[str, Any]) -> dict[str, Any]:
        """What `client.api_call(method, json=body)` sends, answers and raises, retries
        included (the client's own handlers, consulted as slack_sdk does), without the
        per-call work slack_sdk repeats for every message (URL joining, header merging,
        deprecation lookups, response objects): a quarter of the CPU of a call, and the
        two calls of every answer are most of a triage's requests."""
        assert self.session is not None, "SlackOut.open first"
        url = self._urls.get(api_method)
        if url is None:
            url = self._urls[api_method] = URL(urljoin(self.client.base_url, api_method))
        payload = json.dumps(body).encode()
        state: RetryState | None = None
        while True:
            status, headers, data, error = 0, None, None, None
            try:
                async with self.session.post(url, data=payload, headers=self._headers) as got:
                    status, headers = got.status, got.headers
                    raw = await got.read()
                    data = _json_of(got.content_type, raw, got)
            except Exception as failure:
                error = failure
            if error is None and status == 200 and data and data.get("ok", False):
                return data
            state = state or RetryState()
            if await self._retry(state, url, status, headers, data, error):
                continue
            if error is not None:
                raise error
            raise _api_error(self.client, url, body, status, headers, data)

    async def _retry(
        self,
        state: RetryState,
        url: URL,
        status: int,
        headers: Any,
        data: dict[str, Any] | None,
        error: Exception | None,
    ) -> bool:
        """Whether one of the client's retry handlers takes this failure (having waited
        as it does): slack_sdk's loop, step by step."""
        state.next_attempt_requested = False
        request = HttpRequest(method="POST", url=str(url), headers=self._headers)
        response = (
            None
            if error is not None
            else HttpResponse(status_code=status, headers=headers, body=data)
        )
        for handler in self.client.retry_handlers:
            if await handler.can_retry_async(
                state=state, request=request, response=response, error=error
            ):
                await handler.prepare_for_next_attempt_async(
                    state=state, request=request, response=response, error=error
                )
                break
        return state.next_attempt_requested

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
        body = {"trigger_id": trigger_id, "view": view}
        await self._call(
            "views.open", triage_id, self._post_json, api_method="views.open", body=body
        )

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        body = {"user_id": user, "view": view}
        await self._call(
            "views.publish", "", self._post_json, api_method="views.publish", body=body
        )

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
        lang = "en" if locale.lower().startswith("en") else DEFAULT_LANG
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


def _json_of(content_type: str, raw: bytes, response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The response's JSON as slack_sdk reads it: nothing from another content type, an
    error for a JSON body that cannot be parsed."""
    if content_type != "application/json" and not content_type.endswith("+json"):
        return {}
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise SlackApiError(
            f"Received a response in a non-JSON format: {raw[:100]!r}", response
        ) from error
    return data if isinstance(data, dict) else {}


def _api_error(
    client: AsyncWebClient,
    url: URL,
    body: dict[str, Any],
    status: int,
    headers: Any,
    data: dict[str, Any] | None,
) -> SlackApiError:
    """The error slack_sdk raises for a response that is not a success."""
    response = AsyncSlackResponse(
        client=client,
        http_verb="POST",
        api_url=str(url),
        req_args={"json": body},
        data=data or {},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(
        f"The request to the Slack API failed. (url: {url}, status: {status})", response
    )


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
