"""Re-triage: a new triage linked to the finished one it re-does, which stays whole."""

from __future__ import annotations

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.exports import register_row
from bot.publishing import publish, simulate
from bot.report_facts import report_header
from flows.loader import load_source
from tests.bot.journeys import AGENT, answer_all, only
from tests.bot.test_publishing import ALICE, with_documented_example
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))
SCHOOL_MEALS = VALID["01-school-meals-grid-example"]["answers"]


def change(app: App, triage_id: str, **answers: object) -> list[fx.Effect]:
    return app.engine.handle(ev.ChangeAnswers(AGENT, "fr", triage_id=triage_id, answers=answers))


def answer_until_result(app: App, ask: fx.Ask, answers: dict[str, object]) -> fx.Show:
    return asked_until_result(app, ask, answers)[1]


def assert_untouched(app: App, triage_id: str) -> None:
    """The re-done triage is still finished, with its own answers and result, no changes."""
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record is not None and record.status == "completed"
        assert record.outcome == "light_track"
        assert tx.answers(triage_id) == SCHOOL_MEALS
        result = app.engine.result(tx, triage_id, "fr")
    assert result.outcome == "light_track" and result.changes is None


def test_changing_an_answer_gives_a_new_linked_triage_with_the_differences(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    effects = change(app, triage_id, **{"C5-Q3": "oui", "C6-Q2": "non"})
    shown = only(effects, fx.Show)
    new_id = shown.result.triage_id
    assert new_id != triage_id
    assert triage_id in effects[0].text and new_id in effects[0].text
    assert shown.result.outcome == "full_review"
    assert shown.result.changes.outcome_before == "light_track"
    assert shown.result.changes.rules_gained == ("C6-R2",)
    assert shown.result.changes.rules_lost == ("C5-R3",)
    assert_untouched(app, triage_id)
    with app.store.reading() as tx:
        assert app.engine.result(tx, new_id, "fr").changes.rules_gained == ("C6-R2",)
        assert tx.triage(new_id).revises == triage_id
        assert tx.revised_by(triage_id) == [new_id]
        assert tx.audit_trail(triage_id)[-1]["payload"] == {"by": new_id}


def test_an_interrupted_retriage_leaves_the_previous_result_whole_then_completes(
    app: App,
) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    ask = only(change(app, triage_id, DI1="oui"), fx.Ask)
    assert ask.question.question_id == "DI2" and ask.question.triage_id != triage_id
    assert_untouched(app, triage_id)
    with app.store.reading() as tx:
        assert tx.triage(ask.question.triage_id).status == "in_progress"
    answers = {
        "DI2": "agent_decide",
        "DI3": "identifiee",
        "DI3T": "Code de l'éducation",
        "DI4": "oui",
        "DI5": "non",
    }
    result = answer_until_result(app, ask, answers).result
    assert "DI-R4" in [r.id for r in result.rules]
    assert result.changes.outcome_before == "light_track"
    assert result.answers["C7-Q4"] == SCHOOL_MEALS["C7-Q4"]
    assert_untouched(app, triage_id)


def test_answers_the_new_path_no_longer_asks_are_dropped_from_the_new_triage(app: App) -> None:
    answers = dict(SCHOOL_MEALS, **{"C3-Q4": "oui", "C3-Q5": "non"})
    triage_id, _ = answer_all(app, answers)
    new_id = only(change(app, triage_id, **{"C3-Q4": "non"}), fx.Show).result.triage_id
    with app.store.reading() as tx:
        assert "C3-Q5" not in tx.answers(new_id)
        assert tx.answers(triage_id)["C3-Q5"] == "non"


def test_invalid_changes_are_named_and_nothing_is_created(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    error = only(change(app, triage_id, **{"C4-Q5": 9, "NOPE": "x"}), fx.Error)
    assert "C4-Q5:" in error.text and "NOPE:" in error.text
    assert_untouched(app, triage_id)
    with app.store.reading() as tx:
        assert tx.revised_by(triage_id) == []


def test_a_retriage_runs_on_the_latest_version_and_asks_its_new_questions(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    flow = load_source(with_documented_example().encode(), "grille.yaml")
    publish(app, flow, ALICE, "", simulate(app, flow, None), False, False, "fr")
    ask = only(change(app, triage_id, **{"C4-Q5": 2}), fx.Ask)
    assert ask.question.question_id == "C5-Q5" and ask.question.flow_version == 2
    result = answer_until_result(app, ask, {"C5-Q5": "oui"}).result
    assert result.flow_version == 2 and "C5-R4" in [c.id for c in result.conditions]
    assert result.changes.outcome_before == "light_track"
    assert_untouched(app, triage_id)


def test_both_reports_and_register_rows_name_the_other_triage(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    new_id = only(change(app, triage_id, **{"C5-Q3": "oui"}), fx.Show).result.triage_id
    with app.store.reading() as tx:
        headers = {
            i: report_header(
                app.engine.result(tx, i, "fr"), tx.triage(i), None, tx.revised_by(i)
            ).rows("fr")
            for i in (triage_id, new_id)
        }
        rows = {
            i: register_row(
                app.engine.result(tx, i, "fr"),
                tx.triage(i).created_at,
                tx.triage(i).completed_at,
                None,
                tx.triage(i).revises,
                tx.revised_by(i),
            ).values
            for i in (triage_id, new_id)
        }
    assert ("Refaite par", new_id) in headers[triage_id]
    assert ("Refait l'analyse", triage_id) in headers[new_id]
    assert rows[triage_id]["revised_by"] == new_id and rows[triage_id]["revises"] == ""
    assert rows[new_id]["revises"] == triage_id


def reask(app: App, triage_id: str, *questions: str, lang: str = "fr") -> list[fx.Effect]:
    return app.engine.handle(ev.ChangeAnswers(AGENT, lang, triage_id=triage_id, reask=questions))


def asked_until_result(
    app: App, ask: fx.Ask, answers: dict[str, object]
) -> tuple[list[tuple[str, object]], fx.Show]:
    """Each question asked with the previous answer it showed, then the result."""
    asked: list[tuple[str, object]] = []
    while True:
        question = ask.question
        asked.append((question.question_id, question.previous))
        effects = app.engine.handle(
            ev.Answer(
                AGENT,
                "fr",
                triage_id=question.triage_id,
                question_id=question.question_id,
                value=answers[question.question_id],
            )
        )
        shown = [e for e in effects if isinstance(e, fx.Show)]
        if shown:
            return asked, shown[0]
        ask = only(effects, fx.Ask)


def test_questions_chosen_in_chat_are_asked_again_with_the_previous_answer_and_only_them(
    app: App,
) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    effects = reask(app, triage_id, "C6-Q2", "C5-Q3")
    assert "2 questions choisies" in effects[1].text
    asked, shown = asked_until_result(app, only(effects, fx.Ask), {"C5-Q3": "oui", "C6-Q2": "non"})
    assert asked == [("C5-Q3", SCHOOL_MEALS["C5-Q3"]), ("C6-Q2", SCHOOL_MEALS["C6-Q2"])]
    assert shown.result.outcome == "full_review"
    assert shown.result.changes.rules_gained == ("C6-R2",)
    assert shown.result.changes.rules_lost == ("C5-R3",)
    assert_untouched(app, triage_id)


def test_a_question_asked_again_asks_the_questions_its_new_answer_opens(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    effects = reask(app, triage_id, "DI1")
    assert "la question choisie" in effects[1].text
    opened = {
        "DI1": "oui",
        "DI2": "agent_decide",
        "DI3": "identifiee",
        "DI3T": "Code de l'éducation",
        "DI4": "oui",
        "DI5": "non",
    }
    asked, shown = asked_until_result(app, only(effects, fx.Ask), opened)
    assert [q for q, _ in asked] == list(opened)
    assert asked[0][1] == SCHOOL_MEALS["DI1"]
    assert all(previous is None for _, previous in asked[1:])
    assert "DI-R4" in [r.id for r in shown.result.rules]
    assert shown.result.answers["C7-Q4"] == SCHOOL_MEALS["C7-Q4"]


def test_resuming_a_chat_retriage_shows_the_previous_answer_again(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    new_id = only(reask(app, triage_id, "C5-Q3"), fx.Ask).question.triage_id
    resumed = only(app.engine.handle(ev.Resume(AGENT, "fr", triage_id=new_id)), fx.Ask)
    assert (resumed.question.question_id, resumed.question.previous) == (
        "C5-Q3",
        SCHOOL_MEALS["C5-Q3"],
    )


def test_asking_again_an_unknown_question_or_nothing_is_refused_and_creates_nothing(
    app: App,
) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    unknown = only(reask(app, triage_id, "C5-Q3", "NOPE", lang="en"), fx.Error)
    assert "NOPE:" in unknown.text and "C5-Q3" not in unknown.text
    nothing = only(reask(app, triage_id, lang="en"), fx.Error)
    assert nothing.text == "No answer to change."
    assert_untouched(app, triage_id)
    with app.store.reading() as tx:
        assert tx.revised_by(triage_id) == []
