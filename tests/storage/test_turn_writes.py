"""A turn's inserts ride with its next statement on PostgreSQL (storage.base._write): fewer
round trips, and nothing else may change, neither what a statement sees, nor which error a
duplicate or a stale revision gets."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.views import QuestionView
from storage.base import Repository
from storage.repository import DuplicateEvent
from tests.conftest import REPO

CASE = REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml"
ANSWERS: dict[str, Any] = YAML(typ="safe", pure=True).load(CASE.read_text("utf-8"))["answers"]
AGENT = ev.Actor("slack", "UWRITES")


def _start(app: App) -> QuestionView:
    effects = app.engine.handle(ev.StartTriage(AGENT, "fr", key="start"))
    return next(e for e in effects if isinstance(e, fx.Ask)).question


def _answer(app: App, ask: QuestionView, key: str) -> list[fx.Effect]:
    event = ev.Answer(
        AGENT,
        "fr",
        key=key,
        triage_id=ask.triage_id,
        question_id=ask.question_id,
        value=ANSWERS[ask.question_id],
    )
    return app.engine.handle(event)


def test_an_answer_takes_two_statements_on_postgresql(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The triage's read, then the conditional UPDATE carrying the claim, the answer and its
    audit row, with no BEGIN or COMMIT around them; on SQLite, where a statement costs no round
    trip, each goes alone in a transaction. (The second answer: the first also reads the
    answers, which are cached from then on.)"""
    first = _answer(app, _start(app), "first")
    ask = next(e for e in first if isinstance(e, fx.Ask)).question
    sent: list[str] = []
    execute = Repository._execute

    def counted(self: Repository, template: str, params: dict[str, Any]) -> Any:
        sent.append(template)
        return execute(self, template, params)

    monkeypatch.setattr(Repository, "_execute", counted)
    effects = _answer(app, ask, "second")
    assert any(isinstance(e, fx.Ask) for e in effects)
    if app.store.engine.dialect.name == "postgresql":
        assert len(sent) == 2
        assert "BEGIN" not in sent
    else:
        assert len(sent) == 5
    assert_recorded(app, ask.triage_id, 2)


def assert_recorded(app: App, triage_id: str, answers: int) -> None:
    with app.store.reading() as tx:
        assert len(tx.answers(triage_id)) == answers
        trail = tx.audit_trail(triage_id)
        assert [row["seq"] for row in trail] == list(range(1, answers + 2))
        state = tx.triage_state(triage_id)
        assert state is not None and state.revision == answers + 1


def test_a_replayed_answer_is_a_duplicate_not_a_stale_question(app: App) -> None:
    """The replay's claim is only sent with the triage's read, yet it still fails first."""
    ask = _start(app)
    _answer(app, ask, "once")
    result = app.engine.turn(
        ev.Answer(
            AGENT,
            "fr",
            key="once",
            triage_id=ask.triage_id,
            question_id=ask.question_id,
            value=ANSWERS[ask.question_id],
        )
    )
    assert result.status == fx.DUPLICATE


def test_a_duplicate_is_told_before_a_refusal_raised_ahead_of_any_statement(app: App) -> None:
    with app.store.transaction() as tx:
        tx.claim_event("slack", "replayed")
    with pytest.raises(DuplicateEvent), app.store.transaction() as tx:
        tx.claim_event("slack", "replayed")
        raise ValueError("refused before the claim was sent")


def test_a_statement_through_sqlalchemy_sees_the_inserts_deferred_before_it(app: App) -> None:
    with app.store.transaction() as tx:
        tx.claim_event("slack", "seen")
        assert tx.claimed("slack", "seen")


