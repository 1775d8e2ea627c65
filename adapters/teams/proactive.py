"""Reaching people first: conversation references, and review notifications sent with them.

A reference is stored as JSON in `conversation_refs` (never pickled), one per person, and
only for their personal chat with the bot: a notice about someone's project must not land in
a team channel. It keeps ids and addresses only; names, e-mail addresses and the conversation's
title, which Teams also sends, are dropped (DESIGN §5, privacy by design).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)

from adapters.chat.conversation_book import ConversationBook
from adapters.chat.locale import language
from adapters.chat.notice_sender import NoticeSender
from adapters.teams.result_cards import agent_question_card, review_card, review_decided_card
from adapters.teams.service_urls import untrusted
from adapters.teams.settings import TeamsSettings
from bot.app import App
from bot.notifier import Delivery, PermanentFailure
from bot.review_notices import CurrentNotice
from bot.reviews import REVIEW_QUESTION

log = logging.getLogger(__name__)

PLATFORM = "teams"
PERSONAL = "personal"
_UNREADABLE = (
    "cannot be read (the database was changed outside Boussole): the person must open "
    "Boussole in Teams once more, then the message can be retried"
)
GONE = (403, 404)
"""Teams answers 403 when the bot was removed or blocked, 404 when the conversation no longer
exists: retrying cannot help, so the message is parked and the reference marked inactive."""


def remember(book: ConversationBook, activity: Activity, force: bool = False) -> None:
    """Blocking (database): call it from a worker thread."""
    reference = personal_reference(activity)
    if reference is not None:
        book.remember(activity.from_property.id, reference, force)


def personal_reference(activity: Activity) -> dict[str, Any] | None:
    """The JSON of a personal conversation's reference, stripped to what a reply needs."""
    conversation = activity.conversation
    if conversation is None or conversation.conversation_type not in (PERSONAL, None):
        return None
    if conversation.is_group or activity.from_property is None or activity.recipient is None:
        return None
    reference = ConversationReference(
        user=ChannelAccount(id=activity.from_property.id),
        bot=ChannelAccount(id=activity.recipient.id, name=activity.recipient.name),
        conversation=ConversationAccount(
            id=conversation.id,
            conversation_type=conversation.conversation_type,
            tenant_id=conversation.tenant_id,
        ),
        channel_id=activity.channel_id,
        locale=activity.locale,
        service_url=activity.service_url,
    )
    return reference.serialize()


class ReviewSender(NoticeSender[ConversationReference]):
    """The outbox's sender for Teams (`adapters.chat.notice_sender` decides what each notice
    becomes), in the recipient's personal chat and language (the locale of their stored
    conversation, French otherwise): a review card with the decision buttons, a card with a
    reply field for `review_question`, the message's text for every other kind. Where a
    review card was posted is returned to the notifier, so that once any reviewer decides,
    every copy's buttons are replaced by the decision (`update_activity`).

    Raises PermanentFailure for what retrying cannot fix (no conversation with the reviewer,
    bot removed or blocked); any other exception is retried by the notifier with backoff.
    """

    def __init__(
        self, adapter: CloudAdapter, app: App, book: ConversationBook, settings: TeamsSettings
    ) -> None:
        super().__init__(app)
        self.adapter = adapter
        self.book = book
        self.settings = settings
        self.bot_app_id = settings.bot_app_id

    async def reach(self, recipient: str) -> tuple[ConversationReference, str]:
        try:
            stored = await asyncio.to_thread(self.book.lookup, recipient)
        except ValueError as error:  # SQLite keeps any text in a JSON column
            raise PermanentFailure(f"{_stored(recipient)} {_UNREADABLE}") from error
        if stored is None:
            raise PermanentFailure(
                f"no active Teams conversation with {recipient}: they must open "
                "Boussole in Teams (personal app) once, then the message can be retried"
            )
        reference = usable(stored, recipient, self.settings)
        return reference, _lang(reference)

    async def post(
        self, where: ConversationReference, message: Delivery, drawn: Activity
    ) -> str | None:
        sent: list[str] = []

        async def send(turn: TurnContext) -> None:
            response = await turn.send_activity(drawn)
            if response is not None and response.id:
                sent.append(response.id)

        try:
            await self.adapter.continue_conversation(where, send, self.bot_app_id)
        except Exception as error:
            status = status_of(error)
            if status in GONE:
                await asyncio.to_thread(self.book.forget, message.recipient)
                raise PermanentFailure(
                    f"Teams answered {status} for {message.recipient} (bot removed or blocked); "
                    "their conversation is marked inactive until they open Boussole again"
                ) from error
            raise
        return sent[0] if sent else None

    def posted_record(self, where: ConversationReference, sent: str) -> dict[str, Any]:
        return {"reference": where.serialize(), "activity_id": sent}

    def posted_lang(self, posted: dict[str, Any]) -> str:
        return _lang(usable(_reference_in(posted), "a review card", self.settings))

    async def replace(self, posted: dict[str, Any], current: CurrentNotice, lang: str) -> None:
        activity_id = str(posted["activity_id"])
        update = self.draw_notice(current, lang)
        update.id = activity_id

        async def replace(turn: TurnContext) -> None:
            await turn.update_activity(update)

        reference = usable(_reference_in(posted), f"card {activity_id}", self.settings)
        try:
            await self.adapter.continue_conversation(reference, replace, self.bot_app_id)
        except Exception as error:
            if status_of(error) in GONE:
                raise PermanentFailure(f"Teams cannot update card {activity_id}") from error
            raise

    def draw_notice(self, current: CurrentNotice, lang: str) -> Activity:
        if current.decided is not None:
            return _attached(review_decided_card(current.decided, current.triage_id, lang))
        return _attached(review_card(current.notice, lang))

    def draw_text(self, message: Delivery, text: str, lang: str) -> Activity:
        if message.kind == REVIEW_QUESTION:
            return _attached(agent_question_card(text, message.triage_id, lang))
        return text_activity(text)


def text_activity(text: str) -> Activity:
    """Words sent as they are: plain text, so that a person's words are not read as markup."""
    activity = MessageFactory.text(text)
    activity.text_format = "plain"
    return activity


def _attached(card: dict[str, Any]) -> Activity:
    return MessageFactory.attachment(CardFactory.adaptive_card(card))


def usable(stored: object, whose: str, settings: TeamsSettings) -> ConversationReference:
    """The stored reference, checked before the SDK sends a token with it: it was read from
    the database, which nothing signs (`adapters.teams.service_urls`)."""
    try:
        reference = ConversationReference().deserialize(stored)
    except Exception:  # msrest raises its own DeserializationError and a few others
        reference = None
    if not isinstance(stored, dict) or reference is None:
        raise PermanentFailure(f"{_stored(whose)} {_UNREADABLE}")
    if not (reference.conversation and reference.conversation.id):
        raise PermanentFailure(f"{_stored(whose)} names no conversation; {_UNREADABLE}")
    why = untrusted(reference.service_url, settings.auth_enabled, settings.service_urls)
    if why is not None:
        raise PermanentFailure(
            f"{_stored(whose)} was not used and no token was sent: {why}; otherwise, the "
            "database was changed outside Boussole"
        )
    return reference


def _stored(whose: str) -> str:
    return f"the Teams conversation stored for {whose}"


def _reference_in(posted: object) -> object:
    return posted.get("reference") if isinstance(posted, dict) else None


def _lang(reference: ConversationReference) -> str:
    return language(reference.locale)


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a connector error (msrest's HttpOperationError carries it)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None
