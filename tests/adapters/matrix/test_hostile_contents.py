"""Anyone on the homeserver (or, federated, on another) can write to the bot, with any
content Synapse lets through: a file without a link or with a link of another type, a
relation of another shape, HTML fields that are not strings. Each is answered or passed
over, never an ERROR record, and the person's next message is still answered."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from mautrix.types import EventType

from tests.adapters.matrix.conftest import Accounts, Running
from tests.adapters.matrix.person import WAIT, Person

pytestmark = pytest.mark.asyncio

HOSTILE: list[dict[str, Any]] = [
    {"msgtype": "m.file", "body": "grille.yaml"},
    {"msgtype": "m.file", "body": "grille.yaml", "url": 5},
    {"msgtype": "m.file", "body": "grille.yaml", "url": "mxc://nowhere/x", "info": {"size": "1"}},
    {"msgtype": "m.file", "body": {"a": 1}, "url": "mxc://nowhere/x"},
    {"msgtype": "m.image", "body": "aide", "url": ["x"]},
    {"msgtype": "m.text", "body": "aide", "m.relates_to": 5},
    {"msgtype": "m.text", "body": "aide", "m.relates_to": {"rel_type": 3, "event_id": []}},
    {"msgtype": "m.text", "body": "aide", "format": 5, "formatted_body": {}},
    {"msgtype": "m.text", "body": "\u0000" * 3},
    {"msgtype": "m.text", "body": "x" * 60_000},
    {"msgtype": "x.unknown", "body": "annuler"},
]
WHOAMI = "identifiant"


async def test_hostile_contents_are_answered_or_passed_over_without_an_error(
    people: dict[str, Person],
    accounts: Accounts,
    matrix: Running,
    caplog: pytest.LogCaptureFixture,
) -> None:
    agent = people["agent"]
    room = await agent.direct_room(accounts.bot.user_id)
    for content in HOSTILE:
        try:
            await agent.client.send_message_event(room, EventType.ROOM_MESSAGE, content)
        except Exception:  # what Synapse refuses never reaches the bot
            continue
        await agent.say(room, WHOAMI)
        async with asyncio.timeout(WAIT):
            while accounts.agent.user_id not in (await agent.heard()).body:
                pass
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == [], content
