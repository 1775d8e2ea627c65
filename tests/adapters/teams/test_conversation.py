"""The conversation as an agent lives it: welcome, typed commands in personal chat and in
channels, the buttons of a question card, the list of triages, English."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.app import App
from tests.adapters.teams.client import (
    AGENT,
    BOT_ID,
    TeamsClient,
    inputs,
    run_triage,
    submit_data,
    texts,
)
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))


def _reference(app: App, user: str = AGENT) -> dict[str, Any] | None:
    with app.store.reading() as tx:
        return tx.conversation("teams", user)


async def _started(teams: TeamsClient, **fields: Any) -> tuple[Any, dict[str, Any]]:
    reply = await teams.say("boussole", **fields)
    call = reply.calls[-1]
    assert call.card is not None
    return call, call.card


# Installation


@pytest.mark.asyncio
async def test_installing_the_app_shows_one_welcome_card_and_stores_the_reference(
    teams: TeamsClient, teams_app: App
) -> None:
    install = await teams.post(teams.activity(type="installationUpdate", action="add"))
    added = await teams.post(
        teams.activity(
            type="conversationUpdate",
            membersAdded=[{"id": BOT_ID}, {"id": AGENT}],
        )
    )
    assert (install.status, added.status) == (201, 201)
    cards = [c.card for c in install.calls + added.calls]
    assert len(cards) == 1 and cards[0] is not None
    assert [a["data"]["boussole"] for a in cards[0]["actions"]] == ["start", "list", "help"]
    reference = _reference(teams_app)
    assert reference is not None
    assert reference["serviceUrl"] == teams.connector.url
    assert reference["conversation"]["id"] == teams.conversation(AGENT)


@pytest.mark.asyncio
async def test_the_stored_reference_keeps_ids_and_addresses_but_no_name(
    teams: TeamsClient, teams_app: App
) -> None:
    await teams.say("aide")
    reference = _reference(teams_app)
    assert reference is not None
    assert reference["user"] == {"id": AGENT}
    assert "Agent Public" not in str(reference) and "aad-" not in str(reference)
    assert reference["locale"] == "fr-FR" and reference["channelId"] == "msteams"


@pytest.mark.asyncio
async def test_the_welcome_speaks_the_installers_language_whichever_announcement_comes_first(
    teams: TeamsClient,
) -> None:
    """Teams (and the Agents Playground) send membersAdded without a locale and the
    installationUpdate with one, in either order."""
    added = await teams.post(
        teams.activity(
            type="conversationUpdate", membersAdded=[{"id": BOT_ID}, {"id": AGENT}], locale=None
        )
    )
    install = await teams.post(
        teams.activity(type="installationUpdate", action="add", locale="en-GB")
    )
    cards = [c.card for c in added.calls + install.calls]
    assert len(cards) == 1 and "New triage" in json.dumps(cards[0])


@pytest.mark.asyncio
async def test_a_colleague_joining_gets_no_welcome(teams: TeamsClient) -> None:
    reply = await teams.post(
        teams.activity(type="conversationUpdate", membersAdded=[{"id": "29:colleague"}])
    )
    assert (reply.status, reply.calls) == (201, [])


@pytest.mark.asyncio
async def test_uninstalling_marks_the_reference_inactive_and_reinstalling_restores_it(
    teams: TeamsClient, teams_app: App
) -> None:
    await teams.say("aide")
    assert _reference(teams_app) is not None
    await teams.post(teams.activity(type="installationUpdate", action="remove"))
    assert _reference(teams_app) is None
    await teams.say("aide")
    await teams.post(teams.activity(type="installationUpdate", action="add"))
    assert _reference(teams_app) is not None


# Typed commands


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["boussole", "Nouvelle analyse", "new", "NOUVELLE ANALYSE !"])
async def test_these_words_start_a_triage(teams: TeamsClient, text: str) -> None:
    reply = await teams.say(text)
    card = reply.calls[-1].card
    assert card is not None and submit_data(card)["question"] == "P1"
    assert "commencée" in texts(card)


@pytest.mark.asyncio
async def test_in_a_channel_the_mention_is_stripped_and_the_audience_is_warned(
    teams: TeamsClient, teams_app: App
) -> None:
    channel = "19:general@thread.tacv2;messageid=1736000000000"
    reply = await teams.say(
        "<at>Boussole</at> nouvelle analyse",
        conversation=channel,
        conversation_type="channel",
        entities=[
            {
                "type": "mention",
                "mentioned": {"id": BOT_ID, "name": "Boussole"},
                "text": "<at>Boussole</at>",
            }
        ],
    )
    card = reply.calls[-1].card
    assert card is not None and submit_data(card)["question"] == "P1"
    assert "visibles de tous" in texts(card)
    assert reply.calls[-1].conversation_id == channel
    assert _reference(teams_app) is None


@pytest.mark.asyncio
async def test_help_and_an_unknown_message(teams: TeamsClient) -> None:
    help_card = (await teams.say("aide")).calls[0].card
    assert help_card is not None and "reprendre ID" in texts(help_card)
    unknown = (await teams.say("quelle heure est-il")).calls[0].card
    assert unknown is not None and "Je n'ai pas compris « quelle heure est-il »" in texts(unknown)


@pytest.mark.asyncio
async def test_list_then_resume_and_see_a_result(teams: TeamsClient) -> None:
    finished, _result, _replies = await run_triage(
        teams, CASES["01-school-meals-grid-example"]["answers"]
    )
    call, card = await _started(teams)
    pending = submit_data(card)["triage"]
    await teams.click(call, submit_data(card), "Projet en cours")

    listing = (await teams.say("liste")).calls[0].card
    assert listing is not None
    shown = texts(listing)
    assert finished in shown and pending in shown and "Prévision de fréquentation" in shown
    buttons = [
        a
        for e in listing["body"]
        if e["type"] == "Container"
        for s in e["items"]
        if s["type"] == "ActionSet"
        for a in s["actions"]
    ]
    assert [b["data"] for b in buttons] == [
        {"boussole": "resume", "triage": pending},
        {"boussole": "resume", "triage": finished},
    ]

    resumed = await teams.say(f"reprendre {pending}")
    card = resumed.calls[-1].card
    assert card is not None and submit_data(card)["question"] == "P2"
    assert "Reprise de l'analyse" in texts(card)

    button = await teams.post(teams.activity(value=buttons[1]["data"]))
    result = button.calls[-1].card
    assert result is not None and f"Résultat de l'analyse {finished}" in texts(result)


@pytest.mark.asyncio
async def test_resume_and_cancel_without_an_id_explain_how(teams: TeamsClient) -> None:
    for text, locale, word in (
        ("reprendre", "fr-FR", "reprendre 3k7mq2x9ab"),
        ("annuler", "fr-FR", "annuler 3k7mq2x9ab"),
        ("resume", "en-GB", "resume 3k7mq2x9ab"),
        ("cancel", "en-GB", "cancel 3k7mq2x9ab"),
    ):
        card = (await teams.say(text, locale=locale)).calls[0].card
        assert card is not None and word in texts(card)


@pytest.mark.asyncio
async def test_resume_without_an_id_brings_back_the_latest_triage_in_progress(
    teams: TeamsClient,
) -> None:
    """The kit's rule on every platform (it was Slack's alone): `reprendre` alone resumes
    the person's latest triage in progress."""
    call, card = await _started(teams)
    await teams.click(call, submit_data(card), "Projet A")
    resumed = (await teams.say("reprendre")).calls[-1].card
    assert resumed is not None and submit_data(resumed)["question"] == "P2"
    assert "Reprise de l'analyse" in texts(resumed)


