"""Authentication by the SDK itself, against locally served keys: a valid Bot Framework token
is accepted. Bad tokens, each a 401 that writes and sends nothing, are attacks: they are in
tests/security/test_held_teams_tokens.py."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.adapters.teams.client import TeamsClient


def _nothing_written(app: App) -> bool:
    with app.store.reading() as tx:
        return tx.find_pseudonym("teams", "29:1agent-personal-id") is None


@pytest.mark.asyncio
async def test_a_valid_token_is_accepted(teams: TeamsClient, teams_app: App) -> None:
    reply = await teams.say("boussole")
    assert reply.status == 201
    assert [c.method for c in reply.calls] == ["POST"]
    assert not _nothing_written(teams_app)


@pytest.mark.asyncio
async def test_a_refused_request_does_not_stop_the_next_valid_one(teams: TeamsClient) -> None:
    refused = await teams.post(teams.activity(text="boussole"), token="Bearer x.y.z")
    accepted = await teams.say("aide")
    assert (refused.status, accepted.status) == (401, 201)


@pytest.mark.asyncio
async def test_outbound_calls_carry_the_token_from_the_credentials_factory(
    teams: TeamsClient,
) -> None:
    reply = await teams.say("aide")
    assert reply.calls[0].authorization == "Bearer fixed-outbound-token"


# Local development: authentication off


@pytest.mark.asyncio
async def test_with_authentication_off_unsigned_requests_are_served(
    local_teams: TeamsClient,
) -> None:
    reply = await local_teams.post(local_teams.activity(text="boussole"), token=None)
    assert reply.status == 201
    assert reply.calls and reply.calls[0].authorization is None


@pytest.mark.asyncio
async def test_with_authentication_off_replies_only_go_to_this_machine(
    local_teams: TeamsClient,
) -> None:
    activity = local_teams.activity(text="boussole", serviceUrl="https://example.invalid/")
    reply = await local_teams.post(activity, token=None)
    assert reply.status == 400
    assert "this machine" in reply.body
    assert reply.calls == []
