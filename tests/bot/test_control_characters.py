"""A control character is refused in every channel's typed text, answers and review words
alike, with what to do; nothing is recorded (see
tests/adapters/console/test_typed_text_shown_as_typed.py for why)."""

from __future__ import annotations

from pathlib import Path

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.settings import Settings
from tests.bot.journeys import AGENT, only, open_with_reviewers, start
from tests.bot.register_journeys import LEAD, REVIEWERS, triage


def test_a_typed_answer_with_escape_is_refused_and_nothing_recorded(app: App) -> None:
    asked = start(app, AGENT, "en")
    question = asked.question
    effects = app.engine.handle(
        ev.Answer(
            AGENT,
            "en",
            triage_id=question.triage_id,
            question_id=question.question_id,
            value="Meals\x1b[2J",
        )
    )
    refused = only(effects, fx.Error)
    assert "invisible control character (U+001B)" in refused.text
    with app.store.reading() as tx:
        assert tx.answers(question.triage_id) == {}


def test_a_reviewer_question_with_escape_is_refused(settings: Settings, tmp_path: Path) -> None:
    app = open_with_reviewers(settings, tmp_path, REVIEWERS)
    try:
        triage_id = triage(app, "06-di-ia-auto-incompatible", "Tri des courriers")
        asked = ev.ReviewAction(
            LEAD, "fr", triage_id=triage_id, action="ask", comment="Pourquoi\x1b]52;c;ZXZpbA==\x07"
        )
        effects = app.engine.handle(asked)
        assert "caractère de contrôle invisible (U+001B)" in only(effects, fx.Error).text
        with app.store.reading() as tx:
            assert tx.review(triage_id).status != "asked"
    finally:
        app.close()
