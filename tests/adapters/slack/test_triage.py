"""Whole triages through Slack: slash command, clicks, selects, checkboxes and the text modal,
ending on the same result as the answer file gives the engine directly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.slack.refs import BACK, CANCEL, OPEN_TEXT, RESUME, WHY
from bot.answer_file import validate_answers
from bot.app import App
from bot.events import Actor
from tests.adapters.slack.harness import (
    AGENT,
    Slack,
    answer,
    block_by_id,
    find_element,
    question_of,
)
from tests.adapters.slack.stub import Call
from tests.cases import load_cases

pytestmark = pytest.mark.asyncio

CASES = dict(load_cases(valid=True))
SCHOOL_MEALS = CASES["01-school-meals-grid-example"]["answers"]


def reference(app: App, answers: dict[str, Any], lang: str) -> dict[str, Any]:
    """What `boussole triage --answers` records for the same answers."""
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    valid = validate_answers(published.flow, answers, app.engine.choices, lang, "case.yaml")
    view = app.engine.submit(Actor("console", "reference"), lang, published, valid.answers, ())
    return view.document()


def is_result(message: Call) -> bool:
    return block_by_id(message.blocks, "orientation") is not None


async def run_triage(slack: Slack, answers: dict[str, Any], user: str = AGENT) -> Call:
    await slack.command("", user)
    await slack.settled()
    while True:
        message = slack.posted(user)[-1]
        if is_result(message):
            return message
        await answer(slack, message, answers[question_of(message)], user)


def triage_ids(app: App, user: str = AGENT) -> list[str]:
    with app.store.reading() as tx:
        owner = tx.find_pseudonym("slack", user)
        return [r.id for r in tx.triages_of(owner)] if owner else []


def answers_of(app: App, triage_id: str) -> dict[str, Any]:
    with app.store.reading() as tx:
        return tx.answers(triage_id)


@pytest.mark.parametrize(
    "name",
    [
        "01-school-meals-grid-example",
        "06-di-ia-auto-incompatible",
        "13-c1-facial-identification",
        "34-three-multi-nsp-g-r2",
    ],
)
async def test_a_whole_triage_gives_the_answer_file_result(
    slack: Slack, app: App, name: str
) -> None:
    answers = CASES[name]["answers"]
    result = await run_triage(slack, answers)
    (triage_id,) = triage_ids(app)
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        document = app.engine.result(tx, triage_id, "fr").document()
    expected = reference(app, answers, "fr")
    assert record is not None and record.status == "completed"
    for field in ("outcome", "rules", "conditions", "blocking_points", "answers"):
        assert document[field] == expected[field], field
    shown = json.dumps(result.blocks, ensure_ascii=False)
    assert all(rule["id"] in shown for rule in expected["rules"])
    assert all(condition["id"] in shown for condition in expected["conditions"])
    assert triage_id in result.params["text"]
    # every answered question was frozen in place: its message updated, its inputs gone
    updates = slack.stub.to("chat.update")
    assert len(updates) == len(expected["answers"])
    assert all("actions" not in {b["type"] for b in u.blocks} for u in updates)
    assert all(u.blocks[0]["text"]["text"].startswith("✅") for u in updates)


async def test_a_triage_in_english_follows_the_slack_locale(slack: Slack, app: App) -> None:
    slack.stub.locales[AGENT] = "en-GB"
    result = await run_triage(slack, SCHOOL_MEALS)
    assert result.params["text"].startswith("Result of triage")
    first = slack.questions()[0]
    assert "Why?" in json.dumps(first.blocks)
    assert reference(app, SCHOOL_MEALS, "en")["outcome"] == "light_track"


async def test_progress_why_and_back(slack: Slack, app: App) -> None:
    await slack.command("")
    await slack.settled()
    for question in ("P1", "P2", "P3", "DI1"):
        message = slack.questions()[-1]
        assert question_of(message) == question
        await answer(slack, message, SCHOOL_MEALS[question])
    message = slack.questions()[-1]
    assert question_of(message) == "C1-Q1"
    progress = block_by_id(message.blocks, "progress")
    assert progress is not None
    assert progress["elements"][0]["text"] == "Critère 1/7 · question 5"

    await slack.click(message, WHY)
    await slack.settled()
    (why,) = slack.ephemerals()
    assert "Référence" in why.params["text"]
    (triage_id,) = triage_ids(app)
    assert list(answers_of(app, triage_id)) == ["P1", "P2", "P3", "DI1"]

    await slack.click(message, BACK)
    await slack.settled()
    stepped = slack.stub.to("chat.update")[-1]
    assert stepped.params["ts"] == slack.message_ts(message)
    assert "Retour" in stepped.params["text"]
    again = slack.questions()[-1]
    assert question_of(again) == "DI1"
    assert "Réponse précédente : Non" in json.dumps(again.blocks, ensure_ascii=False)
    assert list(answers_of(app, triage_id)) == ["P1", "P2", "P3"]
    await answer(slack, again, "oui")
    assert answers_of(app, triage_id)["DI1"] == "oui"
    assert question_of(slack.questions()[-1]) == "DI2"


async def test_back_to_a_text_question_fills_the_modal_with_the_previous_answer(
    slack: Slack,
) -> None:
    await slack.command("")
    await slack.settled()
    await answer(slack, slack.questions()[-1], "Prévision des repas")
    await slack.click(slack.questions()[-1], BACK)
    await slack.settled()
    again = slack.questions()[-1]
    assert question_of(again) == "P1"
    await slack.click(again, OPEN_TEXT)
    await slack.settled()
    modal = slack.stub.to("views.open")[-1].params["view"]
    assert modal["blocks"][-1]["element"]["initial_value"] == "Prévision des repas"


async def test_resume_posts_the_current_question_again(slack: Slack, app: App) -> None:
    await slack.command("")
    await slack.settled()
    await answer(slack, slack.questions()[-1], "Projet repris")
    (triage_id,) = triage_ids(app)
    await slack.command(f"reprendre {triage_id.upper()}")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P2"
    await slack.direct_message("reprendre")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P2"
    assert len(slack.questions()) == 4
    assert list(answers_of(app, triage_id)) == ["P1"]


async def test_resume_of_a_finished_triage_shows_its_result(slack: Slack, app: App) -> None:
    await run_triage(slack, SCHOOL_MEALS)
    (triage_id,) = triage_ids(app)
    await slack.command(f"resume {triage_id}")
    await slack.settled()
    assert is_result(slack.posted()[-1])


async def test_cancel_asks_for_confirmation_then_closes_the_triage(slack: Slack, app: App) -> None:
    await slack.command("")
    await slack.settled()
    message = slack.questions()[-1]
    _block, cancel = find_element(message.blocks, CANCEL)
    assert cancel["confirm"]["title"]["text"] == "Annuler cette analyse ?"
    await slack.click(message, CANCEL)
    await slack.settled()
    (triage_id,) = triage_ids(app)
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
    assert record is not None and record.status == "cancelled"
    replaced = slack.stub.to("chat.update")[-1]
    assert "annulée" in replaced.params["text"]
    # the App Home is refreshed with the cancelled triage, without a "Reprendre" button
    home = slack.stub.to("views.publish")[-1].params["view"]
    assert triage_id in json.dumps(home)
    with pytest.raises(AssertionError):
        find_element(home["blocks"], RESUME, triage_id)
