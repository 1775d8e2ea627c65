"""Publishing in the public register from Slack: `/boussole registre ID` answers with a
button, whose click opens the form (a modal holds the register's thirty fields where a
message could not), filled in with the details already published when there are some.

The form's values are checked when it is submitted, before the ack, because a field's error
can only travel in the ack; the checks are pure (no database, no Web API). The publication
itself then runs in the pool, through bot.register, which checks the role and the triage
again and writes the audit row; its outcome is told in the person's DM.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.chat.register import handle_form
from adapters.slack.blocks import (
    Block,
    actions,
    button,
    clip,
    escape,
    input_block,
    menu,
    message,
    modal,
    notice,
    option,
    section,
    text_input,
)
from adapters.slack.feature import PLATFORM, Feature
from adapters.slack.messages import m
from adapters.slack.turns import Where
from bot import events as ev
from bot.app import App
from bot.i18n import t
from bot.register_form import FIELDS, FormField, details_from_form

if TYPE_CHECKING:
    from adapters.slack.chat_bot import SlackBot

log = logging.getLogger("adapters.slack")

REGISTER_OPEN = "register_open"
REGISTER_VIEW = "register_details"
VALUE = "value"
INPUT_MAX = 3000
"""Slack's limit on a text input; the details allow longer texts through a details file."""


def prompt_message(triage_id: str, lang: str) -> dict[str, Any]:
    text = t("register_form_prompt", lang, id=triage_id)
    action = button(t("register_form_open", lang), REGISTER_OPEN, triage_id, style="primary")
    return message(text, [section(escape(text)), actions([action])])


def _element(field: FormField, initial: str | None, lang: str) -> Block:
    if field.kind == "choice":
        options = [option(o, field.option_label(o, lang)) for o in field.options]
        chosen = next((o for o in options if o["value"] == initial), None)
        return menu("static_select", VALUE, options, initial_option=chosen)
    if field.kind == "date":
        picker: Block = {"type": "datepicker", "action_id": VALUE}
        if initial:
            picker["initial_date"] = initial
        return picker
    return text_input(
        VALUE,
        min(field.max_length, INPUT_MAX),
        field.kind == "text",
        clip(initial, INPUT_MAX) if initial else None,
    )


def register_modal(
    triage_id: str, project: str, values: dict[str, str], kept: list[str], lang: str
) -> dict[str, Any]:
    """The form; the `kept` fields, too long for Slack's inputs, are optional and keep their
    published text when left empty."""
    blocks: list[Block] = [
        section(escape(t("register_form_help", lang, id=triage_id, project=project)), "help")
    ]
    for field in FIELDS:
        element = _element(field, values.get(field.name), lang)
        optional = not field.required or field.name in kept
        blocks.append(input_block(field.name, field.label(lang), element, optional))
    return modal(
        REGISTER_VIEW,
        t("register_form_title", lang),
        t("register_form_submit", lang),
        m("modal_close", lang),
        json.dumps({"t": triage_id, "kept": kept}),
        blocks,
    )


def form_values(view: dict[str, Any]) -> tuple[str, list[str], dict[str, str]]:
    """The triage the form was drawn for, the fields it left out for their length, and each
    field's value as text; ValueError for a form we did not draw."""
    metadata = json.loads(view.get("private_metadata") or "")
    triage_id = metadata.get("t") if isinstance(metadata, dict) else None
    kept = metadata.get("kept") if isinstance(metadata, dict) else None
    if not isinstance(triage_id, str) or not triage_id or not isinstance(kept, list):
        raise ValueError("not a register form of ours")
    values: dict[str, str] = {}
    state = (view.get("state") or {}).get("values") or {}
    for field in FIELDS:
        element = (state.get(field.name) or {}).get(VALUE) or {}
        value = element.get("value")
        if element.get("type") == "static_select":
            value = (element.get("selected_option") or {}).get("value")
        elif element.get("type") == "datepicker":
            value = element.get("selected_date")
        if isinstance(value, str) and value.strip():
            values[field.name] = value
    return triage_id, [str(k) for k in kept], values


class RegisterForm(Feature):
    def __init__(self, bot: SlackBot, *args: Any) -> None:
        super().__init__(*args)
        self.bot = bot

    def click(self, user: str, key: str, trigger_id: str, triage_id: str) -> None:
        self.once(key, self._open(user, key, trigger_id, triage_id), "register form")

    async def _open(self, user: str, key: str, trigger_id: str, triage_id: str) -> None:
        """The kit's `registre ID` answers the click (the form, or why it cannot be filled
        in); a refusal is said in the DM, where the publication's outcome is told too."""
        dm = await self.out.dm_channel(user, triage_id)
        if dm is None:
            return
        lang = await self.out.lang(user)
        where = Where(user=user, channel=dm, typed=True)
        await self.bot.register_prompt(self.bot.turn(user, lang, key, where, trigger_id), triage_id)

    async def on_submission(
        self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        user = str((body.get("user") or {}).get("id") or "")
        try:
            triage_id, kept, values = form_values(view)
        except (ValueError, TypeError, AttributeError):
            log.warning("Slack modal ignored: its metadata is not ours")
            await ack()
            return
        lang = self.out.known_lang(user)
        checked = details_from_form(values, lang)
        errors = checked if isinstance(checked, dict) else {}
        errors = {name: text for name, text in errors.items() if name not in kept}
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        key = f"{user}:{view.get('id')}"
        if self.recent.first_time(f"view:{key}"):
            self.tasks.spawn(self._publish(user, triage_id, values), "register publication")

    async def _publish(self, user: str, triage_id: str, values: dict[str, str]) -> None:
        lang = await self.out.lang(user)
        actor = ev.Actor(PLATFORM, user)
        text = await self.in_pool(_published, self.app, actor, triage_id, values, lang)
        await self._tell(user, triage_id, text)

    async def _tell(self, user: str, triage_id: str, text: str) -> None:
        dm = await self.out.dm_channel(user, triage_id)
        if dm is not None:
            await self.out.post(dm, notice(text), triage_id)


def _published(app: App, actor: ev.Actor, triage_id: str, values: dict[str, str], lang: str) -> str:
    """The kit's handling of the form, in one line: the modal has already checked its own
    fields, so what is left to say about them is said in words."""
    said = handle_form(app, actor, triage_id, values, lang)
    return "; ".join(said[1].values()) if isinstance(said, tuple) else said
