"""What every aggregate's repository stands on: the unit of work's connection.

The repositories of storage/ are mixins composed into one `storage.repository.Transaction`:
each reads and writes its own tables, all of them through the one connection and the one
database transaction of a turn, so that everything a turn writes commits together or not
at all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.util import find_tables

from storage.keys import KeyDigests
from storage.turn_sql import (
    READS,
    TurnSql,
    all_writes,
    last_update,
    table_of,
    touched,
    with_writes,
)

TURN_CURSORS = "boussole.turn_cursors"
"""Key of a connection's `info` under which its turn statements keep their cursors."""
PENDING_WRITES = "boussole.pending_writes"
"""Key of a connection's `info` under which its transaction keeps its deferred writes."""

_TURN_SQL = {name: TurnSql(name) for name in ("sqlite", "postgresql")}


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(stamp: datetime) -> datetime:
    """A stored time, aware: every time is written in UTC, and SQLite gives it back without
    its zone where PostgreSQL keeps it."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def turn_sql_for(dialect: str) -> TurnSql:
    return _TURN_SQL.get(dialect) or TurnSql(dialect)


class DuplicateEvent(Exception):
    """The idempotency key was already processed: the turn must change nothing."""


class Repository:
    """The state a turn's repositories share: its connection, the key digests, the turn's
    driver SQL, its one timestamp and the audit chain heads it has read or written (read with
    a triage, extended by its audit row)."""

    def __init__(self, connection: Connection, keys: KeyDigests, lazy: bool = False) -> None:
        self.connection = connection
        self.keys = keys
        self.turn = turn_sql_for(connection.dialect.name)
        self._stamp_value: Any = None
        self._audit_heads: dict[str, tuple[int, str]] = {}
        """Chain → (seq, hash) of its last event, as read or written in this transaction."""
        self._pending: list[tuple[str, dict[str, Any]]] = []
        """Inserts deferred to ride with the transaction's next statement (PostgreSQL)."""
        connection.info[PENDING_WRITES] = self
        self._unbegun = lazy
        """On an autocommit connection (PostgreSQL's turns): no BEGIN sent yet. Until the
        first write, reads run each on its own, which at READ COMMITTED sees what they would
        have seen inside the transaction; the first write begins it."""
        self._sealed = False
        """The turn's one write was sent on its own, atomically (`update_triage(last=True)`):
        nothing may write after it."""

    def _stamp(self) -> Any:
        """One timestamp per transaction: every row a turn writes carries the same time, and
        formatting it once is measurably cheaper than once per row."""
        if self._stamp_value is None:
            self._stamp_value = self.turn.time(now())
        return self._stamp_value

    def _write(self, template: str, **params: Any) -> None:
        """An INSERT of the turn whose outcome nothing reads but the transaction's own success.
        On PostgreSQL it is sent with the next statement, as a data-modifying WITH of it: each
        round trip costs psycopg about as much client CPU as SQLite spends on a whole
        statement, and the inserts of a turn would otherwise be most of them. Any other
        statement, the commit and a refusal send what is pending first (`flush_writes`), so
        the database sees the same writes in the same order, only in fewer messages; a turn
        that has sent no write yet sends them all as one statement, without BEGIN or COMMIT
        (`finish`)."""
        if self.turn.postgres:
            self._pending.append((template, params))
        else:
            self._run(template, **params)

    def _begin(self) -> None:
        if self._unbegun:
            if self._sealed:
                raise RuntimeError("a write after the turn's last one")
            self._unbegun = False
            self._execute("BEGIN", {})

    def before_core(self, statement: Any, streamed: bool = False) -> None:
        """A statement through SQLAlchemy runs in the transaction, after the deferred inserts,
        except a read before the turn's first write that reads none of the tables they write:
        on its own it sees what it would have seen inside the transaction (READ COMMITTED).
        A read fetched in batches (`streamed`) needs the transaction all the same: its
        server-side cursor lives in one. Once the turn is sealed, only a plain read may run."""
        if self._unbegun and _plain_read(statement) and not streamed:
            if not self._pending:
                return
            writes = {table_of(template) for template, _ in self._pending}
            if not any(table.name in writes for table in find_tables(statement)):
                return
        if self._sealed and self._unbegun:
            raise RuntimeError("a write after the turn's last one")
        self._begin()
        self.flush_writes()

    def _last_write(self, update: str, params: dict[str, Any]) -> bool:
        """The turn's UPDATE with its deferred inserts as one statement and no transaction
        around it: a BEGIN and a COMMIT are half the round trips of an answer turn. The claim
        is inserted first, so that a duplicate fails as the first statement of a turn would;
        the other inserts only if the UPDATE matched; and a stale revision makes the statement
        fail (`1 / 0`), which undoes the claim too."""
        pending, self._pending = self._pending, []
        template, values = last_update(pending, update, params)
        try:
            self._execute(template, values)
        except self.connection.dialect.dbapi.DataError as error:
            if getattr(error, "sqlstate", None) == "22012":
                return False
            raise
        self._sealed = True
        return True

    def _writes_to(self, table: str) -> bool:
        """Whether a deferred insert writes `table`."""
        return any(table_of(template) == table for template, _ in self._pending)

    def flush_writes(self) -> None:
        """Send the deferred inserts now, as one statement of the transaction."""
        if self._pending:
            self._begin()
            pending, self._pending = self._pending, []
            self._execute(*all_writes(pending))

    def finish(self) -> None:
        """The end of a turn that wrote: a turn that has not begun a transaction yet sends its
        deferred inserts as one statement, which commits all of them or none, with no BEGIN or
        COMMIT around it."""
        if self._unbegun and self._pending:
            pending, self._pending = self._pending, []
            self._execute(*all_writes(pending))
            self._sealed = True
        else:
            self.flush_writes()

    def refuse(self) -> None:
        """A refused turn, before its transaction is rolled back: the deferred inserts are
        still sent, so that a duplicate key (or any other write that would fail) says so
        first, as when they were sent at once. Before any BEGIN, one statement sends them and
        fails by a division by zero once they ran: nothing is written, and no transaction is
        begun and rolled back for it."""
        if not (self._unbegun and self._pending):
            self.flush_writes()
            return
        pending, self._pending = self._pending, []
        try:
            self._execute(*all_writes(pending, fail=True))
        except self.connection.dialect.dbapi.DataError as error:
            if getattr(error, "sqlstate", None) != "22012":
                raise

    def _run(self, template: str, **params: Any) -> Any:
        """A turn statement on a DB-API cursor of this transaction's connection: same
        transaction, none of SQLAlchemy's per-statement work. Each statement keeps its own
        cursor for the life of the connection (`info` is dropped with it): psycopg reuses a
        cursor's adaptation of the parameters when it runs the same query again, and making a
        cursor or that adaptation costs as much as the statement's own client work. Deferred
        inserts go with it (`_write`), except with a read before the transaction began; they
        are sent before a statement that reads or writes their tables, since a statement's
        WITH queries write nothing its main query can see."""
        if self._pending:
            tables = touched(template)
            if any(table_of(pending) in tables for pending, _ in self._pending):
                self.flush_writes()
        if self._unbegun and template in READS:
            return self._execute(template, params)
        self._begin()
        if self._pending:
            pending, self._pending = self._pending, []
            template, params = with_writes(pending, template, params)
        return self._execute(template, params)

    def _execute(self, template: str, params: dict[str, Any]) -> Any:
        cursors: dict[str, Any] = self.connection.info.setdefault(TURN_CURSORS, {})
        cursor = cursors.get(template)
        if cursor is None:
            cursor = cursors[template] = self.connection.connection.cursor()
        try:
            cursor.execute(self.turn.sql(template), params)
        except self.connection.dialect.dbapi.IntegrityError as error:
            if getattr(getattr(error, "diag", None), "table_name", None) == "processed_events":
                raise DuplicateEvent() from None
            raise IntegrityError(template, params, error) from error
        return cursor


def _plain_read(statement: Any) -> bool:
    """A SELECT that locks nothing: FOR UPDATE holds its locks only inside a transaction."""
    return bool(getattr(statement, "is_select", False)) and (
        getattr(statement, "_for_update_arg", None) is None
    )
