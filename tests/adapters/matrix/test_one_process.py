"""Two `serve` processes configured with the same Matrix device, against a real Synapse: one
syncs, the other says in its log that the device is held, serves the rest, and takes over
once the first stops renewing the lease (the lease itself: tests/bot/test_matrix_lease.py)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.matrix.platform import MatrixPlatform
from adapters.server import ServeOptions
from bot import matrix_state
from bot.app import App
from tests.adapters.matrix.conftest import Accounts
from tests.adapters.matrix.person import Person
from tests.adapters.matrix.synapse import Synapse


@pytest.mark.asyncio
async def test_a_second_process_with_the_same_device_waits_then_takes_over(
    synapse: Synapse,
    accounts: Accounts,
    matrix_app: App,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = accounts.bot
    monkeypatch.setattr(matrix_state, "LEASE", timedelta(seconds=3))
    monkeypatch.setenv("BOUSSOLE_MATRIX_HOMESERVER", synapse.url)
    monkeypatch.setenv("BOUSSOLE_MATRIX_USER_ID", bot.user_id)
    monkeypatch.setenv("BOUSSOLE_MATRIX_ACCESS_TOKEN", bot.access_token)
    monkeypatch.setenv("BOUSSOLE_MATRIX_DEVICE_ID", bot.device_id)
    monkeypatch.setenv("BOUSSOLE_MATRIX_PICKLE_KEY", "test-pickle-key")
    caplog.set_level(logging.INFO, "bot.matrix_state")
    first, second = MatrixPlatform(), MatrixPlatform()
    agent = await Person.open(synapse.url, accounts.agent, tmp_path / "agent.db")
    try:
        await first.start(matrix_app, ServeOptions())
        sender = await second.start(matrix_app, ServeOptions())
        assert first.bot is not None and second.bot is None and second.connection is None
        assert sender is second.sender and not second.sender.ready
        assert f"l'appareil {bot.device_id} de {bot.user_id} est tenu par" in caplog.text

        room_id = await agent.direct_room(bot.user_id)
        await agent.say(room_id, "aide")
        assert "Ce que je comprends" in (await agent.heard()).body
        await asyncio.sleep(4)  # longer than a lease, renewed all along: the second waits
        assert second.bot is None

        first._tasks.pop("lease").cancel()  # the first process dies: no renewal, no release
        await first._disconnect()
        for _ in range(300):  # the bot is made, then its sync position read, then it is ready
            if second.bot is not None and second.sender.ready:
                break
            await asyncio.sleep(0.1)
        assert second.bot is not None and second.sender.ready
        await agent.say(room_id, "liste")
        heard = await agent.heard()
        assert "pas encore d'analyse" in heard.body
        assert f"synchronisation de {bot.user_id}" in caplog.text
    finally:
        await agent.close()
        await second.stop()
        await first.stop()
