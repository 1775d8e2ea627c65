"""A click reaches its listener without bolt's dispatch (adapters/slack/runtime.py `_click`),
and is answered exactly as bolt answered it: the empty ack, an unknown action ignored, a
listener's failure refused as unreadable, and any payload that is not a well-formed click
left to bolt."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters.slack.refs import WHY
from tests.adapters.slack.harness import Slack

pytestmark = pytest.mark.asyncio


async def test_a_click_is_acked_empty_and_answered(slack: Slack) -> None:
    await slack.command("")
    await slack.settled()
    reply = await slack.click(slack.questions()[-1], WHY)
    await slack.settled()
    assert (reply.status, reply.body) == (200, "")
    assert slack.stub.to("chat.postEphemeral")


async def test_an_unknown_action_is_acked_and_ignored(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.command("")
    await slack.settled()
    question = slack.questions()[-1]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "UAGENT01"},
        "actions": [{"action_id": "not_ours", "block_id": "b", "action_ts": "1.1"}],
    }
    with caplog.at_level(logging.WARNING, "adapters.slack"):
        reply = await slack.interact(payload)
    await slack.settled()
    assert (reply.status, reply.body) == (200, "")
    assert "unknown action 'not_ours'" in caplog.text
    assert slack.questions()[-1] == question


async def test_a_listener_that_fails_is_answered_as_unreadable(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert slack.platform is not None and slack.platform.runtime is not None

    async def fails(*_: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(slack.platform.runtime.listeners, "on_action", fails)
    payload = {"type": "block_actions", "user": {"id": "UAGENT01"}, "actions": [{}]}
    reply = await slack.interact(payload)
    assert reply.status == 400


@pytest.mark.parametrize("actions", [[], ["x"], None, "x"])
async def test_a_click_without_a_readable_action_goes_to_bolt(slack: Slack, actions: Any) -> None:
    payload = {"type": "block_actions", "user": {"id": "UAGENT01"}, "actions": actions}
    body = urlencode({"payload": json.dumps(payload)})
    reply = await slack.post(body, "application/x-www-form-urlencoded")
    assert (reply.status, reply.json) == (400, {"error": "Slack request could not be read"})
