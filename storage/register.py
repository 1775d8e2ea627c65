"""The register's rows: publications of triages, current and withdrawn.

Kept apart from storage.repository because only the register reads them; the functions take
the caller's Transaction, so a publication and its audit row commit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update

from storage.integrity import REGISTER_ENTRY, UnreadableRecord, is_uuid
from storage.models import RegisterEntry
from storage.raw_rows import converted_rows, raw_select
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


RAW = raw_select(entries)
"""Every column, the details and dates as the driver gives them (storage.raw_rows)."""


def _records(tx: Transaction, query: Any) -> list[EntryRecord]:
    """The rows, or UnreadableRecord naming the first with a value Boussole never writes:
    the entry names a file of the register site and sits in its links, the rest is read by
    every listing."""
    found = []
    for values, readable in converted_rows(tx.connection, entries, query):
        key = str(values["id"])
        if not readable:
            stored = {name: values[name] for name in ("details", "published_at", "withdrawn_at")}
            raise UnreadableRecord(REGISTER_ENTRY, key, "date/JSON", stored)
        expected = {
            "entry": is_uuid(values["entry"]),
            "triage_id": isinstance(values["triage_id"], str),
            "details": isinstance(values["details"], dict),
            "withdrawn_at": isinstance(values["withdrawn_at"], datetime | None),
            "withdrawn_because": values["withdrawn_because"] in (None, UNPUBLISHED, SUPERSEDED),
        }
        for field, fine in expected.items():
            if not fine:
                raise UnreadableRecord(REGISTER_ENTRY, key, field, values[field])
        values["published_at"] = as_utc(values["published_at"])
        if values["withdrawn_at"] is not None:
            values["withdrawn_at"] = as_utc(values["withdrawn_at"])
        found.append(EntryRecord(**values))
    return found


def current_entry(tx: Transaction, triage_id: str) -> EntryRecord | None:
    query = RAW.where(entries.c.triage_id == triage_id, entries.c.withdrawn_at.is_(None))
    found = _records(tx, query)
    return found[0] if found else None


def history(tx: Transaction) -> list[EntryRecord]:
    """Every publication, current or withdrawn, oldest first."""
    return _records(tx, RAW.order_by(entries.c.id))


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
