"""A turn's inserts ride with its next statement on PostgreSQL (storage.base._write): fewer
round trips, and nothing else may change, neither what a statement sees, nor which error a
duplicate or a stale revision gets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from sqlalchemy import event, select, text
from sqlalchemy.exc import OperationalError

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.settings import Settings
from bot.views import QuestionView
from storage.base import Repository
from storage.outbox import OutboxRepository
from storage.repository import DuplicateEvent, triages
from tests.bot.journeys import open_with_reviewers
from tests.cases import load_cases
from tests.conftest import REPO

CASE = REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml"
ANSWERS: dict[str, Any] = YAML(typ="safe", pure=True).load(CASE.read_text("utf-8"))["answers"]
AGENT = ev.Actor("slack", "UWRITES")


@contextmanager
def _counting(app: App) -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile: the turns' own and SQLAlchemy's
    (BEGIN included; a COMMIT or ROLLBACK is the driver's, sent only inside a transaction)."""
    statements: list[str] = []
    execute = Repository._execute

    def counted(self: Repository, template: str, params: dict[str, Any]) -> Any:
        statements.append(template)
        return execute(self, template, params)

    def core(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Repository, "_execute", counted)
        event.listen(app.store.engine, "before_cursor_execute", core)
        try:
            yield statements
        finally:
            event.remove(app.store.engine, "before_cursor_execute", core)


@pytest.fixture
def sent(app: App) -> Iterator[list[str]]:
    with _counting(app) as statements:
        yield statements


def _postgres(app: App) -> bool:
    return app.store.engine.dialect.name == "postgresql"


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


def test_rows_of_one_table_get_their_ids_in_the_order_they_were_written(
    app: App, sent: list[str]
) -> None:
    """The audit log is ordered by id within a chain; a statement's WITH queries run in no
    set order, so a second row of a table is selected from the first's RETURNING."""
    ask = _start(app)
    sent.clear()
    with app.store.transaction() as tx:
        for n in range(4):
            tx.append_audit(ask.triage_id, "note", "agent", {"n": n})
    if app.store.engine.dialect.name == "postgresql":
        assert len(sent) == 2  # the chain's head, then the four rows
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


def test_a_start_takes_three_statements_on_postgresql(app: App, sent: list[str]) -> None:
    """The flow's latest version and the person's pseudonym, each read on its own, then the
    claim, the new person, the triage and its first audit row as one statement: no BEGIN, no
    COMMIT, and no read of a new triage's audit chain (it is empty)."""
    _start(app)  # the key digests' secret is read once per process
    sent.clear()
    effects = app.engine.handle(ev.StartTriage(ev.Actor("slack", "UNEW"), "fr", key="new"))
    ask = next(e for e in effects if isinstance(e, fx.Ask)).question
    if _postgres(app):
        assert len(sent) == 3, sent
        assert "BEGIN" not in sent
    assert_recorded(app, ask.triage_id, 0)
    replayed = app.engine.turn(ev.StartTriage(ev.Actor("slack", "UNEW"), "fr", key="new"))
    assert replayed.status == fx.DUPLICATE


FLAGGED = dict(dict(load_cases(valid=True))["24-c4-staff-monitoring"]["answers"], P2="education")


@pytest.fixture
def reviewed(settings: Settings, tmp_path: Path) -> Iterator[App]:
    """An app whose flagged triages go to two reviewers of the `education` department."""
    app = open_with_reviewers(settings, tmp_path, ["slack:UREV1", "teams:29:rev2"])
    yield app
    app.close()


def _flagged(app: App, actor: ev.Actor, last: str | None = None) -> list[QuestionView]:
    """A flagged triage answered to its result, or until question `last` is asked: the
    questions asked."""
    effects = app.engine.handle(ev.StartTriage(actor, "fr", key=f"{actor.user_id}-start"))
    asked = [next(e for e in effects if isinstance(e, fx.Ask)).question]
    while asked[-1].question_id != last:
        ask = asked[-1]
        event = ev.Answer(
            actor,
            "fr",
            key=f"{actor.user_id}-{len(asked)}",
            triage_id=ask.triage_id,
            question_id=ask.question_id,
            value=FLAGGED[ask.question_id],
        )
        following = [e for e in app.engine.handle(event) if isinstance(e, fx.Ask)]
        if not following:
            break
        asked.append(following[0].question)
    return asked


def _last_answer(app: App, ask: QuestionView, key: str) -> fx.TurnResult:
    event = ev.Answer(
        AGENT,
        "fr",
        key=key,
        triage_id=ask.triage_id,
        question_id=ask.question_id,
        value=FLAGGED[ask.question_id],
    )
    return app.engine.turn(event)


