"""A triage whose row was changed outside Boussole, met in Slack. Before, a typed `liste`
that met it was only logged: the person was answered nothing at all. Now the triage is
named, with what the administrators can do, as in Teams and Matrix."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update

from bot.app import App
from storage.models import Triage
from tests.adapters.slack.harness import AGENT, Slack, answer
from tests.adapters.slack.test_home_and_reviews import home_opened
from tests.adapters.slack.test_triage import triage_ids
from tests.security.restart import as_if_restarted


async def damaged_triage(slack: Slack, app: App) -> str:
    """A triage begun in Slack, then given a status of someone else's by SQL."""
    await slack.command("")
    await slack.settled()
    await answer(slack, slack.questions()[-1], "Cantines")
    (triage_id,) = triage_ids(app)
    with app.store.transaction() as tx:
        tx.connection.execute(
            update(Triage.__table__).where(Triage.__table__.c.id == triage_id).values(status="x")
        )
    as_if_restarted(app)
    return triage_id


@pytest.mark.asyncio
async def test_a_triage_changed_outside_boussole_is_named_in_slack(slack: Slack, app: App) -> None:
    triage_id = await damaged_triage(slack, app)
    for typed in ("liste", f"reprendre {triage_id}"):
        before = len(slack.posted())
        await slack.direct_message(typed)
        await slack.settled()
        said = json.dumps([c.params for c in slack.posted()[before:]], ensure_ascii=False)
        said += json.dumps([c.params for c in slack.ephemerals()], ensure_ascii=False)
        assert f"L'analyse {triage_id} ne peut pas être lue" in said, typed


@pytest.mark.asyncio
async def test_the_app_home_names_a_triage_changed_outside_boussole(slack: Slack, app: App) -> None:
    """Before, the tab was not published at all: the person kept the tab as it was, with no
    word of why it no longer changed."""
    triage_id = await damaged_triage(slack, app)
    shown = json.dumps(await home_opened(slack, AGENT), ensure_ascii=False)
    assert f"L'analyse {triage_id} ne peut pas être lue" in shown
    assert "Nouvelle analyse" in shown
