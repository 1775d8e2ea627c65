"""Block Kit building blocks shared by every message: text escaping, Slack's limits, notices.

Every block is built with `slack_sdk.models.blocks` and turned into JSON with `to_dict()`,
which checks Slack's per-field limits; the limits that slack_sdk does not check (blocks per
message, the length of texts we do not control) are enforced here, by clipping, so that a
long flow text degrades into an ellipsis instead of a rejected message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from adapters.slack.messages import m
from adapters.slack.refs import NEW_TRIAGE, RESUME

Message = dict[str, Any]
"""`{"text": fallback, "blocks": [...]}`: the keyword arguments of chat.postMessage."""

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 2000
HEADER_TEXT_MAX = 150
BUTTON_TEXT_MAX = 75
OPTION_TEXT_MAX = 75
FALLBACK_TEXT_MAX = 3000


def escape(text: str) -> str:
    """Slack reads &, < and > as markup; flow texts and answers are data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def section(text: str, block_id: str | None = None, accessory: Any = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=clip(text, SECTION_TEXT_MAX)),
        block_id=block_id,
        accessory=accessory,
    )


def context(*texts: str, block_id: str | None = None) -> ContextBlock:
    elements = [MarkdownTextObject(text=clip(t, CONTEXT_TEXT_MAX)) for t in texts if t]
    return ContextBlock(elements=elements, block_id=block_id)


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_TEXT_MAX), emoji=True))


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    confirm: Any = None,
) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(text, BUTTON_TEXT_MAX), emoji=True),
        action_id=action_id,
        value=value,
        style=style,
        confirm=confirm,
    )


def message(fallback: str, blocks: Sequence[Block]) -> Message:
    """A message with its top-level `text`: what notifications, screen readers and old
    clients show, so it is never empty."""
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        raise ValueError(f"{len(blocks)} blocks; Slack accepts {MESSAGE_BLOCKS_MAX}")
    return {
        "text": clip(fallback, FALLBACK_TEXT_MAX) or "Boussole",
        "blocks": [block.to_dict() for block in blocks],
    }


def notice(text: str) -> Message:
    """An Info or Error of the engine: already a full sentence in the reader's language."""
    return message(text, [section(escape(text))])


def why_message(text: str, lang: str) -> Message:
    title, _, rest = text.partition(" — ")
    body = f"*{escape(title)}*\n{escape(rest)}" if rest else escape(text)
    return message(text, [context(m("why_title", lang)), section(body)])


def current_question_notice(text: str, label: str | None, triage_id: str, lang: str) -> Message:
    """A refused click: the notice, the question that is current (when known), and a way to
    bring it back (an ephemeral message cannot be frozen later, so the question itself is
    not repeated)."""
    show = button(m("button_show_current", lang), RESUME, triage_id)
    if label is None:
        return message(text, [section(escape(text), accessory=show)])
    current = m("current_question", lang, label=label)
    return message(
        f"{text}\n{current}",
        [section(escape(text)), section(escape(current), accessory=show)],
    )


def help_message(command: str, lang: str, prefix: str | None = None) -> Message:
    blocks: list[Block] = []
    if prefix:
        blocks.append(section(escape(prefix)))
    blocks.append(section(m("help", lang, command=command)))
    blocks.append(
        ActionsBlock(elements=[button(m("button_new", lang), NEW_TRIAGE, "new", "primary")])
    )
    fallback = f"{prefix}\n{m('help_fallback', lang)}" if prefix else m("help_fallback", lang)
    return message(fallback, blocks)
