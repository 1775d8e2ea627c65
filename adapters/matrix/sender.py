"""The outbox's sender for Matrix: notices in the recipient's direct room, in its language.

A reviewer who never wrote to the bot gets a direct room opened for them (encrypted, as
Element and Tchap open theirs). Review requests carry the decision commands; a reviewer's
question to an agent carries the reply command; other kinds are the message's text.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from mautrix.types import RoomCreatePreset

from adapters.matrix import render
from adapters.matrix.bot import MatrixBot
from adapters.matrix.messages import m
from bot.directory import OTHER
from bot.matrix_state import Room
from bot.notifications import REVIEW_CLOSED, REVIEW_REQUEST, notification_text
from bot.notifier import PermanentFailure, Posted, check_sendable
from bot.review_notices import copy_to_update, current_notice
from bot.reviews import REVIEW_QUESTION
from flows.model import OUTCOMES


class Outgoing(Protocol):
    """What the sender reads of an outbox message."""

    kind: str
    recipient: str
    triage_id: str
    payload: Any


ENCRYPTION = {"algorithm": "m.megolm.v1.aes-sha2"}


class MatrixSender:
    def __init__(self, bot: MatrixBot) -> None:
        self.bot = bot
        self.app = bot.app

    async def __call__(self, message: Outgoing) -> Posted:
        if message.kind == REVIEW_CLOSED:
            await self._close(message)
            return None
        check_sendable(message)
        room = await asyncio.to_thread(self.bot.state.direct_room, message.recipient)
        if room is None:
            room = await self._open(message.recipient)
        lang = room.lang
        if message.kind == REVIEW_REQUEST:
            try:
                shown = await asyncio.to_thread(self._notice, message, lang)
            except LookupError:
                raise PermanentFailure(f"triage {message.triage_id} no longer exists") from None
        else:
            said = notification_text(message.payload, message.kind, lang)
            if message.kind == REVIEW_QUESTION:
                said += "\n\n" + m("reply_command", lang, id=message.triage_id)
            shown = render.text(said)
        sent = await self.bot.send(room.room_id, shown)
        if message.kind != REVIEW_REQUEST:
            return None
        return {"room_id": room.room_id, "event_id": sent, "lang": lang}

    async def _close(self, message: Outgoing) -> None:
        """Another reviewer decided: this reviewer's notice is edited to say so, its
        commands gone."""
        room = await asyncio.to_thread(self.bot.state.direct_room, message.recipient)
        lang = room.lang if room is not None else self.app.settings.lang
        found = await asyncio.to_thread(copy_to_update, self.app, message)
        if found is None:
            return
        posted, department = found
        current = await asyncio.to_thread(
            current_notice, self.app, message.triage_id, department, lang
        )
        if current.decided is None:
            return
        shown = render.text(current.decided)
        await self.bot.send(posted["room_id"], shown, replaces=posted["event_id"])

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

    def _notice(self, message: Outgoing, lang: str) -> render.Message:
        department = str(message.payload.get("department") or OTHER)
        current = current_notice(self.app, message.triage_id, department, lang)
        return render.review_notice(current.notice, ", ".join(OUTCOMES), lang)
