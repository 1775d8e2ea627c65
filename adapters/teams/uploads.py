"""Files sent to the bot in Teams: which attachments are files, and their download.

Teams does not put the file in the activity: it sends an attachment of type
`application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl` is a
short-lived, pre-authenticated link (SharePoint / OneDrive). Only admins' files are fetched
(the kit's admission, `adapters.chat.uploads`, checks), only over HTTPS (or from this
machine, for local tests), and never more than `MAX_BYTES`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.chat.uploads import Offered, TooBig, Unreachable
from adapters.teams.endpoint import is_loopback
from flows.loader import MAX_FLOW_BYTES as MAX_BYTES

log = logging.getLogger(__name__)

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
TIMEOUT = aiohttp.ClientTimeout(total=30)


@dataclass(frozen=True)
class SentFile:
    name: str
    url: str
    file_type: str


def files_of(attachments: list[Any] | None) -> list[SentFile]:
    """The files of a message's attachments (SDK Attachment objects), in order."""
    found = []
    for attachment in attachments or []:
        if getattr(attachment, "content_type", None) != FILE_INFO:
            continue
        content = getattr(attachment, "content", None)
        if not isinstance(content, dict):
            continue
        url = content.get("downloadUrl")
        name = getattr(attachment, "name", None) or ""
        if isinstance(url, str) and url:
            found.append(SentFile(str(name), url, str(content.get("fileType") or "")))
    return found


def offered(file: SentFile) -> Offered:
    """What the kit's admission knows before the download: Teams declares no size."""
    return Offered(file.name, None, file.file_type)


def allowed_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and is_loopback(parts.hostname)


async def chunks(file: SentFile) -> AsyncIterator[bytes]:
    """The file's body, fetched only from an allowed URL and without redirects; a
    Content-Length over the limit stops it before the body is read."""
    if not allowed_url(file.url):
        log.warning("teams: refused to download a file from %s", _host(file.url))
        raise Unreachable(file.url)
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(file.url, timeout=TIMEOUT, allow_redirects=False) as response,
        ):
            if response.status != 200:
                log.warning("teams: file download answered %s", response.status)
                raise Unreachable(str(response.status))
            if (response.content_length or 0) > MAX_BYTES:
                raise TooBig(response.content_length)
            # read() returns what has arrived so far, not the whole body: read to the end
            async for chunk in response.content.iter_chunked(64 * 1024):
                yield chunk
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("teams: file download failed: %s", type(error).__name__)
        raise Unreachable(type(error).__name__) from error


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"
