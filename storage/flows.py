"""Published flow versions, numbered per flow, and the flow files uploaded for checking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select

from storage.base import Repository, now
from storage.integrity import FLOW_VERSION, UnreadableRecord, readable_rows
from storage.models import FlowUpload, FlowVersion

versions = FlowVersion.__table__
uploads = FlowUpload.__table__


@dataclass(frozen=True)
class VersionRecord:
    id: int
    flow_id: str
    version: int
    sha256: str
    source: str
    document: Any
    published_by: str
    published_at: datetime
    note: str


class FlowRepository(Repository):
    def versions_of(self, flow_id: str | None = None) -> list[VersionRecord]:
        query = select(versions).order_by(versions.c.flow_id, versions.c.version)
        if flow_id is not None:
            query = query.where(versions.c.flow_id == flow_id)
        return _records(self.connection.execute(query), flow_id or "")

    def version_number(self, flow_id: str, number: int) -> VersionRecord | None:
        rows = self.connection.execute(
            select(versions).where(versions.c.flow_id == flow_id, versions.c.version == number)
        )
        return _first(rows, f"{flow_id} v{number}")

    def latest_version(self, flow_id: str) -> VersionRecord | None:
        rows = self.connection.execute(
            select(versions)
            .where(versions.c.flow_id == flow_id)
            .order_by(versions.c.version.desc())
            .limit(1)
        )
        return _first(rows, flow_id)

    def version(self, version_id: int) -> VersionRecord | None:
        rows = self.connection.execute(select(versions).where(versions.c.id == version_id))
        return _first(rows, str(version_id))

    def version_by_sha(self, sha256: str) -> VersionRecord | None:
        rows = self.connection.execute(
            select(versions).where(versions.c.sha256 == sha256).order_by(versions.c.id).limit(1)
        )
        return _first(rows, f"sha256 {sha256[:12]}")

    def record_version(
        self,
        flow_id: str,
        sha256: str,
        source: str,
        document: Any,
        published_by: str,
        note: str = "",
    ) -> VersionRecord:
        """Numbers are assigned here, never read from the file; the unique constraint turns a
        concurrent publication into an error instead of a lost update."""
        last = self.connection.execute(
            select(func.max(versions.c.version)).where(versions.c.flow_id == flow_id)
        ).scalar()
        values = {
            "flow_id": flow_id,
            "version": (last or 0) + 1,
            "sha256": sha256,
            "source": source,
            "document": document,
            "published_by": published_by,
            "published_at": now(),
            "note": note,
        }
        new_id = self.connection.execute(insert(versions).values(**values)).inserted_primary_key
        return VersionRecord(id=new_id[0], **values)

    def save_upload(self, sha256: str, source: str, uploaded_by: str) -> None:
        self.connection.execute(delete(uploads).where(uploads.c.sha256 == sha256))
        self.connection.execute(
            insert(uploads).values(
                sha256=sha256, source=source, uploaded_by=uploaded_by, uploaded_at=now()
            )
        )

    def upload(self, sha256: str) -> str | None:
        return self.connection.execute(
            select(uploads.c.source).where(uploads.c.sha256 == sha256)
        ).scalar()


def _records(rows: Any, key: str) -> list[VersionRecord]:
    """Version rows as records; a row Boussole could not have written (a document that is
    not JSON, a source that is not text) is refused by name (see storage.integrity)."""
    records = []
    for row in readable_rows(rows, FLOW_VERSION, key):
        record = VersionRecord(**row._mapping)
        if not isinstance(record.source, str) or not isinstance(record.version, int):
            name = f"{record.flow_id} v{record.version}"
            raise UnreadableRecord(FLOW_VERSION, name, "source", record.source)
        records.append(record)
    return records


def _first(rows: Any, key: str) -> VersionRecord | None:
    records = _records(rows, key)
    return records[0] if records else None
