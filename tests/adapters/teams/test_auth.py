"""Authentication by the SDK itself, against locally served keys: a valid Bot Framework token
is accepted; anything else is a 401 (never a 500) that writes nothing and sends nothing."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.app import App
from tests.adapters.teams.client import APP_ID, TeamsClient
from tests.adapters.teams.openid_stub import KEY_ID


def _nothing_written(app: App) -> bool:
    with app.store.reading() as tx:
        return tx.find_pseudonym("teams", "29:1agent-personal-id") is None


@pytest.mark.asyncio
async def test_a_valid_token_is_accepted(teams: TeamsClient, teams_app: App) -> None:
    reply = await teams.say("boussole")
    assert reply.status == 201
    assert [c.method for c in reply.calls] == ["POST"]
    assert not _nothing_written(teams_app)


def _unsigned(claims: dict[str, object]) -> str:
    return jwt.encode(claims, key=None, algorithm="none", headers={"kid": KEY_ID})


def _claims(teams: TeamsClient, **changes: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": teams.openid.issuer if teams.openid else "",
        "aud": APP_ID,
        "serviceurl": teams.connector.url,
        "nbf": now - 60,
        "exp": now + 3600,
    }
    claims.update(changes)
    return claims


BAD_TOKENS = {
    "no header": lambda teams: None,
    "empty bearer": lambda teams: "Bearer ",
    "not a jwt": lambda teams: "Bearer not-a-token",
    "basic scheme": lambda teams: "Basic dXNlcjpwYXNz",
    "unsigned (alg none)": lambda teams: _unsigned(_claims(teams)),
    "expired": lambda teams: teams.token(exp=int(time.time()) - 3600, nbf=None, iat=None),
    "not yet valid": lambda teams: teams.token(nbf=int(time.time()) + 3600),
    "wrong audience": lambda teams: teams.token(audience="another-bot-app-id"),
    "no audience": lambda teams: teams.token(aud=None),
    "wrong issuer": lambda teams: teams.token(iss="https://attacker.invalid"),
    "other service url": lambda teams: teams.token(service_url="http://127.0.0.1:9/"),
    "signed with another key": lambda teams: jwt.encode(
        _claims(teams),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": KEY_ID},
    ),
    "unknown key id": lambda teams: jwt.encode(
        _claims(teams),
        teams.openid.private_key if teams.openid else "",
        algorithm="RS256",
        headers={"kid": "no-such-key"},
    ),
    "hmac with the public key": lambda teams: jwt.encode(
        _claims(teams),
        "a-shared-secret-of-thirty-two-bytes!",
        algorithm="HS256",
        headers={"kid": KEY_ID},
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("case", list(BAD_TOKENS))
async def test_a_bad_token_is_refused_with_401_and_changes_nothing(
    teams: TeamsClient, teams_app: App, case: str
) -> None:
    token = BAD_TOKENS[case](teams)
    reply = await teams.post(teams.activity(text="boussole"), token=token)
    assert reply.status == 401, reply.body
    assert reply.calls == []
    assert _nothing_written(teams_app)


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
