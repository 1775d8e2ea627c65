"""What the Matrix adapter keeps in the instance's database: its sync position, the events
it handled and its rooms; and the review notice it sends. Here, in `bot/`, because chat
adapters never reach the database themselves (tests/test_layers.py).

Blocking (SQLAlchemy): called from worker threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

from bot.app import App
from bot.i18n import t
from bot.notifications import ReviewNotice, review_notice, stored_project_name
from bot.reviews import copy_to_close
from storage.models import MatrixRoom, MatrixSync
from storage.repository import DuplicateEvent, OutboxRecord, Store, now

ROOMS = MatrixRoom.__table__
DEDUP_PLATFORM = "matrix-sync"
"""Incoming event ids are claimed under this name in `processed_events`, apart from the
engine's own keys, so that an event replayed after a restart is dropped before anything."""


@dataclass(frozen=True)
class Room:
    room_id: str
    direct_user: str | None
    lang: str
    triage_id: str | None
    question_id: str | None
    question_event: str | None


class MatrixState:
    def __init__(self, app: App, account: str) -> None:
        self.store: Store = app.store
        self.account = account

    def next_batch(self) -> str | None:
        with self.store.reading() as tx:
            row = tx.connection.execute(
                select(MatrixSync.next_batch).where(MatrixSync.account == self.account)
            ).first()
        return row[0] if row else None

    def save_next_batch(self, token: str) -> None:
        """Called once a batch's events are handled, never before: a crash replays them
        (the claims below drop what was done) rather than losing them."""
        values = {"next_batch": token, "updated_at": now()}
        with self.store.transaction() as tx:
            done = tx.connection.execute(
                update(MatrixSync).where(MatrixSync.account == self.account).values(**values)
            )
            if done.rowcount == 0:
                tx.connection.execute(insert(MatrixSync).values(account=self.account, **values))

    def claim(self, event_id: str) -> bool:
        """False when this event was already handled (a replayed sync)."""
        try:
            with self.store.transaction() as tx:
                tx.claim_event(DEDUP_PLATFORM, event_id)
        except DuplicateEvent:
            return False
        return True

    def room(self, room_id: str) -> Room | None:
        with self.store.reading() as tx:
            row = (
                tx.connection.execute(ROOMS.select().where(ROOMS.c.room_id == room_id))
                .mappings()
                .first()
            )
        return _room(row) if row else None

    def direct_room(self, user_id: str) -> Room | None:
        with self.store.reading() as tx:
            row = (
                tx.connection.execute(
                    ROOMS.select()
                    .where(ROOMS.c.direct_user == user_id)
                    .order_by(ROOMS.c.updated_at.desc())
                )
                .mappings()
                .first()
            )
        return _room(row) if row else None

    def save_room(self, room: Room) -> None:
        values = {
            "direct_user": room.direct_user,
            "lang": room.lang,
            "triage_id": room.triage_id,
            "question_id": room.question_id,
            "question_event": room.question_event,
            "updated_at": now(),
        }
        with self.store.transaction() as tx:
            done = tx.connection.execute(
                update(MatrixRoom).where(MatrixRoom.room_id == room.room_id).values(**values)
            )
            if done.rowcount == 0:
                tx.connection.execute(insert(MatrixRoom).values(room_id=room.room_id, **values))

    def forget_room(self, room_id: str) -> None:
        with self.store.transaction() as tx:
            tx.connection.execute(delete(MatrixRoom).where(MatrixRoom.room_id == room_id))


def _room(row: Mapping[str, Any]) -> Room:
    return Room(**{name: row[name] for name in Room.__dataclass_fields__})


def review_notice_for(
    app: App, triage_id: str, department: str, lang: str
) -> tuple[ReviewNotice, tuple[str, ...]]:
    """The notice of a review request and the orientations a reviewer may choose from.
    LookupError when the triage no longer exists."""
    with app.store.reading() as tx:
        view = app.engine.result(tx, triage_id, lang)
        record = tx.triage(triage_id)
        assert record is not None
        outcomes = tuple(app.catalog.get(tx, record.flow_version_id).flow.spec.outcomes)
    return review_notice(view, department, app.directory, lang), outcomes


def closed_copy(app: App, message: OutboxRecord, lang: str) -> tuple[dict[str, Any], str] | None:
    """Where a reviewer's copy of a review request was posted, and what it says now that
    the review is decided; None when there is nothing to edit."""
    with app.store.reading() as tx:
        found = copy_to_close(tx, message)
        if found is None:
            return None
        posted, review = found
        said = t(
            f"review_{review.decision}",
            lang,
            project=stored_project_name(tx, review.triage_id),
            outcome=t(f"outcome_{review.final_outcome}", lang),
        )
    return posted, said
