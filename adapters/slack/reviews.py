"""The review workflow in Slack: the reviewer's modals (ask, override), the agent's reply
modal, and the notifications of the outbox drawn as DMs.

Buttons carry the triage id only: who may act, and on what, is decided by the engine
(`bot.reviews`), never by what a button says.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.blocks import (
    Block,
    Message,
    actions,
    button,
    clip,
    escape,
    input_block,
    menu,
    message,
    modal,
    option,
    section,
    text_input,
)
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

TITLE_MAX = 24


def _comment(label: str, lang: str, placeholder_key: str = "modal_placeholder") -> Block:
    placeholder = m(placeholder_key, lang, max=COMMENT_MAX)
    element = text_input(TEXT_ACTION, COMMENT_MAX, placeholder=placeholder)
    return input_block(TEXT_BLOCK, label, element)


def _view(
    callback_id: str, title_key: str, metadata: dict[str, Any], blocks: list[Block], lang: str
) -> dict[str, Any]:
    return modal(
        callback_id,
        clip(m(title_key, lang), TITLE_MAX),
        m("button_send", lang),
        m("modal_close", lang),
        json.dumps(metadata, separators=(",", ":")),
        blocks,
    )


def ask_modal(triage_id: str, channel: str | None, ts: str | None, lang: str) -> dict[str, Any]:
    """ "Demander des précisions": the question to the agent."""
    metadata = {"t": triage_id, "c": channel, "ts": ts}
    return _view(ASK_VIEW, "button_ask", metadata, [_comment(m("ask_label", lang), lang)], lang)


def override_modal(
    triage_id: str, proposed: str, channel: str | None, ts: str | None, lang: str
) -> dict[str, Any]:
    """ "Requalifier": one of the other orientations, and the mandatory justification."""
    options = [
        option(outcome, t(f"outcome_{outcome}", lang), emoji=True)
        for outcome in OUTCOMES
        if outcome != proposed
    ]
    element = menu("static_select", OUTCOME_ACTION, options)
    select = input_block(OUTCOME_BLOCK, m("new_outcome_label", lang), element)
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
        reply = button(m("button_reply", lang), AGENT_REPLY, triage_id, "primary")
        blocks.append(actions([reply], "reply"))
    return message(text or m("notification_fallback", lang), blocks)
