"""`boussole serve` entry point for Teams: `POST /api/messages` and the review sender.

Nothing of the Bot Framework SDK is imported until `mount`, so that `missing_setting` costs
nothing on a deployment that does not use Teams.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from adapters.server import UNSAFE, ServeOptions
from adapters.teams import settings as teams_settings
from bot.app import App
from bot.notifier import Sender

if TYPE_CHECKING:
    from adapters.teams.runtime import TeamsRuntime

log = logging.getLogger(__name__)

AUTH_OFF = "teams_authentication_off"


class TeamsPlatform:
    name = "teams"
    extra = "teams"
    sdk = ("botframework.connector", "botbuilder.core", "botbuilder.integration.aiohttp")

    def __init__(self, credentials: Any = None) -> None:
        """`credentials`: a botframework `ServiceClientCredentialsFactory` replacing how
        outbound tokens are obtained (tests); None uses the settings' app password."""
        self.credentials = credentials
        self.runtime: TeamsRuntime | None = None

    def missing_setting(self, options: ServeOptions) -> str | None:
        return teams_settings.missing_setting()

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        from adapters.teams.endpoint import ROUTE
        from adapters.teams.runtime import build_runtime

        settings = teams_settings.load_teams_settings()
        self.runtime = build_runtime(app, settings, self.credentials)
        web_app.router.add_post(ROUTE, self.runtime.endpoint.handle)
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
            self.runtime.authentication.clear()


PLATFORM = TeamsPlatform()
