"""When one reviewer decides, another reviewer's Teams card shows the decision in place of its
buttons (update_activity of the card where it was posted), even a card still on its way."""

from __future__ import annotations

import pytest

from adapters.teams.platform import TeamsPlatform
from bot import events as ev
from bot.app import App
from tests.adapters.teams.client import REVIEWER, TeamsClient, texts
from tests.adapters.teams.schema15 import problems
from tests.adapters.teams.test_proactive import _flagged_triage
from tests.adapters.teams.test_reviews import _deliver, _review_card

SLACK_REVIEWER = ev.Actor("slack", "U0REVIEW")
"""The other reviewer of `education` in the Teams tests' directory."""


def confirm(app: App, triage_id: str) -> None:
    app.engine.handle(ev.ReviewAction(SLACK_REVIEWER, "fr", triage_id=triage_id, action="confirm"))


@pytest.mark.asyncio
async def test_the_card_loses_its_buttons_once_another_reviewer_decides(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    review_call, card = await _review_card(teams, teams_app, platform, triage_id)
    assert "review_confirm" in texts(card)

    confirm(teams_app, triage_id)
    (update,) = [c for c in await _deliver(teams, teams_app, platform) if c.method == "PUT"]
    assert update.activity_id == review_call.returned_id and update.card is not None
    assert problems(update.card) == []
    assert "Décision enregistrée" in texts(update.card)
    assert "Orientation confirmée" in texts(update.card)
    assert "review_confirm" not in texts(update.card)


@pytest.mark.asyncio
async def test_a_card_still_on_its_way_goes_out_decided(
    teams: TeamsClient, teams_app: App, platform: TeamsPlatform
) -> None:
    await teams.say("aide", user=REVIEWER)
    triage_id = _flagged_triage(teams_app)
    confirm(teams_app, triage_id)
    calls = await _deliver(teams, teams_app, platform)
    reviewer = teams.conversation(REVIEWER)
    (card,) = [c.card for c in calls if c.method == "POST" and c.conversation_id == reviewer]
    assert card is not None
    assert "Décision enregistrée" in texts(card) and "review_confirm" not in texts(card)
