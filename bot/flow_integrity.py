"""Published flow versions checked against their publication: `audit verify`'s part on flows.

A triage's result is recomputed from its answers and its own version's stored document, the
source's reading kept so that running a flow never parses YAML. Whoever rewrites that
document in the database (a rule's condition, a threshold, an outcome) changes results
without touching a triage or an audit row, and the hash chains stay intact. The log records
each publication with its source's sha256: the stored source must still hash to it, and the
stored document must still be what that source reads as.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flows.flow_cache import document_key
from flows.loader import source_document
from storage.integrity import UnreadableRecord
from storage.repository import ADMIN_CHAIN, Transaction

PUBLISHED = "flow_published"


@dataclass(frozen=True)
class FlowFinding:
    flow: str
    """The version as people name it: `boussole-nantes v2`."""
    problem: str
    """not_published | source_changed | document_changed | unreadable"""


def verify_flows(tx: Transaction) -> tuple[int, list[FlowFinding]]:
    """(versions checked, findings)."""
    published = {
        (row.payload.get("flow"), row.payload.get("version")): row.payload
        for row in tx.audit_rows()
        if row.chain == ADMIN_CHAIN
        and row.kind == PUBLISHED
        and row.readable
        and isinstance(row.payload, dict)
    }
    try:
        records = tx.versions_of()
    except UnreadableRecord as error:
        return 0, [FlowFinding(error.key or "?", "unreadable")]
    findings = []
    for record in records:
        name = f"{record.flow_id} v{record.version}"
        logged = published.get((record.flow_id, record.version), {})
        source = record.source.encode("utf-8")
        if logged.get("sha256") != record.sha256:
            findings.append(FlowFinding(name, "not_published"))
        elif hashlib.sha256(source).hexdigest() != record.sha256:
            findings.append(FlowFinding(name, "source_changed"))
        elif document_key(source_document(source)) != document_key(record.document):
            findings.append(FlowFinding(name, "document_changed"))
    return len(records), findings
