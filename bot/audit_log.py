"""The audit log as one append-only sequence with signed checkpoints (RFC 9162's design).

The per-chain hashes show a row edited or removed inside a chain, but not a chain cut at its
end, a chain removed whole, or a chain rewritten and hashed again: whoever can write to the
database can recompute them. So every row, whatever its chain, also takes a position in one
sequence, and a checkpoint signs the Merkle tree hash of that sequence with a key the
database does not hold. A checkpoint kept outside the database (a file, the logs) then proves
the first `tree_size` rows unchanged: a row deleted, edited, moved or rehashed changes the
tree hash, and no new signature can be made without the key.

Leaves are recomputed from each row's content, never read from its `hash` column, so an edit
shows however carefully the hashes around it were recomputed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from bot import checkpoints as cp
from bot.audit import row_hash
from bot.i18n import t
from bot.merkle import EMPTY_ROOT, Frontier, leaf_hash
from storage import audit_log as sequence_store
from storage.repository import Store, Transaction

log = logging.getLogger(__name__)

ORIGIN = "audit_log_origin"
"""Meta key of this database's log name, which every checkpoint carries: a checkpoint of
another deployment is named as such rather than as a mismatch."""
DATABASE_SOURCE = "audit_checkpoints"
_SHOWN_RANGES = 6


class CheckpointRefused(Exception):
    """The log no longer extends what was signed before: signing now would vouch for a
    damaged history. `key` and `params` make the catalog message."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class LogFinding:
    problem: str
    """rows_missing | duplicated | root_mismatch | later_mismatch | bad_signature |
    unknown_key | other_log | origin_missing"""
    params: dict[str, Any]


@dataclass
class LogReport:
    findings: list[LogFinding] = field(default_factory=list)
    checked: int = 0
    """Checkpoints with a valid signature."""
    covered: int = 0
    """Rows covered by the largest of them."""
    latest: str = ""
    unprotected: int = 0
    """Rows no checkpoint covers yet: written since the last one."""


@overload
def take_checkpoint(
    store: Store, key: Ed25519PrivateKey, file: Path | None, *, only_if_grown: Literal[False]
) -> cp.Checkpoint: ...


@overload
def take_checkpoint(
    store: Store, key: Ed25519PrivateKey, file: Path | None, *, only_if_grown: bool
) -> cp.Checkpoint | None: ...


def take_checkpoint(
    store: Store, key: Ed25519PrivateKey, file: Path | None, *, only_if_grown: bool
) -> cp.Checkpoint | None:
    """Sequence the rows committed since the last checkpoint, sign the tree hash, store the
    checkpoint, log it and append it to `file`. None when `only_if_grown` and nothing was
    written since the last checkpoint. Raises CheckpointRefused on a damaged log."""
    with store.transaction() as tx:
        assigned = sequence_store.sequence(tx)
        origin = _origin(tx)
    while assigned == sequence_store.SEQUENCE_BATCH:
        with store.transaction() as tx:
            assigned = sequence_store.sequence(tx)
    public = key.public_key()
    with store.reading() as tx:
        tree, size = _extend(tx, origin, public, file, only_if_grown)
        if tree is None:
            return None
    checkpoint = cp.sign(key, origin, size, tree.root())
    with store.transaction() as tx:
        nodes = [node.hex() for node in tree.nodes]
        sequence_store.save_checkpoint(tx, size, checkpoint.line(), nodes)
    log.info("%s%s", cp.LOG_MARKER, checkpoint.line(), extra={cp.LOG_FIELD: checkpoint.to_json()})
    if file is not None:
        cp.append(file, checkpoint)
    return checkpoint


def _origin(tx: Transaction) -> str:
    """This log's name, made by its first checkpoint (under the sequencer's lock)."""
    origin = tx.meta(ORIGIN)
    if origin is None:
        origin = f"boussole-audit/{secrets.token_hex(8)}"
        tx.set_meta(ORIGIN, origin)
    return origin


def said(key: str, params: Mapping[str, Any], lang: str) -> str:
    """A catalog message about the log in `lang`; the log's size is said with its noun,
    singular or plural ("1 ligne", "12 lignes"), since only a message's own `count` chooses
    its form."""
    sized = {k: t("audit_rows", lang, count=v) if k == "size" else v for k, v in params.items()}
    return t(key, lang, **sized)


