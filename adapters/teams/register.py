"""Publishing in the public register from Teams: `registre ID` answers with a card holding
the register's form, filled in with the details already published when there are some; its
Publish button sends the values back, which bot.register checks (role, triage, details)
before writing anything. A refused form comes back with each problem next to its field.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity

from adapters.teams.card_parts import ACTION, SCHEMA, VERSION
from bot import events as ev
from bot.app import App
from bot.i18n import t
from bot.register import RegisterRefused, prepare, publish
from bot.register_form import FIELDS, FormField, details_from_form, initial_values

REGISTER_SUBMIT = "register_publish"
INPUT_PREFIX = "register_"
PREFILL_MAX = 1500
"""A published text longer than this is not put in the card; left empty, it keeps its
published value."""
CARD_BYTES_MAX = 24_000
"""Teams takes 28 KB a message, envelope included."""


def register_card(
    triage_id: str,
    project: str,
    values: Mapping[str, str],
    lang: str,
    errors: Mapping[str, str] | None = None,
    kept: tuple[str, ...] = (),
) -> dict[str, Any]:
    errors = errors or {}
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": t("register_form_help", lang, id=triage_id, project=project),
            "wrap": True,
        }
    ]
    for field in FIELDS:
        body.append(_input(field, values.get(field.name, ""), lang, field.name in kept))
        if field.name in errors:
            body.append(
                {
                    "type": "TextBlock",
                    "text": errors[field.name],
                    "wrap": True,
                    "color": "attention",
                }
            )
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "actions": [
            {
                "type": "Action.Submit",
                "title": t("register_form_submit", lang),
                "style": "positive",
                "data": {ACTION: REGISTER_SUBMIT, "triage": triage_id, "kept": list(kept)},
            }
        ],
        "fallbackText": t("register_form_prompt", lang, id=triage_id),
    }


def _input(field: FormField, value: str, lang: str, kept: bool) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": INPUT_PREFIX + field.name,
        "label": field.label(lang),
        "isRequired": field.required and not kept,
    }
    if value:
        element["value"] = value
    if field.kind == "choice":
        choices = [{"title": field.option_label(o, lang), "value": o} for o in field.options]
        return {"type": "Input.ChoiceSet", "style": "compact", "choices": choices, **element}
    if field.kind == "date":
        return {"type": "Input.Date", **element}
    return {
        "type": "Input.Text",
        "isMultiline": field.kind == "text",
        "maxLength": field.max_length,
        **element,
    }


def prefilled_card(
    triage_id: str, project: str, details: dict[str, Any] | None, lang: str
) -> dict[str, Any]:
    """The form with the published values, the longest left out (kept as published) until
    the card fits in a Teams message."""
    values, kept = initial_values(details, PREFILL_MAX)
    while True:
        card = register_card(triage_id, project, values, lang, kept=tuple(kept))
        if (
            len(json.dumps(card, ensure_ascii=False).encode("utf-8")) <= CARD_BYTES_MAX
            or not values
        ):
            return card
        longest = max(values, key=lambda name: len(values[name]))
        del values[longest]
        kept.append(longest)


def is_register_submit(value: object) -> bool:
    return isinstance(value, Mapping) and value.get(ACTION) == REGISTER_SUBMIT


def submitted_values(value: Mapping[str, Any]) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """The triage, the fields the card left out for their length, and each input as text;
    ValueError for data we did not write."""
    triage_id = value.get("triage")
    kept = value.get("kept") or []
    if not isinstance(triage_id, str) or not triage_id or not isinstance(kept, list):
        raise ValueError("not a register card of ours")
    values = {
        field.name: found
        for field in FIELDS
        if isinstance(found := value.get(INPUT_PREFIX + field.name), str) and found.strip()
    }
    return triage_id, tuple(str(k) for k in kept), values


class RegisterCards:
    def __init__(self, app: App) -> None:
        self.app = app

    async def prompt(
        self, context: TurnContext, actor: ev.Actor, lang: str, triage_id: str
    ) -> None:
        """`registre ID`: the form, or why it cannot be filled in."""
        if not triage_id:
            await context.send_activity(_text(t("register_needs_id", lang)))
            return
        try:
            project, details = await asyncio.to_thread(prepare, self.app, actor, triage_id, lang)
        except RegisterRefused as refusal:
            await context.send_activity(_text(refusal.message))
            return
        await context.send_activity(_card(prefilled_card(triage_id, project, details, lang)))

    async def submitted(
        self, context: TurnContext, actor: ev.Actor, lang: str, value: Mapping[str, Any]
    ) -> None:
        try:
            triage_id, kept, values = submitted_values(value)
        except ValueError:
            await context.send_activity(_text(t("register_form_unreadable", lang)))
            return
        found = await asyncio.to_thread(_publish, self.app, actor, triage_id, values, lang)
        if isinstance(found, str):
            await context.send_activity(_text(found))
            return
        project, errors = found
        await context.send_activity(
            _card(register_card(triage_id, project, values, lang, errors, kept))
        )


def _publish(
    app: App, actor: ev.Actor, triage_id: str, values: dict[str, str], lang: str
) -> str | tuple[str, dict[str, str]]:
    """What to say once the form is handled: the publication or its refusal, or the project
    and each field's problem to draw the form again."""
    try:
        project, before = prepare(app, actor, triage_id, lang)
    except RegisterRefused as refusal:
        project, before, refused = "", None, refusal.message
    else:
        refused = None
    checked = details_from_form(values, lang, before)
    if isinstance(checked, dict):
        return refused or (project, checked)
    try:
        entry, replaced = publish(app, actor, triage_id, checked, lang)
    except RegisterRefused as refusal:
        return refusal.message
    key = "register_replaced_ok" if replaced else "register_published_ok"
    return t(key, lang, id=triage_id, entry=entry)


def _card(card: dict[str, Any]) -> Activity:
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = card.get("fallbackText") or None
    return activity


def _text(text: str) -> Activity:
    activity = MessageFactory.text(text)
    activity.text_format = "plain"
    return activity
