"""Publishing in the register from Teams: `registre ID` answers with the form as a card; its
Publish button sends the values, a mistake brings the form back with the problem next to its
field, and the publication is told."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.teams.register import INPUT_PREFIX
from bot.app import App
from bot.register_form import FIELDS
from storage import register as rows
from tests.adapters.teams.client import AGENT, TeamsClient, inputs, run_triage, submit_data, texts
from tests.adapters.teams.schema15 import problems
from tests.bot.register_journeys import details
from tests.cases import load_cases

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


def filled(card: dict[str, Any], **changes: str) -> dict[str, Any]:
    """The Publish button's data with every input as Teams sends it (text)."""
    document = details().document()
    value = dict(submit_data(card, "register_publish"))
    for field in FIELDS:
        given = document.get(field.name)
        given = given["fr"] if isinstance(given, dict) else given
        if field.name in changes:
            given = changes[field.name]
        if given:
            value[INPUT_PREFIX + field.name] = str(given)
    return value


@pytest.mark.asyncio
async def test_an_admin_publishes_from_the_card_and_a_mistake_brings_it_back(
    teams: TeamsClient, teams_app: App
) -> None:
    triage_id, _, _ = await run_triage(teams, SCHOOL_MEALS)
    refused = await teams.say(f"registre {triage_id}")
    assert "Seuls les responsables" in refused.calls[-1].text
    with teams_app.store.transaction() as tx:
        tx.add_admin(f"teams:{AGENT}")
    await teams.say(f"registre {triage_id}")
    call, card = teams.connector.last_card()
    assert problems(card) == []
    assert [e["id"] for e in inputs(card)] == [INPUT_PREFIX + f.name for f in FIELDS]

    wrong = await teams.click(call, filled(card, contact_email="Jean Dupont"))
    assert wrong.status == 201, wrong.body
    again = wrong.calls[-1].card
    assert again is not None and "pas une adresse électronique" in texts(again)
    with teams_app.store.reading() as tx:
        assert rows.history(tx) == []

    done = await teams.click(call, filled(card))
    assert done.status == 201, done.body
    assert f"Analyse {triage_id} publiée au registre" in done.calls[-1].text
    with teams_app.store.reading() as tx:
        (entry,) = rows.history(tx)
    assert entry.triage_id == triage_id and entry.details["domain"] == "education and science"
