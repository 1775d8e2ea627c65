"""What the engine keeps between turns: the answers of recently active triages."""

from __future__ import annotations

import threading
from collections import OrderedDict

from flows.conditions import Answer


class AnswersCache:
    """The answers of recently active triages, keyed by the triage's revision.

    Every write to a triage's answers bumps its revision in the same transaction, so an entry
    is used only while the database still holds that revision: the cache can never serve
    stale answers, whatever another process did. Its size is fixed, so memory does not grow
    with the number of conversations.

    Sized by what it saves (measured 2026-12-07, bench/core_turn.py and bench/memory.py): a hit
    spares a turn one SELECT of the answers, about 50 µs, a fifth of an engine turn; an entry
    holds about 330 B, so 512 entries cost about 170 KB. An LRU smaller than the number of
    conversations answering in turn misses every time, so it is not made smaller than the
    conversations one process serves at once.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[int, dict[str, Answer]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, triage_id: str, revision: int) -> dict[str, Answer] | None:
        with self._lock:
            found = self._items.get(triage_id)
            if found is None or found[0] != revision:
                return None
            self._items.move_to_end(triage_id)
            return found[1]

    def put(self, triage_id: str, revision: int, answers: dict[str, Answer]) -> None:
        with self._lock:
            self._items[triage_id] = (revision, answers)
            self._items.move_to_end(triage_id)
            if len(self._items) > self.size:
                self._items.popitem(last=False)
