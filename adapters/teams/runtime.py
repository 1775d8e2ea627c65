"""Assembling the Teams transport: SDK authentication, CloudAdapter, bot, endpoint, sender.

The only module that knows how the pieces fit; swapping the Bot Framework SDK for its
successor means rewriting this, `auth`, `endpoint`, `bot` and `proactive`, and nothing in
`bot/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.chat.conversation_book import ConversationBook
from adapters.teams.auth import CachingAuthentication, build_authentication
from adapters.teams.bot import BoussoleBot
from adapters.teams.endpoint import MessagesEndpoint
from adapters.teams.proactive import PLATFORM, ReviewSender
from adapters.teams.retry import RetryingCloudAdapter
from adapters.teams.settings import TeamsSettings
from bot.app import App


@dataclass(frozen=True)
class TeamsRuntime:
    settings: TeamsSettings
    authentication: CachingAuthentication
    adapter: CloudAdapter
    bot: BoussoleBot
    endpoint: MessagesEndpoint
    sender: ReviewSender


def build_runtime(
    app: App,
    settings: TeamsSettings,
    credentials: ServiceClientCredentialsFactory | None = None,
) -> TeamsRuntime:
    authentication = build_authentication(settings, credentials)
    adapter = RetryingCloudAdapter(authentication)
    book = ConversationBook(app, PLATFORM)
    bot = BoussoleBot(app, book)
    return TeamsRuntime(
        settings=settings,
        authentication=authentication,
        adapter=adapter,
        bot=bot,
        endpoint=MessagesEndpoint(adapter, bot, settings.auth_enabled),
        sender=ReviewSender(adapter, app, book, settings.bot_app_id),
    )
