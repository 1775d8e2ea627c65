"""Assembling the Teams transport: SDK authentication, CloudAdapter, bot, endpoint, sender.

The only module that knows how the pieces fit; swapping the Bot Framework SDK for its
successor means rewriting this, `auth`, `endpoint`, `bot` and `proactive`, and nothing in
`bot/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.chat.conversation_book import ConversationBook
from adapters.teams.auth import CachingAuthentication
from adapters.teams.bot import BoussoleBot
from adapters.teams.endpoint import MessagesEndpoint
from adapters.teams.proactive import PLATFORM, ReviewSender
from adapters.teams.retry import RetryingCloudAdapter
from adapters.teams.settings import TeamsSettings
from bot.app import App


@dataclass(frozen=True)
class TeamsRuntime:
    """What the platform uses: the route's endpoint, the outbox's sender, and the
    authentication whose cached clients it drops when the server stops."""

    authentication: CachingAuthentication
    endpoint: MessagesEndpoint
    sender: ReviewSender


def build_runtime(
    app: App,
    settings: TeamsSettings,
    credentials: ServiceClientCredentialsFactory | None = None,
) -> TeamsRuntime:
    authentication = CachingAuthentication(settings, credentials)
    adapter = RetryingCloudAdapter(authentication)
    book = ConversationBook(app, PLATFORM)
    bot = BoussoleBot(app, book)
    return TeamsRuntime(
        authentication=authentication,
        endpoint=MessagesEndpoint(adapter, bot, settings.auth_enabled, settings.served_tenants),
        sender=ReviewSender(adapter, app, book, settings),
    )
