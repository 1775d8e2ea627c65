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


@pytest.mark.asyncio
async def test_a_platform_slower_than_the_lease_gets_each_notice_once_from_two_notifiers(
    app: App,
) -> None:
    """Issue #16: a delivery outliving its lease was taken and sent again by another
    notifier. Each send now renews its lease, and each message of a claimed batch is
    checked (by the attempt count its claim set) before it is sent."""
    queue(app, 3)
    sent: Counter[int] = Counter()

    async def slow(message: OutboxRecord) -> None:
        sent[message.id] += 1
        await asyncio.sleep(3)  # the platform answers after more than the lease

    lease = timedelta(seconds=2)
    first = Notifier(app.store, {"slack": slow}, lease=lease)
    second = Notifier(app.store, {"slack": slow}, lease=lease)

    def pending() -> int:
        with app.store.reading() as tx:
            return tx.outbox_pending_count()

    async def keep_draining(notifier: Notifier) -> None:
        while await asyncio.to_thread(pending):
            await notifier.drain_once()
            await asyncio.sleep(0.2)

    await asyncio.wait_for(asyncio.gather(keep_draining(first), keep_draining(second)), 120)
    assert sorted(sent.values()) == [1, 1, 1], sent


def test_a_lease_is_renewed_only_by_the_claim_that_holds_it(app: App) -> None:
    queue(app, 1)
    with app.store.transaction() as tx:
        (claimed,) = tx.claim_due(["slack"], timedelta(seconds=-1), 10)
    with app.store.transaction() as tx:
        (again,) = tx.claim_due(["slack"], timedelta(minutes=2), 10)  # the lease ran out
    with app.store.transaction() as tx:
        assert not tx.renew_lease(claimed.id, claimed.attempts + 1, timedelta(minutes=2))
        assert tx.renew_lease(again.id, again.attempts + 1, timedelta(minutes=2))
