"""Files sent to the bot in Teams: which attachments are files, and their download.

Teams does not put the file in the activity: it sends an attachment of type
`application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl` is a
short-lived, pre-authenticated link (SharePoint / OneDrive). Only admins' files are fetched
(the caller checks), only over HTTPS (or from this machine, for local tests), and never more
than `MAX_BYTES`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from adapters.teams.endpoint import is_loopback
from adapters.teams.messages import m
from flows.loader import MAX_FLOW_BYTES as MAX_BYTES

log = logging.getLogger(__name__)

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
YAML_SUFFIXES = (".yaml", ".yml")
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


def refusal(file: SentFile, lang: str) -> str | None:
    """Why the file is not even downloaded, or None."""
    name = file.name.lower()
    kind = file.file_type.lower().lstrip(".")
    if not name.endswith(YAML_SUFFIXES) and kind not in ("yaml", "yml"):
        return m("upload_not_yaml", lang, name=file.name)
    if not allowed_url(file.url):
        log.warning("teams: refused to download a file from %s", _host(file.url))
        return m("upload_unreachable", lang, name=file.name)
    return None


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


async def download(
    session: aiohttp.ClientSession, file: SentFile, lang: str
) -> tuple[bytes, str | None]:
    """The file's bytes, or a reason (too big, unreachable) to tell the person."""
    too_big = m("upload_too_big", lang, name=file.name, max=MAX_BYTES)
    try:
        async with session.get(file.url, timeout=TIMEOUT, allow_redirects=False) as response:
            if response.status != 200:
                log.warning("teams: file download answered %s", response.status)
                return b"", m("upload_unreachable", lang, name=file.name)
            if (response.content_length or 0) > MAX_BYTES:
                return b"", too_big
            # read() returns what has arrived so far, not the whole body: read to the end
            content = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                content += chunk
                if len(content) > MAX_BYTES:
                    return b"", too_big
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("teams: file download failed: %s", type(error).__name__)
        return b"", m("upload_unreachable", lang, name=file.name)
    return bytes(content), None


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"