def checkpoint_if_grown(store: Store, key_file: Path, file: Path | None) -> None:
    """The periodic checkpoint of serve and worker, when rows were written since the last
    one. A refusal is logged as an error, for the operators' alerting, and tried again at
    the next period: the log stays damaged until someone looks."""
    try:
        take_checkpoint(store, cp.load_private_key(key_file), file, only_if_grown=True)
    except CheckpointRefused as refused:
        log.error(said(refused.key, refused.params, "en"), extra={"audit_refused": refused.key})


def _extend(
    tx: Transaction,
    origin: str,
    public: Ed25519PublicKey,
    file: Path | None,
    only_if_grown: bool,
) -> tuple[Frontier | None, int]:
    """The tree over the whole log, grown from the last genuine checkpoint rather than
    recomputed: rows already signed are never read again, so an edit to them cannot slip
    into a new signature."""
    tree = _last_genuine(tx, origin, public)
    found = sequence_store.positions(tx)  # after the checkpoint: another sequencer only adds
    if not found.contiguous:
        raise CheckpointRefused(
            "audit_checkpoint_gap", count=found.count, bottom=found.bottom, top=found.top
        )
    size = found.count
    if tree.size > size:
        raise CheckpointRefused(
            "audit_checkpoint_shrunk", source=DATABASE_SOURCE, covered=tree.size, size=size
        )
    if only_if_grown and tree.size == size:
        return None, size
    previous = _last_in_file(file, origin, public)
    if previous is not None and previous.tree_size > size:
        raise CheckpointRefused(
            "audit_checkpoint_shrunk", source=str(file), covered=previous.tree_size, size=size
        )
    check = previous if previous is not None and previous.tree_size >= tree.size else None
    _compare_at(tree, check, file)
    for row in sequence_store.rows_from(tx, tree.size):
        if tree.size == size:
            break
        if not row.readable:  # never sign over a row changed outside Boussole
            raise CheckpointRefused("audit_checkpoint_unreadable", id=row.id, position=tree.size)
        tree.append(leaf_hash(bytes.fromhex(row_hash(row))))
        _compare_at(tree, check, file)
    return tree, size


def _compare_at(tree: Frontier, signed: cp.Checkpoint | None, file: Path | None) -> None:
    if signed is not None and tree.size == signed.tree_size and tree.root() != signed.root_hash:
        raise CheckpointRefused("audit_checkpoint_diverged", source=str(file), covered=tree.size)


def _last_genuine(tx: Transaction, origin: str, public: Ed25519PublicKey) -> Frontier:
    """The stored checkpoint to extend: the largest one that this key signed for this log and
    whose stored frontier folds to its signed root (anyone can write to the table)."""
    for line, nodes in sequence_store.latest_checkpoints(tx):
        try:
            signed = cp.parse(line)
            tree = Frontier(signed.tree_size, [bytes.fromhex(n) for n in nodes]) if signed else None
        except (ValueError, TypeError):
            continue
        if tree is not None and _ours(signed, origin, public) and tree.root() == signed.root_hash:
            return tree
    return Frontier()


def _last_in_file(file: Path | None, origin: str, public: Ed25519PublicKey) -> cp.Checkpoint | None:
    signed = cp.last_in_file(file) if file is not None else None
    return signed if signed is not None and _ours(signed, origin, public) else None


def _ours(signed: cp.Checkpoint | None, origin: str, public: Ed25519PublicKey) -> bool:
    return (
        signed is not None
        and signed.origin == origin
        and signed.key_id == cp.key_id(public)
        and signed.signed_by(public)
    )


def stored_checkpoints(tx: Transaction) -> list[tuple[str, cp.Checkpoint]]:
    """The checkpoints kept in the database, named `audit_checkpoints#id`; an unreadable one
    is skipped, since this copy is not the one verification relies on."""
    found: list[tuple[str, cp.Checkpoint]] = []
    for row_id, line in sequence_store.stored_checkpoints(tx):
        try:
            signed = cp.parse(line)
        except ValueError:
            continue
        if signed is not None:
            found.append((f"{DATABASE_SOURCE}#{row_id}", signed))
    return found


def verify_log(
    tx: Transaction, sources: list[tuple[str, cp.Checkpoint]], keys: list[Ed25519PublicKey]
) -> LogReport:
    """Check each checkpoint's signature, then that the rows it covers are all there, once,
    and hash to its root. Problems are reported once, at the first checkpoint they affect."""
    report = LogReport()
    genuine = _genuine(tx, sources, keys, report)
    if not genuine:
        report.unprotected = sequence_store.unsequenced(tx) + sequence_store.positions(tx).count
        return report
    end = genuine[-1][1].tree_size
    scan = _scan(sequence_store.rows_from(tx), {signed.tree_size for _, signed in genuine}, end)
    report.findings.extend(_compare(genuine, scan))
    report.checked = len(genuine)
    report.covered = end
    report.latest = max(signed.timestamp for _, signed in genuine)
    report.unprotected = sequence_store.unsequenced(tx) + scan.beyond
    return report


