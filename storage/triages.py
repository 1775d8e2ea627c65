"""Triages: one row per analysis, its owner's pseudonym, its status and its revision."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage import limits, turn_sql
from storage.audit import GENESIS
from storage.base import Repository
from storage.integrity import TRIAGE, checked_triage, readable_rows
from storage.models import Triage

triages = Triage.__table__

_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def could_be_triage_id(text: str) -> bool:
    """Ids arrive from chat typed or in card data: one that no row can hold is unknown, not a
    database error (PostgreSQL refuses a NUL in any text parameter)."""
    return len(text) <= limits.TRIAGE_ID and text.isprintable()


def new_triage_id() -> str:
    """Short enough to type in `reprendre ID`, with ~50 bits of randomness."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


@dataclass(frozen=True)
class TriageRecord:
    id: str
    flow_version_id: int
    owner: str
    platform: str
    lang: str
    status: str
    current_question: str | None
    outcome: str | None
    revision: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    previous_result: Any = None
    owner_salt: str | None = None
    revises: str | None = None


@dataclass(frozen=True)
class TriageState:
    """What a turn needs of a triage, with the identity behind its owner's pseudonym."""

    id: str
    flow_version_id: int
    owner: str
    status: str
    current_question: str | None
    revision: int
    lang: str
    owner_platform: str | None
    owner_user_id: str | None
    owner_salt: str | None = None
    """Key of the owner's alias in the audit chain; None once retention or erasure cut it."""
    revises: str | None = None
    """The finished triage this one re-does: its answers are shown as the previous ones."""


class TriageRepository(Repository):
    def triage_state(self, triage_id: str) -> TriageState | None:
        if not could_be_triage_id(triage_id):
            return None
        row = self._run(turn_sql.STATE, id=triage_id).fetchone()
        if row is None:
            return None
        *state, seq, last_hash = row
        if seq is not None:
            self._audit_heads[triage_id] = (seq, last_hash)
        values = dict(zip(_STATE, state, strict=True))
        return TriageState(triage_id, **checked_triage(triage_id, values))

    def triage(self, triage_id: str) -> TriageRecord | None:
        if not could_be_triage_id(triage_id):
            return None
        result = self.connection.execute(select(triages).where(triages.c.id == triage_id))
        rows = list(readable_rows(result, TRIAGE, triage_id))
        return record_of(rows[0]) if rows else None

    def triages_of(self, owner: str, limit: int = 50) -> list[TriageRecord]:
        rows = self.connection.execute(
            select(triages)
            .where(triages.c.owner == owner)
            .order_by(triages.c.updated_at.desc())
            .limit(limit)
        )
        return records_of(rows)

    def previous_result(self, triage_id: str) -> dict[str, Any] | None:
        record = self.triage(triage_id)
        return None if record is None else record.previous_result

    def revised_by(self, triage_id: str) -> list[str]:
        """The re-triages of a triage, oldest first."""
        rows = self.connection.execute(
            select(triages.c.id)
            .where(triages.c.revises == triage_id)
            .order_by(triages.c.created_at)
        )
        return list(rows.scalars())

    def insert_triage(self, record: TriageRecord) -> None:
        """A new triage, whose audit chain is empty: its first event needs no read of it."""
        values = dict(record.__dict__)
        for stamp in ("created_at", "updated_at", "completed_at"):
            values[stamp] = self.turn.time(values[stamp])
        values["previous_result"] = self.turn.json_in(values["previous_result"])
        self._write(turn_sql.ADD_TRIAGE, **values)
        self._audit_heads[record.id] = (0, GENESIS)

    def update_triage(
        self, triage_id: str, revision: int, last: bool = False, **values: Any
    ) -> bool:
        """Optimistic lock: only the holder of the revision it read may write. `last`: the
        turn writes nothing after this, which lets PostgreSQL send it with the turn's
        deferred inserts as one statement without a transaction around it."""
        if "completed_at" in values:
            values["completed_at"] = self.turn.time(values["completed_at"])
        template = turn_sql.update_triage(tuple(values))
        params = {"id": triage_id, "revision": revision, "updated_at": self._stamp(), **values}
        if last and self._unbegun and not self._writes_to("triages"):
            return self._last_write(template, params)
        return self._run(template, **params).rowcount == 1

    def completed_between(
        self, start: datetime | None, end: datetime, outcome: str | None = None
    ) -> list[TriageRecord]:
        query = select(triages).where(
            triages.c.status == "completed", triages.c.completed_at <= end
        )
        if start is not None:
            query = query.where(triages.c.completed_at > start)
        if outcome is not None:
            query = query.where(triages.c.outcome == outcome)
        return records_of(self.connection.execute(query))

    def completed_triages(self) -> list[TriageRecord]:
        rows = self.connection.execute(
            select(triages).where(triages.c.status == "completed").order_by(triages.c.created_at)
        )
        return records_of(rows)


_STATE = (
    "flow_version_id",
    "owner",
    "status",
    "current_question",
    "revision",
    "lang",
    "owner_platform",
    "owner_user_id",
    "owner_salt",
    "revises",
)
"""The fields of `turn_sql.STATE`'s row, in its order, before the audit chain's head."""


def record_of(row: Any) -> TriageRecord:
    values = dict(row._mapping)
    return TriageRecord(**checked_triage(str(values["id"]), values))


def records_of(rows: Any) -> list[TriageRecord]:
    """Triage rows as records; one Boussole could not have written stops the listing with
    its name rather than a Python error (see storage.integrity)."""
    return [record_of(row) for row in readable_rows(rows, TRIAGE, "")]
