"""`PLATFORM`: how `boussole serve` finds, checks, mounts and starts Slack.

This module imports no Slack SDK: `serve` loads it to ask what is missing, and a deployment
without Slack must not pay for slack-bolt. The SDK is imported in `mount`, once the
settings are known to be complete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from adapters.server import ServeOptions
from adapters.slack.settings import load_slack_settings, missing_setting
from bot.app import App
from bot.notifier import Sender

if TYPE_CHECKING:
    from adapters.slack.runtime import SlackRuntime

EVENTS_PATH = "/slack/events"


class SlackPlatform:
    name = "slack"
    extra = "slack"
    sdk = ("slack_sdk", "slack_bolt")

    def __init__(self) -> None:
        self.runtime: SlackRuntime | None = None

    def missing_setting(self, options: ServeOptions) -> str | None:
        return missing_setting(options.slack_socket_mode)

    def mount(self, web_app: web.Application, app: App, options: ServeOptions) -> None:
        from adapters.slack.runtime import SlackRuntime

        settings = load_slack_settings()
        self.runtime = SlackRuntime(app, settings, options.slack_socket_mode)
        if not options.slack_socket_mode:
            web_app.router.add_post(EVENTS_PATH, self.runtime.handle_http)

    async def start(self, app: App, options: ServeOptions) -> Sender:
        if self.runtime is None:
            raise RuntimeError("the Slack platform must be mounted before it starts")
        return await self.runtime.start()

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None


PLATFORM = SlackPlatform()
