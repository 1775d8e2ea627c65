"""A person on Matrix, driven by a plain mautrix client with end-to-end encryption: opens a
direct room with the bot, types, and reads what the bot sends (edits apart)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mautrix.types import EventType, MessageEvent

from adapters.matrix.client import Connection, connect, sync_forever
from tests.adapters.matrix.synapse import Account

WAIT = 60.0
"""Seconds a person waits for the bot before the test fails (a bound, never asserted on)."""
ENCRYPTION = {"algorithm": "m.megolm.v1.aes-sha2"}


@dataclass(frozen=True)
class Said:
    event_id: str
    body: str
    html: str
    replaces: str | None
    encrypted: bool


class Person:
    def __init__(self, account: Account, connection: Connection) -> None:
        self.account = account
        self.connection = connection
        self.client = connection.client
        self.inbox: asyncio.Queue[Said] = asyncio.Queue()
        self.edits: list[Said] = []
        self.stop = asyncio.Event()
        self.client.add_event_handler(EventType.ROOM_MESSAGE, self._received)
        self.task = asyncio.create_task(sync_forever(self.client, None, _ignore, self.stop))

    @classmethod
    async def open(cls, homeserver: str, account: Account, store: Path) -> Person:
        connection = await connect(
            homeserver,
            account.user_id,
            account.access_token,
            account.device_id,
            f"sqlite:///{store}",
            "person-key",
        )
        return cls(account, connection)

    async def close(self) -> None:
        self.stop.set()
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.connection.close()

    async def _received(self, evt: MessageEvent) -> None:
        if evt.sender == self.account.user_id:
            return
        content: Any = evt.content
        relates = content.relates_to
        replaces = relates.event_id if relates and relates.rel_type else None
        said = Said(
            str(evt.event_id),
            content.body,
            content.formatted_body or "",
            str(replaces) if replaces else None,
            _was_encrypted(evt),
        )
        if said.replaces:
            self.edits.append(said)
        else:
            await self.inbox.put(said)

    async def direct_room(self, bot: str, encrypted: bool = False) -> str:
        """A direct room with the bot, once the bot has joined it."""
        state = [{"type": "m.room.encryption", "state_key": "", "content": ENCRYPTION}]
        room_id = await self.client.create_room(
            invitees=[bot], is_direct=True, initial_state=state if encrypted else []
        )
        async with asyncio.timeout(WAIT):
            while bot not in await self.client.get_joined_members(room_id):
                await asyncio.sleep(0.05)
        return str(room_id)

    async def say(self, room_id: str, text: str) -> str:
        return str(await self.client.send_text(room_id, text))

    async def heard(self) -> Said:
        async with asyncio.timeout(WAIT):
            return await self.inbox.get()

    async def heard_until(self, marker: str) -> list[Said]:
        """Every message up to and including the first whose body contains `marker`."""
        heard = []
        while True:
            said = await self.heard()
            heard.append(said)
            if marker in said.body:
                return heard


def _was_encrypted(evt: MessageEvent) -> bool:
    """mautrix marks the events it decrypted."""
    try:
        return bool(evt["mautrix"]["was_encrypted"])
    except (KeyError, TypeError):
        return False


async def _ignore(_token: str) -> None:
    return None
