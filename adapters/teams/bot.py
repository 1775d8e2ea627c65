"""The Teams activity handler: the transport and the renderer of the chat kit's turns.

One activity is one turn: the person's typed command or card click is read here (mentions
stripped, card data checked) and handed to `adapters.chat.dispatch`, which decides; what it
asks to show becomes Adaptive Cards. The answered question's card is replaced in place
(`update_activity`) by a summary without inputs, at the same time as the next card is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from adapters.chat import commands, placement
from adapters.chat.clicks import Submit, read_submit
from adapters.chat.conversation_book import ConversationBook
from adapters.chat.dispatch import ChatBot, Settled, Turn, blocking, failed_turn
from adapters.chat.locale import language
from adapters.chat.placement import Drawn, Notice
from adapters.chat.register import is_register_submit
from adapters.teams import card_parts, cards, result_cards, uploads
from adapters.teams.locale import time_zone
from adapters.teams.mentions import strip_mentions
from adapters.teams.messages import m
from adapters.teams.proactive import PERSONAL, PLATFORM, remember, text_activity
from adapters.teams.register import prefilled_card, register_card
from bot import effects as fx
from bot import events as ev
from bot.admin import AdminReply
from bot.app import App
from bot.conversations import first_time
from bot.listings import TriageRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamsTurn(Turn):
    context: TurnContext

    @property
    def card_id(self) -> str | None:
        """The message holding the card that was clicked (Teams sets replyToId on submits)."""
        return self.context.activity.reply_to_id or None


class BoussoleBot(ChatBot[TeamsTurn], ActivityHandler):
    words = staticmethod(m)

    def __init__(self, app: App, book: ConversationBook) -> None:
        super().__init__(app)
        self.book = book

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Any failure becomes a polite message with a reference to find it in the logs;
        if even that cannot be sent, the endpoint answers 500."""
        try:
            await super().on_turn(turn_context)
        except Exception:
            lang = language(turn_context.activity.locale)
            await turn_context.send_activity(text_activity(failed_turn(PLATFORM, lang)))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Typed commands, card clicks and files."""
        turn = _turn(turn_context)
        activity = turn_context.activity
        if is_register_submit(activity.value):
            await self.register_submitted(turn, activity.value)
        elif activity.value is not None:
            submit = read_submit(activity.value)
            if submit is None:
                await self.heard(turn)
                await self.say(turn, m("unreadable_card", turn.lang))
            else:
                await self.click(turn, submit)
        elif files := uploads.files_of(activity.attachments):
            offered, url = files[0]
            await self.upload(turn, offered, lambda: uploads.chunks(url))
        else:
            await self.command(turn, commands.parse(strip_mentions(activity.text)))

    # Conversation updates and installation

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        ids = {getattr(member, "id", None) for member in members_added}  # a member may be null
        if activity.recipient.id not in ids:
            return
        if activity.locale:
            await self._welcome(turn_context)
        else:
            # Without a locale it would welcome in French whoever reads: the installationUpdate
            # that comes with it (a millisecond apart, in either order) carries the locale.
            await blocking(remember, self.book, activity, True)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if any(member.id == activity.recipient.id for member in members_removed):
            await self._forget(activity)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        action = turn_context.activity.action or ""
        if action == "add":
            await self._welcome(turn_context)
        elif action.startswith("remove"):
            await self._forget(turn_context.activity)
        else:
            await blocking(remember, self.book, turn_context.activity, True)

    async def _welcome(self, turn_context: TurnContext) -> None:
        """Teams announces an installation twice (installationUpdate and the bot's own
        membersAdded): a key per conversation and day keeps it to one welcome card."""
        activity = turn_context.activity
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        key = _digest("welcome", activity.conversation.id, day)
        if await blocking(self._install, activity, key):
            lang = language(activity.locale)
            await turn_context.send_activity(_card(cards.welcome_card(lang)))

    def _install(self, activity: Activity, key: str) -> bool:
        remember(self.book, activity, force=True)
        return first_time(self.app, PLATFORM, key)

    async def _forget(self, activity: Activity) -> None:
        if activity.conversation.conversation_type in (PERSONAL, None):
            await blocking(self.book.forget, activity.from_property.id)

    # The chat kit's checklist: running a turn, drawing what it shows

    async def run(self, turn: TeamsTurn, event: ev.Event) -> list[fx.Effect]:
        activity = turn.context.activity

        def work() -> list[fx.Effect]:
            remember(self.book, activity)
            return self.app.engine.handle(event)

        return await asyncio.to_thread(work)

    async def heard(self, turn: TeamsTurn) -> None:
        await blocking(remember, self.book, turn.context.activity)

    async def render(
        self,
        turn: TeamsTurn,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None:
        placed = placement.place(effects, clicked, turn.lang, turn.card_id is not None)
        outgoing = [_drawn(item, turn.lang, authored) for item in placed.messages]
        frozen = None
        if closed := placed.closed:
            frozen = card_parts.frozen_card(closed.text, closed.triage_id, turn.lang, closed.mark)
        await _deliver(turn, outgoing, frozen)

    async def say(self, turn: TeamsTurn, text: str) -> None:
        await turn.context.send_activity(text_activity(text))

    async def settle(self, turn: TeamsTurn, text: str, settled: Settled | None) -> None:
        card = None if settled is None else _settled_card(settled, turn.lang)
        await _deliver(turn, [text_activity(text)] if text else [], card)

    async def show_help(self, turn: TeamsTurn, notices: Sequence[Notice] = ()) -> None:
        await turn.context.send_activity(_card(cards.help_card(turn.lang, notices)))

    async def show_list(self, turn: TeamsTurn, rows: Sequence[TriageRow], limit: int) -> None:
        zone = time_zone(turn.context.activity.local_timezone)
        await turn.context.send_activity(_card(cards.list_card(rows, turn.lang, limit, zone)))

    async def show_upload(self, turn: TeamsTurn, reply: AdminReply) -> None:
        lang = turn.lang
        card = cards.upload_card(reply.text, reply.mermaid, reply.confirm_sha256, lang, reply.ok)
        await turn.context.send_activity(_card(card))

    async def show_register(
        self,
        turn: TeamsTurn,
        triage_id: str,
        project: str,
        details: dict[str, Any] | None,
        errors: tuple[dict[str, str], tuple[str, ...]] | None = None,
    ) -> None:
        if errors is None:
            card = prefilled_card(triage_id, project, details, turn.lang)
        else:
            card = register_card(triage_id, project, details or {}, turn.lang, *errors)
        await turn.context.send_activity(_card(card))


async def _deliver(turn: TeamsTurn, outgoing: list[Activity], replacement: Any) -> None:
    """The replacement and the new messages go out together: one round trip, not two."""
    jobs = []
    if outgoing:
        jobs.append(turn.context.send_activities(outgoing))
    if replacement is not None and turn.card_id is not None:
        jobs.append(_replace(turn, replacement))
    await asyncio.gather(*jobs)


async def _replace(turn: TeamsTurn, card: dict[str, Any]) -> None:
    """Replacing is a courtesy: a card too old to edit must not fail the turn."""
    update = _card(card)
    update.id = turn.card_id
    try:
        await turn.context.update_activity(update)
    except Exception as error:
        log.warning("teams: could not replace card %s: %s", turn.card_id, error)


def _turn(context: TurnContext) -> TeamsTurn:
    activity = context.activity
    conversation = activity.conversation
    return TeamsTurn(
        actor=ev.Actor(PLATFORM, activity.from_property.id),
        lang=language(activity.locale),
        key=_digest("activity", conversation.id, activity.id or ""),
        in_channel=conversation.conversation_type not in (PERSONAL, None),
        context=context,
    )


def _digest(*parts: str) -> str:
    """Idempotency keys of bounded length: Teams conversation ids can be long."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _drawn(item: Drawn | str, lang: str, authored: bool) -> Activity:
    if isinstance(item, str):
        return text_activity(item)
    if isinstance(item.effect, fx.Ask):
        return _card(cards.question_card(item.effect.question, lang, item.notices))
    return _card(result_cards.result_card(item.effect.result, lang, item.notices, authored))


def _settled_card(settled: Settled, lang: str) -> dict[str, Any]:
    if settled.kind == "review_decided":
        return result_cards.review_decided_card(settled.text, settled.triage_id, lang)
    if settled.kind == "agent_answered":
        return result_cards.agent_answered_card(settled.text, settled.triage_id, lang)
    return cards.done_card(settled.text)


def _card(card: dict[str, Any]) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = card.get("fallbackText") or None
    return activity


__all__ = ["BoussoleBot"]
