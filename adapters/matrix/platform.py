"""`boussole serve` entry point for Matrix: a sync loop beside the HTTP server, no route.

Nothing of mautrix is imported until `start`, so that `missing_setting` costs nothing on a
deployment that does not use Matrix.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.matrix import settings as matrix_settings
from adapters.server import ServeOptions
from bot.app import App
from bot.notifier import Sender

if TYPE_CHECKING:
    from adapters.matrix.bot import MatrixBot
    from adapters.matrix.client import Connection

log = logging.getLogger(__name__)


class MatrixPlatform:
    name = "matrix"
    extra = "matrix"
    sdk = ("mautrix", "olm", "asyncpg", "aiosqlite")

    def __init__(self) -> None:
        self.connection: Connection | None = None
        self.bot: MatrixBot | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def missing_setting(self, options: ServeOptions) -> str | None:
        return matrix_settings.missing_setting()

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        """Matrix is reached by syncing, not by requests: nothing to mount."""

    async def start(self, app: App, options: ServeOptions) -> Sender:
        from adapters.matrix.bot import MatrixBot
        from adapters.matrix.client import connect, sync_forever
        from adapters.matrix.sender import MatrixSender
        from bot.matrix_state import MatrixState

        settings = matrix_settings.load_matrix_settings()
        self.connection = await connect(
            settings.homeserver,
            settings.user_id,
            settings.access_token,
            settings.device_id,
            app.settings.resolved_database_url(),
            settings.store_key,
            settings.password,
        )
        state = MatrixState(app, settings.user_id)
        self.bot = bot = MatrixBot(app, self.connection.client, state)
        since = await asyncio.to_thread(state.next_batch)
        bot.initial = since is None

        async def saved(token: str) -> None:
            await asyncio.to_thread(state.save_next_batch, token)
            bot.initial = False

        self._stop.clear()
        self._task = asyncio.create_task(
            sync_forever(self.connection.client, since, saved, self._stop)
        )
        log.info("matrix: syncing as %s (device %s)", settings.user_id, settings.device_id)
        return MatrixSender(bot)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self.connection is not None:
            await self.connection.close()


PLATFORM = MatrixPlatform()