def _genuine(
    tx: Transaction,
    sources: list[tuple[str, cp.Checkpoint]],
    keys: list[Ed25519PublicKey],
    report: LogReport,
) -> list[tuple[str, cp.Checkpoint]]:
    """The checkpoints signed by one of `keys` for this log, one per (size, root), smallest
    first; every other one is a finding."""
    by_id = {cp.key_id(key): key for key in keys}
    ours = tx.meta(ORIGIN)
    if ours is None and sources:
        report.findings.append(LogFinding("origin_missing", {}))
    unique: dict[tuple[int, bytes], tuple[str, cp.Checkpoint]] = {}
    for source, signed in sources:
        key = by_id.get(signed.key_id)
        if key is None:
            known = ", ".join(by_id) or "-"
            params = {"source": source, "key_id": signed.key_id, "known": known}
            report.findings.append(LogFinding("unknown_key", params))
        elif not signed.signed_by(key):
            params = {"source": source, "key_id": signed.key_id}
            report.findings.append(LogFinding("bad_signature", params))
        elif ours is not None and signed.origin != ours:
            params = {"source": source, "origin": signed.origin, "ours": ours}
            report.findings.append(LogFinding("other_log", params))
        else:
            unique.setdefault((signed.tree_size, signed.root_hash), (source, signed))
    return sorted(unique.values(), key=lambda item: item[1].tree_size)


@dataclass
class _Scan:
    roots: dict[int, bytes] = field(default_factory=dict)
    missing: list[tuple[int, int]] = field(default_factory=list)
    duplicated: list[int] = field(default_factory=list)
    beyond: int = 0


def _scan(rows: Iterable[Any], sizes: set[int], end: int) -> _Scan:
    """One pass over the rows in log order: the root at every checkpointed size, and the
    positions below `end` that are empty or taken twice (after which no root is computed)."""
    scan = _Scan()
    if 0 in sizes:
        scan.roots[0] = EMPTY_ROOT
    tree = Frontier()
    expected, previous, intact = 0, -1, True
    for row in rows:
        position = row.log_index
        if position >= end:
            scan.beyond += 1
            continue
        if position == previous:
            scan.duplicated.append(position)
            intact = False
            continue
        if position > expected:
            scan.missing.append((expected, position - 1))
            intact = False
        previous, expected = position, position + 1
        if intact:
            tree.append(leaf_hash(bytes.fromhex(row_hash(row))))
            if tree.size in sizes:
                scan.roots[tree.size] = tree.root()
    if expected < end:
        scan.missing.append((expected, end - 1))
    return scan


def _compare(genuine: list[tuple[str, cp.Checkpoint]], scan: _Scan) -> list[LogFinding]:
    findings: list[LogFinding] = []
    start = last_good = mismatched = 0
    for source, signed in genuine:
        size = signed.tree_size
        named = {"source": source, "at": signed.timestamp, "size": size}
        gaps = [
            (max(a, start), min(b, size - 1)) for a, b in scan.missing if start <= b and a < size
        ]
        twice = [(p, p) for p in sorted(set(scan.duplicated)) if start <= p < size]
        if gaps:
            count = sum(b - a + 1 for a, b in gaps)
            findings.append(
                LogFinding("rows_missing", {**named, "count": count, "positions": _ranges(gaps)})
            )
        if twice:
            findings.append(LogFinding("duplicated", {**named, "positions": _ranges(twice)}))
        damaged = any(a < size for a, _ in scan.missing) or any(p < size for p in scan.duplicated)
        if not damaged and scan.roots.get(size) != signed.root_hash:
            if not mismatched:
                first = last_good if last_good < size else 0
                findings.append(
                    LogFinding("root_mismatch", {**named, "first": first, "last": size - 1})
                )
            mismatched += 1
        elif not damaged and not mismatched:
            last_good = size
        start = max(start, size)
    if mismatched > 1:
        findings.append(LogFinding("later_mismatch", {"count": mismatched - 1}))
    return findings


def _ranges(ranges: list[tuple[int, int]]) -> str:
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:_SHOWN_RANGES]]
    if len(ranges) > _SHOWN_RANGES:
        shown.append(f"… (+{len(ranges) - _SHOWN_RANGES})")
    return ", ".join(shown)
