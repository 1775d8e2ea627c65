"""The review workflow in Slack: the reviewer's modals (ask, override), the agent's reply
modal, and the notifications of the outbox drawn as DMs.

Buttons carry the triage id only: who may act, and on what, is decided by the engine
(`bot.reviews`), never by what a button says.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from adapters.slack.blocks import OPTION_TEXT_MAX, Message, button, clip, escape, message, section
from adapters.slack.messages import m
from adapters.slack.refs import (
    AGENT_REPLY,
    ASK_VIEW,
    OUTCOME_ACTION,
    OUTCOME_BLOCK,
    OVERRIDE_VIEW,
    REPLY_VIEW,
    TEXT_ACTION,
    TEXT_BLOCK,
)
from bot.i18n import t
from bot.reviews import COMMENT_MAX, REVIEW_QUESTION
from flows.model import OUTCOMES

MODAL_LABEL_MAX = 2000
TITLE_MAX = 24


def _comment(label: str, lang: str, placeholder_key: str = "modal_placeholder") -> InputBlock:
    return InputBlock(
        block_id=TEXT_BLOCK,
        label=PlainTextObject(text=clip(label, MODAL_LABEL_MAX)),
        element=PlainTextInputElement(
            action_id=TEXT_ACTION,
            multiline=True,
            max_length=COMMENT_MAX,
            placeholder=PlainTextObject(text=clip(m(placeholder_key, lang, max=COMMENT_MAX), 150)),
        ),
    )


def _view(
    callback_id: str, title_key: str, metadata: dict[str, Any], blocks: list[Block], lang: str
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=callback_id,
        title=PlainTextObject(text=clip(m(title_key, lang), TITLE_MAX)),
        submit=PlainTextObject(text=m("button_send", lang)),
        close=PlainTextObject(text=m("modal_close", lang)),
        private_metadata=json.dumps(metadata, separators=(",", ":")),
        blocks=blocks,
    )
    return view.to_dict()


def ask_modal(triage_id: str, channel: str | None, ts: str | None, lang: str) -> dict[str, Any]:
    """ "Demander des précisions": the question to the agent."""
    metadata = {"t": triage_id, "c": channel, "ts": ts}
    return _view(ASK_VIEW, "button_ask", metadata, [_comment(m("ask_label", lang), lang)], lang)


def override_modal(
    triage_id: str, proposed: str, channel: str | None, ts: str | None, lang: str
) -> dict[str, Any]:
    """ "Requalifier": one of the other orientations, and the mandatory justification."""
    options = [
        Option(value=outcome, text=clip(t(f"outcome_{outcome}", lang), OPTION_TEXT_MAX))
        for outcome in OUTCOMES
        if outcome != proposed
    ]
    select = InputBlock(
        block_id=OUTCOME_BLOCK,
        label=PlainTextObject(text=m("new_outcome_label", lang)),
        element=StaticSelectElement(action_id=OUTCOME_ACTION, options=options),
    )
    comment = _comment(m("override_comment", lang), lang, "override_placeholder")
    metadata = {"t": triage_id, "c": channel, "ts": ts}
    return _view(OVERRIDE_VIEW, "override_title", metadata, [select, comment], lang)


def reply_modal(triage_id: str, lang: str) -> dict[str, Any]:
    """ "Répondre": the agent's answer to a reviewer's question."""
    metadata = {"t": triage_id}
    return _view(
        REPLY_VIEW, "button_reply", metadata, [_comment(m("reply_label", lang), lang)], lang
    )


def submitted(view: dict[str, Any]) -> tuple[dict[str, Any], str, str | None]:
    """(metadata, comment, chosen outcome) of a submitted modal; ValueError when not ours."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(metadata, dict) or not metadata.get("t"):
        raise ValueError("not a modal of ours")
    state = (view.get("state") or {}).get("values") or {}
    comment = str(((state.get(TEXT_BLOCK) or {}).get(TEXT_ACTION) or {}).get("value") or "")
    chosen = ((state.get(OUTCOME_BLOCK) or {}).get(OUTCOME_ACTION) or {}).get("selected_option")
    outcome = str(chosen.get("value")) if isinstance(chosen, dict) else None
    return metadata, comment, outcome


def comment_error(comment: str, lang: str) -> str | None:
    """The field error shown in the modal itself; the engine checks again."""
    text = comment.strip()
    if not text:
        return m("comment_empty", lang)
    if len(text) > COMMENT_MAX:
        return m("comment_too_long", lang, length=len(text), max=COMMENT_MAX)
    return None


def notification_message(kind: str, text: str, triage_id: str, lang: str) -> Message:
    """A notification of the outbox as a DM; a reviewer's question gets its "Répondre"."""
    blocks: list[Block] = [section(escape(text))]
    if kind == REVIEW_QUESTION and triage_id:
        blocks.append(
            ActionsBlock(
                block_id="reply",
                elements=[button(m("button_reply", lang), AGENT_REPLY, triage_id, "primary")],
            )
        )
    return message(text or m("notification_fallback", lang), blocks)
