"""Reaching people first: conversation references, and review notifications sent with them.

A reference is stored as JSON in `conversation_refs` (never pickled), one per person, and
only for their personal chat with the bot: a notice about someone's project must not land in
a team channel. It keeps ids and addresses only; names, e-mail addresses and the conversation's
title, which Teams also sends, are dropped (DESIGN §5, privacy by design).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)

from adapters.teams.cards import agent_question_card, review_card, review_decided_card
from adapters.teams.locale import language
from bot.app import App
from bot.conversations import conversation_of, forget_conversation, remember_conversation
from bot.notifications import REVIEW_CLOSED, REVIEW_REQUEST, notification_text
from bot.notifier import Delivery, PermanentFailure, Posted, check_sendable
from bot.review_notices import CurrentNotice, copy_to_update, current_notice, requested_notice
from bot.reviews import REVIEW_QUESTION

log = logging.getLogger(__name__)

PLATFORM = "teams"
PERSONAL = "personal"
GONE = (403, 404)
"""Teams answers 403 when the bot was removed or blocked, 404 when the conversation no longer
exists: retrying cannot help, so the message is parked and the reference marked inactive."""


class ConversationBook:
    """Where each person can be reached; written on their activities, read by the sender.

    Every message would rewrite the same row, so the digest of the last reference saved for
    each person is kept for an hour and an unchanged reference is not written again.
    Installation events always write: they are what reactivates a reference after a removal.
    """

    def __init__(self, app: App, capacity: int = 10_000, ttl: float = 3600.0) -> None:
        self.app = app
        self.capacity = capacity
        self.ttl = ttl
        self._saved: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def remember(self, activity: Activity, force: bool = False) -> None:
        """Blocking (database): call it from a worker thread."""
        reference = personal_reference(activity)
        if reference is None:
            return
        user_id = activity.from_property.id
        digest = hashlib.sha256(json.dumps(reference, sort_keys=True).encode()).hexdigest()
        now = time.monotonic()
        saved = self._saved.get(user_id)
        if not force and saved is not None and saved[0] == digest and now - saved[1] < self.ttl:
            return
        remember_conversation(self.app, PLATFORM, user_id, reference)
        self._saved[user_id] = (digest, now)
        self._saved.move_to_end(user_id)
        while len(self._saved) > self.capacity:
            self._saved.popitem(last=False)

    def lookup(self, user_id: str) -> dict[str, Any] | None:
        return conversation_of(self.app, PLATFORM, user_id)

    def forget(self, user_id: str) -> None:
        """The person removed or blocked the bot: stop trying until they come back."""
        self._saved.pop(user_id, None)
        forget_conversation(self.app, PLATFORM, user_id)


def personal_reference(activity: Activity) -> dict[str, Any] | None:
    """The JSON of a personal conversation's reference, stripped to what a reply needs."""
    conversation = activity.conversation
    if conversation is None or conversation.conversation_type not in (PERSONAL, None):
        return None
    if conversation.is_group or activity.from_property is None or activity.recipient is None:
        return None
    full = TurnContext.get_conversation_reference(activity)
    reference = ConversationReference(
        user=ChannelAccount(id=activity.from_property.id),
        bot=ChannelAccount(id=activity.recipient.id, name=activity.recipient.name),
        conversation=ConversationAccount(
            id=conversation.id,
            conversation_type=conversation.conversation_type,
            tenant_id=conversation.tenant_id,
        ),
        channel_id=full.channel_id,
        locale=full.locale,
        service_url=full.service_url,
    )
    return reference.serialize()