@pytest.mark.asyncio
async def test_cancel_by_command(teams: TeamsClient) -> None:
    _call, card = await _started(teams)
    triage_id = submit_data(card)["triage"]
    reply = await teams.say(f"annuler {triage_id}")
    assert f"Analyse {triage_id} annulée" in reply.calls[0].text


# Card buttons


@pytest.mark.asyncio
async def test_why_explains_and_leaves_the_card(teams: TeamsClient) -> None:
    call, card = await _started(teams)
    reply = await teams.click(call, submit_data(card, "why"))
    assert [c.method for c in reply.calls] == ["POST"]
    assert "Référence" in reply.calls[0].text


@pytest.mark.asyncio
async def test_back_shows_the_previous_question_with_its_answer(teams: TeamsClient) -> None:
    call, card = await _started(teams)
    await teams.click(call, submit_data(card), "Projet A")
    second_call, second = teams.connector.last_card()
    reply = await teams.click(second_call, submit_data(second, "back"))
    (replaced,) = [c for c in reply.calls if c.method == "PUT"]
    assert replaced.activity_id == second_call.returned_id
    assert "Retour à la question précédente" in texts(replaced.card or {})
    (sent,) = [c for c in reply.calls if c.method == "POST"]
    assert sent.card is not None
    field = inputs(sent.card)[0]
    assert submit_data(sent.card)["question"] == "P1" and field["value"] == "Projet A"


