"""The outbox's sender on a chat platform, whatever draws the messages: which notice kind
becomes what (a review request with its decisions, the decision once made on every copy, a
text for the rest), with the checks the shared notifier relies on. The platform says how to
reach a person and in which language, and how to draw, post and replace a message."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from bot.app import App
from bot.notifications import REVIEW_CLOSED, REVIEW_REQUEST, notification_text
from bot.notifier import Delivery, PermanentFailure, Posted, check_sendable
from bot.review_notices import CurrentNotice, copy_to_update, current_notice, requested_notice

Where = TypeVar("Where")
"""Where a person is reached (a conversation reference, a room…)."""
Result = TypeVar("Result")


class NoticeSender(ABC, Generic[Where]):
    def __init__(self, app: App) -> None:
        self.app = app

    @abstractmethod
    async def reach(self, recipient: str) -> tuple[Where, str]:
        """Where `recipient` is reached and their language; PermanentFailure if nowhere."""

    @abstractmethod
    async def post(self, where: Where, message: Delivery, drawn: Any) -> str | None:
        """Send `drawn`; the id of the message posted, when the platform gives one."""

    @abstractmethod
    async def replace(self, posted: dict[str, Any], current: CurrentNotice, lang: str) -> None:
        """Draw `current` over the copy `posted` (what `posted_record` returned)."""

    @abstractmethod
    def draw_notice(self, current: CurrentNotice, lang: str) -> Any:
        """A review request as it stands: with its decisions, or the decision once made."""

    @abstractmethod
    def draw_text(self, message: Delivery, text: str, lang: str) -> Any: ...

    @abstractmethod
    def posted_record(self, where: Where, sent: str) -> dict[str, Any]:
        """What the notifier keeps of a review request's copy, to replace it later."""

    @abstractmethod
    def posted_lang(self, posted: dict[str, Any]) -> str:
        """The language a copy was written in."""

    async def off_loop(self, function: Callable[..., Result], *args: Any) -> Result:
        """Database reads run off the event loop; a platform that bounds its worker threads
        (to stay within the database's pool) runs them on its own executor."""
        return await asyncio.to_thread(function, *args)

    async def __call__(self, message: Delivery) -> Posted:
        if message.kind == REVIEW_CLOSED:
            await self._close(message)
            return None
        check_sendable(message)
        where, lang = await self.reach(message.recipient)
        if message.kind == REVIEW_REQUEST:
            try:
                current = await self.off_loop(requested_notice, self.app, message, lang)
            except LookupError:
                raise PermanentFailure(f"triage {message.triage_id} no longer exists") from None
            drawn = self.draw_notice(current, lang)
        else:
            text = notification_text(message.payload, message.kind, lang)
            drawn = self.draw_text(message, text, lang)
        sent = await self.post(where, message, drawn)
        if message.kind != REVIEW_REQUEST or not sent:
            return None
        return self.posted_record(where, sent)

    async def _close(self, message: Delivery) -> None:
        """Another reviewer decided: this reviewer's copy shows the decision, not buttons."""
        found = await self.off_loop(copy_to_update, self.app, message)
        if found is None:
            return
        posted, department = found
        lang = self.posted_lang(posted)
        current = await self.off_loop(current_notice, self.app, message.triage_id, department, lang)
        await self.replace(posted, current, lang)
