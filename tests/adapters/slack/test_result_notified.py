"""The Slack result says who was told of a flagged triage, right under the orientation."""

from __future__ import annotations

from adapters.slack.results import result_message
from bot.app import App
from tests.bot.journeys import answer_all
from tests.cases import load_cases

FLAGGED = dict(load_cases(valid=True))["24-c4-staff-monitoring"]["answers"]


def test_the_result_message_warns_that_nobody_could_be_told(app: App) -> None:
    _, shown = answer_all(app, FLAGGED)
    blocks = result_message(shown.result, "fr")["blocks"]
    notified = next(b for b in blocks if b.get("block_id") == "notified")
    assert notified["text"]["text"].startswith(":warning: Personne n'a pu être prévenu")
