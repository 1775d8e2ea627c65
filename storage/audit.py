"""The audit chains: each row holds the hash of the one before it in its chain (a triage's
id, or `admin`). Their one log sequence and its checkpoints are storage.audit_log's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Select

from storage import turn_sql
from storage.base import Repository, now
from storage.integrity import AUDIT, UnreadableRecord
from storage.models import AuditEvent
from storage.raw_rows import converted_rows, raw_select

audit = AuditEvent.__table__
RAW = raw_select(audit)
"""Every audit column, the payload and the time as the driver gives them (storage.raw_rows)."""


@dataclass(frozen=True)
class AuditRow:
    id: int
    chain: str
    seq: int
    kind: str
    actor: str
    payload: Any
    created_at: Any
    prev_hash: str
    hash: str
    log_index: int | None
    readable: bool = True
    """False when the payload or the time is not what Boussole writes there: the row was
    changed outside Boussole (its hash cannot match), and verification says so."""


def audit_rows_in(
    connection: Connection, query: Select[Any], batch: int | None = None
) -> Iterator[AuditRow]:
    """The rows of a query on `RAW`, each converted on its own (fetched `batch` at a time
    when given)."""
    for values, readable in converted_rows(connection, audit, query, batch):
        yield AuditRow(**values, readable=readable)


def _checked(rows: Iterator[AuditRow]) -> list[dict[str, Any]]:
    """Rows for a reader that needs their content (a report, a person's export)."""
    found = []
    for row in rows:
        if not row.readable:
            raise UnreadableRecord(AUDIT, str(row.id), "payload/created_at", row.payload)
        values = dict(row.__dict__)
        del values["readable"]
        found.append(values)
    return found


GENESIS = "0" * 64
ADMIN_CHAIN = "admin"


class AuditRepository(Repository):
    def append_audit(self, chain: str, kind: str, actor: str, payload: dict[str, Any]) -> None:
        head = self._audit_heads.get(chain)
        if head is None:
            head = self._run(turn_sql.AUDIT_HEAD, chain=chain).fetchone()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        created_at = now()
        digest = audit_hash(prev_hash, chain, seq, kind, actor, payload, created_at)
        self._write(
            turn_sql.ADD_AUDIT,
            chain=chain,
            seq=seq,
            kind=kind,
            actor=actor,
            payload=self.turn.json_in(payload),
            at=self.turn.time(created_at),
            prev_hash=prev_hash,
            hash=digest,
        )
        self._audit_heads[chain] = (seq, digest)

    def audit_trail(self, chain: str) -> list[dict[str, Any]]:
        query = RAW.where(audit.c.chain == chain).order_by(audit.c.seq)
        return _checked(audit_rows_in(self.connection, query))

    def audit_by(self, names: list[str], chains: list[str] | None = None) -> list[dict[str, Any]]:
        """The audit rows written by any of these actor names (in `chains` only, when given),
        oldest first: what a person's export shows of the log."""
        if not names:
            return []
        query = RAW.where(audit.c.actor.in_(names)).order_by(audit.c.id)
        if chains is not None:
            query = query.where(audit.c.chain.in_(chains))
        return _checked(audit_rows_in(self.connection, query))

    def audit_rows(self) -> list[AuditRow]:
        """Every audit row, chain by chain in sequence order: what verification walks."""
        return list(audit_rows_in(self.connection, RAW.order_by(audit.c.chain, audit.c.seq)))


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
