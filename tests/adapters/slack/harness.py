"""Driving the real server as Slack does: signed requests, realistic payloads, clicks on the
buttons the bot actually posted (read back from the Web API stub)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View
from slack_sdk.signature import SignatureVerifier

from adapters.server import ServeOptions, build_server
from adapters.slack.platform import SlackPlatform
from adapters.slack.refs import OPEN_TEXT, SUBMIT_MULTI, TEXT_ACTION, TEXT_BLOCK
from bot.app import App
from tests.adapters.slack.stub import TEAM, Call, SlackStub

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-1111-2222-boussoletest"
APP_ID = "A0BOUSSOLE"
AGENT = "UAGENT01"
_sequence = itertools.count(1)


def signed_headers(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature or ""}


def action_ts() -> str:
    return f"{time.time():.6f}{next(_sequence):04d}"


@dataclass(frozen=True)
class Reply:
    """Our server's HTTP answer: the ack."""

    status: int
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Slack:
    """What Slack does to our server in a test, and what the stub saw of our replies."""

    stub: SlackStub
    base_url: str
    session: aiohttp.ClientSession
    platform: SlackPlatform | None = None
    """The in-process platform, when there is one: `settled` waits for its turns."""
    users: dict[str, str] = field(default_factory=dict)

    # Sending

    async def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        sign: bool = True,
    ) -> Reply:
        sent = {
            "Content-Type": content_type,
            **(signed_headers(body) if sign else {}),
            **(headers or {}),
        }
        async with self.session.post(
            f"{self.base_url}/slack/events", data=body, headers=sent
        ) as response:
            return Reply(response.status, await response.text())

    async def command(self, text: str = "", user: str = AGENT, channel: str | None = None) -> Reply:
        trigger = f"trigger.{next(_sequence)}"
        form = {
            "token": "verification-token",
            "team_id": TEAM,
            "team_domain": "nantes-metropole",
            "channel_id": channel or f"D{user}",
            "channel_name": "directmessage" if channel is None else "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/boussole",
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.stub.response_url(trigger),
            "trigger_id": trigger,
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any], **headers: str) -> Reply:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", headers)

    async def event(
        self, event: dict[str, Any], event_id: str | None = None, **headers: str
    ) -> Reply:
        body = json.dumps(
            {
                "token": "verification-token",
                "team_id": TEAM,
                "api_app_id": APP_ID,
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(_sequence):08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": "UBOUSSOLE", "is_bot": True}],
            }
        )
        return await self.post(body, "application/json", headers)

    async def direct_message(
        self, text: str, user: str = AGENT, event_id: str | None = None, **headers: str
    ) -> Reply:
        event = {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": action_ts(),
            "event_ts": action_ts(),
        }
        return await self.event(event, event_id, **headers)

    async def click(
        self,
        message: Call,
        action_id: str,
        user: str = AGENT,
        selected: list[str] | str | None = None,
        ts: str | None = None,
        ephemeral: bool = False,
        **headers: str,
    ) -> Reply:
        """Click `action_id` in a message the bot posted (or picked `selected` in it)."""
        block, element = find_element(message.blocks, action_id)
        channel = str(message.params.get("channel") or f"D{user}")
        message_ts = self.message_ts(message)
        action: dict[str, Any] = {
            "action_id": element["action_id"],
            "block_id": block.get("block_id", ""),
            "type": element["type"],
            "action_ts": ts or action_ts(),
        }
        if "value" in element:
            action["value"] = element["value"]
        if element["type"] == "static_select":
            action["selected_option"] = next(
                o for o in element["options"] if o["value"] == selected
            )
        state: dict[str, Any] = {}
        if selected is not None and element["type"] == "button":
            state = tick(message.blocks, selected if isinstance(selected, list) else [selected])
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": APP_ID,
            "token": "verification-token",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": f"trigger.{next(_sequence)}",
            "team": {"id": TEAM, "domain": "nantes-metropole"},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "directmessage"},
            "message": {
                "type": "message",
                "ts": message_ts,
                "text": message.params.get("text"),
                "blocks": message.blocks,
            },
            "state": {"values": state},
            "response_url": self.stub.response_url(f"action.{next(_sequence)}"),
            "actions": [action],
        }
        return await self.interact(payload, **headers)

    async def click_home(
        self, view: dict[str, Any], action_id: str, value: str, user: str = AGENT
    ) -> Reply:
        block, _element = find_element(view["blocks"], action_id, value)
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": APP_ID,
            "container": {"type": "view", "view_id": view.get("id", "V1")},
            "trigger_id": f"trigger.{next(_sequence)}",
            "team": {"id": TEAM, "domain": "nantes-metropole"},
            "view": view,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": block.get("block_id", ""),
                    "type": "button",
                    "value": value,
                    "action_ts": action_ts(),
                }
            ],
        }
        return await self.interact(payload)

    async def submit_view(
        self, view: dict[str, Any], text: str, user: str = AGENT, view_id: str | None = None
    ) -> Reply:
        submitted = {
            **view,
            "id": view_id or view.get("id") or f"V{next(_sequence):08d}",
            "team_id": TEAM,
            "state": {
                "values": {TEXT_BLOCK: {TEXT_ACTION: {"type": "plain_text_input", "value": text}}}
            },
            "hash": "1700000000.abcdef",
        }
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM, "domain": "nantes-metropole"},
            "user": {"id": user, "username": user.lower(), "team_id": TEAM},
            "api_app_id": APP_ID,
            "token": "verification-token",
            "trigger_id": f"trigger.{next(_sequence)}",
            "view": submitted,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return await self.interact(payload)

    # Waiting and reading

    async def settled(self) -> None:
        """Until every turn the server acked has finished its replies."""
        assert self.platform is not None, "the server runs in another process"
        runtime = self.platform.runtime
        assert runtime is not None
        await asyncio.wait_for(runtime.tasks.wait_idle(), 30)  # a safety net, not a timing

    def message_ts(self, message: Call) -> str:
        """The ts Slack gave a posted message (recorded in the stub's answer order)."""
        if message.method == "chat.update":
            return str(message.params["ts"])
        return str(message.response.get("ts") or "")

    def posted(self, user: str = AGENT) -> list[Call]:
        return [
            c
            for c in self.stub.to("chat.postMessage")
            if c.params.get("channel") == f"D{user}" and c.response.get("ok")
        ]

    def questions(self, user: str = AGENT) -> list[Call]:
        return [c for c in self.posted(user) if block_by_id(c.blocks, "navigation")]

    def ephemerals(self, user: str = AGENT) -> list[Call]:
        return [c for c in self.stub.to("chat.postEphemeral") if c.params.get("user") == user]


