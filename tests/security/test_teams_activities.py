"""Authenticated Teams activities of any shape: a sound token proves who sent a request, not
that its activity has the shape Teams gives one. Whatever such an activity holds (its type,
text, card data, attachments, sender, conversation), `/api/messages` answers it, never with
a 500 or an ERROR record: the Slack gate's property, on the Teams side. (An invoke the bot
does not handle is the SDK's 501, as Teams expects.) The conversation's id stays one the
connector knows: a reply the connector refuses is an operator's error, logged as such
(test_proactive.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.chat.clicks import ACTION, ACTIONS
from tests.adapters.teams.client import TeamsClient, submit_data
from tests.security.error_records import Errors

pytestmark = pytest.mark.asyncio

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
actions = st.sampled_from([*ACTIONS, "unknown", ""]) | json_values


def card_data(data: st.DataObject, asked: dict[str, Any]) -> dict[str, Any]:
    """A card's submit data: each field the real one's, absent, or any JSON value."""
    drawn: dict[str, Any] = {ACTION: data.draw(actions)}
    for name in ("triage", "question", "flow_version", "type", "answer", "text", "outcome"):
        choice = data.draw(st.sampled_from(["real", "absent", "hostile"]))
        if choice == "real" and name in asked:
            drawn[name] = asked[name]
        elif choice == "hostile":
            drawn[name] = data.draw(json_values)
    return drawn


def hostile_activity(teams: TeamsClient, data: st.DataObject, asked: dict[str, Any]) -> Any:
    fields: dict[str, Any] = {
        "type": data.draw(st.sampled_from(["message", "invoke", "conversationUpdate", "x"])),
    }
    for name, values in (
        ("text", st.text(max_size=40) | json_values),
        ("value", st.builds(lambda: card_data(data, asked)) | json_values),
        ("attachments", json_values),
        ("entities", json_values),
        ("replyToId", json_values),
        ("locale", json_values),
        ("name", st.just("adaptiveCard/action") | json_values),
        ("membersAdded", json_values),
    ):
        if data.draw(st.booleans()):
            fields[name] = data.draw(values)
    activity = teams.activity(**fields)
    if data.draw(st.booleans()):
        key = data.draw(st.sampled_from(["id", "name", "aadObjectId"]))
        activity["from"][key] = data.draw(json_values)
    if data.draw(st.booleans()):
        activity["conversation"]["conversationType"] = data.draw(json_values)
    return activity


@settings(max_examples=300, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_no_authenticated_activity_of_any_shape_is_a_500_or_an_error_record(
    teams: TeamsClient, data: st.DataObject
) -> None:
    started = await teams.say("boussole")
    card = started.calls[-1].card
    asked = submit_data(card) if card is not None else {}
    handler = Errors()
    logging.getLogger().addHandler(handler)
    try:
        reply = await teams.post(hostile_activity(teams, data, asked))
    finally:
        logging.getLogger().removeHandler(handler)
    assert reply.status in (200, 201, 202, 400, 501), (reply.status, reply.body)
    assert handler.records == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "Missing value property"),
        ([1], "Value property is not properly formed"),
        ({}, "Missing action property"),
        ({"action": {"type": "Action.Submit"}}, "The action 'Action.Submit' is not supported."),
    ],
)
async def test_a_malformed_adaptive_card_action_is_the_sdk_s_400_not_a_500(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture, value: Any, message: str
) -> None:
    """The SDK's refusal carries a Python exception its serializer cannot write: it was a
    500 with an ERROR record."""
    activity = teams.activity(type="invoke", name="adaptiveCard/action", value=value)
    reply = await teams.post(activity)
    assert reply.status == 400
    assert json.loads(reply.body)["value"]["message"] == message
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_null_member_added_is_passed_over(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    reply = await teams.post(teams.activity(type="conversationUpdate", membersAdded=[None]))
    assert reply.status == 201
    assert reply.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
