"""One turn in Slack: an engine event run off the event loop, its effects drawn as messages.

Where each effect goes is the chat kit's placement for private notices
(`adapters.chat.placement.aside`); Slack draws it: questions and results posted in the
person's DM with the app (so that they can be updated once answered), the clicked question
updated in place, notices ephemeral (seen by that person only), through the response_url
when they acted outside the DM, or an ordinary reply to a command typed there.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from adapters.chat.placement import ANSWERED, WENT_BACK, Closed, Notice, aside, clicked_by
from adapters.slack.blocks import Message, current_question_notice, notice, why_message
from adapters.slack.client import SlackOut
from adapters.slack.messages import m
from adapters.slack.questions import frozen_message, question_message, replaced_message
from adapters.slack.results import result_message
from adapters.slack.tasks import UserLocks
from bot import effects as fx
from bot import events as ev
from bot.app import App

log = logging.getLogger("adapters.slack")

OPENING = (ev.StartTriage, ev.Resume, ev.ChangeAnswers)
"""Turns whose notices go in the DM with the triage they open, whoever asked where."""


@dataclass(frozen=True)
class Where:
    """Where a turn's output goes."""

    user: str
    channel: str
    """The person's DM with the app: questions and results are posted there."""
    message_ts: str | None = None
    """The question message acted on, to freeze once answered (None when ephemeral)."""
    response_url: str | None = None
    """Set when the person acted outside the DM: notices go back there, ephemeral."""
    typed: bool = False
    """A command typed in the DM: notices are ordinary replies, not ephemeral."""


class Turns:
    def __init__(
        self,
        app: App,
        out: SlackOut,
        pool: Executor,
        command: str,
        on_finished: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.out = out
        self.pool = pool
        self.command = command
        self.on_finished = on_finished
        self.locks = UserLocks()

    async def run(self, event: ev.Event, where: Where) -> list[fx.Effect]:
        """Run `event` and draw its effects; one turn at a time per person."""
        triage_id = getattr(event, "triage_id", "")
        async with self.locks.hold(where.user):
            try:
                turn = await self.engine(event)
            except Exception:  # the engine rolled back; say so, keep serving others
                log.exception(
                    "Slack turn %s failed for triage %s", type(event).__name__, triage_id or "-"
                )
                await self._internal_error(event, where, triage_id)
                return []
            try:
                await self.draw(event, turn, where)
            except Exception:  # committed, but not drawn: the agent can resume
                log.exception(
                    "Slack replies of turn %s failed for triage %s",
                    type(event).__name__,
                    turn.triage_id or "-",
                )
                await self._internal_error(event, where, turn.triage_id)
        return turn.effects

    async def _internal_error(self, event: ev.Event, where: Where, triage_id: str) -> None:
        key = "action_failed_triage" if triage_id else "action_failed"
        text = m(key, event.lang, command=self.command, id=triage_id)
        await self.reply(where, notice(text), triage_id)

    async def engine(self, event: ev.Event) -> fx.TurnResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, self.app.engine.turn, event)

    async def draw(self, event: ev.Event, turn: fx.TurnResult, where: Where) -> None:
        """The kit's placement for private notices (`adapters.chat.placement.aside`), drawn:
        the clicked message updated beside the next one posted (independent calls: done
        side by side, the next question arrives one Web API round trip sooner), each notice
        back where the person acted, those that open a triage in the DM."""
        if turn.status == fx.DUPLICATE:
            return  # a platform retry of a turn already drawn: silence
        lang, triage_id = event.lang, turn.triage_id
        clicked = clicked_by(event)
        refused = turn.status != fx.DONE
        placed = aside(turn.effects, clicked, refused, where.message_ts is not None, lang)
        updates: list[asyncio.Task[None]] = []
        if placed.closed is not None:
            update = self._update_clicked(where, closed_message(placed.closed, lang), triage_id)
            updates.append(asyncio.create_task(update))
        for item in placed.messages:
            if isinstance(item, Notice):
                await self._notice(event, item, where, triage_id)
            elif isinstance(item.effect, fx.Ask):
                drawn = question_message(item.effect.question, lang)
                await self.out.post(where.channel, drawn, triage_id)
            else:
                drawn = result_message(item.effect.result, lang, retriage=True)
                await self.out.post(where.channel, drawn, triage_id)
        await asyncio.gather(*updates)
        if finished(event, turn.effects) and self.on_finished is not None:
            self.on_finished(where.user)  # schedules the App Home refresh; never waited for

    async def _notice(self, event: ev.Event, said: Notice, where: Where, triage_id: str) -> None:
        """A why as an explanation, a refused click's notice with the question still current,
        any other as it is; those that open a triage in the DM, the rest where the person
        acted."""
        lang = event.lang
        if said.current is not None:
            current = said.current
            drawn = current_question_notice(said.text, current.label, current.triage_id, lang)
        elif not said.error and isinstance(event, ev.Why):
            drawn = why_message(said.text, lang)
        else:
            drawn = notice(said.text)
        if not said.error and isinstance(event, OPENING):
            await self.out.post(where.channel, drawn, triage_id)
        else:
            await self.reply(where, drawn, triage_id)

    async def reply(self, where: Where, message: Message, triage_id: str = "") -> None:
        """A notice for the person who acted: back through the response_url when they acted
        outside the DM; an ordinary DM reply to a typed command; else ephemeral in the DM
        (a click's, which is never typed)."""
        if where.response_url:
            await self.out.respond(where.response_url, message, triage_id)
        elif where.typed:
            await self.out.post(where.channel, message, triage_id)
        else:
            await self.out.ephemeral(where.channel, where.user, message, triage_id)

    async def _update_clicked(self, where: Where, message: Message, triage_id: str) -> None:
        if where.message_ts:
            await self.out.update(where.channel, where.message_ts, message, triage_id)


def finished(event: ev.Event, effects: list[fx.Effect]) -> bool:
    """A result shown, or a cancel said: the App Home's list changes."""
    cancelled = isinstance(event, ev.Cancel) and any(isinstance(e, fx.Info) for e in effects)
    return cancelled or any(isinstance(e, fx.Show) for e in effects)


def closed_message(closed: Closed, lang: str) -> Message:
    """The clicked question once closed: the answer given, or a note in its place."""
    if closed.reason == ANSWERED:
        return frozen_message(closed.text)
    if closed.reason == WENT_BACK:
        return replaced_message(m("stepped_back", lang))
    return replaced_message(closed.text)
