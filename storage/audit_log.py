"""The audit log's one sequence over every chain, and the checkpoints stored beside it.

A row gets its log position after it commits, never in the turn that writes it. On
PostgreSQL ids are handed out at INSERT and transactions commit in any order: a position
given at INSERT, or an order by id, could put a row that commits late before rows a
checkpoint has already signed, and that checkpoint would then no longer match. The
sequencer gives positions, in id order, to the committed rows that have none, under a lock,
so the sequence only ever grows at its end (Certificate Transparency's merge delay). The
turn's INSERT is unchanged: not one statement is added to the hot path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, distinct, func, insert, select, text, update

from storage.audit import RAW, AuditRow, audit_rows_in
from storage.models import AuditCheckpoint
from storage.repository import Transaction, audit, now

checkpoints = AuditCheckpoint.__table__

SEQUENCER_LOCK = 7158813
"""PostgreSQL advisory lock of the sequencer (the migrations hold 7158812). On SQLite the
write transaction's BEGIN IMMEDIATE already excludes every other writer."""
_BATCH = 2000
SEQUENCE_BATCH = 10_000


@dataclass(frozen=True)
class Positions:
    """How the rows that have a position fill the sequence: contiguous from 0 when
    `count == distinct == top + 1` and `bottom == 0`."""

    count: int
    distinct: int
    bottom: int | None
    top: int | None

    @property
    def contiguous(self) -> bool:
        if self.count == 0:
            return True
        return self.bottom == 0 and self.count == self.distinct == (self.top or 0) + 1


def sequence(tx: Transaction, limit: int = SEQUENCE_BATCH) -> int:
    """Give the next positions to at most `limit` committed rows that have none, in id
    order; returns how many. Run in a write transaction, which the lock makes the only
    sequencer: a small `limit` keeps turns from waiting long behind a large backlog (the
    first checkpoint after an upgrade sequences every row already written)."""
    connection = tx.connection
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCER_LOCK})
    top = connection.execute(select(func.max(audit.c.log_index))).scalar()
    start = 0 if top is None else top + 1
    waiting = connection.execute(
        select(audit.c.id).where(audit.c.log_index.is_(None)).order_by(audit.c.id).limit(limit)
    ).scalars()
    assigned = [{"row_id": row_id, "position": start + n} for n, row_id in enumerate(waiting)]
    if assigned:
        connection.execute(
            update(audit)
            .where(audit.c.id == bindparam("row_id"))
            .values(log_index=bindparam("position")),
            assigned,
        )
    return len(assigned)


def positions(tx: Transaction) -> Positions:
    count, unique, bottom, top = tx.connection.execute(
        select(
            func.count(audit.c.log_index),
            func.count(distinct(audit.c.log_index)),
            func.min(audit.c.log_index),
            func.max(audit.c.log_index),
        )
    ).one()
    return Positions(count, unique, bottom, top)


def unsequenced(tx: Transaction) -> int:
    return tx.connection.execute(
        select(func.count()).select_from(audit).where(audit.c.log_index.is_(None))
    ).scalar_one()


def rows_from(tx: Transaction, start: int = 0) -> Iterator[AuditRow]:
    """The rows at positions `start` and after, in log order, fetched in batches: a log
    verified in full may hold millions of rows."""
    query = RAW.where(audit.c.log_index >= start).order_by(audit.c.log_index)
    yield from audit_rows_in(tx.connection, query, _BATCH)


def save_checkpoint(tx: Transaction, tree_size: int, line: str, frontier: list[str]) -> None:
    tx.connection.execute(
        insert(checkpoints).values(
            tree_size=tree_size, line=line, frontier=frontier, created_at=now()
        )
    )


def stored_checkpoints(tx: Transaction) -> list[tuple[int, str]]:
    """(id, line) of every stored checkpoint, oldest first."""
    query = select(checkpoints.c.id, checkpoints.c.line).order_by(checkpoints.c.id)
    return [(row.id, row.line) for row in tx.connection.execute(query)]


def latest_checkpoints(tx: Transaction, limit: int = 10) -> list[tuple[str, Any]]:
    """(line, frontier) of the largest stored checkpoints, largest first: the next checkpoint
    extends the first of them that proves genuine."""
    query = (
        select(checkpoints.c.line, checkpoints.c.frontier)
        .order_by(checkpoints.c.tree_size.desc(), checkpoints.c.id.desc())
        .limit(limit)
    )
    return [(row.line, row.frontier) for row in tx.connection.execute(query)]