def test_a_flagged_result_takes_two_statements_on_postgresql(reviewed: App) -> None:
    """The last answer: the triage's read, then one statement with the claim, the answer, the
    result's, the routing's and the answer's audit rows, the review opened, one request per
    reviewer and the conditional UPDATE; the result says who was told as recorded."""
    app = reviewed
    last = _flagged(app, ev.Actor("slack", "UFIRST"))[-1].question_id
    ask = _flagged(app, AGENT, last)[-1]
    with _counting(app) as statements:
        result = _last_answer(app, ask, "last")
    assert result.status == fx.DONE
    if _postgres(app):
        assert len(statements) == 2, statements
        assert "BEGIN" not in statements
    shown = next(e for e in result.effects if isinstance(e, fx.Show)).result
    with app.store.reading() as tx:
        trail = tx.audit_trail(ask.triage_id)
        review = tx.review(ask.triage_id)
        requests = sorted((m.platform, m.recipient) for m in tx.outbox_messages(ask.triage_id))
        again = app.engine.result(tx, ask.triage_id, "fr")
    assert [row["kind"] for row in trail[-3:]] == ["answer", "result", "review_routed"]
    assert [row["seq"] for row in trail] == list(range(1, len(trail) + 1))
    assert [row["id"] for row in trail] == sorted(row["id"] for row in trail)
    assert review is not None and review.status == "pending" and review.revision == 1
    assert requests == [("slack", "UREV1"), ("teams", "29:rev2")]
    assert shown.notified == again.notified and shown.notified is not None
    assert shown.notified.count == 2
    assert _last_answer(app, ask, "last").status == fx.DUPLICATE


def test_a_last_answer_that_fails_midway_writes_nothing(
    reviewed: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review request that cannot be queued (its key taken) fails the whole turn: no answer,
    no audit row, no review, no result, and its key is not kept, so the retry goes through."""
    app = reviewed
    last = _flagged(app, ev.Actor("slack", "UFIRST"))[-1].question_id
    ask = _flagged(app, AGENT, last)[-1]
    with app.store.transaction() as tx:
        tx.enqueue("taken", ask.triage_id, "review_request", "slack", "UREV1", {})
    with app.store.reading() as tx:
        before = (tx.triage_state(ask.triage_id), tx.answers(ask.triage_id))
        trail = len(tx.audit_trail(ask.triage_id))
    queue = OutboxRepository.queue_notice
    monkeypatch.setattr(
        OutboxRepository,
        "queue_notice",
        lambda self, **values: queue(self, **{**values, "key": "taken"}),
    )
    assert _last_answer(app, ask, "last").status == fx.CONFLICT
    with app.store.reading() as tx:
        assert (tx.triage_state(ask.triage_id), tx.answers(ask.triage_id)) == before
        assert len(tx.audit_trail(ask.triage_id)) == trail
        assert tx.review(ask.triage_id) is None
        assert not tx.claimed("slack", "last")
    monkeypatch.setattr(OutboxRepository, "queue_notice", queue)
    assert _last_answer(app, ask, "last").status == fx.DONE


def test_a_refused_turn_sends_one_statement_and_keeps_no_key(app: App, sent: list[str]) -> None:
    """'Why' is answered by a refusal: its key is still checked first (a replay is a
    duplicate), by one statement that then fails, with no BEGIN and no ROLLBACK."""
    ask = _start(app)
    why = ev.Why(AGENT, "fr", key="why", triage_id=ask.triage_id, question_id=None)
    sent.clear()
    assert app.engine.turn(why).status == fx.REFUSED
    if _postgres(app):
        assert [s for s in sent if "processed_events" in s or s == "BEGIN"] == [sent[-1]]
    with app.store.reading() as tx:
        assert not tx.claimed("slack", "why")
    resume = ev.Resume(AGENT, "fr", key="why", triage_id=ask.triage_id)
    assert app.engine.turn(resume).status == fx.DONE
    assert app.engine.turn(why).status == fx.DUPLICATE


def test_a_locking_read_runs_in_the_turns_transaction(app: App) -> None:
    """A SELECT … FOR UPDATE before any write holds its lock until the turn ends (alone, it
    would release it at once)."""
    ask = _start(app)
    if not _postgres(app):
        pytest.skip("SQLite locks the whole database, not rows")
    locked = select(triages.c.id).where(triages.c.id == ask.triage_id).with_for_update()
    with app.store.transaction() as tx, app.store.engine.connect() as other:
        tx.connection.execute(locked)
        with pytest.raises(OperationalError):
            other.execute(
                text("SELECT id FROM triages WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": ask.triage_id},
            )


@pytest.mark.parametrize("options", [{"yield_per": 2}, {"stream_results": True}])
def test_a_read_fetched_in_batches_before_any_write(app: App, options: dict[str, Any]) -> None:
    """A turn's first statement may be a read fetched in batches (the audit log's verification
    reads millions of rows so): PostgreSQL opens its server-side cursor only inside a
    transaction, so that read begins one instead of running on its own."""
    ask = _start(app)
    with app.store.transaction() as tx:
        rows = tx.connection.execute(select(triages.c.id), execution_options=options)
        assert [row.id for row in rows] == [ask.triage_id]
