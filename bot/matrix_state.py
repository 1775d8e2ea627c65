"""What the Matrix adapter keeps in the instance's database: its sync position, the events
it handled and its rooms. Here, in `bot/`, because chat adapters never reach the database
themselves (tests/test_layers.py); the SQL is storage/matrix.py's.

Blocking (SQLAlchemy): called from worker threads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from bot.app import App
from bot.conversations import first_time

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
        self.app = app
        self.account = account

    def next_batch(self) -> str | None:
        with self.app.store.reading() as tx:
            return tx.matrix_next_batch(self.account)

    def save_next_batch(self, token: str) -> None:
        """Called once a batch's events are handled, never before: a crash replays them
        (the claims below drop what was done) rather than losing them."""
        with self.app.store.transaction() as tx:
            tx.save_matrix_next_batch(self.account, token)

    def claim(self, event_id: str) -> bool:
        """False when this event was already handled (a replayed sync)."""
        return first_time(self.app, DEDUP_PLATFORM, event_id)

    def room(self, room_id: str) -> Room | None:
        with self.app.store.reading() as tx:
            row = tx.matrix_room(room_id)
        return _room(row) if row else None

    def direct_room(self, user_id: str) -> Room | None:
        with self.app.store.reading() as tx:
            row = tx.matrix_direct_room(user_id)
        return _room(row) if row else None

    def save_room(self, room: Room) -> None:
        values = {k: v for k, v in asdict(room).items() if k != "room_id"}
        with self.app.store.transaction() as tx:
            tx.save_matrix_room(room.room_id, values)

    def forget_room(self, room_id: str) -> None:
        with self.app.store.transaction() as tx:
            tx.forget_matrix_room(room_id)


def _room(row: Mapping[str, Any]) -> Room:
    return Room(**{name: row[name] for name in Room.__dataclass_fields__})
