"""The outbox's sender for Matrix (`adapters.chat.notice_sender` decides what each notice
becomes): notices in the recipient's direct room, in its language.

A reviewer who never wrote to the bot gets a direct room opened for them (encrypted, as
Element and Tchap open theirs). Review requests carry the decision commands, and once any
reviewer decides every copy is edited (`m.replace`) to say so; a reviewer's question to an
agent carries the reply command; other kinds are the message's text.
"""

from __future__ import annotations

import asyncio
from typing import Any

from mautrix.types import RoomCreatePreset

from adapters.chat.commands import outcome_labels
from adapters.chat.notice_sender import NoticeSender
from adapters.matrix import render
from adapters.matrix.bot import MatrixBot
from adapters.matrix.messages import m
from bot.matrix_state import Room
from bot.notifier import Delivery
from bot.review_notices import CurrentNotice
from bot.reviews import REVIEW_QUESTION

ENCRYPTION = {"algorithm": "m.megolm.v1.aes-sha2"}


class MatrixSender(NoticeSender[Room]):
    def __init__(self, bot: MatrixBot) -> None:
        super().__init__(bot.app)
        self.bot = bot

    async def reach(self, recipient: str) -> tuple[Room, str]:
        room = await asyncio.to_thread(self.bot.state.direct_room, recipient)
        if room is None:
            room = await self._open(recipient)
        return room, room.lang

    async def post(self, where: Room, message: Delivery, drawn: render.Message) -> str | None:
        return await self.bot.send(where.room_id, drawn)

    async def replace(self, posted: dict[str, Any], current: CurrentNotice, lang: str) -> None:
        """Only a decided review changes its copies: an open one keeps its commands."""
        if current.decided is not None:
            shown = self.draw_notice(current, lang)
            await self.bot.send(posted["room_id"], shown, replaces=posted["event_id"])

    def draw_notice(self, current: CurrentNotice, lang: str) -> render.Message:
        if current.decided is not None:
            return render.text(current.decided)
        outcomes = outcome_labels(lang, but=current.notice.outcome)
        return render.review_notice(current.notice, outcomes, lang)

    def draw_text(self, message: Delivery, text: str, lang: str) -> render.Message:
        if message.kind == REVIEW_QUESTION:
            text += "\n\n" + m("reply_command", lang, id=message.triage_id)
        return render.text(text)

    def posted_record(self, where: Room, sent: str) -> dict[str, Any]:
        return {"room_id": where.room_id, "event_id": sent, "lang": where.lang}

    def posted_lang(self, posted: dict[str, Any]) -> str:
        return str(posted.get("lang") or self.app.settings.lang)

    async def _open(self, user_id: str) -> Room:
        room_id = await self.bot.client.create_room(
            invitees=[user_id],
            is_direct=True,
            preset=RoomCreatePreset.TRUSTED_PRIVATE,
            initial_state=[{"type": "m.room.encryption", "state_key": "", "content": ENCRYPTION}],
        )
        room = Room(str(room_id), user_id, self.app.settings.lang, None, None, None)
        await asyncio.to_thread(self.bot.state.save_room, room)
        return room
