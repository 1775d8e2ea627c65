"""The reviewer's decision in Slack: claim, a question to the agent and its answer, then the
confirmation; every message goes through the outbox and the Slack sender."""

from __future__ import annotations

import json

import pytest

from adapters.slack.refs import AGENT_REPLY, REVIEW_ASK, REVIEW_CLAIM, REVIEW_CONFIRM
from bot.app import App
from bot.notifier import Notifier
from tests.adapters.slack.harness import AGENT, Slack, find_element
from tests.adapters.slack.stub import Call
from tests.adapters.slack.test_home_and_reviews import (  # noqa: F401
    FLAGGED,
    REVIEWER,
    home_opened,
    settings,
)
from tests.adapters.slack.test_triage import run_triage, triage_ids

pytestmark = pytest.mark.asyncio


async def drain(slack: Slack, app: App) -> int:
    runtime = slack.platform.runtime
    assert runtime is not None
    return await Notifier(app.store, {"slack": runtime.sender}).drain_once()


def shown(call: Call) -> str:
    return json.dumps(call.params, ensure_ascii=False)


async def open_and_submit(slack: Slack, message: Call, action_id: str, user: str, text: str):
    opened = len(slack.stub.to("views.open"))
    await slack.click(message, action_id, user)
    await slack.settled()
    views = slack.stub.to("views.open")
    assert len(views) == opened + 1
    reply = await slack.submit_view(views[-1].params["view"], text, user)
    assert reply.status == 200
    await slack.settled()


async def test_a_reviewer_claims_asks_and_confirms(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    assert await drain(slack, app) == 1
    (review,) = slack.posted(REVIEWER)
    find_element(review.blocks, REVIEW_CONFIRM, triage_id)

    # a stranger's click is refused, and audited
    await slack.click(review, REVIEW_CLAIM, user="USTRANGER")
    await slack.settled()
    assert "pas responsable" in slack.stub.to("response_url")[-1].params["text"]
    with app.store.reading() as tx:
        assert tx.audit_trail(triage_id)[-1]["kind"] == "review_refused"
        assert tx.review(triage_id).reviewer is None

    # claim: the reviewer is told, the agent too
    await slack.click(review, REVIEW_CLAIM, user=REVIEWER)
    await slack.settled()
    assert slack.ephemerals(REVIEWER), "the reviewer hears back"
    assert await drain(slack, app) == 1
    claimed = slack.posted(AGENT)[-1]
    assert "Un responsable examine votre projet" in claimed.params["text"]

    # ask: a modal, then the question reaches the agent with a "Répondre" button
    await open_and_submit(slack, review, REVIEW_ASK, REVIEWER, "Quelles données de santé ?")
    assert await drain(slack, app) == 1
    question = slack.posted(AGENT)[-1]
    assert "Quelles données de santé ?" in shown(question)
    find_element(question.blocks, AGENT_REPLY, triage_id)

    # the agent answers through the modal; the reviewer receives the answer
    await open_and_submit(slack, question, AGENT_REPLY, AGENT, "Aucune, seulement des menus.")
    assert await drain(slack, app) == 1
    answer = slack.posted(REVIEWER)[-1]
    assert "Aucune, seulement des menus." in shown(answer)

    # confirm: the decision is recorded, shown on the notice, and sent to the agent
    await slack.click(review, REVIEW_CONFIRM, user=REVIEWER)
    await slack.settled()
    with app.store.reading() as tx:
        record = tx.review(triage_id)
    assert record.status == "decided" and record.decision == "confirmed"
    updated = [c for c in slack.stub.to("chat.update") if c.params["channel"] == f"D{REVIEWER}"]
    assert updated and "Orientation confirmée pour" in shown(updated[-1])
    assert all(
        e.get("action_id") != REVIEW_CONFIRM
        for b in updated[-1].blocks
        for e in b.get("elements") or []
    )
    assert await drain(slack, app) == 1
    decision = slack.posted(AGENT)[-1]
    assert decision.params["text"] and decision.params["text"] != question.params["text"]

    # every notice after the first reuses the reviewer's DM channel
    opened = [c.params["users"] for c in slack.stub.to("conversations.open")]
    assert opened.count(REVIEWER) == 1

    # the reviewer's App Home no longer lists it as waiting
    home = json.dumps(await home_opened(slack, REVIEWER), ensure_ascii=False)
    assert "Aucune analyse n'attend votre examen." in home

    # a second click on the same button changes nothing
    await slack.click(review, REVIEW_CONFIRM, user=REVIEWER)
    await slack.settled()
    with app.store.reading() as tx:
        decided = [e for e in tx.audit_trail(triage_id) if e["kind"] == "review_decided"]
    assert len(decided) == 1


async def test_an_empty_question_is_refused_in_the_modal(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    await drain(slack, app)
    (review,) = slack.posted(REVIEWER)
    await slack.click(review, REVIEW_ASK, user=REVIEWER)
    await slack.settled()
    view = slack.stub.to("views.open")[-1].params["view"]
    reply = await slack.submit_view(view, "   ", REVIEWER)
    assert reply.json["response_action"] == "errors"


async def test_every_notification_kind_is_delivered_in_the_reader_language(
    slack: Slack, app: App
) -> None:
    slack.stub.locales["UEN"] = "en-GB"
    kinds = ["weekly_digest", "retriage_reminder", "review_reminder", "something_new"]
    with app.store.transaction() as tx:
        for index, kind in enumerate(kinds):
            for user in ("UEN", "UFR"):
                tx.enqueue(
                    key=f"test:{kind}:{user}:{index}",
                    triage_id="",
                    kind=kind,
                    platform="slack",
                    recipient=user,
                    payload={"text": {"fr": f"Bonjour {kind}", "en": f"Hello {kind}"}},
                )
    await drain(slack, app)  # the server's own notifier may take some: both count
    await slack.stub.wait_for(lambda calls: len(slack.posted("UEN") + slack.posted("UFR")) == 8)
    english = [c.params["text"] for c in slack.posted("UEN")]
    french = [c.params["text"] for c in slack.posted("UFR")]
    assert english == [*(f"Hello {k}" for k in kinds[:3]), "Bonjour something_new"]
    assert french == [f"Bonjour {k}" for k in kinds]
