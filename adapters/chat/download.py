"""A sent file's body fetched over HTTP, as the kit's admission reads it
(`adapters.chat.uploads`): in chunks, a refused or failed fetch named `Unreachable` for the
person and logged for the operator, a declared length over the limit `TooBig` before the
body is read. The platform brings the address, the session and its own headers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp.typedefs import StrOrURL

from adapters.chat.uploads import TooBig, Unreachable
from flows.loader import MAX_FLOW_BYTES

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


async def download(
    session: aiohttp.ClientSession, url: StrOrURL, platform: str, **request: Any
) -> AsyncIterator[bytes]:
    """The body of `url` (a GET with `request`'s options); any status but 200 is a failure."""
    try:
        async with session.get(url, **request) as response:
            if response.status != 200:
                log.warning("%s: file download answered %s", platform, response.status)
                raise Unreachable(str(response.status))
            if (response.content_length or 0) > MAX_FLOW_BYTES:
                raise TooBig(response.content_length)
            # read() returns what has arrived so far, not the whole body: read to the end
            async for chunk in response.content.iter_chunked(CHUNK):
                yield chunk
    except (aiohttp.ClientError, TimeoutError) as error:
        log.warning("%s: file download failed: %s", platform, type(error).__name__)
        raise Unreachable(type(error).__name__) from error
