"""Where each person can be reached on a platform that writes to them first: the reference
of their personal conversation, saved by their own activities and read by the sender.

Every message would rewrite the same row, so the digest of the last reference saved for each
person is kept for a while and an unchanged reference is not written again. Installation
events force the write: they are what reactivates a reference after a removal.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from typing import Any

from bot.app import App
from bot.conversations import conversation_of, forget_conversation, remember_conversation


class ConversationBook:
    def __init__(
        self, app: App, platform: str, capacity: int = 10_000, ttl: float = 3600.0
    ) -> None:
        self.app = app
        self.platform = platform
        self.capacity = capacity
        self.ttl = ttl
        self._saved: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def remember(self, user_id: str, reference: dict[str, Any], force: bool = False) -> None:
        """Blocking (database): call it from a worker thread."""
        digest = hashlib.sha256(json.dumps(reference, sort_keys=True).encode()).hexdigest()
        now = time.monotonic()
        saved = self._saved.get(user_id)
        if not force and saved is not None and saved[0] == digest and now - saved[1] < self.ttl:
            return
        remember_conversation(self.app, self.platform, user_id, reference)
        self._saved[user_id] = (digest, now)
        self._saved.move_to_end(user_id)
        while len(self._saved) > self.capacity:
            self._saved.popitem(last=False)

    def lookup(self, user_id: str) -> dict[str, Any] | None:
        return conversation_of(self.app, self.platform, user_id)

    def forget(self, user_id: str) -> None:
        """The person removed or blocked the bot: stop trying until they come back."""
        self._saved.pop(user_id, None)
        forget_conversation(self.app, self.platform, user_id)
