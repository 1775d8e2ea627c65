"""Published flow versions, compiled once per process and looked up by version id.

A triage keeps the version it started with, so the catalog serves any past version; new
triages take the latest version of the default flow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from flows.compiled import CompiledFlow
from flows.loader import BUNDLED_FLOW, bundled_flow_bytes, load_document, load_source
from flows.problems import FlowError
from storage.integrity import FLOW_VERSION, UnreadableRecord
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
        self.default_flow_id = ""

    def ensure_bundled(self) -> None:
        """Record the bundled flow as version 1 of its id on a new database.

        The bundled file is found by its sha256, so a normal start never parses YAML; it is
        parsed only when this exact file was never recorded, or when its row was changed
        outside Boussole: then the app still opens (`audit verify` must run), and whatever
        reads that version says it cannot be read.
        """
        source = bundled_flow_bytes()
        sha256 = hashlib.sha256(source).hexdigest()
        try:
            with self.store.reading() as tx:
                known = tx.version_by_sha(sha256)
        except UnreadableRecord:
            self.default_flow_id = load_source(source, BUNDLED_FLOW).id
            return
        if known is not None:
            self.default_flow_id = known.flow_id
            return
        bundled = load_source(source, BUNDLED_FLOW)
        self.default_flow_id = bundled.id
        try:
            with self.store.transaction() as tx:
                if tx.latest_version(bundled.id) is not None:
                    return
                record = tx.record_version(
                    bundled.id,
                    bundled.sha256,
                    source.decode("utf-8"),
                    bundled.document,
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
        if record is None:  # a triage's version that no row holds
            raise UnreadableRecord(FLOW_VERSION, str(version_id), "id", "missing")
        return self._compiled(record)

    def _compiled(self, record: VersionRecord) -> PublishedFlow:
        cached = self._by_id.get(record.id)
        if cached is None:
            name = f"{record.flow_id} v{record.version}"
            try:
                flow = load_document(
                    record.document, record.source.encode("utf-8"), record.sha256, name
                )
            except FlowError as error:  # it passed every check when it was published
                found = error.problems[0].message if error.problems else str(error)
                raise UnreadableRecord(FLOW_VERSION, name, "document", found) from None
            cached = self._by_id[record.id] = PublishedFlow(record, flow)
        return cached
