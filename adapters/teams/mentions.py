"""Teams' own markup in a message: `<at>…</at>` mentions (in channels) and other tags, taken
out before the words are read by the chat kit's grammar (adapters.chat.commands)."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def strip_mentions(text: str | None) -> str:
    """The message without `<at>…</at>` mentions (channels) and without other markup."""
    if not text:
        return ""
    without = _MENTION.sub(" ", text)
    without = _TAG.sub(" ", without).replace("&nbsp;", " ")
    return " ".join(without.split())
