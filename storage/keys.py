"""Idempotency and outbox keys are stored as keyed BLAKE2b digests, never as given.

Platforms build their delivery keys from user ids (a Slack click is `U012ABC:action_ts`), so a
stored key would name the person long after they are erased. Only equality matters for a key,
so a digest does the same job. BLAKE2b in keyed mode is a MAC by design (one pass, where HMAC
hashes twice) and in the standard library; the key, drawn at random by migration 0005 and kept
in the `meta` table, makes a digest worthless to whoever sees it without that key (a log, one
table's export), which a plain SHA-256 would not: Slack user ids are few and an `action_ts`
is within a second of the row's `processed_at`, so a plain digest could be confirmed by trying
them. Someone holding the whole database holds the key too; for them the pruning of
processed keys after `EVENT_KEYS_KEPT` bounds what is left to try.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

from sqlalchemy import Connection, text

SECRET_META = "key_digest_secret"
"""The `meta` row holding the key, as hex."""
EVENT_KEYS_KEPT = timedelta(days=7)
"""How long a processed event's key is kept: Slack and Teams retry within minutes, and a
replayed Slack request is refused after five, so a week is far beyond any redelivery."""


def digest(secret: bytes, key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), key=secret, digest_size=32).hexdigest()


class KeyDigests:
    """The database's key, read once per process (it never changes once drawn)."""

    def __init__(self) -> None:
        self._secret: bytes | None = None
        self._lock = threading.Lock()

    def of(self, connection: Connection, key: str) -> str:
        secret = self._secret
        if secret is None:
            secret = self._load(connection)
        return digest(secret, key)

    def _load(self, connection: Connection) -> bytes:
        with self._lock:
            if self._secret is None:
                found = connection.execute(
                    text("SELECT value FROM meta WHERE key = :key"), {"key": SECRET_META}
                ).scalar()
                if found is None:
                    raise RuntimeError("the key digest secret is missing: run boussole db upgrade")
                self._secret = bytes.fromhex(found)
            return self._secret
