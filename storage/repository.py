"""Repository and unit of work over SQLAlchemy Core.

One `Store.transaction()` is one engine turn: everything a turn writes commits together or
not at all. Core statements keep a turn's cost close to the driver's (see bench/).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import select as readiness
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError

from storage import limits, turn_sql
from storage.database import READ_ONLY
from storage.keys import KeyDigests
from storage.models import (
    Actor,
    Admin,
    AnswerRow,
    AuditEvent,
    ConversationRef,
    Department,
    FlowUpload,
    FlowVersion,
    Meta,
    OutboxMessage,
    ProcessedEvent,
    Review,
    Reviewer,
    Triage,
)
from storage.turn_sql import TurnSql

triages = Triage.__table__
answers_table = AnswerRow.__table__
audit = AuditEvent.__table__
actors = Actor.__table__
versions = FlowVersion.__table__
outbox = OutboxMessage.__table__
departments = Department.__table__
reviewers = Reviewer.__table__
admins = Admin.__table__
meta = Meta.__table__
uploads = FlowUpload.__table__
reviews = Review.__table__
conversation_refs = ConversationRef.__table__
processed = ProcessedEvent.__table__

PENDING = "pending"
DELIVERED = "delivered"
PARKED = "parked"

GENESIS = "0" * 64
TURN_CURSORS = "boussole.turn_cursors"
"""Key of a connection's `info` under which its turn statements keep their cursors."""
ADMIN_CHAIN = "admin"
_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(stamp: datetime) -> datetime:
    """A stored time, aware: every time is written in UTC, and SQLite gives it back without
    its zone where PostgreSQL keeps it."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def could_be_triage_id(text: str) -> bool:
    """Ids arrive from chat typed or in card data: one that no row can hold is unknown, not a
    database error (PostgreSQL refuses a NUL in any text parameter)."""
    return len(text) <= limits.TRIAGE_ID and text.isprintable()


def new_triage_id() -> str:
    """Short enough to type in `reprendre ID`, with ~50 bits of randomness."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


@dataclass(frozen=True)
class TriageRecord:
    id: str
    flow_version_id: int
    owner: str
    platform: str
    lang: str
    status: str
    current_question: str | None
    outcome: str | None
    revision: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    previous_result: Any = None
    owner_salt: str | None = None
    revises: str | None = None


@dataclass(frozen=True)
class TriageState:
    """What a turn needs of a triage, with the identity behind its owner's pseudonym."""

    id: str
    flow_version_id: int
    owner: str
    status: str
    current_question: str | None
    revision: int
    lang: str
    owner_platform: str | None
    owner_user_id: str | None
    owner_salt: str | None = None
    """Key of the owner's alias in the audit chain; None once retention or erasure cut it."""
    revises: str | None = None
    """The finished triage this one re-does: its answers are shown as the previous ones."""


@dataclass(frozen=True)
class ReviewRecord:
    triage_id: str
    department: str
    status: str
    proposed_outcome: str
    reviewer: str | None
    decision: str | None
    final_outcome: str | None
    comment: str
    pending_outcome: str | None
    pending_by: str | None
    revision: int
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    key: str
    triage_id: str
    kind: str
    platform: str
    recipient: str
    payload: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str
    created_at: datetime
    posted: dict[str, Any] | None = None


@dataclass(frozen=True)
class VersionRecord:
    id: int
    flow_id: str
    version: int
    sha256: str
    source: str
    document: Any
    published_by: str
    published_at: datetime
    note: str


class DuplicateEvent(Exception):
    """The idempotency key was already processed: the turn must change nothing."""


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

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        connection = self._connection()
        try:
            with connection.begin():
                yield Transaction(connection, self.keys)
        except DBAPIError:
            if connection.invalidated:
                self._drop(connection)
            raise

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        connection = self.engine.connect().execution_options(**{READ_ONLY: True})
        with connection, connection.begin():
            yield Transaction(connection, self.keys)

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
            connection = self._local.connection = self.engine.connect()
            with self._lock:
                self._opened.add(connection)
        return connection

    def _drop(self, connection: Connection) -> None:
        self._local.connection = None
        with self._lock:
            self._opened.discard(connection)
        connection.close()


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


