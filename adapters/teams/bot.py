"""The Teams activity handler: activities in, engine events out; engine effects in, cards out.

One activity is one turn: the person's typed command or card click becomes one engine event
(run off the event loop, in one transaction), and the effects become Adaptive Cards. The
answered question's card is replaced in place (`update_activity`) by a summary without inputs,
at the same time as the next card is sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from botbuilder.core import ActivityHandler, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from adapters.chat import commands
from adapters.chat.admin import run_admin
from adapters.chat.uploads import Admission
from adapters.teams import cards, placement, uploads
from adapters.teams.cards import Notice, Submit
from adapters.teams.locale import language, time_zone
from adapters.teams.mentions import strip_mentions
from adapters.teams.messages import m
from adapters.teams.proactive import PERSONAL, ConversationBook
from adapters.teams.register import RegisterCards, is_register_submit
from bot import effects as fx
from bot import events as ev
from bot.admin import Admin, AdminReply
from bot.app import App
from bot.conversations import first_time
from bot.i18n import t
from bot.listings import my_triages
from bot.reviews import CLOSED_CODES
from bot.upload_checks import UploadChecks
from bot.visibility import result_for_another, visible_result

log = logging.getLogger(__name__)

PLATFORM = "teams"
LIST_LIMIT = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Turn:
    """What every step of one turn needs to know about the activity."""

    context: TurnContext
    actor: ev.Actor
    lang: str
    key: str
    in_channel: bool

    @property
    def card_id(self) -> str | None:
        """The message holding the card that was clicked (Teams sets replyToId on submits)."""
        return self.context.activity.reply_to_id or None


class BoussoleBot(ActivityHandler):
    def __init__(self, app: App, book: ConversationBook) -> None:
        self.app = app
        self.book = book
        self.admin = Admin(app)
        self.register = RegisterCards(app)
        self.checks = UploadChecks()
        """Flow checks (upload, publish) run apart from the default executor, which
        `asyncio.to_thread` shares with agents' turns."""
        """Triage id -> its flow version number: fixed when the triage starts, so read once."""

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Any failure becomes a polite message with a reference to find it in the logs;
        if even that cannot be sent, the endpoint answers 500."""
        try:
            await super().on_turn(turn_context)
        except Exception:
            reference = secrets.token_hex(4)
            log.exception("teams: turn failed (reference %s)", reference)
            lang = language(turn_context.activity.locale)
            await turn_context.send_activity(_text(m("internal_error", lang, ref=reference)))

    # Messages: typed commands and card clicks

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        turn = _turn(turn_context)
        activity = turn_context.activity
        if is_register_submit(activity.value):
            await self._remember(activity)
            await self.register.submitted(turn_context, turn.actor, turn.lang, activity.value)
            return
        if activity.value is not None:
            submit = cards.read_submit(activity.value)
            if submit is None:
                await self._remember(activity)
                await turn_context.send_activity(_text(m("unreadable_card", turn.lang)))
                return
            await self._on_submit(turn, submit)
            return
        files = uploads.files_of(activity.attachments)
        if files:
            await self._upload(turn, files[0])
            return
        await self._on_command(turn, commands.parse(strip_mentions(activity.text)))

    async def _on_command(self, turn: Turn, command: commands.Command) -> None:
        if command.name == commands.START:
            await self._start(turn)
        elif command.name == commands.LIST:
            await self._list(turn)
        elif command.name in (commands.RESUME, commands.CANCEL) and not command.argument:
            word = m("word_cancel" if command.name == commands.CANCEL else "word_resume", turn.lang)
            await self._remember(turn.context.activity)
            await self._reply(turn, [cards.help_card(turn.lang, [_missing_id(word, turn)])])
        elif command.name == commands.RESUME:
            await self._resume(turn, command.argument)
        elif command.name == commands.CANCEL:
            await self._event(turn, ev.Cancel(turn.actor, turn.lang, turn.key, command.argument))
        elif command.name == commands.REGISTER:
            await self._remember(turn.context.activity)
            await self.register.prompt(turn.context, turn.actor, turn.lang, command.argument)
        elif command.name == commands.HELP:
            await self._help(turn)
        elif command.name == commands.ADMIN:
            await self._admin(turn, command.argument)
        elif command.name == commands.WHOAMI:
            await self._remember(turn.context.activity)
            text = t("your_id", turn.lang, id=f"{PLATFORM}:{turn.actor.user_id}")
            await turn.context.send_activity(_text(text))
        else:
            await self._remember(turn.context.activity)
            shown = command.text[:80]
            notice = Notice(m("not_understood", turn.lang, text=shown))
            await self._reply(turn, [cards.help_card(turn.lang, [notice])])

    async def _on_submit(self, turn: Turn, submit: Submit) -> None:
        actor, lang, key = turn.actor, turn.lang, turn.key
        if submit.action == "start":
            await self._start(turn)
        elif submit.action == "list":
            await self._list(turn)
        elif submit.action == "help":
            await self._help(turn)
        elif submit.action == "resume":
            await self._event(turn, ev.Resume(actor, lang, key, submit.triage_id))
        elif submit.action == "review":
            await self._review(turn, submit.triage_id)
        elif submit.action == "why":
            event = ev.Why(actor, lang, key, submit.triage_id, submit.question_id or None)
            await self._event(turn, event, clicked=submit)
        elif submit.action == "back":
            await self._event(turn, ev.Back(actor, lang, key, submit.triage_id), clicked=submit)
        elif submit.action == "cancel":
            await self._event(turn, ev.Cancel(actor, lang, key, submit.triage_id), clicked=submit)
        elif submit.action in cards.REVIEW_ACTIONS:
            await self._review_action(turn, submit)
        elif submit.action == "agent_reply":
            await self._agent_reply(turn, submit)
        elif submit.action == "admin_publish":
            await self._publish(turn, submit.sha256)
        elif submit.action == "retriage":
            await self._retriage(turn, submit)
        else:
            await self._answer(turn, submit)

    async def _answer(self, turn: Turn, submit: Submit) -> None:
        """The card's flow version travels with the answer: the engine refuses one drawn for
        another version than its triage's, and shows the current question instead."""
        event = ev.Answer(
            turn.actor,
            turn.lang,
            turn.key,
            triage_id=submit.triage_id,
            question_id=submit.question_id,
            value=submit.answer(),
            flow_version=submit.flow_version,
        )
        await self._event(turn, event, clicked=submit)

    # Commands

    async def _start(self, turn: Turn) -> None:
        effects = await self._run(turn, ev.StartTriage(turn.actor, turn.lang, turn.key))
        if turn.in_channel and any(isinstance(e, fx.Ask) for e in effects):
            effects = [fx.Info(m("channel_notice", turn.lang)), *effects]
        await self._render(turn, effects)

    async def _event(self, turn: Turn, event: ev.Event, clicked: Submit | None = None) -> None:
        await self._render(turn, await self._run(turn, event), clicked=clicked)

    async def _resume(self, turn: Turn, triage_id: str) -> None:
        """`voir ID`: a reviewer or an admin sees the result; the author resumes."""
        actor, lang = turn.actor, turn.lang
        shown = await self._blocking(result_for_another, self.app, actor, triage_id, lang)
        if shown is not None:
            await self._render(turn, [fx.Show(shown)], authored=False)
        else:
            await self._event(turn, ev.Resume(actor, lang, turn.key, triage_id))

    async def _retriage(self, turn: Turn, submit: Submit) -> None:
        """The result's form: the questions ticked are asked again (nothing ticked is said
        at once, without a turn)."""
        if not submit.reask:
            await self._deliver(turn, [_text(t("retriage_pick_none", turn.lang))], None)
            return
        event = ev.ChangeAnswers(
            turn.actor, turn.lang, turn.key, triage_id=submit.triage_id, reask=submit.reask
        )
        await self._event(turn, event)

    async def _help(self, turn: Turn) -> None:
        await self._remember(turn.context.activity)
        await self._reply(turn, [cards.help_card(turn.lang)])

    async def _list(self, turn: Turn) -> None:
        await self._remember(turn.context.activity)
        rows = await self._blocking(my_triages, self.app, turn.actor, turn.lang, LIST_LIMIT)
        zone = time_zone(turn.context.activity.local_timezone)
        await self._reply(turn, [cards.list_card(rows, turn.lang, LIST_LIMIT, zone)])

    async def _review(self, turn: Turn, triage_id: str) -> None:
        await self._remember(turn.context.activity)
        found = await self._blocking(visible_result, self.app, turn.actor, triage_id, turn.lang)
        if isinstance(found, fx.Error):
            await self._render(turn, [found])
            return
        await self._render(turn, [fx.Show(found.view)], authored=found.authored)

    # Reviewers' decisions and the agent's answers

    async def _review_action(self, turn: Turn, submit: Submit) -> None:
        """A reviewer's button: the engine decides (and refuses non-reviewers, audited); once
        the decision is final the review card becomes its summary, without buttons."""
        event = ev.ReviewAction(
            turn.actor,
            turn.lang,
            turn.key,
            submit.triage_id,
            cards.REVIEW_ACTIONS[submit.action],
            outcome=submit.outcome or None,
            comment=submit.text,
        )
        effects = await self._run(turn, event)
        replacement = None
        if fx.codes(effects) & CLOSED_CODES:
            said = " ".join(e.text for e in effects if isinstance(e, fx.Info))
            replacement = cards.review_decided_card(said, submit.triage_id, turn.lang)
        said = placement.said(effects)
        await self._deliver(turn, [_text(said)] if said else [], replacement)

    async def _agent_reply(self, turn: Turn, submit: Submit) -> None:
        event = ev.AgentReply(turn.actor, turn.lang, turn.key, submit.triage_id, submit.text)
        effects = await self._run(turn, event)
        replacement = None
        if "agent_reply_sent" in fx.codes(effects):
            replacement = cards.agent_answered_card(
                submit.text.strip(), submit.triage_id, turn.lang
            )
        said = placement.said(effects)
        await self._deliver(turn, [_text(said)] if said else [], replacement)

    # Administration: commands, flow files, the Publish button

    async def _admin(self, turn: Turn, argument: str) -> None:
        await self._remember(turn.context.activity)
        lang = turn.lang
        reply = await self._blocking(run_admin, self.admin, turn.actor, argument, lang, turn.key)
        await turn.context.send_activity(_text((reply or AdminReply(m("admin_usage", lang))).text))

    async def _upload(self, turn: Turn, file: uploads.SentFile) -> None:
        """A flow file sent in personal chat: refused for non-admins before any download
        (and audited), then checked and reported with its diagram."""
        await self._remember(turn.context.activity)
        lang = turn.lang
        if turn.in_channel:
            await turn.context.send_activity(_text(m("upload_in_channel", lang)))
            return

        async def say(text: str) -> None:
            await turn.context.send_activity(_text(text))

        admission = Admission(self.admin, m, say, self._blocking)
        offered = uploads.offered(file)
        content = await admission.admit(
            turn.actor, lang, turn.key, offered, lambda: uploads.chunks(file)
        )
        if content is None:
            return
        reply = await self.checks.run(
            lang, self.admin.check_upload, turn.actor, file.name, content, lang, turn.key
        )
        card = cards.upload_card(reply.text, reply.mermaid, reply.confirm_sha256, lang, reply.ok)
        await self._reply(turn, [card])

    async def _publish(self, turn: Turn, sha256: str) -> None:
        await self._remember(turn.context.activity)
        reply = await self.checks.run(
            turn.lang, self.admin.publish_upload, turn.actor, sha256, turn.lang, turn.key
        )
        replacement = None
        if reply.ok:
            replacement = cards.done_card(reply.text)
        await self._deliver(turn, [_text(reply.text)], replacement)

    # Conversation updates and installation

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if not any(member.id == activity.recipient.id for member in members_added):
            return
        if activity.locale:
            await self._welcome(turn_context)
        else:
            # Without a locale it would welcome in French whoever reads: the installationUpdate
            # that comes with it (a millisecond apart, in either order) carries the locale.
            await self._remember(activity, force=True)

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
            await self._remember(turn_context.activity, force=True)

    async def _welcome(self, turn_context: TurnContext) -> None:
        """Teams announces an installation twice (installationUpdate and the bot's own
        membersAdded): a key per conversation and day keeps it to one welcome card."""
        activity = turn_context.activity
        day = datetime.now(UTC).strftime("%Y-%m-%d")
        key = _digest("welcome", activity.conversation.id, day)
        first = await self._blocking(self._install, activity, key)
        if first:
            lang = language(activity.locale)
            await turn_context.send_activity(_card(cards.welcome_card(lang)))

    def _install(self, activity: Activity, key: str) -> bool:
        self.book.remember(activity, force=True)
        return first_time(self.app, PLATFORM, key)

    async def _forget(self, activity: Activity) -> None:
        if activity.conversation.conversation_type in (PERSONAL, None):
            await self._blocking(self.book.forget, activity.from_property.id)

    # Running the engine and the database off the event loop

    async def _run(self, turn: Turn, event: ev.Event) -> list[fx.Effect]:
        activity = turn.context.activity

        def work() -> list[fx.Effect]:
            self.book.remember(activity)
            return self.app.engine.handle(event)

        return await asyncio.to_thread(work)

    async def _remember(self, activity: Activity, force: bool = False) -> None:
        await asyncio.to_thread(self.book.remember, activity, force)

    async def _blocking(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)

    # Effects to cards

    async def _render(
        self,
        turn: Turn,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None:
        """Send the effects, in order, as few messages as possible: notices go at the top of
        the card that follows them. A result drawn for its author (`authored`: any engine turn
        of theirs, or "Voir le détail" clicked by them) carries the form that re-does it. The
        clicked card is replaced when the click made it obsolete: answered (Freeze), abandoned
        (back, cancel) or refused as stale."""
        outgoing: list[Activity] = []
        notices: list[Notice] = []
        frozen = next((e for e in effects if isinstance(e, fx.Freeze)), None)
        replacement = placement.replacement(effects, frozen, clicked, turn.lang)
        for effect in effects:
            if isinstance(effect, fx.Info):
                notices.append(Notice(effect.text))
            elif isinstance(effect, fx.Error):
                notices.append(Notice(effect.text, error=True))
            elif isinstance(effect, fx.Ask):
                if replacement is None and placement.same_card(effect, clicked):
                    continue  # the person is looking at this very card: notices suffice
                outgoing.append(_card(cards.question_card(effect.question, turn.lang, notices)))
                notices = []
            elif isinstance(effect, fx.Show):
                card = cards.result_card(effect.result, turn.lang, notices, retriage=authored)
                outgoing.append(_card(card))
                notices = []
        if notices:
            outgoing.append(_text("\n\n".join(n.text for n in notices)))
        if replacement is not None and turn.card_id is None and frozen is not None:
            outgoing.insert(0, _text(f"✓ {frozen.summary}"))
            replacement = None
        await self._deliver(turn, outgoing, replacement)

    async def _reply(self, turn: Turn, card_list: Sequence[dict[str, Any]]) -> None:
        await self._deliver(turn, [_card(card) for card in card_list], None)

    async def _deliver(
        self, turn: Turn, outgoing: list[Activity], replacement: dict[str, Any] | None
    ) -> None:
        """The replacement and the new messages go out together: one round trip, not two."""
        jobs = []
        if outgoing:
            jobs.append(turn.context.send_activities(outgoing))
        if replacement is not None and turn.card_id is not None:
            jobs.append(_replace(turn, replacement))
        await asyncio.gather(*jobs)


async def _replace(turn: Turn, card: dict[str, Any]) -> None:
    """Replacing is a courtesy: a card too old to edit must not fail the turn."""
    update = _card(card)
    update.id = turn.card_id
    try:
        await turn.context.update_activity(update)
    except Exception as error:
        log.warning("teams: could not replace card %s: %s", turn.card_id, error)


def _turn(context: TurnContext) -> Turn:
    activity = context.activity
    conversation = activity.conversation
    return Turn(
        context=context,
        actor=ev.Actor(PLATFORM, activity.from_property.id),
        lang=language(activity.locale),
        key=_digest("activity", conversation.id, activity.id or ""),
        in_channel=conversation.conversation_type not in (PERSONAL, None),
    )


def _digest(*parts: str) -> str:
    """Idempotency keys of bounded length: Teams conversation ids can be long."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _missing_id(word: str, turn: Turn) -> Notice:
    return Notice(m("missing_id", turn.lang, command=word))


def _card(card: dict[str, Any]) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = card.get("fallbackText") or None
    return activity


def _text(text: str) -> Activity:
    activity = MessageFactory.text(text)
    activity.text_format = "plain"
    return activity


__all__ = ["BoussoleBot"]
