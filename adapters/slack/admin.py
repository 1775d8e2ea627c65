"""Flow administration in chat: `/boussole admin …` and a YAML file shared in the bot's DM.

Every operation is `bot.admin.Admin`'s, which checks the role and audits the attempt; this
module only parses words, fetches the shared file and draws the replies. The bot token is
only ever sent to Slack's own hosts (the Web API's host and its subdomains, files.slack.com
in production), never to a URL a payload could point elsewhere.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from urllib.parse import urlparse

import aiohttp

from adapters.chat.uploads import Describe, Download, Offered, Unreachable
from adapters.slack import refs
from adapters.slack.blocks import (
    MESSAGE_BLOCKS_MAX,
    SECTION_TEXT_MAX,
    Block,
    Message,
    actions,
    button,
    confirm,
    context,
    escape,
    message,
    section,
)
from adapters.slack.client import FAILURES, SlackOut
from adapters.slack.messages import m
from bot.admin import AdminReply

log = logging.getLogger("adapters.slack")

MERMAID_SECTIONS = 8
"""At most this many code sections of the diagram; the rest is counted, not sent."""
MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")


def member_of(text: str) -> str:
    """`slack:U012ABC` as typed; a Slack mention `<@U012ABC>` becomes the same."""
    found = MENTION.match(text)
    return f"{refs.PLATFORM}:{found.group(1)}" if found else text


def report_message(reply: AdminReply, lang: str) -> Message:
    """The check report, the diagram in code sections, and "Publier" when it may be."""
    blocks: list[Block] = [section(escape(reply.text), block_id="report")]
    if reply.mermaid:
        room = MESSAGE_BLOCKS_MAX - 3
        blocks += mermaid_sections(reply.mermaid, lang, min(MERMAID_SECTIONS, room))
    if reply.confirm_sha256:
        sure = confirm(
            m("confirm_publish_title", lang),
            m("confirm_publish_text", lang),
            m("button_publish", lang),
            m("confirm_publish_no", lang),
            emoji=False,
        )
        publish = button(
            m("button_publish", lang), refs.PUBLISH_FLOW, reply.confirm_sha256, "primary", sure
        )
        blocks.append(actions([publish], "publish"))
    return message(f"{m('admin_report_fallback', lang)}\n{reply.text}", blocks)


def mermaid_sections(text: str, lang: str, most: int) -> list[Block]:
    """The diagram in code blocks split on line ends, each within a section's 3,000
    characters (escaped); what does not fit in `most` sections is counted in a note."""
    budget = SECTION_TEXT_MAX - 8  # the ``` fences and their line ends
    chunks: list[str] = []
    current = ""
    lines = text.splitlines()
    used = 0
    for line in lines:
        piece = escape(line)[: budget - 1]
        if len(current) + len(piece) + 1 > budget:
            if len(chunks) + 1 >= most:
                break
            chunks.append(current)
            current = ""
        current = f"{current}\n{piece}" if current else piece
        used += len(line) + 1
    chunks.append(current)
    blocks: list[Block] = [context(m("mermaid_title", lang))]
    blocks += [section(f"```\n{chunk}\n```") for chunk in chunks if chunk]
    left = len(text) - used
    if left > 0:
        blocks.append(context(escape(m("mermaid_truncated", lang, count=left))))
    return blocks


class AdminChat:
    """A flow file shared in the DM, as the kit's `ChatBot.upload` fetches it; the
    "Publier" button of its report is the kit's `ChatBot.publish`."""

    def __init__(self, out: SlackOut):
        self.out = out

    # A flow file shared in the DM: admitted, checked and reported by the kit's ChatBot

    def shared(self, file_id: str) -> tuple[Describe, Download]:
        """How the kit learns about a shared file (files.info, asked only once the person
        may upload) and fetches it: only from the URL in that answer."""
        url = ""

        async def describe() -> Offered:
            nonlocal url
            info = await self.out.call("files.info", self.out.client.files_info, file=file_id)
            file = (info or {}).get("file") or {}
            if not file:
                raise Unreachable("files.info said nothing", name=file_id)
            url = str(file.get("url_private_download") or file.get("url_private") or "")
            name = str(file.get("name") or file_id)
            return Offered(name, int(file.get("size") or 0), str(file.get("filetype") or ""))

        return describe, lambda: self._chunks(file_id, url)

    def _trusted(self, url: str) -> bool:
        """Whether the bot token may go to `url`: the Web API's host or one of its subdomains
        (https://slack.com/api/ → files.slack.com), over HTTPS unless the API itself is not."""
        api = urlparse(self.out.client.base_url)
        target = urlparse(url)
        host, api_host = (target.hostname or ""), (api.hostname or "")
        same_scheme = target.scheme == "https" or target.scheme == api.scheme
        return (
            bool(api_host) and same_scheme and (host == api_host or host.endswith("." + api_host))
        )

    async def _chunks(self, file_id: str, url: str) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._download(url):
                yield chunk
        except (*FAILURES, ValueError) as error:
            log.warning("Slack file %s could not be downloaded: %s", file_id, error)
            raise Unreachable(str(error)) from error

    async def _download(self, url: str) -> AsyncIterator[bytes]:
        if not url or not self._trusted(url):
            raise ValueError(f"not a Slack file URL: {url!r}")
        session = self.out.session
        if session is None:
            raise ValueError("the Slack session is closed")
        headers = {"Authorization": f"Bearer {self.out.client.token}"}
        timeout = aiohttp.ClientTimeout(total=30)
        async with session.get(url, headers=headers, timeout=timeout) as response:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            if response.content_type.startswith("text/html"):
                raise ValueError("Slack answered with a login page: is files:read granted?")
            async for chunk in response.content.iter_chunked(65536):
                yield chunk
