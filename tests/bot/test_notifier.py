"""The outbox notifier: at least once, backoff, parking, and no overlap between workers."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from bot.app import App
from bot.notifier import MAX_ATTEMPTS, Notifier, PermanentFailure
from storage.repository import OutboxRecord, now


def queue(app: App, count: int, platform: str = "slack") -> None:
    with app.store.transaction() as tx:
        for n in range(count):
            tx.enqueue(
                key=f"k{n}",
                triage_id=f"t{n}",
                kind="review_request",
                platform=platform,
                recipient=f"U{n}",
                payload={},
            )


def make_due(app: App) -> None:
    from sqlalchemy import update

    from storage.repository import outbox

    with app.store.transaction() as tx:
        tx.connection.execute(update(outbox).values(next_attempt_at=now() - timedelta(seconds=1)))


@pytest.mark.asyncio
async def test_failures_back_off_then_park_and_an_operator_can_retry(app: App) -> None:
    queue(app, 1)
    attempts = 0

    async def failing(_message: OutboxRecord) -> None:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("503 from the platform")

    notifier = Notifier(app.store, {"slack": failing})
    for _ in range(MAX_ATTEMPTS):
        await notifier.drain_once()
        make_due(app)
    with app.store.reading() as tx:
        (message,) = tx.outbox_messages()
    assert attempts == MAX_ATTEMPTS
    assert message.status == "parked" and "503" in message.last_error
    with app.store.transaction() as tx:
        assert tx.retry_outbox(message.id)
    delivered: list[str] = []

    async def working(message: OutboxRecord) -> None:
        delivered.append(message.recipient)

    await Notifier(app.store, {"slack": working}).drain_once()
    assert delivered == ["U0"]


@pytest.mark.asyncio
async def test_a_permanent_failure_is_parked_at_once(app: App) -> None:
    queue(app, 1)

    async def removed(_message: OutboxRecord) -> None:
        raise PermanentFailure("bot removed (403)")

    await Notifier(app.store, {"slack": removed}).drain_once()
    with app.store.reading() as tx:
        assert tx.outbox_messages()[0].status == "parked"


@pytest.mark.asyncio
async def test_two_workers_never_send_the_same_message(app: App) -> None:
    queue(app, 60)
    sent: Counter[str] = Counter()

    async def slow(message: OutboxRecord) -> None:
        sent[message.key] += 1
        await asyncio.sleep(0.005)

    workers = [Notifier(app.store, {"slack": slow}, batch=7) for _ in range(2)]
    for _ in range(10):
        await asyncio.gather(*(w.drain_once() for w in workers))
    assert len(sent) == 60
    assert max(sent.values()) == 1
    with app.store.reading() as tx:
        assert {m.status for m in tx.outbox_messages()} == {"delivered"}
