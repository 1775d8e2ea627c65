"""Where to reach a person is saved by every first message: several arriving together (one
person, several threads or instances) must all succeed and leave one row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.app import App
from storage.models import ConversationRef

WRITERS = 4
"""As many as the engine's threads (the Store keeps one connection per thread)."""


def test_first_messages_arriving_together_save_one_reference(app: App) -> None:
    with ThreadPoolExecutor(WRITERS) as pool:
        for round_ in range(10):
            barrier = threading.Barrier(WRITERS)
            user = f"29:1person-{round_}"

            def save(number: int, user: str = user, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                with app.store.transaction() as tx:
                    tx.save_conversation("teams", user, {"conversation": number})

            for future in [pool.submit(save, n) for n in range(WRITERS)]:
                future.result()
    with app.store.reading() as tx:
        rows = tx.connection.execute(select(func.count()).select_from(ConversationRef)).scalar()
        assert rows == 10
        assert tx.conversation("teams", "29:1person-0") is not None
