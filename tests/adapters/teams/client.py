"""Plays Microsoft Teams against the real server: signed activities in, connector calls out.

Activities have the shape Teams sends (personal chat or channel, card submits with
`replyToId` and `value`); every request carries a Bot Framework token signed with the
locally served key unless a test says otherwise.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import aiohttp

from tests.adapters.teams.connector_stub import Call, ConnectorStub
from tests.adapters.teams.openid_stub import OpenIdStub

APP_ID = "5f0e3c9a-0000-4000-8000-00000000b055"
TENANT = "7a1b2c3d-0000-4000-8000-0000000000aa"
AGENT = "29:1agent-personal-id"
REVIEWER = "29:1reviewer-personal-id"
BOT_ID = f"28:{APP_ID}"
DEFAULT = object()


@dataclass
class Reply:
    status: int
    body: str
    calls: list[Call]


class TeamsClient:
    def __init__(
        self,
        base_url: str,
        connector: ConnectorStub,
        openid: OpenIdStub | None,
        session: aiohttp.ClientSession,
    ) -> None:
        self.base_url = base_url
        self.connector = connector
        self.openid = openid
        self.session = session
        self._ids = itertools.count(1)

    def conversation(self, user: str) -> str:
        return f"a:1personal-{user.removeprefix('29:')}"

    def activity(
        self,
        type: str = "message",
        user: str = AGENT,
        conversation: str | None = None,
        conversation_type: str = "personal",
        locale: str | None = "fr-FR",
        **fields: Any,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": type,
            "id": f"1{next(self._ids):012d}",
            "timestamp": "2026-01-05T09:30:00.000Z",
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": user, "name": "Agent Public", "aadObjectId": "aad-" + user[-6:]},
            "conversation": {
                "id": conversation or self.conversation(user),
                "conversationType": conversation_type,
                "tenantId": TENANT,
                **({"isGroup": True} if conversation_type != "personal" else {}),
            },
            "recipient": {"id": BOT_ID, "name": "Boussole"},
            "locale": locale,
            "channelData": {"tenant": {"id": TENANT}},
        }
        body.update(fields)
        return body

    def token(self, **overrides: Any) -> str:
        assert self.openid is not None
        claims = {"audience": APP_ID, "service_url": self.connector.url}
        claims.update(overrides)
        audience = claims.pop("audience")
        service_url = claims.pop("service_url")
        return self.openid.token(audience, service_url, **claims)

    async def post(
        self,
        activity: dict[str, Any] | str | bytes,
        token: Any = DEFAULT,
        content_type: str = "application/json",
    ) -> Reply:
        headers = {"Content-Type": content_type}
        if token is DEFAULT:
            token = self.token() if self.openid is not None else None
        if token is not None:
            headers["Authorization"] = token if token.startswith("Bearer") else f"Bearer {token}"
        data = activity if isinstance(activity, str | bytes) else json.dumps(activity)
        before = len(self.connector.calls)
        async with self.session.post(
            self.base_url + "/api/messages", data=data, headers=headers
        ) as response:
            body = await response.text()
            return Reply(response.status, body, self.connector.since(before))

    async def say(self, text: str, **fields: Any) -> Reply:
        return await self.post(self.activity(text=text, **fields))

    async def click(
        self, card_call: Call, data: dict[str, Any], answer: Any = None, **fields: Any
    ) -> Reply:
        value = dict(data)
        if answer is not None:
            value["answer"] = answer
        activity = self.activity(value=value, replyToId=card_call.returned_id, **fields)
        return await self.post(activity)


def submit_data(card: dict[str, Any], action: str = "answer") -> dict[str, Any]:
    """The data of the card's button for `action` (our cards name it under "boussole")."""
    for button in _actions(card):
        data = button.get("data") or {}
        if data.get("boussole") == action:
            return data
    raise AssertionError(f"no {action!r} button on the card")


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(card.get("actions") or [])
    for element in card.get("body") or []:
        found += _actions_in(element)
    return found


def _actions_in(element: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(element.get("actions") or []) if element.get("type") == "ActionSet" else []
    for child in element.get("items") or []:
        found += _actions_in(child)
    return found


def inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in card.get("body") or [] if str(e.get("type", "")).startswith("Input.")]


def texts(card: dict[str, Any]) -> str:
    """Every text of a card, for "does it say" checks."""
    return json.dumps(card, ensure_ascii=False)


def encode(value: Any) -> str:
    """An answer as Teams sends an input's value: always a string, "a,b" for several."""
    if isinstance(value, list):
        return ",".join(value)
    return str(value)


async def run_triage(
    client: TeamsClient, answers: dict[str, Any], **fields: Any
) -> tuple[str, dict[str, Any], list[Reply]]:
    """Start a triage and answer every card it shows; returns its id, the result card and
    every reply on the way."""
    replies = [await client.say("boussole", **fields)]
    for _turn in range(200):
        call, card = client.connector.last_card()
        if not inputs(card):
            triage_id = submit_data_any(replies)
            return triage_id, card, replies
        data = submit_data(card)
        reply = await client.click(call, data, encode(answers[data["question"]]), **fields)
        assert reply.status == 201, reply.body
        refused = [c.text for c in reply.calls if c.text]
        assert not refused, (data["question"], refused)
        replies.append(reply)
    raise AssertionError("the triage did not end")


def submit_data_any(replies: list[Reply]) -> str:
    for reply in replies:
        for call in reply.calls:
            if call.card is not None and inputs(call.card):
                return str(submit_data(call.card)["triage"])
    raise AssertionError("no question card was sent")
