"""slack-bolt listeners: each acks at once, then turns its payload into an engine event.

Nothing before the ack touches the database or the Web API (a modal's length check is the
one piece of work done before it, because a field error can only travel in the ack). The
rest runs as a background task: the person's language, the engine turn, the replies.

Idempotency keys: `user:action_ts` for a click (a redelivered click is the same click),
the `trigger_id` of a command, the `event_id` of an event, `user:view id` for a modal.
"""

from __future__ import annotations

import json
import logging
import re
from concurrent.futures import Executor
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.chat import commands
from adapters.chat.clicks import Submit
from adapters.chat.commands import Command
from adapters.slack import refs
from adapters.slack.admin import AdminChat
from adapters.slack.blocks import notice
from adapters.slack.chat_bot import SlackBot
from adapters.slack.client import SlackOut
from adapters.slack.home import HomeTab
from adapters.slack.messages import m
from adapters.slack.payloads import (
    Body,
    EventOf,
    acked,
    answer_of,
    click_key,
    not_ours,
    question_event,
    user_of,
)
from adapters.slack.questions import TEXT_MAX, text_answer, text_modal
from adapters.slack.register import REGISTER_OPEN, REGISTER_VIEW, RegisterForm
from adapters.slack.retriage import RetriageForm
from adapters.slack.review_clicks import ReviewClicks
from adapters.slack.tasks import RecentKeys, Tasks
from adapters.slack.turns import Turns, Where
from bot import events as ev
from bot.app import App

log = logging.getLogger("adapters.slack")

QUESTION_ACTIONS = frozenset(
    {refs.ANSWER_SELECT, refs.SUBMIT_MULTI, refs.OPEN_TEXT, refs.WHY, refs.BACK, refs.CANCEL}
)
KIT_CLICKS = {refs.NEW_TRIAGE: "start", refs.RESUME: "resume", refs.SHOW_RESULT: "review"}
"""Slack's action ids for the clicks the kit's `ChatBot.click` runs."""


