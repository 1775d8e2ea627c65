"""Re-triage from Slack: "Refaire l'analyse" on a result, a form of the answers given, and
only the questions ticked (and those their new answers open) asked again in the DM."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from adapters.slack.refs import RETRIAGE, RETRIAGE_PICK
from bot.app import App
from tests.adapters.slack.harness import (
    AGENT,
    APP_ID,
    TEAM,
    Reply,
    Slack,
    answer,
    block_by_id,
    find_element,
    question_of,
)
from tests.adapters.slack.test_triage import SCHOOL_MEALS, is_result, run_triage, triage_ids

pytestmark = pytest.mark.asyncio
_views = itertools.count(1)
OTHER = "UOTHER01"


async def submit_form(
    slack: Slack, form: dict[str, Any], ticked: list[str], user: str = AGENT
) -> Reply:
    """Submit the re-triage form as Slack does, with `ticked` questions checked."""
    values: dict[str, Any] = {}
    for block in form["blocks"]:
        element = block.get("element") or {}
        if element.get("action_id") != RETRIAGE_PICK:
            continue
        chosen = [o for o in element["options"] if o["value"] in ticked]
        values[block["block_id"]] = {
            RETRIAGE_PICK: {"type": "checkboxes", "selected_options": chosen}
        }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "nantes-metropole"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": APP_ID,
        "view": {**form, "id": f"VRETRIAGE{next(_views)}", "state": {"values": values}},
    }
    return await slack.interact(payload)


async def open_form(slack: Slack, result: Any, user: str = AGENT) -> dict[str, Any]:
    opened = len(slack.stub.to("views.open"))
    await slack.click(result, RETRIAGE, user)
    await slack.settled()
    views = slack.stub.to("views.open")
    assert len(views) == opened + 1
    return views[-1].params["view"]


def options_of(form: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        option
        for block in form["blocks"]
        if (block.get("element") or {}).get("action_id") == RETRIAGE_PICK
        for option in block["element"]["options"]
    ]


async def test_retriage_asks_only_the_questions_ticked_with_their_previous_answers(
    slack: Slack, app: App
) -> None:
    result = await run_triage(slack, SCHOOL_MEALS)
    (first_id,) = triage_ids(app)
    form = await open_form(slack, result)
    shown = json.dumps(form, ensure_ascii=False)
    assert "Refaire l'analyse" in shown and first_id in shown
    options = options_of(form)
    assert [o["value"] for o in options] == list(SCHOOL_MEALS)
    hosting = next(o for o in options if o["value"] == "C2-Q5")
    assert hosting["text"]["text"] == "Où le système est-il hébergé et exécuté ?"
    assert "C2-Q5" not in hosting["text"]["text"] + hosting["description"]["text"]

    asked_before = len(slack.questions())
    reply = await submit_form(slack, form, ["C5-Q3", "C6-Q2"])
    assert reply.status == 200 and reply.body == ""
    await slack.settled()
    again = slack.questions()[asked_before:]
    assert [question_of(q) for q in again] == ["C5-Q3"]
    assert "Réponse précédente" in json.dumps(again[0].blocks, ensure_ascii=False)
    await answer(slack, again[0], "oui")
    following = slack.questions()[-1]
    assert question_of(following) == "C6-Q2"
    await answer(slack, following, "non")
    assert len(slack.questions()) == asked_before + 2

    last = slack.posted()[-1]
    assert is_result(last)
    changes = block_by_id(last.blocks, "changes")
    assert changes is not None and "C6-R2" in changes["text"]["text"]
    assert find_element(last.blocks, RETRIAGE)[1]["value"] != first_id
    (second,) = [i for i in triage_ids(app) if i != first_id]
    with app.store.reading() as tx:
        assert tx.triage(first_id).status == "completed"
        assert tx.triage(first_id).outcome == "light_track"
        assert tx.triage(second).revises == first_id
        assert tx.triage(second).outcome == "full_review"


async def test_the_form_in_english_and_nothing_ticked_is_refused_on_the_form(
    slack: Slack, app: App
) -> None:
    slack.stub.locales[AGENT] = "en-GB"
    result = await run_triage(slack, SCHOOL_MEALS)
    form = await open_form(slack, result)
    assert form["title"]["text"] == "Re-triage"
    hosting = next(o for o in options_of(form) if o["value"] == "C2-Q5")
    assert hosting["text"]["text"] == "Where is the system hosted and run?"
    reply = await submit_form(slack, form, [])
    assert reply.json["response_action"] == "errors"
    assert list(reply.json["errors"].values()) == ["Tick at least one answer to change."]
    await slack.settled()
    assert len(triage_ids(app)) == 1


async def test_someone_else_clicking_the_button_gets_no_form_and_no_triage(
    slack: Slack, app: App
) -> None:
    result = await run_triage(slack, SCHOOL_MEALS)
    opened = len(slack.stub.to("views.open"))
    await slack.click(result, RETRIAGE, OTHER)
    await slack.settled()
    assert len(slack.stub.to("views.open")) == opened
    (refused,) = slack.ephemerals(OTHER)
    assert "commencée par une autre personne" in refused.params["text"]
    assert len(triage_ids(app)) == 1
