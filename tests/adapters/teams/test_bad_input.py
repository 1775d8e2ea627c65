"""Bad input gets a clear answer and changes nothing: malformed requests, clicks on stale
cards, invalid answers, forged data. Replayed activities and cards of another flow version are
attacks: tests/security/test_held_teams_replays.py."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import App
from tests.adapters.teams.client import AGENT, TeamsClient, inputs, submit_data, texts


def _answers(app: App, triage_id: str) -> dict[str, Any]:
    with app.store.reading() as tx:
        return tx.answers(triage_id)


def _triages(app: App, user: str = AGENT) -> list[str]:
    with app.store.reading() as tx:
        owner = tx.find_pseudonym("teams", user)
        return [r.id for r in tx.triages_of(owner)] if owner else []


async def _started(teams: TeamsClient) -> tuple[Any, dict[str, Any]]:
    reply = await teams.say("boussole")
    call = reply.calls[-1]
    assert call.card is not None
    return call, call.card


@pytest.mark.asyncio
async def test_a_card_of_another_flow_version_is_refused_by_the_engine_and_shows_the_current(
    teams: TeamsClient, teams_app: App
) -> None:
    call, card = await _started(teams)
    data = {**submit_data(card), "flow_version": 99}
    other = await teams.click(call, data, "Projet A")
    assert other.status == 201
    (sent,) = [c for c in other.calls if c.method == "POST"]
    assert sent.card is not None and "autre version de la grille" in texts(sent.card)
    assert submit_data(sent.card)["question"] == "P1"
    (replaced,) = [c for c in other.calls if c.method == "PUT"]
    assert replaced.activity_id == call.returned_id and not inputs(replaced.card or {})
    assert _answers(teams_app, data["triage"]) == {}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('"message"', "application/json", 400),
        ('{"text": "boussole"}', "application/json", 400),
        ('{"type": 5}', "application/json", 400),
        ('{"type": "message", "text": "boussole"}', "text/plain", 415),
        (b"\xff\xfe{}", "application/json", 400),
    ],
)
async def test_a_malformed_request_is_refused_before_anything_else(
    teams: TeamsClient, teams_app: App, body: str | bytes, content_type: str, status: int
) -> None:
    reply = await teams.post(body, content_type=content_type)
    assert reply.status == status, reply.body
    assert reply.calls == []
    assert _triages(teams_app) == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "change",
    [
        {"conversation": None},
        {"conversation": {"conversationType": "personal"}},
        {"from": None},
        {"from": {"name": "nobody"}},
        {"recipient": None},
        {"id": None},
        {"serviceUrl": "ftp://127.0.0.1/"},
    ],
)
async def test_an_authenticated_but_malformed_activity_is_a_400(
    teams: TeamsClient, teams_app: App, change: dict[str, Any]
) -> None:
    activity = teams.activity(text="boussole")
    activity.update(change)
    activity = {k: v for k, v in activity.items() if v is not None}
    token = teams.token(service_url=activity["serviceUrl"])
    reply = await teams.post(activity, token=token)
    assert reply.status == 400, reply.body
    assert reply.calls == []
    assert _triages(teams_app) == []


@pytest.mark.asyncio
async def test_a_click_on_a_stale_question_is_a_notice_and_changes_nothing(
    teams: TeamsClient, teams_app: App
) -> None:
    call, card = await _started(teams)
    data = submit_data(card)
    await teams.click(call, data, "Projet A")
    stale = await teams.click(call, data, "Projet B")
    assert stale.status == 201
    sent = [c for c in stale.calls if c.method == "POST"]
    assert len(sent) == 1 and sent[0].card is not None
    assert "n'est plus la question en cours" in texts(sent[0].card)
    assert submit_data(sent[0].card)["question"] == "P2"
    (replaced,) = [c for c in stale.calls if c.method == "PUT"]
    assert replaced.activity_id == call.returned_id and not inputs(replaced.card or {})
    assert _answers(teams_app, data["triage"]) == {"P1": "Projet A"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("answers", "bad", "says"),
    [
        ({}, "x" * 2001, "2001 caractères"),
        ({}, "   ", "la réponse est vide"),
        ({"P1": "Projet"}, "nulle_part", "n'est pas un choix"),
    ],
)
async def test_an_invalid_answer_is_explained_and_the_card_stays(
    teams: TeamsClient, teams_app: App, answers: dict[str, str], bad: str, says: str
) -> None:
    call, card = await _started(teams)
    for value in answers.values():
        reply = await teams.click(call, submit_data(card), value)
        call, card = teams.connector.last_card()
    triage_id = submit_data(card)["triage"]
    before = _answers(teams_app, triage_id)
    reply = await teams.click(call, submit_data(card), bad)
    assert reply.status == 201
    assert [c.method for c in reply.calls] == ["POST"]
    assert reply.calls[0].card is None and says in reply.calls[0].text
    assert _answers(teams_app, triage_id) == before


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "value",
    [
        {"boussole": "drop_tables", "triage": "x"},
        {"boussole": "answer", "triage": "x", "question": "P1"},
        {"something": "else"},
        "a string",
    ],
)
async def test_forged_card_data_is_refused_politely(
    teams: TeamsClient, teams_app: App, value: Any
) -> None:
    reply = await teams.post(teams.activity(value=value))
    assert reply.status == 201
    assert len(reply.calls) == 1 and "n'a pas pu être lue" in reply.calls[0].text
    assert _triages(teams_app) == []


@pytest.mark.asyncio
async def test_an_unknown_activity_type_is_accepted_and_ignored(teams: TeamsClient) -> None:
    reply = await teams.post(teams.activity(type="typing"))
    assert (reply.status, reply.calls) == (201, [])
