"""Attacks on the Bot Framework token that held (issue #12): every kind of bad token posted to
`/api/messages` is a 401 before any handler runs: nothing is written and the connector is
never called. The real CloudAdapter validates against the locally served signing key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from botframework.connector.auth import JwtTokenExtractor
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.teams.settings import load_teams_settings
from bot.app import App
from tests.adapters.teams.client import APP_ID, TeamsClient
from tests.adapters.teams.openid_stub import ISSUER, KEY_ID, OpenIdStub, serve_openid

pytestmark = pytest.mark.asyncio

ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
"""An issuer the SDK reads as the Bot Framework Emulator's: its keys are Microsoft's."""


@pytest.fixture(scope="module")
def microsoft_keys() -> Iterator[OpenIdStub]:
    """Microsoft's signing keys, as far as the attacker is concerned: a key they do not hold."""
    with serve_openid() as stand_in:
        yield stand_in


@pytest.fixture
def microsoft_login(
    teams_env: None, microsoft_keys: OpenIdStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emulator and skill tokens send the SDK to login.microsoftonline.com for keys: the
    stand-in answers instead, so that nothing leaves this machine."""
    url = load_teams_settings().sdk_configuration().TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
    metadata = JwtTokenExtractor.get_open_id_metadata(microsoft_keys.metadata_url)
    monkeypatch.setitem(JwtTokenExtractor.metadataCache, url, metadata)


def nothing_happened(teams: TeamsClient, app: App, status: int) -> None:
    assert status == 401
    assert teams.connector.calls == []
    with app.store.reading() as tx:
        assert tx.find_pseudonym("teams", "29:1agent-personal-id") is None


def claims(teams: TeamsClient, **changes: Any) -> dict[str, Any]:
    """A channel token's claims, valid unless changed; a None value drops the claim."""
    now = int(time.time())
    made: dict[str, Any] = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": teams.connector.url,
        "nbf": now - 60,
        "iat": now - 60,
        "exp": now + 3600,
    }
    made.update(changes)
    return {k: v for k, v in made.items() if v is not None}


def signed(
    teams: TeamsClient,
    key: Any = None,
    algorithm: str = "RS256",
    headers: dict[str, Any] | None = None,
    **changes: Any,
) -> str:
    """Signed with the served key (or `key`), its kid in the header unless `headers` says."""
    assert teams.openid is not None
    return jwt.encode(
        claims(teams, **changes),
        key if key is not None else teams.openid.private_key,
        algorithm=algorithm,
        headers={"kid": KEY_ID} if headers is None else headers,
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hmac_with_the_public_key(teams: TeamsClient) -> str:
    """The algorithm-confusion attack: HS256 "signed" with the published RSA key as the
    shared secret, which a verifier trusting the header's `alg` would accept."""
    assert teams.openid is not None
    public = teams.openid.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KEY_ID}).encode())
    body = b64(json.dumps(claims(teams)).encode())
    signature = hmac.new(public, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(signature)}"


def truncated(token: str) -> str:
    return token[:-10]


def with_claims_swapped(teams: TeamsClient) -> str:
    """A valid token whose payload was replaced after signing (another audience)."""
    header, _body, signature = signed(teams).split(".")
    forged = b64(json.dumps(claims(teams, aud="another-bot-app-id")).encode())
    return f"{header}.{forged}.{signature}"


HOUR = 3600
BEYOND_LEEWAY = 5 * 60 + 60
"""The SDK allows five minutes of clock skew; these are well past it."""

