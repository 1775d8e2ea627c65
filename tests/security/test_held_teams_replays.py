"""Replays on `/api/messages` that held (issue #12): an activity posted again with the same
id, on the same instance or another, and a card submit drawn for another flow version. Each
is answered politely and changes nothing. The real CloudAdapter authenticates every request;
the connector is a local stub."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from adapters.server import ServeOptions, build_server
from adapters.teams.platform import TeamsPlatform
from bot.app import App
from tests.adapters.teams.client import AGENT, TeamsClient, submit_data, texts
from tests.adapters.teams.conftest import FixedTokenFactory

pytestmark = pytest.mark.asyncio

ALREADY = "déjà été prise en compte"


def answers_of(app: App, triage_id: str) -> dict[str, Any]:
    with app.store.reading() as tx:
        return tx.answers(triage_id)


def triages_of(app: App, user: str = AGENT) -> list[str]:
    with app.store.reading() as tx:
        owner = tx.find_pseudonym("teams", user)
        return [r.id for r in tx.triages_of(owner)] if owner else []


async def test_a_replayed_activity_with_the_same_id_changes_nothing(
    teams: TeamsClient, teams_app: App
) -> None:
    start = teams.activity(text="boussole")
    first = await teams.post(start)
    again = await teams.post(start)
    assert (first.status, again.status) == (201, 201)
    assert len(triages_of(teams_app)) == 1
    assert [c.card for c in again.calls] == [None]
    assert ALREADY in again.calls[0].text

    call, card = teams.connector.last_card()
    data = submit_data(card)
    click = teams.activity(value={**data, "answer": "Projet A"}, replyToId=call.returned_id)
    await teams.post(click)
    replayed = await teams.post(click)
    assert [c.method for c in replayed.calls] == ["POST"]
    assert ALREADY in replayed.calls[0].text
    assert answers_of(teams_app, data["triage"]) == {"P1": "Projet A"}


async def test_a_replayed_card_submit_reaching_another_instance_changes_nothing(
    teams: TeamsClient, teams_app: App
) -> None:
    """Two `serve` processes behind a load balancer: the second has never seen the activity,
    the database's idempotency key stops it."""
    await teams.say("boussole")
    call, card = teams.connector.last_card()
    data = submit_data(card)
    click = teams.activity(value={**data, "answer": "Projet A"}, replyToId=call.returned_id)
    assert (await teams.post(click)).status == 201
    platform = TeamsPlatform(credentials=FixedTokenFactory())
    server = TestServer(
        build_server(teams_app, [platform], ServeOptions(notifier_interval=3600)),
        host="127.0.0.1",
    )
    await server.start_server()
    other = TeamsClient(
        str(server.make_url("")).rstrip("/"), teams.connector, teams.openid, teams.session
    )
    try:
        changed = dict(click, value={**data, "answer": "Projet B"})
        replayed = await other.post(changed)
    finally:
        await server.close()
    assert replayed.status == 201
    assert ALREADY in replayed.calls[0].text
    assert answers_of(teams_app, data["triage"]) == {"P1": "Projet A"}


@pytest.mark.parametrize("version", [0, 2, 99, -1])
async def test_a_card_submit_drawn_for_another_flow_version_changes_nothing(
    teams: TeamsClient, teams_app: App, version: int
) -> None:
    reply = await teams.say("boussole")
    call = reply.calls[-1]
    assert call.card is not None
    data = {**submit_data(call.card), "flow_version": version}
    reply = await teams.click(call, data, "Projet A")
    assert reply.status == 201
    sent = [c for c in reply.calls if c.method == "POST"]
    assert len(sent) == 1 and sent[0].card is not None
    assert "autre version de la grille" in texts(sent[0].card)
    assert submit_data(sent[0].card)["flow_version"] == 1
    assert answers_of(teams_app, data["triage"]) == {}
