"""A flow file sent to the bot in any chat platform, admitted or refused in one place.

An upload crosses a trust boundary: its name, its declared size and its body all come from
whoever sent it. Every platform asks the same questions in the same order — may this person
upload (refused, and audited, before anything is fetched)? is it YAML? is it declared too
big? does its body stay within `MAX_FLOW_BYTES` as it is read? — so that a rule can no longer
differ between Slack, Teams and Matrix. A platform brings only what is its own: how to fetch
the bytes, how to say something, and its catalogue of words (which falls back to the kit's).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.admin import Admin
from bot.events import Actor
from flows.loader import MAX_FLOW_BYTES

YAML_SUFFIXES = (".yaml", ".yml")
YAML_TYPES = frozenset({"yaml", "yml"})
T = TypeVar("T")

Download = Callable[[], AsyncIterator[bytes]]
"""The file's body in chunks, as the platform fetches it. It raises `Unreachable` when the
platform cannot fetch it, or `TooBig` when what the platform learns while fetching (a
Content-Length) already says so; the kit stops pulling past the limit and closes it."""
Say = Callable[[str], Awaitable[None]]
Describe = Callable[[], Awaitable["Offered"]]
"""What the platform learns about the file by asking its API (Slack's files.info), asked only
once the person may upload; it raises `Unreachable` when the platform cannot tell."""


class Words(Protocol):
    """The platform's catalogue lookup (`m(key, lang, **params)`)."""

    def __call__(self, key: str, lang: str, **params: Any) -> str: ...


class Blocking(Protocol):
    """How the platform runs a blocking call (the database) off its event loop."""

    def __call__(self, work: Callable[..., T], *args: Any) -> Awaitable[T]: ...


class Unreachable(Exception):
    """The platform could not fetch the file; the message is for the log, not the person,
    and `name` what to call the file when the platform could not even learn its name."""

    def __init__(self, message: str = "", name: str = "") -> None:
        super().__init__(message)
        self.name = name


class TooBig(Exception):
    """The body is over the limit, seen before it is all read."""


@dataclass(frozen=True)
class Offered:
    """What the platform says about a file before it is fetched: nothing here is trusted."""

    name: str
    size: int | None = None
    kind: str = ""
    """The platform's own word for the type (Slack's `filetype`, Teams' `fileType`)."""


@dataclass(frozen=True)
class Admission:
    """One platform's way of admitting uploads; `admit` is called once per file."""

    admin: Admin
    words: Words
    say: Say
    blocking: Blocking = asyncio.to_thread
    tell_duplicates: bool = True
    """Slack redelivers events it thinks were slow: its duplicates stay silent."""
    limit: int = MAX_FLOW_BYTES

    async def admit(
        self,
        actor: Actor,
        lang: str,
        key: str | None,
        offered: Offered | Describe,
        download: Download,
        decode: Callable[[bytes], bytes] | None = None,
    ) -> bytes | None:
        """The file's bytes, at most `limit` of them; or None, the refusal said already.
        The person is refused before the platform is asked anything about the file."""
        if not await self.allowed(actor, lang, key):
            return None
        found = await self.described(lang, offered)
        if found is None:
            return None
        return await self.fetch(lang, found, download, decode)

    async def allowed(self, actor: Actor, lang: str, key: str | None) -> bool:
        """Whether `actor` may upload; a refusal is audited and said."""
        refused = await self.blocking(self.admin.refusal, actor, "upload", lang, key)
        if refused is None:
            return True
        if self.tell_duplicates or not refused.duplicate:
            await self.say(refused.text)
        return False

    async def described(self, lang: str, offered: Offered | Describe) -> Offered | None:
        """What the platform says about the file, asked of its API when it must be; None
        when it cannot tell, said already."""
        if isinstance(offered, Offered):
            return offered
        try:
            return await offered()
        except Unreachable as error:
            await self.say(self.words("upload_unreachable", lang, name=error.name))
            return None

    async def fetch(
        self,
        lang: str,
        offered: Offered,
        download: Download,
        decode: Callable[[bytes], bytes] | None = None,
    ) -> bytes | None:
        """An allowed person's file, or None with the reason said. `decode` turns what was
        fetched into the file (Matrix decrypts an encrypted room's attachment); the limit
        applies to what is fetched, before it is decoded."""
        problem = refusal(offered, lang, self.words, self.limit)
        if problem is not None:
            await self.say(problem)
            return None
        name = offered.name
        try:
            content = await read_within(download(), self.limit)
            if decode is not None:
                content = decode(content)
        except TooBig:
            await self.say(self.words("upload_too_big", lang, name=name, max=self.limit))
            return None
        except Unreachable:
            await self.say(self.words("upload_unreachable", lang, name=name))
            return None
        return content


def refusal(offered: Offered, lang: str, words: Words, limit: int = MAX_FLOW_BYTES) -> str | None:
    """Why the file is not even fetched, or None: a name or type that is not YAML, a
    declared size over the limit (a negative one is a lie: the body is read within the limit
    all the same)."""
    kind = offered.kind.lower().lstrip(".")
    if not offered.name.lower().endswith(YAML_SUFFIXES) and kind not in YAML_TYPES:
        return words("upload_not_yaml", lang, name=offered.name)
    if offered.size is not None and offered.size > limit:
        return words("upload_too_big", lang, name=offered.name, max=limit)
    return None


async def read_within(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, or `TooBig` as soon as it passes `limit`: no chunk is pulled after
    that, and the stream is closed (a body that never ends costs one chunk past the limit)."""
    content = bytearray()
    try:
        async for chunk in chunks:
            content += chunk
            if len(content) > limit:
                raise TooBig(len(content))
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
    return bytes(content)
