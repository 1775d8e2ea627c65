"""Matrix federates: any account of any server on the network could invite the bot and run
triages into the authority's database. The bot serves the people of its own server, or of the
servers BOUSSOLE_MATRIX_SERVERS lists (`*.tchap.gouv.fr` for all of Tchap's); it declines
other invitations and does not answer other people, even in a room it shares with them."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mautrix.types import (
    EventID,
    EventType,
    MessageEvent,
    MessageType,
    RoomID,
    TextMessageEventContent,
    UserID,
)

from adapters.chat.domains import within
from adapters.matrix.settings import load_matrix_settings
from bot.settings import SettingsError
from tests.adapters.matrix.conftest import Accounts, Running
from tests.adapters.matrix.person import WAIT, Person

BASE = {
    "BOUSSOLE_MATRIX_HOMESERVER": "https://matrix.example.org",
    "BOUSSOLE_MATRIX_USER_ID": "@boussole:Example.org",
    "BOUSSOLE_MATRIX_DEVICE_ID": "BOUSSOLE",
    "BOUSSOLE_MATRIX_ACCESS_TOKEN": "syt_x",
}


def test_by_default_the_bot_serves_its_own_server_only() -> None:
    assert load_matrix_settings(BASE).served == ("example.org",)
    listed = {**BASE, "BOUSSOLE_MATRIX_SERVERS": " Example.org , *.tchap.gouv.fr ,"}
    assert load_matrix_settings(listed).served == ("example.org", "*.tchap.gouv.fr")


@pytest.mark.parametrize(
    ("server", "served"),
    [
        ("example.org", True),
        ("EXAMPLE.ORG", True),
        ("agent.tchap.gouv.fr", True),
        ("agent.interieur.tchap.gouv.fr", True),
        ("tchap.gouv.fr", False),
        ("eviltchap.gouv.fr", False),
        ("tchap.gouv.fr.evil.org", False),
        ("example.org.evil.org", False),
        ("evilexample.org", False),
        ("example.org:8448", False),
        ("", False),
    ],
)
def test_a_server_is_served_when_listed_or_under_a_listed_domain(server: str, served: bool) -> None:
    assert within(server, ("example.org", "*.tchap.gouv.fr")) is served


@given(server=st.text(max_size=40), names=st.lists(st.text(max_size=20), max_size=4))
def test_a_served_server_is_a_listed_name_or_ends_with_a_listed_domain(
    server: str, names: list[str]
) -> None:
    if within(server, names):
        host = server.lower()
        assert any(
            host == name or (name.startswith("*.") and host.endswith(name[1:])) for name in names
        )
        assert any(host == name or host.endswith("." + name[2:]) for name in names)


async def membership(person: Person, room_id: str, user_id: str) -> str:
    state = await person.client.get_state_event(room_id, EventType.ROOM_MEMBER, user_id)
    return str(state.membership.value)


@pytest.mark.asyncio
async def test_the_bot_declines_and_ignores_the_people_of_a_server_it_does_not_serve(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    agent, reviewer = people["agent"], people["reviewer"]
    room_id = await agent.direct_room(accounts.bot.user_id)
    matrix.bot.served = ("elsewhere.org",)

    invited = str(
        await reviewer.client.create_room(invitees=[accounts.bot.user_id], is_direct=True)
    )
    async with asyncio.timeout(WAIT):
        while await membership(reviewer, invited, accounts.bot.user_id) != "leave":
            await asyncio.sleep(0.05)

    mallory = MessageEvent(
        type=EventType.ROOM_MESSAGE,
        room_id=RoomID(room_id),
        event_id=EventID("$from-elsewhere"),
        sender=UserID("@mallory:evil.org"),
        timestamp=0,
        content=TextMessageEventContent(msgtype=MessageType.TEXT, body="boussole"),
    )
    matrix.bot.served = ("boussole.test",)
    await matrix.bot.on_message(mallory)  # in a room it serves, from a server it does not
    with matrix.app.store.reading() as tx:
        assert tx.triages_of(tx.find_pseudonym("matrix", "@mallory:evil.org") or "-", 10) == []
    assert matrix.bot.state.claim("$from-elsewhere")  # never claimed before: never handled


@pytest.mark.parametrize("servers", ["https://example.org", "@bob:example.org", "a b", "*"])
def test_a_list_of_servers_that_is_not_one_is_named_at_start(servers: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_matrix_settings({**BASE, "BOUSSOLE_MATRIX_SERVERS": servers})
    assert raised.value.name == "BOUSSOLE_MATRIX_SERVERS"
    assert "*.tchap.gouv.fr" in raised.value.explained("en")
