"""Reviewers decide from the review card (claim, ask, confirm, override) and the agent answers
a reviewer's question from a card; every message goes through the outbox and the Teams sender,
in the recipient's language, against the real server and the connector stub."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.platform import TeamsPlatform
from bot.app import App
from bot.events import Actor
from storage.repository import DELIVERED, PARKED
from tests.adapters.teams.client import AGENT, REVIEWER, Reply, TeamsClient, texts
from tests.adapters.teams.connector_stub import Call
from tests.adapters.teams.schema15 import problems
from tests.adapters.teams.test_proactive import CASES, _flagged_triage, _notifier, _teams_outbox


async def _deliver(teams: TeamsClient, app: App, platform: TeamsPlatform) -> list[Call]:
    """Drain the outbox once; the calls the sender made."""
    before = len(teams.connector.calls)
    await _notifier(app, platform).drain_once()
    return teams.connector.since(before)


def find_submit(card: dict[str, Any], action: str) -> dict[str, Any]:
    """The data of the button for `action`, also inside Action.ShowCard forms."""
    for button in _all_actions(card):
        data = button.get("data") or {}
        if data.get("boussole") == action:
            return dict(data)
    raise AssertionError(f"no {action!r} button on the card")


def _all_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for action in card.get("actions") or []:
        found.append(action)
        if action.get("type") == "Action.ShowCard":
            found += _all_actions(action["card"])
    for element in card.get("body") or []:
        if element.get("type") == "ActionSet":
            found += element["actions"]
    return found


def _input_ids(card: dict[str, Any]) -> set[str]:
    ids = {e["id"] for e in card.get("body") or [] if str(e.get("type")).startswith("Input.")}
    for action in card.get("actions") or []:
        if action.get("type") == "Action.ShowCard":
            ids |= _input_ids(action["card"])
    return ids


async def _click(
    teams: TeamsClient,
    call: Call,
    data: dict[str, Any],
    user: str,
    locale: str = "fr-FR",
    **inputs: Any,
) -> Reply:
    """A submit as Teams sends it: the button's data merged with the card's inputs."""
    value = {**data, **inputs}
    activity = teams.activity(value=value, replyToId=call.returned_id, user=user, locale=locale)
    reply = await teams.post(activity)
    assert reply.status == 201, reply.body
    return reply


def _said(reply: Reply) -> str:
    return "\n".join(c.text for c in reply.calls if c.method == "POST")


async def _review_card(
    teams: TeamsClient, app: App, platform: TeamsPlatform, triage_id: str
) -> tuple[Call, dict[str, Any]]:
    calls = [c for c in await _deliver(teams, app, platform) if c.card is not None]
    (call,) = [c for c in calls if c.conversation_id == teams.conversation(REVIEWER)]
    assert call.card is not None and triage_id in texts(call.card)
    return call, call.card


@pytest.mark.asyncio
async def test_claim_question_answer_and_confirmation_between_reviewer_and_agent(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    await teams.say("help", user=AGENT, locale="en-GB")
    triage_id = _flagged_triage(teams_app)
    review_call, card = await _review_card(teams, teams_app, platform, triage_id)
    assert problems(card) == []
    shown = texts(card)
    for label in ("Je prends en charge", "Confirmer l'orientation", "Demander des précisions"):
        assert label in shown
    assert "Requalifier" in shown
    assert {"review_question", "review_outcome", "review_comment"} <= _input_ids(card)
    assert find_submit(card, "review_claim") == {"boussole": "review_claim", "triage": triage_id}

    claimed = await _click(teams, review_call, find_submit(card, "review_claim"), REVIEWER)
    assert "Vous prenez en charge" in _said(claimed)
    (told,) = await _deliver(teams, teams_app, platform)
    assert told.conversation_id == teams.conversation(AGENT)
    assert "A reviewer is examining your project" in told.text

    asked = await _click(
        teams,
        review_call,
        find_submit(card, "review_ask"),
        REVIEWER,
        review_question="Quelle est la base légale ?",
    )
    assert "Question envoyée à l'agent" in _said(asked)
    (question,) = await _deliver(teams, teams_app, platform)
    assert question.conversation_id == teams.conversation(AGENT)
    question_card = question.card
    assert question_card is not None and problems(question_card) == []
    assert "Quelle est la base légale ?" in texts(question_card)
    assert "A reviewer's question" in texts(question_card) and "Reply" in texts(question_card)
    reply_data = find_submit(question_card, "agent_reply")
    assert reply_data == {"boussole": "agent_reply", "triage": triage_id}

    answered = await _click(
        teams,
        question,
        reply_data,
        AGENT,
        locale="en-GB",
        agent_answer="Article 6 du RGPD, mission publique.",
    )
    assert "Answer sent to the reviewer" in _said(answered)
    (frozen,) = [c for c in answered.calls if c.method == "PUT"]
    assert frozen.activity_id == question.returned_id and frozen.card is not None
    assert "agent_reply" not in texts(frozen.card)
    (answer,) = await _deliver(teams, teams_app, platform)
    assert answer.conversation_id == teams.conversation(REVIEWER)
    assert "Réponse de l'agent" in answer.text and "Article 6 du RGPD" in answer.text

    confirmed = await _click(teams, review_call, find_submit(card, "review_confirm"), REVIEWER)
    assert "Orientation confirmée" in _said(confirmed)
    (summary,) = [c for c in confirmed.calls if c.method == "PUT"]
    assert summary.activity_id == review_call.returned_id and summary.card is not None
    assert problems(summary.card) == [] and "Décision enregistrée" in texts(summary.card)
    assert "review_confirm" not in texts(summary.card)
    (decision,) = await _deliver(teams, teams_app, platform)
    assert decision.conversation_id == teams.conversation(AGENT)
    assert "a reviewer confirms the orientation" in decision.text

    again = await _click(teams, review_call, find_submit(card, "review_confirm"), REVIEWER)
    assert "déjà prise" in _said(again)
    with teams_app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None
        assert (review.decision, review.final_outcome) == ("confirmed", "incompatible")
        decided = [e for e in tx.audit_trail(triage_id) if e["kind"] == "review_decided"]
    assert len(decided) == 1
    assert all(m.status == DELIVERED for m in _teams_outbox(teams_app, triage_id))


def _full_review_triage(app: App) -> str:
    from bot.answer_file import validate_answers

    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    answers = dict(CASES["24-c4-staff-monitoring"]["answers"], P2="education")
    valid = validate_answers(published.flow, answers, app.engine.choices, "fr", "override")
    view = app.engine.submit(Actor("teams", AGENT), "fr", published, valid.answers, ())
    assert view.outcome == "full_review"
    return view.triage_id


@pytest.mark.asyncio
async def test_override_needs_a_comment_and_is_told_to_the_agent_in_english(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("help", user=REVIEWER, locale="en-US")
    await teams.say("help", user=AGENT, locale="en-GB")
    triage_id = _full_review_triage(teams_app)
    review_call, card = await _review_card(teams, teams_app, platform, triage_id)
    assert "Change the orientation" in texts(card) and "I'll take it" in texts(card)
    override = find_submit(card, "review_override")

    missing = await _click(
        teams, review_call, override, REVIEWER, "en-US", review_outcome="light_track"
    )
    assert "A comment is required" in _said(missing)
    done = await _click(
        teams,
        review_call,
        override,
        REVIEWER,
        "en-US",
        review_outcome="light_track",
        review_comment="Données anonymisées, pas de surveillance.",
    )
    assert "Orientation changed" in _said(done)
    assert [c for c in done.calls if c.method == "PUT"]
    (decision,) = await _deliver(teams, teams_app, platform)
    assert decision.conversation_id == teams.conversation(AGENT)
    assert "changes the orientation to light track" in decision.text
    with teams_app.store.reading() as tx:
        review = tx.review(triage_id)
        assert review is not None and review.final_outcome == "light_track"


def _enqueue(app: App, triage_id: str, kind: str, payload: dict[str, Any]) -> None:
    with app.store.transaction() as tx:
        tx.enqueue(
            key=f"{kind}:{triage_id}:test",
            triage_id=triage_id,
            kind=kind,
            platform="teams",
            recipient=REVIEWER,
            payload=payload,
        )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "locale", "expected"),
    [
        ("review_reminder", "en-GB", "english"),
        ("weekly_digest", "fr-FR", "français"),
        ("retriage_reminder", "en-US", "english"),
        ("retriage_changed", "fr-FR", "français"),
        ("something_new", "en-GB", "français"),
    ],
)
async def test_every_kind_is_sent_as_text_in_the_reader_language(
    teams: TeamsClient,
    teams_app: App,
    platform: TeamsPlatform,
    kind: str,
    locale: str,
    expected: str,
) -> None:
    await teams.say("aide", user=REVIEWER, locale=locale)
    triage_id = _flagged_triage(teams_app)
    await _deliver(teams, teams_app, platform)  # the review card
    _enqueue(teams_app, triage_id, kind, {"text": {"fr": "En français", "en": "In english"}})
    (call,) = await _deliver(teams, teams_app, platform)
    assert call.conversation_id == teams.conversation(REVIEWER)
    assert call.card is None and expected in call.text.lower()


@pytest.mark.asyncio
async def test_a_text_message_to_a_removed_bot_is_parked(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    teams.connector.failures[teams.conversation(REVIEWER)] = 404
    _enqueue(teams_app, triage_id, "review_reminder", {"text": {"fr": "Rappel", "en": "Reminder"}})
    assert await _notifier(teams_app, platform).drain_once() == 0
    assert {m.status for m in _teams_outbox(teams_app, triage_id)} == {PARKED}
    with teams_app.store.reading() as tx:
        assert tx.conversation("teams", REVIEWER) is None


@pytest.mark.asyncio
async def test_a_message_without_text_is_parked_not_retried(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    await _deliver(teams, teams_app, platform)
    _enqueue(teams_app, triage_id, "weekly_digest", {})
    assert await _deliver(teams, teams_app, platform) == []
    parked = [m for m in _teams_outbox(teams_app, triage_id) if m.kind == "weekly_digest"]
    assert parked[0].status == PARKED
