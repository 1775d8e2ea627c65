"""One process syncs a Matrix device: the lease in the shared database, taken, renewed, run
out, released and raced for, on SQLite and PostgreSQL; the notifier leaves Matrix notices to
the process that holds it. Through two real `serve` starters: tests/adapters/matrix/
test_one_process.py."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from adapters.matrix.platform import DeviceSender
from bot.app import App
from bot.matrix_state import DeviceLease
from bot.notifier import Notifier
from storage.repository import OutboxRecord

ACCOUNT, DEVICE = "@boussole:example.org", "BOUSSOLE"


def test_a_second_process_does_not_take_a_lease_held_and_renewed(app: App) -> None:
    first, second = DeviceLease(app, ACCOUNT, DEVICE), DeviceLease(app, ACCOUNT, DEVICE)
    taken = first.take()
    assert taken.mine
    refused = second.take()
    assert not refused.mine and refused.holder == first.holder
    assert first.take().mine and first.take().until >= taken.until
    assert DeviceLease(app, ACCOUNT, "OTHER").take().mine  # another device, another lease


def test_a_lease_run_out_is_taken_over_and_its_old_holder_cannot_renew_it(app: App) -> None:
    stalled = DeviceLease(app, ACCOUNT, DEVICE, timedelta(seconds=-1))
    assert stalled.take().mine  # a lease that has already run out
    second = DeviceLease(app, ACCOUNT, DEVICE)
    assert second.take().mine
    assert not stalled.take().mine


def test_a_released_lease_is_taken_at_once_and_only_its_holder_releases_it(app: App) -> None:
    first, second = DeviceLease(app, ACCOUNT, DEVICE), DeviceLease(app, ACCOUNT, DEVICE)
    assert first.take().mine
    second.release()
    assert not second.take().mine
    first.release()
    assert second.take().mine


def test_processes_starting_together_leave_exactly_one_holder(app: App) -> None:
    leases = [DeviceLease(app, ACCOUNT, DEVICE) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        held = list(pool.map(lambda lease: lease.take(), leases))
    assert sum(h.mine for h in held) == 1
    assert {h.holder for h in held} == {next(h.holder for h in held if h.mine)}


@pytest.mark.asyncio
async def test_the_waiting_process_takes_over_when_the_holder_stops_renewing(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    length = timedelta(seconds=0.6)
    first, second = DeviceLease(app, ACCOUNT, DEVICE, length), DeviceLease(app, ACCOUNT, DEVICE)
    second.length = length
    events: list[str] = []

    async def taken() -> bool:
        events.append("taken")
        return True

    async def lost() -> None:
        events.append("lost")

    held = await asyncio.to_thread(first.take)
    waiting = await asyncio.to_thread(second.take)
    caplog.set_level(logging.INFO, "bot.matrix_state")
    second.tell(waiting)
    assert "tenu par un autre processus" in caplog.text and first.holder in caplog.text
    holding = asyncio.create_task(first.keep(held, taken, lost))
    watching = asyncio.create_task(second.keep(waiting, taken, lost))
    await asyncio.sleep(1.5)
    assert events == []  # renewed by the first, so never taken by the second
    holding.cancel()  # the first process dies without releasing
    for _ in range(30):
        await asyncio.sleep(0.1)
        if events:
            break
    watching.cancel()
    await asyncio.gather(holding, watching, return_exceptions=True)
    assert events == ["taken"]
    assert "synchronisation de @boussole:example.org" in caplog.text


@pytest.mark.asyncio
async def test_a_holder_whose_lease_was_taken_stops_syncing(app: App) -> None:
    length = timedelta(seconds=0.3)
    mine = DeviceLease(app, ACCOUNT, DEVICE, length)
    events: list[str] = []

    async def lost() -> None:
        events.append("lost")

    async def taken() -> bool:
        return True

    held = await asyncio.to_thread(mine.take)
    keeping = asyncio.create_task(mine.keep(held, taken, lost))
    with app.store.transaction() as tx:  # another process took it (a clock far ahead)
        tx.release_matrix_lease(ACCOUNT, DEVICE, mine.holder, held.until - length)
    await asyncio.to_thread(DeviceLease(app, ACCOUNT, DEVICE).take)
    await asyncio.sleep(0.5)
    keeping.cancel()
    await asyncio.gather(keeping, return_exceptions=True)
    assert events == ["lost"]


@pytest.mark.asyncio
async def test_the_notifier_leaves_matrix_notices_to_the_process_that_syncs(app: App) -> None:
    with app.store.transaction() as tx:
        tx.enqueue(
            key="k", triage_id="t", kind="info", platform="matrix", recipient="@r:x", payload={}
        )
    standby = DeviceSender()
    assert await Notifier(app.store, {"matrix": standby}).drain_once() == 0
    with app.store.reading() as tx:
        (message,) = tx.outbox_messages()
    assert message.attempts == 0 and message.status == "pending"
    sent: list[str] = []

    class Syncing:
        async def __call__(self, message: OutboxRecord) -> None:
            sent.append(message.recipient)

    standby.sender, standby.ready = Syncing(), True  # type: ignore[assignment]
    assert await Notifier(app.store, {"matrix": standby}).drain_once() == 1
    assert sent == ["@r:x"]