BAD_TOKENS: dict[str, Callable[[TeamsClient], str | None]] = {
    "none at all": lambda teams: None,
    "empty bearer": lambda teams: "Bearer ",
    "garbage": lambda teams: "Bearer not-a-token",
    "three dots of garbage": lambda teams: "Bearer x.y.z",
    "basic scheme": lambda teams: "Basic dXNlcjpwYXNz",
    "a valid token under another scheme": lambda teams: f"Token {signed(teams)}",
    "two tokens": lambda teams: f"Bearer {signed(teams)} {signed(teams)}",
    "alg none": lambda teams: jwt.encode(
        claims(teams), key=None, algorithm="none", headers={"kid": KEY_ID}
    ),
    "HS256 signed with the public key": hmac_with_the_public_key,
    "signed with another key under our kid": lambda teams: signed(teams, key=ATTACKER_KEY),
    "unknown kid": lambda teams: signed(teams, key=ATTACKER_KEY, headers={"kid": "attacker"}),
    "missing kid": lambda teams: signed(teams, headers={}),
    "jku pointing at the attacker's keys": lambda teams: signed(
        teams, key=ATTACKER_KEY, headers={"kid": KEY_ID, "jku": "http://127.0.0.1:9/keys"}
    ),
    "truncated signature": lambda teams: truncated(signed(teams)),
    "payload changed after signing": with_claims_swapped,
    "wrong audience (the Bot Framework's)": lambda teams: signed(
        teams, aud="https://api.botframework.com"
    ),
    "a token for another app id": lambda teams: signed(
        teams, aud="0b1e7c9a-0000-4000-8000-0000000a77ac"
    ),
    "no audience": lambda teams: signed(teams, aud=None),
    "wrong issuer": lambda teams: signed(teams, iss="https://attacker.invalid"),
    "no issuer": lambda teams: signed(teams, iss=None),
    "expired": lambda teams: signed(teams, exp=int(time.time()) - HOUR, nbf=None, iat=None),
    "expired beyond the clock leeway": lambda teams: signed(
        teams, exp=int(time.time()) - BEYOND_LEEWAY, nbf=None, iat=None
    ),
    "not yet valid": lambda teams: signed(teams, nbf=int(time.time()) + HOUR),
    "other serviceUrl": lambda teams: signed(teams, serviceurl="http://127.0.0.1:9/"),
    "no serviceUrl claim": lambda teams: signed(teams, serviceurl=None),
    "no exp": lambda teams: signed(teams, exp=None),
    "emulator issuer, signed by the attacker": lambda teams: signed(
        teams, key=ATTACKER_KEY, iss=EMULATOR_ISSUER, ver="1.0", appid=APP_ID
    ),
    "skill token, signed by the attacker": lambda teams: signed(
        teams, key=ATTACKER_KEY, iss=EMULATOR_ISSUER, ver="2.0", appid="another-bot"
    ),
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
async def test_a_bad_teams_token_is_refused_with_401_and_runs_nothing(
    teams: TeamsClient,
    teams_app: App,
    microsoft_login: None,
    case: str,
) -> None:
    reply = await teams.post(teams.activity(text="boussole"), token=BAD_TOKENS[case](teams))
    nothing_happened(teams, teams_app, reply.status)


@pytest.mark.parametrize("channel", ["webchat", "directline", "slack"])
async def test_a_teams_token_presented_for_a_channel_its_key_does_not_endorse_is_refused(
    teams: TeamsClient,
    teams_app: App,
    channel: str,
) -> None:
    """The served key endorses `msteams` only, as the Bot Framework's keys name their
    channels: a valid token on an activity claiming another channel is refused."""
    reply = await teams.post(teams.activity(text="boussole", channelId=channel))
    nothing_happened(teams, teams_app, reply.status)


async def test_a_valid_token_for_an_activity_pointing_elsewhere_is_refused(
    teams: TeamsClient,
    teams_app: App,
) -> None:
    """The token names the connector it was issued for; an activity redirecting replies to
    another serviceUrl (where the bot's own token would go) is refused."""
    activity = teams.activity(text="boussole", serviceUrl="http://127.0.0.1:9/")
    reply = await teams.post(activity, token=signed(teams))
    nothing_happened(teams, teams_app, reply.status)


# Property: whatever else a token holds, one defect is enough for a 401.

NOT_OURS = st.text(min_size=0, max_size=40).filter(
    lambda text: text not in (APP_ID, ISSUER, EMULATOR_ISSUER)
)
DEFECTS: dict[str, Callable[[st.DataObject], dict[str, Any]]] = {
    "audience": lambda data: {"aud": data.draw(NOT_OURS | st.none() | st.integers())},
    "issuer": lambda data: {"iss": data.draw(NOT_OURS | st.none())},
    "service url": lambda data: {"serviceurl": data.draw(NOT_OURS | st.none())},
    "expired": lambda data: {
        "exp": int(time.time()) - data.draw(st.integers(BEYOND_LEEWAY, 10 * 365 * 86400))
    },
    "not yet valid": lambda data: {
        "nbf": int(time.time()) + data.draw(st.integers(BEYOND_LEEWAY, 10 * 365 * 86400))
    },
    "no expiry": lambda data: {"exp": None},
    "key": lambda data: {"key": ATTACKER_KEY},
    "kid": lambda data: {"headers": {"kid": data.draw(st.text(max_size=20))}},
    "signature": lambda data: {"flip": data.draw(st.integers(0, 255))},
}
noise_values = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
noise_claims = st.dictionaries(
    st.text(min_size=1, max_size=12).filter(
        lambda name: name not in ("iss", "aud", "serviceurl", "exp", "nbf", "iat", "ver", "appid")
    ),
    noise_values,
    max_size=4,
)


def built(teams: TeamsClient, data: st.DataObject, defects: list[str]) -> str:
    changes: dict[str, Any] = dict(data.draw(noise_claims, label="noise"))
    for defect in defects:
        changes.update(DEFECTS[defect](data))
    key = changes.pop("key", None)
    headers = changes.pop("headers", None)
    flip = changes.pop("flip", None)
    token = signed(teams, key=key, headers=headers, **changes)
    if flip is not None:
        header, body, signature = token.split(".")
        raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
        raw[flip % len(raw)] ^= 0x01 << (flip % 8)
        token = f"{header}.{body}.{b64(bytes(raw))}"
    return token


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data(), defects=st.lists(st.sampled_from(list(DEFECTS)), min_size=1, unique=True))
async def test_any_token_with_a_defect_among_random_claims_is_refused(
    teams: TeamsClient,
    teams_app: App,
    data: st.DataObject,
    defects: list[str],
) -> None:
    token = built(teams, data, defects)
    reply = await teams.post(teams.activity(text="boussole"), token=token)
    nothing_happened(teams, teams_app, reply.status)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_the_same_random_claims_on_a_sound_token_are_accepted(
    teams: TeamsClient,
    data: st.DataObject,
) -> None:
    """The control for the property above: the noise alone refuses nothing, so each 401
    there comes from the defect."""
    reply = await teams.post(teams.activity(text="aide"), token=built(teams, data, []))
    assert reply.status == 201, reply.body
