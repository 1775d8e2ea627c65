"""Re-triage: change answers of a finished triage and see what changed."""

from __future__ import annotations

from bot import effects as fx
from bot import events as ev
from bot.app import App
from tests.bot.journeys import AGENT, answer_all, only
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
SCHOOL_MEALS = VALID["01-school-meals-grid-example"]["answers"]


def change(app: App, triage_id: str, **answers: object) -> list[fx.Effect]:
    return app.engine.handle(ev.ChangeAnswers(AGENT, "fr", triage_id=triage_id, answers=answers))


def test_changing_an_answer_gives_the_new_result_with_the_differences(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    shown = only(change(app, triage_id, **{"C5-Q3": "oui", "C6-Q2": "non"}), fx.Show)
    assert shown.result.outcome == "full_review"
    assert shown.result.changes.outcome_before == "light_track"
    assert shown.result.changes.rules_gained == ("C6-R2",)
    assert shown.result.changes.rules_lost == ("C5-R3",)
    with app.store.reading() as tx:
        assert app.engine.result(tx, triage_id, "fr").changes.rules_gained == ("C6-R2",)


def test_a_change_that_opens_questions_asks_them_then_completes(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    effects = change(app, triage_id, DI1="oui")
    ask = only(effects, fx.Ask)
    assert ask.question.question_id == "DI2"
    answers = {
        "DI2": "agent_decide",
        "DI3": "identifiee",
        "DI3T": "Code de l'éducation",
        "DI4": "oui",
        "DI5": "non",
    }
    while True:
        question = ask.question.question_id
        effects = app.engine.handle(
            ev.Answer(
                AGENT, "fr", triage_id=triage_id, question_id=question, value=answers[question]
            )
        )
        shown = [e for e in effects if isinstance(e, fx.Show)]
        if shown:
            break
        ask = only(effects, fx.Ask)
    result = shown[0].result
    assert "DI-R4" in [r.id for r in result.rules]
    assert result.changes.outcome_before == "light_track"
    assert result.answers["C7-Q4"] == SCHOOL_MEALS["C7-Q4"]


def test_answers_the_new_path_no_longer_asks_are_dropped(app: App) -> None:
    answers = dict(SCHOOL_MEALS, **{"C3-Q4": "oui", "C3-Q5": "non"})
    triage_id, _ = answer_all(app, answers)
    only(change(app, triage_id, **{"C3-Q4": "non"}), fx.Show)
    with app.store.reading() as tx:
        assert "C3-Q5" not in tx.answers(triage_id)


def test_invalid_changes_are_named_and_nothing_changes(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    error = only(change(app, triage_id, **{"C4-Q5": 9, "NOPE": "x"}), fx.Error)
    assert "C4-Q5:" in error.text and "NOPE:" in error.text
    with app.store.reading() as tx:
        assert tx.answers(triage_id)["C4-Q5"] == 4
