"""Re-triage from Teams: the author's result card holds "Refaire l'analyse", a form of the
answers given; only the questions ticked (and those their new answers open) are asked again."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.chat.clicks import RETRIAGE_PREFIX, read_submit
from bot.app import App
from tests.adapters.teams.client import TeamsClient, inputs, run_triage, texts
from tests.cases import load_cases

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


def retriage_form(card: dict[str, Any]) -> dict[str, Any]:
    (form,) = [
        a["card"]
        for a in card.get("actions") or []
        if a["type"] == "Action.ShowCard"
        and any(
            b.get("data", {}).get("boussole") == "retriage" for b in a["card"].get("actions") or []
        )
    ]
    return form


def ticked(form: dict[str, Any], questions: list[str]) -> dict[str, Any]:
    """The submit's data as Teams sends it: every toggle of the form, "true" or "false"."""
    (submit,) = form["actions"]
    value = dict(submit["data"])
    for element in form["body"]:
        if element["type"] == "Input.Toggle":
            question = element["id"][len(RETRIAGE_PREFIX) :]
            value[element["id"]] = "true" if question in questions else "false"
    return value


@pytest.mark.asyncio
async def test_retriage_asks_the_ticked_questions_again_prefilled_and_keeps_the_rest(
    teams: TeamsClient, teams_app: App
) -> None:
    first_id, result, _ = await run_triage(teams, SCHOOL_MEALS)
    form = retriage_form(result)
    toggles = [e for e in form["body"] if e["type"] == "Input.Toggle"]
    assert [e["id"] for e in toggles] == [RETRIAGE_PREFIX + q for q in SCHOOL_MEALS]
    hosting = next(e for e in toggles if e["id"] == RETRIAGE_PREFIX + "C2-Q5")
    assert hosting["title"].startswith("Où le système est-il hébergé et exécuté ? → ")
    assert "cloud_" not in texts(form) and "Vos réponses · refaire l'analyse" in texts(result)

    call, _card = teams.connector.last_card()
    reply = await teams.click(call, ticked(form, ["C5-Q3", "C6-Q2"]))
    assert reply.status == 201, reply.body
    asked = reply.calls[-1].card
    assert asked is not None
    (field,) = inputs(asked)
    assert field["label"].startswith("L'impact environnemental")
    assert field["value"] == SCHOOL_MEALS["C5-Q3"]
    assert "Nouvelle analyse" in texts(asked) and first_id in texts(asked)

    call, card = teams.connector.last_card()
    data = next(a["data"] for a in card["actions"] if a["data"].get("boussole") == "answer")
    await teams.click(call, data, "oui")
    call, card = teams.connector.last_card()
    data = next(a["data"] for a in card["actions"] if a["data"].get("boussole") == "answer")
    assert data["question"] == "C6-Q2"
    await teams.click(call, data, "non")
    _call, last = teams.connector.last_card()
    assert not inputs(last) and "Changements" in texts(last) and "C6-R2" in texts(last)
    with teams_app.store.reading() as tx:
        assert tx.triage(first_id).status == "completed"
        assert tx.triage(first_id).outcome == "light_track"
        (second,) = tx.revised_by(first_id)
        assert tx.triage(second).outcome == "full_review"
        assert tx.answers(second)["C7-Q4"] == SCHOOL_MEALS["C7-Q4"]


@pytest.mark.asyncio
async def test_nothing_ticked_is_said_and_no_triage_is_made(
    teams: TeamsClient, teams_app: App
) -> None:
    first_id, result, _ = await run_triage(teams, SCHOOL_MEALS)
    call, _card = teams.connector.last_card()
    reply = await teams.click(call, ticked(retriage_form(result), []))
    assert reply.status == 201
    assert [c.text for c in reply.calls if c.text] == ["Cochez au moins une réponse à changer."]
    with teams_app.store.reading() as tx:
        assert tx.revised_by(first_id) == []


def test_only_toggles_of_the_form_set_to_true_are_read_as_questions_to_ask_again() -> None:
    value = {
        "boussole": "retriage",
        "triage": "abc",
        RETRIAGE_PREFIX + "C5-Q3": "true",
        RETRIAGE_PREFIX + "C6-Q2": "false",
        RETRIAGE_PREFIX + "C7-Q1": True,
        "C1-Q1": "true",
    }
    submit = read_submit(value)
    assert submit is not None and submit.reask == ("C5-Q3",)
    assert read_submit({**value, "boussole": "answer"}) is None
    assert read_submit({"boussole": "retriage", RETRIAGE_PREFIX + "C5-Q3": "true"}) is None
