"""Reviews: the human decision on a flagged triage, under an optimistic lock of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from storage import turn_sql
from storage.base import Repository, now
from storage.integrity import TRIAGE, readable_rows
from storage.models import Review
from storage.outbox import OutboxRecord, outbox
from storage.triages import could_be_triage_id

reviews = Review.__table__


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


class ReviewRepository(Repository):
    def open_review(self, triage_id: str, department: str, outcome: str) -> None:
        """A new review, or a reopened one when a re-triage flags the project again."""
        self._write(
            turn_sql.OPEN_REVIEW,
            triage_id=triage_id,
            department=department,
            outcome=outcome,
            at=self.turn.time(now()),
        )

    def review(self, triage_id: str) -> ReviewRecord | None:
        if not could_be_triage_id(triage_id):
            return None
        found = review_records(
            self.connection.execute(select(reviews).where(reviews.c.triage_id == triage_id)),
            triage_id,
        )
        return found[0] if found else None

    def update_review(self, triage_id: str, revision: int, **values: Any) -> bool:
        result = self.connection.execute(
            update(reviews)
            .where(reviews.c.triage_id == triage_id, reviews.c.revision == revision)
            .values(revision=revision + 1, **values)
        )
        return result.rowcount == 1

    def reviews_unclaimed_since(self, before: datetime) -> list[ReviewRecord]:
        rows = self.connection.execute(
            select(reviews).where(reviews.c.status == "pending", reviews.c.created_at <= before)
        )
        return review_records(rows)

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


def review_records(rows: Any, triage_id: str = "") -> list[ReviewRecord]:
    """Review rows as records; a date or a number SQLite cannot give back as one is refused
    by name (see storage.integrity)."""
    return [ReviewRecord(**row._mapping) for row in readable_rows(rows, TRIAGE, triage_id)]
