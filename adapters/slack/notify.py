"""The outbox's sender for Slack (`adapters.chat.notice_sender` decides what each notice
becomes): notices in the recipient's DM, in their Slack locale, French by default.

A failure is raised, not swallowed, so that the notifier retries it with backoff; a recipient
Slack will never accept (deleted account, a bot) is a PermanentFailure, parked at once, and
so is a copy Slack will no longer let us update. A review request's copy is kept as its
channel, ts and language, so that once any reviewer decides every copy is redrawn
(`chat.update`) with the decision, in the language it was posted in.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError

from adapters.chat.notice_sender import NoticeSender
from adapters.slack.blocks import Message
from adapters.slack.client import SlackOut
from adapters.slack.feature import in_pool
from adapters.slack.results import review_message
from adapters.slack.reviews import notification_message
from bot.app import App
from bot.notifier import Delivery, PermanentFailure
from bot.review_notices import CurrentNotice

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

Result = TypeVar("Result")


class ReviewSender(NoticeSender[tuple[str, str]]):
    """Reaches a person as (their DM channel, their language)."""

    def __init__(self, app: App, out: SlackOut, pool: Executor) -> None:
        super().__init__(app)
        self.out = out
        self.pool = pool

    async def off_loop(self, function: Callable[..., Result], *args: Any) -> Result:
        """The turns' bounded pool, so that notices never hold more connections than it."""
        result: Result = await in_pool(self.pool, function, *args)
        return result

    async def reach(self, recipient: str) -> tuple[tuple[str, str], str]:
        lang = await self.out.lang(recipient)
        channel = self.out.known_dm(recipient)
        if channel is None:
            try:
                opened = await self.out.client.conversations_open(users=recipient)
            except SlackApiError as error:
                raise _refused(error, recipient) from None
            channel = str(opened["channel"]["id"])
            self.out.remember_dm(recipient, channel)
        return (channel, lang), lang

    async def post(self, where: tuple[str, str], message: Delivery, drawn: Message) -> str | None:
        try:
            sent = await self.out.client.chat_postMessage(channel=where[0], **drawn)
        except SlackApiError as error:
            raise _refused(error, message.recipient) from None
        return str(sent["ts"])

    async def replace(self, posted: dict[str, Any], current: CurrentNotice, lang: str) -> None:
        drawn = self.draw_notice(current, lang)
        try:
            await self.out.client.chat_update(channel=posted["channel"], ts=posted["ts"], **drawn)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in GONE_MESSAGE:
                raise PermanentFailure(f"Slack cannot update {posted['ts']}: {code}") from None
            raise

    def draw_notice(self, current: CurrentNotice, lang: str) -> Message:
        return review_message(current.notice, lang, current.decided)

    def draw_text(self, message: Delivery, text: str, lang: str) -> Message:
        return notification_message(message.kind, text, message.triage_id or "", lang)

    def posted_record(self, where: tuple[str, str], sent: str) -> dict[str, Any]:
        return {"channel": where[0], "ts": sent, "lang": where[1]}

    def posted_lang(self, posted: dict[str, Any]) -> str:
        """Copies kept before the language was recorded were posted in the default one."""
        return str(posted.get("lang") or self.app.settings.lang)


def _refused(error: SlackApiError, recipient: str) -> Exception:
    code = str(error.response.get("error", ""))
    if code in NEVER_DELIVERABLE:
        return PermanentFailure(f"Slack refuses {recipient}: {code}")
    return error
