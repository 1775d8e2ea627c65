"""The reviewer's override modal is the kit's form (`adapters.chat.forms`): what it did not
offer, or a value of another shape than Slack's, is refused in the modal itself, by field,
before anything reaches the engine."""

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
from tests.adapters.slack.harness import APP_ID, Reply, Slack
from tests.adapters.slack.stub import TEAM
from tests.adapters.slack.test_home_and_reviews import (  # noqa: F401
    FLAGGED,
    REVIEWER,
    settings,
)
from tests.adapters.slack.test_reviews_workflow import drain
from tests.adapters.slack.test_triage import run_triage, triage_ids

pytestmark = pytest.mark.asyncio


async def submit_state(slack: Slack, view: dict[str, Any], values: dict[str, Any]) -> Reply:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "nantes-metropole"},
        "user": {"id": REVIEWER, "username": "reviewer", "team_id": TEAM},
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
