"""What a typed command or a click asks of the bot, on a chat platform that draws forms:
which engine event it becomes, which query answers it (a listing, a result someone may see,
an admin command, an upload's check), and what is shown. The platform subclasses `ChatBot`
and provides what it alone knows (the checklist below): how to run a turn off the event
loop, and how to draw each answer. So the rules of a turn are written once, not per platform.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from adapters.chat import commands
from adapters.chat.admin import run_admin
from adapters.chat.clicks import REVIEW_ACTIONS, Submit
from adapters.chat.messages import m as kit
from adapters.chat.placement import Notice, said
from adapters.chat.register import handle_form, submitted_values
from adapters.chat.uploads import Admission, Describe, Offered, Words
from bot import effects as fx
from bot import events as ev
from bot.admin import Admin, AdminReply, member_of
from bot.app import App
from bot.i18n import t
from bot.listings import TriageRow, latest_in_progress, my_triages
from bot.register import RegisterRefused, prepare
from bot.reviews import CLOSED_CODES
from bot.unreadable import UnreadableRecord, unreadable_message
from bot.upload_checks import UploadChecks
from bot.visibility import result_for_another, visible_result

log = logging.getLogger(__name__)

T = TypeVar("T")
LIST_LIMIT = 10


@dataclass(frozen=True)
class Turn:
    """What every step of one turn needs to know about the message or click."""

    actor: ev.Actor
    lang: str
    key: str
    in_channel: bool


TurnT = TypeVar("TurnT", bound=Turn)


@dataclass(frozen=True)
class Settled:
    """What the clicked form becomes once its action is done: `kind` is `review_decided`,
    `agent_answered` or `published`, `text` what was done."""

    kind: str
    text: str
    triage_id: str = ""


class ChatBot(ABC, Generic[TurnT]):
    words: Words
    """The platform's catalog (its own words, then the kit's)."""
    silent_duplicates = False
    """A platform that redelivers what it sent (Slack) answers a replayed command with
    silence rather than with the engine's "already done"."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.admin = Admin(app)
        self.checks = UploadChecks()
        """Flow checks (upload, publish) run apart from the default executor, which
        `asyncio.to_thread` shares with agents' turns."""

    # What a platform provides

    def member(self, text: str) -> str:
        """A person named in an admin command, as `platform:id`: a platform whose mentions
        have their own syntax reads it here."""
        return text

    @abstractmethod
    async def run(self, turn: TurnT, event: ev.Event) -> list[fx.Effect]:
        """The engine's turn, off the event loop."""

    async def heard(self, turn: TurnT) -> None:
        """A turn that runs no engine event: a platform that learns where to reach the person
        from it (Teams' conversation reference) notes it; the others have it already."""

    @abstractmethod
    async def render(
        self,
        turn: TurnT,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None:
        """The effects drawn (`adapters.chat.placement`); a result drawn for its author
        carries the form that re-does it."""

    @abstractmethod
    async def say(self, turn: TurnT, text: str) -> None: ...

    def unsaid(self, effects: Sequence[fx.Effect]) -> str:
        """The words of a turn's effects that `run` has not drawn yet: all of them, unless
        the platform draws a turn as it runs (Slack)."""
        return said(effects)

    async def settle(self, turn: TurnT, text: str, settled: Settled | None) -> None:
        """`text` said (when there is one), and the clicked form replaced by `settled`; a
        platform of typed text has no form to replace, and keeps this."""
        if text:
            await self.say(turn, text)

    @abstractmethod
    async def show_help(self, turn: TurnT, notices: Sequence[Notice] = ()) -> None: ...

    @abstractmethod
    async def show_list(self, turn: TurnT, rows: Sequence[TriageRow], limit: int) -> None: ...

    @abstractmethod
    async def show_upload(self, turn: TurnT, reply: AdminReply) -> None: ...

    async def show_register(
        self,
        turn: TurnT,
        triage_id: str,
        project: str,
        details: dict[str, Any] | None,
        errors: tuple[dict[str, str], tuple[str, ...]] | None = None,
    ) -> None:
        """The register's form: prefilled from `details` (the published ones), or, with
        `errors` (each field's problem and the fields left out), the submitted values. A
        platform of typed text draws none (Matrix): the help, once the person is known to
        be allowed (`boussole register publish` is their way)."""
        await self.show_help(turn)

    # Typed commands

    async def command(self, turn: TurnT, command: commands.Command) -> None:
        """A failure is said to the person with a reference the log has (`failed_turn`):
        a platform that only logs what its tasks raise (Slack) would say nothing."""
        try:
            await self._command(turn, command)
        except Exception:
            await self.say(turn, failed_turn(turn.actor.platform, turn.lang))

    async def click(self, turn: TurnT, submit: Submit) -> None:
        try:
            await self._click(turn, submit)
        except Exception:
            await self.say(turn, failed_turn(turn.actor.platform, turn.lang))

    async def _command(self, turn: TurnT, command: commands.Command) -> None:
        name, argument = command.name, command.argument
        if name == commands.START:
            await self.start(turn)
        elif name == commands.LIST:
            await self.listing(turn)
        elif name == commands.RESUME and not argument:
            latest = await blocking(latest_in_progress, self.app, turn.actor)
            if latest:
                await self.resume(turn, latest)
            else:
                await self.give_id(turn, "word_resume")
        elif name == commands.CANCEL and not argument:
            await self.give_id(turn, "word_cancel")
        elif name == commands.RESUME:
            await self.resume(turn, argument)
        elif name == commands.CANCEL:
            await self.event(turn, ev.Cancel(turn.actor, turn.lang, turn.key, argument))
        elif name == commands.REGISTER:
            await self.heard(turn)
            await self.register_prompt(turn, argument)
        elif name == commands.HELP:
            await self.heard(turn)
            await self.show_help(turn)
        elif name == commands.ADMIN:
            await self.heard(turn)
            reply = await blocking(
                run_admin, self.admin, turn.actor, argument, turn.lang, turn.key, self.member
            )
            if reply is None or not (reply.duplicate and self.silent_duplicates):
                usage = AdminReply(self.words("admin_usage", turn.lang))
                await self.say(turn, (reply or usage).text)
        elif name == commands.WHOAMI:
            await self.heard(turn)
            await self.say(turn, t("your_id", turn.lang, id=member_of(turn.actor)))
        else:
            await self.heard(turn)
            text = kit("not_understood", turn.lang, text=command.text[:80])
            await self.show_help(turn, [Notice(text)])

    async def give_id(self, turn: TurnT, word: str) -> None:
        """A command that needs a triage id and has none to take: what to type, with the help."""
        await self.heard(turn)
        command = kit(word, turn.lang)
        await self.show_help(turn, [Notice(kit("give_triage_id", turn.lang, command=command))])

    async def start(self, turn: TurnT) -> None:
        effects = await self.run(turn, ev.StartTriage(turn.actor, turn.lang, turn.key))
        if turn.in_channel and any(isinstance(e, fx.Ask) for e in effects):
            effects = [fx.Info(kit("channel_notice", turn.lang)), *effects]
        await self.render(turn, effects)

    async def event(self, turn: TurnT, event: ev.Event, clicked: Submit | None = None) -> None:
        await self.render(turn, await self.run(turn, event), clicked=clicked)

    async def resume(self, turn: TurnT, triage_id: str) -> None:
        """`voir ID`: a reviewer or an admin sees the result; the author resumes."""
        actor, lang = turn.actor, turn.lang
        shown = await blocking(result_for_another, self.app, actor, triage_id, lang)
        if shown is not None:
            await self.render(turn, [fx.Show(shown)], authored=False)
        else:
            await self.event(turn, ev.Resume(actor, lang, turn.key, triage_id))

    async def listing(self, turn: TurnT) -> None:
        await self.heard(turn)
        rows = await blocking(my_triages, self.app, turn.actor, turn.lang, LIST_LIMIT)
        await self.show_list(turn, rows, LIST_LIMIT)

    # Clicks

    async def _click(self, turn: TurnT, submit: Submit) -> None:
        actor, lang, key, action = turn.actor, turn.lang, turn.key, submit.action
        if action == "start":
            await self.start(turn)
        elif action == "list":
            await self.listing(turn)
        elif action == "help":
            await self.heard(turn)
            await self.show_help(turn)
        elif action == "resume":
            await self.event(turn, ev.Resume(actor, lang, key, submit.triage_id))
        elif action == "review":
            await self.review(turn, submit.triage_id)
        elif action == "why":
            event = ev.Why(actor, lang, key, submit.triage_id, submit.question_id or None)
            await self.event(turn, event, clicked=submit)
        elif action == "back":  # the question clicked on: an older copy changes nothing
            event = ev.Back(actor, lang, key, submit.triage_id, submit.question_id or None)
            await self.event(turn, event, clicked=submit)
        elif action == "cancel":
            await self.event(turn, ev.Cancel(actor, lang, key, submit.triage_id), clicked=submit)
        elif action in REVIEW_ACTIONS:
            await self.review_action(turn, submit)
        elif action == "agent_reply":
            await self.agent_reply(turn, submit)
        elif action == "admin_publish":
            await self.publish(turn, submit.sha256)
        elif action == "retriage":
            await self.retriage(turn, submit)
        else:
            await self.answer(turn, submit)

    async def answer(self, turn: TurnT, submit: Submit) -> None:
        """The form's flow version travels with the answer: the engine refuses one drawn for
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
        await self.event(turn, event, clicked=submit)

    async def retriage(self, turn: TurnT, submit: Submit) -> None:
        """The result's form: the questions ticked are asked again (nothing ticked is said
        at once, without a turn)."""
        if not submit.reask:
            await self.say(turn, t("retriage_pick_none", turn.lang))
            return
        event = ev.ChangeAnswers(
            turn.actor, turn.lang, turn.key, triage_id=submit.triage_id, reask=submit.reask
        )
        await self.event(turn, event)

    async def review(self, turn: TurnT, triage_id: str) -> None:
        await self.heard(turn)
        found = await blocking(visible_result, self.app, turn.actor, triage_id, turn.lang)
        if isinstance(found, fx.Error):
            await self.render(turn, [found])
            return
        await self.render(turn, [fx.Show(found.view)], authored=found.authored)

    async def review_action(self, turn: TurnT, submit: Submit) -> None:
        """A reviewer's button: the engine decides (and refuses non-reviewers, audited); once
        the decision is final the review form becomes its summary, without buttons."""
        event = ev.ReviewAction(
            turn.actor,
            turn.lang,
            turn.key,
            submit.triage_id,
            REVIEW_ACTIONS[submit.action],
            outcome=submit.outcome or None,
            comment=submit.text,
        )
        effects = await self.run(turn, event)
        settled = None
        if fx.codes(effects) & CLOSED_CODES:
            decided = " ".join(e.text for e in effects if isinstance(e, fx.Info))
            settled = Settled("review_decided", decided, submit.triage_id)
        await self.settle(turn, self.unsaid(effects), settled)

    async def agent_reply(self, turn: TurnT, submit: Submit) -> None:
        event = ev.AgentReply(turn.actor, turn.lang, turn.key, submit.triage_id, submit.text)
        effects = await self.run(turn, event)
        settled = None
        if "agent_reply_sent" in fx.codes(effects):
            settled = Settled("agent_answered", submit.text.strip(), submit.triage_id)
        await self.settle(turn, self.unsaid(effects), settled)

    # Administration: flow files, the Publish button, the register

    async def upload(
        self,
        turn: TurnT,
        offered: Offered | Describe,
        chunks: Callable[[], AsyncIterator[bytes]],
        decode: Callable[[bytes], bytes] | None = None,
    ) -> None:
        """A flow file sent in personal chat: refused for non-admins before any download
        (and audited), then checked and reported with its diagram. `decode` turns what was
        downloaded into the file, where the platform sends it encrypted. A replayed upload
        is answered with silence where the platform redelivers (`silent_duplicates`)."""
        await self.heard(turn)
        lang = turn.lang
        if turn.in_channel:
            await self.say(turn, self.words("upload_in_channel", lang))
            return

        async def say(text: str) -> None:
            await self.say(turn, text)

        quiet = self.silent_duplicates
        admission = Admission(self.admin, self.words, say, blocking, tell_duplicates=not quiet)
        if not await admission.allowed(turn.actor, lang, turn.key):
            return
        found = await admission.described(lang, offered)
        if found is None:
            return
        content = await admission.fetch(lang, found, chunks, decode)
        if content is None:
            return
        reply = await self.checks.run(
            lang, self.admin.check_upload, turn.actor, found.name, content, lang, turn.key
        )
        if not (reply.duplicate and quiet):
            await self.show_upload(turn, reply)

    async def publish(self, turn: TurnT, sha256: str) -> None:
        """The Publish button of a checked upload: once published, the report loses it. A
        replayed click is answered with silence where the platform redelivers."""
        await self.heard(turn)
        reply = await self.checks.run(
            turn.lang, self.admin.publish_upload, turn.actor, sha256, turn.lang, turn.key
        )
        if reply.duplicate and self.silent_duplicates:
            return
        await self.settle(turn, reply.text, Settled("published", reply.text) if reply.ok else None)

    async def register_prompt(self, turn: TurnT, triage_id: str) -> None:
        """`registre ID`: the form, or why it cannot be filled in."""
        if not triage_id:
            await self.say(turn, t("register_needs_id", turn.lang))
            return
        try:
            project, details = await blocking(prepare, self.app, turn.actor, triage_id, turn.lang)
        except RegisterRefused as refusal:
            await self.say(turn, refusal.message)
            return
        await self.show_register(turn, triage_id, project, details)

    async def register_submitted(self, turn: TurnT, value: Mapping[str, Any]) -> None:
        await self.heard(turn)
        try:
            triage_id, kept, values = submitted_values(value)
        except ValueError:
            await self.say(turn, t("register_form_unreadable", turn.lang))
            return
        found = await blocking(handle_form, self.app, turn.actor, triage_id, values, turn.lang)
        if isinstance(found, str):
            await self.say(turn, found)
            return
        project, errors = found
        await self.show_register(turn, triage_id, project, values, (errors, kept))


async def blocking(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` on a worker thread: the database never runs on the event loop."""
    return await asyncio.to_thread(function, *args)


def failed_turn(platform: str, lang: str) -> str:
    """Call it while handling a turn's exception: the failure is logged with a short
    reference, and the words returned give the person that reference for the administrators
    (nothing was half-written: the engine's turn is one transaction)."""
    error = sys.exc_info()[1]
    if isinstance(error, UnreadableRecord):  # not ours to fix: the database was changed
        log.error("%s: a stored row cannot be read: %s", platform, error)
        return unreadable_message(error, lang)
    reference = secrets.token_hex(4)
    log.exception("%s: turn failed (reference %s)", platform, reference)
    return kit("internal_error", lang, ref=reference)
