"""The register's rows: publications of triages, current and withdrawn.

Kept apart from storage.repository because only the register reads them; the functions take
the caller's Transaction, so a publication and its audit row commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from storage.integrity import REGISTER_ENTRY, UnreadableRecord, is_uuid, readable_rows
from storage.models import RegisterEntry
from storage.repository import Transaction, as_utc, now

entries = RegisterEntry.__table__

UNPUBLISHED = "unpublished"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class EntryRecord:
    id: int
    entry: str
    triage_id: str
    details: dict[str, Any]
    published_at: datetime
    withdrawn_at: datetime | None
    withdrawn_because: str | None

    @property
    def current(self) -> bool:
        return self.withdrawn_at is None


def _record(row: Any) -> EntryRecord:
    """The row, or UnreadableRecord for a value Boussole never writes: the entry names a
    file of the register site and sits in its links, the rest is read by every listing."""
    values = dict(row._mapping)
    key = str(values["id"])
    expected = {
        "entry": is_uuid(values["entry"]),
        "triage_id": isinstance(values["triage_id"], str),
        "details": isinstance(values["details"], dict),
        "published_at": isinstance(values["published_at"], datetime),
        "withdrawn_at": isinstance(values["withdrawn_at"], datetime | None),
        "withdrawn_because": values["withdrawn_because"] in (None, UNPUBLISHED, SUPERSEDED),
    }
    for field, fine in expected.items():
        if not fine:
            raise UnreadableRecord(REGISTER_ENTRY, key, field, values[field])
    values["published_at"] = as_utc(values["published_at"])
    if values["withdrawn_at"] is not None:
        values["withdrawn_at"] = as_utc(values["withdrawn_at"])
    return EntryRecord(**values)


def current_entry(tx: Transaction, triage_id: str) -> EntryRecord | None:
    found = tx.connection.execute(
        select(entries).where(entries.c.triage_id == triage_id, entries.c.withdrawn_at.is_(None))
    )
    row = next(readable_rows(found, REGISTER_ENTRY, ""), None)
    return None if row is None else _record(row)


def history(tx: Transaction) -> list[EntryRecord]:
    """Every publication, current or withdrawn, oldest first."""
    rows = tx.connection.execute(select(entries).order_by(entries.c.id))
    return [_record(row) for row in readable_rows(rows, REGISTER_ENTRY, "")]


def add_entry(tx: Transaction, entry: str, triage_id: str, details: dict[str, Any]) -> None:
    tx.connection.execute(
        insert(entries).values(
            entry=entry, triage_id=triage_id, details=details, published_at=now()
        )
    )


def withdraw(tx: Transaction, row_id: int, because: str) -> None:
    tx.connection.execute(
        update(entries)
        .where(entries.c.id == row_id, entries.c.withdrawn_at.is_(None))
        .values(withdrawn_at=now(), withdrawn_because=because)
    )
