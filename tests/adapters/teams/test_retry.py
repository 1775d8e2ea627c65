"""Teams sends honour `Retry-After` (docs/deploy.md): the connector stub answers 429 and the
same message then goes out once, in a turn and in a notification alike; a wait longer than
the bound is not made, and the outbox retries later instead."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.chat.retries import MAX_WAIT, RETRIES, retry_after
from adapters.teams.platform import TeamsPlatform
from bot.app import App
from bot.notifier import Notifier
from storage.repository import DELIVERED, PENDING
from tests.adapters.teams.client import AGENT, REVIEWER, TeamsClient, submit_data, texts
from tests.adapters.teams.test_proactive import _flagged_triage, _teams_outbox


def _notifier(app: App, platform: TeamsPlatform) -> Notifier:
    assert platform.runtime is not None
    return Notifier(app.store, {"teams": platform.runtime.sender})


@pytest.mark.asyncio
async def test_a_reply_in_a_turn_waits_as_asked_and_arrives_once(
    teams: TeamsClient, waits: list[float]
) -> None:
    teams.connector.throttled[teams.conversation(AGENT)] = ["2"]
    reply = await teams.say("aide", locale="en-GB")
    assert reply.status < 300
    refused, sent = reply.calls
    assert refused.body == sent.body
    assert [c.returned_id for c in reply.calls] == [None, sent.returned_id]
    assert waits == [2.0]
    assert sent.card is not None and "What I understand" in texts(sent.card)


@pytest.mark.asyncio
async def test_an_answered_card_is_replaced_once_the_throttling_ends(
    teams: TeamsClient, waits: list[float]
) -> None:
    await teams.say("boussole")
    call, card = teams.connector.last_card()
    teams.connector.throttled[teams.conversation(AGENT)] = ["1", "2", "1"]
    reply = await teams.click(call, submit_data(card), "Projet en cours")
    # The reply and the replacement go out together: which one meets which 429 may vary.
    assert reply.status < 300 and sorted(waits) == [1.0, 1.0, 2.0]
    done = [c for c in reply.calls if c.returned_id is not None]
    refused = [c for c in reply.calls if c.returned_id is None]
    assert len(refused) == 3 and {c.method for c in refused} <= {c.method for c in done}
    (update,) = [c for c in done if c.method == "PUT"]
    assert update.activity_id == call.returned_id  # the answered card, replaced in place,
    # by this module alone: msrest's own retries of a PUT would sleep unseen and unbounded
    assert [c.method for c in done].count("POST") == 1  # the next question, sent once


@pytest.mark.asyncio
async def test_a_notification_waits_as_asked_and_is_delivered_once(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, waits: list[float]
) -> None:
    triage_id, before = await _throttled(teams, teams_app, ["3", "1"])

    assert await _notifier(teams_app, platform).drain_once() == 1
    calls = teams.connector.since(before)
    assert len(calls) == 3 and [c.returned_id is not None for c in calls] == [False, False, True]
    assert waits == [3.0, 1.0]
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == DELIVERED and message.attempts == 1


@pytest.mark.asyncio
async def test_a_wait_beyond_the_bound_is_left_to_the_outbox(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, waits: list[float]
) -> None:
    triage_id, before = await _throttled(teams, teams_app, [str(int(MAX_WAIT) + 50)])

    assert await _notifier(teams_app, platform).drain_once() == 0
    assert len(teams.connector.since(before)) == 1 and waits == []
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PENDING and "TooManyRequests" in message.last_error

    assert await _notifier(teams_app, platform).drain_once() == 0  # not due yet: backoff
    with teams_app.store.transaction() as tx:
        tx.retry_outbox(message.id)
    assert await _notifier(teams_app, platform).drain_once() == 1


@pytest.mark.asyncio
async def test_retries_are_bounded(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, waits: list[float]
) -> None:
    triage_id, before = await _throttled(teams, teams_app, ["1"] * (RETRIES + 5))

    assert await _notifier(teams_app, platform).drain_once() == 0
    assert len(teams.connector.since(before)) == RETRIES + 1 and waits == [1.0] * RETRIES
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PENDING


@pytest.mark.asyncio
async def test_a_call_waits_no_more_than_the_bound_in_all(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, waits: list[float]
) -> None:
    await _throttled(teams, teams_app, ["4", "4", "4"])
    assert await _notifier(teams_app, platform).drain_once() == 0
    assert waits == [4.0, 4.0] and sum(waits) <= MAX_WAIT


async def _throttled(teams: TeamsClient, app: App, answers: list[str]) -> tuple[str, int]:
    """A flagged triage whose review notice will meet `answers` (Retry-After values, one
    429 each) in the reviewer's conversation; its id and the connector's calls so far."""
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(app)
    teams.connector.throttled[teams.conversation(REVIEWER)] = answers
    return triage_id, len(teams.connector.calls)


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    now = datetime(2026, 1, 5, 9, 30, 0, tzinfo=UTC)
    assert retry_after("7") == 7.0
    assert retry_after("Mon, 05 Jan 2026 09:30:12 GMT", now) == 12.0
    assert retry_after("Mon, 05 Jan 2026 09:29:00 GMT", now) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None
