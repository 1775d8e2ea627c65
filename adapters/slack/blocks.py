"""Block Kit building blocks shared by every message: text escaping, Slack's limits, notices.

Blocks are plain dicts, written as slack_sdk's models would serialise them (tests check them
against those models): building and validating the models on every message was a large share
of a turn's CPU. The limits are enforced here by clipping, so that a long flow text degrades
into an ellipsis instead of a rejected message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from adapters.chat.forms import Field, Form
from adapters.slack import refs
from adapters.slack.messages import m

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
    show = button(m("button_show_current", lang), refs.RESUME, triage_id)
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
    blocks.append(actions([button(m("button_new", lang), refs.NEW_TRIAGE, "new", "primary")]))
    fallback = f"{prefix}\n{m('help_fallback', lang)}" if prefix else m("help_fallback", lang)
    return message(fallback, blocks)


# Forms (adapters.chat.forms) as modals

TITLE_MAX = 24
INPUT_MAX = 3000
"""Slack's limit on a text input; the engine's may be longer (the register's details)."""
CHECKBOXES_MAX = 10
SlackIds = Callable[[Field], tuple[str, str]]
"""A field's block id and action id, which each modal names its own way."""


def form_modal(
    form: Form,
    callback_id: str,
    close: str,
    metadata: str,
    ids: SlackIds,
    lead: list[Block] | None = None,
) -> Block:
    """A kit form as a modal: `lead` above the fields (by default the form's help)."""
    if lead is None:
        lead = [section(escape(form.help), "help")] if form.help else []
    blocks = list(lead)
    for field in form.fields:
        block_id, action_id = ids(field)
        optional = not field.required
        if field.kind == "pick":
            for number, (label, options) in enumerate(_checkbox_groups(field)):
                element = menu("checkboxes", action_id, options)
                blocks.append(input_block(f"{block_id}{number}", label, element, optional))
        else:
            blocks.append(input_block(block_id, field.label, _element(field, action_id), optional))
    title = clip(form.title, TITLE_MAX)
    return modal(callback_id, title, form.submit, close, metadata, blocks)


def _element(field: Field, action_id: str) -> Block:
    if field.kind == "choice":
        options = [option(o.value, o.label) for o in field.options]
        chosen = next((o for o in options if o["value"] == field.initial), None)
        return menu("static_select", action_id, options, initial_option=chosen)
    if field.kind == "date":
        return _set({"type": "datepicker", "action_id": action_id}, initial_date=field.initial)
    return text_input(
        action_id,
        min(field.max_length or INPUT_MAX, INPUT_MAX),
        field.kind == "text",
        clip(field.initial, INPUT_MAX) if field.initial else None,
        field.placeholder,
    )


def _checkbox_groups(field: Field) -> Iterator[tuple[str, list[Block]]]:
    """One group of checkboxes per group of options, split by ten (Slack's limit)."""
    for title, options in field.groups():
        parts = [
            options[start : start + CHECKBOXES_MAX]
            for start in range(0, len(options), CHECKBOXES_MAX)
        ]
        for index, part in enumerate(parts, start=1):
            label = f"{title} ({index}/{len(parts)})" if len(parts) > 1 else title
            yield label, [option(o.value, o.label, o.description or None) for o in part]


def form_sent(view: Block, form: Form, ids: SlackIds) -> dict[str, object]:
    """What a submitted modal holds for each field of `form`, as `adapters.chat.forms.read`
    takes it: whatever shape Slack (or someone else) sent, checked there."""
    state = _mapping(_mapping(view.get("state")).get("values"))
    sent: dict[str, object] = {}
    for field in form.fields:
        block_id, action_id = ids(field)
        if field.kind == "pick":
            ticked = [
                _mapping(_mapping(group).get(action_id)).get("selected_options")
                for name, group in state.items()
                if str(name).startswith(block_id)
            ]
            sent[field.id] = [_mapping(o).get("value") for each in ticked for o in _list(each)]
            continue
        element = _mapping(_mapping(state.get(block_id)).get(action_id))
        if element.get("type") == "static_select":
            sent[field.id] = _mapping(element.get("selected_option")).get("value")
        elif element.get("type") == "datepicker":
            sent[field.id] = element.get("selected_date")
        else:
            sent[field.id] = element.get("value")
    return sent


def field_errors(problems: dict[str, str], form: Form, ids: SlackIds) -> dict[str, str]:
    """The kit's problems by Slack block id, as a modal's ack shows them; a pick's problem
    goes to its first group of checkboxes."""
    suffix = {field.id: "0" if field.kind == "pick" else "" for field in form.fields}
    by_id = {field.id: field for field in form.fields}
    return {
        ids(by_id[name])[0] + suffix[name]: text for name, text in problems.items() if name in by_id
    }


def _mapping(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []
