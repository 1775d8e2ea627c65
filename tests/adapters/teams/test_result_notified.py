"""The Teams result card says who was told of a flagged triage, right under the orientation."""

from __future__ import annotations

import json

from adapters.teams.result_cards import result_card
from bot.app import App
from tests.bot.journeys import answer_all
from tests.cases import load_cases

FLAGGED = dict(load_cases(valid=True))["24-c4-staff-monitoring"]["answers"]


def test_the_result_card_warns_that_nobody_could_be_told(app: App) -> None:
    _, shown = answer_all(app, FLAGGED, lang="en")
    card = json.dumps(result_card(shown.result, "en"), ensure_ascii=False)
    assert "Nobody could be told: neither" in card
    assert '"color": "Attention"' in card


def test_a_long_answer_is_shortened_and_says_who_has_the_whole_report(app: App) -> None:
    """An agent in Teams cannot run `boussole report`: the card says who can."""
    _, shown = answer_all(app, {**FLAGGED, "P3": "Un projet. " * 100})
    card = json.dumps(result_card(shown.result, "fr", retriage=True), ensure_ascii=False)
    assert "(réponse abrégée ; le rapport complet est disponible auprès des administrateurs" in card
