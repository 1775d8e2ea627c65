"""`boussole serve` entry point for Teams: `POST /api/messages` and the review sender.

Nothing of the Bot Framework SDK is imported until Teams is first needed: the first request
that may be a turn, or the first notice the outbox sends to Teams. An idle server, and a
deployment that does not use Teams, do without its 24 MB (bench/memory.py); the settings are
still checked at start, and the route exists from the start.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from types import ModuleType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.server import UNSAFE, ServeOptions
from adapters.teams import settings as teams_settings
from adapters.teams.endpoint import ROUTE, refuse, refused_unread
from bot.app import App
from bot.notifier import Delivery, Posted, Sender

if TYPE_CHECKING:
    from adapters.teams.runtime import TeamsRuntime

log = logging.getLogger(__name__)

AUTH_OFF = "teams_authentication_off"
RUNTIME = "adapters.teams.runtime"
"""The module that assembles the SDK's pieces; importing it is most of the build's cost."""


def import_runtime() -> ModuleType:
    return importlib.import_module(RUNTIME)


class OnDemandRuntime:
    """The Teams runtime (`adapters.teams.runtime`), built once, when first needed.

    Concurrent first callers wait for one build. The SDK's import (half a second) runs in a
    worker thread, so that other platforms' requests go on meanwhile; the assembly itself
    takes under a millisecond and runs on the event loop, where the SDK's objects live. A
    failed build is logged and tried again by the next caller: a request is answered 503,
    so that the Bot Framework retries it, and a notice stays in the outbox."""

    def __init__(self, app: App, settings: teams_settings.TeamsSettings, credentials: Any) -> None:
        self.app = app
        self.settings = settings
        self.credentials = credentials
        self.built: TeamsRuntime | None = None
        self._building = asyncio.Lock()

    async def get(self) -> TeamsRuntime:
        if self.built is None:
            async with self._building:
                if self.built is None:
                    runtime = await asyncio.to_thread(import_runtime)
                    self.built = runtime.build_runtime(self.app, self.settings, self.credentials)
        return self.built

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """`POST /api/messages`; a request refused unread does not build the runtime."""
        refused = refused_unread(request, self.settings.auth_enabled)
        if refused is not None:
            return refused
        try:
            runtime = await self.get()
        except Exception:
            log.exception("teams: the Bot Framework runtime could not be built")
            return refuse(503, "the Teams adapter could not start; retry later")
        return await runtime.endpoint.handle(request)

    async def sender(self, message: Delivery) -> Posted:
        """A build failure raises here, and the notifier retries the notice with backoff."""
        runtime = await self.get()
        return await runtime.sender(message)

    def clear(self) -> None:
        if self.built is not None:
            self.built.authentication.clear()


class TeamsPlatform:
    name = "teams"
    extra = "teams"
    sdk = ("botframework.connector", "botbuilder.core", "botbuilder.integration.aiohttp")

    def __init__(self, credentials: Any = None) -> None:
        """`credentials`: a botframework `ServiceClientCredentialsFactory` replacing how
        outbound tokens are obtained (tests); None uses the settings' app password."""
        self.credentials = credentials
        self.runtime: OnDemandRuntime | None = None

    def missing_setting(self, options: ServeOptions) -> str | None:
        return teams_settings.missing_setting()

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        settings = teams_settings.load_teams_settings()
        self.runtime = OnDemandRuntime(app, settings, self.credentials)
        web_app.router.add_post(ROUTE, self.runtime.handle)
        if not settings.auth_enabled:
            web_app[UNSAFE].append(AUTH_OFF)
            log.warning(
                "teams: BOUSSOLE_TEAMS_AUTH=off with BOUSSOLE_ENV=development: requests are "
                "NOT authenticated, anyone who reaches %s can act as anyone; never expose "
                "this server",
                ROUTE,
            )

    async def start(self, app: App, options: ServeOptions) -> Sender:
        if self.runtime is None:
            raise RuntimeError("TeamsPlatform.start() before mount()")
        return self.runtime.sender

    async def stop(self) -> None:
        if self.runtime is not None:
            self.runtime.clear()


PLATFORM = TeamsPlatform()
