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
    return _prefixed(tuple(t for t, _ in pending), template), _combined(pending, params)


def all_writes(pending: list[tuple[str, dict[str, Any]]], fail: bool = False) -> tuple[str, dict]:
    """The `pending` inserts alone as one statement, claims first, so that a duplicate fails
    it first; with `fail`, the statement then fails by a division by zero once every insert
    has run (a refused turn that must learn whether its key is a duplicate, writing nothing)."""
    return _all_writes(tuple(t for t, _ in pending), fail), _combined(pending, {})


def _combined(pending: list[tuple[str, dict[str, Any]]], params: dict[str, Any]) -> dict:
    combined = dict(params)
    for index, (_, values) in enumerate(pending):
        combined.update({f"w{index}_{name}": value for name, value in values.items()})
    return combined


@cache
def _prefixed(inserts: tuple[str, ...], template: str) -> str:
    return f"WITH {', '.join(_queries(inserts, None))} {template}"


@cache
def _all_writes(inserts: tuple[str, ...], fail: bool) -> str:
    claims = [f"w{i}" for i, insert in enumerate(inserts) if insert == CLAIM]
    if fail:
        every = ", ".join(f"w{i}" for i in range(len(inserts)))
        main = f"SELECT 1 / (count(*) * 0) FROM {every}"
    else:
        main = f"SELECT count(*) FROM {', '.join(claims)}" if claims else "SELECT 1"
    return f"WITH {', '.join(_queries(inserts, None))} {main}"


def _renamed(insert: str, index: int) -> str:
    return _PARAM.sub(lambda name: f":w{index}_{name[1]}", insert)


def table_of(insert: str) -> str:
    """The table an `INSERT INTO table …` template writes."""
    return insert.split(None, 3)[2]


def _queries(inserts: tuple[str, ...], after: str | None) -> list[str]:
    """The inserts as WITH queries, the claims first. PostgreSQL runs a statement's WITH
    queries in no set order, so a second row of one table is selected from the first's
    RETURNING: it cannot be inserted before that one is, and its id follows (the audit log's
    order is its ids'). With `after`, the first row of each table is selected from it (the
    UPDATE the turn's inserts depend on)."""
    claims, others, last_of = [], [], dict[str, str]()
    for index, insert in enumerate(inserts):
        renamed, table = _renamed(insert, index), table_of(insert)
        source = last_of.get(table) or (None if insert == CLAIM else after)
        if source is None:
            query = f"w{index} AS ({renamed} RETURNING 1)"
        else:
            head, values = renamed.split(" VALUES (", 1)
            values, conflict, tail = values.partition(") ON CONFLICT")
            values, tail = (values, conflict[1:] + tail) if conflict else (values[:-1], "")
            query = f"w{index} AS ({head} SELECT {values} FROM {source}{tail} RETURNING 1)"
        last_of[table] = f"w{index}"
        (claims if insert == CLAIM else others).append(query)
    return [*claims, *others]


def last_update(
    pending: list[tuple[str, dict[str, Any]]], update: str, params: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The conditional UPDATE of a turn and its `pending` inserts as one statement that
    writes all or nothing (storage.base.Repository._last_write): the claims first, then the
    UPDATE, the other inserts only for the row it updated, and a division by zero when it
    updated none."""
    return _last_update(tuple(t for t, _ in pending), update), _combined(pending, params)


@cache
def _last_update(inserts: tuple[str, ...], update: str) -> str:
    queries = _queries(inserts, "u")
    claims = [f"w{i}" for i, insert in enumerate(inserts) if insert == CLAIM]
    queries.insert(len(claims), f"u AS ({update} RETURNING 1)")
    # The main query reads the claims' rows before it counts the UPDATE's: a duplicate key
    # fails the statement before a stale revision does.
    first = f" FROM {', '.join(claims)}" if claims else ""
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
ADD_TRIAGE = (
    "INSERT INTO triages (id, flow_version_id, owner, platform, lang, status, current_question,"
    " outcome, revision, created_at, updated_at, completed_at, previous_result, owner_salt,"
    " revises) VALUES (:id, :flow_version_id, :owner, :platform, :lang, :status,"
    " :current_question, :outcome, :revision, :created_at, :updated_at, :completed_at,"
    " json(:previous_result), :owner_salt, :revises)"
)
ADD_ACTOR = (
    "INSERT INTO actors (pseudonym, platform, user_id) VALUES (:pseudonym, :platform, :user_id)"
)
OPEN_REVIEW = (
    "INSERT INTO reviews (triage_id, department, status, proposed_outcome, reviewer, decision,"
    " final_outcome, comment, pending_outcome, pending_by, revision, created_at, decided_at)"
    " VALUES (:triage_id, :department, 'pending', :outcome, NULL, NULL, NULL, '', NULL, NULL, 1,"
    " :at, NULL) ON CONFLICT (triage_id) DO UPDATE SET department = excluded.department,"
    " status = excluded.status, proposed_outcome = excluded.proposed_outcome, reviewer = NULL,"
    " decision = NULL, final_outcome = NULL, comment = '', pending_outcome = NULL,"
    " pending_by = NULL, revision = 1, created_at = excluded.created_at, decided_at = NULL"
)
"""A new review, or the one a re-triage reopens made new: the very row a DELETE and an INSERT
would leave, in one statement that can ride with the turn's others."""
ADD_NOTICE = (
    "INSERT INTO outbox (key, triage_id, kind, platform, recipient, payload, status, attempts,"
    " next_attempt_at, last_error, created_at) VALUES (:key, :triage_id, :kind, :platform,"
    " :recipient, json(:payload), 'pending', 0, :at, '', :at)"
)
READS = {
    STATE: frozenset({"triages", "actors", "audit_events"}),
    ANSWERS: frozenset({"answers"}),
    AUDIT_HEAD: frozenset({"audit_events"}),
}
"""The turn statements that only read, and what they read: before any write they need no
transaction, and a deferred insert into a table they read is sent before them."""
UPDATABLE = ("current_question", "status", "outcome", "completed_at")


@cache
@cache
def touched(template: str) -> frozenset[str]:
    """The tables a turn statement reads or writes: a deferred insert into one of them is
    sent before it, since a statement sees nothing its own WITH queries write."""
    reads = READS.get(template)
    if reads is not None:
        return reads
    words = template.split(None, 3)
    return frozenset({words[1] if words[0] == "UPDATE" else words[2]})


def update_triage(columns: tuple[str, ...]) -> str:
    """The conditional UPDATE of a turn: it succeeds only for the holder of `revision`."""
    assigned = "".join(f", {column} = :{column}" for column in columns if column in UPDATABLE)
    return (
        f"UPDATE triages SET revision = revision + 1, updated_at = :updated_at{assigned}"
        " WHERE id = :id AND revision = :revision"
    )
