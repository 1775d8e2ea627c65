"""Published flow versions, compiled once per process and looked up by version id.

A triage keeps the version it started with, so the catalog serves any past version; new
triages take the latest version of the default flow.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from flows.compiled import CompiledFlow
from flows.loader import BUNDLED_FLOW, bundled_flow_bytes, load_source
from storage.repository import ADMIN_CHAIN, Store, Transaction, VersionRecord

BUNDLED_PUBLISHER = "boussole (bundled flow)"


@dataclass(frozen=True)
class PublishedFlow:
    record: VersionRecord
    flow: CompiledFlow

    @property
    def version(self) -> int:
        return self.record.version


class UnknownVersion(LookupError):
    pass


class FlowCatalog:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_id: dict[int, PublishedFlow] = {}
        bundled = load_source(bundled_flow_bytes(), BUNDLED_FLOW)
        self.default_flow_id = bundled.id
        self._bundled = bundled

    def ensure_bundled(self) -> None:
        """Record the bundled flow as version 1 of its id on a new database."""
        with self.store.reading() as tx:
            if tx.latest_version(self.default_flow_id) is not None:
                return
        try:
            with self.store.transaction() as tx:
                if tx.latest_version(self.default_flow_id) is not None:
                    return
                record = tx.record_version(
                    self._bundled.id,
                    self._bundled.sha256,
                    self._bundled.source.decode("utf-8"),
                    BUNDLED_PUBLISHER,
                    "bundled flow",
                )
                tx.append_audit(
                    ADMIN_CHAIN,
                    "flow_published",
                    BUNDLED_PUBLISHER,
                    {"flow": record.flow_id, "version": record.version, "sha256": record.sha256},
                )
        except IntegrityError:
            return

    def latest(self, tx: Transaction, flow_id: str | None = None) -> PublishedFlow:
        record = tx.latest_version(flow_id or self.default_flow_id)
        if record is None:
            raise UnknownVersion(flow_id or self.default_flow_id)
        return self._compiled(record)

    def get(self, tx: Transaction, version_id: int) -> PublishedFlow:
        cached = self._by_id.get(version_id)
        if cached is not None:
            return cached
        record = tx.version(version_id)
        if record is None:
            raise UnknownVersion(str(version_id))
        return self._compiled(record)

    def _compiled(self, record: VersionRecord) -> PublishedFlow:
        cached = self._by_id.get(record.id)
        if cached is None:
            flow = load_source(record.source.encode("utf-8"), f"{record.flow_id} v{record.version}")
            cached = self._by_id[record.id] = PublishedFlow(record, flow)
        return cached
