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


def _ids(field: Field) -> tuple[str, str]:
    """The comment is the modal's `answer` block, the new orientation its `outcome` one."""
    return (
        (refs.OUTCOME_BLOCK, refs.OUTCOME_ACTION)
        if field.kind == "choice"
        else (refs.TEXT_BLOCK, refs.TEXT_ACTION)
    )


def _view(callback_id: str, form: Form, metadata: dict[str, Any], lang: str) -> dict[str, Any]:
    text = json.dumps(metadata, separators=(",", ":"))
    return form_modal(form, callback_id, m("modal_close", lang), text, _ids)


def ask_modal(triage_id: str, channel: str | None, ts: str | None, lang: str) -> dict[str, Any]:
    """ "Demander des précisions": the question to the agent."""
    metadata = {"t": triage_id, "c": channel, "ts": ts}
    return _view(refs.ASK_VIEW, ask_form(m, lang), metadata, lang)


def override_modal(
    triage_id: str, proposed: str, channel: str | None, ts: str | None, lang: str
) -> dict[str, Any]:
    """ "Requalifier": one of the other orientations, and the mandatory justification."""
    metadata = {"t": triage_id, "c": channel, "ts": ts}
    return _view(refs.OVERRIDE_VIEW, override_form(m, proposed, lang), metadata, lang)


def reply_modal(triage_id: str, lang: str) -> dict[str, Any]:
    """ "Répondre": the agent's answer to a reviewer's question."""
    return _view(refs.REPLY_VIEW, reply_form(m, lang), {"t": triage_id}, lang)


def _form(callback_id: str, lang: str) -> Form:
    """The form a modal was drawn from, to read it back: the override offers every
    orientation (the one proposed is the engine's to refuse)."""
    if callback_id == refs.ASK_VIEW:
        return ask_form(m, lang)
    if callback_id == refs.REPLY_VIEW:
        return reply_form(m, lang)
    return override_form(m, "", lang)


def submitted(view: dict[str, Any], lang: str) -> tuple[dict[str, Any], Read, dict[str, str]]:
    """(metadata, what the kit read, its problems by block) of a submitted modal;
    ValueError when not ours."""
    metadata = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(metadata, dict) or not metadata.get("t"):
        raise ValueError("not a modal of ours")
    callback_id = str(view.get("callback_id"))
    form = _form(callback_id, lang)
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
