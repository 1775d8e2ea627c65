"""Files sent to the bot in Teams: which attachments are files, and their download.

Teams does not put the file in the activity: it sends an attachment of type
`application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl` is a
short-lived, pre-authenticated link (SharePoint / OneDrive). Only admins' files are fetched
(the kit's admission, `adapters.chat.uploads`, checks), only over HTTPS (or from this
machine, for local tests), by the chat kit's download (`adapters.chat.download`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.chat.download import download
from adapters.chat.uploads import Offered, Unreachable
from adapters.teams.endpoint import is_loopback

log = logging.getLogger(__name__)

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
TIMEOUT = aiohttp.ClientTimeout(total=30)


def files_of(attachments: list[Any] | None) -> list[tuple[Offered, str]]:
    """The files of a message's attachments (SDK Attachment objects), in order: what the
    kit's admission knows before the download (Teams declares no size), and its URL."""
    found = []
    for attachment in attachments or []:
        content = getattr(attachment, "content", None)
        if getattr(attachment, "content_type", None) != FILE_INFO or not isinstance(content, dict):
            continue
        url = content.get("downloadUrl")
        name = getattr(attachment, "name", None) or ""
        if isinstance(url, str) and url:
            found.append((Offered(str(name), None, str(content.get("fileType") or "")), url))
    return found


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


async def chunks(url: str) -> AsyncIterator[bytes]:
    """The file's body, fetched only from an allowed URL and without redirects."""
    if not allowed_url(url):
        log.warning("teams: refused to download a file from %s", _host(url))
        raise Unreachable(url)
    async with aiohttp.ClientSession() as session:
        fetched = download(session, url, "teams", timeout=TIMEOUT, allow_redirects=False)
        async for chunk in fetched:
            yield chunk


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"
