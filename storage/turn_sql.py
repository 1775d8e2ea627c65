"""The statements of an engine turn, as plain driver SQL for SQLite and PostgreSQL.

A turn runs the same six statements thousands of times a day; through the driver they cost
about a third of prebuilt SQLAlchemy Core statements (measured in bench/core_turn.py), which
is what keeps a durable turn several times cheaper than an in-memory dialog framework. Values
are written in the very formats SQLAlchemy's column types use, so that every other query,
through Core or the ORM, reads these rows back unchanged. On PostgreSQL, where each round
trip costs psycopg as much client CPU as SQLite spends on a statement, an answer turn sends
them as two statements and no BEGIN or COMMIT (`with_writes`, `last_update`; storage/base.py).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

_JSON = re.compile(r"json\(:(\w+)\)")
_PARAM = re.compile(r"(?<![:\w]):(\w+)")


class TurnSql:
    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    @cache  # noqa: B019 - two instances for the life of the process, one per dialect
    def sql(self, template: str) -> str:
        """`:name` parameters and `json(:name)` values, in the driver's own style."""
        if self.postgres:
            template = _JSON.sub(r"CAST(%(\1)s AS json)", template)
            return _PARAM.sub(r"%(\1)s", template)
        return _JSON.sub(r":\1", template)

    def time(self, value: datetime | None) -> Any:
        """SQLAlchemy stores SQLite datetimes as naive UTC text in this exact format."""
        if value is None or self.postgres:
            return value
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def json_in(self, value: Any) -> str:
        return json.dumps(value)

    def json_out(self, value: Any) -> Any:
        """psycopg parses json columns; sqlite3 hands back the text, except for a bare number,
        which the column's NUMERIC affinity has already turned into one."""
        if self.postgres or not isinstance(value, str):
            return value
        return json.loads(value)


def with_writes(
    pending: list[tuple[str, dict[str, Any]]], template: str, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """`template` preceded by the `pending` inserts as data-modifying WITH queries, which
    PostgreSQL runs once each, whatever the main statement reads; the main statement's
    rowcount is still its own (an UPDATE's optimistic lock reads it). Each insert's parameters
    are renamed `w<i>_<name>`."""
    combined = dict(params)
    for index, (_, values) in enumerate(pending):
        combined.update({f"w{index}_{name}": value for name, value in values.items()})
    return _prefixed(tuple(t for t, _ in pending), template), combined


@cache
def _prefixed(inserts: tuple[str, ...], template: str) -> str:
    queries = [f"w{index} AS ({_renamed(insert, index)})" for index, insert in enumerate(inserts)]
    return f"WITH {', '.join(queries)} {template}"


def _renamed(insert: str, index: int) -> str:
    return _PARAM.sub(lambda name: f":w{index}_{name[1]}", insert)


def last_update(
    pending: list[tuple[str, dict[str, Any]]], update: str, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The conditional UPDATE of a turn and its `pending` inserts as one statement that
    writes all or nothing (storage.base.Repository._last_write): the claims first, then the
    UPDATE, the other inserts only for the row it updated, and a division by zero when it
    updated none."""
    combined = dict(params)
    for index, (_, values) in enumerate(pending):
        combined.update({f"w{index}_{name}": value for name, value in values.items()})
    return _last_update(tuple(t for t, _ in pending), update), combined


@cache
def _last_update(inserts: tuple[str, ...], update: str) -> str:
    claims = [i for i, insert in enumerate(inserts) if insert == CLAIM]
    queries = [f"w{i} AS ({_renamed(CLAIM, i)} RETURNING 1)" for i in claims]
    queries.append(f"u AS ({update} RETURNING 1)")
    for index, insert in enumerate(inserts):
        if index not in claims:
            head, values = _renamed(insert, index).split(" VALUES (", 1)
            queries.append(f"w{index} AS ({head} SELECT {values[:-1]} FROM u)")
    # The main query reads the claims' rows before it counts the UPDATE's: a duplicate key
    # fails the statement before a stale revision does.
    first = f" FROM {', '.join(f'w{i}' for i in claims)}" if claims else ""
    return f"WITH {', '.join(queries)} SELECT 1 / (SELECT count(*) FROM u){first}"


CLAIM = "INSERT INTO processed_events (platform, key, processed_at) VALUES (:platform, :key, :at)"
STATE = (
    "SELECT t.flow_version_id, t.owner, t.status, t.current_question, t.revision, t.lang,"
    " a.platform, a.user_id, t.owner_salt, t.revises,"
    " (SELECT e.seq FROM audit_events e WHERE e.chain = t.id ORDER BY e.seq DESC LIMIT 1),"
    " (SELECT e.hash FROM audit_events e WHERE e.chain = t.id ORDER BY e.seq DESC LIMIT 1)"
    " FROM triages t LEFT JOIN actors a ON a.pseudonym = t.owner WHERE t.id = :id"
)
"""The triage, its owner's identity and the head of its audit chain: the turn that reads it
appends to that chain, and one round trip fewer is a tenth of a turn on PostgreSQL."""
ANSWERS = "SELECT question_id, value FROM answers WHERE triage_id = :id ORDER BY position"
ADD_ANSWER = (
    "INSERT INTO answers (triage_id, question_id, position, value, answered_at)"
    " VALUES (:triage_id, :question_id, :position, json(:value), :at)"
)
AUDIT_HEAD = "SELECT seq, hash FROM audit_events WHERE chain = :chain ORDER BY seq DESC LIMIT 1"
ADD_AUDIT = (
    "INSERT INTO audit_events (chain, seq, kind, actor, payload, created_at, prev_hash, hash)"
    " VALUES (:chain, :seq, :kind, :actor, json(:payload), :at, :prev_hash, :hash)"
)
READS = {
    STATE: frozenset({"triages", "actors", "audit_events"}),
    ANSWERS: frozenset({"answers"}),
    AUDIT_HEAD: frozenset({"audit_events"}),
}
"""The turn statements that only read, and what they read: before any write they need no
transaction, and a deferred insert into a table they read is sent before them."""
WRITES_TO = {CLAIM: "processed_events", ADD_ANSWER: "answers", ADD_AUDIT: "audit_events"}
UPDATABLE = ("current_question", "status", "outcome", "completed_at")


@cache
def update_triage(columns: tuple[str, ...]) -> str:
    """The conditional UPDATE of a turn: it succeeds only for the holder of `revision`."""
    assigned = "".join(f", {column} = :{column}" for column in columns if column in UPDATABLE)
    return (
        f"UPDATE triages SET revision = revision + 1, updated_at = :updated_at{assigned}"
        " WHERE id = :id AND revision = :revision"
    )