@pytest.mark.parametrize("last", [False, True])
def test_a_stale_revision_still_writes_nothing(app: App, last: bool) -> None:
    """The UPDATE that carries the answer and audit inserts reports its own row count."""
    ask = _start(app)
    with app.store.transaction() as tx:
        state = tx.triage_state(ask.triage_id)
        assert state is not None
    with pytest.raises(RuntimeError), app.store.transaction() as tx:
        tx.claim_event("slack", "stale")
        tx.add_answer(ask.triage_id, ask.question_id, 0, "x")
        tx.append_audit(ask.triage_id, "answer", "agent", {"question": ask.question_id})
        assert not tx.update_triage(ask.triage_id, state.revision + 7, last, current_question="P2")
        raise RuntimeError("the engine rolls back a conflict")
    with app.store.reading() as tx:
        assert tx.answers(ask.triage_id) == {}
        assert len(tx.audit_trail(ask.triage_id)) == 1
        assert not tx.claimed("slack", "stale")


def test_a_duplicate_fails_the_last_write_before_a_stale_revision(app: App) -> None:
    ask = _start(app)
    with app.store.transaction() as tx:
        tx.claim_event("slack", "twice")
    with app.store.reading() as tx:
        state = tx.triage_state(ask.triage_id)
        assert state is not None
    with pytest.raises(DuplicateEvent), app.store.transaction() as tx:
        tx.claim_event("slack", "twice")
        tx.add_answer(ask.triage_id, ask.question_id, 0, "x")
        tx.update_triage(ask.triage_id, state.revision + 7, True, current_question="P2")
    with app.store.reading() as tx:
        assert tx.answers(ask.triage_id) == {}


def test_nothing_writes_after_the_last_write(app: App) -> None:
    """Once the turn's one write went alone, a second would not be atomic with it."""
    ask = _start(app)
    with app.store.reading() as tx:
        state = tx.triage_state(ask.triage_id)
        assert state is not None
    with app.store.transaction() as tx:
        assert tx.update_triage(ask.triage_id, state.revision, True, current_question="P2")
        if app.store.engine.dialect.name == "postgresql":
            with pytest.raises(RuntimeError):
                tx.claim_event("slack", "after")
                tx.flush_writes()


def test_rows_of_one_table_get_their_ids_in_the_order_they_were_written(app: App) -> None:
    """The audit log is ordered by id within a chain; a statement's WITH queries run in no
    set order, so two rows of one table never share a statement."""
    ask = _start(app)
    with app.store.transaction() as tx:
        for n in range(4):
            tx.append_audit(ask.triage_id, "note", "agent", {"n": n})
    with app.store.reading() as tx:
        trail = tx.audit_trail(ask.triage_id)
    ids = [row["id"] for row in trail]
    assert [row["seq"] for row in trail] == [1, 2, 3, 4, 5]
    assert ids == sorted(ids)


def test_a_read_sees_the_rows_written_before_it(app: App) -> None:
    """A statement's WITH queries write nothing its main query sees: an insert deferred into
    a table a read reads is sent before the read."""
    ask = _start(app)
    with app.store.transaction() as tx:
        tx.add_answer(ask.triage_id, ask.question_id, 0, "x")
        tx.append_audit(ask.triage_id, "note", "agent", {})
        assert tx.answers(ask.triage_id) == {ask.question_id: "x"}
        tx.triage_state(ask.triage_id)
        tx.append_audit(ask.triage_id, "note", "agent", {})
    with app.store.reading() as tx:
        assert [row["seq"] for row in tx.audit_trail(ask.triage_id)] == [1, 2, 3]


def test_a_reading_sees_one_snapshot_while_turns_commit(app: App) -> None:
    """A turn committed between two reads of one `reading` is not half seen: the triage's
    revision and its answers agree (at READ COMMITTED the answers read after the turn
    included its answer while the state read before it did not)."""
    ask = _start(app)
    with app.store.reading() as tx:
        before = tx.triage_state(ask.triage_id)
        assert before is not None
        _answer(app, ask, "seen-once")
        answers = tx.answers(ask.triage_id)
    assert before.revision == 1 + len(answers)
    with app.store.reading() as tx:
        assert len(tx.answers(ask.triage_id)) == 1
