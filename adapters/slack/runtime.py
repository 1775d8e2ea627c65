"""The Slack side of a running server: the bolt app, its transport, and what they share.

Built in `mount` (routes must exist before the server starts) and opened in `start` (the
HTTP session and the Socket Mode connection need the running event loop).

slack-bolt's `AsyncApp` runs here with `process_before_response=True`: in its default mode
it starts each listener as a task and then polls for the ack every 10 ms, which costs ~10 ms
per click (measured: 10.9 ms against 0.17 ms). Our listeners ack first and hand the rest to
background tasks themselves, so the ack goes back as soon as the listener returns.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_view,
)
from slack_sdk.signature import SignatureVerifier

from adapters.slack.client import SlackOut, web_client
from adapters.slack.form import interaction_json
from adapters.slack.home import HomeTab
from adapters.slack.listeners import Listeners
from adapters.slack.notify import ReviewSender
from adapters.slack.settings import SlackSettings
from adapters.slack.tasks import Tasks
from adapters.slack.turns import Turns
from bot.app import App

log = logging.getLogger("adapters.slack")

FORM = "application/x-www-form-urlencoded"
ENGINE_THREADS = 4
"""Engine turns and reads run in this many threads: enough to overlap Slack calls with
database work, few enough to stay within the database pool (5 connections by default)."""


class _TokenFromClient(logging.Filter):
    """slack-bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when a client is
    given; ours carries that very token, so the warning would only alarm operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("adapters.slack.bolt")
BOLT_LOG.addFilter(_TokenFromClient())


class SlackRuntime:
    def __init__(self, app: App, settings: SlackSettings, socket_mode: bool) -> None:
        self.settings = settings
        self.socket_mode = socket_mode
        self.pool = ThreadPoolExecutor(ENGINE_THREADS, thread_name_prefix="slack-turn")
        self.out = SlackOut(web_client(settings.bot_token, settings.api_url))
        self.tasks = Tasks()
        self.home = HomeTab(app, self.out, self.pool, settings.command)
        self.turns = Turns(app, self.out, self.pool, settings.command, self._refresh_home)
        self.sender = ReviewSender(app, self.out, self.pool)
        self.verifier = (
            SignatureVerifier(settings.signing_secret) if settings.signing_secret else None
        )
        self.bolt = AsyncApp(
            name="boussole",
            client=self.out.client,
            signing_secret=settings.signing_secret,
            process_before_response=True,
            request_verification_enabled=False,
            logger=BOLT_LOG,
        )
        self.listeners = Listeners(
            app, self.turns, self.out, self.home, self.tasks, self.pool, settings.command
        )
        self.listeners.register(self.bolt)
        self.socket: AsyncSocketModeHandler | None = None

    def _refresh_home(self, user: str) -> None:
        self.tasks.spawn(self.home.publish(user), "App Home")

    async def handle_http(self, request: web.Request) -> web.Response:
        """POST /slack/events: the signature is checked first (401 when missing, wrong or
        older than 5 minutes, before the body is read as anything), then bolt dispatches;
        the listener acks, and the work it spawned starts once the ack has been sent.

        The check is slack_sdk's `SignatureVerifier`, the very one bolt's own middleware
        calls (turned off in `__init__`): done here, it lets an interaction reach bolt as
        the JSON inside its form (see `form.py`), and a forged body is never parsed."""
        raw = await request.read()
        if not self._signed(raw, request) and not _ssl_check(raw):
            log.info("Slack: request refused, its signature is missing, wrong or too old")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            body = raw.decode()
            if request.content_type == FORM:
                body = interaction_json(body)
            bolt_request = AsyncBoltRequest(
                body=body, query=request.query_string, headers=dict(request.headers)
            )
            _readable(bolt_request.body)
            with self.tasks.hold() as held:
                answer = await self.bolt.async_dispatch(bolt_request)
        except MALFORMED:
            return _unreadable()
        if answer.status >= 500:
            # bolt caught an error of its own (its logger fails on some payload shapes): the
            # request could not be read; bolt has logged why.
            return _unreadable()
        response = await to_aiohttp_response(answer)
        if not held:
            return response
        try:
            await response.prepare(request)
            await response.write_eof()
        finally:
            self.tasks.release(held)
        return response

    def _signed(self, raw: bytes, request: web.Request) -> bool:
        return self.verifier is not None and self.verifier.is_valid(
            raw,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )

    async def start(self) -> ReviewSender:
        await self.out.open()
        if self.socket_mode:
            self.socket = AsyncSocketModeHandler(
                self.bolt, self.settings.app_token, web_client=self.out.client
            )
            await self.socket.connect_async()
            log.info("Slack: connected in Socket Mode")
        else:
            log.info("Slack: serving POST /slack/events")
        return self.sender

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None
        await self.tasks.drain()
        await self.out.close()
        self.pool.shutdown(wait=True)


MALFORMED = (IndexError, KeyError, TypeError, AttributeError, ValueError)
_EXTRACTORS = (to_action, to_command, to_event, to_message, to_options, to_shortcut, to_view)


def _ssl_check(raw: bytes) -> bool:
    """Slack's certificate check, which bolt answers without a signature, as it always has."""
    return (
        b"ssl_check=1" in raw
        and dict(parse_qsl(raw.decode(errors="replace"))).get("ssl_check") == "1"
    )


def _unreadable() -> web.Response:
    log.warning("Slack: a signed request could not be read; refused with 400")
    return web.json_response({"error": "Slack request could not be read"}, status=400)


def _readable(body: dict[str, Any]) -> None:
    """Run the extractors bolt will run, so that a payload they cannot read is refused here
    rather than as a 500 from inside bolt."""
    for extract in _EXTRACTORS:
        extract(body)
