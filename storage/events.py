"""Processed events: the idempotency keys that make a replayed platform event change nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from storage import turn_sql
from storage.base import DuplicateEvent, Repository
from storage.models import ProcessedEvent

processed = ProcessedEvent.__table__


class EventRepository(Repository):
    def claim_event(self, platform: str, key: str) -> None:
        """First write of a turn, so that a duplicate aborts it before any other (on
        PostgreSQL it rides with the turn's next statement, which then fails, and the
        transaction is rolled back). The key is stored as its keyed digest: platform keys are
        made of user ids."""
        digest = self.keys.of(self.connection, key)
        try:
            self._write(turn_sql.CLAIM, platform=platform, key=digest, at=self._stamp())
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
