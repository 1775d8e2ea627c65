"""Outbox notifications: the sender that DMs reviewers and agents.

The engine writes one outbox row per recipient in the transaction that made the news (a
triage to review, a reviewer's decision or question, an agent's answer, reminders, digests);
the notifier (bot.notifier) calls this sender for each, at least once. A failure is raised,
not swallowed, so that the notifier retries it with backoff; a recipient Slack will never
accept (deleted account, a bot) is a PermanentFailure, parked at once.

A review request is drawn from the result (with the decision buttons, or the decision once
it is made); where it was posted is returned to the notifier, so that a `review_closed`
message can later replace its buttons by the decision (`chat.update`) once any reviewer has
decided. Every other kind carries its text in both languages (`{"text": {"fr": …, "en": …}}`)
and is sent in the recipient's language, French by default.
"""

from __future__ import annotations

from concurrent.futures import Executor

from slack_sdk.errors import SlackApiError

from adapters.slack.blocks import Message
from adapters.slack.client import SlackOut
from adapters.slack.feature import in_pool
from adapters.slack.results import review_message
from adapters.slack.reviews import notification_message
from bot.app import App
from bot.directory import OTHER
from bot.notifications import REVIEW_CLOSED, REVIEW_REQUEST, notification_text
from bot.notifier import Delivery, PermanentFailure, Posted
from bot.review_notices import copy_to_update, current_notice

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
GONE_MESSAGE = frozenset({"message_not_found", "channel_not_found", "cant_update_message"})
"""A copy Slack will never let us update (deleted, too old): nothing is left to close."""


class ReviewSender:
    def __init__(self, app: App, out: SlackOut, pool: Executor) -> None:
        self.app = app
        self.out = out
        self.pool = pool

    async def __call__(self, message: Delivery) -> Posted:
        lang = await self.out.lang(message.recipient)
        if message.kind == REVIEW_CLOSED:
            await self._close(message, lang)
            return None
        body = await self._message(message, lang)
        try:
            channel = self.out.known_dm(message.recipient)
            if channel is None:
                opened = await self.out.client.conversations_open(users=message.recipient)
                channel = str(opened["channel"]["id"])
                self.out.remember_dm(message.recipient, channel)
            sent = await self.out.client.chat_postMessage(channel=channel, **body)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in NEVER_DELIVERABLE:
                raise PermanentFailure(f"Slack refuses {message.recipient}: {code}") from None
            raise
        if message.kind != REVIEW_REQUEST:
            return None
        return {"channel": channel, "ts": str(sent["ts"])}

    async def _close(self, message: Delivery, lang: str) -> None:
        """Another reviewer decided: this reviewer's copy shows the decision, not buttons."""
        found = await in_pool(self.pool, copy_to_update, self.app, message)
        if found is None:
            return
        posted, department = found
        body = await in_pool(self.pool, self._notice, message.triage_id, department, lang)
        try:
            await self.out.client.chat_update(channel=posted["channel"], ts=posted["ts"], **body)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in GONE_MESSAGE:
                raise PermanentFailure(f"Slack cannot update {posted['ts']}: {code}") from None
            raise

    async def _message(self, message: Delivery, lang: str) -> Message:
        if message.kind == REVIEW_REQUEST:
            department = str(message.payload.get("department") or OTHER)
            try:
                return await in_pool(self.pool, self._notice, message.triage_id, department, lang)
            except LookupError:
                raise PermanentFailure(f"triage {message.triage_id} no longer exists") from None
        text = notification_text(message.payload, message.kind, lang)
        if not text:
            raise PermanentFailure(f"a {message.kind!r} message without a text to send")
        return notification_message(message.kind, text, message.triage_id or "", lang)

    def _notice(self, triage_id: str, department: str, lang: str) -> Message:
        """A review request as it stands: with its buttons, or the decision once made.
        Database reads (the result, the directory's names) stay off the event loop."""
        current = current_notice(self.app, triage_id, department, lang)
        return review_message(current.notice, lang, current.decided)
