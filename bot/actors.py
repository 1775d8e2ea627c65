"""How the audit log and the version records name people: `channel/pseudonym`, never a
platform id.

The channel says where the action came from (`slack`, `teams`, `console`, `cli`), the
pseudonym who did it, through the `actors` table that erasure deletes. In a triage's audit
chain the owner is named by an alias instead: a keyed BLAKE2b digest of their pseudonym under
a salt kept on the triage row. While the salt exists the alias proves which pseudonym acted
(nobody can pick another pseudonym with the same alias); retention and erasure delete the
salt, and the chain, unchanged and still verifiable, then leads to nobody. A random alias in a
mapping table would be cut the same way, but could be re-pointed at someone else unseen.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from bot.events import Actor
from bot.notifications import Recipient
from storage.repository import Transaction, TriageRecord, TriageState

SEPARATOR = "/"


def label(platform: str, pseudonym: str) -> str:
    return f"{platform}{SEPARATOR}{pseudonym}"


def actor_label(tx: Transaction, actor: Actor | Recipient) -> str:
    """The person's name in the log, their pseudonym made on first contact."""
    return label(actor.platform, tx.pseudonym(actor.platform, actor.user_id))


def member_label(tx: Transaction, member: str) -> str:
    """`slack:U012ABC` (a role given to someone) as the log names them."""
    return actor_label(tx, Recipient.parse(member))


def new_owner_salt() -> str:
    return secrets.token_hex(16)


def owner_alias(salt: str, pseudonym: str) -> str:
    return hashlib.blake2b(
        pseudonym.encode("utf-8"), key=bytes.fromhex(salt), digest_size=8
    ).hexdigest()


def owner_label(state: TriageState) -> str:
    """The owner of a triage as its own audit chain names them. Without a salt (retention or
    erasure cut it) nobody can act as the owner any more, and the owner's pseudonym, linked
    to nobody, is named instead."""
    channel = state.owner_platform or "unknown"
    if state.owner_salt is None:
        return label(channel, state.owner)
    return label(channel, owner_alias(state.owner_salt, state.owner))


def shown(tx: Transaction, name: str) -> str:
    """An actor name for a person to read: `platform:user_id` while the pseudonym is linked,
    the name itself otherwise (an erased person, `system`, the bundled flow)."""
    platform, separator, pseudonym = name.partition(SEPARATOR)
    identity = tx.identity(pseudonym) if separator else None
    if identity is None or identity[0] != platform:
        return name
    return f"{identity[0]}:{identity[1]}"


def audit_rows_of(
    tx: Transaction, platform: str, pseudonym: str, owned: list[TriageRecord]
) -> list[dict[str, Any]]:
    """A person's rows of the audit log, oldest first: under their own name anywhere, and
    under their alias in the chains of the triages they still own (a triage past retention
    is no longer theirs)."""
    rows = tx.audit_by([label(platform, pseudonym)])
    for record in owned:
        if record.owner_salt is not None:
            alias = label(record.platform, owner_alias(record.owner_salt, pseudonym))
            rows += tx.audit_by([alias], [record.id])
    return sorted(rows, key=lambda row: row["id"])
