"""Slack's modals are the kit's forms (`adapters.chat.forms`), read back by the kit: what a
modal did not offer, or a value of another shape than Slack's, is refused in the modal
itself, by field, before anything reaches the engine."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack.refs import (
    OUTCOME_ACTION,
    OUTCOME_BLOCK,
    REVIEW_OVERRIDE,
    TEXT_ACTION,
    TEXT_BLOCK,
)
from bot.app import App
from tests.adapters.slack.harness import AGENT, APP_ID, Reply, Slack
from tests.adapters.slack.stub import TEAM
from tests.adapters.slack.test_delivery import started
from tests.adapters.slack.test_home_and_reviews import (  # noqa: F401
    FLAGGED,
    REVIEWER,
    settings,
)
from tests.adapters.slack.test_reviews_workflow import drain
from tests.adapters.slack.test_triage import answers_of, run_triage, triage_ids

pytestmark = pytest.mark.asyncio


async def submit_state(
    slack: Slack, view: dict[str, Any], values: dict[str, Any], user: str = REVIEWER
) -> Reply:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "nantes-metropole"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": APP_ID,
        "trigger_id": "trigger.override",
        "view": {**view, "id": "VOVERRIDE1", "team_id": TEAM, "state": {"values": values}},
    }
    return await slack.interact(payload)


async def test_an_orientation_the_modal_did_not_offer_is_refused_in_the_modal(
    slack: Slack, app: App
) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    await drain(slack, app)
    (review,) = slack.posted(REVIEWER)
    await slack.click(review, REVIEW_OVERRIDE, user=REVIEWER)
    await slack.settled()
    view = slack.stub.to("views.open")[-1].params["view"]
    comment = {TEXT_BLOCK: {TEXT_ACTION: {"type": "plain_text_input", "value": "Parce que."}}}
    forged = {"type": "static_select", "selected_option": {"value": "approved_by_me"}}
    reply = await submit_state(slack, view, {**comment, OUTCOME_BLOCK: {OUTCOME_ACTION: forged}})
    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"] == {OUTCOME_BLOCK: "Choisissez une des réponses proposées."}
    shapeless = {"type": "plain_text_input", "value": ["Parce que."]}
    reply = await submit_state(slack, view, {TEXT_BLOCK: {TEXT_ACTION: shapeless}})
    assert set(reply.json["errors"]) == {OUTCOME_BLOCK, TEXT_BLOCK}
    await slack.settled()
    with app.store.reading() as tx:
        kinds = [e["kind"] for e in tx.audit_trail(triage_id)]
    assert "review_decided" not in kinds and "review_refused" not in kinds


async def test_a_text_answer_of_another_shape_is_a_field_error_not_its_text(
    slack: Slack, app: App
) -> None:
    await started(slack)
    await slack.click(slack.questions()[-1], "open_text")
    await slack.settled()
    modal = slack.stub.to("views.open")[-1].params["view"]
    (triage_id,) = triage_ids(app)
    listed = {"type": "plain_text_input", "value": ["une", "liste"]}
    reply = await submit_state(slack, modal, {TEXT_BLOCK: {TEXT_ACTION: listed}}, AGENT)
    assert reply.json == {
        "response_action": "errors",
        "errors": {TEXT_BLOCK: "Cette valeur n'a pas pu être lue ; remplissez le champ à nouveau."},
    }
    await slack.settled()
    assert answers_of(app, triage_id) == {}
