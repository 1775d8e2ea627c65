"""The audit chains: each row holds the hash of the one before it in its chain (a triage's
id, or `admin`). Their one log sequence and its checkpoints are storage.audit_log's."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select

from storage import turn_sql
from storage.base import Repository, now
from storage.models import AuditEvent

audit = AuditEvent.__table__

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
        rows = self.connection.execute(
            select(audit).where(audit.c.chain == chain).order_by(audit.c.seq)
        )
        return [dict(row._mapping) for row in rows]

    def audit_by(self, names: list[str], chains: list[str] | None = None) -> list[dict[str, Any]]:
        """The audit rows written by any of these actor names (in `chains` only, when given),
        oldest first: what a person's export shows of the log."""
        if not names:
            return []
        query = select(audit).where(audit.c.actor.in_(names)).order_by(audit.c.id)
        if chains is not None:
            query = query.where(audit.c.chain.in_(chains))
        return [dict(row._mapping) for row in self.connection.execute(query)]

    def audit_rows(self) -> list[Row[Any]]:
        """Every audit row, chain by chain in sequence order: what verification walks."""
        return list(self.connection.execute(select(audit).order_by(audit.c.chain, audit.c.seq)))


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
