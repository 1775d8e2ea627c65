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
from adapters.slack.admin import member_of, report_message
from adapters.slack.blocks import help_message, notice
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

PLATFORM = "slack"


@dataclass(frozen=True)
class SlackTurn(Turn):
    where: Where
    trigger: str = ""
    """A click's trigger_id, with which a modal may be opened."""


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

    def turn(self, user: str, lang: str, key: str, where: Where, trigger: str = "") -> SlackTurn:
        """A command or click without Slack's id (never seen in practice) gets a fresh key:
        an empty one would be claimed once and make every later one a duplicate."""
        actor = ev.Actor(PLATFORM, user)
        return SlackTurn(actor, lang, key or uuid.uuid4().hex, False, where, trigger)

    def member(self, text: str) -> str:
        return member_of(text)

    async def run(self, turn: SlackTurn, event: ev.Event) -> list[fx.Effect]:
        return Drawn(await self.turns.run(event, turn.where))

    async def heard(self, turn: SlackTurn) -> None:
        """The listener already noted the person's DM."""

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

    async def settle(self, turn: SlackTurn, text: str, settled: Settled | None) -> None:
        """The turn already said `text`. A decided review's notice clicked in the DM shows
        the decision, drawn as every other copy is, instead of its buttons."""
        where = turn.where
        if settled is None or settled.kind != "review_decided" or not where.message_ts:
            return
        try:
            current = await blocking(decided_notice, self.app, settled.triage_id, turn.lang)
        except LookupError:
            return
        if current is not None:
            drawn = review_message(current.notice, turn.lang, current.decided)
            await self.turns.out.update(where.channel, where.message_ts, drawn, settled.triage_id)

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
