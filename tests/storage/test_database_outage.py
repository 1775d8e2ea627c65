"""PostgreSQL goes away and comes back: the bot must fail the turns it cannot serve, write
nothing half-done, and serve the next turns again without a restart of its own.

A store keeps one connection per thread between turns, out of the pool, so the pool's
pre-ping never sees it: these tests stop and restart a private server (never the shared one)
under a real app to check that such a connection is given up at the right moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from sqlalchemy.exc import DBAPIError

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.notifier import Notifier
from storage.repository import OutboxRecord, Transaction
from tests import pgcluster
from tests.bot.journeys import AGENT, answer_all, only, start
from tests.cases import load_cases

psycopg = pytest.importorskip("psycopg")

pytestmark = pgcluster.POSTGRES_PASS

ANSWERS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
TURN_SECONDS = 20
"""Far above a turn's cost, far below a hang: a turn that waits on a dead server fails."""


@pytest.fixture(scope="module")
def cluster() -> Iterator[pgcluster.PrivateCluster]:
    with pgcluster.PrivateCluster() as made:
        made.start()
        yield made


@pytest.fixture
def app(cluster: pgcluster.PrivateCluster, tmp_path: Path) -> Iterator[App]:
    """A fresh database per test, on a running server whatever the previous test left."""
    with pgcluster.app_on(cluster, tmp_path) as opened:
        yield opened


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Turns run on this thread (the store keeps a connection per thread), so a hang is cut
    by an alarm rather than by waiting on another thread."""

    def expired(_signal: int, _frame: FrameType | None) -> None:
        raise TimeoutError(f"a turn took more than {seconds}s: it hangs on the database")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def answer(app: App, triage_id: str, question_id: str) -> list[fx.Effect]:
    event = ev.Answer(
        AGENT, "fr", triage_id=triage_id, question_id=question_id, value=ANSWERS[question_id]
    )
    with deadline(TURN_SECONDS):
        return app.engine.handle(event)


def next_question(effects: list[fx.Effect]) -> str:
    return only(effects, fx.Ask).question.question_id


def begun(app: App) -> str:
    """A triage with its first answer: the kept connection has served a few turns."""
    ask = start(app)
    triage_id = ask.question.triage_id
    assert next_question(answer(app, triage_id, ask.question.question_id)) == "P2"
    return triage_id


def assert_recorded(app: App, triage_id: str, questions: list[str], current: str) -> None:
    """Exactly the answers given, once each, and the triage waiting on the right question."""
    with deadline(TURN_SECONDS), app.store.reading() as tx:
        state = tx.triage_state(triage_id)
        assert state is not None
        assert state.current_question == current
        assert state.revision == len(questions) + 1
        assert tx.answers(triage_id) == {q: ANSWERS[q] for q in questions}
        trail = tx.audit_trail(triage_id)
        assert [e["payload"]["question"] for e in trail if e["kind"] == "answer"] == questions


def database_errors() -> tuple[type[BaseException], ...]:
    return (DBAPIError, psycopg.Error)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_turn_while_the_server_is_down_fails_and_the_next_one_works(
    app: App, cluster: pgcluster.PrivateCluster, mode: str
) -> None:
    triage_id = begun(app)
    cluster.stop(mode)
    with pytest.raises(database_errors()):
        answer(app, triage_id, "P2")
    cluster.start()
    assert_recorded(app, triage_id, ["P1"], current="P2")
    assert next_question(answer(app, triage_id, "P2")) == "P3"
    assert next_question(answer(app, triage_id, "P3")) == "DI1"
    assert_recorded(app, triage_id, ["P1", "P2", "P3"], current="DI1")


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_the_first_turn_after_a_restart_works(
    app: App, cluster: pgcluster.PrivateCluster, mode: str
) -> None:
    """The kept connection died while idle: the user, who saw nothing of the outage, must not
    get an error for the turn that follows it."""
    triage_id = begun(app)
    cluster.restart(mode)
    assert next_question(answer(app, triage_id, "P2")) == "P3"
    assert_recorded(app, triage_id, ["P1", "P2"], current="P3")
    cluster.restart(mode)
    assert_recorded(app, triage_id, ["P1", "P2"], current="P3")
    assert next_question(answer(app, triage_id, "P3")) == "DI1"
    assert_recorded(app, triage_id, ["P1", "P2", "P3"], current="DI1")


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_server_lost_in_the_middle_of_a_turn_leaves_nothing_half_written(
    app: App, cluster: pgcluster.PrivateCluster, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """The turn has already updated the triage when the server goes: none of it may stay,
    and the same answer, sent again, is recorded once."""
    triage_id = begun(app)
    add_answer: Callable[..., None] = Transaction.add_answer

    def lose_the_server(tx: Transaction, *args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(Transaction, "add_answer", add_answer)
        cluster.stop(mode)
        add_answer(tx, *args, **kwargs)

    monkeypatch.setattr(Transaction, "add_answer", lose_the_server)
    with pytest.raises(database_errors()):
        answer(app, triage_id, "P2")
    cluster.start()
    assert next_question(answer(app, triage_id, "P2")) == "P3"
    assert_recorded(app, triage_id, ["P1", "P2"], current="P3")


FLAGGED = dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"]


def test_a_notice_sent_as_the_database_went_away_is_recorded_not_sent_again(
    app: App, cluster: pgcluster.PrivateCluster
) -> None:
    """The send succeeded, its record did not: once the database is back the notice must be
    marked delivered, not sent a second time when its lease runs out (here at once)."""
    with app.store.transaction() as tx:
        tx.add_reviewer("education", "slack:URVW1")
    answer_all(app, dict(FLAGGED, P2="education"))
    sent: list[int] = []

    async def send_then_lose_the_database(message: OutboxRecord) -> None:
        sent.append(message.id)
        if len(sent) == 1:
            await asyncio.to_thread(cluster.stop, "fast")

    notifier = Notifier(app.store, {"slack": send_then_lose_the_database}, lease=timedelta(0))
    with contextlib.suppress(Exception):
        asyncio.run(notifier.drain_once())
    assert len(sent) == 1
    cluster.start()
    asyncio.run(notifier.drain_once())
    assert len(sent) == 1
    with app.store.reading() as tx:
        assert [m.status for m in tx.outbox_messages()] == ["delivered"]
