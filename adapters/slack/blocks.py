"""Block Kit building blocks shared by every message: text escaping, Slack's limits, notices.

Blocks are plain dicts, written as slack_sdk's models would serialise them (tests check them
against those models): building and validating the models on every message was a large share
of a turn's CPU. The limits are enforced here by clipping, so that a long flow text degrades
into an ellipsis instead of a rejected message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.slack.messages import m
from adapters.slack.refs import NEW_TRIAGE, RESUME

Block = dict[str, Any]
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
MODAL_LABEL_MAX = 2000
PLACEHOLDER_MAX = 150
DIVIDER: Block = {"type": "divider"}


def escape(text: str) -> str:
    """Slack reads &, < and > as markup; flow texts and answers are data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _set(block: Block, **optional: Any) -> Block:
    """Slack reads a missing field and a null one differently: None fields are left out."""
    block.update((key, value) for key, value in optional.items() if value is not None)
    return block


def plain(text: str, emoji: bool = False) -> Block:
    drawn: Block = {"type": "plain_text", "text": text}
    if emoji:
        drawn["emoji"] = True
    return drawn


def section(text: str, block_id: str | None = None, accessory: Block | None = None) -> Block:
    text_object = {"type": "mrkdwn", "text": clip(text, SECTION_TEXT_MAX)}
    return _set({"type": "section", "text": text_object}, block_id=block_id, accessory=accessory)


def context(*texts: str, block_id: str | None = None) -> Block:
    elements = [{"type": "mrkdwn", "text": clip(t, CONTEXT_TEXT_MAX)} for t in texts if t]
    return _set({"type": "context", "elements": elements}, block_id=block_id)


def header(text: str) -> Block:
    return {"type": "header", "text": plain(clip(text, HEADER_TEXT_MAX), emoji=True)}


def actions(elements: list[Block], block_id: str | None = None) -> Block:
    return _set({"type": "actions", "elements": elements}, block_id=block_id)


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    drawn = {"type": "button", "text": plain(clip(text, BUTTON_TEXT_MAX), emoji=True)}
    return _set(drawn, action_id=action_id, value=value, style=style, confirm=confirm)


def option(value: str, text: str, description: str | None = None, emoji: bool = False) -> Block:
    drawn = {"text": plain(clip(text, OPTION_TEXT_MAX), emoji), "value": value}
    if description is not None:
        drawn["description"] = plain(clip(description, OPTION_TEXT_MAX))
    return drawn


def confirm(
    title: str, text: str, yes: str, no: str, style: str | None = None, emoji: bool = True
) -> Block:
    drawn = {
        "title": plain(title, emoji),
        "text": {"type": "mrkdwn", "text": text},
        "confirm": plain(yes, emoji),
        "deny": plain(no, emoji),
    }
    return _set(drawn, style=style)


def menu(kind: str, action_id: str, options: list[Block], **optional: Any) -> Block:
    """A static select, multi-select or checkboxes: `initial_option(s)`, `placeholder`."""
    return _set({"type": kind, "action_id": action_id, "options": options}, **optional)


def text_input(
    action_id: str,
    max_length: int,
    multiline: bool = True,
    initial_value: str | None = None,
    placeholder: str | None = None,
) -> Block:
    drawn = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    return _set(
        drawn,
        max_length=max_length,
        initial_value=initial_value,
        placeholder=None if placeholder is None else plain(clip(placeholder, PLACEHOLDER_MAX)),
    )


def input_block(block_id: str, label: str, element: Block, optional: bool | None = None) -> Block:
    drawn = {"type": "input", "block_id": block_id, "label": plain(clip(label, MODAL_LABEL_MAX))}
    return _set(drawn, element=element, optional=optional)


def modal(
    callback_id: str, title: str, submit: str, close: str, metadata: str, blocks: list[Block]
) -> Block:
    if len(blocks) > VIEW_BLOCKS_MAX:
        raise ValueError(f"{len(blocks)} blocks; Slack accepts {VIEW_BLOCKS_MAX} in a view")
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title),
        "submit": plain(submit),
        "close": plain(close),
        "private_metadata": metadata,
        "blocks": blocks,
    }


def message(fallback: str, blocks: Sequence[Block]) -> Message:
    """A message with its top-level `text`: what notifications, screen readers and old
    clients show, so it is never empty."""
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        raise ValueError(f"{len(blocks)} blocks; Slack accepts {MESSAGE_BLOCKS_MAX}")
    return {
        "text": clip(fallback, FALLBACK_TEXT_MAX) or "Boussole",
        "blocks": list(blocks),
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
    blocks.append(actions([button(m("button_new", lang), NEW_TRIAGE, "new", "primary")]))
    fallback = f"{prefix}\n{m('help_fallback', lang)}" if prefix else m("help_fallback", lang)
    return message(fallback, blocks)
