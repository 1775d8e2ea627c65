"""Repository and unit of work over SQLAlchemy Core.

One `Store.transaction()` is one engine turn: everything a turn writes commits together or
not at all. Core statements keep a turn's cost close to the driver's (see bench/).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.database import READ_ONLY
from storage.models import Actor, AnswerRow, AuditEvent, FlowVersion, ProcessedEvent, Triage

triages = Triage.__table__
answers_table = AnswerRow.__table__
audit = AuditEvent.__table__
processed = ProcessedEvent.__table__
actors = Actor.__table__
versions = FlowVersion.__table__

GENESIS = "0" * 64
ADMIN_CHAIN = "admin"
_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def now() -> datetime:
    return datetime.now(UTC)


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


@dataclass(frozen=True)
class VersionRecord:
    id: int
    flow_id: str
    version: int
    sha256: str
    source: str
    published_by: str
    published_at: datetime
    note: str


class DuplicateEvent(Exception):
    """The idempotency key was already processed: the turn must change nothing."""


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self.engine.begin() as connection:
            yield Transaction(connection)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        connection = self.engine.connect().execution_options(**{READ_ONLY: True})
        with connection, connection.begin():
            yield Transaction(connection)


class Transaction:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim_event(self, platform: str, key: str) -> None:
        """First statement of a turn, so that a duplicate aborts it before any other write."""
        try:
            with self.connection.begin_nested():
                self.connection.execute(
                    insert(processed).values(platform=platform, key=key, processed_at=now())
                )
        except IntegrityError:
            raise DuplicateEvent(key) from None

    def pseudonym(self, platform: str, user_id: str) -> str:
        found = self.connection.execute(
            select(actors.c.pseudonym).where(
                actors.c.platform == platform, actors.c.user_id == user_id
            )
        ).scalar()
        if found is not None:
            return found
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
        rows = self.connection.execute(
            select(answers_table.c.question_id, answers_table.c.value)
            .where(answers_table.c.triage_id == triage_id)
            .order_by(answers_table.c.position)
        )
        return {question: value for question, value in rows}

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
        self.connection.execute(
            insert(answers_table).values(
                triage_id=triage_id,
                question_id=question_id,
                position=position,
                value=value,
                answered_at=now(),
            )
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
        result = self.connection.execute(
            update(triages)
            .where(triages.c.id == triage_id, triages.c.revision == revision)
            .values(revision=revision + 1, updated_at=now(), **values)
        )
        return result.rowcount == 1

    def append_audit(self, chain: str, kind: str, actor: str, payload: dict[str, Any]) -> None:
        head = self.connection.execute(
            select(audit.c.seq, audit.c.hash)
            .where(audit.c.chain == chain)
            .order_by(audit.c.seq.desc())
            .limit(1)
        ).first()
        seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
        created_at = now()
        digest = audit_hash(prev_hash, chain, seq, kind, actor, payload, created_at)
        self.connection.execute(
            insert(audit).values(
                chain=chain,
                seq=seq,
                kind=kind,
                actor=actor,
                payload=payload,
                created_at=created_at,
                prev_hash=prev_hash,
                hash=digest,
            )
        )

    def audit_trail(self, chain: str) -> list[dict[str, Any]]:
        rows = self.connection.execute(
            select(audit).where(audit.c.chain == chain).order_by(audit.c.seq)
        )
        return [dict(row._mapping) for row in rows]

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

    def record_version(
        self, flow_id: str, sha256: str, source: str, published_by: str, note: str = ""
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
            "published_by": published_by,
            "published_at": now(),
            "note": note,
        }
        new_id = self.connection.execute(insert(versions).values(**values)).inserted_primary_key
        return VersionRecord(id=new_id[0], **values)


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
