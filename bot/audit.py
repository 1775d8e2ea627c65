"""Verifying the audit log: each chain must link every row to the hash of the one before.

An edited row no longer matches its own hash; a deleted row leaves a gap in the sequence and
a broken link; a reordered row breaks the link to its predecessor. Each finding names the
chain, the sequence number and the row id, so that an auditor can look at it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from storage.repository import GENESIS, Transaction, audit_hash


@dataclass(frozen=True)
class Finding:
    chain: str
    seq: int
    row_id: int
    problem: str
    """edited | missing_before | broken_link | out_of_order"""


def verify(tx: Transaction) -> tuple[int, list[Finding]]:
    """(rows checked, findings), reading each chain in sequence order."""
    rows = tx.audit_rows()
    findings: list[Finding] = []
    previous: dict[str, tuple[int, str, int]] = {}
    for row in rows:
        if row_hash(row) != row.hash:
            findings.append(Finding(row.chain, row.seq, row.id, "edited"))
        last_seq, last_hash, last_id = previous.get(row.chain, (0, GENESIS, 0))
        if row.seq != last_seq + 1:
            findings.append(Finding(row.chain, row.seq, row.id, "missing_before"))
        elif row.prev_hash != last_hash:
            findings.append(Finding(row.chain, row.seq, row.id, "broken_link"))
        if row.id < last_id:
            findings.append(Finding(row.chain, row.seq, row.id, "out_of_order"))
        previous[row.chain] = (row.seq, row.hash, row.id)
    return len(rows), findings


def row_hash(row: Any) -> str:
    """The hash a row's content gives now, whatever its stored `hash` column says; a row
    whose content Boussole could not have written hashes to what no genuine row can."""
    if not row.readable:
        return hashlib.sha256(repr((row.payload, row.created_at)).encode()).hexdigest()
    return audit_hash(
        row.prev_hash, row.chain, row.seq, row.kind, row.actor, row.payload, row.created_at
    )
