"""Outbox notifications: the sender that DMs reviewers and agents.

The engine writes one outbox row per recipient in the transaction that made the news (a
triage to review, a reviewer's decision or question, an agent's answer, reminders, digests);
the notifier (bot.notifier) calls this sender for each, at least once. A failure is raised,
not swallowed, so that the notifier retries it with backoff; a recipient Slack will never
accept (deleted account, a bot) is a PermanentFailure, parked at once.

A review request is drawn from the result (with the decision buttons); every other kind
carries its text in both languages (`{"text": {"fr": …, "en": …}}`) and is sent in the
recipient's language, French by default.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor

from slack_sdk.errors import SlackApiError

from adapters.slack.blocks import Message
from adapters.slack.client import SlackOut
from adapters.slack.results import review_message
from adapters.slack.reviews import notification_message
from bot.app import App
from bot.directory import OTHER
from bot.notifications import REVIEW_REQUEST, ReviewNotice, notification_text, review_notice
from bot.notifier import PermanentFailure
from storage.repository import OutboxRecord

NEVER_DELIVERABLE = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "invalid_users",
        "is_bot",
        "user_disabled",
        "user_not_found",
        "user_not_visible",
        "users_not_found",
    }
)


class ReviewSender:
    def __init__(self, app: App, out: SlackOut, pool: Executor) -> None:
        self.app = app
        self.out = out
        self.pool = pool

    async def __call__(self, message: OutboxRecord) -> None:
        lang = await self.out.lang(message.recipient)
        body = await self._message(message, lang)
        try:
            channel = self.out.known_dm(message.recipient)
            if channel is None:
                opened = await self.out.client.conversations_open(users=message.recipient)
                channel = str(opened["channel"]["id"])
                self.out.remember_dm(message.recipient, channel)
            await self.out.client.chat_postMessage(channel=channel, **body)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in NEVER_DELIVERABLE:
                raise PermanentFailure(f"Slack refuses {message.recipient}: {code}") from None
            raise

    async def _message(self, message: OutboxRecord, lang: str) -> Message:
        if message.kind == REVIEW_REQUEST:
            loop = asyncio.get_running_loop()
            try:
                notice = await loop.run_in_executor(self.pool, self._notice, message, lang)
            except LookupError:
                raise PermanentFailure(f"triage {message.triage_id} no longer exists") from None
            return review_message(notice, lang)
        text = notification_text(message.payload, message.kind, lang)
        if not text:
            raise PermanentFailure(f"a {message.kind!r} message without a text to send")
        return notification_message(message.kind, text, message.triage_id or "", lang)

    def _notice(self, message: OutboxRecord, lang: str) -> ReviewNotice:
        """Database reads (the result, the directory's names) stay off the event loop."""
        with self.app.store.reading() as tx:
            view = self.app.engine.result(tx, message.triage_id, lang)
        department = str(message.payload.get("department") or OTHER)
        return review_notice(view, department, self.app.directory, lang)