class Transaction:
    def __init__(self, connection: Connection, keys: KeyDigests) -> None:
        self.connection = connection
        self.keys = keys
        self.turn = _turn_sql(connection.dialect.name)
        self._stamp_value: Any = None
        self._audit_heads: dict[str, tuple[int, str]] = {}
        """Chain → (seq, hash) of its last event, as read or written in this transaction."""
        self.after_commit: list[Callable[[], None]] = []
        """Run by the caller once the transaction has committed (e.g. to fill a cache)."""

    def _stamp(self) -> Any:
        """One timestamp per transaction: every row a turn writes carries the same time, and
        formatting it once is measurably cheaper than once per row."""
        if self._stamp_value is None:
            self._stamp_value = self.turn.time(now())
        return self._stamp_value

    def _run(self, template: str, **params: Any) -> Any:
        """A turn statement on a DB-API cursor of this transaction's connection: same
        transaction, none of SQLAlchemy's per-statement work. Each statement keeps its own
        cursor for the life of the connection (`info` is dropped with it): psycopg reuses a
        cursor's adaptation of the parameters when it runs the same query again, and making a
        cursor or that adaptation costs as much as the statement's own client work."""
        cursors: dict[str, Any] = self.connection.info.setdefault(TURN_CURSORS, {})
        cursor = cursors.get(template)
        if cursor is None:
            cursor = cursors[template] = self.connection.connection.cursor()
        try:
            cursor.execute(self.turn.sql(template), params)
        except self.connection.dialect.dbapi.IntegrityError as error:
            raise IntegrityError(template, params, error) from error
        return cursor

    def triage_state(self, triage_id: str) -> TriageState | None:
        if not could_be_triage_id(triage_id):
            return None
        row = self._run(turn_sql.STATE, id=triage_id).fetchone()
        if row is None:
            return None
        *state, seq, last_hash = row
        if seq is not None:
            self._audit_heads[triage_id] = (seq, last_hash)
        return TriageState(triage_id, *state)

    def claim_event(self, platform: str, key: str) -> None:
        """First statement of a turn, so that a duplicate aborts it before any other write
        (on PostgreSQL the failed INSERT aborts the transaction, which is rolled back). The
        key is stored as its keyed digest: platform keys are made of user ids."""
        digest = self.keys.of(self.connection, key)
        try:
            self._run(turn_sql.CLAIM, platform=platform, key=digest, at=self._stamp())
        except IntegrityError:
            raise DuplicateEvent(key) from None

    def claimed(self, platform: str, key: str) -> bool:
        """Whether the key was already claimed: lets a costly command stop early on a replay;
        its own claim, in the transaction of its writes, remains the guard."""
        digest = self.keys.of(self.connection, key)
        return (
            self.connection.execute(
                select(processed.c.key).where(
                    processed.c.platform == platform, processed.c.key == digest
                )
            ).first()
            is not None
        )

    def prune_events(self, before: datetime) -> int:
        """Forget the keys of events processed before `before` (see storage.keys)."""
        result = self.connection.execute(delete(processed).where(processed.c.processed_at < before))
        return result.rowcount

    def pseudonym(self, platform: str, user_id: str) -> str:
        """The person's pseudonym, made on first contact; TooLong for an id its column
        could not hold (a platform's ids are far shorter: only a forged one can be)."""
        found = self.find_pseudonym(platform, user_id)
        if found is not None:
            return found
        limits.check("platform", platform, limits.PLATFORM)
        limits.check("user_id", user_id, limits.USER_ID)
        pseudonym = secrets.token_hex(8)
        self.connection.execute(
            insert(actors).values(pseudonym=pseudonym, platform=platform, user_id=user_id)
        )
        return pseudonym

    def find_pseudonym(self, platform: str, user_id: str) -> str | None:
        return self.connection.execute(
            select(actors.c.pseudonym).where(
                actors.c.platform == platform, actors.c.user_id == user_id
            )
        ).scalar()

    def triage(self, triage_id: str) -> TriageRecord | None:
        if not could_be_triage_id(triage_id):
            return None
        row = self.connection.execute(select(triages).where(triages.c.id == triage_id)).first()
        return None if row is None else TriageRecord(**row._mapping)

    def triages_of(self, owner: str, limit: int = 50) -> list[TriageRecord]:
        rows = self.connection.execute(
            select(triages)
            .where(triages.c.owner == owner)
            .order_by(triages.c.updated_at.desc())
            .limit(limit)
        )
        return [TriageRecord(**row._mapping) for row in rows]

    def answers(self, triage_id: str) -> dict[str, Any]:
        """The answers in the order they were given, which is the order of the path."""
        rows = self._run(turn_sql.ANSWERS, id=triage_id)
        return {question: self.turn.json_out(value) for question, value in rows}

    def previous_result(self, triage_id: str) -> dict[str, Any] | None:
        return self.connection.execute(
            select(triages.c.previous_result).where(triages.c.id == triage_id)
        ).scalar()

    def revised_by(self, triage_id: str) -> list[str]:
        """The re-triages of a triage, oldest first."""
        rows = self.connection.execute(
            select(triages.c.id)
            .where(triages.c.revises == triage_id)
            .order_by(triages.c.created_at)
        )
        return list(rows.scalars())

    def first_answers(self, triage_ids: list[str]) -> dict[str, Any]:
        """The first answer of each triage: the project's name in the bundled flow."""
        if not triage_ids:
            return {}
        rows = self.connection.execute(
            select(answers_table.c.triage_id, answers_table.c.value).where(
                answers_table.c.triage_id.in_(triage_ids), answers_table.c.position == 0
            )
        )
        return {triage_id: value for triage_id, value in rows}

    def insert_triage(self, record: TriageRecord) -> None:
        self.connection.execute(insert(triages).values(**record.__dict__))

    def add_answer(self, triage_id: str, question_id: str, position: int, value: Any) -> None:
        self._run(
            turn_sql.ADD_ANSWER,
            triage_id=triage_id,
            question_id=question_id,
            position=position,
            value=self.turn.json_in(value),
            at=self._stamp(),
        )

    def remove_answers(self, triage_id: str, question_ids: list[str]) -> None:
        self.connection.execute(
            delete(answers_table).where(
                answers_table.c.triage_id == triage_id,
                answers_table.c.question_id.in_(question_ids),
            )
        )

    def update_triage(self, triage_id: str, revision: int, **values: Any) -> bool:
        """Optimistic lock: only the holder of the revision it read may write."""
        if "completed_at" in values:
            values["completed_at"] = self.turn.time(values["completed_at"])
        result = self._run(
            turn_sql.update_triage(tuple(values)),
            id=triage_id,
            revision=revision,
            updated_at=self._stamp(),
            **values,
        )
        return result.rowcount == 1

    def append_audit(self, chain: str, kind: str, actor: str, payload: dict[str, Any]) -> None:
        head = self._audit_heads.get(chain)
        if head is None:
            head = self._run(turn_sql.AUDIT_HEAD, chain=chain).fetchone()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        created_at = now()
        digest = audit_hash(prev_hash, chain, seq, kind, actor, payload, created_at)
        self._run(
            turn_sql.ADD_AUDIT,
            chain=chain,
            seq=seq,
            kind=kind,
            actor=actor,
            payload=self.turn.json_in(payload),
            at=self.turn.time(created_at),
            prev_hash=prev_hash,
            hash=digest,
        )
        self._audit_heads[chain] = (seq, digest)

    def audit_trail(self, chain: str) -> list[dict[str, Any]]:
        rows = self.connection.execute(
            select(audit).where(audit.c.chain == chain).order_by(audit.c.seq)
        )
        return [dict(row._mapping) for row in rows]

    def enqueue(
        self,
        key: str,
        triage_id: str,
        kind: str,
        platform: str,
        recipient: str,
        payload: dict[str, Any],
    ) -> None:
        """`key` makes a notice unique (a retry never queues it twice); it is stored as its
        keyed digest, since keys name their recipients."""
        stamp = now()
        self.connection.execute(
            insert(outbox).values(
                key=self.keys.of(self.connection, key),
                triage_id=triage_id,
                kind=kind,
                platform=platform,
                recipient=recipient,
                payload=payload,
                status=PENDING,
                attempts=0,
                next_attempt_at=stamp,
                last_error="",
                created_at=stamp,
            )
        )

    def claim_due(self, platforms: list[str], lease: timedelta, limit: int) -> list[OutboxRecord]:
        """Take due messages and push their next attempt past the lease, so that another
        worker skips them; on PostgreSQL, SKIP LOCKED keeps workers from waiting on each other."""
        stamp = now()
        query = (
            select(outbox)
            .where(
                outbox.c.status == PENDING,
                outbox.c.next_attempt_at <= stamp,
                outbox.c.platform.in_(platforms),
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = [OutboxRecord(**row._mapping) for row in self.connection.execute(query)]
        for row in rows:
            self.connection.execute(
                update(outbox)
                .where(outbox.c.id == row.id)
                .values(attempts=row.attempts + 1, next_attempt_at=stamp + lease)
            )
        return rows

    def outbox_pending_count(self) -> int:
        return int(
            self.connection.execute(
                select(func.count()).select_from(outbox).where(outbox.c.status == PENDING)
            ).scalar()
            or 0
        )

    def mark_delivered(self, message_id: int, posted: dict[str, Any] | None = None) -> None:
        self.connection.execute(
            update(outbox)
            .where(outbox.c.id == message_id)
            .values(status=DELIVERED, delivered_at=now(), last_error="", posted=posted)
        )

    def outbox_message(self, message_id: int) -> OutboxRecord | None:
        row = self.connection.execute(select(outbox).where(outbox.c.id == message_id)).first()
        return None if row is None else OutboxRecord(**row._mapping)

    def mark_failed(self, message_id: int, error: str, retry_at: datetime | None) -> None:
        """`retry_at` None parks the message: it waits for an operator's retry."""
        values: dict[str, Any] = {"last_error": error[: limits.NOTE]}
        if retry_at is None:
            values["status"] = PARKED
        else:
            values["next_attempt_at"] = retry_at
        self.connection.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    def outbox_messages(self, triage_id: str | None = None) -> list[OutboxRecord]:
        query = select(outbox).order_by(outbox.c.id)
        if triage_id is not None:
            query = query.where(outbox.c.triage_id == triage_id)
        return [OutboxRecord(**row._mapping) for row in self.connection.execute(query)]

    def save_conversation(self, platform: str, user_id: str, reference: dict[str, Any]) -> None:
        """Insert or refresh where to reach a person, in one statement: a person's first
        messages can arrive together on several threads or instances, and a delete followed
        by an insert lets two of them insert at once."""
        upsert = _upserts[self.connection.dialect.name]
        values = {"reference": reference, "active": True, "updated_at": now()}
        self.connection.execute(
            upsert(conversation_refs)
            .values(platform=platform, user_id=user_id, **values)
            .on_conflict_do_update(index_elements=["platform", "user_id"], set_=values)
        )

    def conversation(self, platform: str, user_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(
            select(conversation_refs.c.reference).where(
                conversation_refs.c.platform == platform,
                conversation_refs.c.user_id == user_id,
                conversation_refs.c.active.is_(True),
            )
        ).first()
        return None if row is None else row.reference

    def deactivate_conversation(self, platform: str, user_id: str) -> None:
        self.connection.execute(
            update(conversation_refs)
            .where(conversation_refs.c.platform == platform, conversation_refs.c.user_id == user_id)
            .values(active=False, updated_at=now())
        )

    def save_upload(self, sha256: str, source: str, uploaded_by: str) -> None:
        self.connection.execute(delete(uploads).where(uploads.c.sha256 == sha256))
        self.connection.execute(
            insert(uploads).values(
                sha256=sha256, source=source, uploaded_by=uploaded_by, uploaded_at=now()
            )
        )

    def upload(self, sha256: str) -> str | None:
        return self.connection.execute(
            select(uploads.c.source).where(uploads.c.sha256 == sha256)
        ).scalar()

    def erase_person(self, platform: str, user_id: str) -> tuple[str | None, int]:
        """Delete the only link between a person and their pseudonym, their roles,
        conversation references and the notices addressed to them, and the keys of their
        owner aliases; chained audit rows never change. Returns (pseudonym, the number of
        triages left under it)."""
        pseudonym = self.find_pseudonym(platform, user_id)
        member = f"{platform}:{user_id}"
        self.connection.execute(delete(reviewers).where(reviewers.c.reviewer == member))
        self.connection.execute(delete(admins).where(admins.c.member == member))
        self.connection.execute(
            delete(conversation_refs).where(
                conversation_refs.c.platform == platform, conversation_refs.c.user_id == user_id
            )
        )
        self.connection.execute(
            delete(outbox).where(outbox.c.platform == platform, outbox.c.recipient == user_id)
        )
        if pseudonym is None:
            return None, 0
        self.connection.execute(delete(actors).where(actors.c.pseudonym == pseudonym))
        self.connection.execute(
            update(triages).where(triages.c.owner == pseudonym).values(owner_salt=None)
        )
        count = self.connection.execute(
            select(func.count()).select_from(triages).where(triages.c.owner == pseudonym)
        ).scalar()
        return pseudonym, int(count or 0)

    def retry_outbox(self, message_id: int) -> bool:
        """An operator's retry: a parked or failing message is due again, from attempt 0."""
        result = self.connection.execute(
            update(outbox)
            .where(outbox.c.id == message_id, outbox.c.status != DELIVERED)
            .values(status=PENDING, attempts=0, next_attempt_at=now(), last_error="")
        )
        return result.rowcount == 1

    def open_review(self, triage_id: str, department: str, outcome: str) -> None:
        """A new review, or a reopened one when a re-triage flags the project again."""
        self.connection.execute(delete(reviews).where(reviews.c.triage_id == triage_id))
        self.connection.execute(
            insert(reviews).values(
                triage_id=triage_id,
                department=department,
                status="pending",
                proposed_outcome=outcome,
                comment="",
                revision=1,
                created_at=now(),
            )
        )

    def review_requests_to(
        self, platform: str, user_id: str, kind: str, closed: str, limit: int
    ) -> list[OutboxRecord]:
        """The latest request of each review sent to this person that is not `closed` yet,
        newest first (a re-triage sends a second request for the same triage)."""
        query = (
            select(outbox)
            .join(reviews, reviews.c.triage_id == outbox.c.triage_id)
            .where(
                outbox.c.platform == platform,
                outbox.c.recipient == user_id,
                outbox.c.kind == kind,
                reviews.c.status != closed,
            )
            .order_by(outbox.c.id.desc())
        )
        latest: dict[str, OutboxRecord] = {}
        for row in self.connection.execute(query):
            record = OutboxRecord(**row._mapping)
            latest.setdefault(record.triage_id, record)
            if len(latest) == limit:
                break
        return list(latest.values())

    def review(self, triage_id: str) -> ReviewRecord | None:
        if not could_be_triage_id(triage_id):
            return None
        row = self.connection.execute(
            select(reviews).where(reviews.c.triage_id == triage_id)
        ).first()
        return None if row is None else ReviewRecord(**row._mapping)

    def update_review(self, triage_id: str, revision: int, **values: Any) -> bool:
        result = self.connection.execute(
            update(reviews)
            .where(reviews.c.triage_id == triage_id, reviews.c.revision == revision)
            .values(revision=revision + 1, **values)
        )
        return result.rowcount == 1

    def identity(self, pseudonym: str) -> tuple[str, str] | None:
        row = self.connection.execute(
            select(actors.c.platform, actors.c.user_id).where(actors.c.pseudonym == pseudonym)
        ).first()
        return None if row is None else (row[0], row[1])

    def reviews_unclaimed_since(self, before: datetime) -> list[ReviewRecord]:
        rows = self.connection.execute(
            select(reviews).where(reviews.c.status == "pending", reviews.c.created_at <= before)
        )
        return [ReviewRecord(**row._mapping) for row in rows]

    def completed_between(
        self, start: datetime | None, end: datetime, outcome: str | None = None
    ) -> list[TriageRecord]:
        query = select(triages).where(
            triages.c.status == "completed", triages.c.completed_at <= end
        )
        if start is not None:
            query = query.where(triages.c.completed_at > start)
        if outcome is not None:
            query = query.where(triages.c.outcome == outcome)
        return [TriageRecord(**row._mapping) for row in self.connection.execute(query)]

    def forget_owner(self, triage_id: str, identity: tuple[str, str] | None) -> None:
        """Retention: the triage's owner becomes a pseudonym linked to nobody, the key of the
        owner's alias in its audit chain is deleted, and so are the notices of this triage
        addressed to the owner (`identity`, their platform and user id)."""
        self.connection.execute(
            update(triages)
            .where(triages.c.id == triage_id)
            .values(owner=secrets.token_hex(8), owner_salt=None)
        )
        if identity is not None:
            self.connection.execute(
                delete(outbox).where(
                    outbox.c.triage_id == triage_id,
                    outbox.c.platform == identity[0],
                    outbox.c.recipient == identity[1],
                )
            )

    def audit_by(self, names: list[str], chains: list[str] | None = None) -> list[dict[str, Any]]:
        """The audit rows written by any of these actor names (in `chains` only, when given),
        oldest first: what a person's export shows of the log."""
        if not names:
            return []
        query = select(audit).where(audit.c.actor.in_(names)).order_by(audit.c.id)
        if chains is not None:
            query = query.where(audit.c.chain.in_(chains))
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def meta(self, key: str) -> str | None:
        return self.connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(delete(meta).where(meta.c.key == key))
        self.connection.execute(insert(meta).values(key=key, value=value))

    def departments(self) -> list[tuple[str, str, str]]:
        """(id, French name, English name) in directory order."""
        rows = self.connection.execute(
            select(departments.c.id, departments.c.name_fr, departments.c.name_en).order_by(
                departments.c.position, departments.c.id
            )
        )
        return [tuple(row) for row in rows]

    def put_department(self, department_id: str, name_fr: str, name_en: str) -> bool:
        """Add a department or rename it; True when it is new."""
        exists = self.connection.execute(
            select(departments.c.id).where(departments.c.id == department_id)
        ).first()
        if exists:
            self.connection.execute(
                update(departments)
                .where(departments.c.id == department_id)
                .values(name_fr=name_fr, name_en=name_en)
            )
            return False
        position = self.connection.execute(
            select(func.coalesce(func.max(departments.c.position), 0))
        ).scalar()
        self.connection.execute(
            insert(departments).values(
                id=department_id, name_fr=name_fr, name_en=name_en, position=position + 1
            )
        )
        return True

    def reviewers(self) -> dict[str, list[str]]:
        rows = self.connection.execute(
            select(reviewers.c.department_id, reviewers.c.reviewer).order_by(
                reviewers.c.department_id, reviewers.c.reviewer
            )
        )
        found: dict[str, list[str]] = {}
        for department_id, reviewer in rows:
            found.setdefault(department_id, []).append(reviewer)
        return found

    def add_reviewer(self, department_id: str, reviewer: str) -> bool:
        exists = self.connection.execute(
            select(reviewers.c.reviewer).where(
                reviewers.c.department_id == department_id, reviewers.c.reviewer == reviewer
            )
        ).first()
        if not exists:
            self.connection.execute(
                insert(reviewers).values(department_id=department_id, reviewer=reviewer)
            )
        return not exists

    def remove_reviewer(self, department_id: str, reviewer: str) -> bool:
        result = self.connection.execute(
            delete(reviewers).where(
                reviewers.c.department_id == department_id, reviewers.c.reviewer == reviewer
            )
        )
        return result.rowcount > 0

    def admins(self) -> list[str]:
        return list(
            self.connection.execute(select(admins.c.member).order_by(admins.c.member)).scalars()
        )

    def add_admin(self, member: str) -> bool:
        exists = self.connection.execute(
            select(admins.c.member).where(admins.c.member == member)
        ).first()
        if not exists:
            self.connection.execute(insert(admins).values(member=member))
        return not exists

    def remove_admin(self, member: str) -> bool:
        result = self.connection.execute(delete(admins).where(admins.c.member == member))
        return result.rowcount > 0

    def versions_of(self, flow_id: str | None = None) -> list[VersionRecord]:
        query = select(versions).order_by(versions.c.flow_id, versions.c.version)
        if flow_id is not None:
            query = query.where(versions.c.flow_id == flow_id)
        return [VersionRecord(**row._mapping) for row in self.connection.execute(query)]

    def version_number(self, flow_id: str, number: int) -> VersionRecord | None:
        row = self.connection.execute(
            select(versions).where(versions.c.flow_id == flow_id, versions.c.version == number)
        ).first()
        return None if row is None else VersionRecord(**row._mapping)

    def completed_triages(self) -> list[TriageRecord]:
        rows = self.connection.execute(
            select(triages).where(triages.c.status == "completed").order_by(triages.c.created_at)
        )
        return [TriageRecord(**row._mapping) for row in rows]

    def latest_version(self, flow_id: str) -> VersionRecord | None:
        row = self.connection.execute(
            select(versions)
            .where(versions.c.flow_id == flow_id)
            .order_by(versions.c.version.desc())
            .limit(1)
        ).first()
        return None if row is None else VersionRecord(**row._mapping)

    def version(self, version_id: int) -> VersionRecord | None:
        row = self.connection.execute(select(versions).where(versions.c.id == version_id)).first()
        return None if row is None else VersionRecord(**row._mapping)

    def version_by_sha(self, sha256: str) -> VersionRecord | None:
        row = self.connection.execute(
            select(versions).where(versions.c.sha256 == sha256).order_by(versions.c.id).limit(1)
        ).first()
        return None if row is None else VersionRecord(**row._mapping)

    def record_version(
        self,
        flow_id: str,
        sha256: str,
        source: str,
        document: Any,
        published_by: str,
        note: str = "",
    ) -> VersionRecord:
        """Numbers are assigned here, never read from the file; the unique constraint turns a
        concurrent publication into an error instead of a lost update."""
        last = self.connection.execute(
            select(func.max(versions.c.version)).where(versions.c.flow_id == flow_id)
        ).scalar()
        values = {
            "flow_id": flow_id,
            "version": (last or 0) + 1,
            "sha256": sha256,
            "source": source,
            "document": document,
            "published_by": published_by,
            "published_at": now(),
            "note": note,
        }
        new_id = self.connection.execute(insert(versions).values(**values)).inserted_primary_key
        return VersionRecord(id=new_id[0], **values)


_upserts = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}

_TURN_SQL = {name: TurnSql(name) for name in ("sqlite", "postgresql")}


def _turn_sql(dialect: str) -> TurnSql:
    return _TURN_SQL.get(dialect) or TurnSql(dialect)


def audit_hash(
    prev_hash: str,
    chain: str,
    seq: int,
    kind: str,
    actor: str,
    payload: dict[str, Any],
    created_at: datetime,
) -> str:
    """Timestamps are hashed as naive UTC: SQLite drops the zone on read, PostgreSQL keeps it."""
    if created_at.tzinfo is not None:
        created_at = created_at.astimezone(UTC).replace(tzinfo=None)
    body = json.dumps(
        [
            prev_hash,
            chain,
            seq,
            kind,
            actor,
            payload,
            created_at.isoformat(timespec="microseconds"),
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()
