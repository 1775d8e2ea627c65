"""A triage whose row was changed outside Boussole, met in Teams: the person is told which
triage cannot be read and that the administrators have what they need, not "an internal
error occurred" (issue #12's bar for the database as a trust boundary)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.app import App
from storage.models import Triage
from tests.adapters.teams.client import TeamsClient, run_triage, texts
from tests.adapters.teams.connector_stub import Call
from tests.cases import load_cases
from tests.security.restart import as_if_restarted

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


def said(reply_calls: list[Call]) -> str:
    return " ".join(call.text or (texts(call.card) if call.card else "") for call in reply_calls)


@pytest.mark.asyncio
async def test_a_triage_changed_outside_boussole_is_named_in_teams(
    teams: TeamsClient, teams_app: App
) -> None:
    finished, _result, _replies = await run_triage(teams, SCHOOL_MEALS)
    with teams_app.store.transaction() as tx:
        tx.connection.execute(
            update(Triage.__table__).where(Triage.__table__.c.id == finished).values(status="x")
        )
    as_if_restarted(teams_app)
    for command in ("liste", f"reprendre {finished}"):
        words = said((await teams.say(command)).calls)
        assert f"L'analyse {finished} ne peut pas être lue" in words, words
        assert "boussole audit verify" in words and "erreur interne" not in words.lower()