def find_element(
    blocks: list[dict[str, Any]], action_id: str, value: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if element.get("action_id") == action_id and (
                value is None or element.get("value") == value
            ):
                return block, element
    raise AssertionError(f"no {action_id} in {json.dumps(blocks)[:2000]}")


def block_by_id(blocks: list[dict[str, Any]], block_id: str) -> dict[str, Any] | None:
    return next((b for b in blocks if b.get("block_id") == block_id), None)


def tick(blocks: list[dict[str, Any]], values: list[str]) -> dict[str, Any]:
    """The input state Slack sends with a click: the boxes ticked in the message."""
    for block in blocks:
        for element in block.get("elements") or []:
            if element["type"] in ("checkboxes", "multi_static_select"):
                chosen = [o for o in element["options"] if o["value"] in values]
                return {
                    block["block_id"]: {
                        element["action_id"]: {"type": element["type"], "selected_options": chosen}
                    }
                }
    raise AssertionError("no checkboxes")


def question_of(message: Call) -> str:
    """The question id a question message was drawn for (from its "Pourquoi ?" button)."""
    _block, why = find_element(message.blocks, "why")
    return json.loads(why["value"])["q"]


def kind_of(message: Call) -> str:
    for block in message.blocks:
        for element in block.get("elements") or []:
            action = element.get("action_id", "")
            if element["type"] in ("checkboxes", "multi_static_select"):
                return "multi"
            if element["type"] == "static_select":
                return "select"
            if action == OPEN_TEXT:
                return "text"
            if action.startswith("answer:"):
                return "buttons"
    raise AssertionError("not a question")


def assert_valid_message(params: dict[str, Any]) -> None:
    """Every message and view we send parses back into slack_sdk's models, passes their
    checks and serialises back to exactly what we drew (the adapter draws plain dicts, for
    speed: this is where they are held to the models), with its top-level text and within
    Slack's block counts."""
    if "view" in params:
        view = View(**params["view"])
        assert view.to_dict() == params["view"]
        assert 0 < len(view.blocks) <= 100
        return
    assert params.get("text"), params
    blocks = params.get("blocks") or []
    assert len(blocks) <= 50
    ids = [b.get("block_id") for b in blocks if b.get("block_id")]
    assert len(ids) == len(set(ids)), ids
    for drawn, block in zip(blocks, Block.parse_all(blocks), strict=True):
        assert block is not None
        assert block.to_dict() == drawn


async def answer(slack: Slack, message: Call, value: Any, user: str = AGENT) -> None:
    """Answer a question message as a person would, with the input it offers."""
    kind = kind_of(message)
    if kind == "buttons":
        await slack.click(message, f"answer:{value}", user)
    elif kind == "select":
        await slack.click(message, "answer_select", user, selected=value)
    elif kind == "multi":
        await slack.click(message, SUBMIT_MULTI, user, selected=list(value))
    else:
        opened = len(slack.stub.to("views.open"))
        await slack.click(message, OPEN_TEXT, user)
        await slack.settled()
        views = slack.stub.to("views.open")
        assert len(views) == opened + 1
        await slack.submit_view(views[-1].params["view"], value, user)
    await slack.settled()


async def serve(app: App, options: ServeOptions) -> tuple[web.AppRunner, str, SlackPlatform]:
    """The real server of `boussole serve`, with a Slack platform of its own, on a port the
    system picks; several may run at once, like instances behind a load balancer."""
    platform = SlackPlatform()
    runner = web.AppRunner(build_server(app, [platform], options), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}", platform
