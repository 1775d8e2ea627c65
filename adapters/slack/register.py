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
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.chat.forms import Field, Form, Read, read, register_form, text_of
from adapters.chat.register import INPUT_PREFIX, handle_form
from adapters.slack import refs
from adapters.slack.blocks import INPUT_MAX as INPUT_MAX  # the register's prefill limit
from adapters.slack.blocks import (
    actions,
    button,
    escape,
    field_errors,
    form_modal,
    form_sent,
    message,
    notice,
    section,
)
from adapters.slack.feature import Feature
from adapters.slack.messages import m
from adapters.slack.payloads import acked, not_ours
from adapters.slack.turns import Where
from bot import events as ev
from bot.app import App
from bot.i18n import t
from bot.register_form import FIELDS, details_from_form

REGISTER_OPEN = "register_open"
REGISTER_VIEW = "register_details"
VALUE = "value"


def _ids(field: Field) -> tuple[str, str]:
    """Each field is the block named after the detail it asks, its input `value`."""
    return field.id.removeprefix(INPUT_PREFIX), VALUE


def prompt_message(triage_id: str, lang: str) -> dict[str, Any]:
    text = t("register_form_prompt", lang, id=triage_id)
    action = button(t("register_form_open", lang), REGISTER_OPEN, triage_id, style="primary")
    return message(text, [section(escape(text)), actions([action])])


def register_modal(
    triage_id: str, project: str, values: dict[str, str], kept: list[str], lang: str
) -> dict[str, Any]:
    """The kit's form; the `kept` fields, too long for Slack's inputs, are optional and keep
    their published text when left empty."""
    form = register_form(triage_id, project, values, tuple(kept), lang)
    metadata = json.dumps({"t": triage_id, "kept": kept})
    return form_modal(form, REGISTER_VIEW, m("modal_close", lang), metadata, _ids)


def _read(view: dict[str, Any], lang: str) -> tuple[str, list[str], Form, Read]:
    metadata = json.loads(view.get("private_metadata") or "")
    triage_id = metadata.get("t") if isinstance(metadata, dict) else None
    kept = metadata.get("kept") if isinstance(metadata, dict) else None
    if not isinstance(triage_id, str) or not triage_id or not isinstance(kept, list):
        raise ValueError("not a register form of ours")
    kept = [str(k) for k in kept]
    form = register_form("", "", {}, tuple(kept), lang)
    return triage_id, kept, form, read(form, form_sent(view, form, _ids), lang)


def form_values(view: dict[str, Any], lang: str = "fr") -> tuple[str, list[str], dict[str, str]]:
    """The triage the form was drawn for, the fields it left out for their length, and each
    field's value as text; ValueError for a form we did not draw."""
    triage_id, kept, _form, found = _read(view, lang)
    return triage_id, kept, _texts(found)


def _texts(found: Read) -> dict[str, str]:
    return {f.name: v for f in FIELDS if (v := text_of(found, INPUT_PREFIX + f.name))}


class RegisterForm(Feature):
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
        lang = self.out.known_lang(user)
        try:
            triage_id, kept, form, found = _read(view, lang)
        except (ValueError, TypeError, AttributeError):
            await not_ours(ack)
            return
        values = _texts(found)
        checked = details_from_form(values, lang)
        errors = field_errors(found.problems, form, _ids)
        if isinstance(checked, dict):
            errors |= {name: text for name, text in checked.items() if name not in errors}
        errors = {name: text for name, text in errors.items() if name not in kept}
        if await acked(ack, self.recent, user, view, errors) is not None:
            self.tasks.spawn(self._publish(user, triage_id, values), "register publication")

    async def _publish(self, user: str, triage_id: str, values: dict[str, str]) -> None:
        lang = await self.out.lang(user)
        actor = ev.Actor(refs.PLATFORM, user)
        text = await self.in_pool(_published, self.app, actor, triage_id, values, lang)
        dm = await self.out.dm_channel(user, triage_id)
        if dm is not None:
            await self.out.post(dm, notice(text), triage_id)


def _published(app: App, actor: ev.Actor, triage_id: str, values: dict[str, str], lang: str) -> str:
    """The kit's handling of the form, in one line: the modal has already checked its own
    fields, so what is left to say about them is said in words."""
    said = handle_form(app, actor, triage_id, values, lang)
    return "; ".join(said[1].values()) if isinstance(said, tuple) else said
