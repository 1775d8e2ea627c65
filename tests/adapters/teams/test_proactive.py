"""Review notifications reach reviewers in their personal chat, through `continue_conversation`
with the stored reference; a removed or blocked bot parks the message instead of retrying."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.platform import TeamsPlatform
from bot.app import App
from bot.events import Actor
from bot.notifier import Notifier
from storage.repository import DELIVERED, PARKED, PENDING, OutboxRecord
from tests.adapters.teams.client import AGENT, REVIEWER, TeamsClient, submit_data, texts
from tests.adapters.teams.conftest import OUTBOUND_TOKEN
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))


def _flagged_triage(app: App, case: str = "06-di-ia-auto-incompatible") -> str:
    """A triage ending in `incompatible` for the education department, recorded by the
    engine exactly as a Teams triage would be."""
    from bot.answer_file import validate_answers

    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    answers = CASES[case]["answers"]
    valid = validate_answers(published.flow, answers, app.engine.choices, "fr", case)
    view = app.engine.submit(Actor("teams", AGENT), "fr", published, valid.answers, ())
    return view.triage_id


def _teams_outbox(app: App, triage_id: str) -> list[OutboxRecord]:
    with app.store.reading() as tx:
        return [m for m in tx.outbox_messages(triage_id) if m.platform == "teams"]


def _notifier(app: App, platform: TeamsPlatform) -> Notifier:
    assert platform.runtime is not None
    return Notifier(app.store, {"teams": platform.runtime.sender})


@pytest.mark.asyncio
async def test_a_reviewer_is_notified_in_their_personal_chat(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER, locale="en-GB")
    triage_id = _flagged_triage(teams_app)
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.recipient == REVIEWER

    before = len(teams.connector.calls)
    assert await _notifier(teams_app, platform).drain_once() == 1
    (call,) = teams.connector.since(before)
    assert call.method == "POST" and call.conversation_id == teams.conversation(REVIEWER)
    assert call.authorization == f"Bearer {OUTBOUND_TOKEN}"
    card = call.card
    assert card is not None
    shown = texts(card)
    assert "Triage to review" in shown and triage_id in shown and "DI-R" in shown
    assert submit_data(card, "review") == {"boussole": "review", "triage": triage_id}
    assert _teams_outbox(teams_app, triage_id)[0].status == DELIVERED


@pytest.mark.asyncio
async def test_the_reviewer_and_nobody_else_opens_the_whole_result(
    teams: TeamsClient, teams_app: App
) -> None:
    triage_id = _flagged_triage(teams_app)
    data = {"boussole": "review", "triage": triage_id}
    reviewer = await teams.post(teams.activity(value=data, user=REVIEWER))
    result = reviewer.calls[-1].card
    assert result is not None and f"Résultat de l'analyse {triage_id}" in texts(result)
    assert '"boussole": "retriage"' not in texts(result)  # only its author may re-do it
    assert "Vos réponses" in texts(result)
    stranger = await teams.post(teams.activity(value=data, user="29:stranger"))
    assert stranger.calls[-1].card is None
    assert "seuls son auteur, les responsables" in stranger.calls[-1].text


@pytest.mark.asyncio
async def test_a_removed_bot_parks_the_message_and_marks_the_reference_inactive(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    teams.connector.failures[teams.conversation(REVIEWER)] = 403

    assert await _notifier(teams_app, platform).drain_once() == 0
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PARKED and "403" in message.last_error
    with teams_app.store.reading() as tx:
        assert tx.conversation("teams", REVIEWER) is None
    assert await _notifier(teams_app, platform).drain_once() == 0
    assert len(teams.connector.calls) == 2  # the "aide" reply and the one refused attempt

    del teams.connector.failures[teams.conversation(REVIEWER)]
    await teams.post(teams.activity(type="installationUpdate", action="add", user=REVIEWER))
    with teams_app.store.reading() as tx:
        assert tx.conversation("teams", REVIEWER) is not None


@pytest.mark.asyncio
async def test_a_reviewer_who_never_talked_to_the_bot_is_reported_not_retried(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    triage_id = _flagged_triage(teams_app)
    assert await _notifier(teams_app, platform).drain_once() == 0
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PARKED
    assert "must open Boussole in Teams" in message.last_error
    assert teams.connector.calls == []


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [429, 500, 502])
async def test_a_passing_failure_is_retried_later(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform, status: int
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    teams.connector.failures[teams.conversation(REVIEWER)] = status
    assert await _notifier(teams_app, platform).drain_once() == 0
    (message,) = _teams_outbox(teams_app, triage_id)
    assert message.status == PENDING and message.attempts == 1
    with teams_app.store.reading() as tx:
        assert tx.conversation("teams", REVIEWER) is not None


@pytest.mark.asyncio
async def test_the_notice_is_in_the_reviewer_language(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER, locale="fr-FR")
    _flagged_triage(teams_app)
    await _notifier(teams_app, platform).drain_once()
    card: Any = teams.connector.calls[-1].card
    assert "Analyse à examiner" in texts(card) and "Voir le détail" in texts(card)


@pytest.mark.asyncio
async def test_the_author_opening_the_details_sees_the_result_with_the_form_to_redo_it(
    teams: TeamsClient, teams_app: App
) -> None:
    """The one visibility rule (bot/visibility.py): "Voir le détail" shows the result to its
    author too, as Slack does, with the re-triage form only on the author's copy."""
    triage_id = _flagged_triage(teams_app)
    data = {"boussole": "review", "triage": triage_id}
    own = await teams.post(teams.activity(value=data))
    card = own.calls[-1].card
    assert card is not None and '"boussole": "retriage"' in texts(card)


@pytest.mark.asyncio
async def test_a_reviewer_typing_voir_id_sees_the_result_without_the_form(
    teams: TeamsClient, teams_app: App
) -> None:
    triage_id = _flagged_triage(teams_app)
    reply = await teams.say(f"voir {triage_id}", user=REVIEWER)
    card = reply.calls[-1].card
    assert card is not None and f"Résultat de l'analyse {triage_id}" in texts(card)
    assert '"boussole": "retriage"' not in texts(card)
