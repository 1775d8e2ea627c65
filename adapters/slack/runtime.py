"""The Slack side of a running server: the bolt app, its transport, and what they share.

Built in `mount` (routes must exist before the server starts) and opened in `start` (the
HTTP session and the Socket Mode connection need the running event loop).

slack-bolt's `AsyncApp` runs here with `process_before_response=True`: in its default mode
it starts each listener as a task and then polls for the ack every 10 ms, which costs ~10 ms
per click (measured: 10.9 ms against 0.17 ms). Our listeners ack first and hand the rest to
background tasks themselves, so the ack goes back as soon as the listener returns.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
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
from slack_bolt.response import BoltResponse

from adapters.slack import refs
from adapters.slack.client import SlackOut, web_client
from adapters.slack.form import interaction_json
from adapters.slack.gate import FORM, Gate, Verdict
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
        self.gate = Gate(settings.signing_secret)
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
        """POST /slack/events: the gate first (401 for anything unsigned, forged or too old,
        before the body is read as anything; Slack's bare certificate check gets its empty
        200 here and goes no further), then bolt dispatches (a click or a text answer goes
        straight to its listener, see `_direct`); the listener acks, and the work it spawned
        starts once the ack has been sent.

        The signature check is slack_sdk's `SignatureVerifier`, the very one bolt's own
        middleware calls (turned off in `__init__`): done here, it lets an interaction reach
        bolt as the JSON inside its form (see `form.py`). A signed body that cannot be read
        (not UTF-8, JSON too deep for the parser, a payload bolt's extractors reject) is
        Slack's mistake or a secret holder's, never an internal error: 400."""
        raw = await request.read()
        verdict = self.gate.verdict(raw, request.content_type, request.headers)
        if verdict is Verdict.SSL_CHECK:
            return web.Response(status=200)
        if verdict is Verdict.REFUSED:
            log.info("Slack: request refused, its signature is missing, wrong or too old")
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            body = raw.decode()
            if request.content_type == FORM:
                body = interaction_json(body)
            direct = _direct_of(body)
            with self.tasks.hold() as held:
                if direct is not None:
                    answer = await self._direct(*direct)
                else:
                    bolt_request = AsyncBoltRequest(
                        body=body, query=request.query_string, headers=dict(request.headers)
                    )
                    _readable(bolt_request.body)
                    _slack_shaped_for_bolt(bolt_request.body)
                    answer = await self.bolt.async_dispatch(bolt_request)
        except MALFORMED as error:
            return _unreadable(error)
        if answer.status >= 500:
            # bolt caught an error of its own (its logger fails on some payload shapes): the
            # request could not be read; bolt has logged why.
            return _unreadable(None)
        response = await to_aiohttp_response(answer)
        if not held:
            return response
        try:
            await response.prepare(request)
            await response.write_eof()
        finally:
            self.tasks.release(held)
        return response

    async def _direct(self, payload: dict[str, Any], item: dict[str, Any]) -> BoltResponse:
        """A click or a text answer's modal, most of the traffic, straight to its one listener
        with bolt's own ack: bolt's dispatch (its middleware chain, matchers, argument
        injection and a Web API client built per request) cost more CPU than the listener.
        What bolt answers to an error in a listener, so do we."""
        ack = AsyncAck()
        click = payload["type"] == BLOCK_ACTIONS
        listener = self.listeners.on_action if click else self.listeners.on_text_submission
        try:
            await listener(ack, payload, item)
        except Exception:
            log.exception("Slack: a %s could not be handled", "click" if click else "text answer")
            return BoltResponse(status=500, body="")
        return ack.response or BoltResponse(status=200, body="")

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


MALFORMED = (
    IndexError,
    KeyError,
    TypeError,
    AttributeError,
    ValueError,  # UnicodeDecodeError and json's JSONDecodeError among them
    RecursionError,  # JSON nested deeper than the parser goes
)
BLOCK_ACTIONS = "block_actions"
VIEW_SUBMISSION = "view_submission"
_EXTRACTORS = (to_action, to_command, to_event, to_message, to_options, to_shortcut, to_view)


def _unreadable(error: BaseException | None) -> web.Response:
    log.warning(
        "Slack: a signed request could not be read (%s); refused with 400",
        type(error).__name__ if error else "bolt could not dispatch it",
    )
    return web.json_response({"error": "Slack request could not be read"}, status=400)


def _direct_of(body: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The payload of a `block_actions` interaction and its first action (the one bolt
    hands its listener), or of a text answer's modal submission and its view, when the body
    is one that bolt's extractors read; else None (bolt dispatches it)."""
    if not body.startswith("{"):
        return None
    payload = json.loads(body)
    if not isinstance(payload, dict):
        return None
    if payload.get("type") == VIEW_SUBMISSION:
        view = payload.get("view")
        if not isinstance(view, dict) or view.get("callback_id") != refs.TEXT_VIEW:
            return None
        _readable(payload)
        _slack_shaped_view(payload, view)
        return payload, view
    if payload.get("type") != BLOCK_ACTIONS:
        return None
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return None
    _readable(payload)
    _slack_shaped(payload, actions)
    return payload, actions[0]


def _slack_shaped_view(payload: dict[str, Any], view: dict[str, Any]) -> None:
    """TypeError unless the text answer's submission has the shape Slack gives it, where
    its listener reads (the person, the modal's metadata and state)."""
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise TypeError("a submission names no user")
    if not isinstance(view.get("private_metadata"), str | None):
        raise TypeError("the modal's metadata is not a string")
    if not isinstance(view.get("state"), dict | None):
        raise TypeError("the modal's state is not an object")


def _slack_shaped(payload: dict[str, Any], actions: list[Any]) -> None:
    """TypeError unless the click has the shape Slack gives it, where our listeners read:
    a signed payload of another shape is refused (400) here, not a 500 inside them."""
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise TypeError("a click names no user")
    for key in ("container", "state", "view", "message", "channel", "team"):
        if not isinstance(payload.get(key), dict | None):
            raise TypeError(f"{key} is not an object")
    for key in ("trigger_id", "response_url"):
        if not isinstance(payload.get(key), str | None):
            raise TypeError(f"{key} is not a string")
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            raise TypeError("an action names no action_id")
        if not isinstance(action.get("value", ""), str) or not isinstance(
            action.get("selected_option", {}), dict
        ):
            raise TypeError("an action's value has another shape")
        chosen = action.get("selected_options", [])
        if not isinstance(chosen, list) or not all(isinstance(o, dict) for o in chosen):
            raise TypeError("an action's options have another shape")


def _slack_shaped_for_bolt(body: dict[str, Any]) -> None:
    """TypeError unless a request bolt dispatches has the shape Slack gives it where bolt's
    matchers and our listeners index it without looking (a modal's type and callback, an
    event's type, its person and channel, a command's person): a signed request of another
    shape is a 400 here, not an ERROR and a 500 from inside bolt."""
    kind = body.get("type")
    if kind in (VIEW_SUBMISSION, "view_closed"):
        view, user = body.get("view"), body.get("user")
        if not isinstance(view, dict) or not _strings(view, "type", "callback_id"):
            raise TypeError("a modal's view has no type or callback")
        if not isinstance(user, dict) or not _strings(user, "id"):
            raise TypeError("a modal's submission names no user")
    elif kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not _strings(event, "type"):
            raise TypeError("an event has no type")
        optional = ("user", "channel", "text", "subtype", "channel_type", "tab", "bot_id")
        if not all(isinstance(event.get(key), str | None) for key in optional):
            raise TypeError("an event's field has another shape")
        if event["type"] == "app_home_opened" and not _strings(event, "user"):
            raise TypeError("App Home was opened by no one")
        if event.get("user") and event["type"] == "message" and not _strings(event, "channel"):
            raise TypeError("a message names no channel")
        files = event.get("files", [])
        if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
            raise TypeError("a message's files have another shape")
    elif "command" in body and not _strings(body, "user_id"):
        raise TypeError("a command names no user")


def _strings(fields: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(fields.get(key), str) for key in keys)


def _readable(body: dict[str, Any]) -> None:
    """Run the extractors bolt will run, so that a payload they cannot read is refused here
    rather than as a 500 from inside bolt."""
    for extract in _EXTRACTORS:
        extract(body)
