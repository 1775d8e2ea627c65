"""The Matrix adapter's own state: where its /sync stopped, what it knows of each room (a
person's direct room, its language, the question last asked there), and which process holds
the device's lease."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.base import Repository, as_utc, now
from storage.models import MatrixLease, MatrixRoom, MatrixSync

rooms = MatrixRoom.__table__
syncs = MatrixSync.__table__
leases = MatrixLease.__table__


def _upsert(dialect: str) -> Any:
    """The dialect's INSERT … ON CONFLICT. PostgreSQL's dialect is imported here, on use: it
    costs 60 ms of CPU to import, which a command on SQLite would pay for nothing."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    return {"sqlite": sqlite_insert}[dialect]


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

    def take_matrix_lease(
        self, account: str, device: str, holder: str, until: datetime, at: datetime
    ) -> tuple[str, datetime]:
        """Take the device's lease, or renew it, unless another holder's runs past `at`;
        the lease as it stands afterwards (its holder is `holder` when taken). Two statements
        that each hold whatever lock they need: two processes starting at once, or taking
        over an expired lease at once, leave exactly one holder."""
        key = (leases.c.account == account, leases.c.device == device)
        upsert = _upsert(self.connection.dialect.name)
        self.connection.execute(
            upsert(leases)
            .values(account=account, device=device, holder=holder, expires_at=until)
            .on_conflict_do_nothing(index_elements=["account", "device"])
        )
        self.connection.execute(
            update(leases)
            .where(*key, or_(leases.c.holder == holder, leases.c.expires_at < at))
            .values(holder=holder, expires_at=until)
        )
        row = self.connection.execute(
            select(leases.c.holder, leases.c.expires_at).where(*key)
        ).one()
        return row.holder, as_utc(row.expires_at)

    def release_matrix_lease(self, account: str, device: str, holder: str, at: datetime) -> None:
        """End the lease now if `holder` still has it, so that another process takes over at
        once rather than when it would have run out."""
        self.connection.execute(
            update(leases)
            .where(leases.c.account == account, leases.c.device == device)
            .where(leases.c.holder == holder)
            .values(expires_at=at)
        )
