"""The engine says what a turn came to (done, duplicate, conflict, refused) and which triage
it concerned, so that adapters never infer it from the effects; an event missing what it
means nothing without cannot be made."""

from __future__ import annotations

import pytest

from bot import effects as fx
from bot import events as ev
from bot.app import App
from storage.repository import Transaction
from tests.bot.journeys import AGENT, answer_all, start
from tests.cases import load_cases

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


def test_a_start_is_done_and_names_the_triage_it_made(app: App) -> None:
    turn = app.engine.turn(ev.StartTriage(AGENT, "fr", "start-1"))
    assert turn.status == fx.DONE
    (ask,) = [e for e in turn.effects if isinstance(e, fx.Ask)]
    assert turn.triage_id == ask.question.triage_id != ""


def test_a_retry_is_a_duplicate_and_a_stale_answer_refused(app: App) -> None:
    triage_id = start(app).question.triage_id
    answer = ev.Answer(AGENT, "fr", "k-1", triage_id=triage_id, question_id="P1", value="Cantines")
    assert app.engine.turn(answer).status == fx.DONE
    again = app.engine.turn(answer)
    assert (again.status, again.triage_id) == (fx.DUPLICATE, triage_id)
    stale = ev.Answer(AGENT, "fr", "k-2", triage_id=triage_id, question_id="P1", value="Autre")
    refused = app.engine.turn(stale)
    assert (refused.status, refused.triage_id) == (fx.REFUSED, triage_id)
    assert "stale_question" in fx.codes(refused.effects)


def test_a_triage_changed_by_another_turn_meanwhile_is_a_conflict(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another instance's turn commits between this turn's read and its write."""
    triage_id = start(app).question.triage_id
    monkeypatch.setattr(Transaction, "update_triage", lambda *args, **kwargs: False)
    turn = app.engine.turn(
        ev.Answer(AGENT, "fr", "k-3", triage_id=triage_id, question_id="P1", value="Cantines")
    )
    assert (turn.status, turn.triage_id) == (fx.CONFLICT, triage_id)
    assert fx.codes(turn.effects) == {"concurrent_update"}
    monkeypatch.undo()
    with app.store.reading() as tx:
        assert tx.answers(triage_id) == {}


def test_a_retriage_names_the_new_triage(app: App) -> None:
    triage_id, _ = answer_all(app, SCHOOL_MEALS)
    turn = app.engine.turn(ev.ChangeAnswers(AGENT, "fr", triage_id=triage_id, reask=("C5-Q3",)))
    assert turn.status == fx.DONE and turn.triage_id not in ("", triage_id)


@pytest.mark.parametrize(
    ("make", "missing"),
    [
        (lambda: ev.Answer(AGENT), "triage_id, question_id"),
        (lambda: ev.Answer(AGENT, "fr", triage_id="abc"), "question_id"),
        (lambda: ev.Back(AGENT), "triage_id"),
        (lambda: ev.Why(AGENT), "triage_id"),
        (lambda: ev.Cancel(AGENT, "fr", "k", ""), "triage_id"),
        (lambda: ev.Resume(AGENT), "triage_id"),
        (lambda: ev.ReviewAction(AGENT, triage_id="abc"), "action"),
        (lambda: ev.AgentReply(AGENT), "triage_id"),
        (lambda: ev.ChangeAnswers(AGENT), "triage_id"),
    ],
)
def test_an_event_without_what_it_means_nothing_without_cannot_be_made(
    make: object, missing: str
) -> None:
    with pytest.raises(ValueError, match=f"without {missing}$"):
        make()  # type: ignore[operator]


def test_a_stranger_s_review_is_refused_and_only_its_attempt_is_audited(app: App) -> None:
    triage_id, _ = answer_all(
        app, dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"]
    )
    with app.store.reading() as tx:
        before = len(tx.audit_trail(triage_id))
    stranger = ev.Actor("slack", "USTRANGER")
    turn = app.engine.turn(ev.ReviewAction(stranger, "en", triage_id=triage_id, action="confirm"))
    assert (turn.status, fx.codes(turn.effects)) == (fx.REFUSED, {"review_not_reviewer"})
    with app.store.reading() as tx:
        assert [e["kind"] for e in tx.audit_trail(triage_id)[before:]] == ["review_refused"]
        review = tx.review(triage_id)
        assert review is not None and review.decision is None
