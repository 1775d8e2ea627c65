"""The review workflow in Slack: the reviewer's modals (ask, override), the agent's reply
modal, and the notifications of the outbox drawn as DMs.

Buttons carry the triage id only: who may act, and on what, is decided by the engine
(`bot.reviews`), never by what a button says.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.chat.clicks import COMMENT_INPUT, QUESTION_INPUT, REPLY_INPUT
from adapters.chat.forms import (
    Field,
    Form,
    Read,
    ask_form,
    override_form,
    read,
    reply_form,
    text_of,
)
from adapters.slack import refs
from adapters.slack.blocks import (
    Message,
    actions,
    button,
    escape,
    field_errors,
    form_modal,
    form_sent,
    message,
    section,
)
from adapters.slack.messages import m
from bot.reviews import REVIEW_QUESTION

COMMENTS = {
    refs.ASK_VIEW: QUESTION_INPUT,
    refs.OVERRIDE_VIEW: COMMENT_INPUT,
    refs.REPLY_VIEW: REPLY_INPUT,
}
"""Which of the kit's fields each modal's comment is."""
VIEWS = {
    refs.REVIEW_ASK: refs.ASK_VIEW,
    refs.REVIEW_OVERRIDE: refs.OVERRIDE_VIEW,
    refs.AGENT_REPLY: refs.REPLY_VIEW,
}
"""The modal each button opens, by callback id; a submitted modal is that button's action."""
ACTIONS = {view: action for action, view in VIEWS.items()}


def _ids(field: Field) -> tuple[str, str]:
    """The comment is the modal's `answer` block, the new orientation its `outcome` one."""
    return (
        (refs.OUTCOME_BLOCK, refs.OUTCOME_ACTION)
        if field.kind == "choice"
        else (refs.TEXT_BLOCK, refs.TEXT_ACTION)
    )


def review_modal(
    action_id: str, triage_id: str, proposed: str, channel: str | None, ts: str | None, lang: str
) -> dict[str, Any]:
    """The modal a button opens: "Demander des précisions" (the question to the agent),
    "Requalifier" (one of the orientations other than `proposed`, and the mandatory
    justification), or the agent's "Répondre" (not tied to the message clicked)."""
    callback_id = VIEWS[action_id]
    metadata: dict[str, Any] = {"t": triage_id}
    if action_id != refs.AGENT_REPLY:
        metadata |= {"c": channel, "ts": ts}
    text = json.dumps(metadata, separators=(",", ":"))
    form = _form(callback_id, proposed, lang)
    return form_modal(form, callback_id, m("modal_close", lang), text, _ids)


def _form(callback_id: str, proposed: str, lang: str) -> Form:
    """The form a modal is drawn from, and read back with: read back, the override offers
    every orientation (the one proposed is the engine's to refuse)."""
    if callback_id == refs.ASK_VIEW:
        return ask_form(m, lang)
    if callback_id == refs.REPLY_VIEW:
        return reply_form(m, lang)
    return override_form(m, proposed, lang)


def submitted(view: dict[str, Any], lang: str) -> tuple[dict[str, Any], Read, dict[str, str]]:
    """(metadata, what the kit read, its problems by block) of a submitted modal;
    ValueError when not ours."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(metadata, dict) or not metadata.get("t"):
        raise ValueError("not a modal of ours")
    callback_id = str(view.get("callback_id"))
    form = _form(callback_id, "", lang)
    found = read(form, form_sent(view, form, _ids), lang)
    return metadata, found, field_errors(found.problems, form, _ids)


def comment_of(found: Read, callback_id: str) -> str:
    return text_of(found, COMMENTS.get(callback_id, COMMENT_INPUT)).strip()


def notification_message(kind: str, text: str, triage_id: str, lang: str) -> Message:
    """A notification of the outbox as a DM; a reviewer's question gets its "Répondre"."""
    blocks = [section(escape(text))]
    if kind == REVIEW_QUESTION and triage_id:
        reply = button(m("button_reply", lang), refs.AGENT_REPLY, triage_id, "primary")
        blocks.append(actions([reply], "reply"))
    return message(text or m("notification_fallback", lang), blocks)