class Listeners:
    def __init__(
        self,
        app: App,
        turns: Turns,
        out: SlackOut,
        home: HomeTab,
        tasks: Tasks,
        pool: Executor,
        command: str,
    ) -> None:
        self.turns = turns
        self.out = out
        self.home = home
        self.tasks = tasks
        self.command = command
        self.recent = RecentKeys()
        self.admin = AdminChat(out)
        self.bot = SlackBot(app, turns, command)
        self.retriage = RetriageForm(self.bot, out, tasks, self.recent, pool)
        self.register_form = RegisterForm(self.bot, out, tasks, self.recent, pool)
        self.reviews = ReviewClicks(self.bot, out, tasks, self.recent, pool)

    def register(self, bolt: AsyncApp) -> None:
        """Clicks first, as one listener routed by action id: slack-bolt tries listeners in
        order and each one tried costs ~50 µs, and clicks are most of the traffic."""
        bolt.action(re.compile(".*"))(self.on_action)
        bolt.view(refs.TEXT_VIEW)(self.on_text_submission)
        bolt.view(refs.RETRIAGE_VIEW)(self.retriage.submitted)
        bolt.view(REGISTER_VIEW)(self.register_form.on_submission)
        bolt.view(re.compile(f"^({refs.ASK_VIEW}|{refs.OVERRIDE_VIEW}|{refs.REPLY_VIEW})$"))(
            self.reviews.submitted
        )
        bolt.command(self.command)(self.on_command)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home_opened)
        bolt.event("file_shared")(self.on_file_shared)

    async def on_action(self, ack: AsyncAck, body: Body, action: Body) -> None:
        await ack()
        action_id = str(action.get("action_id") or "")
        if action_id == refs.MULTI_CHOICE:
            return  # ticking a box is not an answer yet: "Valider" is
        if action_id in KIT_CLICKS:
            self._click(body, action, Submit(KIT_CLICKS[action_id], str(action.get("value") or "")))
        elif action_id in (refs.RETRIAGE, REGISTER_OPEN):
            form = self.retriage if action_id == refs.RETRIAGE else self.register_form
            trigger, value = str(body.get("trigger_id") or ""), str(action.get("value") or "")
            form.click(user_of(body), click_key(body, action), trigger, value)
        elif action_id in refs.REVIEW_ACTIONS or action_id == refs.AGENT_REPLY:
            self.reviews.click(body, action, action_id)
        elif action_id == refs.PUBLISH_FLOW:
            sha256 = str(action.get("value") or "")
            self._click(body, action, Submit("admin_publish", sha256=sha256))
        elif action_id.startswith(refs.ANSWER_PREFIX) or action_id in QUESTION_ACTIONS:
            try:
                self._on_question(body, action, action_id)
            except refs.BadReference:
                log.warning("Slack click ignored: %s carries no reference of ours", action)
        else:
            log.warning("Slack click ignored: unknown action %r", action_id)

    # Commands: `/boussole …` and the same words in a DM

    async def on_command(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        key = str(body.get("trigger_id") or "")
        if key and not self.recent.first_time(f"command:{key}"):
            return
        user = str(body["user_id"])
        text = str(body.get("text") or "")
        command = commands.parse(text) if text.strip() else Command(commands.START)
        self.tasks.spawn(
            self._slash(command, user, key, body.get("channel_id"), body.get("response_url")),
            "command",
        )

    async def on_message(
        self, ack: AsyncAck, body: Body, event: Body, req: AsyncBoltRequest
    ) -> None:
        await ack()
        if (
            event.get("channel_type") != "im"
            or event.get("subtype") not in (None, "file_share")
            or event.get("bot_id")
            or not event.get("user")
        ):
            return
        if _retry_of_a_slow_delivery(req):
            return
        if event.get("subtype") == "file_share":
            user, channel = str(event["user"]), str(event["channel"])
            self.out.remember_dm(user, channel)
            for file in event.get("files") or []:
                self._shared(user, str(file.get("id") or ""), channel)
            return
        key = str(body.get("event_id") or "")
        if key and not self.recent.first_time(f"event:{key}"):
            return
        user, channel = str(event["user"]), str(event["channel"])
        self.out.remember_dm(user, channel)
        where = Where(user=user, channel=channel, typed=True)
        command = commands.parse(str(event.get("text") or ""))
        self.tasks.spawn(self._typed(command, user, key, where), "direct message")

    async def _slash(
        self,
        command: Command,
        user: str,
        key: str,
        channel: object,
        response_url: object,
    ) -> None:
        lang = await self.out.lang(user)
        dm = await self.out.dm_channel(user)
        url = str(response_url) if response_url else None
        if dm is None:
            if url:
                await self.out.respond(url, notice(m("action_failed", lang)))
            return
        where = Where(user=user, channel=dm, response_url=url)
        if channel != dm and url and command.name in (commands.START, commands.RESUME):
            link = f"https://slack.com/app_redirect?channel={dm}"
            await self.out.respond(url, notice(m("continue_in_dm", lang, link=link)))
        await self.bot.command(self.bot.turn(user, lang, key, where), command)

    async def _typed(self, command: Command, user: str, key: str, where: Where) -> None:
        lang = await self.out.lang(user)
        await self.bot.command(self.bot.turn(user, lang, key, where), command)

    # Events

    async def on_home_opened(self, ack: AsyncAck, body: Body, event: Body) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return
        key = str(body.get("event_id") or "")
        if key and not self.recent.first_time(f"event:{key}"):
            return
        self.tasks.spawn(self.home.publish(str(event["user"])), "App Home")

    # Clicks on a question, and text answers: a modal

    def _on_question(self, body: Body, action: Body, action_id: str) -> None:
        """A click on a question: the text modal it opens, or the engine event it stands for;
        BadReference when the element carries no reference written by `questions.py`."""
        if action_id == refs.OPEN_TEXT:
            ref, details = refs.QuestionRef.decode(action.get("value"))
            self.tasks.spawn(self._open_modal(body, ref, details), "text modal")
        else:
            self._click(body, action, question_event(body, action))

    async def _open_modal(self, body: Body, ref: refs.QuestionRef, details: dict[str, Any]) -> None:
        user = user_of(body)
        where = await self._where_of(body, question=True)
        if where is None:
            return
        lang = await self.out.lang(user)
        view = text_modal(ref, details, where.channel, where.message_ts, lang)
        await self.out.open_view(str(body.get("trigger_id")), view, ref.triage_id)

    async def on_text_submission(self, ack: AsyncAck, body: Body, view: Body) -> None:
        """The one check before the ack: a field error can only be shown by the ack itself.
        The engine checks the answer again, with the same limit."""
        user = user_of(body)
        try:
            metadata = json.loads(view.get("private_metadata") or "{}")
            ref, _ = refs.QuestionRef.decode(metadata.get("ref"))
            limit = int(metadata.get("max") or TEXT_MAX)
        except (ValueError, AttributeError, TypeError):
            await not_ours(ack)
            return
        value, error = text_answer(view, limit, self.out.known_lang(user))
        key = await acked(ack, self.recent, user, view, {refs.TEXT_BLOCK: error} if error else {})
        if key is None:
            return
        dm = metadata.get("channel")
        where = Where(user=user, channel=str(dm), message_ts=metadata.get("ts")) if dm else None
        self.tasks.spawn(self._submit_text(user, key, ref, value, where), "text answer")

    async def _submit_text(
        self, user: str, key: str, ref: refs.QuestionRef, value: str, where: Where | None
    ) -> None:
        lang = await self.out.lang(user)
        if where is None:
            dm = await self.out.dm_channel(user, ref.triage_id)
            if dm is None:
                return
            where = Where(user=user, channel=dm)
        await self.turns.run(answer_of(ref, value)(ev.Actor(refs.PLATFORM, user), lang, key), where)

    # Files shared in the DM: a flow for an admin to check and publish

    async def on_file_shared(self, ack: AsyncAck, body: Body, event: Body) -> None:
        """`file_shared` (the `message` event's `file_share` subtype says the same: the file
        id makes the two one)."""
        await ack()
        user = str(event.get("user_id") or "")
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        channel = str(event.get("channel_id") or "")
        if not user or not channel.startswith("D"):
            return
        self._shared(user, file_id, channel)

    def _shared(self, user: str, file_id: str, channel: str) -> None:
        if not file_id or not self.recent.first_time(f"file:{file_id}"):
            return
        where = Where(user=user, channel=channel, typed=True)
        self.tasks.spawn(self._file(user, file_id, channel, where), "shared file")

    async def _file(self, user: str, file_id: str, channel: str, where: Where) -> None:
        if await self.out.dm_channel(user) != channel:
            return  # only a file shared in the person's own DM with the app
        lang = await self.out.lang(user)
        describe, download = self.admin.shared(file_id)
        await self.bot.upload(
            self.bot.turn(user, lang, f"file:{file_id}", where), describe, download
        )

    # Shared steps

    def _click(self, body: Body, action: Body, clicked: Submit | EventOf) -> None:
        """A click on a question (the engine event it stands for), or one whose rule is the
        kit's (start, resume, a result shown, "Publier")."""
        key = click_key(body, action)
        if self.recent.first_time(f"action:{key}"):  # else this very click, delivered again
            self.tasks.spawn(self._run_click(body, key, clicked), "click")

    async def _run_click(self, body: Body, key: str, clicked: Submit | EventOf) -> None:
        user = user_of(body)
        lang = await self.out.lang(user)
        where = await self._where_of(body, question=not isinstance(clicked, Submit))
        if where is None:
            return
        if isinstance(clicked, Submit):
            shown = (body.get("message") or {}).get("blocks") or []
            await self.bot.click(self.bot.turn(user, lang, key, where, shown=shown), clicked)
        else:
            await self.turns.run(clicked(ev.Actor(refs.PLATFORM, user), lang, key), where)

    async def _where_of(self, body: Body, question: bool) -> Where | None:
        """Questions live in the DM, so a click on one tells us the DM channel for free;
        a click in a list, App Home or a review notice needs the DM looked up. None when
        Slack would not open the DM (already logged): there is nowhere to answer."""
        user = user_of(body)
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        if question and channel:
            self.out.remember_dm(user, channel)
            dm: str | None = channel
        else:
            dm = await self.out.dm_channel(user)
        ephemeral = bool(container.get("is_ephemeral"))
        in_dm = channel is not None and channel == dm
        message_ts = container.get("message_ts") if in_dm and not ephemeral else None
        response_url = body.get("response_url") if channel and not in_dm else None
        if dm is None:
            return None
        return Where(user=user, channel=dm, message_ts=message_ts, response_url=response_url)


def _retry_of_a_slow_delivery(req: AsyncBoltRequest) -> bool:
    """Slack redelivers an event it got no ack for in 3 seconds; the first delivery is then
    still being handled here (or was), so the retry is dropped. Retries after a failed
    delivery (http_error, connection_failed) are handled: the first may never have arrived."""
    reason = req.headers.get("x-slack-retry-reason", [""])
    return bool(reason) and reason[0] == "http_timeout"