@pytest.mark.asyncio
async def test_back_on_the_first_question_only_says_so(teams: TeamsClient) -> None:
    call, card = await _started(teams)
    data = submit_data(card)
    reply = await teams.post(
        teams.activity(value={**data, "boussole": "back"}, replyToId=call.returned_id)
    )
    assert [c.method for c in reply.calls] == ["POST"]
    assert "première question" in reply.calls[0].text


@pytest.mark.asyncio
async def test_cancel_button_closes_the_card(teams: TeamsClient) -> None:
    call, card = await _started(teams)
    triage_id = submit_data(card)["triage"]
    reply = await teams.click(call, submit_data(card, "cancel"))
    (replaced,) = [c for c in reply.calls if c.method == "PUT"]
    assert f"Analyse {triage_id} annulée" in texts(replaced.card or {})
    assert not inputs(replaced.card or {})
    again = await teams.click(call, submit_data(card), "Trop tard")
    (notice,) = [c for c in again.calls if c.method == "POST"]
    assert "annulée" in notice.text


@pytest.mark.asyncio
async def test_welcome_buttons_work(teams: TeamsClient) -> None:
    for action, expected in (("start", "P1"), ("list", "Vos analyses"), ("help", "aide")):
        reply = await teams.post(teams.activity(value={"boussole": action}))
        assert expected in texts(reply.calls[-1].card or {})


@pytest.mark.asyncio
async def test_english_locale_gets_english_cards(teams: TeamsClient) -> None:
    reply = await teams.say("new", locale="en-US")
    card = reply.calls[-1].card
    assert card is not None
    assert [a["title"] for a in card["actions"]] == ["Confirm", "Why?", "Cancel the triage"]
    assert "Triage" in texts(card) and "started" in texts(card)


@pytest.mark.asyncio
async def test_a_person_can_learn_their_id_for_the_directory(teams: TeamsClient) -> None:
    reply = await teams.say("mon identifiant")
    assert f"teams:{AGENT}" in reply.calls[0].text


@pytest.mark.asyncio
async def test_back_from_an_older_copy_of_a_question_changes_nothing(
    teams: TeamsClient, app: App
) -> None:
    """A resume posts the current question again; the older card keeps its buttons. Its
    "Retour" must not step back from wherever the triage has gone since (the engine's rule,
    as on Slack and Matrix)."""
    call, card = await _started(teams)
    triage_id = submit_data(card)["triage"]
    await teams.click(call, submit_data(card), "Projet A")
    older_call, older = teams.connector.last_card()
    resumed = (await teams.say("reprendre")).calls[-1]
    assert resumed.card is not None
    await teams.click(resumed, submit_data(resumed.card), "education")
    reply = await teams.click(older_call, submit_data(older, "back"))
    with app.store.reading() as tx:
        assert tx.answers(triage_id) == {"P1": "Projet A", "P2": "education"}
    (replaced,) = [c for c in reply.calls if c.method == "PUT"]
    assert replaced.activity_id == older_call.returned_id
    assert "Cette question n'est plus en cours" in texts(replaced.card or {})
    assert "Retour à la question précédente" not in texts(replaced.card or {})
