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

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
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
from adapters.slack.home import HomeTab
from adapters.slack.listeners import Listeners
from adapters.slack.notify import ReviewSender
from adapters.slack.settings import SlackSettings
from adapters.slack.tasks import Tasks
from adapters.slack.turns import Turns
from bot.app import App

log = logging.getLogger("adapters.slack")

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
            request_verification_enabled=not socket_mode,
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
        """POST /slack/events: bolt verifies the signature (401 when missing, wrong or older
        than 5 minutes, before any listener runs) and dispatches; the listener acks, and the
        work it spawned starts once the ack has been sent."""
        try:
            bolt_request = await to_bolt_request(request)
            _readable(bolt_request.body)
        except MALFORMED:
            # bolt reads the body before it checks the signature and fails on some shapes,
            # in its error handler too: answer 401 for a forged request, 400 for a signed
            # request that bolt could not read.
            return await self._malformed(request)
        try:
            with self.tasks.hold() as held:
                answer = await self.bolt.async_dispatch(bolt_request)
        except MALFORMED:
            return await self._malformed(request)
        if answer.status >= 500:
            # bolt caught an error of its own (its logger fails on some payload shapes): the
            # request could not be read; bolt has logged why.
            return await self._malformed(request)
        response = await to_aiohttp_response(answer)
        if not held:
            return response
        try:
            await response.prepare(request)
            await response.write_eof()
        finally:
            self.tasks.release(held)
        return response

    async def _malformed(self, request: web.Request) -> web.Response:
        body = await request.read()
        valid = self.verifier is not None and self.verifier.is_valid_request(
            body, dict(request.headers)
        )
        if not valid:
            return web.json_response({"error": "invalid signature"}, status=401)
        log.warning("Slack: a signed request could not be read; refused with 400")
        return web.json_response({"error": "Slack request could not be read"}, status=400)

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


def _readable(body: dict[str, Any]) -> None:
    """Run the extractors bolt will run, so that a payload they cannot read is refused here
    rather than as a 500 from inside bolt."""
    for extract in _EXTRACTORS:
        extract(body)
