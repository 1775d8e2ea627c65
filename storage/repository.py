"""The unit of work: one `Store.transaction()` is one engine turn, and everything a turn
writes commits together or not at all.

`Transaction` is composed of one repository per aggregate (storage/triages.py, answers.py,
reviews.py, outbox.py, directory.py, actors.py, audit.py, flows.py, events.py, meta.py,
stats.py), mixins over the same connection, so a turn calls `tx.answers(...)` or
`tx.append_audit(...)` on one object whichever table it touches. Core statements and the
turn's driver SQL keep a turn's cost close to the driver's (see bench/). The names other
modules import from here stay exported here.
"""

from __future__ import annotations

import select as readiness
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storage.actors import ActorRepository, actors
from storage.answers import AnswerRepository, answers_table
from storage.audit import ADMIN_CHAIN, GENESIS, AuditRepository, audit, audit_hash
from storage.base import PENDING_WRITES, as_utc, now
from storage.database import READ_ONLY
from storage.directory import DirectoryRepository
from storage.events import DuplicateEvent, EventRepository
from storage.flows import FlowRepository, VersionRecord
from storage.keys import KeyDigests
from storage.matrix import MatrixRepository
from storage.meta import MetaRepository
from storage.outbox import DELIVERED, PARKED, PENDING, OutboxRecord, OutboxRepository, outbox
from storage.reviews import ReviewRecord, ReviewRepository, reviews
from storage.stats import StatsRepository
from storage.triages import (
    TriageRecord,
    TriageRepository,
    TriageState,
    new_triage_id,
    triages,
)

__all__ = [
    "ADMIN_CHAIN",
    "DELIVERED",
    "GENESIS",
    "PARKED",
    "PENDING",
    "DuplicateEvent",
    "OutboxRecord",
    "ReviewRecord",
    "Store",
    "Transaction",
    "TriageRecord",
    "TriageState",
    "VersionRecord",
    "actors",
    "answers_table",
    "as_utc",
    "audit",
    "audit_hash",
    "new_triage_id",
    "now",
    "outbox",
    "reviews",
    "triages",
]


class Transaction(
    EventRepository,
    TriageRepository,
    AnswerRepository,
    ReviewRepository,
    OutboxRepository,
    DirectoryRepository,
    ActorRepository,
    AuditRepository,
    FlowRepository,
    MetaRepository,
    StatsRepository,
    MatrixRepository,
):
    """One database transaction and every aggregate's repository over it. The repositories
    share no method name (tests/storage/test_repositories.py), so composing them shadows
    nothing."""

    def __init__(self, connection: Connection, keys: KeyDigests, lazy: bool = False) -> None:
        super().__init__(connection, keys, lazy)
        self.after_commit: list[Callable[[], None]] = []
        """Run by the caller once the transaction has committed (e.g. to fill a cache)."""


class Store:
    """Opens transactions; each thread keeps one connection across turns, because checking a
    connection out of the pool for every turn costs more than the turn's own statements.
    Every connection handed out is tracked, so that `close` gives them all back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.keys = KeyDigests()
        self._local = threading.local()
        self._opened: set[Connection] = set()
        self._lock = threading.Lock()
        self._autocommit = engine.dialect.name == "postgresql"
        """PostgreSQL's turn connections autocommit; a turn sends BEGIN at its first write
        (storage.base.Repository), or no BEGIN and no COMMIT when it writes once."""
        if self._autocommit and not event.contains(engine, "before_execute", _send_pending_writes):
            event.listen(engine, "before_execute", _send_pending_writes)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        connection = self._connection()
        info = connection.info
        try:
            with connection.begin():
                tx = Transaction(connection, self.keys, lazy=self._autocommit)
                try:
                    yield tx
                except Exception as error:
                    # A refusal raised before the key's claim was sent: a duplicate still
                    # says so first, as when the claim was the turn's first statement.
                    if not isinstance(error, SQLAlchemyError | connection.dialect.dbapi.Error):
                        tx.refuse()
                    raise
                tx.finish()
        except DBAPIError:
            if connection.invalidated:
                self._drop(connection)
            raise
        finally:
            info.pop(PENDING_WRITES, None)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """One snapshot for all the reads: at PostgreSQL's default READ COMMITTED each
        statement sees the turns committed before it, so a report could show a triage's state
        from before a turn beside its answers from after (SQLite's read transaction is one
        snapshot already)."""
        connection = self.engine.connect().execution_options(**{READ_ONLY: True})
        if self.engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection, connection.begin():
            try:
                yield Transaction(connection, self.keys)
            finally:
                connection.info.pop(PENDING_WRITES, None)

    def close(self) -> None:
        """Close every thread's connection and the pool (at shutdown, when no turn runs)."""
        with self._lock:
            opened, self._opened = list(self._opened), set()
        self._local = threading.local()
        for connection in opened:
            connection.close()
        self.engine.dispose()

    def _connection(self) -> Connection:
        connection = getattr(self._local, "connection", None)
        if connection is not None and _hung_up(connection):
            connection.invalidate()
            self._drop(connection)
            connection = None
        if connection is None or connection.closed or connection.invalidated:
            connection = self.engine.connect()
            if self._autocommit:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            self._local.connection = connection
            with self._lock:
                self._opened.add(connection)
        return connection

    def _drop(self, connection: Connection) -> None:
        self._local.connection = None
        with self._lock:
            self._opened.discard(connection)
        connection.close()


def _send_pending_writes(
    connection: Connection,
    statement: Any,
    multiparams: Any,
    params: Any,
    execution_options: Mapping[str, Any],
) -> None:
    """A statement through SQLAlchemy begins the turn's transaction and sends its deferred
    inserts first, so that it sees them and fails after them, as it would have had they been
    sent at once."""
    pending = connection.info.get(PENDING_WRITES)
    if pending is not None:
        options = {**connection.get_execution_options(), **execution_options}
        pending.before_core(statement, streamed=_streamed(options))


def _streamed(options: Mapping[str, Any]) -> bool:
    """Whether a read is fetched in batches through a server-side cursor, which PostgreSQL
    opens only inside a transaction (DECLARE CURSOR)."""
    return bool(options.get("stream_results") or options.get("yield_per"))


def _hung_up(connection: Connection) -> bool:
    """Whether the server closed a kept connection while it sat idle between turns (a restart,
    a crash, pg_terminate_backend, an idle timeout). The pool's pre-ping never sees a connection
    that stays checked out, and the driver only notices on the next statement, so the first
    turn after a restart would fail. A server that ends a session says so and closes the
    socket: with no statement running, anything to read means the connection is gone. Polling
    the socket costs a system call where a ping would cost a round trip on every turn."""
    if connection.closed or connection.invalidated:
        return False
    fileno = getattr(connection.connection.driver_connection, "fileno", None)
    if fileno is None:  # SQLite: no server to lose
        return False
    try:
        descriptor = fileno()
        if hasattr(readiness, "poll"):  # select() fails on descriptors above 1023
            poller = readiness.poll()
            poller.register(descriptor, readiness.POLLIN)
            return bool(poller.poll(0))
        return bool(readiness.select([descriptor], [], [], 0)[0])
    except Exception:  # the driver already knows the connection is broken
        return True
