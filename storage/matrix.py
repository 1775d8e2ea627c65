"""The Matrix adapter's own state: where its /sync stopped, and what it knows of each room
(a person's direct room, its language, the question last asked there)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from storage.base import Repository, now
from storage.models import MatrixRoom, MatrixSync

rooms = MatrixRoom.__table__
syncs = MatrixSync.__table__


class MatrixRepository(Repository):
    def matrix_next_batch(self, account: str) -> str | None:
        return self.connection.execute(
            select(syncs.c.next_batch).where(syncs.c.account == account)
        ).scalar()

    def save_matrix_next_batch(self, account: str, token: str) -> None:
        values = {"next_batch": token, "updated_at": now()}
        done = self.connection.execute(
            update(syncs).where(syncs.c.account == account).values(**values)
        )
        if done.rowcount == 0:
            self.connection.execute(insert(syncs).values(account=account, **values))

    def matrix_room(self, room_id: str) -> Mapping[str, Any] | None:
        return (
            self.connection.execute(rooms.select().where(rooms.c.room_id == room_id))
            .mappings()
            .first()
        )

    def matrix_direct_room(self, user_id: str) -> Mapping[str, Any] | None:
        """The person's most recently used direct room with the bot."""
        query = (
            rooms.select().where(rooms.c.direct_user == user_id).order_by(rooms.c.updated_at.desc())
        )
        return self.connection.execute(query).mappings().first()

    def save_matrix_room(self, room_id: str, values: Mapping[str, Any]) -> None:
        stamped = {**values, "updated_at": now()}
        done = self.connection.execute(
            update(rooms).where(rooms.c.room_id == room_id).values(**stamped)
        )
        if done.rowcount == 0:
            self.connection.execute(insert(rooms).values(room_id=room_id, **stamped))

    def forget_matrix_room(self, room_id: str) -> None:
        self.connection.execute(delete(rooms).where(rooms.c.room_id == room_id))
