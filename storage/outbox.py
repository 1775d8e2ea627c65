"""The outbox: notices queued in a turn's transaction and delivered at least once after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from storage import limits, turn_sql
from storage.base import Repository, now
from storage.integrity import OUTBOX, UnreadableRecord
from storage.models import OutboxMessage
from storage.raw_rows import converted_rows, raw_select

outbox = OutboxMessage.__table__
RAW = raw_select(outbox)
UNREADABLE = (
    "cannot be read: changed outside Boussole; the audit log does not cover the outbox, "
    "restore it from a backup"
)
"""The error a message that no sender could read is parked with."""

PENDING = "pending"
DELIVERED = "delivered"
PARKED = "parked"


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


class OutboxRepository(Repository):
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

    def queue_notice(
        self,
        key: str,
        triage_id: str,
        kind: str,
        platform: str,
        recipient: str,
        payload: dict[str, Any],
    ) -> None:
        """The row `enqueue` writes, deferred to ride with the turn's other writes (a turn's
        review requests, storage.base.Repository._write); a duplicate key fails the turn when
        they are sent. Not for a caller that catches the duplicate in a savepoint."""
        self._write(
            turn_sql.ADD_NOTICE,
            key=self.keys.of(self.connection, key),
            triage_id=triage_id,
            kind=kind,
            platform=platform,
            recipient=recipient,
            payload=self.turn.json_in(payload),
            at=self.turn.time(now()),
        )

    def claim_due(self, platforms: list[str], lease: timedelta, limit: int) -> list[OutboxRecord]:
        """Take due messages and push their next attempt past the lease, so that another
        worker skips them; on PostgreSQL, SKIP LOCKED keeps workers from waiting on each other."""
        stamp = now()
        query = (
            RAW.where(
                outbox.c.status == PENDING,
                outbox.c.next_attempt_at <= stamp,
                outbox.c.platform.in_(platforms),
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows, unreadable = [], []
        for values, readable in converted_rows(self.connection, outbox, query):
            if readable and isinstance(values["payload"], dict):
                rows.append(OutboxRecord(**values))
            else:
                unreadable.append(values["id"])
        for row in rows:
            self.connection.execute(
                update(outbox)
                .where(outbox.c.id == row.id)
                .values(attempts=row.attempts + 1, next_attempt_at=stamp + lease)
            )
        if unreadable:  # set aside, so that the notices behind it still go
            self.connection.execute(
                update(outbox)
                .where(outbox.c.id.in_(unreadable))
                .values(status=PARKED, last_error=UNREADABLE)
            )
        return rows

    def renew_lease(self, message_id: int, fence: int, lease: timedelta) -> bool:
        """Push a claimed message's lease further, if it is still this claim's: `fence` is the
        attempt count the claim set, and any later claim (another notifier, once the lease
        ran out) has raised it. False means the message is someone else's now: not sent."""
        result = self.connection.execute(
            update(outbox)
            .where(
                outbox.c.id == message_id,
                outbox.c.attempts == fence,
                outbox.c.status == PENDING,
            )
            .values(next_attempt_at=now() + lease)
        )
        return result.rowcount == 1

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
        found = self._records(RAW.where(outbox.c.id == message_id))
        return found[0] if found else None

    def mark_failed(self, message_id: int, error: str, retry_at: datetime | None) -> None:
        """`retry_at` None parks the message: it waits for an operator's retry."""
        values: dict[str, Any] = {"last_error": error[: limits.NOTE]}
        if retry_at is None:
            values["status"] = PARKED
        else:
            values["next_attempt_at"] = retry_at
        self.connection.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    def outbox_messages(self, triage_id: str | None = None) -> list[OutboxRecord]:
        query = RAW.order_by(outbox.c.id)
        if triage_id is not None:
            query = query.where(outbox.c.triage_id == triage_id)
        return self._records(query)

    def _records(self, query: Any) -> list[OutboxRecord]:
        """Messages for a reader that shows them; one that cannot be read is named."""
        records = []
        for values, readable in converted_rows(self.connection, outbox, query):
            if not readable or not isinstance(values["payload"], dict):
                raise UnreadableRecord(OUTBOX, str(values["id"]), "payload", values["payload"])
            records.append(OutboxRecord(**values))
        return records

    def retry_outbox(self, message_id: int) -> bool:
        """An operator's retry: a parked or failing message is due again, from attempt 0."""
        result = self.connection.execute(
            update(outbox)
            .where(outbox.c.id == message_id, outbox.c.status != DELIVERED)
            .values(status=PENDING, attempts=0, next_attempt_at=now(), last_error="")
        )
        return result.rowcount == 1
