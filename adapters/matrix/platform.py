"""`boussole serve` entry point for Matrix: a sync loop beside the HTTP server, no route.

Only the process that holds the device's lease (`bot.matrix_state.DeviceLease`) connects,
syncs and sends; another one configured with the same device serves everything else, says
so in its log, and takes over when the lease runs out. Nothing of mautrix is imported until
`start`, so that `missing_setting` costs nothing on a deployment that does not use Matrix.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.matrix import settings as matrix_settings
from adapters.server import ServeOptions
from bot.app import App
from bot.matrix_state import DeviceLease
from bot.notifier import Posted, Sender
from bot.settings import SettingsError

if TYPE_CHECKING:
    from adapters.matrix.bot import MatrixBot
    from adapters.matrix.client import Connection
    from adapters.matrix.sender import MatrixSender
    from adapters.matrix.settings import MatrixSettings

log = logging.getLogger(__name__)


class DeviceSender:
    """The outbox's Matrix sender, `ready` only while this process syncs the device: the
    notifier leaves Matrix notices to the process that does."""

    sender: MatrixSender | None = None
    ready = False

    async def __call__(self, message: Any) -> Posted:
        if self.sender is None:
            raise RuntimeError("this process does not hold the Matrix device")
        return await self.sender(message)


class MatrixPlatform:
    name = "matrix"
    extra = "matrix"
    sdk = ("mautrix", "olm", "asyncpg", "aiosqlite")

    def __init__(self) -> None:
        self.connection: Connection | None = None
        self.bot: MatrixBot | None = None
        self.lease: DeviceLease | None = None
        self.sender = DeviceSender()
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def missing_setting(self, options: ServeOptions) -> str | None:
        return matrix_settings.missing_setting()

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        """Matrix is reached by syncing, not by requests: nothing to mount."""

    async def start(self, app: App, options: ServeOptions) -> Sender:
        """Connects at once when the lease is free (a wrong token stops `serve` here), else
        waits for it in the background."""
        settings = matrix_settings.load_matrix_settings()
        self.lease = lease = DeviceLease(app, settings.user_id, settings.device_id)
        held = await asyncio.to_thread(lease.take)
        if held.mine:
            try:
                await _said(self._connect(app, settings), settings)
            except BaseException:
                await self._disconnect()
                await asyncio.to_thread(lease.release)
                raise
        lease.tell(held)

        async def taken() -> bool:
            try:
                await self._connect(app, settings)
            except Exception:
                log.exception("matrix: could not connect as %s", settings.user_id)
                await self._disconnect()
                return False
            return True

        keeping = lease.keep(held, taken, self._disconnect)
        self._tasks["lease"] = asyncio.create_task(keeping)
        return self.sender

    async def _connect(self, app: App, settings: MatrixSettings) -> None:
        from adapters.matrix.bot import MatrixBot
        from adapters.matrix.client import connect, sync_forever
        from adapters.matrix.sender import MatrixSender
        from bot.matrix_state import MatrixState

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
        self.bot = bot = MatrixBot(app, self.connection.client, state, settings.served)
        since = await asyncio.to_thread(state.next_batch)
        bot.initial = since is None

        async def saved(token: str) -> None:
            await asyncio.to_thread(state.save_next_batch, token)
            bot.initial = False

        syncing = sync_forever(self.connection.client, since, saved, asyncio.Event())
        self._tasks["sync"] = asyncio.create_task(syncing)
        self.sender.sender, self.sender.ready = MatrixSender(bot), True

    async def _disconnect(self) -> None:
        self.sender.sender, self.sender.ready = None, False
        await _cancel(self._tasks.pop("sync", None))
        if self.connection is not None:
            await self.connection.close()
        self.connection = self.bot = None

    async def stop(self) -> None:
        await _cancel(self._tasks.pop("lease", None))
        syncing = self.connection is not None
        await self._disconnect()
        if syncing and self.lease is not None:
            await asyncio.to_thread(self.lease.release)


async def _said(connecting: Awaitable[None], settings: MatrixSettings) -> None:
    """A homeserver away, a token or password refused: the deployer's to fix (exit 2)."""
    from mautrix.errors import MatrixConnectionError, MatrixRequestError

    try:
        await connecting
    except MatrixConnectionError as error:
        ctx = {"homeserver": settings.homeserver, "detail": error}
        key, name = "setting_matrix_unreachable", matrix_settings.HOMESERVER
        raise SettingsError(name, str(error), key=key, ctx=ctx) from None
    except MatrixRequestError as error:
        if error.http_status not in (401, 403):
            raise
        ctx = {"detail": f"{error.errcode}: {error.message}"}
        name = matrix_settings.ACCESS_TOKEN if settings.access_token else matrix_settings.PASSWORD
        raise SettingsError(name, str(error), key="setting_matrix_refused", ctx=ctx) from None


async def _cancel(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


PLATFORM = MatrixPlatform()