class ReviewSender:
    """The outbox's sender for Teams, in the recipient's personal chat and language (the
    locale of their stored conversation, French otherwise): a review card with the decision
    buttons for `review_request`, a card with a reply field for `review_question`, and the
    message's text for every other kind (decisions, answers, reminders, digests…). Where a
    review card was posted is returned to the notifier, so that once any reviewer decides, a
    `review_closed` message replaces the card's buttons by the decision (`update_activity`).

    Raises PermanentFailure for what retrying cannot fix (no conversation with the reviewer,
    bot removed or blocked); any other exception is retried by the notifier with backoff.
    """

    def __init__(
        self, adapter: CloudAdapter, app: App, book: ConversationBook, bot_app_id: str
    ) -> None:
        self.adapter = adapter
        self.app = app
        self.book = book
        self.bot_app_id = bot_app_id

    async def __call__(self, message: Delivery) -> Posted:
        if message.kind == REVIEW_CLOSED:
            await self._close(message)
            return None
        check_sendable(message)
        stored = await asyncio.to_thread(self.book.lookup, message.recipient)
        if stored is None:
            raise PermanentFailure(
                f"no active Teams conversation with {message.recipient}: they must open "
                "Boussole in Teams (personal app) once, then the message can be retried"
            )
        reference = ConversationReference().deserialize(stored)
        lang = language(reference.locale)
        outgoing = await self._activity(message, lang)
        sent: list[str] = []

        async def send(turn: TurnContext) -> None:
            response = await turn.send_activity(outgoing)
            if response is not None and response.id:
                sent.append(response.id)

        try:
            await self.adapter.continue_conversation(reference, send, self.bot_app_id)
        except Exception as error:
            status = status_of(error)
            if status in GONE:
                await asyncio.to_thread(self.book.forget, message.recipient)
                raise PermanentFailure(
                    f"Teams answered {status} for {message.recipient} (bot removed or blocked); "
                    "their conversation is marked inactive until they open Boussole again"
                ) from error
            raise
        if message.kind != REVIEW_REQUEST or not sent:
            return None
        return {"reference": stored, "activity_id": sent[0]}

    async def _close(self, message: Delivery) -> None:
        """Another reviewer decided: this reviewer's card shows the decision, not buttons."""
        found = await asyncio.to_thread(self._closed_copy, message)
        if found is None:
            return
        reference, activity_id, card = found
        update = MessageFactory.attachment(CardFactory.adaptive_card(card))
        update.id = activity_id

        async def replace(turn: TurnContext) -> None:
            await turn.update_activity(update)

        try:
            await self.adapter.continue_conversation(reference, replace, self.bot_app_id)
        except Exception as error:
            if status_of(error) in GONE:
                raise PermanentFailure(f"Teams cannot update card {activity_id}") from error
            raise

    def _closed_copy(
        self, message: Delivery
    ) -> tuple[ConversationReference, str, dict[str, Any]] | None:
        found = copy_to_update(self.app, message)
        if found is None:
            return None
        posted, department = found
        reference = ConversationReference().deserialize(posted["reference"])
        lang = language(reference.locale)
        card = _card_of(current_notice(self.app, message.triage_id, department, lang), lang)
        return reference, str(posted["activity_id"]), card

    async def _activity(self, message: Delivery, lang: str) -> Activity:
        if message.kind == REVIEW_REQUEST:
            try:
                card = await asyncio.to_thread(self._card, message, lang)
            except LookupError:
                raise PermanentFailure(f"triage {message.triage_id} no longer exists") from None
            return MessageFactory.attachment(CardFactory.adaptive_card(card))
        text = notification_text(message.payload, message.kind, lang)
        if message.kind == REVIEW_QUESTION:
            card = agent_question_card(text, message.triage_id, lang)
            return MessageFactory.attachment(CardFactory.adaptive_card(card))
        activity = MessageFactory.text(text)
        activity.text_format = "plain"
        return activity

    def _card(self, message: Delivery, lang: str) -> dict[str, Any]:
        """The review card as it stands: with its buttons, or the decision once made."""
        return _card_of(requested_notice(self.app, message, lang), lang)


def _card_of(current: CurrentNotice, lang: str) -> dict[str, Any]:
    if current.decided is not None:
        return review_decided_card(current.decided, current.triage_id, lang)
    return review_card(current.notice, lang)


def status_of(error: BaseException) -> int | None:
    """The HTTP status of a connector error (msrest's HttpOperationError carries it)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None
