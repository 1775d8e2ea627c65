"""One turn in Slack: an engine event run off the event loop, its effects drawn as messages.

Where each effect goes is the only decision made here, and it depends on what the person did,
never on the triage: questions and results are posted in the person's DM with the app (so
that they can be updated once answered), answered questions are frozen in place, and the
notices of a click that changed nothing are ephemeral, seen by that person only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

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
        lang = event.lang
        if turn.status == fx.DUPLICATE:
            return  # a platform retry of a turn already drawn: silence
        effects, triage_id = turn.effects, turn.triage_id
        clicked = isinstance(event, (ev.Answer, ev.Back))
        refused = clicked and turn.status != fx.DONE
        current = next((e.question for e in effects if isinstance(e, fx.Ask)), None)
        finished = False
        # Updating the clicked message and posting the next one are independent: done side
        # by side, the next question arrives one Web API round trip sooner.
        updates: list[asyncio.Task[None]] = []
        for effect in effects:
            if isinstance(effect, fx.Freeze):
                update = self._update_clicked(where, frozen_message(effect.summary), triage_id)
                updates.append(asyncio.create_task(update))
            elif isinstance(effect, fx.Ask) and not refused:
                if isinstance(event, ev.Back):
                    stepped_back = replaced_message(m("stepped_back", lang))
                    updates.append(
                        asyncio.create_task(self._update_clicked(where, stepped_back, triage_id))
                    )
                await self.out.post(
                    where.channel, question_message(effect.question, lang), triage_id
                )
            elif isinstance(effect, fx.Show):
                drawn = result_message(effect.result, lang, retriage=True)
                await self.out.post(where.channel, drawn, triage_id)
                finished = True
            elif isinstance(effect, fx.Info):
                if isinstance(event, ev.Why):
                    await self.reply(where, why_message(effect.text, lang), triage_id, click=True)
                elif refused and current is not None:
                    reminder = current_question_notice(
                        effect.text, current.label, current.triage_id, lang
                    )
                    await self.reply(where, reminder, triage_id, click=True)
                elif clicked:
                    await self.reply(where, notice(effect.text), triage_id, click=True)
                elif isinstance(event, ev.Cancel) and where.message_ts:
                    await self._update_clicked(where, replaced_message(effect.text), triage_id)
                    finished = True
                elif isinstance(event, (ev.StartTriage, ev.Resume, ev.ChangeAnswers)):
                    await self.out.post(where.channel, notice(effect.text), triage_id)
                else:
                    await self.reply(where, notice(effect.text), triage_id)
                    finished = isinstance(event, ev.Cancel)
            elif isinstance(effect, fx.Error):
                await self.reply(where, notice(effect.text), triage_id, click=clicked)
        await asyncio.gather(*updates)
        if finished and self.on_finished is not None:
            self.on_finished(where.user)  # schedules the App Home refresh; never waited for

    async def reply(
        self, where: Where, message: Message, triage_id: str = "", click: bool = False
    ) -> None:
        """A notice for the person who acted: back through the response_url when they acted
        outside the DM; an ordinary DM reply to a typed command; else ephemeral in the DM."""
        if where.response_url:
            await self.out.respond(where.response_url, message, triage_id)
        elif where.typed and not click:
            await self.out.post(where.channel, message, triage_id)
        else:
            await self.out.ephemeral(where.channel, where.user, message, triage_id)

    async def _update_clicked(self, where: Where, message: Message, triage_id: str) -> None:
        if where.message_ts:
            await self.out.update(where.channel, where.message_ts, message, triage_id)
