"""Teams conversation references changed by someone who can write to the database.

A notice the bot sends first goes to the `serviceUrl` of the reviewer's stored reference,
with a Bot Framework token in its Authorization header. Before, a reference pointed at a
server of the attacker's received that token (valid for every Teams user of the tenant),
and a reference that was not one made each drain fail and try again forever. Now a stored
reference is used only towards Teams' own service URLs or an origin the deployer added
(`adapters.teams.service_urls`); anything else parks the notice with the reason, and no
request leaves. "Elsewhere" below is a second connector on this machine, not listed.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import yarl
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, text, update

from adapters.teams.platform import TeamsPlatform
from adapters.teams.proactive import usable
from adapters.teams.service_urls import TEAMS_HOSTS, origin, untrusted
from adapters.teams.settings import SERVICE_URLS, load_teams_settings
from bot.app import App
from bot.notifier import Notifier, PermanentFailure
from bot.settings import SettingsError
from storage.models import OutboxMessage
from storage.repository import DELIVERED, PARKED
from tests.adapters.teams.client import REVIEWER, TeamsClient
from tests.adapters.teams.connector_stub import ConnectorStub
from tests.adapters.teams.test_proactive import _flagged_triage, _teams_outbox
from tests.adapters.teams.test_review_copies import confirm

AUTH_ON = {"MicrosoftAppId": "app", "MicrosoftAppPassword": "secret", "MicrosoftAppTenantId": "t"}


@pytest_asyncio.fixture
async def elsewhere() -> AsyncIterator[ConnectorStub]:
    stub = ConnectorStub()
    await stub.start()
    yield stub
    await stub.close()


def _notifier(app: App, platform: TeamsPlatform) -> Notifier:
    assert platform.runtime is not None
    return Notifier(app.store, {"teams": platform.runtime.sender})


def _write(app: App, statement: str, **values: Any) -> None:
    database = create_engine(app.settings.database_url)
    try:
        with database.begin() as connection:
            connection.execute(text(statement), values)
    finally:
        database.dispose()


def _stored_reference(app: App) -> dict[str, Any]:
    with app.store.reading() as tx:
        found = tx.conversation("teams", REVIEWER)
    assert found is not None
    return found


def _point(app: App, reference: object) -> None:
    _write(
        app,
        "UPDATE conversation_refs SET reference = :v WHERE platform = 'teams' AND user_id = :u",
        v=json.dumps(reference),
        u=REVIEWER,
    )


@pytest.mark.asyncio
async def test_a_reference_pointed_elsewhere_gets_no_token_and_parks_the_notice(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, elsewhere: ConnectorStub
) -> None:
    await teams.say("aide", user=REVIEWER)
    _point(teams_app, {**_stored_reference(teams_app), "serviceUrl": elsewhere.url})
    triage_id = _flagged_triage(teams_app)

    assert await _notifier(teams_app, platform).drain_once() == 0
    assert elsewhere.calls == []
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PARKED
    assert "no token was sent" in message.last_error
    assert origin(elsewhere.url) in message.last_error and SERVICE_URLS in message.last_error


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "reference",
    [["a", "list"], "text", 42, {}, {"serviceUrl": "https://smba.trafficmanager.net/emea/"}],
    ids=["list", "string", "number", "empty", "no-conversation"],
)
async def test_a_reference_that_is_not_one_parks_the_notice_instead_of_retrying_forever(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, reference: object
) -> None:
    await teams.say("aide", user=REVIEWER)
    _point(teams_app, reference)
    triage_id = _flagged_triage(teams_app)
    calls = len(teams.connector.calls)

    assert await _notifier(teams_app, platform).drain_once() == 0
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PARKED and "must open Boussole in Teams" in message.last_error
    assert len(teams.connector.calls) == calls


@pytest.mark.asyncio
async def test_a_review_card_moved_elsewhere_is_not_updated_there(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, elsewhere: ConnectorStub
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    assert await _notifier(teams_app, platform).drain_once() == 1
    (request,) = _teams_outbox(teams_app, triage_id)
    assert request.status == DELIVERED and request.posted is not None
    moved = {**request.posted["reference"], "serviceUrl": elsewhere.url}
    outbox = OutboxMessage.__table__
    database = create_engine(teams_app.settings.database_url)
    with database.begin() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.id == request.id)
            .values(posted={**request.posted, "reference": moved})
        )
    database.dispose()

    confirm(teams_app, triage_id)
    await _notifier(teams_app, platform).drain_once()
    assert elsewhere.calls == []
    closing = [m for m in _teams_outbox(teams_app, triage_id) if m.id != request.id]
    assert closing and all(m.status == PARKED for m in closing)
    assert any("no token was sent" in m.last_error for m in closing)


HOSTILE_URLS = st.one_of(
    st.text(max_size=80),
    st.builds(
        "{}://{}{}{}".format,
        st.sampled_from(["https", "http", "HTTPS", "ftp", "javascript", ""]),
        st.one_of(
            st.sampled_from(sorted(TEAMS_HOSTS)),
            st.sampled_from(["relay.example", "127.0.0.1", "smba.trafficmanager.net.evil"]),
            st.text(alphabet="abc.@:\\/%\t\n #?[]", max_size=30),
        ),
        st.sampled_from(["", ":443", ":8443", ":x", "@evil.example", "\\@evil.example", "."]),
        st.sampled_from(["", "/", "/emea/", "?q=1", "#f", " "]),
    ),
)


@given(url=HOSTILE_URLS, added=st.sets(st.sampled_from(["https://relay.example"]), max_size=1))
def test_a_service_url_is_trusted_only_where_the_http_client_goes_to_a_teams_host(
    url: str, added: set[str]
) -> None:
    """Whatever the URL, one judged trusted is one aiohttp's URL parser (what the SDK's
    connector client sends with) reads as https on a Teams host, or as a listed origin."""
    if untrusted(url, True, frozenset(added)) is not None:
        return
    parsed = yarl.URL(url)
    host = (parsed.host or "").lower()
    assert parsed.user is None and parsed.password is None
    listed = f"{parsed.scheme}://{host}:{parsed.port}" in {f"{a}:443" for a in added}
    teams_host = host in TEAMS_HOSTS or host.endswith(".botframework.com")
    assert listed or (parsed.scheme == "https" and teams_host)


@given(url=HOSTILE_URLS)
def test_with_authentication_off_a_service_url_is_on_this_machine(url: str) -> None:
    if untrusted(url, False, frozenset()) is None:
        host = yarl.URL(url).host or ""
        assert host == "localhost" or ipaddress.ip_address(host).is_loopback


@given(
    stored=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["serviceUrl", "conversation", "id", "user", "bot", "locale"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=10,
    )
)
def test_any_stored_value_is_a_usable_reference_or_a_named_refusal(stored: object) -> None:
    settings = load_teams_settings(AUTH_ON)
    try:
        reference = usable(stored, REVIEWER, settings)
    except PermanentFailure as refused:
        assert REVIEWER in str(refused)
        return
    assert untrusted(reference.service_url, True, frozenset()) is None
    assert reference.conversation is not None and reference.conversation.id


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("https://relay.example.fr", {"https://relay.example.fr"}),
        (" https://Relay.Example.fr/ , http://127.0.0.1:8080", None),
        ("relay.example.fr", False),
        ("https://relay.example.fr/v3/conversations", False),
        ("https://user@relay.example.fr", False),
        ("ftp://relay.example.fr", False),
    ],
)
def test_the_added_service_urls_are_origins_or_a_named_refusal(
    value: str, accepted: set[str] | bool | None
) -> None:
    env = {**AUTH_ON, SERVICE_URLS: value}
    if accepted is False:
        with pytest.raises(SettingsError) as refused:
            load_teams_settings(env)
        assert refused.value.name == SERVICE_URLS
        assert "n'est pas une origine" in refused.value.explained("fr")
        return
    found = load_teams_settings(env).service_urls
    if accepted is None:
        assert found == {"https://relay.example.fr", "http://127.0.0.1:8080"}
    else:
        assert found == accepted
