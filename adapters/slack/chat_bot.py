"""Slack on the chat kit's turn driver (`adapters.chat.dispatch.ChatBot`): a typed command
(DM or slash command) and the clicks whose rule is the kit's (start, resume, a result
shown) follow the kit; Slack says only where each answer goes and how it is drawn.

A Slack turn draws its effects as it runs (`Turns.run`: the clicked question frozen beside
the next one posted), so `render` draws only what no turn drew: a result or a refusal
from a query (`voir ID`, "Voir le résultat"). Notices go back where the person acted
(`Turns.reply`: ephemeral, through the response_url, or an ordinary DM reply).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adapters.chat.clicks import Submit
from adapters.chat.dispatch import ChatBot, Settled, Turn, blocking
from adapters.chat.placement import Notice
from adapters.slack import refs
from adapters.slack.admin import member_of, report_message
from adapters.slack.blocks import Block, escape, help_message, message, notice, section
from adapters.slack.home import list_message
from adapters.slack.messages import m
from adapters.slack.register import INPUT_MAX, prompt_message, register_modal
from adapters.slack.results import result_message, review_message
from adapters.slack.turns import Turns, Where
from bot import effects as fx
from bot import events as ev
from bot.admin import AdminReply
from bot.app import App
from bot.listings import TriageRow
from bot.register_form import initial_values
from bot.review_notices import decided_notice


@dataclass(frozen=True)
class SlackTurn(Turn):
    where: Where
    trigger: str = ""
    """A click's trigger_id, with which a modal may be opened."""
    shown: tuple[Block, ...] = ()
    """The clicked message's blocks, for a settled form to be redrawn from (Publier)."""


class Drawn(list[fx.Effect]):
    """Effects a Slack turn already drew."""


class SlackBot(ChatBot[SlackTurn]):
    silent_duplicates = True

    def __init__(self, app: App, turns: Turns, command: str) -> None:
        super().__init__(app)
        self.turns = turns
        self.command_name = command

    def words(self, key: str, lang: str, **params: Any) -> str:
        """The admin usage names the slash command, and Slack says it could not read a
        file where the other platforms say they could not download it; the rest is Slack's
        catalog."""
        if key == "admin_usage":
            return m("admin_help", lang, command=self.command_name)
        if key == "upload_unreachable":
            key = "upload_unreadable"  # Slack says it could not read the file
        return m(key, lang, **params)

    def turn(
        self,
        user: str,
        lang: str,
        key: str,
        where: Where,
        trigger: str = "",
        shown: Sequence[Block] = (),
    ) -> SlackTurn:
        """A command or click without Slack's id (never seen in practice) gets a fresh key:
        an empty one would be claimed once and make every later one a duplicate."""
        actor = ev.Actor(refs.PLATFORM, user)
        key = key or uuid.uuid4().hex
        return SlackTurn(actor, lang, key, False, where, trigger, tuple(shown))

    def member(self, text: str) -> str:
        return member_of(text)

    async def run(self, turn: SlackTurn, event: ev.Event) -> list[fx.Effect]:
        return Drawn(await self.turns.run(event, turn.where))

    async def render(
        self,
        turn: SlackTurn,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None:
        if isinstance(effects, Drawn):
            return
        for effect in effects:
            if isinstance(effect, fx.Show):
                drawn = result_message(effect.result, turn.lang, retriage=authored)
                await self.turns.out.post(turn.where.channel, drawn, effect.result.triage_id)
            elif isinstance(effect, (fx.Info, fx.Error)):
                await self.say(turn, effect.text)

    async def say(self, turn: SlackTurn, text: str) -> None:
        await self.turns.reply(turn.where, notice(text))

    def unsaid(self, effects: Sequence[fx.Effect]) -> str:
        """A turn run here was drawn as it ran: nothing is left to say."""
        return "" if isinstance(effects, Drawn) else super().unsaid(effects)

    async def settle(self, turn: SlackTurn, text: str, settled: Settled | None) -> None:
        """A form clicked in the DM is redrawn once settled: a published flow's report
        without its "Publier" button, a decided review's notice with the decision, drawn
        as every other copy is; then `text` is said where the person clicked."""
        where = turn.where
        if settled is not None and where.message_ts:
            if settled.kind == "published" and turn.shown:
                await self._published(turn, settled.text)
            elif settled.kind == "review_decided":
                await self._decided(turn, settled.triage_id)
        if text:
            await self.say(turn, text)

    async def _published(self, turn: SlackTurn, text: str) -> None:
        kept = [b for b in turn.shown if b.get("block_id") not in ("publish", "published")]
        kept.append(section(escape(text), block_id="published"))
        report = m("admin_report_fallback", turn.lang)
        where = turn.where
        await self.turns.out.update(where.channel, where.message_ts, message(report, kept))

    async def _decided(self, turn: SlackTurn, triage_id: str) -> None:
        where = turn.where
        try:
            current = await blocking(decided_notice, self.app, triage_id, turn.lang)
        except LookupError:
            return
        if current is not None and where.message_ts:
            drawn = review_message(current.notice, turn.lang, current.decided)
            await self.turns.out.update(where.channel, where.message_ts, drawn, triage_id)

    async def show_help(self, turn: SlackTurn, notices: Sequence[Notice] = ()) -> None:
        prefix = " ".join(n.text for n in notices) or None
        await self.turns.reply(turn.where, help_message(self.command_name, turn.lang, prefix))

    async def show_list(self, turn: SlackTurn, rows: Sequence[TriageRow], limit: int) -> None:
        drawn = list_message(list(rows), self.command_name, turn.lang, limit)
        await self.turns.reply(turn.where, drawn)

    async def show_upload(self, turn: SlackTurn, reply: AdminReply) -> None:
        if reply.mermaid or reply.confirm_sha256:
            await self.turns.out.post(turn.where.channel, report_message(reply, turn.lang))
        else:
            await self.say(turn, reply.text)

    async def show_register(
        self,
        turn: SlackTurn,
        triage_id: str,
        project: str,
        details: dict[str, Any] | None,
        errors: tuple[dict[str, str], tuple[str, ...]] | None = None,
    ) -> None:
        """A click opens the form, as a modal (it holds the register's thirty fields where a
        message could not); a typed `registre ID` has no trigger to open one with: a button
        that opens it."""
        if not turn.trigger:
            await self.turns.reply(turn.where, prompt_message(triage_id, turn.lang))
            return
        values, kept = initial_values(details, INPUT_MAX)
        view = register_modal(triage_id, project, values, kept, turn.lang)
        await self.turns.out.open_view(turn.trigger, view, triage_id)
