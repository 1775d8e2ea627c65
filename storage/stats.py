"""The committee's statistics read finished triages and decided reviews across aggregates;
counting and timing them is bot.stats's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from storage.base import Repository
from storage.reviews import ReviewRecord, review_records, reviews
from storage.triages import TriageRecord, records_of, triages


class StatsRepository(Repository):
    def completed_since(self, since: datetime | None) -> list[TriageRecord]:
        """Completed triages, those completed at or after `since` when given (every one
        otherwise)."""
        query = select(triages).where(triages.c.status == "completed")
        if since is not None:
            query = query.where(triages.c.completed_at >= since)
        return records_of(self.connection.execute(query))

    def decided_reviews(self) -> list[ReviewRecord]:
        rows = self.connection.execute(select(reviews).where(reviews.c.decided_at.is_not(None)))
        return review_records(rows)
